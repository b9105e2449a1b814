//! The version a provider crate needs: its generated surface compared with a
//! baseline snapshot ([`xtask::semver`]), for `regenerate`'s closing report
//! (against the committed snapshot) and for `cargo xtask semver --base REV`
//! (the snapshots and versions at a git revision against the working tree),
//! which fails when a breaking change comes without the bump it needs.

use std::fmt;
use std::path::Path;
use std::process::Command;

use xtask::semver::{self, Change, Class, Version};

/// Where files are read from: the working tree, or a git revision of it.
#[derive(Clone, Copy)]
pub enum Tree<'a> {
    /// The files as they are.
    Work(&'a Path),
    /// The files at a revision of the repository at `root`.
    Rev {
        /// The workspace root.
        root: &'a Path,
        /// The revision.
        rev: &'a str,
    },
}

impl Tree<'_> {
    /// The names of the files in the folder `dir` (none when it is not there).
    pub fn list(self, dir: &str) -> Result<Vec<String>, String> {
        match self {
            Tree::Work(root) => Ok(std::fs::read_dir(root.join(dir))
                .map(|entries| {
                    entries
                        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
                        .collect()
                })
                .unwrap_or_default()),
            Tree::Rev { root, rev } => {
                let output = git(root, &["ls-tree", "--name-only", &format!("{rev}:{dir}")])?;
                Ok(String::from_utf8_lossy(&output.stdout)
                    .lines()
                    .map(str::to_owned)
                    .collect())
            }
        }
    }

    /// A file's text, or `None` when it does not exist there.
    pub fn read(self, path: &str) -> Result<Option<String>, String> {
        match self {
            Tree::Work(root) => Ok(std::fs::read_to_string(root.join(path)).ok()),
            Tree::Rev { root, rev } => {
                let output = git(root, &["show", &format!("{rev}:{path}")])?;
                Ok(output
                    .status
                    .success()
                    .then(|| String::from_utf8_lossy(&output.stdout).into_owned()))
            }
        }
    }
}

fn git(root: &Path, args: &[&str]) -> Result<std::process::Output, String> {
    Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|error| format!("cannot run git: {error}"))
}

/// Fails unless `rev` names a commit.
pub fn verify_rev(root: &Path, rev: &str) -> Result<(), String> {
    let output = git(
        root,
        &["rev-parse", "--verify", &format!("{rev}^{{commit}}")],
    )?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("`{rev}` is not a commit of this repository"))
    }
}

/// Where the surface snapshots are.
const SNAPSHOTS: &str = "tests/tests/snapshots";

/// The committed snapshot of a provider's whole surface, in one file (as
/// before the surface was snapshotted per API group, and in the xtask's own
/// test workspaces).
pub fn snapshot_path(provider: &str) -> String {
    format!("{SNAPSHOTS}/surface__{provider}.snap")
}

/// A provider's committed surface in `tree`: its snapshots per API group
/// (`surface__<provider>__<group>.snap`, in name order) as one text, else
/// its one-file snapshot; `None` when it has neither (a new crate).
pub fn surface_snapshot(tree: Tree<'_>, provider: &str) -> Result<Option<String>, String> {
    let prefix = format!("surface__{provider}__");
    let mut groups: Vec<String> = tree
        .list(SNAPSHOTS)?
        .into_iter()
        .filter(|name| name.starts_with(&prefix) && name.ends_with(".snap"))
        .collect();
    groups.sort();
    if groups.is_empty() {
        return tree.read(&snapshot_path(provider));
    }
    let mut surface = String::new();
    for name in groups {
        let text = tree
            .read(&format!("{SNAPSHOTS}/{name}"))?
            .ok_or_else(|| format!("{SNAPSHOTS}/{name}: listed but not readable"))?;
        // Each without its insta header.
        let body = text
            .strip_prefix("---\n")
            .and_then(|rest| rest.split_once("\n---\n"))
            .map_or(text.as_str(), |(_, body)| body);
        surface.push_str(body);
        surface.push('\n');
    }
    Ok(Some(surface))
}

/// A provider crate's package name and version in `tree`.
fn package(tree: Tree<'_>, provider: &str) -> Result<(String, Version), String> {
    let manifest_path = format!("crates/{provider}/Cargo.toml");
    let manifest = tree
        .read(&manifest_path)?
        .ok_or_else(|| format!("{manifest_path}: missing"))?;
    let name = toml_string(&manifest, "package", "name")
        .ok_or_else(|| format!("{manifest_path}: no package name"))?;
    let version =
        package_version(tree, provider)?.ok_or_else(|| format!("{manifest_path}: no version"))?;
    Ok((name, version))
}

/// The version of the crate in `crates/<dir>` in `tree` (its own, or the
/// workspace's), `None` when the crate is not there.
pub fn package_version(tree: Tree<'_>, dir: &str) -> Result<Option<Version>, String> {
    let Some(manifest) = tree.read(&format!("crates/{dir}/Cargo.toml"))? else {
        return Ok(None);
    };
    let version = match toml_string(&manifest, "package", "version") {
        Some(version) => Some(version),
        None => {
            let workspace = tree.read("Cargo.toml")?.unwrap_or_default();
            toml_string(&workspace, "workspace.package", "version")
        }
    };
    version.map(|version| Version::parse(&version)).transpose()
}

/// `key = "value"` in the `[table]` of a manifest (the simple form the
/// workspace's manifests use).
pub fn toml_string(manifest: &str, table: &str, key: &str) -> Option<String> {
    let header = format!("[{table}]");
    let mut in_table = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_table = line == header;
        } else if in_table
            && let Some((name, value)) = line.split_once('=')
            && name.trim() == key
        {
            return Some(value.trim().trim_matches('"').to_owned());
        }
    }
    None
}

/// One crate's changes and the version they need.
pub struct Report {
    /// The package name.
    pub name: String,
    /// The version at the baseline.
    pub base: Version,
    /// The version now.
    pub head: Version,
    /// What changed.
    pub changes: Vec<Change>,
}

impl Report {
    /// Compares `surface` (now) with the provider's snapshot in `base`.
    /// `None` when `base` has no snapshot (a new crate).
    pub fn new(
        work: &Path,
        base: Tree<'_>,
        provider: &str,
        surface: &str,
    ) -> Result<Option<Self>, String> {
        let Some(snapshot) = surface_snapshot(base, provider)? else {
            return Ok(None);
        };
        let (name, base_version) = package(base, provider)?;
        let (_, head) = package(Tree::Work(work), provider)?;
        Ok(Some(Report {
            name,
            base: base_version,
            head,
            changes: semver::diff(&snapshot, surface),
        }))
    }

    /// The version the changes need, when they need one.
    pub fn required(&self) -> Option<Version> {
        semver::class_of(&self.changes).map(|class| self.base.required(class))
    }

    /// Whether a breaking change comes without the version it needs.
    pub fn unbumped_breaking(&self) -> bool {
        semver::class_of(&self.changes) == Some(Class::Breaking)
            && self.required().is_some_and(|required| self.head < required)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = &self.name;
        let (Some(class), Some(required)) = (semver::class_of(&self.changes), self.required())
        else {
            return write!(f, "{name} {}: no change to the public surface", self.head);
        };
        // Which part `Version::required` raised: the rule lives there alone.
        let bump = if required.major != self.base.major {
            "major"
        } else if required.minor != self.base.minor {
            "minor"
        } else {
            "patch"
        };
        let count = self.changes.len();
        let plural = if count == 1 { "" } else { "s" };
        write!(
            f,
            "{name}: {count} change{plural}, {class}: needs a {bump} bump, {} -> {required}",
            self.base
        )?;
        if self.head != self.base {
            let verdict = if self.head >= required {
                "enough"
            } else {
                "not enough"
            };
            write!(f, " (Cargo.toml has {}: {verdict})", self.head)?;
        }
        for change in &self.changes {
            write!(f, "\n  {change}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use xtask::semver::{Change, Class, Version};

    use super::{Report, toml_string};

    fn report(base: &str, head: &str, classes: &[Class]) -> Report {
        Report {
            name: "probe-api".into(),
            base: Version::parse(base).unwrap(),
            head: Version::parse(head).unwrap(),
            changes: classes
                .iter()
                .map(|&class| Change {
                    class,
                    what: format!("a {class} change"),
                })
                .collect(),
        }
    }

    #[test]
    fn a_breaking_change_needs_its_version() {
        let unbumped = report("0.2.0", "0.2.0", &[Class::Additive, Class::Breaking]);
        assert!(unbumped.unbumped_breaking());
        assert_eq!(
            unbumped.to_string(),
            "probe-api: 2 changes, breaking: needs a minor bump, 0.2.0 -> 0.3.0\n  \
             additive  a additive change\n  breaking  a breaking change"
        );
        let patched = report("0.2.0", "0.2.1", &[Class::Breaking]);
        assert!(patched.unbumped_breaking(), "a patch is not enough");
        assert!(
            patched
                .to_string()
                .contains("(Cargo.toml has 0.2.1: not enough)")
        );
        let bumped = report("0.2.0", "0.3.0", &[Class::Breaking]);
        assert!(!bumped.unbumped_breaking());
        assert!(
            bumped
                .to_string()
                .contains("(Cargo.toml has 0.3.0: enough)")
        );
        let additive = report("1.2.0", "1.2.0", &[Class::Additive]);
        assert!(!additive.unbumped_breaking(), "only breaking changes fail");
        assert!(
            additive
                .to_string()
                .contains("needs a minor bump, 1.2.0 -> 1.3.0")
        );
        let none = report("0.2.0", "0.2.0", &[]);
        assert_eq!(
            none.to_string(),
            "probe-api 0.2.0: no change to the public surface"
        );
    }

    #[test]
    fn manifest_values() {
        let manifest = "[package]\nname = \"probe-api\"\nversion.workspace = true\n\n[workspace.package]\nversion = \"0.4.1\"\n";
        assert_eq!(
            toml_string(manifest, "package", "name").as_deref(),
            Some("probe-api")
        );
        assert_eq!(toml_string(manifest, "package", "version"), None);
        assert_eq!(
            toml_string(manifest, "workspace.package", "version").as_deref(),
            Some("0.4.1")
        );
    }
}
