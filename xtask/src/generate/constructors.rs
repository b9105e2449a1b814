//! Constructors: progenitor's are removed, and every provider's `Client` gets
//! the shared ones (`new`, `from_env`, `builder`) and its `Provider`
//! implementation.

use quote::quote;

/// Removes `impl Client { fn new(..); fn new_with_client(..) }`: clients are
/// built by the provider crate's `Client::new(token)` and `Client::builder()`.
pub fn remove_constructors(file: &mut syn::File) {
    file.items.retain(|item| {
        let syn::Item::Impl(block) = item else {
            return true;
        };
        let is_client =
            matches!(&*block.self_ty, syn::Type::Path(path) if path.path.is_ident("Client"));
        let is_constructors = block.trait_.is_none()
            && block
                .items
                .iter()
                .any(|item| matches!(item, syn::ImplItem::Fn(f) if f.sig.ident == "new"));
        !(is_client && is_constructors)
    });
}

/// The constructors every provider's `Client` has, and its `Provider`
/// implementation, which takes the provider's settings from the crate's
/// hand-written `client` module.
pub fn client_items() -> Result<Vec<syn::Item>, String> {
    let tokens = quote! {
        /// Builds a [`Client`]; see [`Client::builder`].
        pub type ClientBuilder = ::dev_platform_runtime::ClientBuilder<Client>;

        impl ::dev_platform_runtime::Provider for Client {
            const DEFAULT_BASE_URL: &'static str = crate::client::DEFAULT_BASE_URL;
            const TOKEN_ENV: &'static str = crate::client::TOKEN_ENV;
            const BASE_URL_ENV: &'static str = crate::client::BASE_URL_ENV;
            const DEFAULT_TOKEN_PLACEMENT: ::dev_platform_runtime::TokenPlacement =
                crate::client::DEFAULT_TOKEN_PLACEMENT;
            const USER_AGENT: &'static str =
                concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
            const ROUTES: &'static [::dev_platform_runtime::Route] = ROUTES;

            fn from_parts(parts: ::dev_platform_runtime::ClientParts) -> Self {
                Self {
                    baseurl: parts.base_url,
                    client: parts.http,
                    inner: parts.runtime,
                }
            }
        }

        impl Client {
            /// A client for the documented base URL
            /// ([`DEFAULT_BASE_URL`](crate::client::DEFAULT_BASE_URL)) with this token,
            /// sent as [`DEFAULT_TOKEN_PLACEMENT`](crate::client::DEFAULT_TOKEN_PLACEMENT) says.
            ///
            /// Fails when the token is empty or cannot be sent in a header.
            pub fn new(token: impl Into<String>) -> Result<Self, ::dev_platform_runtime::ConfigError> {
                Self::builder().token(token).build()
            }

            /// A client configured from the environment: the token from the variable
            /// named by [`TOKEN_ENV`](crate::client::TOKEN_ENV) (required), the base URL
            /// from [`BASE_URL_ENV`](crate::client::BASE_URL_ENV) (optional).
            pub fn from_env() -> Result<Self, ::dev_platform_runtime::ConfigError> {
                Self::builder().from_env()?.build()
            }

            /// A builder for a base URL, token placement, timeouts or a
            /// `reqwest::Client` of your own.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new()
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                &self.baseurl
            }
        }
    };
    let file: syn::File = syn::parse2(tokens).map_err(|error| error.to_string())?;
    Ok(file.items)
}
