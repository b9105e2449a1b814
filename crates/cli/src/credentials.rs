//! Where `devplat` keeps a provider's token between runs: the operating
//! system's keyring (the macOS Keychain, the Windows Credential Manager, the
//! Linux kernel's persistent keyring), through the `keyring` crate, one entry
//! per provider under the service `devplat`. `devplat auth login` stores it,
//! `devplat auth logout` deletes it, and a command reads it when the
//! provider's variable (`GITCODE_TOKEN`) is not set: the variable wins.
//!
//! For tests, [`TEST_KEYRING_FILE`] names a file that stands in for the
//! system keyring (a JSON map, plain text: never for real tokens).

use std::any::Any;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use keyring::credential::CredentialApi;

/// The keyring service the entries are stored under.
pub const SERVICE: &str = "devplat";

/// A variable naming a file used instead of the system keyring, for tests
/// on machines without one (CI). The file holds the tokens in plain text.
pub const TEST_KEYRING_FILE: &str = "DEVPLAT_TEST_KEYRING_FILE";

/// The providers whose token can be stored, by name, with their variable.
pub const PROVIDERS: [(&str, &str); 3] = [
    ("gitcode", gitcode_api::client::TOKEN_ENV),
    ("qoder", qoder_api::client::TOKEN_ENV),
    ("devin", devin_api::client::TOKEN_ENV),
];

/// Why a token could not be stored, read or deleted.
#[derive(Debug)]
pub struct KeyringError {
    /// The provider's token variable, the way around a missing keyring.
    env: &'static str,
    error: keyring::Error,
}

impl std::fmt::Display for KeyringError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.error {
            keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_) => write!(
                f,
                "no system keyring is available here ({}); set {} instead",
                self.error, self.env
            ),
            error => write!(f, "the system keyring failed: {error}"),
        }
    }
}

impl std::error::Error for KeyringError {}

/// The token variable of a provider.
pub fn token_env(provider: &str) -> Option<&'static str> {
    PROVIDERS
        .iter()
        .find(|(name, _)| *name == provider)
        .map(|(_, env)| *env)
}

/// A provider's entry: in the file `TEST_KEYRING_FILE` names, else in the
/// system keyring.
fn entry(
    env: &'static str,
    vars: &(dyn Fn(&str) -> Option<String> + Sync),
) -> Result<keyring::Entry, KeyringError> {
    let user = env.to_ascii_lowercase();
    match vars(TEST_KEYRING_FILE) {
        Some(path) => Ok(keyring::Entry::new_with_credential(Box::new(
            FileCredential {
                path: PathBuf::from(path),
                user,
            },
        ))),
        None => keyring::Entry::new(SERVICE, &user).map_err(|error| KeyringError { env, error }),
    }
}

/// Stores `token` as the token of the provider whose variable is `env`.
pub fn save(
    env: &'static str,
    token: &str,
    vars: &(dyn Fn(&str) -> Option<String> + Sync),
) -> Result<(), KeyringError> {
    entry(env, vars)?
        .set_password(token)
        .map_err(|error| match error {
            // Linux without a session keyring (a container, a CI runner) finds
            // no keyring to add to.
            keyring::Error::NoEntry => KeyringError {
                env,
                error: keyring::Error::NoStorageAccess("no keyring to store in".into()),
            },
            error => KeyringError { env, error },
        })
}

/// The stored token of the provider whose variable is `env`: `Ok(None)` when
/// none is stored.
pub fn load(
    env: &'static str,
    vars: &(dyn Fn(&str) -> Option<String> + Sync),
) -> Result<Option<String>, KeyringError> {
    match entry(env, vars)?.get_password() {
        Ok(token) => Ok(Some(token)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(error) => Err(KeyringError { env, error }),
    }
}

/// Deletes the stored token; whether there was one.
pub fn delete(
    env: &'static str,
    vars: &(dyn Fn(&str) -> Option<String> + Sync),
) -> Result<bool, KeyringError> {
    match entry(env, vars)?.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(error) => Err(KeyringError { env, error }),
    }
}

/// The variables as a command reads them: `vars`, and for a token variable
/// `vars` does not hold, the token `devplat auth login` stored (a keyring
/// that cannot be read counts as none: the missing variable is then the
/// error the user sees).
pub fn or_stored<'v>(
    vars: &'v (dyn Fn(&str) -> Option<String> + Sync),
) -> impl Fn(&str) -> Option<String> + Sync + 'v {
    move |name: &str| {
        vars(name).or_else(|| {
            let env = PROVIDERS
                .iter()
                .map(|(_, env)| *env)
                .find(|env| *env == name)?;
            load(env, vars).ok().flatten()
        })
    }
}

/// A credential kept in a JSON file (`{"gitcode_token": "..."}`): the test
/// stand-in for the system keyring. Each change rewrites the file whole
/// (written beside it, then renamed over it), readable by its owner only.
struct FileCredential {
    path: PathBuf,
    user: String,
}

impl FileCredential {
    fn read(&self) -> keyring::Result<BTreeMap<String, String>> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|error| keyring::Error::PlatformFailure(Box::new(error))),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(error) => Err(keyring::Error::NoStorageAccess(Box::new(error))),
        }
    }

    fn write(&self, entries: &BTreeMap<String, String>) -> keyring::Result<()> {
        let failed = |error: std::io::Error| keyring::Error::NoStorageAccess(Box::new(error));
        let directory = self.path.parent().unwrap_or(Path::new("."));
        let mut file = tempfile::NamedTempFile::new_in(directory).map_err(failed)?;
        serde_json::to_writer(&mut file, entries)
            .map_err(|error| keyring::Error::PlatformFailure(Box::new(error)))?;
        file.persist(&self.path)
            .map_err(|error| failed(error.error))?;
        Ok(())
    }
}

impl CredentialApi for FileCredential {
    fn set_secret(&self, secret: &[u8]) -> keyring::Result<()> {
        let secret = String::from_utf8(secret.to_vec())
            .map_err(|error| keyring::Error::BadEncoding(error.into_bytes()))?;
        let mut entries = self.read()?;
        entries.insert(self.user.clone(), secret);
        self.write(&entries)
    }

    fn get_secret(&self) -> keyring::Result<Vec<u8>> {
        self.read()?
            .remove(&self.user)
            .map(String::into_bytes)
            .ok_or(keyring::Error::NoEntry)
    }

    fn delete_credential(&self) -> keyring::Result<()> {
        let mut entries = self.read()?;
        if entries.remove(&self.user).is_none() {
            return Err(keyring::Error::NoEntry);
        }
        self.write(&entries)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn debug_fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FileCredential({}, {})", self.path.display(), self.user)
    }
}
