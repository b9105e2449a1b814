//! Non-exhaustive types: every struct with named fields in `types` gets
//! `#[non_exhaustive]`, so that a field the spec adds is an additive change
//! for users (they build values with `Type::builder()`, or decode them, never
//! with a struct literal that a new field would break).

use super::syntax::types_module;

/// Marks every named-field struct of the `types` module `#[non_exhaustive]`.
pub fn mark_structs(file: &mut syn::File) -> Result<(), String> {
    for item in types_module(file)?.iter_mut() {
        if let syn::Item::Struct(item) = item
            && matches!(item.fields, syn::Fields::Named(_))
        {
            item.attrs.push(syn::parse_quote!(#[non_exhaustive]));
        }
    }
    Ok(())
}
