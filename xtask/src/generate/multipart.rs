//! Multipart uploads, which progenitor 0.15 cannot generate: on the spec, a
//! `multipart/form-data` request body is handed to progenitor as a raw
//! `application/octet-stream` body; on its output, the operation's builder
//! then takes a `dev_platform_runtime::Multipart` (`body(form)`), and its
//! `send()` checks the documented required parts before anything is sent and
//! sends the form streamed, with its boundary in `Content-Type`. The rest of
//! `send()` (hooks, retries, errors, tracing) is progenitor's, as for every
//! operation.

use quote::quote;
use serde_json::{Value, json};

use super::syntax::{builder_module, builder_name, is_builder_impl, send_method};
use crate::spec::{Spec, operations_mut};

/// A multipart operation: its id and its form's parts.
pub struct Upload {
    /// The operation's id.
    pub operation_id: String,
    /// Each part: its name, whether it is a file, whether it is required.
    pub parts: Vec<(String, bool, bool)>,
}

/// The multipart form of `operation`, if its body is one: each part's name,
/// whether it is a file (`format: binary`), whether it is required.
pub fn parts(spec: &Spec, operation: &Value) -> Option<Vec<(String, bool, bool)>> {
    let body = spec.resolve(operation.get("requestBody")?);
    let schema = spec.resolve(body.pointer("/content/multipart~1form-data/schema")?);
    let required = crate::spec::names(schema, "required");
    Some(
        schema
            .get("properties")?
            .as_object()?
            .iter()
            .map(|(name, property)| {
                let binary =
                    spec.resolve(property).get("format").and_then(Value::as_str) == Some("binary");
                (name.clone(), binary, required.contains(&name.as_str()))
            })
            .collect(),
    )
}

/// Replaces every multipart body of `json` (the spec as progenitor will get
/// it) by a raw body, and says which operations they were.
pub fn as_raw_bodies(spec: &Spec, json: &mut Value) -> Vec<Upload> {
    let mut uploads = Vec::new();
    for operation in operations_mut(json) {
        let Some(parts) = parts(spec, operation) else {
            continue;
        };
        let operation_id = operation["operationId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        operation["requestBody"] = json!({
            "required": true,
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            }
        });
        uploads.push(Upload {
            operation_id,
            parts,
        });
    }
    uploads
}

/// Gives each upload's builder `body(Multipart)` and makes its `send()`
/// check the required parts and send the form.
pub fn typed_forms(file: &mut syn::File, uploads: &[Upload]) -> Result<(), String> {
    for upload in uploads {
        let id = &upload.operation_id;
        let builder = builder_name(id)?;
        let list = upload
            .parts
            .iter()
            .map(|(name, binary, required)| {
                format!(
                    "`{name}` ({}{})",
                    if *binary { "a file" } else { "text" },
                    if *required { ", required" } else { "" }
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let doc = format!(
            "The `multipart/form-data` body: its parts are {list}. Required parts are \
             checked before the request is sent."
        );
        let required: Vec<&str> = upload
            .parts
            .iter()
            .filter(|(_, _, required)| *required)
            .map(|(name, ..)| name.as_str())
            .collect();
        let mut replaced = 0;
        for item in builder_module(file)?.iter_mut() {
            match item {
                syn::Item::Struct(structure) if structure.ident == builder => {
                    for field in structure.fields.iter_mut() {
                        if field.ident.as_ref().is_some_and(|ident| ident == "body") {
                            field.ty = syn::parse_quote!(
                                Result<::dev_platform_runtime::Multipart, String>
                            );
                            replaced += 1;
                        }
                    }
                }
                syn::Item::Impl(block) if is_builder_impl(block, &builder) => {
                    for member in block.items.iter_mut() {
                        if let syn::ImplItem::Fn(method) = member
                            && method.sig.ident == "body"
                        {
                            *method = syn::parse_quote! {
                                #[doc = #doc]
                                pub fn body(mut self, value: ::dev_platform_runtime::Multipart) -> Self {
                                    self.body = Ok(value);
                                    self
                                }
                            };
                            replaced += 1;
                        }
                    }
                }
                _ => {}
            }
        }
        if replaced != 2 {
            return Err(format!(
                "{id}: expected the builder's `body` field and method, found {replaced}"
            ));
        }
        rewrite_send(send_method(file, id)?, id, &required)?;
    }
    Ok(())
}

/// In `send()`: the body's required parts checked where progenitor unwraps
/// it, its media type the form's, and the form streamed.
fn rewrite_send(method: &mut syn::ImplItemFn, id: &str, required: &[&str]) -> Result<(), String> {
    struct Rewrite<'a> {
        required: &'a [&'a str],
        checked: usize,
        typed: usize,
        streamed: usize,
    }
    impl syn::visit_mut::VisitMut for Rewrite<'_> {
        fn visit_local_mut(&mut self, local: &mut syn::Local) {
            let is_body = matches!(&local.pat, syn::Pat::Ident(ident) if ident.ident == "body");
            if is_body && let Some(init) = &mut local.init {
                let required = self.required;
                *init.expr = syn::parse_quote! {
                    body.and_then(|body| body.require(&[#(#required),*]).map(|()| body))
                        .map_err(Error::InvalidRequest)?
                };
                self.checked += 1;
            }
            syn::visit_mut::visit_local_mut(self, local);
        }
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            syn::visit_mut::visit_expr_method_call_mut(self, call);
            let text = |expr: &syn::Expr| quote!(#expr).to_string();
            if call.method == "header"
                && call.args.len() == 2
                && text(&call.args[1]).contains("\"application/octet-stream\"")
            {
                call.args[1] = syn::parse_quote!(
                    ::reqwest::header::HeaderValue::from_str(&body.content_type())
                        .map_err(|error| Error::InvalidRequest(error.to_string()))?
                );
                self.typed += 1;
            } else if call.method == "body" && call.args.len() == 1 && text(&call.args[0]) == "body"
            {
                call.args[0] = syn::parse_quote!(body.into_body());
                self.streamed += 1;
            }
        }
    }
    let mut rewrite = Rewrite {
        required,
        checked: 0,
        typed: 0,
        streamed: 0,
    };
    syn::visit_mut::VisitMut::visit_impl_item_fn_mut(&mut rewrite, method);
    if (rewrite.checked, rewrite.typed, rewrite.streamed) != (1, 1, 1) {
        return Err(format!(
            "{id}: progenitor's `send` for a raw body is not as expected ({} unwraps, {} \
             content types, {} bodies)",
            rewrite.checked, rewrite.typed, rewrite.streamed
        ));
    }
    Ok(())
}
