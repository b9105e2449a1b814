//! Response tolerance: the types that decode a server's answers accept what
//! strays from the documentation whenever nothing is lost.
//!
//! On the spec ([`relax`]): every object schema a response or a CSV row
//! reaches keeps only its identity fields (`x-identity`) required, so every
//! other field is an `Option` that is `None` when `null` or left out (a list
//! too: absent is not empty); a JSON
//! response schema also gets an `additionalProperties` schema, for which
//! typify generates `#[serde(flatten)] pub extra: Map<String, Value>`: the
//! fields the spec does not describe are kept.
//!
//! On progenitor's output ([`lenient_fields`]): every scalar field of a JSON
//! response type decodes through `dev_platform_runtime::lenient` (a number
//! sent as its text, an id sent as a number), and every type with `extra`
//! gets an accessor. CSV row types keep the CSV reader's own typing: a cell
//! is text already, and an empty cell is `None`.

use quote::quote;
use serde_json::Value;

use super::syntax::types_module;
use crate::spec::{Reach, is_object, names};

/// The description of the `extra` field typify generates.
const EXTRA: &str = "Fields the server sent that the spec does not describe, kept as they \
                     arrived (`extra_field` reads one).";

/// Relaxes the decoded schemas of `json` (the spec as progenitor will get it).
pub fn relax(reach: &Reach, json: &mut Value) {
    let Some(schemas) = json
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for (name, schema) in schemas.iter_mut() {
        if !reach.is_decoded(name) || !is_object(schema) {
            continue;
        }
        let identity: Vec<Value> = names(schema, "x-identity")
            .into_iter()
            .map(|field| Value::String(field.to_owned()))
            .collect();
        let Some(object) = schema.as_object_mut() else {
            continue;
        };
        // typify makes an optional array an empty `Vec` (and an optional map
        // an empty `Map`) when absent, and refuses `null`; a nullable one is
        // an `Option<Vec<_>>` (`Option<Map<_>>`): absent is not empty.
        let properties = object.get_mut("properties").and_then(Value::as_object_mut);
        for (field, property) in properties.into_iter().flatten() {
            let is_identity = identity.iter().any(|name| name == field.as_str());
            let kind = property.get("type").and_then(Value::as_str);
            let is_map = kind == Some("object") && property.get("properties").is_none();
            if !is_identity && (kind == Some("array") || is_map) {
                property["nullable"] = Value::Bool(true);
            }
        }
        object.insert("required".to_owned(), Value::Array(identity));
        if reach.responses.contains(name) && !object.contains_key("additionalProperties") {
            object.insert(
                "additionalProperties".to_owned(),
                serde_json::json!({ "description": EXTRA }),
            );
        }
    }
}

/// How a field's value is decoded.
enum Lenient {
    /// A scalar that must be there (an identity field).
    Required,
    /// An optional scalar.
    Optional,
    /// An optional list of scalars.
    OptionalList,
}

/// The scalar types `dev_platform_runtime::lenient::Scalar` is implemented
/// for, as typify spells them.
const SCALARS: [&str; 9] = [
    "i32",
    "i64",
    "u32",
    "u64",
    "f64",
    "bool",
    ":: std :: string :: String",
    ":: chrono :: DateTime < :: chrono :: offset :: Utc >",
    ":: chrono :: NaiveDate",
];

fn lenient(ty: &syn::Type) -> Option<Lenient> {
    let text = quote!(#ty).to_string();
    let inner = |wrapper: &str| {
        text.strip_prefix(wrapper)
            .and_then(|rest| rest.strip_suffix(" >"))
            .map(str::to_owned)
    };
    let is_scalar = |text: &str| SCALARS.contains(&text);
    if is_scalar(&text) {
        return Some(Lenient::Required);
    }
    let option = inner(":: std :: option :: Option < ")?;
    if is_scalar(&option) {
        return Some(Lenient::Optional);
    }
    let list = option
        .strip_prefix(":: std :: vec :: Vec < ")
        .and_then(|rest| rest.strip_suffix(" >"))?;
    is_scalar(list).then_some(Lenient::OptionalList)
}

/// Whether a field's `#[serde(...)]` attributes already give it a default.
fn has_default(field: &syn::Field) -> bool {
    field
        .attrs
        .iter()
        .filter(|attribute| attribute.path().is_ident("serde"))
        .any(|attribute| quote!(#attribute).to_string().contains("default"))
}

/// Adds `metas` to the field's `#[serde(...)]` attribute (one attribute is
/// easier to read than two), or gives it one.
fn add_to_serde_attribute(field: &mut syn::Field, metas: proc_macro2::TokenStream) {
    let existing = field
        .attrs
        .iter_mut()
        .find_map(|attribute| match &mut attribute.meta {
            syn::Meta::List(list) if list.path.is_ident("serde") => Some(list),
            _ => None,
        });
    match existing {
        Some(list) => {
            let tokens = &list.tokens;
            list.tokens = quote!(#tokens, #metas);
        }
        None => field.attrs.push(syn::parse_quote!(#[serde(#metas)])),
    }
}

/// Decodes every scalar field of the JSON response types leniently, and adds
/// `extra_field` to every type that keeps unknown fields.
pub fn lenient_fields(file: &mut syn::File, reach: &Reach) -> Result<(), String> {
    let types = types_module(file)?;
    let mut accessors = Vec::new();
    for item in types.iter_mut() {
        let syn::Item::Struct(structure) = item else {
            continue;
        };
        if !reach.responses.contains(&structure.ident.to_string()) {
            continue;
        }
        let mut has_extra = false;
        for field in &mut structure.fields {
            if field.ident.as_ref().is_some_and(|ident| ident == "extra") {
                has_extra = true;
                field.attrs.insert(0, syn::parse_quote!(#[doc = #EXTRA]));
                continue;
            }
            let Some(lenient) = lenient(&field.ty) else {
                continue;
            };
            let function = match lenient {
                Lenient::Required => "::dev_platform_runtime::lenient::required",
                Lenient::Optional => "::dev_platform_runtime::lenient::optional",
                Lenient::OptionalList => "::dev_platform_runtime::lenient::optional_list",
            };
            let mut added = quote!(deserialize_with = #function);
            if !matches!(lenient, Lenient::Required) && !has_default(field) {
                added = quote!(default, #added);
            }
            add_to_serde_attribute(field, added);
        }
        if has_extra {
            let name = &structure.ident;
            accessors.push(syn::parse_quote! {
                impl #name {
                    /// A field the server sent that the spec does not describe, by
                    /// its JSON key (all of them are in `extra`).
                    pub fn extra_field(&self, key: &str) -> Option<&::serde_json::Value> {
                        self.extra.get(key)
                    }
                }
            });
        }
    }
    types.extend(accessors);
    let builders = types
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == "builder" => module.content.as_mut(),
            _ => None,
        })
        .ok_or("progenitor's `types` module has no `builder` module")?;
    for item in &mut builders.1 {
        syn::visit_mut::VisitMut::visit_item_mut(&mut EmptyExtra, item);
    }
    Ok(())
}

/// A type's builder starts with an empty `extra`, instead of typify's
/// "no value supplied for extra": a value built by hand (a test's answer
/// for the mock, say) has no unknown fields to give.
struct EmptyExtra;

impl syn::visit_mut::VisitMut for EmptyExtra {
    fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
        if matches!(&field.member, syn::Member::Named(name) if name == "extra")
            && matches!(&field.expr, syn::Expr::Call(call)
                if matches!(&*call.func, syn::Expr::Path(path) if path.path.is_ident("Err")))
        {
            field.expr = syn::parse_quote!(Ok(::std::default::Default::default()));
        }
        syn::visit_mut::visit_field_value_mut(self, field);
    }
}
