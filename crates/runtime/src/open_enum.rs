//! [`open_enum!`](crate::open_enum): enums of response fields that still accept
//! values the documentation does not list.

use std::fmt;

/// A value of an open enum that this version of the SDK does not know, kept
/// exactly as the provider sent it.
///
/// It can only be made by decoding or parsing a value that matches no known
/// variant, so a known value is never hidden behind it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// The value as the provider sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    #[doc(hidden)]
    pub fn __new(value: String) -> Self {
        Self(value)
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Declares a string enum that decodes every value: the listed ones into their
/// variants, anything else into `Unknown(UnknownValue)`. It implements
/// `Display`, `FromStr` (infallible), `From<&str>`, `From<String>`, `Serialize`,
/// `Deserialize` and [`CsvCell`](crate::CsvCell) (as a CSV export's cell), and
/// `as_str()` gives the wire value back.
///
/// The code generator emits one for every spec schema marked `x-open-enum: true`.
///
/// ```
/// dev_platform_runtime::open_enum! {
///     /// A member's role.
///     pub enum Role {
///         /// An administrator.
///         Admin = "admin",
///         /// A plain member.
///         Member = "member",
///     }
/// }
///
/// let known: Role = serde_json::from_str("\"admin\"").unwrap();
/// assert_eq!(known, Role::Admin);
/// let unknown: Role = serde_json::from_str("\"auditor\"").unwrap();
/// assert_eq!(unknown.as_str(), "auditor");
/// assert!(matches!(unknown, Role::Unknown(_)));
/// assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"auditor\"");
/// assert_eq!(Role::from("member"), Role::Member);
/// ```
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version of the SDK does not know, kept as sent.
            Unknown($crate::UnknownValue),
        }

        impl $name {
            /// Every value this version of the SDK knows, as sent on the wire.
            pub const KNOWN_VALUES: &'static [&'static str] = &[$($value),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Whether this is a value the SDK does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(match value {
                    $( $value => Self::$variant, )*
                    other => Self::Unknown($crate::UnknownValue::__new(other.to_owned())),
                })
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value.parse() {
                    Ok(parsed) => parsed,
                    Err(never) => match never {},
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl $crate::CsvCell for $name {
            fn from_cell(cell: &[u8]) -> ::std::result::Result<Self, $crate::InvalidCell> {
                $crate::parse_cell(cell)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: $crate::__private::serde::Serializer,
            {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                let value = <::std::borrow::Cow<'de, str> as $crate::__private::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    };
}
