//! One error type: every `send()` returns `dev_platform_runtime::Error`.

use quote::quote;

use super::syntax::{builder_module, result_type_argument};

/// Makes every builder's `send()` return `dev_platform_runtime::Error`
/// instead of progenitor's `Error<E>`: progenitor's body runs as it is, and
/// its error is converted once, at the end.
pub fn runtime_errors(file: &mut syn::File) -> Result<(), String> {
    let mut sends = 0;
    for item in builder_module(file)? {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        for item in &mut block.items {
            let syn::ImplItem::Fn(method) = item else {
                continue;
            };
            if method.sig.ident != "send" {
                continue;
            }
            let syn::ReturnType::Type(_, output) = &method.sig.output else {
                return Err(format!(
                    "`{}::send` returns nothing",
                    quote!(#block.self_ty)
                ));
            };
            let progenitor_output = output.clone();
            let success = result_type_argument(&progenitor_output, 0)
                .ok_or("`send` does not return a `Result`")?;
            let body = &method.block;
            method.sig.output =
                syn::parse_quote!(-> Result<#success, ::dev_platform_runtime::Error>);
            method.block = syn::parse_quote!({
                let result: #progenitor_output = async move #body.await;
                result.map_err(::dev_platform_runtime::Error::from)
            });
            sends += 1;
        }
    }
    if sends == 0 {
        return Err("progenitor's output has no `send` methods".to_owned());
    }
    Ok(())
}
