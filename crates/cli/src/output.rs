//! Where answers go: JSON (pretty on a terminal, compact when piped), every
//! item of every page, or a CSV export; and the one-line failure.

use std::fmt;
use std::io::{IsTerminal, Write};
use std::path::Path;

use dev_platform_runtime::{CsvExport, CsvRow, Error, ExportError, PageStream};
use futures_util::TryStreamExt;
use serde::Serialize;

/// A failed command, printed as one line on standard error.
#[derive(Debug)]
pub struct Failure(String);

impl Failure {
    /// A `--body` that is not the operation's JSON.
    pub fn body(error: serde_json::Error) -> Self {
        Self(format!("--body is not valid for this operation: {error}"))
    }

    /// Any other message.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        match error {
            // A line per deviation: what a maintainer reads to edit the spec.
            Error::Deviations(deviations) => Self(format!(
                "the response strays from the spec (--strict) in {} places:\n{deviations:#}",
                deviations.count()
            )),
            error => Self(error.to_string()),
        }
    }
}

impl From<ExportError> for Failure {
    fn from(error: ExportError) -> Self {
        Self(error.to_string())
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Self(format!("cannot write the output: {error}"))
    }
}

/// A new temporary file in `path`'s folder, named after it
/// (`.commits.csv.XXXXXX.partial`), removed when dropped unless persisted;
/// created with the permissions a new file gets (0666 less the umask).
fn partial_beside(path: &Path) -> Result<tempfile::NamedTempFile, Failure> {
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |name| name.to_string_lossy());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".partial");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder
        .tempfile_in(folder)
        .map_err(|error| Failure::new(format!("cannot write in {}: {error}", folder.display())))
}

/// Where a command writes its answer.
pub struct Output {
    writer: Box<dyn Write + Send>,
    pretty: bool,
    stdout: bool,
}

impl Output {
    /// Standard output: pretty JSON on a terminal, compact when piped.
    pub fn stdout() -> Self {
        Self {
            pretty: std::io::stdout().is_terminal(),
            writer: Box::new(std::io::stdout()),
            stdout: true,
        }
    }

    /// Any writer (tests), compact JSON.
    pub fn to(writer: impl Write + Send + 'static) -> Self {
        Self {
            writer: Box::new(writer),
            pretty: false,
            stdout: false,
        }
    }

    /// Writes one JSON value and a line break.
    pub fn json<T: Serialize>(&mut self, value: &T) -> Result<(), Failure> {
        let text = if self.pretty {
            serde_json::to_string_pretty(value)
        } else {
            serde_json::to_string(value)
        }
        .map_err(|error| Failure::new(format!("cannot print the answer: {error}")))?;
        writeln!(self.writer, "{text}")?;
        Ok(())
    }

    /// Writes every item of every page as one JSON array, fetching at most
    /// `max_pages` pages when given (`--max-pages`).
    pub async fn stream<'a, T: Serialize + Send + Clone + PartialEq + 'a>(
        &mut self,
        mut pages: PageStream<'a, T>,
        max_pages: Option<u64>,
    ) -> Result<(), Failure> {
        if let Some(limit) = max_pages {
            pages = pages.max_pages(limit);
        }
        let items: Vec<T> = pages.try_collect().await?;
        self.json(&items)
    }

    /// Copies a CSV export to `file`, or to this output.
    pub async fn csv<T: CsvRow>(
        &mut self,
        export: CsvExport<T>,
        file: Option<&Path>,
    ) -> Result<(), Failure> {
        match file {
            Some(path) => {
                // Complete or not at all: the export goes to a temporary file
                // beside `path`, renamed into place only once it is whole; on
                // any failure (or when this future is dropped, on Ctrl-C) the
                // temporary file is removed with `partial`.
                let partial = partial_beside(path)?;
                let mut file = tokio::fs::File::from_std(partial.as_file().try_clone()?);
                export.copy_to(&mut file).await?;
                file.sync_all().await?;
                drop(file);
                partial.persist(path).map_err(|error| {
                    Failure::new(format!("cannot write {}: {}", path.display(), error.error))
                })?;
            }
            // Streamed to standard output, in flat memory.
            None if self.stdout => {
                export.copy_to(&mut tokio::io::stdout()).await?;
            }
            None => {
                let mut buffer = Vec::new();
                export.copy_to(&mut buffer).await?;
                self.writer.write_all(&buffer)?;
            }
        }
        self.writer.flush()?;
        Ok(())
    }
}
