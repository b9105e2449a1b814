//! A file written whole or not at all: a temporary file beside its path,
//! renamed into place once complete.

use std::path::Path;

use crate::failure::Failure;

/// A new temporary file in `path`'s folder, named after it
/// (`.commits.csv.XXXXXX.partial`), removed when dropped unless persisted;
/// created with the permissions a new file gets (0666 less the umask).
pub fn beside(path: &Path) -> Result<tempfile::NamedTempFile, Failure> {
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
