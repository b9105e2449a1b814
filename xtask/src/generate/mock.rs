//! The typed mock (`<provider>_api::mock`, behind the crate's `mock`
//! feature): a method per operation on a `MockServer` that programs
//! `dev_platform_mock` with the client's own types. It is read off the
//! finished builders, so a matcher takes exactly what the request builder's
//! setter takes (`per_page(100)`, `role(MemberRoleFilter::Admin)`,
//! `body(types::X::builder()...)`), and an answer exactly what `send()`
//! returns, `stream()` yields or `csv()` reads.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use xtask::surface::setter_target;

use super::syntax::{builder_fns, field_name, last_generic, result_type_argument, variant_name};
use crate::spec::Spec;

/// The `mock` module of a generated file.
pub fn module(spec: &Spec, file: &syn::File) -> Result<syn::Item, String> {
    let provider = format_ident!(
        "{}",
        variant_name(&spec.provider).ok_or("the provider is not a Rust name")?
    );
    let mut methods = Vec::new();
    let mut whens = Vec::new();
    let mut thens = Vec::new();
    let paths = spec.json.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let operation = Operation::read(spec, file, id, operation)?;
            let (method_item, when, then) = operation.items(&method.to_uppercase(), path)?;
            methods.push(method_item);
            whens.push(when);
            thens.push(then);
        }
    }
    let title = format!("{} mock server", spec.provider);
    let start_doc = format!(
        "Serves `specs/{}.yaml` on 127.0.0.1, on a port the OS picks: every operation answers its documented example until programmed otherwise.",
        spec.provider
    );
    let tokens = quote! {
        /// A programmable mock server of this API for your tests (the `mock`
        /// feature): a method per operation says which requests to match,
        /// with the client's parameter and body types, and what to answer,
        /// with its response types, a provider error, a fault, or a list
        /// served page by page. See `dev_platform_mock` for the server.
        #[cfg(feature = "mock")]
        pub mod mock {
            use super::types;

            pub use ::dev_platform_mock::{Mock, Received, Then, When};

            #[doc = #title]
            /// (it stops when dropped, checking every [`Mock::expect`]).
            #[derive(Debug)]
            pub struct MockServer {
                inner: ::dev_platform_mock::MockServer,
            }

            impl MockServer {
                #[doc = #start_doc]
                pub async fn start() -> ::std::io::Result<Self> {
                    let inner = ::dev_platform_mock::MockServer::start(
                        ::dev_platform_mock::Provider::#provider,
                    )
                    .await?;
                    Ok(Self { inner })
                }

                /// A client of this server, with a placeholder token.
                pub fn client(&self) -> super::Client {
                    super::Client::builder()
                        .token("mock-token")
                        .base_url(self.inner.base_url())
                        .build()
                        .expect("a client of the mock server")
                }

                #(#methods)*
            }

            impl ::std::ops::Deref for MockServer {
                type Target = ::dev_platform_mock::MockServer;

                fn deref(&self) -> &Self::Target {
                    &self.inner
                }
            }

            /// Which requests of each operation to answer, narrowed with the
            /// request builder's own parameter types.
            pub mod when {
                use super::types;

                #(#whens)*
            }

            /// What to answer each operation, with its response types.
            pub mod then {
                use super::types;

                #(#thens)*
            }
        }
    };
    syn::parse2(tokens).map_err(|error| format!("the mock module: {error}"))
}

/// What the typed mock of one operation is made of.
struct Operation {
    id: String,
    summary: String,
    /// A setter of the request builder: its name, the wire name of its
    /// parameter (`None` for the body) and the type it converts to.
    setters: Vec<(syn::Ident, Option<String>, syn::Type)>,
    /// What `send()` returns, when it is JSON or nothing.
    success: Option<syn::Type>,
    /// What `stream()` yields.
    item: Option<syn::Type>,
    /// What `csv()` reads.
    row: Option<syn::Type>,
}

impl Operation {
    fn read(spec: &Spec, file: &syn::File, id: &str, operation: &Value) -> Result<Self, String> {
        let parameters: Vec<String> = operation
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|parameter| spec.resolve(parameter).get("name")?.as_str())
            .map(str::to_owned)
            .collect();
        let mut this = Self {
            id: id.to_owned(),
            summary: operation
                .get("summary")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            setters: Vec::new(),
            success: None,
            item: None,
            row: None,
        };
        for method in builder_fns(file, id)? {
            let name = method.sig.ident.to_string();
            let output = match &method.sig.output {
                syn::ReturnType::Type(_, ty) => Some(&**ty),
                syn::ReturnType::Default => None,
            };
            match name.as_str() {
                "new" | "body_map" => {}
                "send" => {
                    this.success = output
                        .and_then(|ty| result_type_argument(ty, 0))
                        .and_then(|value| last_generic(&value))
                        .filter(|ty| !quote!(#ty).to_string().contains("ByteStream"));
                }
                "stream" => this.item = output.and_then(last_generic),
                "csv" => {
                    this.row = output
                        .and_then(|ty| result_type_argument(ty, 0))
                        .and_then(|export| last_generic(&export));
                }
                _ => {
                    let Some(target) = setter_target(method).cloned() else {
                        continue;
                    };
                    let wire = (name != "body")
                        .then(|| {
                            parameters
                                .iter()
                                .find(|parameter| field_name(parameter) == method.sig.ident)
                                .cloned()
                                .ok_or_else(|| {
                                    format!("{id}: no parameter for the setter `{name}`")
                                })
                        })
                        .transpose()?;
                    this.setters.push((method.sig.ident.clone(), wire, target));
                }
            }
        }
        if this.row.is_some() {
            this.success = None;
        }
        Ok(this)
    }

    /// The server's method, the `when` type and the `then` type.
    fn items(
        &self,
        method: &str,
        path: &str,
    ) -> Result<(TokenStream, TokenStream, TokenStream), String> {
        let id = &self.id;
        let function = format_ident!("{id}");
        let name = format_ident!(
            "{}",
            variant_name(id).ok_or_else(|| format!("{id}: not a Rust name"))?
        );
        let doc = format!(
            "Programs `{id}` (`{method} {path}`: {}): `program` narrows which requests ([`when::{name}`]) and says what to answer them ([`then::{name}`]).",
            self.summary.trim_end_matches('.')
        );
        let server_method = quote! {
            #[doc = #doc]
            pub fn #function(
                &self,
                program: impl FnOnce(&when::#name<'_>, &then::#name<'_>),
            ) -> Mock {
                self.inner
                    .mock(#id, |when, then| program(&when::#name(when), &then::#name(then)))
            }
        };
        let setters = self.setters.iter().map(|(setter, wire, target)| {
            let (doc, call) = match wire {
                Some(wire) => (
                    format!("Only requests whose `{wire}` is `value`, as the client sends it."),
                    quote!(self.0.param_value(#wire, &value)),
                ),
                None => (
                    "Only requests whose body has every field set on `value`, with its value."
                        .to_owned(),
                    quote!(self.0.body_value(&value)),
                ),
            };
            let failure = format!("{id}: the value given to `{setter}` does not convert");
            quote! {
                #[doc = #doc]
                pub fn #setter<V>(&self, value: V) -> &Self
                where
                    V: ::std::convert::TryInto<#target>,
                {
                    let value: #target = value.try_into().unwrap_or_else(|_| panic!(#failure));
                    #call;
                    self
                }
            }
        });
        let when_doc = format!(
            "Which `{id}` requests to answer: every valid one, unless narrowed by a parameter or the body. [`When`](super::When)'s methods are there too."
        );
        let when = quote! {
            #[doc = #when_doc]
            pub struct #name<'a>(pub(super) &'a ::dev_platform_mock::When);

            impl #name<'_> {
                #(#setters)*
            }

            impl ::std::ops::Deref for #name<'_> {
                type Target = ::dev_platform_mock::When;

                fn deref(&self) -> &Self::Target {
                    self.0
                }
            }
        };
        let mut answers = Vec::new();
        match &self.success {
            Some(ty) if quote!(#ty).to_string() == "()" => answers.push(quote! {
                /// Answers with the documented success, without a body.
                pub fn ok(&self) -> &Self {
                    self.0.ok_json(::serde_json::Value::Null);
                    self
                }
            }),
            Some(ty) => {
                answers.push(quote! {
                    /// Answers with `value` as the documented success (in the
                    /// provider's envelope where it has one).
                    pub fn ok(&self, value: &#ty) -> &Self {
                        self.0.ok_value(value);
                        self
                    }
                });
            }
            None => {}
        }
        if let Some(item) = &self.item {
            answers.push(quote! {
                /// Serves `items` page by page as the operation pages (the
                /// page and size each request asks for; totals and page
                /// numbers filled in; an empty page past the end).
                pub fn pages(&self, items: &[#item]) -> &Self {
                    self.0.pages_of(items);
                    self
                }
            });
        }
        if let Some(row) = &self.row {
            answers.push(quote! {
                /// Answers with a CSV export of `rows`: the documented columns,
                /// an empty cell for a field a row leaves out.
                pub fn csv(&self, rows: &[#row]) -> &Self {
                    self.0.csv_rows(
                        <#row as ::dev_platform_runtime::CsvRow>::COLUMNS,
                        rows,
                    );
                    self
                }
            });
        }
        let then_doc = format!(
            "What to answer `{id}`, in order (the last answer repeats): its typed answers here, and [`Then`](super::Then)'s errors, raw bodies, headers and faults."
        );
        let then = quote! {
            #[doc = #then_doc]
            pub struct #name<'a>(pub(super) &'a ::dev_platform_mock::Then);

            impl #name<'_> {
                #(#answers)*
            }

            impl ::std::ops::Deref for #name<'_> {
                type Target = ::dev_platform_mock::Then;

                fn deref(&self) -> &Self::Target {
                    self.0
                }
            }
        };
        Ok((server_method, when, then))
    }
}
