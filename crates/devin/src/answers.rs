//! Answers the seed and the reference give in different shapes, read one
//! way. Most differences are renamed fields, which the generated types decode
//! under either name (`x-aliases` in the spec); what a rename cannot express
//! is here.

use crate::types::InviteMembersResult;

impl InviteMembersResult {
    /// How many people were invited: the reference's `invited_count` (the
    /// newly invited only), else the length of the seed's `invited` list;
    /// `None` when the server sent neither.
    ///
    /// ```
    /// use devin_api::types::InviteMembersResult;
    ///
    /// let reference: InviteMembersResult =
    ///     serde_json::from_str(r#"{"status": "success", "invited_count": 3}"#).unwrap();
    /// let seed: InviteMembersResult =
    ///     serde_json::from_str(r#"{"invited": ["a@example.com", "b@example.com", "c@example.com"]}"#)
    ///         .unwrap();
    /// assert_eq!(reference.count(), Some(3));
    /// assert_eq!(seed.count(), Some(3));
    /// ```
    pub fn count(&self) -> Option<u64> {
        self.invited_count
            .and_then(|count| u64::try_from(count).ok())
            .or_else(|| self.invited.as_ref().map(|invited| invited.len() as u64))
    }
}
