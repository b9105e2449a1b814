//! Pagination: an operation with `x-pagination` gets `stream()` on its builder.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::syntax::{rust_integer, snake_case, variant_name};
use crate::spec::{Spec, names, operations};

/// How an operation's pages are reached (`x-pagination.style`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// `page`/`per_page`, pages numbered from 1.
    Page,
    /// `offset`/`limit` (or `skip`/`limit`), offsets in items from 0.
    Offset,
    /// `cursor`/`limit`: the cursor each page gives (`next`) asks for the next.
    Cursor,
}

/// A paginated operation (`x-pagination`), for which the builder gets a
/// `stream()` of every item.
pub struct Pagination {
    operation_id: String,
    style: Style,
    /// The parameter that moves: `page`, `offset` or `cursor`, and its Rust
    /// type (an integer's; a cursor is text).
    position: (String, TokenStream),
    /// The page-size parameter, its Rust type and documented default.
    size: (String, TokenStream, Option<i64>),
    /// The page's items, read from `response`.
    items: TokenStream,
    /// The totals, as `Option<u64>`, read from `response`.
    total_items: TokenStream,
    total_pages: TokenStream,
    /// The page number or offset the response reports, as `Option<u64>`.
    current: TokenStream,
    /// Whether more follow (`has_more`), as `Option<bool>`.
    has_more: TokenStream,
    /// The next page's cursor (`next`), as `Option<String>`.
    next_cursor: TokenStream,
    item_type: String,
}

impl Pagination {
    pub fn all(spec: &Spec) -> Result<Vec<Self>, String> {
        let mut all = Vec::new();
        for operation in operations(&spec.json) {
            let Some(declared) = operation.get("x-pagination") else {
                continue;
            };
            let operation_id = operation["operationId"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let text = |key: &str| declared.get(key).and_then(Value::as_str).map(str::to_owned);
            let missing = || format!("{operation_id}: incomplete `x-pagination`");
            let style = match text("style").as_deref() {
                Some("page") => Style::Page,
                Some("offset") => Style::Offset,
                Some("cursor") => Style::Cursor,
                other => {
                    return Err(format!(
                        "{operation_id}: `x-pagination` style {other:?} is none of page, offset, cursor"
                    ));
                }
            };
            let (position, size) = match style {
                Style::Page => (text("page"), text("per_page")),
                Style::Offset => (text("offset"), text("limit")),
                Style::Cursor => (text("cursor"), text("limit")),
            };
            let parameter = |name: &str| {
                let schema = pagination_parameter(spec, operation, name)
                    .ok_or_else(|| format!("{operation_id}: no query parameter `{name}`"))?;
                Ok::<_, String>((
                    rust_integer(schema),
                    schema.get("default").and_then(Value::as_i64),
                ))
            };
            let position = position.ok_or_else(missing)?;
            let size = size.ok_or_else(missing)?;
            let (position_type, _) = parameter(&position)?;
            if style == Style::Cursor && text("next").is_none() {
                return Err(format!(
                    "{operation_id}: a cursor `x-pagination` names the response's `next` cursor"
                ));
            }
            let (size_type, size_default) = parameter(&size)?;
            // The size the stream asks for when the builder sets none: the
            // parameter's documented default, else `x-pagination.page_size`.
            let size_default =
                size_default.or_else(|| declared.get("page_size").and_then(Value::as_i64));
            let items = text("items");
            let item_type =
                pagination_item_type(spec, operation, items.as_deref()).ok_or_else(|| {
                    format!("{operation_id}: `x-pagination` items are not a `$ref`'d schema")
                })?;
            let payload = spec
                .payload_schema(operation)
                .ok_or_else(|| format!("{operation_id}: no JSON success schema"))?;
            let count = |key: &str| match text(key) {
                Some(path) => count(spec, payload, &path),
                None => quote!(None),
            };
            let flag = |key: &str| match text(key) {
                Some(path) => boolean(spec, payload, &path),
                None => quote!(None),
            };
            let cursor = |key: &str| match text(key) {
                Some(path) => next_cursor(spec, payload, &path),
                None => quote!(None),
            };
            all.push(Self {
                style,
                position: (position, position_type),
                size: (size, size_type, size_default),
                items: match &items {
                    Some(field) => page_items(spec, payload, field),
                    None => quote!(response),
                },
                total_items: count("total"),
                total_pages: count("total_pages"),
                current: count("current"),
                has_more: flag("has_more"),
                next_cursor: cursor("next"),
                item_type,
                operation_id,
            });
        }
        Ok(all)
    }

    pub fn stream_method(&self) -> Result<syn::Item, String> {
        let builder = format_ident!(
            "{}",
            variant_name(&self.operation_id).ok_or("not a Rust name")?
        );
        let item = format_ident!("{}", self.item_type);
        let (position_name, position_type) = &self.position;
        let (size_name, size_type, size_default) = &self.size;
        let position_field = format_ident!("{}", snake_case(position_name));
        let size_field = format_ident!("{}", snake_case(size_name));
        let start = match self.style {
            Style::Page => "1",
            Style::Offset => "0",
            Style::Cursor => "the first page",
        };
        let default_size = match size_default {
            Some(default) => {
                let default = proc_macro2::Literal::i64_unsuffixed(*default);
                quote! {
                    let (builder, size) = match size {
                        Some(size) => (self, Some(size)),
                        None => (self.#size_field(#default as #size_type), Some(#default)),
                    };
                }
            }
            None => quote!(let builder = self;),
        };
        let (items, total_items, total_pages, current, has_more, next_cursor) = (
            &self.items,
            &self.total_items,
            &self.total_pages,
            &self.current,
            &self.has_more,
            &self.next_cursor,
        );
        // The first position (the builder's, else the style's start), and the
        // request for a position.
        let (first, request) = match self.style {
            Style::Page | Style::Offset => {
                let (variant, start) = match self.style {
                    Style::Page => (quote!(Page), quote!(1)),
                    _ => (quote!(Offset), quote!(0)),
                };
                (
                    quote! {
                        Position::#variant(match &self.#position_field {
                            Ok(Some(value)) => value.count(),
                            _ => None,
                        }
                        .unwrap_or(#start))
                    },
                    quote! {
                        let (Position::Page(value) | Position::Offset(value)) = position else {
                            unreachable!("a numbered stream asks for numbers");
                        };
                        let value = #position_type::try_from(value).unwrap_or(#position_type::MAX);
                        let request = builder.clone().#position_field(value);
                    },
                )
            }
            Style::Cursor => (
                quote! {
                    Position::Cursor(match &self.#position_field {
                        Ok(Some(value)) => Some(value.to_string()),
                        _ => None,
                    })
                },
                quote! {
                    let Position::Cursor(cursor) = position else {
                        unreachable!("a cursor stream asks for cursors");
                    };
                    let request = match cursor {
                        Some(cursor) => builder.clone().#position_field(cursor),
                        None => builder.clone(),
                    };
                },
            ),
        };
        let doc = format!(
            "Every item of every page, as a stream that fetches the pages as it is read \
             (see [`PageStream`](::dev_platform_runtime::PageStream) for a cap and \
             prefetching). It starts at the `{position_name}` set on the builder (or {start}) \
             and keeps its `{size_name}`{}.",
            match size_default {
                Some(default) => format!(" ({default} when unset)"),
                None => String::new(),
            }
        );
        Ok(syn::parse_quote! {
            impl<'a> #builder<'a> {
                #[doc = #doc]
                pub fn stream(self) -> ::dev_platform_runtime::PageStream<'a, types::#item> {
                    #[allow(unused_imports)]
                    use ::dev_platform_runtime::pagination::{Count, Page, Position};
                    let first = #first;
                    let size = match &self.#size_field {
                        Ok(Some(value)) => value.count(),
                        _ => None,
                    };
                    #default_size
                    ::dev_platform_runtime::PageStream::new(first, size, move |position| {
                        #request
                        async move {
                            let response = request.send().await?.into_inner();
                            Ok(Page {
                                total_items: #total_items,
                                total_pages: #total_pages,
                                current: #current,
                                has_more: #has_more,
                                next_cursor: #next_cursor,
                                items: #items,
                            })
                        }
                    })
                }
            }
        })
    }
}

/// The schema of an operation's query parameter.
fn pagination_parameter<'a>(spec: &'a Spec, operation: &'a Value, name: &str) -> Option<&'a Value> {
    operation
        .get("parameters")?
        .as_array()?
        .iter()
        .map(|parameter| spec.resolve(parameter))
        .find(|parameter| parameter.get("name").and_then(Value::as_str) == Some(name))
        .and_then(|parameter| parameter.get("schema"))
        .map(|schema| spec.resolve(schema))
}

/// Whether `field` of `schema` may be absent from a response (its type is an
/// `Option`): every field but the identity fields
/// ([`tolerance`](super::tolerance)).
fn optional(schema: &Value, field: &str) -> bool {
    !names(schema, "x-identity").contains(&field)
}

/// The items of a page: the field itself, or, where a response may leave it
/// out, the field or a decode error naming it (a page without its list is not
/// an empty page).
fn page_items(spec: &Spec, payload: &Value, field: &str) -> TokenStream {
    let ident = format_ident!("{}", snake_case(field));
    if optional(spec.resolve(payload), field) {
        let path = format!("$.{field}");
        quote!(::dev_platform_runtime::pagination::items(response.#ident, #path)?)
    } else {
        quote!(response.#ident)
    }
}

/// A count at a dotted path (`pagination.totalPages`) of the response, as an
/// `Option<u64>`, through the optional objects on the way.
fn count(spec: &Spec, payload: &Value, path: &str) -> TokenStream {
    let count = quote!(::dev_platform_runtime::pagination::Count::count);
    read(spec, payload, path, count)
}

/// A flag (`has_more`) at a dotted path of the response, as an `Option<bool>`.
fn boolean(spec: &Spec, payload: &Value, path: &str) -> TokenStream {
    read(
        spec,
        payload,
        path,
        quote!(::dev_platform_runtime::pagination::Flag::flag),
    )
}

/// The next page's cursor at a dotted path of the response, as an
/// `Option<String>`.
fn next_cursor(spec: &Spec, payload: &Value, path: &str) -> TokenStream {
    read(
        spec,
        payload,
        path,
        quote!(::dev_platform_runtime::pagination::Cursor::cursor),
    )
}

/// The value at a dotted path of the response through `reader` (a function of
/// a reference to the field: `Count::count`, `Flag::flag`, `Cursor::cursor`),
/// through the optional objects on the way.
fn read(spec: &Spec, payload: &Value, path: &str, count: TokenStream) -> TokenStream {
    let mut schema = spec.resolve(payload);
    // `response.a.b` while no optional object was crossed, then an
    // `Option<&T>` of the object reached.
    let mut access = quote!(response);
    let mut borrowed = false;
    let parts: Vec<&str> = path.split('.').collect();
    for (index, part) in parts.iter().enumerate() {
        let ident = format_ident!("{}", snake_case(part));
        if index + 1 == parts.len() {
            return if borrowed {
                quote!(#access.and_then(|value| #count(&value.#ident)))
            } else {
                quote!(#count(&#access.#ident))
            };
        }
        access = match (borrowed, optional(schema, part)) {
            (false, false) => quote!(#access.#ident),
            (false, true) => quote!(#access.#ident.as_ref()),
            (true, false) => quote!(#access.map(|value| &value.#ident)),
            (true, true) => quote!(#access.and_then(|value| value.#ident.as_ref())),
        };
        borrowed |= optional(schema, part);
        schema = schema
            .pointer(&format!("/properties/{part}"))
            .map(|property| spec.resolve(property))
            .unwrap_or(&Value::Null);
    }
    quote!(None)
}

/// The schema name of a paginated response's items.
fn pagination_item_type(spec: &Spec, operation: &Value, items: Option<&str>) -> Option<String> {
    let payload = spec.payload_schema(operation)?;
    let array = match items {
        Some(field) => spec.resolve(payload.pointer(&format!("/properties/{field}"))?),
        None => payload,
    };
    let reference = array.pointer("/items/$ref")?.as_str()?;
    Some(reference.rsplit('/').next()?.to_owned())
}
