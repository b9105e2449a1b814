//! The surface of a generated provider crate as readable text: every operation
//! as `METHOD path -> method(param: Type, ...) -> Success | Error` and every type
//! with its fields, read from `crates/<provider>/src/generated.rs` with `syn`.
//! The snapshot of this text (`tests/tests/snapshots/surface__<provider>.snap`)
//! makes a spec edit show up in review as a diff of what users see, and
//! [`semver`](crate::semver) classifies that diff.

use std::fmt::Write;

use quote::ToTokens;

/// Describes a generated provider crate's code (the text of its
/// `generated.rs`). Fails only when the text is not Rust or lacks the
/// `types` or `builder` module.
pub fn describe(generated: &str) -> Result<String, String> {
    let file = syn::parse_file(generated).map_err(|error| error.to_string())?;
    if module(&file.items, "builder").is_none() {
        return Err("no `builder` module".into());
    }
    let mut out = String::new();
    writeln!(out, "## Operations").unwrap();
    for operation in operations(&file) {
        writeln!(out, "{operation}").unwrap();
    }
    writeln!(out, "\n## Types").unwrap();
    let types = module(&file.items, "types").ok_or("no `types` module")?;
    for item in types {
        if let Some(description) = describe_type(item) {
            writeln!(out, "{description}").unwrap();
        }
    }
    if let Some(mock) = module(&file.items, "mock") {
        writeln!(out, "\n## Mock").unwrap();
        for line in mock_lines(mock) {
            writeln!(out, "{line}").unwrap();
        }
    }
    Ok(out)
}

/// One line per operation of the typed mock (the `mock` feature), sorted:
/// `get_org: when org(String) then ok(&Organization)`; its matchers take
/// what the request builder's setters take. (The version check reads the
/// operations and types above: the mock is made from them.)
fn mock_lines(mock: &[syn::Item]) -> Vec<String> {
    let thens = mock_methods(mock, "then");
    let mut lines: Vec<String> = mock_methods(mock, "when")
        .into_iter()
        .map(|(operation, matchers)| {
            let answers = thens
                .iter()
                .find(|(then, _)| *then == operation)
                .map(|(_, answers)| answers.join(", "))
                .unwrap_or_default();
            let matchers = if matchers.is_empty() {
                "(any request)".to_owned()
            } else {
                matchers.join(", ")
            };
            format!("{operation}: when {matchers} then {answers}")
        })
        .collect();
    lines.sort();
    lines
}

/// The operations of the mock's `when` or `then` module, each with its
/// methods as `name(Type, ...)`. A struct's operation is the one its doc
/// names first ("Which `get_org` requests to answer").
fn mock_methods(mock: &[syn::Item], name: &str) -> Vec<(String, Vec<String>)> {
    let items = module(mock, name).unwrap_or_default();
    let operation_of = |ident: &syn::Ident| {
        items.iter().find_map(|item| match item {
            syn::Item::Struct(structure) if structure.ident == *ident => {
                Some(doc(&structure.attrs).split('`').nth(1)?.to_owned())
            }
            _ => None,
        })
    };
    items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block) if block.trait_.is_none() => Some(block),
            _ => None,
        })
        .filter_map(|block| {
            let syn::Type::Path(path) = &*block.self_ty else {
                return None;
            };
            let operation = operation_of(&path.path.segments.last()?.ident)?;
            let methods = block
                .items
                .iter()
                .filter_map(|item| match item {
                    syn::ImplItem::Fn(f) => Some(mock_method(f)),
                    _ => None,
                })
                .collect();
            Some((operation, methods))
        })
        .collect()
}

/// `org(String)` for a matcher (the type its `V` converts to), `ok(&Organization)`
/// or `pages(&[OrgMember])` for an answer.
fn mock_method(f: &syn::ImplItemFn) -> String {
    let arguments: Vec<String> = match setter_target(f) {
        Some(target) => vec![render(target)],
        None => f
            .sig
            .inputs
            .iter()
            .filter_map(|input| match input {
                syn::FnArg::Typed(typed) => Some(match &*typed.ty {
                    syn::Type::Reference(reference) => match &*reference.elem {
                        syn::Type::Slice(slice) => format!("&[{}]", render(&slice.elem)),
                        elem => format!("&{}", render(elem)),
                    },
                    ty => render(ty),
                }),
                _ => None,
            })
            .collect(),
    };
    format!("{}({})", f.sig.ident, arguments.join(", "))
}

/// `T` of a builder setter's `where V: std::convert::TryInto<T>`: the type
/// the request builder (and the typed mock's matcher) takes.
pub fn setter_target(method: &syn::ImplItemFn) -> Option<&syn::Type> {
    let clause = method.sig.generics.where_clause.as_ref()?;
    clause.predicates.iter().find_map(|predicate| {
        let syn::WherePredicate::Type(predicate) = predicate else {
            return None;
        };
        predicate.bounds.iter().find_map(|bound| {
            let syn::TypeParamBound::Trait(bound) = bound else {
                return None;
            };
            let last = bound.path.segments.last()?;
            if last.ident != "TryInto" {
                return None;
            }
            let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
                return None;
            };
            arguments.args.iter().find_map(|argument| match argument {
                syn::GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
        })
    })
}

fn module<'f>(items: &'f [syn::Item], name: &str) -> Option<&'f [syn::Item]> {
    items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == name => {
            module.content.as_ref().map(|c| c.1.as_slice())
        }
        _ => None,
    })
}

fn doc(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter_map(|attr| match &attr.meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One line per operation, sorted by method name.
fn operations(file: &syn::File) -> Vec<String> {
    let builders = module(&file.items, "builder").expect("a `builder` module");
    let mut lines = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() || block.self_ty.to_token_stream().to_string() != "Client" {
            continue;
        }
        for item in &block.items {
            let syn::ImplItem::Fn(method) = item else {
                continue;
            };
            let doc = doc(&method.attrs);
            let Some(request) = doc
                .lines()
                .find_map(|line| line.trim().strip_prefix("Sends a `"))
            else {
                continue;
            };
            let (http_method, rest) = request
                .split_once("` request to `")
                .expect("method and path");
            let path = rest.trim_end_matches('`');
            let builder_name = match &method.sig.output {
                syn::ReturnType::Type(_, ty) => last_ident(ty),
                syn::ReturnType::Default => continue,
            };
            let (params, response) = builder_signature(builders, &builder_name);
            let name = method.sig.ident.to_string();
            let line = format!(
                "{http_method} {path} -> {name}({}) -> {response}",
                params.join(", ")
            );
            lines.push((name, line));
        }
    }
    lines.sort();
    lines.into_iter().map(|(_, line)| line).collect()
}

/// The parameters (builder fields) and `Success | Error` of a builder's `send`.
fn builder_signature(builders: &[syn::Item], name: &str) -> (Vec<String>, String) {
    let mut params = Vec::new();
    let mut response = String::from("?");
    let mut envelope = None;
    let mut extras = Vec::new();
    for item in builders {
        match item {
            syn::Item::Struct(s) if s.ident == name => {
                for field in &s.fields {
                    let ident = field.ident.as_ref().expect("named field").to_string();
                    if ident == "client" {
                        continue;
                    }
                    // Builder fields are `Result<T, String>`: T is the parameter.
                    let ty = generic_args(&field.ty)
                        .into_iter()
                        .next()
                        .unwrap_or(&field.ty);
                    params.push(format!("{ident}: {}", render(ty)));
                }
            }
            syn::Item::Impl(block) if last_ident(&block.self_ty) == name => {
                for item in &block.items {
                    let syn::ImplItem::Fn(f) = item else { continue };
                    let only_self = f.sig.inputs.len() == 1 && f.sig.receiver().is_some();
                    if only_self && f.sig.ident != "send" {
                        // A generated extra: `csv()` of a CSV export, `stream()`
                        // of a paginated operation.
                        if let syn::ReturnType::Type(_, ty) = &f.sig.output {
                            let output = if f.sig.asyncness.is_some() {
                                generic_args(ty).first().map(|ty| render(ty))
                            } else {
                                Some(render(ty))
                            };
                            extras.push(format!(
                                ".{}() -> {}",
                                f.sig.ident,
                                output.unwrap_or_else(|| "?".into())
                            ));
                        }
                        continue;
                    }
                    if f.sig.ident != "send" {
                        continue;
                    }
                    let body = f.block.to_token_stream().to_string();
                    // `decode_envelope(response, "<operation>", "<field>", &shape)`
                    if let Some(at) = body.find("decode_envelope (response , ") {
                        let field = body[at..].split('"').nth(3).unwrap_or("?");
                        envelope = Some(format!(" (the `{field}` of a `success` envelope)"));
                    }
                    if let syn::ReturnType::Type(_, ty) = &f.sig.output {
                        // Result<ResponseValue<S>, Error<E>>
                        let args = generic_args(ty);
                        let inner = |index: usize| {
                            let outer = args.get(index)?;
                            generic_args(outer).first().map(|ty| render(ty))
                        };
                        // `Error<E>` shows its `E`; the runtime's `Error` itself.
                        let error = inner(1).or_else(|| args.get(1).map(|ty| render(ty)));
                        let success = inner(0);
                        response = format!(
                            "{} | {}",
                            success.unwrap_or_else(|| "?".into()),
                            error.unwrap_or_else(|| "()".into())
                        );
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(envelope) = envelope {
        response.push_str(&envelope);
    }
    for extra in extras {
        response.push_str("; ");
        response.push_str(&extra);
    }
    (params, response)
}

fn last_ident(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn generic_args(ty: &syn::Type) -> Vec<&syn::Type> {
    let syn::Type::Path(path) = ty else {
        return Vec::new();
    };
    let Some(last) = path.path.segments.last() else {
        return Vec::new();
    };
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return Vec::new();
    };
    args.args
        .iter()
        .filter_map(|arg| match arg {
            syn::GenericArgument::Type(ty) => Some(ty),
            _ => None,
        })
        .collect()
}

/// A type with paths shortened to their last segment: `Option<Vec<Id>>`.
fn render(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(path) => {
            let Some(last) = path.path.segments.last() else {
                return String::new();
            };
            let args = generic_args(ty);
            if args.is_empty() {
                last.ident.to_string()
            } else {
                format!(
                    "{}<{}>",
                    last.ident,
                    args.iter()
                        .map(|a| render(a))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        }
        syn::Type::Tuple(t) if t.elems.is_empty() => "()".into(),
        syn::Type::Reference(r) => format!("&{}", render(&r.elem)),
        other => other.to_token_stream().to_string(),
    }
}

fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    serde_values(attrs, "rename").into_iter().next()
}

/// Every `#[serde(<key> = "...")]` value, in order.
fn serde_values(attrs: &[syn::Attribute], key: &str) -> Vec<String> {
    let mut values = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(key) {
                let value: syn::LitStr = meta.value()?.parse()?;
                values.push(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    values
}

fn describe_type(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => {
            let name = &s.ident;
            match &s.fields {
                syn::Fields::Named(fields) => {
                    let non_exhaustive =
                        s.attrs.iter().any(|a| a.path().is_ident("non_exhaustive"));
                    let marker = if non_exhaustive {
                        "#[non_exhaustive] "
                    } else {
                        ""
                    };
                    let mut out = format!("{marker}struct {name} {{\n");
                    for field in &fields.named {
                        let ident = field.ident.as_ref().expect("named");
                        let mut wire = serde_rename(&field.attrs)
                            .map(|r| format!(" (\"{r}\")"))
                            .unwrap_or_default();
                        for alias in serde_values(&field.attrs, "alias") {
                            write!(wire, " (or \"{alias}\")").unwrap();
                        }
                        writeln!(out, "    {ident}{wire}: {},", render(&field.ty)).unwrap();
                    }
                    out.push('}');
                    Some(out)
                }
                syn::Fields::Unnamed(fields) => Some(format!(
                    "struct {name}({})",
                    fields
                        .unnamed
                        .iter()
                        .map(|f| render(&f.ty))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                syn::Fields::Unit => Some(format!("struct {name}")),
            }
        }
        syn::Item::Enum(e) => {
            let variants = e
                .variants
                .iter()
                .map(|v| match serde_rename(&v.attrs) {
                    Some(wire) => format!("{} = \"{wire}\"", v.ident),
                    None => v.ident.to_string(),
                })
                .collect::<Vec<_>>();
            Some(format!("enum {} {{ {} }}", e.ident, variants.join(", ")))
        }
        syn::Item::Macro(m)
            if m.mac
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "open_enum") =>
        {
            // `Variant = "value"` parses as an enum with discriminants.
            let body: syn::ItemEnum = syn::parse2(m.mac.tokens.clone()).expect("open_enum! body");
            let variants = body
                .variants
                .iter()
                .map(|v| match &v.discriminant {
                    Some((_, value)) => format!("{} = {}", v.ident, value.to_token_stream()),
                    None => v.ident.to_string(),
                })
                .collect::<Vec<_>>();
            Some(format!(
                "open enum {} {{ {}, Unknown(UnknownValue) }}",
                body.ident,
                variants.join(", ")
            ))
        }
        _ => None,
    }
}
