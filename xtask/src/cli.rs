//! The CLI's commands for one provider: `crates/cli/src/commands/<provider>.rs`,
//! a clap subcommand per operation (help from the spec's summaries and
//! parameter descriptions) and the code that calls the typed client with it,
//! handing the answer to the CLI's output with its [`view`].

pub mod view;

use std::path::Path;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::generate::syntax::{field_name, rust_integer, snake_case, variant_name};
use crate::generate::{Output, generated};
use crate::spec::Spec;

/// Generates the provider's command module: a subcommand per API group (the
/// spec's tags, as `gh repo`, `gh pr`), each operation under its group, and
/// `GROUPS`, each operation's group, with which `dev_platform_cli::args`
/// still accepts an operation without its group (as scripts written before
/// the groups call it).
pub fn generate(spec: &Spec) -> Result<Output, String> {
    let crate_name = format_ident!("{}_api", spec.provider);
    let mut groups: Vec<Group> = spec
        .json
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(Group::new)
        .collect::<Result<_, _>>()?;
    let mut group_of = Vec::new();
    let mut arms = Vec::new();
    let mut structs = Vec::new();
    let paths = spec.json.get("paths").and_then(Value::as_object);
    for (_, item) in paths.into_iter().flatten() {
        for (_, operation) in item.as_object().into_iter().flatten() {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let tag = operation
                .pointer("/tags/0")
                .and_then(Value::as_str)
                .unwrap_or_default();
            // A tag the spec does not declare is a group too, named as it is.
            if !groups.iter().any(|group| group.tag == tag) {
                groups.push(Group::new(&serde_json::json!({ "name": tag }))?);
            }
            let group = groups
                .iter_mut()
                .find(|group| group.tag == tag)
                .expect("added above");
            let (variant, arm, args) = command(spec, id, operation, &group.ident)?;
            group.variants.push(variant.clone());
            let (name, tag) = (kebab_case(id), group.tag.clone());
            group_of.push(quote!((#name, #tag)));
            arms.push(arm);
            structs.push(args);
        }
    }
    groups.retain(|group| !group.variants.is_empty());
    let group_variants = groups.iter().map(|group| {
        let (variant, ident, name, about) =
            (&group.variant, &group.ident, &group.tag, &group.about);
        quote! {
            #[doc = #about]
            #[command(name = #name, subcommand)]
            #variant(#ident),
        }
    });
    let group_enums = groups.iter().map(|group| {
        let (ident, variants) = (&group.ident, &group.variants);
        let doc = format!("The operations of the group `{}`.", group.tag);
        quote! {
            #[doc = #doc]
            #[derive(Debug, ::clap::Subcommand)]
            pub enum #ident {
                #(#variants)*
            }
        }
    });
    let doc = format!("The operations of `{}`, by API group.", spec.path.display());
    let tokens = quote! {
        use ::#crate_name::{Client, types};

        use crate::output::{Failure, Output, View};

        #[doc = #doc]
        #[derive(Debug, ::clap::Subcommand)]
        pub enum Command {
            #(#group_variants)*

        }

        #(#group_enums)*

        /// Each operation's subcommand and its group's.
        pub const GROUPS: &[(&str, &str)] = &[#(#group_of),*];

        #(#structs)*

        /// An operation's call, boxed.
        type Running<'a> = ::std::pin::Pin<Box<dyn ::std::future::Future<Output = Result<(), Failure>> + 'a>>;

        /// Runs one operation with `client`, writing its answer to `output`.
        pub async fn run(command: Command, client: &Client, output: &mut Output) -> Result<(), Failure> {
            let running = match command {
                #(#arms)*
            };
            running.await
        }
    };
    let file: syn::File = syn::parse2(tokens).map_err(|error| error.to_string())?;
    generated(
        spec,
        Path::new("crates/cli/src/commands").join(format!("{}.rs", spec.provider)),
        &file,
    )
}

/// One API group (a tag of the spec) and its operations' subcommands.
struct Group {
    /// The tag's name, the group's subcommand (`repos`).
    tag: String,
    /// Its description, the group's help line.
    about: String,
    /// Its variant of `Command` (`Repos`).
    variant: syn::Ident,
    /// Its enum of operations (`ReposCommand`).
    ident: syn::Ident,
    /// One variant per operation.
    variants: Vec<TokenStream>,
}

impl Group {
    fn new(tag: &Value) -> Result<Self, String> {
        let name = tag.get("name").and_then(Value::as_str).unwrap_or_default();
        let variant = variant_name(name).ok_or_else(|| format!("tag `{name}`: not a Rust name"))?;
        Ok(Self {
            tag: name.to_owned(),
            about: tag
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or(name)
                .to_owned(),
            ident: format_ident!("{variant}Command"),
            variant: format_ident!("{variant}"),
            variants: Vec::new(),
        })
    }
}

/// One operation's subcommand variant, its `match` arm and its arguments.
fn command(
    spec: &Spec,
    id: &str,
    operation: &Value,
    group: &syn::Ident,
) -> Result<(TokenStream, TokenStream, TokenStream), String> {
    let variant = format_ident!(
        "{}",
        variant_name(id).ok_or_else(|| format!("{id}: not a Rust name"))?
    );
    let method = format_ident!("{id}");
    let text = |key: &str| {
        operation
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    let about = text("summary").to_owned();
    let long_about = format!("{}\n\n{}", text("summary"), text("description"));
    let mut fields = Vec::new();
    let mut calls = Vec::new();
    for Parameter {
        name,
        field,
        help,
        field_type,
        call,
        comma,
    } in parameters(spec, operation)
    {
        let long = kebab_case(&name);
        let delimiter = comma.then(|| quote!(, value_delimiter = ','));
        fields.push(quote! {
            #[doc = #help]
            #[arg(long = #long #delimiter)]
            #field: #field_type,
        });
        calls.push(call);
    }
    if let Some(parts) = crate::generate::multipart::parts(spec, operation) {
        // A form: a flag per part, a file's by its path.
        calls.push(quote!(let mut form = ::dev_platform_runtime::Multipart::new();));
        for (name, binary, required) in parts {
            let field = field_name(&name);
            let long = kebab_case(&name);
            let (field_type, help) = if binary {
                (
                    quote!(std::path::PathBuf),
                    format!("The file to send as the form's part `{name}` (its path)."),
                )
            } else {
                (quote!(String), format!("The form's text part `{name}`."))
            };
            let field_type = if required {
                field_type
            } else {
                quote!(Option<#field_type>)
            };
            fields.push(quote! {
                #[doc = #help]
                #[arg(long = #long)]
                #field: #field_type,
            });
            let add = if binary {
                quote! {
                    form = form.file(#name, ::dev_platform_runtime::FilePart::open(&value).await.map_err(|error| {
                        Failure::new(format!("cannot read {}: {error}", value.display()))
                    })?);
                }
            } else {
                quote!(form = form.text(#name, value);)
            };
            calls.push(if required {
                quote!({ let value = args.#field; #add })
            } else {
                quote!(if let Some(value) = args.#field { #add })
            });
        }
        calls.push(quote!(request = request.body(form);));
    } else if let Some(schema) = body_schema(spec, id, operation)? {
        let body_type = format_ident!("{schema}");
        let help = format!("The request body as JSON ({schema}).");
        fields.push(quote! {
            #[doc = #help]
            #[arg(long = "body")]
            body: String,
        });
        calls.push(quote! {
            let body: types::#body_type = serde_json::from_str(&args.body).map_err(Failure::body)?;
            request = request.body(body);
        });
    }
    let csv = operation
        .pointer("/responses/200")
        .map(|response| spec.resolve(response))
        .and_then(|response| response.pointer("/content/text~1csv"))
        .is_some();
    let raw = xtask::tools::raw_answer(&spec.json, operation);
    let paginated = operation.get("x-pagination").is_some();
    let view = view_tokens(&view::of(spec, operation));
    let finish = if csv {
        fields.push(quote! {
            /// Write the CSV to this file instead of standard output. It is written
            /// to a temporary file beside it and renamed into place only once the
            /// export is complete: after a failure or Ctrl-C nothing is left (a
            /// file already there keeps its old content).
            #[arg(long = "output")]
            output: Option<std::path::PathBuf>,
        });
        quote!(
            output
                .export(request.csv().await?, args.output.as_deref(), &VIEW)
                .await
        )
    } else if raw {
        fields.push(quote! {
            /// Write the file here instead of to standard output. It is
            /// streamed to a temporary file beside it and renamed into place
            /// only once it is whole: after a failure or Ctrl-C nothing is left
            /// (a file already there keeps its old content).
            #[arg(long = "output")]
            output: Option<std::path::PathBuf>,
        });
        quote!(
            output
                .download(request.send().await?, args.output.as_deref())
                .await
        )
    } else if paginated {
        fields.push(quote! {
            /// Follow every page and print every item.
            #[arg(long = "all")]
            all: bool,
        });
        fields.push(quote! {
            /// With --all: the most pages to fetch; a server with more after
            /// them is an error (default 10,000). Every --all also stops, with
            /// an error, at a page that repeats the one before it or that the
            /// server numbers otherwise than asked.
            #[arg(long = "max-pages", requires = "all")]
            max_pages: Option<u64>,
        });
        quote! {
            if args.all {
                output.stream(request.stream(), args.max_pages, &VIEW).await
            } else {
                output.answer(&request.send().await?.into_inner(), &VIEW)
            }
        }
    } else {
        quote!(output.answer(&request.send().await?.into_inner(), &VIEW))
    };
    // A raw answer is written as it is: it has no view.
    let view_const = (!raw).then(|| quote!(const VIEW: View = #view;));
    let args_type = format_ident!("{}Args", variant);
    let variant_tokens = quote! {
        #[doc = #about]
        #[command(long_about = #long_about)]
        #variant(#args_type),
    };
    let binding = if fields.is_empty() {
        quote!(_)
    } else {
        quote!(args)
    };
    let group_variant = format_ident!("{}", group.to_string().trim_end_matches("Command"));
    // Each operation in a function of its own that boxes its future, and
    // `run` awaits the one it picked: `run`'s frame and future stay small
    // however many operations there are (in a debug build a frame holds
    // every arm's locals at once, so no arm may build or await a future).
    let arm = quote! {
        Command::#group_variant(#group::#variant(args)) => #method(args, client, output),
    };
    let function = quote! {
        #[doc = #about]
        fn #method<'a>(#binding: #args_type, client: &'a Client, output: &'a mut Output) -> Running<'a> {
            Box::pin(async move {
                #view_const
                #[allow(unused_mut)]
                let mut request = client.#method();
                #(#calls)*
                #finish
            })
        }
    };
    // The argument structs go next to the enum.
    let args_struct = quote! {
        #[doc = #about]
        #[derive(Debug, ::clap::Args)]
        pub struct #args_type {
            #(#fields)*
        }
    };
    Ok((variant_tokens, arm, quote!(#args_struct #function)))
}

/// One parameter of an operation, as an argument of a command or a tool.
pub struct Parameter {
    /// Its name in the spec (`org`, `startDate`).
    pub name: String,
    /// The field that holds it (`start_date`), and the builder's setter.
    pub field: syn::Ident,
    /// Its description.
    pub help: String,
    /// The field's type: `T`, `Option<T>`, or `Vec<String>` for a list.
    pub field_type: TokenStream,
    /// `request = request.<field>(args.<field>);`, for a value that is there.
    pub call: TokenStream,
    /// Whether it is a list (a `Vec` of its items): comma-separated on the
    /// wire, or an array parameter repeated.
    pub comma: bool,
}

/// The operation's parameters, in the spec's order.
pub fn parameters(spec: &Spec, operation: &Value) -> Vec<Parameter> {
    operation
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|parameter| spec.resolve(parameter))
        .map(|parameter| {
            let name = parameter
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let field = field_name(&name);
            let help = parameter
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let required = parameter.get("required") == Some(&Value::Bool(true));
            let schema = spec.resolve(parameter.get("schema").unwrap_or(&Value::Null));
            let rust_type = argument_type(schema);
            // A list: one comma-separated value on the wire (`CommaSeparated`)
            // or the parameter repeated (an array of strings); either way a
            // `Vec` of its items, `--org-ids a,b` on the command line.
            let comma = schema_rust_path(schema)
                .is_some_and(|path| path.ends_with("CommaSeparated"))
                || schema.get("type").and_then(Value::as_str) == Some("array");
            let (field_type, call) = if comma {
                (
                    quote!(Vec<String>),
                    quote! {
                        if !args.#field.is_empty() {
                            request = request.#field(args.#field);
                        }
                    },
                )
            } else if required {
                (rust_type, quote!(request = request.#field(args.#field);))
            } else {
                (
                    quote!(Option<#rust_type>),
                    quote! {
                        if let Some(value) = args.#field {
                            request = request.#field(value);
                        }
                    },
                )
            };
            Parameter {
                name,
                field,
                help,
                field_type,
                call,
                comma,
            }
        })
        .collect()
}

/// The name of the operation's request body schema (a `$ref`), if it has a
/// body.
pub fn body_schema(spec: &Spec, id: &str, operation: &Value) -> Result<Option<String>, String> {
    let Some(body) = operation.get("requestBody").map(|body| spec.resolve(body)) else {
        return Ok(None);
    };
    body.get("content")
        .and_then(Value::as_object)
        .and_then(|content| content.values().next())
        .and_then(|media| media.pointer("/schema/$ref"))
        .and_then(Value::as_str)
        .and_then(|reference| reference.rsplit('/').next())
        .map(|schema| Some(schema.to_owned()))
        .ok_or_else(|| format!("{id}: the request body is not a `$ref`'d schema"))
}

/// A `View` value of the CLI's output.
fn view_tokens(view: &view::View) -> TokenStream {
    let list = match &view.list {
        Some(pointer) => quote!(Some(#pointer)),
        None => quote!(None),
    };
    let columns = &view.columns;
    let fields = &view.fields;
    quote! {
        View {
            list: #list,
            columns: &[#(#columns),*],
            fields: &[#(#fields),*],
        }
    }
}

/// The Rust type a parameter's value is read as.
fn argument_type(schema: &Value) -> TokenStream {
    if let Some(path) = schema_rust_path(schema) {
        let path: syn::Path = syn::parse_str(path).expect("an x-rust-type path");
        return quote!(::#path);
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("integer") => rust_integer(schema),
        Some("boolean") => quote!(bool),
        _ => quote!(String),
    }
}

fn schema_rust_path(schema: &Value) -> Option<&str> {
    schema.pointer("/x-rust-type/path").and_then(Value::as_str)
}

/// `per_page` → `per-page`, `startDate` → `start-date`.
fn kebab_case(name: &str) -> String {
    snake_case(name).replace('_', "-")
}
