//! Pagination: an operation with `x-pagination` gets `stream()` on its builder.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::syntax::{operations, rust_integer, snake_case, variant_name};
use crate::spec::Spec;

/// A paginated operation (`x-pagination`), for which the builder gets a
/// `stream()` of every item.
pub struct Pagination {
    operation_id: String,
    /// `Position::Page` or `Position::Offset`.
    offset: bool,
    /// The parameter that moves: `page` or `offset`, and its Rust type.
    position: (String, TokenStream),
    /// The page-size parameter, its Rust type and documented default.
    size: (String, TokenStream, Option<i64>),
    /// The items' field in the response (`None`: the response is the array).
    items: Option<String>,
    total_items: Option<String>,
    total_pages: Option<String>,
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
            let offset = text("style").as_deref() == Some("offset");
            let (position, size) = if offset {
                (text("offset"), text("limit"))
            } else {
                (text("page"), text("per_page"))
            };
            let missing = || format!("{operation_id}: incomplete `x-pagination`");
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
            all.push(Self {
                operation_id,
                offset,
                position: (position, position_type),
                size: (size, size_type, size_default),
                items,
                total_items: text("total"),
                total_pages: text("total_pages"),
                item_type,
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
        let (start, variant) = if self.offset {
            (quote!(0), quote!(Offset))
        } else {
            (quote!(1), quote!(Page))
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
        let field_path = |path: &str| {
            let fields = path
                .split('.')
                .map(|part| format_ident!("{}", snake_case(part)));
            quote!(response #(.#fields)*)
        };
        let items = match &self.items {
            Some(items) => field_path(items),
            None => quote!(response),
        };
        let count = |path: &Option<String>| match path {
            Some(path) => {
                let field = field_path(path);
                quote!(::dev_platform_runtime::pagination::Count::count(&#field))
            }
            None => quote!(None),
        };
        let (total_items, total_pages) = (count(&self.total_items), count(&self.total_pages));
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
                    use ::dev_platform_runtime::pagination::{Count, Page, Position};
                    let first = match &self.#position_field {
                        Ok(Some(value)) => value.count(),
                        _ => None,
                    }
                    .unwrap_or(#start);
                    let size = match &self.#size_field {
                        Ok(Some(value)) => value.count(),
                        _ => None,
                    };
                    #default_size
                    ::dev_platform_runtime::PageStream::new(Position::#variant(first), size, move |position| {
                        let (Position::Page(value) | Position::Offset(value)) = position;
                        let value = #position_type::try_from(value).unwrap_or(#position_type::MAX);
                        let request = builder.clone().#position_field(value);
                        async move {
                            let response = request.send().await?.into_inner();
                            Ok(Page {
                                total_items: #total_items,
                                total_pages: #total_pages,
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
