//! Open enums: every schema marked `x-open-enum: true` becomes a
//! `dev_platform_runtime::open_enum!`, so values the spec does not list decode.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::syntax::{types_module, variant_name};
use crate::spec::names;

/// A string enum of the spec that must accept values it does not list.
pub struct OpenEnum {
    pub name: String,
    description: Option<String>,
    values: Vec<String>,
    /// `x-enum-varnames`: the variants' names, when the values do not make good ones.
    variant_names: Vec<String>,
}

impl OpenEnum {
    pub fn all(spec: &Value) -> Vec<Self> {
        let Some(schemas) = spec
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        else {
            return Vec::new();
        };
        schemas
            .iter()
            .filter(|(_, schema)| schema.get("x-open-enum") == Some(&Value::Bool(true)))
            .map(|(name, schema)| Self {
                name: name.clone(),
                description: schema
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                values: owned(names(schema, "enum")),
                variant_names: owned(names(schema, "x-enum-varnames")),
            })
            .collect()
    }

    fn tokens(&self) -> Result<TokenStream, String> {
        let name = format_ident!("{}", self.name);
        let doc = self
            .description
            .clone()
            .unwrap_or_else(|| format!("`{}`.", self.name));
        let variants = self
            .values
            .iter()
            .enumerate()
            .map(|(index, value)| {
                let ident = self
                    .variant_names
                    .get(index)
                    .cloned()
                    .or_else(|| variant_name(value))
                    .ok_or_else(|| {
                        format!("schema {}: `{value}` cannot be a variant name", self.name)
                    })?;
                let ident = format_ident!("{ident}");
                let doc = format!("`{value}`");
                Ok(quote!(#[doc = #doc] #ident = #value,))
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(quote! {
            ::dev_platform_runtime::open_enum! {
                #[doc = #doc]
                pub enum #name { #(#variants)* }
            }
        })
    }
}

pub fn add_open_enums(file: &mut syn::File, open_enums: &[OpenEnum]) -> Result<(), String> {
    let types = types_module(file)?;
    for open_enum in open_enums {
        let item: syn::Item =
            syn::parse2(open_enum.tokens()?).map_err(|error| error.to_string())?;
        types.push(item);
    }
    Ok(())
}

fn owned(names: Vec<&str>) -> Vec<String> {
    names.into_iter().map(str::to_owned).collect()
}
