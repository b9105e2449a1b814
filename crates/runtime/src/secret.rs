//! [`Secret`]: a credential a provider hands out in a response.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A credential that arrives in a response (a newly created API key, say):
/// kept out of `Debug` output, so that logging a response does not log the
/// key, and read on purpose with [`expose`](Self::expose). It serializes as
/// the plain string, so printing the response (the CLI does) shows it.
///
/// ```
/// use dev_platform_runtime::Secret;
///
/// let key: Secret = serde_json::from_str(r#""key-1234""#).unwrap();
/// assert_eq!(key.expose(), "key-1234");
/// assert_eq!(format!("{key:?}"), "Secret(<redacted>)");
/// assert_eq!(serde_json::to_string(&key).unwrap(), r#""key-1234""#);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The credential itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}
