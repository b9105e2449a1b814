//! Doc comments printed as `///` lines.

/// Splits every multi-line `#[doc = "..."]` into one attribute per line, so it
/// prints as `///` lines. prettyplease prints a multi-line doc as a `/** */`
/// block whose lines it indents, and indented lines are code blocks in
/// Markdown: rustdoc would show (and test) the descriptions as code.
pub struct OneLineDocs;

impl syn::visit_mut::VisitMut for OneLineDocs {
    fn visit_attributes_mut(&mut self, attributes: &mut Vec<syn::Attribute>) {
        let mut split = Vec::with_capacity(attributes.len());
        for attribute in attributes.drain(..) {
            let text = match &attribute.meta {
                syn::Meta::NameValue(syn::MetaNameValue {
                    path,
                    value:
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(text),
                            ..
                        }),
                    ..
                }) if path.is_ident("doc") && text.value().contains('\n') => text.value(),
                _ => {
                    split.push(attribute);
                    continue;
                }
            };
            for line in text.lines() {
                let line = match line.strip_prefix(' ') {
                    Some(_) => line.to_owned(),
                    None if line.is_empty() => String::new(),
                    None => format!(" {line}"),
                };
                split.push(syn::parse_quote!(#[doc = #line]));
            }
        }
        *attributes = split;
    }
}
