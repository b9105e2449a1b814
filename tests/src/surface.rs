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
