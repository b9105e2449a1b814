//! Shapes: `pub mod shapes`, every JSON response as the spec documents it
//! (before [`tolerance`](super::tolerance) relaxed the types), as
//! `dev_platform_runtime::Shape` statics: one per object schema a response
//! reaches (named after the schema) and one per operation (named after its
//! `operationId`). Strict mode checks a response against its operation's shape,
//! and tolerant mode traces the deviations from it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::spec::{Reach, Spec, is_object, names, operations};

/// The `shapes` module of a spec.
pub fn module(spec: &Spec, reach: &Reach) -> Result<syn::Item, String> {
    let mut statics = Vec::new();
    for name in &reach.responses {
        let Some(schema) = spec.schema(name) else {
            continue;
        };
        if !is_object(schema) {
            continue;
        }
        let ident = format_ident!("{name}");
        let object = object(spec, name, schema)?;
        let doc = format!("`{name}`, as the spec documents it.");
        statics.push(quote! {
            #[doc = #doc]
            pub static #ident: Object = #object;
        });
    }
    for operation in operations(&spec.json) {
        let id = operation["operationId"].as_str().unwrap_or_default();
        let Some(schema) = spec.json_success_schema(operation) else {
            continue;
        };
        let ident = format_ident!("{id}");
        let shape = shape(spec, schema, &format!("the `{id}` envelope"))?;
        let doc = format!("The success response of `{id}`, as the spec documents it.");
        statics.push(quote! {
            #[doc = #doc]
            pub static #ident: Shape = #shape;
        });
    }
    let doc = format!(
        "Every JSON response of `{}` exactly as the spec documents it (which fields are \
         always present, which may be `null`, each value's type, format and documented \
         values), for strict mode and for tracing how a real response strays from it: \
         see `dev_platform_runtime::Shape`.",
        spec.path.display()
    );
    syn::parse2(quote! {
        #[doc = #doc]
        #[allow(non_upper_case_globals)]
        pub mod shapes {
            use ::dev_platform_runtime::shape::{Object, Property, Shape};
            #(#statics)*
        }
    })
    .map_err(|error| format!("shapes: {error}"))
}

/// `Object { name, properties }` of an object schema.
fn object(spec: &Spec, name: &str, schema: &Value) -> Result<TokenStream, String> {
    let required = names(schema, "required");
    let mut properties = Vec::new();
    for (key, property) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let shape = shape(spec, property, &format!("{name}.{key}"))?;
        let aliases = names(property, "x-aliases");
        let is_required = required.contains(&key.as_str());
        let nullable = property.get("nullable") == Some(&Value::Bool(true));
        properties.push(quote! {
            Property {
                name: #key,
                aliases: &[#(#aliases),*],
                shape: &#shape,
                required: #is_required,
                nullable: #nullable,
            }
        });
    }
    Ok(quote!(Object { name: #name, properties: &[#(#properties),*] }))
}

/// The `Shape` expression of a schema; `at` names an inline object.
fn shape(spec: &Spec, schema: &Value, at: &str) -> Result<TokenStream, String> {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .ok_or_else(|| format!("{at}: `{reference}` is not a component schema"))?;
        let target = spec
            .schema(name)
            .ok_or_else(|| format!("{at}: `{reference}` does not resolve"))?;
        if is_object(target) {
            let ident = format_ident!("{name}");
            return Ok(quote!(Shape::Object(&#ident)));
        }
        return shape(spec, target, name);
    }
    if let Some(path) = schema.pointer("/x-rust-type/path").and_then(Value::as_str) {
        return Ok(match path.rsplit("::").next() {
            Some("Id") => quote!(Shape::Id),
            Some("DateOrDateTime") => quote!(Shape::DateOrDateTime),
            Some("Secret") => quote!(Shape::String),
            _ => quote!(Shape::Any),
        });
    }
    if let Some([only]) = schema
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        return shape(spec, only, at);
    }
    // The values of an open enum marked `x-enum-complete: false` are the known
    // ones, not all the documented ones (the provider documents a string).
    if schema.get("x-enum-complete") == Some(&Value::Bool(false)) {
        return Ok(quote!(Shape::String));
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let values: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        return Ok(quote!(Shape::Enum(&[#(#values),*])));
    }
    let format = schema.get("format").and_then(Value::as_str);
    Ok(match schema.get("type").and_then(Value::as_str) {
        Some("boolean") => quote!(Shape::Boolean),
        Some("integer") if format == Some("int32") => quote!(Shape::Integer32),
        Some("integer") => quote!(Shape::Integer64),
        Some("number") => quote!(Shape::Number),
        Some("string") => match format {
            Some("date-time") => quote!(Shape::DateTime),
            Some("date") => quote!(Shape::Date),
            _ => quote!(Shape::String),
        },
        Some("array") => {
            let items = shape(spec, schema.get("items").unwrap_or(&Value::Null), at)?;
            quote!(Shape::Array(&#items))
        }
        _ if is_object(schema) => {
            let object = object(spec, at, schema)?;
            quote!(Shape::Object(&#object))
        }
        Some("object") => quote!(Shape::Map),
        _ => quote!(Shape::Any),
    })
}
