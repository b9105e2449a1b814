//! [`Id`]: an identifier that a provider sends as a JSON string or a JSON number.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An identifier that the provider sends as a JSON string in some responses and
/// as a JSON number in others (GitCode answers `"id": "268"` for a member and
/// `"id": 953` for the same kind of user elsewhere).
///
/// Both decode into this one type. Two ids are equal when their text is equal, so
/// `Id::from(268)` equals `Id::from("268")`; compare with strings and integers
/// directly, and print with `Display`. An id is re-encoded the way it arrived (a
/// number stays a number).
///
/// ```
/// use dev_platform_runtime::Id;
///
/// let a: Id = serde_json::from_str("\"268\"").unwrap();
/// let b: Id = serde_json::from_str("268").unwrap();
/// assert_eq!(a, b);
/// assert_eq!(a, 268);
/// assert_eq!(b, "268");
/// assert_eq!(b.to_string(), "268");
/// assert_eq!(b.as_u64(), Some(268));
/// assert_eq!(serde_json::to_string(&b).unwrap(), "268");
/// ```
#[derive(Clone)]
pub struct Id {
    text: String,
    numeric: bool,
}

impl Id {
    /// The id as text, exactly as the provider sent it (numbers in decimal).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The id as an unsigned integer, when it is one (`"268"` and `268` both are;
    /// `"64dc3b13b8b9504cec223ab1"` is not).
    pub fn as_u64(&self) -> Option<u64> {
        self.text.parse().ok()
    }

    /// Whether the provider sent this id as a JSON number.
    pub fn is_numeric(&self) -> bool {
        self.numeric
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.numeric {
            write!(f, "Id({})", self.text)
        } else {
            write!(f, "Id({:?})", self.text)
        }
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq for Id {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Id {}

impl std::hash::Hash for Id {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl PartialOrd for Id {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Id {
    /// Numeric ids order as numbers, everything else by text.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        match (self.as_u64(), other.as_u64()) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => self.text.cmp(&other.text),
        }
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl PartialEq<u64> for Id {
    fn eq(&self, other: &u64) -> bool {
        self.as_u64() == Some(*other)
    }
}

impl PartialEq<i32> for Id {
    fn eq(&self, other: &i32) -> bool {
        u64::try_from(*other).is_ok_and(|other| self == &other)
    }
}

impl From<u64> for Id {
    fn from(value: u64) -> Self {
        Self {
            text: value.to_string(),
            numeric: true,
        }
    }
}

impl From<&str> for Id {
    fn from(value: &str) -> Self {
        Self {
            text: value.to_owned(),
            numeric: false,
        }
    }
}

impl From<String> for Id {
    fn from(text: String) -> Self {
        Self {
            text,
            numeric: false,
        }
    }
}

impl FromStr for Id {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::from(s))
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self.numeric, self.text.parse::<i64>()) {
            (true, Ok(n)) => serializer.serialize_i64(n),
            (true, Err(_)) => match self.text.parse::<u64>() {
                Ok(n) => serializer.serialize_u64(n),
                Err(_) => serializer.serialize_str(&self.text),
            },
            (false, _) => serializer.serialize_str(&self.text),
        }
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;

        impl Visitor<'_> for IdVisitor {
            type Value = Id;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an id as a string or an integer")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
                Ok(Id::from(v))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Id, E> {
                Ok(Id::from(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Id, E> {
                Ok(Id::from(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Id, E> {
                Ok(Id {
                    text: v.to_string(),
                    numeric: true,
                })
            }
        }

        deserializer.deserialize_any(IdVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::Id;

    #[test]
    fn rejects_values_that_are_not_ids() {
        for bad in ["1.5", "true", "null", "{}", "[]"] {
            assert!(
                serde_json::from_str::<Id>(bad).is_err(),
                "{bad} decoded as an id"
            );
        }
    }

    #[test]
    fn orders_numbers_numerically_and_round_trips_both_forms() {
        let nine = Id::from(9);
        let ten: Id = serde_json::from_str("\"10\"").unwrap();
        assert!(nine < ten);
        assert_eq!(serde_json::to_string(&ten).unwrap(), "\"10\"");
        assert_eq!(serde_json::to_string(&nine).unwrap(), "9");
        assert_eq!(format!("{ten:?}"), "Id(\"10\")");
        assert_eq!(format!("{nine:?}"), "Id(9)");
        let hex = Id::from("64dc3b13b8b9504cec223ab1");
        assert_eq!(hex.as_u64(), None);
        assert_ne!(hex, 0);
    }
}
