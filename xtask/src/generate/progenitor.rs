//! The progenitor step: its settings, and a run that turns its panics into
//! errors naming the operations it cannot generate.

use std::panic::{AssertUnwindSafe, catch_unwind};

use proc_macro2::TokenStream;
use progenitor::{
    CrateVers, GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl,
};
use quote::quote;

use super::open_enums::OpenEnum;
use crate::spec::Spec;

/// Runs progenitor over `openapi` (the spec after the spec passes) and parses
/// its output; a failure names the operations it cannot generate.
pub fn generate(
    spec: &Spec,
    openapi: &openapiv3::OpenAPI,
    open_enums: &[OpenEnum],
) -> Result<syn::File, String> {
    let settings = settings(open_enums);
    let tokens = run_progenitor(&settings, openapi)
        .map_err(|error| locate_failure(spec, &settings, openapi, error))?;
    syn::parse2(tokens).map_err(|error| {
        format!(
            "{}: progenitor produced unparsable code: {error}",
            spec.path.display()
        )
    })
}

fn settings(open_enums: &[OpenEnum]) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote!(::dev_platform_runtime::Runtime))
        .with_hooks(HooksMode::Expected)
        .with_crate("dev-platform-runtime", CrateVers::Any, None)
        .with_derive("PartialEq");
    for open_enum in open_enums {
        settings.with_replacement(
            &open_enum.name,
            format!("crate::types::{}", open_enum.name),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    settings
}

/// Runs progenitor, turning its panics into errors (and keeping the default
/// panic hook from printing a backtrace for them).
pub fn run_progenitor(
    settings: &GenerationSettings,
    openapi: &openapiv3::OpenAPI,
) -> Result<TokenStream, String> {
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = catch_unwind(AssertUnwindSafe(|| {
        Generator::new(settings).generate_tokens(openapi)
    }));
    std::panic::set_hook(previous_hook);
    match result {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(error)) => Err(error.to_string()),
        Err(panic) => Err(format!(
            "progenitor panicked: {}",
            panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)")
        )),
    }
}

/// Generation failed for the whole spec: generate each operation alone to name
/// the ones that fail.
fn locate_failure(
    spec: &Spec,
    settings: &GenerationSettings,
    openapi: &openapiv3::OpenAPI,
    error: String,
) -> String {
    let mut culprits = Vec::new();
    for (path, item) in &openapi.paths.paths {
        let Some(item) = item.as_item() else { continue };
        for (method, operation) in item.iter() {
            let mut alone = openapi.clone();
            let mut only = item.clone();
            for (other, _) in item.iter() {
                if other != method {
                    clear_method(&mut only, other);
                }
            }
            alone.paths.paths.clear();
            alone
                .paths
                .paths
                .insert(path.clone(), openapiv3::ReferenceOr::Item(only));
            if let Err(error) = run_progenitor(settings, &alone) {
                let id = operation
                    .operation_id
                    .as_deref()
                    .unwrap_or("(no operationId)");
                culprits.push(format!(
                    "  - operation {id} ({} {path}): {error}",
                    method.to_uppercase()
                ));
            }
        }
    }
    if culprits.is_empty() {
        format!(
            "{}: progenitor cannot generate this spec: {error}",
            spec.path.display()
        )
    } else {
        format!(
            "{}: progenitor cannot generate these operations:\n{}",
            spec.path.display(),
            culprits.join("\n")
        )
    }
}

fn clear_method(item: &mut openapiv3::PathItem, method: &str) {
    let slot = match method {
        "get" => &mut item.get,
        "put" => &mut item.put,
        "post" => &mut item.post,
        "delete" => &mut item.delete,
        "options" => &mut item.options,
        "head" => &mut item.head,
        "patch" => &mut item.patch,
        _ => &mut item.trace,
    };
    *slot = None;
}
