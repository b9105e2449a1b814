//! The surface of a generated provider crate as readable text, described by
//! the xtask's [`xtask::surface`] (the same text `cargo xtask regenerate`
//! classifies as breaking or additive against the committed snapshot), and the
//! MCP tools made from the provider's spec.

/// Describes `crates/<provider>/src/generated.rs`.
pub fn describe(provider: &str) -> String {
    let path = crate::workspace_root()
        .join("crates")
        .join(provider)
        .join("src/generated.rs");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut surface =
        xtask::surface::describe(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // The MCP tools `devplat mcp` serves, made from the same spec.
    surface.push_str("\n## MCP tools\n");
    let tools = xtask::tools::of(provider, crate::spec::Spec::load(provider).json());
    for line in xtask::tools::surface(&tools) {
        surface.push_str(&line);
        surface.push('\n');
    }
    surface
}

/// [`describe`] split by API group (the spec's tags), for one snapshot per
/// group: each operation, its mock and MCP lines under its group, each type
/// under the one group whose operations reach it, and the types several
/// groups share under `shared`. Groups in the spec's order, `shared` last.
pub fn describe_by_group(provider: &str) -> Vec<(String, String)> {
    let spec = crate::spec::Spec::load(provider);
    let surface = describe(provider);
    let groups = spec.groups();
    // The group of each operation, and of each type only one group reaches.
    let mut of_operation = std::collections::BTreeMap::new();
    let mut type_groups: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for (id, group, schemas) in spec.operation_reach() {
        for schema in schemas {
            type_groups.entry(schema).or_default().insert(group.clone());
        }
        of_operation.insert(id, group);
    }
    let group_of_type = |name: &str| -> String {
        if let Some(groups) = type_groups.get(name) {
            return match groups.len() {
                1 => groups.iter().next().cloned().unwrap_or_default(),
                _ => SHARED.to_owned(),
            };
        }
        // A type progenitor named after its operation (an inline body,
        // answer or enum): the longest operation name it starts with.
        of_operation
            .iter()
            .filter(|(id, _)| name.starts_with(&pascal_case(id)))
            .max_by_key(|(id, _)| id.len())
            .map_or_else(|| SHARED.to_owned(), |(_, group)| group.clone())
    };
    let group_of_operation = |id: &str| {
        of_operation
            .get(id)
            .cloned()
            .unwrap_or_else(|| SHARED.to_owned())
    };
    // section → group → lines
    let mut sections: Vec<(String, std::collections::BTreeMap<String, Vec<String>>)> = Vec::new();
    let mut current_type: Option<String> = None;
    for line in surface.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            sections.push((heading.to_owned(), Default::default()));
            current_type = None;
            continue;
        }
        let Some((section, by_group)) = sections.last_mut() else {
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        let group = match section.as_str() {
            "Operations" => line
                .split_once(" -> ")
                .and_then(|(_, rest)| rest.split_once('('))
                .map_or_else(|| SHARED.to_owned(), |(id, _)| group_of_operation(id)),
            "Types" if line.starts_with(' ') || line.starts_with('}') => {
                current_type.clone().unwrap_or_else(|| SHARED.to_owned())
            }
            "Types" => {
                let group = group_of_type(type_name(line));
                current_type = Some(group.clone());
                group
            }
            "Mock" => line
                .split_once(':')
                .map_or_else(|| SHARED.to_owned(), |(id, _)| group_of_operation(id)),
            "MCP tools" => line
                .split_once(' ')
                .and_then(|(tool, _)| tool.strip_prefix(&format!("{provider}_")))
                .map_or_else(|| SHARED.to_owned(), group_of_operation),
            _ => SHARED.to_owned(),
        };
        by_group.entry(group).or_default().push(line.to_owned());
    }
    groups
        .into_iter()
        .chain(std::iter::once(SHARED.to_owned()))
        .filter_map(|group| {
            let mut text = String::new();
            for (section, by_group) in &sections {
                if let Some(lines) = by_group.get(&group) {
                    text.push_str(&format!("## {section}\n"));
                    for line in lines {
                        text.push_str(line);
                        text.push('\n');
                    }
                    text.push('\n');
                }
            }
            (!text.is_empty()).then_some((group, text))
        })
        .collect()
}

/// The snapshot of what several groups share.
const SHARED: &str = "shared";

/// The type a surface line declares: `struct Name {`, `open enum Name …`,
/// `#[non_exhaustive] struct Name {`, `struct Name(i64)`.
fn type_name(line: &str) -> &str {
    let word = line
        .split_whitespace()
        .find(|word| !matches!(*word, "#[non_exhaustive]" | "open" | "enum" | "struct"))
        .unwrap_or_default();
    let end = word
        .find(|c: char| !c.is_alphanumeric() && c != '_')
        .unwrap_or(word.len());
    &word[..end]
}

/// `list_repo_branches` → `ListRepoBranches`, as progenitor names types.
fn pascal_case(id: &str) -> String {
    id.split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}
