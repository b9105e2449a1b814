//! The generated surface of every provider crate, snapshotted with insta. A spec
//! edit that changes what users see fails here until the new `.snap` is reviewed
//! (`cargo insta review`) and accepted.

use dev_platform_tests::{spec::Spec, surface};

fn snapshot(provider: &str) {
    let spec = Spec::load(provider);
    let surface = surface::describe(provider);
    // Every operation of the spec is in the surface, under its operationId.
    for (method, path, id) in spec.operations() {
        let line = format!("{method} {path} -> {id}(");
        assert!(
            surface.contains(&line),
            "{provider}: `{line}` missing from the surface"
        );
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_description(format!("{} (specs/{provider}.yaml)", spec.title()));
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(provider, surface));
}

#[test]
fn gitcode_surface() {
    snapshot("gitcode");
}

#[test]
fn qoder_surface() {
    snapshot("qoder");
}

#[test]
fn devin_surface() {
    snapshot("devin");
}
