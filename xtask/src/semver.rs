//! What a change of a generated surface means for users' semver: the text
//! [`surface::describe`](crate::surface::describe) writes, before and after,
//! parsed into operations and types and compared item by item. Each change is
//! [`Class::Breaking`] (something removed or renamed, a type changed, an
//! optional field or parameter made required, a variant added to a closed
//! enum) or [`Class::Additive`] (a new operation, a new optional field or
//! parameter, a new variant of an open enum), and [`Version::required`] says
//! the version a crate then needs.

use std::collections::BTreeMap;
use std::fmt;

/// How a change affects code written against the old surface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Code written against the old surface still compiles and behaves.
    Additive,
    /// Some code written against the old surface no longer compiles, or
    /// decodes or sends something else.
    Breaking,
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Class::Additive => "additive",
            Class::Breaking => "breaking",
        })
    }
}

/// One change of the surface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// What it means for users.
    pub class: Class,
    /// What changed, naming the operation or type.
    pub what: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<8}  {}", self.class, self.what)
    }
}

/// Every change from the surface `old` to `new` (each the text of
/// [`describe`](crate::surface::describe), or an insta snapshot of it):
/// operations first, then types, each in name order.
pub fn diff(old: &str, new: &str) -> Vec<Change> {
    let (old, new) = (Surface::parse(old), Surface::parse(new));
    let mut changes = Vec::new();
    compare_maps(
        &old.operations,
        &new.operations,
        "operation",
        &mut changes,
        Operation::compare,
        |operation| format!(" ({})", operation.request),
    );
    compare_maps(
        &old.types,
        &new.types,
        "type",
        &mut changes,
        Type::compare,
        |_| String::new(),
    );
    changes
}

/// The class of a set of changes: the strongest, or `None` when there are none.
pub fn class_of(changes: &[Change]) -> Option<Class> {
    changes.iter().map(|change| change.class).max()
}

/// A crate version, `MAJOR.MINOR.PATCH` (a pre-release or build suffix is
/// ignored).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// The major version.
    pub major: u64,
    /// The minor version.
    pub minor: u64,
    /// The patch version.
    pub patch: u64,
}

impl Version {
    /// Parses `1.2.3` (or `1.2.3-beta`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let core = text.split(['-', '+']).next().unwrap_or_default();
        let numbers: Vec<u64> = core
            .split('.')
            .map(|part| part.parse::<u64>())
            .collect::<Result<_, _>>()
            .map_err(|_| format!("`{text}` is not a MAJOR.MINOR.PATCH version"))?;
        match numbers[..] {
            [major, minor, patch] => Ok(Self {
                major,
                minor,
                patch,
            }),
            _ => Err(format!("`{text}` is not a MAJOR.MINOR.PATCH version")),
        }
    }

    /// The smallest version that may carry changes of `class` made since
    /// `self` was released, as cargo reads versions: before 1.0 a breaking
    /// change needs the next minor version and an additive one the next
    /// patch; from 1.0, the next major and the next minor.
    pub fn required(self, class: Class) -> Version {
        let Version {
            major,
            minor,
            patch,
        } = self;
        match (major, class) {
            (0, Class::Breaking) => Version::new(0, minor + 1, 0),
            (0, Class::Additive) => Version::new(0, minor, patch + 1),
            (_, Class::Breaking) => Version::new(major + 1, 0, 0),
            (_, Class::Additive) => Version::new(major, minor + 1, 0),
        }
    }

    fn new(major: u64, minor: u64, patch: u64) -> Self {
        Self {
            major,
            minor,
            patch,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Compares two maps by key: removed (breaking), added (additive), or the
/// same name compared by `compare`; `label` says more of an item added or
/// removed (an operation's request).
fn compare_maps<T>(
    old: &BTreeMap<String, T>,
    new: &BTreeMap<String, T>,
    kind: &str,
    changes: &mut Vec<Change>,
    compare: impl Fn(&str, &T, &T, &mut Vec<Change>),
    label: impl Fn(&T) -> String,
) {
    for (name, before) in old {
        match new.get(name) {
            None => changes.push(Change {
                class: Class::Breaking,
                what: format!("{kind} `{name}`{} removed", label(before)),
            }),
            Some(after) => compare(name, before, after, changes),
        }
    }
    for (name, after) in new.iter().filter(|(name, _)| !old.contains_key(*name)) {
        changes.push(Change {
            class: Class::Additive,
            what: format!("{kind} `{name}`{} added", label(after)),
        });
    }
}

/// A surface, parsed.
#[derive(Debug, Default)]
struct Surface {
    operations: BTreeMap<String, Operation>,
    types: BTreeMap<String, Type>,
}

/// `GET /orgs/{org} -> get_org(org: String) -> Organization | Error; .stream() -> …`
#[derive(Debug)]
struct Operation {
    /// `GET /orgs/{org}`.
    request: String,
    /// Parameter name → type, in order.
    params: Vec<(String, String)>,
    /// `Organization | Error`, with the envelope note if any.
    response: String,
    /// `.stream()` → `PageStream<Organization>`.
    extras: BTreeMap<String, String>,
}

#[derive(Debug)]
enum Type {
    Struct {
        non_exhaustive: bool,
        /// Field → (wire names, type).
        fields: BTreeMap<String, (String, String)>,
    },
    Enum {
        open: bool,
        /// Variant → its wire value.
        variants: BTreeMap<String, String>,
    },
    /// A tuple or unit struct: compared as its line.
    Other(String),
}

impl Surface {
    fn parse(text: &str) -> Self {
        let body = snapshot_body(text);
        let mut surface = Surface::default();
        let mut lines = body.lines();
        let mut section = "";
        while let Some(line) = lines.next() {
            if let Some(heading) = line.strip_prefix("## ") {
                section = heading;
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            match section {
                "Operations" => {
                    if let Some((name, operation)) = Operation::parse(line) {
                        surface.operations.insert(name, operation);
                    }
                }
                "Types" => {
                    if let Some((name, ty)) = Type::parse(line, &mut lines) {
                        surface.types.insert(name, ty);
                    }
                }
                _ => {}
            }
        }
        surface
    }
}

/// The text of an insta snapshot without its `---` header, or `text` itself.
fn snapshot_body(text: &str) -> &str {
    text.strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map_or(text, |(_, body)| body)
}

/// Splits at the commas outside `<>` and `()`.
fn split_top(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (at, c) in text.char_indices() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(text[start..at].trim());
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim());
    parts.retain(|part| !part.is_empty());
    parts
}

fn is_option(ty: &str) -> bool {
    ty.starts_with("Option<")
}

/// `Option<T>` → `T`.
fn unoption(ty: &str) -> Option<&str> {
    ty.strip_prefix("Option<")?.strip_suffix('>')
}

impl Operation {
    fn parse(line: &str) -> Option<(String, Operation)> {
        let (request, rest) = line.split_once(" -> ")?;
        let open = rest.find('(')?;
        let name = rest[..open].to_owned();
        let mut depth = 0usize;
        let close = rest[open..].char_indices().find_map(|(at, c)| {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(open + at);
                    }
                }
                _ => {}
            }
            None
        })?;
        let params = split_top(&rest[open + 1..close])
            .into_iter()
            .filter_map(|param| param.split_once(": "))
            .map(|(name, ty)| (name.to_owned(), ty.to_owned()))
            .collect();
        let mut outputs = rest[close + 1..].trim_start_matches(" -> ").split("; ");
        let response = outputs.next().unwrap_or_default().to_owned();
        let extras = outputs
            .filter_map(|extra| extra.split_once(" -> "))
            .map(|(method, ty)| (method.to_owned(), ty.to_owned()))
            .collect();
        Some((
            name,
            Operation {
                request: request.to_owned(),
                params,
                response,
                extras,
            },
        ))
    }

    fn compare(name: &str, old: &Operation, new: &Operation, changes: &mut Vec<Change>) {
        let mut change = |class, what: String| {
            changes.push(Change {
                class,
                what: format!("operation `{name}`: {what}"),
            })
        };
        if old.request != new.request {
            change(
                Class::Breaking,
                format!("sends `{}` instead of `{}`", new.request, old.request),
            );
        }
        let find = |params: &[(String, String)], key: &str| {
            params
                .iter()
                .find(|(param, _)| param == key)
                .map(|(_, ty)| ty.clone())
        };
        for (param, before) in &old.params {
            match find(&new.params, param) {
                None => change(Class::Breaking, format!("parameter `{param}` removed")),
                Some(after) if after == *before => {}
                // A builder's setter takes `T` for a required and an optional
                // parameter alike: only a required one can break a call.
                Some(after) if unoption(before) == Some(after.as_str()) => change(
                    Class::Breaking,
                    format!("parameter `{param}` made required (`{after}`)"),
                ),
                Some(after) if unoption(&after) == Some(before.as_str()) => change(
                    Class::Additive,
                    format!("parameter `{param}` made optional (`{after}`)"),
                ),
                Some(after) => change(
                    Class::Breaking,
                    format!("parameter `{param}` changed from `{before}` to `{after}`"),
                ),
            }
        }
        for (param, ty) in &new.params {
            if find(&old.params, param).is_none() {
                if is_option(ty) {
                    change(
                        Class::Additive,
                        format!("optional parameter `{param}: {ty}` added"),
                    );
                } else {
                    change(
                        Class::Breaking,
                        format!("required parameter `{param}: {ty}` added"),
                    );
                }
            }
        }
        if old.response != new.response {
            change(
                Class::Breaking,
                format!("returns `{}` instead of `{}`", new.response, old.response),
            );
        }
        for (method, before) in &old.extras {
            match new.extras.get(method) {
                None => change(Class::Breaking, format!("`{method}` removed")),
                Some(after) if after != before => change(
                    Class::Breaking,
                    format!("`{method}` returns `{after}` instead of `{before}`"),
                ),
                Some(_) => {}
            }
        }
        for (method, ty) in &new.extras {
            if !old.extras.contains_key(method) {
                change(Class::Additive, format!("`{method} -> {ty}` added"));
            }
        }
    }
}

impl Type {
    /// Parses the type that starts at `line`, reading a struct's field lines
    /// from `rest`.
    fn parse<'a>(line: &str, rest: &mut impl Iterator<Item = &'a str>) -> Option<(String, Type)> {
        let (non_exhaustive, line) = match line.strip_prefix("#[non_exhaustive] ") {
            Some(line) => (true, line),
            None => (false, line),
        };
        if let Some(header) = line.strip_prefix("struct ")
            && let Some(name) = header.strip_suffix(" {")
        {
            let mut fields = BTreeMap::new();
            for field in rest.by_ref() {
                if field == "}" {
                    break;
                }
                let field = field.trim().trim_end_matches(',');
                let Some((head, ty)) = field.rsplit_once(": ") else {
                    continue;
                };
                let (ident, wire) = head.split_once(' ').unwrap_or((head, ""));
                fields.insert(ident.to_owned(), (wire.to_owned(), ty.to_owned()));
            }
            let ty = Type::Struct {
                non_exhaustive,
                fields,
            };
            return Some((name.to_owned(), ty));
        }
        let (open, enum_line) = match line.strip_prefix("open enum ") {
            Some(rest) => (true, Some(rest)),
            None => (false, line.strip_prefix("enum ")),
        };
        if let Some(enum_line) = enum_line {
            let (name, body) = enum_line.split_once(" { ")?;
            let body = body.strip_suffix(" }")?;
            let variants = split_top(body)
                .into_iter()
                .filter(|variant| *variant != "Unknown(UnknownValue)")
                .map(|variant| match variant.split_once(" = ") {
                    Some((ident, wire)) => (ident.to_owned(), wire.to_owned()),
                    None => (variant.to_owned(), String::new()),
                })
                .collect();
            return Some((name.to_owned(), Type::Enum { open, variants }));
        }
        let name = line
            .strip_prefix("struct ")?
            .split(['(', ' '])
            .next()?
            .to_owned();
        Some((name, Type::Other(line.to_owned())))
    }

    fn compare(name: &str, old: &Type, new: &Type, changes: &mut Vec<Change>) {
        let mut change = |class, what: String| {
            changes.push(Change {
                class,
                what: format!("type `{name}`: {what}"),
            })
        };
        match (old, new) {
            (
                Type::Struct {
                    non_exhaustive: was_closed_to_literals,
                    fields: before,
                },
                Type::Struct {
                    non_exhaustive,
                    fields: after,
                },
            ) => {
                if *non_exhaustive && !was_closed_to_literals {
                    change(
                        Class::Breaking,
                        "made `#[non_exhaustive]` (no struct literal)".into(),
                    );
                } else if !non_exhaustive && *was_closed_to_literals {
                    change(
                        Class::Additive,
                        "no longer `#[non_exhaustive]` (a struct literal builds it)".into(),
                    );
                }
                for (field, (old_wire, old_ty)) in before {
                    let Some((wire, ty)) = after.get(field) else {
                        change(Class::Breaking, format!("field `{field}` removed"));
                        continue;
                    };
                    if ty != old_ty {
                        let what = if unoption(old_ty) == Some(ty.as_str()) {
                            format!("field `{field}` made required (`{ty}`)")
                        } else {
                            format!("field `{field}` changed from `{old_ty}` to `{ty}`")
                        };
                        change(Class::Breaking, what);
                    }
                    if wire != old_wire {
                        // More names to decode from (an alias added) is
                        // additive; another name on the wire breaks.
                        let (sent, aliases) = wire_names(wire);
                        let (old_sent, old_aliases) = wire_names(old_wire);
                        let aliases_added = sent == old_sent
                            && old_aliases.iter().all(|alias| aliases.contains(alias));
                        if aliases_added {
                            let added: Vec<&str> = aliases
                                .iter()
                                .copied()
                                .filter(|alias| !old_aliases.contains(alias))
                                .collect();
                            change(
                                Class::Additive,
                                format!("field `{field}` also decoded from {}", added.join(", ")),
                            );
                        } else {
                            let shown = |wire: &str| match wire {
                                "" => "its Rust name".to_owned(),
                                wire => wire.to_owned(),
                            };
                            change(
                                Class::Breaking,
                                format!(
                                    "field `{field}` on the wire: {} instead of {}",
                                    shown(wire),
                                    shown(old_wire)
                                ),
                            );
                        }
                    }
                }
                for (field, (_, ty)) in after.iter().filter(|(f, _)| !before.contains_key(*f)) {
                    if is_option(ty) && *non_exhaustive {
                        change(
                            Class::Additive,
                            format!("optional field `{field}: {ty}` added"),
                        );
                    } else if is_option(ty) {
                        change(
                            Class::Breaking,
                            format!(
                                "field `{field}: {ty}` added to a struct users can build \
                                 with a literal"
                            ),
                        );
                    } else {
                        change(
                            Class::Breaking,
                            format!("required field `{field}: {ty}` added"),
                        );
                    }
                }
            }
            (
                Type::Enum {
                    open: was_open,
                    variants: before,
                },
                Type::Enum { open, variants },
            ) => {
                if was_open != open {
                    let what = if *open {
                        "made open (unknown values decode)"
                    } else {
                        "made closed (unknown values fail)"
                    };
                    change(Class::Breaking, what.into());
                }
                for (variant, wire) in before {
                    match variants.get(variant) {
                        None => change(Class::Breaking, format!("variant `{variant}` removed")),
                        Some(after) if after != wire => change(
                            Class::Breaking,
                            format!("variant `{variant}` is {after} instead of {wire}"),
                        ),
                        Some(_) => {}
                    }
                }
                for variant in variants.keys().filter(|v| !before.contains_key(*v)) {
                    if *open {
                        change(
                            Class::Additive,
                            format!("variant `{variant}` added to an open enum"),
                        );
                    } else {
                        change(
                            Class::Breaking,
                            format!(
                                "variant `{variant}` added to a closed enum (an exhaustive \
                                 `match` breaks)"
                            ),
                        );
                    }
                }
            }
            (Type::Other(before), Type::Other(after)) if before == after => {}
            _ => change(Class::Breaking, "changed kind or shape".into()),
        }
    }
}

/// A field's wire names as the surface writes them (`("type") (or "kind")`):
/// the name it is sent under, when not its Rust name, and the other names it
/// decodes from (`x-aliases`), in any order.
fn wire_names(wire: &str) -> (Option<&str>, Vec<&str>) {
    let mut sent = None;
    let mut aliases = Vec::new();
    for part in wire
        .split(')')
        .map(str::trim)
        .filter(|part| !part.is_empty())
    {
        match part.strip_prefix("(or ") {
            Some(alias) => aliases.push(alias),
            None => sent = Some(part.trim_start_matches('(')),
        }
    }
    (sent, aliases)
}

#[cfg(test)]
mod tests {
    use super::{Class, Version, class_of, diff};

    const BASE: &str = "---
source: tests/tests/surface.rs
description: Probe
---
## Operations
GET /orgs/{org} -> get_org(org: String) -> Organization | Error
GET /orgs/{org}/members -> list_org_members(org: String, page: Option<NonZeroU32>) -> Vec<Member> | Error; .stream() -> PageStream<Member>

## Types
#[non_exhaustive] struct Organization {
    id: i64,
    login: String,
    name: Option<String>,
    follow_count: Option<i64>,
    extra: Map<String, Value>,
}
enum Role { Admin = \"admin\", Member = \"member\" }
open enum State { Active = \"active\", Unknown(UnknownValue) }
struct Name(String)
";

    /// The changes after replacing `from` with `to` in [`BASE`].
    fn changes(from: &str, to: &str) -> Vec<(Class, String)> {
        assert!(BASE.contains(from), "{from}");
        diff(BASE, &BASE.replacen(from, to, 1))
            .into_iter()
            .map(|change| (change.class, change.what))
            .collect()
    }

    fn only(from: &str, to: &str) -> (Class, String) {
        let mut all = changes(from, to);
        assert_eq!(all.len(), 1, "{all:?}");
        all.remove(0)
    }

    #[test]
    fn an_unchanged_surface_has_no_change() {
        assert!(diff(BASE, BASE).is_empty());
        assert_eq!(class_of(&[]), None);
    }

    #[test]
    fn fields() {
        let added = only(
            "    extra: Map",
            "    region: Option<String>,\n    extra: Map",
        );
        assert_eq!(
            added,
            (
                Class::Additive,
                "type `Organization`: optional field `region: Option<String>` added".into()
            )
        );
        let required = only("    extra: Map", "    region: String,\n    extra: Map");
        assert_eq!(required.0, Class::Breaking);
        assert!(required.1.contains("required field `region: String` added"));
        let removed = only("    follow_count: Option<i64>,\n", "");
        assert_eq!(
            removed,
            (
                Class::Breaking,
                "type `Organization`: field `follow_count` removed".into()
            )
        );
        // A rename is a removal and an addition: breaking.
        let renamed = diff(
            BASE,
            &BASE.replacen("    follow_count:", "    followers:", 1),
        );
        assert_eq!(renamed.len(), 2, "{renamed:?}");
        assert_eq!(class_of(&renamed), Some(Class::Breaking));
    }

    #[test]
    fn an_alias_added_anywhere_is_additive_and_another_wire_name_breaks() {
        let aliased = BASE.replacen(
            "    name: Option",
            "    name (or \"display_name\"): Option",
            1,
        );
        let one_more = aliased.replacen(
            "(or \"display_name\")",
            "(or \"org_name\") (or \"display_name\")",
            1,
        );
        let changes = diff(&aliased, &one_more);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].class, Class::Additive, "{}", changes[0].what);
        let removed = diff(&one_more, &aliased);
        assert_eq!(removed[0].class, Class::Breaking, "an alias removed");
        let renamed = diff(
            &aliased,
            &aliased.replacen("name (or", "name (\"title\") (or", 1),
        );
        assert_eq!(renamed[0].class, Class::Breaking, "sent under another name");
    }

    #[test]
    fn optional_and_required() {
        let required = only("name: Option<String>", "name: String");
        assert_eq!(
            required,
            (
                Class::Breaking,
                "type `Organization`: field `name` made required (`String`)".into()
            )
        );
        // A field read as `T` now reads as `Option<T>`: code reading it breaks.
        let optional = only("login: String", "login: Option<String>");
        assert_eq!(optional.0, Class::Breaking);
        assert!(
            optional
                .1
                .contains("changed from `String` to `Option<String>`")
        );

        let param_required = only("page: Option<NonZeroU32>", "page: NonZeroU32");
        assert_eq!(param_required.0, Class::Breaking);
        assert!(param_required.1.contains("parameter `page` made required"));
        // A builder's setter takes `T` either way: nothing breaks.
        let param_optional = only("get_org(org: String)", "get_org(org: Option<String>)");
        assert_eq!(param_optional.0, Class::Additive);

        let added = only(
            "(org: String, page",
            "(org: String, role: Option<Role>, page",
        );
        assert_eq!(
            added,
            (
                Class::Additive,
                "operation `list_org_members`: optional parameter `role: Option<Role>` added"
                    .into()
            )
        );
        let required = only("get_org(org: String)", "get_org(org: String, id: i64)");
        assert_eq!(required.0, Class::Breaking);
    }

    #[test]
    fn types_changed() {
        let changed = only("follow_count: Option<i64>", "follow_count: Option<String>");
        assert_eq!(
            changed,
            (
                Class::Breaking,
                "type `Organization`: field `follow_count` changed from `Option<i64>` to \
                 `Option<String>`"
                    .into()
            )
        );
        let response = only("-> Organization | Error", "-> OrgProfile | Error");
        assert_eq!(response.0, Class::Breaking);
        assert!(
            response
                .1
                .contains("returns `OrgProfile | Error` instead of")
        );
        let path = only("GET /orgs/{org} ->", "GET /organizations/{org} ->");
        assert_eq!(path.0, Class::Breaking);
        let newtype = only("struct Name(String)", "struct Name(i64)");
        assert_eq!(newtype.0, Class::Breaking);
        let exhaustive = only(
            "#[non_exhaustive] struct Organization",
            "struct Organization",
        );
        assert_eq!(exhaustive.0, Class::Additive, "{exhaustive:?}");
        let field_in_exhaustive = changes(
            "#[non_exhaustive] struct Organization {\n",
            "struct Organization {\n    region: Option<String>,\n",
        );
        assert!(
            field_in_exhaustive
                .iter()
                .any(|(class, what)| *class == Class::Breaking && what.contains("literal")),
            "{field_in_exhaustive:?}"
        );
        let alias = only("    name: Option", "    name (or \"title\"): Option");
        assert_eq!(alias.0, Class::Additive, "{alias:?}");
        let wire = only("    name: Option", "    name (\"display_name\"): Option");
        assert_eq!(wire.0, Class::Breaking, "{wire:?}");
    }

    #[test]
    fn operations_and_types_added_or_removed() {
        let removed = only(
            "GET /orgs/{org} -> get_org(org: String) -> Organization | Error\n",
            "",
        );
        assert_eq!(
            removed,
            (
                Class::Breaking,
                "operation `get_org` (GET /orgs/{org}) removed".into()
            )
        );
        let added = only(
            "## Types",
            "DELETE /orgs/{org} -> leave_org(org: String) -> () | Error\n\n## Types",
        );
        assert_eq!(
            added,
            (
                Class::Additive,
                "operation `leave_org` (DELETE /orgs/{org}) added".into()
            )
        );
        let stream_removed = only("; .stream() -> PageStream<Member>", "");
        assert_eq!(stream_removed.0, Class::Breaking);
        assert_eq!(
            only("struct Name(String)\n", "").0,
            Class::Breaking,
            "a type removed"
        );
        assert_eq!(
            only(
                "struct Name(String)\n",
                "struct Name(String)\nstruct Id(i64)\n"
            ),
            (Class::Additive, "type `Id` added".into())
        );
    }

    #[test]
    fn enum_variants() {
        let open = only(
            "Active = \"active\", Unknown",
            "Active = \"active\", Archived = \"archived\", Unknown",
        );
        assert_eq!(
            open,
            (
                Class::Additive,
                "type `State`: variant `Archived` added to an open enum".into()
            )
        );
        let closed = only(
            "Member = \"member\" }",
            "Member = \"member\", Guest = \"guest\" }",
        );
        assert_eq!(closed.0, Class::Breaking, "an exhaustive match breaks");
        let removed = only("Admin = \"admin\", ", "");
        assert_eq!(
            removed,
            (
                Class::Breaking,
                "type `Role`: variant `Admin` removed".into()
            )
        );
        let rewired = only("Admin = \"admin\"", "Admin = \"administrator\"");
        assert_eq!(rewired.0, Class::Breaking);
        let closed_now = only("open enum State", "enum State");
        assert_eq!(closed_now.0, Class::Breaking);
    }

    #[test]
    fn versions_needed() {
        let v = |text| Version::parse(text).unwrap();
        assert_eq!(v("0.1.0").required(Class::Breaking), v("0.2.0"));
        assert_eq!(v("0.1.3").required(Class::Additive), v("0.1.4"));
        assert_eq!(v("1.4.2").required(Class::Breaking), v("2.0.0"));
        assert_eq!(v("1.4.2").required(Class::Additive), v("1.5.0"));
        assert_eq!(v("0.2.0-beta.1"), v("0.2.0"));
        assert!(v("0.2.0") > v("0.1.9") && v("0.10.0") > v("0.9.0"));
        assert!(Version::parse("0.2").is_err());
        let changes = diff(
            BASE,
            &BASE.replacen("    follow_count: Option<i64>,\n", "", 1),
        );
        assert_eq!(class_of(&changes), Some(Class::Breaking));
    }
}
