//! The surface of a generated provider crate as readable text, described by
//! the xtask's [`xtask::surface`] (the same text `cargo xtask regenerate`
//! classifies as breaking or additive against the committed snapshot).

/// Describes `crates/<provider>/src/generated.rs`.
pub fn describe(provider: &str) -> String {
    let path = crate::workspace_root()
        .join("crates")
        .join(provider)
        .join("src/generated.rs");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    xtask::surface::describe(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
