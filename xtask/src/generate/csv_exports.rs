//! CSV exports: a `text/csv` response with `x-csv-row` gets `.csv()` on its
//! builder and `impl CsvRow` on its row type.

use quote::format_ident;
use serde_json::Value;

use super::syntax::{builder_module, result_error_type, send_method, types_module, variant_name};
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
        types_module(file)?.push(syn::parse_quote! {
            impl ::dev_platform_runtime::CsvRow for #row {
                #[doc = #column_doc]
                const COLUMNS: &'static [&'static str] = &[#(#columns),*];
            }
        });
        Ok(())
    }
}
