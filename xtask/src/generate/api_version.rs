//! Requests without progenitor's undocumented `api-version` header.

/// Removes the `header_map.append("api-version", ..)` statement progenitor puts
/// in every request: the providers document no such header, and a header added
/// only to be removed again would cost every call.
pub struct NoApiVersionHeader;

impl syn::visit_mut::VisitMut for NoApiVersionHeader {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        block.stmts.retain(|stmt| {
            let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else {
                return true;
            };
            let adds_api_version = call.method == "append"
                && call.args.first().is_some_and(|name| {
                    quote::quote!(#name)
                        .to_string()
                        .contains("from_static (\"api-version\")")
                });
            !adds_api_version
        });
        // Without it, a request with no header parameters appends nothing: its
        // map need not be mutable, nor allocated.
        let appends = block.stmts.iter().any(|stmt| {
            quote::quote!(#stmt)
                .to_string()
                .contains("header_map . append")
        });
        for stmt in &mut block.stmts {
            if let syn::Stmt::Local(syn::Local {
                pat: syn::Pat::Ident(binding),
                init: Some(init),
                ..
            }) = stmt
                && binding.ident == "header_map"
                && !appends
            {
                binding.mutability = None;
                *init.expr = syn::parse_quote!(::reqwest::header::HeaderMap::new());
            }
        }
        syn::visit_mut::visit_block_mut(self, block);
    }
}
