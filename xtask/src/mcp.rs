//! The MCP tools of one provider for `devplat mcp`:
//! `crates/cli/src/mcp/<provider>.rs`, a table of the tools
//! ([`xtask::tools`]: names, descriptions, JSON Schemas, hints) and the code
//! that calls the typed client for each, with the arguments deserialized by
//! their spec names into the types the CLI's commands take.

use std::path::Path;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use xtask::tools::{Answer, Tool};

use crate::cli::{Parameter, body_schema, parameters};
use crate::generate::syntax::field_name;
use crate::generate::{Output, generated};
use crate::spec::Spec;

/// Generates the provider's tool module.
pub fn generate(spec: &Spec) -> Result<Output, String> {
    let crate_name = format_ident!("{}_api", spec.provider);
    let tools = xtask::tools::of(&spec.provider, &spec.json);
    let mut entries = Vec::new();
    let mut arms = Vec::new();
    for tool in &tools {
        let operation = operation(spec, &tool.operation_id)
            .ok_or_else(|| format!("{}: no operation", tool.operation_id))?;
        entries.push(entry(tool)?);
        arms.push(arm(spec, tool, operation)?);
    }
    let toolsets = xtask::tools::toolsets(&spec.provider, &spec.json)
        .into_iter()
        .filter(|toolset| tools.iter().any(|tool| tool.toolset == toolset.name))
        .map(|toolset| {
            let (name, description, default) = (toolset.name, toolset.description, toolset.default);
            quote!(Toolset { name: #name, description: #description, default: #default })
        });
    let doc = format!("The tools of `{}`.", spec.path.display());
    let sets_doc = format!(
        "The toolsets of `{}`: one per API group (a tag of the spec).",
        spec.path.display()
    );
    let tokens = quote! {
        use ::#crate_name::{Client, types};

        use super::{Call, Tool, ToolError, Toolset};

        #[doc = #doc]
        pub const TOOLS: &[Tool] = &[#(#entries),*];

        #[doc = #sets_doc]
        pub const TOOLSETS: &[Toolset] = &[#(#toolsets),*];

        /// Calls the tool `name` with `arguments` through `client`.
        pub async fn call(
            client: &Client,
            name: &str,
            arguments: serde_json::Map<String, serde_json::Value>,
        ) -> Result<Call, ToolError> {
            let calling: ::std::pin::Pin<
                Box<dyn ::std::future::Future<Output = Result<Call, ToolError>> + Send + '_>,
            > = match name {
                #(#arms)*
                _ => return Err(ToolError::Unknown(name.to_owned())),
            };
            calling.await
        }
    };
    let file: syn::File = syn::parse2(tokens).map_err(|error| error.to_string())?;
    generated(
        spec,
        Path::new("crates/cli/src/mcp").join(format!("{}.rs", spec.provider)),
        &file,
    )
}

fn operation<'a>(spec: &'a Spec, id: &str) -> Option<&'a Value> {
    spec.json
        .get("paths")?
        .as_object()?
        .values()
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .find(|operation| operation.get("operationId").and_then(Value::as_str) == Some(id))
}

/// The tool's entry of `TOOLS`.
fn entry(tool: &Tool) -> Result<TokenStream, String> {
    let json = |value: &Value| serde_json::to_string(value).map_err(|error| error.to_string());
    let name = &tool.name;
    let description = &tool.description;
    let input = json(&tool.input_schema)?;
    let output = match &tool.output_schema {
        Some(schema) => {
            let schema = json(schema)?;
            quote!(Some(#schema))
        }
        None => quote!(None),
    };
    let (read_only, destructive, idempotent) = (tool.read_only, tool.destructive, tool.idempotent);
    let toolset = &tool.toolset;
    Ok(quote! {
        Tool {
            name: #name,
            toolset: #toolset,
            description: #description,
            input_schema: #input,
            output_schema: #output,
            read_only: #read_only,
            destructive: #destructive,
            idempotent: #idempotent,
        }
    })
}

/// The tool's `match` arm: its arguments' struct, the request built from
/// them as the CLI builds it, and the answer.
fn arm(spec: &Spec, tool: &Tool, operation: &Value) -> Result<TokenStream, String> {
    let name = &tool.name;
    let method = format_ident!("{}", tool.operation_id);
    let mut fields = Vec::new();
    let mut calls = Vec::new();
    let mut forms = Vec::new();
    for Parameter {
        name,
        field,
        field_type,
        call,
        comma,
        ..
    } in parameters(spec, operation)
    {
        let default = comma.then(|| quote!(#[serde(default)]));
        fields.push(quote! {
            #[serde(rename = #name)]
            #default
            #field: #field_type,
        });
        calls.push(call);
    }
    if let Some(parts) = crate::generate::multipart::parts(spec, operation) {
        // A form: `body` holds each part, a file as its name and text.
        let mut part_fields = Vec::new();
        let mut adds = Vec::new();
        for (name, binary, required) in parts {
            let field = field_name(&name);
            let part_type = if binary {
                quote!(super::FileArgument)
            } else {
                quote!(String)
            };
            let add = if binary {
                quote!(form = form.file(#name, value.into_part());)
            } else {
                quote!(form = form.text(#name, value);)
            };
            if required {
                part_fields.push(quote!(#[serde(rename = #name)] #field: #part_type,));
                adds.push(quote!({ let value = args.body.#field; #add }));
            } else {
                part_fields
                    .push(quote!(#[serde(rename = #name, default)] #field: Option<#part_type>,));
                adds.push(quote!(if let Some(value) = args.body.#field { #add }));
            }
        }
        forms.push(quote! {
            #[derive(serde::Deserialize)]
            #[serde(deny_unknown_fields)]
            struct Form { #(#part_fields)* }
        });
        fields.push(quote!(body: Form,));
        calls.push(quote! {
            let mut form = ::dev_platform_runtime::Multipart::new();
            #(#adds)*
            request = request.body(form);
        });
    } else if let Some(schema) = body_schema(spec, &tool.operation_id, operation)? {
        let body_type = format_ident!("{schema}");
        fields.push(quote!(body: types::#body_type,));
        calls.push(quote!(request = request.body(args.body);));
    }
    let answer = match tool.answer {
        Answer::Json => quote!(super::json(&request.send().await?.into_inner())),
        Answer::Empty => quote! {
            request.send().await?;
            Ok(Call::Done)
        },
        Answer::Csv => quote!(super::export(request.csv().await?).await),
        Answer::Raw => quote!(super::raw(request.send().await?).await),
        Answer::Pages => {
            fields.push(quote! {
                #[serde(default)]
                all: bool,
            });
            quote! {
                if args.all {
                    super::every(request.stream()).await
                } else {
                    super::json(&request.send().await?.into_inner())
                }
            }
        }
    };
    let binding = if fields.is_empty() {
        quote!(let Arguments {} = super::arguments(arguments)?;)
    } else {
        quote!(let args: Arguments = super::arguments(arguments)?;)
    };
    // Each tool in a function of its own, its future boxed, and `call`
    // awaits the one it picked: `call`'s frame and future stay small however
    // many tools there are (no arm builds or awaits a future in place).
    Ok(quote! {
        #name => {
            #[doc = #name]
            async fn #method(
                client: &Client,
                arguments: serde_json::Map<String, serde_json::Value>,
            ) -> Result<Call, ToolError> {
                #(#forms)*
                #[derive(serde::Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Arguments {
                    #(#fields)*
                }
                #binding
                #[allow(unused_mut)]
                let mut request = client.#method();
                #(#calls)*
                #answer
            }
            Box::pin(#method(client, arguments))
        }
    })
}
