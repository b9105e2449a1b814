//! CSV exports: a `text/csv` response with `x-csv-row` gets `.csv()` on its
//! builder and `impl CsvRow` on its row type, which decodes each field from
//! its cell by the column's position (`CsvRecord::cell`), and `impl CsvCell`
//! on each generated enum a row holds (open enums have it from `open_enum!`).

use quote::format_ident;
use serde_json::Value;

use super::syntax::{
    builder_module, field_key, last_generic, result_error_type, send_method, types_module,
    variant_name,
};
use crate::spec::{Spec, operations};

/// An operation answering `text/csv` rows of the schema named by `x-csv-row`.
pub struct CsvExport {
    pub operation_id: String,
    row: String,
    columns: Vec<String>,
}

impl CsvExport {
    pub fn all(spec: &Spec) -> Vec<Self> {
        let mut exports = Vec::new();
        for operation in operations(&spec.json) {
            let operation_id = operation["operationId"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let rows = operation
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter_map(|(_, response)| {
                    spec.resolve(response)
                        .pointer("/content/text~1csv/x-csv-row")
                        .and_then(Value::as_str)
                });
            for row in rows {
                let columns = spec
                    .json
                    .pointer(&format!("/components/schemas/{row}/properties"))
                    .and_then(Value::as_object)
                    .map(|properties| properties.keys().cloned().collect())
                    .unwrap_or_default();
                exports.push(Self {
                    operation_id: operation_id.clone(),
                    row: row.to_owned(),
                    columns,
                });
            }
        }
        exports
    }

    /// `impl CsvRow for types::<Row>` and the builder's `csv()`.
    pub fn add_methods(&self, file: &mut syn::File) -> Result<(), String> {
        let send = send_method(file, &self.operation_id)?;
        let error = match &send.sig.output {
            syn::ReturnType::Type(_, output) => result_error_type(output),
            syn::ReturnType::Default => None,
        }
        .ok_or_else(|| format!("{}: `send` does not return a `Result`", self.operation_id))?;
        let builder = format_ident!(
            "{}",
            variant_name(&self.operation_id).expect("checked by send_method")
        );
        let row = format_ident!("{}", self.row);
        let columns = &self.columns;
        let column_doc = format!(
            "The columns of the `{}` export: {}.",
            self.operation_id,
            columns
                .iter()
                .map(|column| format!("`{column}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        builder_module(file)?.push(syn::parse_quote! {
            impl<'a> #builder<'a> {
                /// Sends the request and returns the export, to read as typed rows
                /// ([`CsvExport::rows`](::dev_platform_runtime::CsvExport::rows)) or to copy
                /// unparsed to a file ([`CsvExport::copy_to`](::dev_platform_runtime::CsvExport::copy_to)).
                pub async fn csv(self) -> Result<::dev_platform_runtime::CsvExport<types::#row>, #error> {
                    self.send().await.map(::dev_platform_runtime::CsvExport::new)
                }
            }
        });
        let types = types_module(file)?;
        let Some((fields, cells)) = self.fields(types)? else {
            // A row type that is a JSON response's too has fields that are
            // no column (`extra`): serde decodes it by header name.
            types.push(syn::parse_quote! {
                impl ::dev_platform_runtime::CsvRow for #row {
                    #[doc = #column_doc]
                    const COLUMNS: &'static [&'static str] = &[#(#columns),*];
                }
            });
            return Ok(());
        };
        types.push(syn::parse_quote! {
            impl ::dev_platform_runtime::CsvRow for #row {
                #[doc = #column_doc]
                const COLUMNS: &'static [&'static str] = &[#(#columns),*];

                fn from_record(
                    record: &::dev_platform_runtime::CsvRecord<'_>,
                ) -> ::std::result::Result<Self, ::dev_platform_runtime::ExportError> {
                    Ok(Self { #(#fields),* })
                }
            }
        });
        for cell in cells {
            if types.iter().any(|item| impls_csv_cell(item, &cell)) {
                continue;
            }
            types.push(syn::parse_quote! {
                impl ::dev_platform_runtime::CsvCell for #cell {
                    fn from_cell(
                        cell: &[u8],
                    ) -> ::std::result::Result<Self, ::dev_platform_runtime::InvalidCell> {
                        ::dev_platform_runtime::parse_cell(cell)
                    }
                }
            });
        }
        Ok(())
    }

    /// `field: record.cell(<column's index>)?` for each field of the row
    /// type, and the generated enums among the fields' types (progenitor's
    /// enums, not the open ones, which are macro invocations); `None` when a
    /// field is no column.
    #[allow(clippy::type_complexity)]
    fn fields(
        &self,
        types: &[syn::Item],
    ) -> Result<Option<(Vec<syn::FieldValue>, Vec<syn::Ident>)>, String> {
        let fields = types
            .iter()
            .find_map(|item| match item {
                syn::Item::Struct(row) if row.ident == self.row => Some(&row.fields),
                _ => None,
            })
            .ok_or_else(|| format!("{}: no struct `{}`", self.operation_id, self.row))?;
        let mut values = Vec::new();
        let mut cells = Vec::new();
        for field in fields {
            let key = field_key(field).unwrap_or_default();
            let Some(index) = self.columns.iter().position(|column| *column == key) else {
                return Ok(None);
            };
            let ident = field.ident.as_ref().expect("a named field");
            let index = proc_macro2::Literal::usize_unsuffixed(index);
            values.push(syn::parse_quote!(#ident: record.cell(#index)?));
            let leaf = match last_generic(&field.ty) {
                Some(inner) if is_option(&field.ty) => inner,
                _ => field.ty.clone(),
            };
            if let Some(name) = generated_type(&leaf)
                && types.iter().any(
                    |item| matches!(item, syn::Item::Enum(generated) if generated.ident == name),
                )
                && !cells.contains(&name)
            {
                cells.push(name);
            }
        }
        Ok(Some((values, cells)))
    }
}

fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path)
        if path.path.segments.last().is_some_and(|segment| segment.ident == "Option"))
}

/// `X` of `crate::types::X`.
fn generated_type(ty: &syn::Type) -> Option<syn::Ident> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let names: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    match &names[..] {
        [krate, types, _] if krate == "crate" && types == "types" => path
            .path
            .segments
            .last()
            .map(|segment| segment.ident.clone()),
        _ => None,
    }
}

/// Whether `item` is `impl CsvCell for <cell>` (made for an earlier export).
fn impls_csv_cell(item: &syn::Item, cell: &syn::Ident) -> bool {
    let syn::Item::Impl(block) = item else {
        return false;
    };
    let names_trait = block.trait_.as_ref().is_some_and(|(path, _)| {
        path.segments
            .last()
            .is_some_and(|segment| segment.ident == "CsvCell")
    });
    names_trait && matches!(&*block.self_ty, syn::Type::Path(path) if path.path.is_ident(cell))
}
