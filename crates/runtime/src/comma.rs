//! [`CommaSeparated`]: a list sent as one comma-separated query value.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A list that the API takes as one comma-separated value (Qoder's
/// `file_extensions=.go,.ts`). Generated builders take a `Vec`, an array or a
/// slice of strings; an empty list, an empty item or an item containing a comma
/// (which the server would split) is refused before the request is sent.
///
/// ```
/// use dev_platform_runtime::CommaSeparated;
///
/// let extensions = CommaSeparated::try_from([".go", ".ts"]).unwrap();
/// assert_eq!(extensions.to_string(), ".go,.ts");
/// assert!(CommaSeparated::try_from([".go,.ts"]).is_err());
/// assert!(CommaSeparated::try_from(Vec::<String>::new()).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CommaSeparated(Vec<String>);

/// Why a list cannot be sent comma-separated.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidList {
    /// The list is empty.
    #[error("the list is empty")]
    Empty,
    /// An item is empty or contains a comma.
    #[error("the item `{0}` is empty or contains a comma")]
    Item(String),
}

impl CommaSeparated {
    /// The items, in order.
    pub fn items(&self) -> &[String] {
        &self.0
    }

    fn new(items: impl IntoIterator<Item = impl Into<String>>) -> Result<Self, InvalidList> {
        let items: Vec<String> = items.into_iter().map(Into::into).collect();
        if items.is_empty() {
            return Err(InvalidList::Empty);
        }
        if let Some(bad) = items
            .iter()
            .find(|item| item.is_empty() || item.contains(','))
        {
            return Err(InvalidList::Item(bad.clone()));
        }
        Ok(Self(items))
    }
}

impl<S: Into<String>> TryFrom<Vec<S>> for CommaSeparated {
    type Error = InvalidList;

    fn try_from(items: Vec<S>) -> Result<Self, InvalidList> {
        Self::new(items)
    }
}

impl<S: Into<String>, const N: usize> TryFrom<[S; N]> for CommaSeparated {
    type Error = InvalidList;

    fn try_from(items: [S; N]) -> Result<Self, InvalidList> {
        Self::new(items)
    }
}

impl<S: Into<String> + Clone> TryFrom<&[S]> for CommaSeparated {
    type Error = InvalidList;

    fn try_from(items: &[S]) -> Result<Self, InvalidList> {
        Self::new(items.iter().cloned())
    }
}

impl fmt::Display for CommaSeparated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(","))
    }
}

impl Serialize for CommaSeparated {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CommaSeparated {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::new(text.split(',')).map_err(serde::de::Error::custom)
    }
}
