//! Finding things in the spec and in progenitor's output, shared by the passes.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

/// `maintainer` → `Maintainer`, `in_progress` → `InProgress`.
pub fn variant_name(value: &str) -> Option<String> {
    let name: String = value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first
                .into_iter()
                .chain(chars.map(|c| c.to_ascii_lowercase()))
                .collect::<String>()
        })
        .collect();
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        .then_some(name)
}

/// The JSON key of a generated field: its `#[serde(rename = "...")]`, or its name.
pub fn field_key(field: &syn::Field) -> Option<String> {
    let mut key = field.ident.as_ref().map(ToString::to_string);
    for attribute in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attribute.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                key = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    key
}

/// The last type argument of a path type: `T` of `ResponseValue<T>`,
/// `PageStream<'a, T>` or `CsvExport<T>`.
pub fn last_generic(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(arguments) = &path.path.segments.last()?.arguments
    else {
        return None;
    };
    arguments
        .args
        .iter()
        .rev()
        .find_map(|argument| match argument {
            syn::GenericArgument::Type(ty) => Some(ty.clone()),
            _ => None,
        })
}

/// The items of progenitor's `types` module.
pub fn types_module(file: &mut syn::File) -> Result<&mut Vec<syn::Item>, String> {
    module(file, "types")
}

/// The items of progenitor's `builder` module.
pub fn builder_module(file: &mut syn::File) -> Result<&mut Vec<syn::Item>, String> {
    module(file, "builder")
}

pub fn module<'f>(file: &'f mut syn::File, name: &str) -> Result<&'f mut Vec<syn::Item>, String> {
    file.items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == name => module.content.as_mut(),
            _ => None,
        })
        .map(|(_, items)| items)
        .ok_or_else(|| format!("progenitor's output has no `{name}` module"))
}

/// Whether `block` is the inherent `impl` of the builder type `builder`.
pub fn is_builder_impl(block: &syn::ItemImpl, builder: &str) -> bool {
    block.trait_.is_none()
        && matches!(&*block.self_ty, syn::Type::Path(path)
            if path.path.segments.last().is_some_and(|segment| segment.ident == builder))
}

/// The name of an operation's builder type: `get_org` → `GetOrg`.
pub fn builder_name(operation_id: &str) -> Result<String, String> {
    variant_name(operation_id).ok_or_else(|| format!("{operation_id}: not a Rust name"))
}

/// The `send` method of an operation's builder.
pub fn send_method<'a>(
    file: &'a mut syn::File,
    operation_id: &str,
) -> Result<&'a mut syn::ImplItemFn, String> {
    let builder = builder_name(operation_id)?;
    builder_module(file)?
        .iter_mut()
        .filter_map(|item| match item {
            syn::Item::Impl(block) if is_builder_impl(block, &builder) => Some(block),
            _ => None,
        })
        .flat_map(|block| block.items.iter_mut())
        .find_map(|item| match item {
            syn::ImplItem::Fn(method) if method.sig.ident == "send" => Some(method),
            _ => None,
        })
        .ok_or_else(|| {
            format!("{operation_id}: progenitor's output has no `builder::{builder}::send`")
        })
}

/// Every method of an operation's builder (its setters, `send`, and the
/// `stream`/`csv` the passes added), in order.
pub fn builder_fns<'a>(
    file: &'a syn::File,
    operation_id: &str,
) -> Result<Vec<&'a syn::ImplItemFn>, String> {
    let builder = builder_name(operation_id)?;
    let items = file
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == "builder" => module.content.as_ref(),
            _ => None,
        })
        .map(|(_, items)| items)
        .ok_or("progenitor's output has no `builder` module")?;
    Ok(items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block) if is_builder_impl(block, &builder) => Some(block),
            _ => None,
        })
        .flat_map(|block| &block.items)
        .filter_map(|item| match item {
            syn::ImplItem::Fn(method) => Some(method),
            _ => None,
        })
        .collect())
}

/// The builder setter of a parameter, as progenitor names it: `per_page`,
/// `pageSize` → `page_size`, `type` → `type_`.
pub fn field_name(name: &str) -> proc_macro2::Ident {
    let snake = snake_case(name);
    if KEYWORDS.contains(&snake.as_str()) {
        quote::format_ident!("{snake}_")
    } else {
        quote::format_ident!("{snake}")
    }
}

/// Rust's keywords, strict and reserved: a field or setter of one of these
/// names gets a trailing `_`, as typify and progenitor name it (`type_`,
/// `ref_`).
const KEYWORDS: [&str; 52] = [
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "Self",
];

/// The Rust integer a builder setter takes for this schema: `u32` or `u64`
/// for progenitor's `NonZeroU32` or `NonZeroU64` (`minimum: 1`), else `i32`
/// or `i64`.
pub fn rust_integer(schema: &Value) -> TokenStream {
    let int64 = schema.get("format").and_then(Value::as_str) == Some("int64");
    if schema
        .get("minimum")
        .and_then(Value::as_i64)
        .is_some_and(|min| min >= 1)
    {
        if int64 { quote!(u64) } else { quote!(u32) }
    } else if int64 {
        quote!(i64)
    } else {
        quote!(i32)
    }
}

/// `totalPages` → `total_pages`, as typify names fields.
pub fn snake_case(name: &str) -> String {
    let mut snake = String::new();
    for (index, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if index > 0 {
                snake.push('_');
            }
            snake.push(c.to_ascii_lowercase());
        } else {
            snake.push(c);
        }
    }
    snake
}

/// `E` of `Result<T, E>`.
pub fn result_error_type(output: &syn::Type) -> Option<syn::Type> {
    result_type_argument(output, 1)
}

/// The type argument at `index` of `Result<T, E>`.
pub fn result_type_argument(output: &syn::Type, index: usize) -> Option<syn::Type> {
    let syn::Type::Path(path) = output else {
        return None;
    };
    let last = path
        .path
        .segments
        .last()
        .filter(|segment| segment.ident == "Result")?;
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.iter().nth(index)? {
        syn::GenericArgument::Type(argument) => Some(argument.clone()),
        _ => None,
    }
}
