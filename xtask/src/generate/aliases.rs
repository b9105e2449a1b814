//! Aliases: `x-aliases` on a property becomes `#[serde(alias = "...")]`.

use serde_json::Value;

use super::syntax::{field_key, types_module};

/// Adds `#[serde(alias = "...")]` to the field of every property marked
/// `x-aliases: [...]` in a component schema: the field then also decodes from
/// those keys (a provider whose documents disagree on a field's name).
pub fn add_aliases(file: &mut syn::File, spec: &Value) -> Result<(), String> {
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (schema, body) in schemas.into_iter().flatten() {
        let properties = body.get("properties").and_then(Value::as_object);
        for (property, definition) in properties.into_iter().flatten() {
            let Some(aliases) = definition.get("x-aliases").and_then(Value::as_array) else {
                continue;
            };
            let aliases: Vec<&str> = aliases.iter().filter_map(Value::as_str).collect();
            let field = types_module(file)?
                .iter_mut()
                .find_map(|item| match item {
                    syn::Item::Struct(item) if item.ident == schema => Some(item),
                    _ => None,
                })
                .and_then(|item| {
                    item.fields
                        .iter_mut()
                        .find(|field| field_key(field).as_deref() == Some(property.as_str()))
                })
                .ok_or_else(|| format!("schema {schema}: no generated field for `{property}`"))?;
            for alias in aliases {
                field
                    .attrs
                    .push(syn::parse_quote!(#[serde(alias = #alias)]));
            }
        }
    }
    Ok(())
}
