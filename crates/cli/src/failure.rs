//! [`Failure`]: why a command failed, as one line on standard error and an
//! exit code a script can tell apart.

use std::fmt;

use dev_platform_runtime::{Error, ExportError};

/// What kind of failure ended a command, and so its exit code.
///
/// | code | kind |
/// |-----:|------|
/// | 0 | success (also when the reader of standard output went away: `devplat … \| head -1`) |
/// | 1 | anything else: no token, a bad base URL, a file that cannot be written |
/// | 2 | usage: a wrong argument, found by the command line or before the request was sent |
/// | 3 | the provider answered with an error (status, code, message and request id are printed) |
/// | 4 | network: the connection failed or timed out, before or during the answer |
/// | 5 | the answer could not be used: not decodable, cut off, paging wrongly, or (`--strict`) not as documented |
/// | 130, 143 | interrupted by SIGINT (Ctrl-C) or SIGTERM |
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// Exit code 1: configuration, files, anything else.
    Other,
    /// Exit code 2: a wrong argument.
    Usage,
    /// Exit code 3: the provider answered with an error.
    Provider,
    /// Exit code 4: the connection failed or timed out.
    Network,
    /// Exit code 5: the answer could not be used.
    Answer,
    /// Standard output was closed by its reader: the command stops quietly,
    /// with exit code 0.
    ClosedOutput,
}

impl Kind {
    /// The process's exit code for this kind.
    pub fn exit_code(self) -> u8 {
        match self {
            Self::ClosedOutput => 0,
            Self::Other => 1,
            Self::Usage => 2,
            Self::Provider => 3,
            Self::Network => 4,
            Self::Answer => 5,
        }
    }
}

/// The exit codes, as `--help` and the README show them.
pub const EXIT_CODES: &str = "\
Exit codes:
  0  success (also when the reader of the output goes away: devplat ... | head -1)
  1  anything else: no token, a bad base URL, a file that cannot be written
  2  usage: a wrong argument, found by the command line or before the request is sent
  3  the provider answered with an error: status, code, message and request id on one line
  4  network: the connection failed or timed out
  5  the answer could not be used: not decodable, cut off, paging wrongly, or not as documented (--strict)
  130, 143  interrupted (Ctrl-C, SIGTERM)";

/// A failed command, printed as one line on standard error (a strict-mode
/// failure: a line per deviation).
#[derive(Debug)]
pub struct Failure {
    kind: Kind,
    message: String,
}

impl Failure {
    /// A failure of `kind`.
    pub fn of(kind: Kind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// A `--body` that is not the operation's JSON (a usage error).
    pub fn body(error: serde_json::Error) -> Self {
        Self::of(
            Kind::Usage,
            format!("--body is not valid for this operation: {error}"),
        )
    }

    /// Any other failure (exit code 1).
    pub fn new(message: impl Into<String>) -> Self {
        Self::of(Kind::Other, message)
    }

    /// What kind of failure it is.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The process's exit code for it.
    pub fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Line breaks and runs of white space as single spaces: a provider's message
/// stays on its line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let kind = match &error {
            Error::InvalidRequest(_) => Kind::Usage,
            Error::Api(_) | Error::Redirect { .. } => Kind::Provider,
            Error::Timeout(_) | Error::Network(_) => Kind::Network,
            _ => Kind::Answer,
        };
        let message = match error {
            // A line per deviation: what a maintainer reads to edit the spec.
            Error::Deviations(deviations) => format!(
                "the response strays from the spec (--strict) in {} places:\n{deviations:#}",
                deviations.count()
            ),
            Error::Api(api) => one_line(&api.to_string()),
            error => one_line(&error.to_string()),
        };
        Self::of(kind, message)
    }
}

impl From<ExportError> for Failure {
    fn from(error: ExportError) -> Self {
        match error {
            ExportError::Write(error) => error.into(),
            ExportError::Body(_) => Self::of(Kind::Network, error.to_string()),
            error => Self::of(Kind::Answer, error.to_string()),
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            return Self::of(Kind::ClosedOutput, "the output was closed by its reader");
        }
        Self::new(format!("cannot write the output: {error}"))
    }
}
