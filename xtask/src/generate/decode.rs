//! Decoding and errors: every `send()` returns `dev_platform_runtime::Error`,
//! and a JSON success response is decoded by the client's runtime.
//!
//! progenitor's body of `send()` runs as it is, except that a JSON success arm
//! hands the response on instead of decoding it; its error is converted once,
//! and the response is then decoded by `Runtime::decode_json` (or
//! `decode_envelope` for an `x-envelope` schema) against the operation's
//! documented shape ([`shapes`](super::shapes)): tolerant by default, exact in
//! strict mode, with the JSON path of any failure. A schema marked
//! `x-bare-array: <field>` is decoded by `decode_json_or_bare_array`: its list
//! may also arrive alone, as a bare array. CSV and empty responses
//! keep progenitor's handling.

use quote::{format_ident, quote};
use serde_json::Value;

use super::syntax::{builder_module, result_type_argument, send_method};
use crate::spec::{Spec, operations};

/// Rewrites every builder's `send()`.
pub fn rewrite_sends(spec: &Spec, file: &mut syn::File) -> Result<(), String> {
    for operation in operations(&spec.json) {
        let id = operation["operationId"].as_str().unwrap_or_default();
        let Some(schema) = spec.json_success_schema(operation) else {
            continue;
        };
        let schema = spec.resolve(schema);
        let wrapper = match (
            schema.get("x-envelope").and_then(Value::as_str),
            schema.get("x-bare-array").and_then(Value::as_str),
        ) {
            (Some(field), None) => Wrapper::Envelope(field),
            (None, Some(field)) => Wrapper::BareArray(field),
            (None, None) => Wrapper::None,
            (Some(_), Some(_)) => {
                return Err(format!(
                    "{id}: a schema is an `x-envelope` or has an `x-bare-array`, not both"
                ));
            }
        };
        decode_json(send_method(file, id)?, id, wrapper)?;
    }
    let mut sends = 0;
    for item in builder_module(file)? {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        for item in &mut block.items {
            match item {
                syn::ImplItem::Fn(method) if method.sig.ident == "send" => {
                    convert_errors(method)?;
                    sends += 1;
                }
                _ => {}
            }
        }
    }
    if sends == 0 {
        return Err("progenitor's output has no `send` methods".to_owned());
    }
    Ok(())
}

/// What a JSON success schema wraps its payload in.
enum Wrapper<'a> {
    /// Nothing: the body is the payload.
    None,
    /// `x-envelope: <field>`: `{"success": …, "<field>": payload}`.
    Envelope(&'a str),
    /// `x-bare-array: <field>`: the body is the object, or its list `<field>`
    /// alone, a bare array.
    BareArray(&'a str),
}

/// `Result<T, Error<E>>` of progenitor's `send`, and `T`.
fn progenitor_output(method: &syn::ImplItemFn) -> Result<(syn::Type, syn::Type), String> {
    let syn::ReturnType::Type(_, output) = &method.sig.output else {
        return Err("a `send` returns nothing".to_owned());
    };
    let success = result_type_argument(output, 0).ok_or("`send` does not return a `Result`")?;
    Ok(((**output).clone(), success))
}

/// Whether `send` already returns the runtime's error.
fn converted(method: &syn::ImplItemFn) -> bool {
    let syn::ReturnType::Type(_, output) = &method.sig.output else {
        return false;
    };
    quote!(#output)
        .to_string()
        .contains("dev_platform_runtime :: Error")
}

/// A `send` whose success is JSON: its success arms hand on the response, which
/// the runtime decodes after the error conversion.
fn decode_json(method: &mut syn::ImplItemFn, id: &str, wrapper: Wrapper) -> Result<(), String> {
    struct HandOn(usize);
    impl syn::visit_mut::VisitMut for HandOn {
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
                *arm.body = syn::parse_quote!(Ok(response));
                self.0 += 1;
            }
            syn::visit_mut::visit_arm_mut(self, arm);
        }
    }
    let (progenitor_output, success) = progenitor_output(method)?;
    let error = result_type_argument(&progenitor_output, 1).ok_or("`send` has no error type")?;
    let mut hand_on = HandOn(0);
    syn::visit_mut::VisitMut::visit_block_mut(&mut hand_on, &mut method.block);
    if hand_on.0 == 0 {
        return Err(format!("{id}: found no success arm in `send`"));
    }
    let shape = format_ident!("{id}");
    let decode = match wrapper {
        Wrapper::Envelope(field) => {
            quote!(client.inner.decode_envelope(response, #id, #field, &super::shapes::#shape).await)
        }
        Wrapper::BareArray(field) => quote! {
            client.inner.decode_json_or_bare_array(response, #id, #field, &super::shapes::#shape).await
        },
        Wrapper::None => {
            quote!(client.inner.decode_json(response, #id, &super::shapes::#shape).await)
        }
    };
    let body = &method.block;
    method.sig.output = syn::parse_quote!(-> Result<#success, ::dev_platform_runtime::Error>);
    method.block = syn::parse_quote!({
        let client = self.client;
        let result: Result<reqwest::Response, #error> = async move #body.await;
        let response = result.map_err(::dev_platform_runtime::Error::from)?;
        #decode
    });
    Ok(())
}

/// Any other `send`: progenitor's body runs as it is, and its error is
/// converted once, at the end.
fn convert_errors(method: &mut syn::ImplItemFn) -> Result<(), String> {
    if converted(method) {
        return Ok(());
    }
    let (progenitor_output, success) = progenitor_output(method)?;
    let body = &method.block;
    method.sig.output = syn::parse_quote!(-> Result<#success, ::dev_platform_runtime::Error>);
    method.block = syn::parse_quote!({
        let result: #progenitor_output = async move #body.await;
        result.map_err(::dev_platform_runtime::Error::from)
    });
    Ok(())
}
