//! [`Multipart`]: a `multipart/form-data` request body (RFC 7578), text
//! fields and files, streamed when it is sent: a file is read in chunks as
//! the request goes out, never held whole in memory.
//!
//! progenitor 0.15 cannot generate multipart operations; the xtask's
//! `multipart` pass gives such an operation's builder a `body(Multipart)`
//! method, and its `send()` sends this with the boundary in its
//! `Content-Type`. The operation's documented parts that are required are
//! checked before anything is sent.

use std::fmt;
use std::path::Path;
use std::pin::Pin;

use bytes::Bytes;
use futures_util::{Stream, StreamExt, stream};

/// A part's content as it will be sent.
type Chunks = Pin<Box<dyn Stream<Item = std::io::Result<Bytes>> + Send + Sync>>;

/// A `multipart/form-data` body: named parts, each a text value or a file.
///
/// ```
/// use dev_platform_runtime::{FilePart, Multipart};
///
/// let form = Multipart::new()
///     .text("message", "release notes")
///     .file("file", FilePart::bytes("notes.txt", "the notes"));
/// assert_eq!(form.names().collect::<Vec<_>>(), ["message", "file"]);
/// assert!(form.content_type().starts_with("multipart/form-data; boundary="));
/// ```
pub struct Multipart {
    boundary: String,
    parts: Vec<Part>,
}

struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    content: Content,
}

/// A part's content: bytes at hand, or chunks read as they are sent.
enum Content {
    Bytes(Bytes),
    Stream(Chunks),
}

/// A file to send as a part: its name, media type and content.
pub struct FilePart {
    file_name: String,
    content_type: String,
    content: Content,
}

impl FilePart {
    /// A file made of `bytes`, named `file_name` (sent as
    /// `application/octet-stream` unless [`content_type`](Self::content_type)
    /// says otherwise).
    pub fn bytes(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        Self {
            file_name: file_name.into(),
            content_type: "application/octet-stream".to_owned(),
            content: Content::Bytes(bytes.into()),
        }
    }

    /// The file at `path`, read in chunks of 64 KiB as the request is sent,
    /// named by its file name.
    pub async fn open(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let file = tokio::fs::File::open(path).await?;
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".to_owned());
        let chunks = stream::unfold(file, |mut file| async move {
            use tokio::io::AsyncReadExt;
            let mut buffer = vec![0; 64 * 1024];
            match file.read(&mut buffer).await {
                Ok(0) => None,
                Ok(n) => {
                    buffer.truncate(n);
                    Some((Ok(Bytes::from(buffer)), file))
                }
                Err(error) => Some((Err(error), file)),
            }
        });
        Ok(Self {
            file_name,
            content_type: "application/octet-stream".to_owned(),
            content: Content::Stream(Box::pin(chunks)),
        })
    }

    /// The part's media type (`image/png`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

impl Default for Multipart {
    fn default() -> Self {
        Self::new()
    }
}

impl Multipart {
    /// An empty form, with a boundary of its own (128 random bits).
    pub fn new() -> Self {
        Self {
            boundary: format!(
                "devplat-{:016x}{:016x}",
                fastrand::u64(..),
                fastrand::u64(..)
            ),
            parts: Vec::new(),
        }
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            name: name.into(),
            file_name: None,
            content_type: None,
            content: Content::Bytes(Bytes::from(value.into())),
        });
        self
    }

    /// Adds a file.
    pub fn file(mut self, name: impl Into<String>, file: FilePart) -> Self {
        self.parts.push(Part {
            name: name.into(),
            file_name: Some(file.file_name),
            content_type: Some(file.content_type),
            content: file.content,
        });
        self
    }

    /// The parts' names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().map(|part| part.name.as_str())
    }

    /// Fails naming the first of `names` that is not a part of the form (the
    /// operation's required parts, checked before sending).
    pub fn require(&self, names: &[&str]) -> Result<(), String> {
        match names
            .iter()
            .find(|name| !self.names().any(|part| part == **name))
        {
            Some(missing) => Err(format!("the form lacks its required part `{missing}`")),
            None => Ok(()),
        }
    }

    /// The request's `Content-Type`, with the boundary.
    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// The body: each part's head, its content, and the closing boundary;
    /// streamed when a part is a file read from disk, else whole (with its
    /// length, and so retried like any other request).
    pub fn into_body(self) -> reqwest::Body {
        let boundary = self.boundary;
        if self
            .parts
            .iter()
            .all(|part| matches!(part.content, Content::Bytes(_)))
        {
            let mut whole = Vec::new();
            for part in self.parts {
                whole.extend_from_slice(part_head(&boundary, &part).as_bytes());
                if let Content::Bytes(bytes) = &part.content {
                    whole.extend_from_slice(bytes);
                }
                whole.extend_from_slice(b"\r\n");
            }
            whole.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
            return reqwest::Body::from(whole);
        }
        let mut pieces: Vec<Chunks> = Vec::new();
        for part in self.parts {
            let head = part_head(&boundary, &part);
            pieces.push(Box::pin(stream::once(async move { Ok(Bytes::from(head)) })));
            pieces.push(match part.content {
                Content::Bytes(bytes) => Box::pin(stream::once(async move { Ok(bytes) })),
                Content::Stream(chunks) => chunks,
            });
            pieces.push(Box::pin(stream::once(async {
                Ok(Bytes::from_static(b"\r\n"))
            })));
        }
        let end = format!("--{boundary}--\r\n");
        pieces.push(Box::pin(stream::once(async move { Ok(Bytes::from(end)) })));
        reqwest::Body::wrap_stream(stream::iter(pieces).flatten())
    }
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Multipart")
            .field("parts", &self.names().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// A part's delimiter and headers, up to its content.
fn part_head(boundary: &str, part: &Part) -> String {
    let mut head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"",
        quoted(&part.name)
    );
    if let Some(file_name) = &part.file_name {
        head.push_str(&format!("; filename=\"{}\"", quoted(file_name)));
    }
    head.push_str("\r\n");
    if let Some(content_type) = &part.content_type {
        head.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    head.push_str("\r\n");
    head
}

/// A name or file name inside a quoted header parameter: `"`, CR and LF
/// percent-encoded, as browsers send them (RFC 7578, section 4.2).
fn quoted(value: &str) -> String {
    value
        .replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn sent(form: Multipart) -> String {
        let body = form.into_body();
        let bytes = http_body_util::BodyExt::collect(body)
            .await
            .unwrap()
            .to_bytes();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn a_form_is_sent_as_rfc_7578_describes_it() {
        let form = Multipart::new().text("message", "hi").file(
            "file",
            FilePart::bytes("a \"b\".txt", "content").content_type("text/plain"),
        );
        let boundary = form.content_type()["multipart/form-data; boundary=".len()..].to_owned();
        assert!(boundary.len() >= 40, "{boundary}");
        let body = sent(form).await;
        assert_eq!(
            body,
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nhi\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a %22b%22.txt\"\r\n\
                 Content-Type: text/plain\r\n\r\ncontent\r\n--{boundary}--\r\n"
            )
        );
    }

    #[tokio::test]
    async fn a_file_from_disk_is_streamed_whole_and_required_parts_are_checked() {
        let path = std::env::temp_dir().join(format!("multipart-{}.bin", std::process::id()));
        let content = "x".repeat(200 * 1024 + 7);
        std::fs::write(&path, &content).unwrap();
        let form = Multipart::new().file("file", FilePart::open(&path).await.unwrap());
        assert!(form.require(&["file"]).is_ok());
        assert_eq!(
            form.require(&["file", "name"]).unwrap_err(),
            "the form lacks its required part `name`"
        );
        let body = sent(form).await;
        std::fs::remove_file(&path).unwrap();
        assert!(body.contains(&format!("\r\n\r\n{content}\r\n--")));
        assert!(body.contains(&format!(
            "filename=\"{}\"",
            path.file_name().unwrap().to_string_lossy()
        )));
        assert_ne!(
            Multipart::new().content_type(),
            Multipart::new().content_type()
        );
    }
}
