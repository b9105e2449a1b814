//! `cargo xtask release [--dry-run] [--base REV] [--no-semver-checks] [--date YYYY-MM-DD]`:
//! each published crate's next version, from what changed since the last
//! release, and its changelog.
//!
//! The last release is the commit that last changed [`RECORD`] (`release.toml`,
//! which this command writes: the versions released and the commit they were
//! computed from). Since then, per published crate (`crates/*` without
//! `publish = false`):
//!
//! - a provider crate's generated surface is compared with its snapshot at the
//!   release ([`semver::diff`]): each change is an "Added" or a "Breaking" line;
//! - a crate's hand-written files (anything but `generated.rs`), or the
//!   generator (`xtask/src/generate*`) for a provider crate, changed: its Rust
//!   API is compared by cargo-semver-checks (a breaking change it reports is a
//!   "Breaking" line);
//! - each commit that touched the crate is a "Changed" line (a patch), unless
//!   the crate's only change is its generated surface's, which the lines above
//!   already say;
//! - a crate whose dependency (one of ours) takes a breaking version takes one
//!   too: the dependency's types are in its API.
//!
//! The next version is the smallest the changes need ([`Version::required`];
//! a change that is neither added nor breaking needs a patch), or the version
//! the manifest already has when that is higher. The command writes the
//! versions (a crate whose version leaves the workspace's gets its own), every
//! dependent's requirement (`[workspace.dependencies]`), a section of each
//! released crate's `CHANGELOG.md` (Keep a Changelog) and [`RECORD`];
//! `--dry-run` prints the same and writes nothing.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use xtask::semver::{self, Change, Class, Version};

use crate::bump::{self, Tree};

/// The record of the last release, at the workspace root.
pub const RECORD: &str = "release.toml";

/// What `release` was asked.
pub struct Options {
    /// Print, write nothing.
    pub dry_run: bool,
    /// The revision to compare with, instead of the last release.
    pub base: Option<String>,
    /// Whether to run cargo-semver-checks on crates whose hand-written files
    /// changed (off: their changes count as a patch, and the report says so).
    pub semver_checks: bool,
    /// The release's date (`YYYY-MM-DD`).
    pub date: String,
}

/// A published crate of the workspace.
struct Crate {
    /// Its folder under `crates/`.
    dir: String,
    /// Its package name.
    name: String,
    /// Its version now.
    version: Version,
    /// Whether its manifest says `version.workspace = true`.
    workspace_version: bool,
    /// Whether it is generated from a spec (`specs/<dir>.yaml` or `specs/<dir>/`).
    generated: bool,
    /// The workspace crates it depends on (normal dependencies).
    dependencies: Vec<String>,
}

/// One line of a changelog section.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Entry {
    /// A change of the public API, added or breaking.
    Api(Change),
    /// Anything else that changed (a commit's subject).
    Changed(String),
}

impl Entry {
    /// The version change it needs: `None` for a patch.
    fn class(&self) -> Option<Class> {
        match self {
            Entry::Api(change) => Some(change.class),
            Entry::Changed(_) => None,
        }
    }
}

/// A crate's release: its versions and changelog entries.
struct Planned {
    krate: Crate,
    base: Option<Version>,
    next: Version,
    entries: Vec<Entry>,
    /// cargo-semver-checks was skipped for a hand-written change.
    unchecked: bool,
}

/// Brings the lock files' entries of the workspace's own packages to their
/// new versions (the workspace's, and those of a workspace of its own below it
/// such as `fuzz/`; nothing else moves: `cargo metadata` only records what
/// changed), so that `--locked` builds still pass.
fn update_lock(root: &Path) -> Result<(), String> {
    let folders = std::fs::read_dir(root)
        .map_err(|error| format!("cannot list {}: {error}", root.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_dir())
        .chain(std::iter::once(root.to_path_buf()));
    for folder in folders.filter(|folder| folder.join("Cargo.lock").is_file()) {
        let status = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
            .args(["metadata", "--offline", "--format-version", "1"])
            .current_dir(&folder)
            .stdout(std::process::Stdio::null())
            .status()
            .map_err(|error| format!("cannot run cargo metadata: {error}"))?;
        if !status.success() {
            return Err(format!(
                "`cargo metadata --offline` failed in {}: its Cargo.lock still has the old versions",
                folder.display()
            ));
        }
    }
    Ok(())
}

/// Runs `cargo xtask release`; the report it prints.
pub fn release(root: &Path, options: &Options) -> Result<String, String> {
    let base = match &options.base {
        Some(base) => base.clone(),
        None => last_release(root)?.ok_or_else(|| {
            format!(
                "no release yet ({RECORD} has never been committed): name the revision the \
                 first release starts from with --base REV"
            )
        })?,
    };
    bump::verify_rev(root, &base)?;
    let crates = published_crates(root)?;
    let generator_changed = generator_changed(root, &base)?;
    let mut plans: Vec<Planned> = Vec::new();
    for krate in order_by_dependencies(crates) {
        let tree = Tree::Rev { root, rev: &base };
        let base_version = bump::package_version(tree, &krate.dir)?;
        let mut entries = Vec::new();
        if krate.generated {
            let generated = std::fs::read_to_string(
                root.join("crates")
                    .join(&krate.dir)
                    .join("src/generated.rs"),
            )
            .map_err(|error| format!("crates/{}/src/generated.rs: {error}", krate.dir))?;
            let now = xtask::surface::describe(&generated)?;
            if let Some(snapshot) = bump::surface_snapshot(tree, &krate.dir)? {
                entries.extend(semver::diff(&snapshot, &now).into_iter().map(Entry::Api));
            }
        }
        let hand_written = hand_written_change(root, &base, &krate, generator_changed)?;
        let mut unchecked = false;
        if hand_written {
            if options.semver_checks {
                entries.extend(semver_checks(root, &krate.name, &base)?.map(Entry::Api));
            } else {
                unchecked = true;
            }
        }
        // What changed beyond the public API (a hand-written fix, or generated
        // code whose surface stayed the same: a documented limit, a
        // description): each commit that touched the crate, a patch.
        let surface_only = krate.generated && !entries.is_empty() && !hand_written;
        let files = changed_files(root, &base, &format!("crates/{}", krate.dir))?;
        if !surface_only && (hand_written || !files.is_empty()) {
            entries.extend(
                commit_subjects(root, &base, &format!("crates/{}", krate.dir))?
                    .into_iter()
                    .map(Entry::Changed),
            );
        }
        for dependency in &krate.dependencies {
            let Some(plan) = plans.iter().find(|plan| &plan.krate.name == dependency) else {
                continue;
            };
            let breaking = plan.base.is_some_and(|base| {
                plan.next != base && base.required(Class::Breaking) <= plan.next
            });
            if breaking {
                entries.push(Entry::Api(Change {
                    class: Class::Breaking,
                    what: format!(
                        "requires `{dependency}` {}, whose types are in this crate's API",
                        plan.next
                    ),
                }));
            }
        }
        let next = next_version(base_version, krate.version, &entries);
        plans.push(Planned {
            krate,
            base: base_version,
            next,
            entries,
            unchecked,
        });
    }
    let mut report = format!("the published crates since {base}:\n");
    for plan in &plans {
        report.push_str(&plan.summary());
        report.push('\n');
        if !plan.entries.is_empty() {
            report.push_str(&plan.section(&options.date));
        }
    }
    if options.dry_run {
        report.push_str("\n(--dry-run: nothing written)\n");
        return Ok(report);
    }
    write_release(root, &plans, &options.date)?;
    update_lock(root)?;
    report.push_str(&format!(
        "\nwritten: the versions (Cargo.lock's entries of the workspace's packages too), each \
         released crate's CHANGELOG.md and {RECORD}; commit them as the release (the version \
         checks compare with that commit from then on)\n"
    ));
    Ok(report)
}

/// The next version of a crate released at `base` (none: a new crate) with
/// `entries`, at least `current`.
fn next_version(base: Option<Version>, current: Version, entries: &[Entry]) -> Version {
    let Some(base) = base else {
        return current;
    };
    if entries.is_empty() {
        return current.max(base);
    }
    let required = match entries.iter().filter_map(Entry::class).max() {
        Some(class) => base.required(class),
        // A change that is neither added nor breaking: the next patch.
        None => Version::parse(&format!("{}.{}.{}", base.major, base.minor, base.patch + 1))
            .expect("a version"),
    };
    required.max(current)
}

impl Planned {
    /// `name: 0.3.0 -> 0.3.1 (additive)`, or `name 0.3.0: unchanged`.
    fn summary(&self) -> String {
        let name = &self.krate.name;
        match self.base {
            None => format!("{name} {}: new, first released now", self.next),
            Some(base) if self.entries.is_empty() && self.next == base => {
                format!("{name} {base}: unchanged")
            }
            Some(base) => {
                let class = match self.entries.iter().filter_map(Entry::class).max() {
                    Some(class) => class.to_string(),
                    None => "changed".to_owned(),
                };
                let unchecked = if self.unchecked {
                    " (its hand-written API was not checked: --no-semver-checks)"
                } else {
                    ""
                };
                format!("{name}: {base} -> {} ({class}){unchecked}", self.next)
            }
        }
    }

    /// The crate's changelog section for this release.
    fn section(&self, date: &str) -> String {
        let mut added = Vec::new();
        let mut changed = Vec::new();
        let mut removed = Vec::new();
        for entry in &self.entries {
            match entry {
                Entry::Api(Change {
                    class: Class::Additive,
                    what,
                }) => added.push(what.clone()),
                Entry::Api(Change {
                    class: Class::Breaking,
                    what,
                }) if what.ends_with(" removed") => removed.push(format!("**Breaking:** {what}")),
                Entry::Api(Change {
                    class: Class::Breaking,
                    what,
                }) => changed.push(format!("**Breaking:** {what}")),
                Entry::Changed(subject) => changed.push(subject.clone()),
            }
        }
        let mut section = format!("## [{}] - {date}\n", self.next);
        for (heading, lines) in [("Added", added), ("Changed", changed), ("Removed", removed)] {
            if lines.is_empty() {
                continue;
            }
            let _ = write!(section, "\n### {heading}\n\n");
            for line in lines {
                let _ = writeln!(section, "- {line}");
            }
        }
        section
    }
}

/// Whether the Rust API of `krate` may have changed since `base` in a way its
/// generated surface does not show: a hand-written file changed (anything but
/// `generated.rs`), or, for a provider crate, the generator. A change of the
/// spec alone is the surface diff's ([`semver::diff`]).
fn hand_written_change(
    root: &Path,
    base: &str,
    krate: &Crate,
    generator_changed: bool,
) -> Result<bool, String> {
    let files = changed_files(root, base, &format!("crates/{}", krate.dir))?;
    Ok(files.iter().any(|file| !file.ends_with("/generated.rs"))
        || (krate.generated && generator_changed))
}

/// Whether the generator (`xtask/src/generate*`) changed since `base`.
fn generator_changed(root: &Path, base: &str) -> Result<bool, String> {
    Ok(!changed_files(root, base, "xtask/src/generate")?.is_empty()
        || !changed_files(root, base, "xtask/src/generate.rs")?.is_empty())
}

/// The published crates cargo-semver-checks must compare with `base`: those
/// whose Rust API may have changed beyond their generated surface
/// ([`hand_written_change`]).
pub fn semver_check_packages(root: &Path, base: &str) -> Result<Vec<String>, String> {
    bump::verify_rev(root, base)?;
    let generator_changed = generator_changed(root, base)?;
    let mut packages = Vec::new();
    for krate in published_crates(root)? {
        if hand_written_change(root, base, &krate, generator_changed)? {
            packages.push(krate.name);
        }
    }
    Ok(packages)
}

/// The revision of the last release: the commit that last changed [`RECORD`].
pub fn last_release(root: &Path) -> Result<Option<String>, String> {
    let output = git(root, &["log", "-1", "--format=%H", "--", RECORD])?;
    let commit = String::from_utf8_lossy(&output).trim().to_owned();
    Ok((!commit.is_empty()).then_some(commit))
}

/// The published crates, in name order.
fn published_crates(root: &Path) -> Result<Vec<Crate>, String> {
    let mut crates = Vec::new();
    let entries =
        std::fs::read_dir(root.join("crates")).map_err(|error| format!("crates/: {error}"))?;
    for entry in entries {
        let entry = entry.map_err(|error| format!("crates/: {error}"))?;
        let dir = entry.file_name().to_string_lossy().into_owned();
        let Ok(manifest) = std::fs::read_to_string(entry.path().join("Cargo.toml")) else {
            continue;
        };
        if manifest
            .lines()
            .any(|line| line.trim() == "publish = false")
        {
            continue;
        }
        let version = bump::package_version(Tree::Work(root), &dir)?
            .ok_or_else(|| format!("crates/{dir}/Cargo.toml: no version"))?;
        crates.push(Crate {
            name: bump::toml_string(&manifest, "package", "name")
                .ok_or_else(|| format!("crates/{dir}/Cargo.toml: no package name"))?,
            version,
            workspace_version: manifest
                .lines()
                .any(|line| line.trim() == "version.workspace = true"),
            generated: crate::spec::spec_path(root, &dir).is_some(),
            dependencies: Vec::new(),
            dir,
        });
    }
    let names: Vec<String> = crates.iter().map(|krate| krate.name.clone()).collect();
    for krate in &mut crates {
        let manifest =
            std::fs::read_to_string(root.join("crates").join(&krate.dir).join("Cargo.toml"))
                .map_err(|error| format!("crates/{}/Cargo.toml: {error}", krate.dir))?;
        krate.dependencies = dependencies(&manifest)
            .into_iter()
            .filter(|name| names.contains(name))
            .collect();
    }
    crates.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(crates)
}

/// The names in a manifest's `[dependencies]` table.
fn dependencies(manifest: &str) -> Vec<String> {
    let mut in_table = false;
    let mut names = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_table = line == "[dependencies]";
        } else if in_table
            && !line.starts_with('#')
            && let Some(name) = line
                .split(['=', '.', ' '])
                .next()
                .filter(|name| !name.is_empty())
        {
            names.push(name.to_owned());
        }
    }
    names
}

/// `crates` with every crate after the crates it depends on.
fn order_by_dependencies(mut crates: Vec<Crate>) -> Vec<Crate> {
    let mut ordered: Vec<Crate> = Vec::new();
    while !crates.is_empty() {
        let ready = crates
            .iter()
            .position(|krate| {
                krate
                    .dependencies
                    .iter()
                    .all(|dependency| ordered.iter().any(|done| &done.name == dependency))
            })
            // A cycle (none today): take the rest in name order.
            .unwrap_or(0);
        ordered.push(crates.remove(ready));
    }
    ordered
}

/// The files under `path` that differ between `base` and the working tree.
fn changed_files(root: &Path, base: &str, path: &str) -> Result<Vec<String>, String> {
    let output = git(root, &["diff", "--name-only", base, "--", path])?;
    Ok(String::from_utf8_lossy(&output)
        .lines()
        .map(str::to_owned)
        .collect())
}

/// The subjects of the commits since `base` that touched `path`, oldest
/// first.
fn commit_subjects(root: &Path, base: &str, path: &str) -> Result<Vec<String>, String> {
    let range = format!("{base}..HEAD");
    let output = git(
        root,
        &["log", "--reverse", "--format=%s", &range, "--", path],
    )?;
    Ok(String::from_utf8_lossy(&output)
        .lines()
        .map(str::to_owned)
        .collect())
}

/// The breaking changes cargo-semver-checks finds in `package` since `base`
/// (none when it finds none).
fn semver_checks(
    root: &Path,
    package: &str,
    base: &str,
) -> Result<impl Iterator<Item = Change>, String> {
    let output = Command::new("cargo")
        .current_dir(root)
        .args([
            "semver-checks",
            "--package",
            package,
            "--baseline-rev",
            base,
        ])
        // Asked as for a minor release (one that may not break), so that a
        // breaking change fails the check whatever version the manifest
        // already has.
        .args(["--release-type", "minor"])
        .output()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    if output.status.success() {
        return Ok(None.into_iter());
    }
    if text.contains("no such command") || text.contains("no such subcommand") {
        return Err(
            "cargo-semver-checks is not installed (`cargo install --locked cargo-semver-checks`); \
             or pass --no-semver-checks to release hand-written changes as patches, unchecked"
                .to_owned(),
        );
    }
    // Its lints name each breaking change on a `--- failure <lint>: <what> ---` line.
    let found: Vec<String> = text
        .lines()
        .filter_map(|line| line.trim().strip_prefix("--- failure "))
        .map(|line| line.trim_end_matches(" ---").to_owned())
        .collect();
    if found.is_empty() {
        return Err(format!("cargo semver-checks failed on {package}:\n{text}"));
    }
    Ok(Some(Change {
        class: Class::Breaking,
        what: format!("the Rust API (cargo-semver-checks): {}", found.join("; ")),
    })
    .into_iter())
}

/// Writes the versions, the requirements, the changelogs and the record.
fn write_release(root: &Path, plans: &[Planned], date: &str) -> Result<(), String> {
    let workspace_path = root.join("Cargo.toml");
    let mut workspace =
        std::fs::read_to_string(&workspace_path).map_err(|error| format!("Cargo.toml: {error}"))?;
    let workspace_version = bump::toml_string(&workspace, "workspace.package", "version");
    for plan in plans {
        let krate = &plan.krate;
        let next = plan.next.to_string();
        if plan.next != krate.version {
            let manifest_path = root.join("crates").join(&krate.dir).join("Cargo.toml");
            let manifest = std::fs::read_to_string(&manifest_path)
                .map_err(|error| format!("crates/{}/Cargo.toml: {error}", krate.dir))?;
            let manifest = if krate.workspace_version && workspace_version.as_deref() != Some(&next)
            {
                manifest.replacen(
                    "version.workspace = true",
                    &format!("version = \"{next}\""),
                    1,
                )
            } else {
                set_version_line(&manifest, &krate.version.to_string(), &next)
            };
            std::fs::write(&manifest_path, manifest)
                .map_err(|error| format!("crates/{}/Cargo.toml: {error}", krate.dir))?;
        }
        workspace = set_requirement(&workspace, &krate.name, &next);
        if !plan.entries.is_empty() || plan.base.is_none() {
            write_changelog(root, plan, date)?;
        }
    }
    std::fs::write(&workspace_path, workspace).map_err(|error| format!("Cargo.toml: {error}"))?;
    let head = git(root, &["rev-parse", "HEAD"])?;
    let mut record = format!(
        "# The last release, written by `cargo xtask release`: the versions released and the\n\
         # commit they were computed from. The version checks (`cargo xtask semver`,\n\
         # cargo-semver-checks in .ci/run) compare with the commit that last changed this file.\n\
         from = \"{}\"\ndate = \"{date}\"\n\n[versions]\n",
        String::from_utf8_lossy(&head).trim()
    );
    for plan in plans {
        let _ = writeln!(record, "{} = \"{}\"", plan.krate.name, plan.next);
    }
    std::fs::write(root.join(RECORD), record).map_err(|error| format!("{RECORD}: {error}"))
}

/// `manifest` with its `version = "<old>"` line (the package's) set to `new`.
fn set_version_line(manifest: &str, old: &str, new: &str) -> String {
    manifest.replacen(
        &format!("version = \"{old}\""),
        &format!("version = \"{new}\""),
        1,
    )
}

/// The workspace manifest with the requirement on `name` in
/// `[workspace.dependencies]` set to `version`.
fn set_requirement(workspace: &str, name: &str, version: &str) -> String {
    let mut out = String::with_capacity(workspace.len());
    for line in workspace.split_inclusive('\n') {
        let is_entry =
            line.trim_start().starts_with(&format!("{name} = {{")) && line.contains("path = ");
        match (is_entry, line.find("version = \"")) {
            (true, Some(at)) => {
                let start = at + "version = \"".len();
                let end = start + line[start..].find('"').unwrap_or(0);
                out.push_str(&line[..start]);
                out.push_str(version);
                out.push_str(&line[end..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// The changelog's header, for a crate without one.
fn changelog_header(name: &str) -> String {
    format!(
        "# Changelog\n\n\
         Every release of `{name}`, newest first, in the format of [Keep a\n\
         Changelog](https://keepachangelog.com/en/1.1.0/); versions follow [Semantic\n\
         Versioning](https://semver.org/) as cargo reads them (before 1.0, a breaking change\n\
         takes the next minor version). Written by `cargo xtask release`.\n"
    )
}

/// Adds the release's section to the crate's `CHANGELOG.md`, newest first.
fn write_changelog(root: &Path, plan: &Planned, date: &str) -> Result<(), String> {
    let path = root
        .join("crates")
        .join(&plan.krate.dir)
        .join("CHANGELOG.md");
    let existing =
        std::fs::read_to_string(&path).unwrap_or_else(|_| changelog_header(&plan.krate.name));
    let section = if plan.entries.is_empty() {
        format!("## [{}] - {date}\n\nThe first release.\n", plan.next)
    } else {
        plan.section(date)
    };
    let text = match existing.find("\n## [") {
        Some(at) => format!("{}\n{section}{}", &existing[..at + 1], &existing[at..]),
        None => format!(
            "{}\n{section}",
            existing.trim_end_matches('\n').to_owned() + "\n"
        ),
    };
    std::fs::write(&path, text).map_err(|error| format!("{}: {error}", path.display()))
}

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|error| format!("cannot run git: {error}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}
