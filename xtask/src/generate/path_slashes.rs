//! File paths as path parameters: a parameter marked `x-path-slashes: true`
//! (the last segment of its template, e.g. `/repos/{owner}/{repo}/raw/{path}`)
//! keeps its `/` on the wire, each segment percent-encoded
//! (`dev_platform_runtime::encode_path_segments`), where progenitor would
//! send `%2F`; its route says `{path*}`, so `Route::check_path` accepts
//! several segments there and still refuses empty, `.` and `..` ones.

use serde_json::Value;

use super::syntax::{field_name, send_method};
use crate::spec::{Spec, operations};

/// The names of an operation's path parameters marked `x-path-slashes`.
pub fn parameters(spec: &Spec, operation: &Value) -> Vec<String> {
    operation
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|parameter| spec.resolve(parameter))
        .filter(|parameter| parameter.get("x-path-slashes").and_then(Value::as_bool) == Some(true))
        .filter_map(|parameter| parameter.get("name").and_then(Value::as_str))
        .map(str::to_owned)
        .collect()
}

/// The route's template: `{name}` of such a parameter written `{name*}`.
pub fn route_template(spec: &Spec, template: &str, operation: &Value) -> String {
    parameters(spec, operation)
        .iter()
        .fold(template.to_owned(), |template, name| {
            template.replace(&format!("{{{name}}}"), &format!("{{{name}*}}"))
        })
}

/// Rewrites each such parameter's `encode_path(&name.to_string())` in its
/// operation's `send()` (inside the `format!` that builds the URL, whose
/// arguments are tokens, not parsed expressions).
pub fn keep_slashes(spec: &Spec, file: &mut syn::File) -> Result<(), String> {
    struct Rewrite {
        field: syn::Ident,
        rewritten: usize,
    }
    impl syn::visit_mut::VisitMut for Rewrite {
        fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
            let field = &self.field;
            let from = quote::quote!(encode_path(&#field.to_string())).to_string();
            let to =
                quote::quote!(::dev_platform_runtime::encode_path_segments(&#field.to_string()))
                    .to_string();
            let tokens = mac.tokens.to_string();
            if mac.path.is_ident("format")
                && tokens.contains(&from)
                && let Ok(rewritten) = tokens.replace(&from, &to).parse()
            {
                mac.tokens = rewritten;
                self.rewritten += 1;
            }
        }
    }
    for operation in operations(&spec.json) {
        let id = operation["operationId"].as_str().unwrap_or_default();
        for name in parameters(spec, operation) {
            let mut rewrite = Rewrite {
                field: field_name(&name),
                rewritten: 0,
            };
            syn::visit_mut::VisitMut::visit_impl_item_fn_mut(&mut rewrite, send_method(file, id)?);
            if rewrite.rewritten != 1 {
                return Err(format!(
                    "{id}: expected one `encode_path` of `{name}` in `send`, found {}",
                    rewrite.rewritten
                ));
            }
        }
    }
    Ok(())
}
