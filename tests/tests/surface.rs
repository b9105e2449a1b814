//! The generated surface of every provider crate, snapshotted with insta, one
//! snapshot per API group (`surface__<provider>__<group>.snap`, and `__shared`
//! for the types several groups use). A spec edit that changes what users see
//! fails here until the new `.snap` is reviewed (`cargo insta review`) and
//! accepted.

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
    // One snapshot per API group (and one of what groups share), so that a
    // spec edit shows as a short diff in the files of its group.
    let groups = surface::describe_by_group(provider);
    let lines = |text: &str| {
        text.lines()
            .filter(|line| !line.trim().is_empty() && !line.starts_with("## "))
            .count()
    };
    assert_eq!(
        groups.iter().map(|(_, text)| lines(text)).sum::<usize>(),
        lines(&surface),
        "{provider}: every line of the surface in one group"
    );
    for (group, text) in groups {
        let mut settings = insta::Settings::clone_current();
        settings.set_description(format!("{}: the API group `{group}`", spec.title()));
        settings.set_omit_expression(true);
        settings.bind(|| insta::assert_snapshot!(format!("{provider}__{group}"), text));
    }
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
