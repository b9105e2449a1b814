//! Envelopes: a success schema marked `x-envelope: <field>` is handed to
//! progenitor as its payload, and `send()` decodes the envelope.

use serde_json::Value;

use super::syntax::{operations_mut, send_method};
use crate::spec::Spec;

/// An operation whose success schema is an envelope (`x-envelope: <field>`).
pub struct Envelope {
    operation_id: String,
    field: String,
}

/// The spec as progenitor gets it: every envelope schema replaced by its payload
/// property, so that `send()` returns the payload; [`Envelope::rewrite_send`]
/// then makes it decode the envelope.
pub fn unwrap_envelopes(spec: &Spec) -> Result<(openapiv3::OpenAPI, Vec<Envelope>), String> {
    let mut json = spec.json.clone();
    let mut envelopes = Vec::new();
    for operation in operations_mut(&mut json) {
        let operation_id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let media = operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
            .into_iter()
            .flatten()
            .filter(|(status, _)| status.starts_with('2'))
            .filter_map(|(_, response)| response.pointer_mut("/content/application~1json"));
        for media in media {
            let Some(schema) = media
                .get("schema")
                .map(|schema| spec.resolve(schema).clone())
            else {
                continue;
            };
            let Some(field) = schema.get("x-envelope").and_then(Value::as_str) else {
                continue;
            };
            let payload = schema
                .pointer(&format!("/properties/{field}"))
                .cloned()
                .ok_or_else(|| {
                    format!("{operation_id}: `x-envelope: {field}` names no property")
                })?;
            media["schema"] = payload;
            envelopes.push(Envelope {
                operation_id: operation_id.clone(),
                field: field.to_owned(),
            });
        }
    }
    Ok((spec.openapi(json)?, envelopes))
}

impl Envelope {
    /// Makes `send` decode its 2xx responses with
    /// `dev_platform_runtime::unwrap_envelope` instead of
    /// `ResponseValue::from_response`.
    pub fn rewrite_send(&self, file: &mut syn::File) -> Result<(), String> {
        struct Rewrite<'a> {
            field: &'a str,
            arms: usize,
        }
        impl syn::visit_mut::VisitMut for Rewrite<'_> {
            fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
                let success = match &arm.pat {
                    syn::Pat::Lit(syn::ExprLit {
                        lit: syn::Lit::Int(status),
                        ..
                    }) => status
                        .base10_parse::<u16>()
                        .is_ok_and(|status| (200..300).contains(&status)),
                    _ => false,
                };
                if success {
                    let field = self.field;
                    *arm.body = syn::parse_quote!(
                        ::dev_platform_runtime::unwrap_envelope(response, #field).await
                    );
                    self.arms += 1;
                }
                syn::visit_mut::visit_arm_mut(self, arm);
            }
        }
        let send = send_method(file, &self.operation_id)?;
        let mut rewrite = Rewrite {
            field: &self.field,
            arms: 0,
        };
        syn::visit_mut::VisitMut::visit_impl_item_fn_mut(&mut rewrite, send);
        if rewrite.arms == 0 {
            return Err(format!(
                "{}: found no success arm in `send` to decode the envelope",
                self.operation_id
            ));
        }
        Ok(())
    }
}
