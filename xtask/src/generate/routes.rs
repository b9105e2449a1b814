//! Routes: `ROUTES`, every operation's method, path and documented limits, and
//! the `ClientHooks` implementation that checks and sends each request.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::csv_exports::CsvExport;
use crate::spec::Spec;

/// Every operation with a `servers` of its own: its id, the path of the
/// spec's server URL and the path of its own (same scheme and host), or its
/// whole URL for an operation without security on another origin (any other
/// origin is an error).
pub fn other_bases(spec: &Spec) -> Result<Vec<(String, String, String)>, String> {
    let path_of = |value: Option<&Value>| -> Result<Option<(String, String)>, String> {
        let Some(url) = value
            .and_then(|servers| servers.pointer("/0/url"))
            .and_then(Value::as_str)
        else {
            return Ok(None);
        };
        let parsed = url::Url::parse(url).map_err(|error| format!("server `{url}`: {error}"))?;
        Ok(Some((
            parsed.origin().ascii_serialization(),
            parsed.path().trim_end_matches('/').to_owned(),
        )))
    };
    let Some((origin, base)) = path_of(spec.json.get("servers"))? else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    for operation in crate::spec::operations(&spec.json) {
        let id = operation["operationId"].as_str().unwrap_or_default();
        if let Some((own_origin, own)) = path_of(operation.get("servers"))? {
            if own_origin != origin {
                // Another host: only for an operation that needs no credential
                // (`security: []`), which is then sent without one.
                let anonymous = operation
                    .get("security")
                    .and_then(Value::as_array)
                    .is_some_and(Vec::is_empty);
                if !anonymous {
                    return Err(format!(
                        "{id}: its server `{own_origin}` is not the spec's `{origin}`; only an \
                         operation without security (`security: []`) may go to another origin \
                         (the credential goes nowhere else)"
                    ));
                }
                found.push((id.to_owned(), base.clone(), format!("{own_origin}{own}")));
            } else if own != base {
                found.push((id.to_owned(), base.clone(), own));
            }
        }
    }
    Ok(found)
}

/// `ROUTES` (a streamed route for each of `exports` and raw answers) and the
/// `ClientHooks` implementation.
pub fn routes_and_hooks(spec: &Spec, exports: &[CsvExport]) -> Result<Vec<syn::Item>, String> {
    let mut routes = Vec::new();
    let paths = spec
        .json
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten();
    for (path, item) in paths {
        let common = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (method, operation) in item.as_object().into_iter().flatten() {
            let Some(operation_id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let method = method.to_uppercase();
            let parameters = common
                .iter()
                .chain(
                    operation
                        .get("parameters")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten(),
                )
                .map(|parameter| spec.resolve(parameter));
            let limits = parameters
                .filter(|parameter| parameter.get("in").and_then(Value::as_str) == Some("query"))
                .filter_map(|parameter| {
                    let name = parameter.get("name")?.as_str()?;
                    let schema = spec.resolve(parameter.get("schema")?);
                    let (minimum, maximum) = bounds(schema, "minimum", "maximum")?;
                    Some(quote! {
                        ::dev_platform_runtime::QueryLimit { name: #name, minimum: #minimum, maximum: #maximum }
                    })
                });
            let date_window = match operation.get("x-date-window") {
                Some(window) => {
                    let start = window
                        .get("start")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    let end = window
                        .get("end")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    let max_days = window
                        .get("max_days")
                        .and_then(Value::as_i64)
                        .unwrap_or_default();
                    quote!(Some(::dev_platform_runtime::DateWindow { start: #start, end: #end, max_days: #max_days }))
                }
                None => quote!(None),
            };
            let body_limits = body_limits(spec, operation);
            // An export or a raw answer (a file) is read for as long as it takes.
            let streamed = exports
                .iter()
                .any(|export| export.operation_id == operation_id)
                || xtask::tools::raw_answer(&spec.json, operation);
            let template = super::path_slashes::route_template(spec, path, operation);
            routes.push((
                operation_id.to_owned(),
                quote! {
                    ::dev_platform_runtime::Route {
                        operation_id: #operation_id,
                        method: #method,
                        path: #template,
                        query_limits: &[#(#limits),*],
                        date_window: #date_window,
                        body_limits: &[#(#body_limits),*],
                        streamed: #streamed,
                    }
                },
            ));
        }
    }
    routes.sort_by(|a, b| a.0.cmp(&b.0));
    let routes = routes.into_iter().map(|(_, tokens)| tokens);
    let doc = format!(
        "Every operation of `{}`: method, path template and documented limits (query \
         ranges, date window, body array lengths), checked by `Runtime::prepare` before \
         each request.",
        spec.path.display()
    );
    let other_bases = other_bases(spec)?
        .into_iter()
        .map(|(id, from, to)| quote!((#id, #from, #to)));
    let bases_doc = "The operations served elsewhere than the spec's server (their own \
        `servers`): `(operation, the server's path, theirs)`, theirs a path on the same \
        origin or, for an operation without security, another origin's URL; `pre` moves \
        their requests there (`Runtime::rebase`).";
    let tokens = quote! {
        #[doc = #doc]
        pub const ROUTES: &[::dev_platform_runtime::Route] = &[#(#routes),*];

        #[doc = #bases_doc]
        pub const OTHER_BASES: &[(&str, &str, &str)] = &[#(#other_bases),*];

        impl ClientHooks<::dev_platform_runtime::Runtime> for Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &OperationInfo,
            ) -> std::result::Result<(), Error<E>> {
                self.inner.prepare(request, info)?;
                match OTHER_BASES.iter().find(|(id, ..)| *id == info.operation_id) {
                    Some((_, from, to)) => self.inner.rebase(request, info, from, to),
                    None => Ok(()),
                }
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                info: &OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                self.inner
                    .execute(&self.client, request, info.operation_id)
                    .await
            }
        }
    };
    let file: syn::File = syn::parse2(tokens).map_err(|error| error.to_string())?;
    Ok(file.items)
}

/// `minItems`/`maxItems` of the top-level array properties of a JSON request body.
fn body_limits(spec: &Spec, operation: &Value) -> Vec<TokenStream> {
    let schema = operation
        .get("requestBody")
        .map(|body| spec.resolve(body))
        .and_then(|body| body.pointer("/content/application~1json/schema"))
        .map(|schema| spec.resolve(schema));
    let properties = schema
        .and_then(|schema| schema.get("properties"))
        .and_then(Value::as_object);
    properties
        .into_iter()
        .flatten()
        .filter_map(|(field, property)| {
            let (min, max) = bounds(spec.resolve(property), "minItems", "maxItems")?;
            Some(quote! {
                ::dev_platform_runtime::BodyLimit { field: #field, min_items: #min, max_items: #max }
            })
        })
        .collect()
}

/// A schema's lower and upper bound under these keywords, as `Some(n)`/`None`
/// tokens, when it has either.
fn bounds(schema: &Value, lower: &str, upper: &str) -> Option<(TokenStream, TokenStream)> {
    let tokens = |key: &str| match schema.get(key).and_then(Value::as_i64) {
        Some(value) => {
            let value = proc_macro2::Literal::i64_unsuffixed(value);
            (quote!(Some(#value)), true)
        }
        None => (quote!(None), false),
    };
    let ((lower, has_lower), (upper, has_upper)) = (tokens(lower), tokens(upper));
    (has_lower || has_upper).then_some((lower, upper))
}
