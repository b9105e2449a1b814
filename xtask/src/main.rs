//! `cargo xtask regenerate [--check] [PROVIDER...]`: compiles every spec under
//! `specs/` into `crates/<provider>/src/generated.rs` and the CLI's
//! `crates/cli/src/commands/<provider>.rs`, copies it into the mock crate
//! (`crates/mock/specs/<provider>.yaml`), and writes the README's table of
//! identity fields.
//!
//! The pipeline per spec: load ([`spec`]), lint ([`lint`], which also validates
//! every example against its schema), generate with progenitor and post-process
//! ([`generate`]), format with rustfmt, then write or, with `--check`, compare.
//! It ends with each provider crate's surface changes against the committed
//! snapshot ([`bump`]).
//!
//! `cargo xtask semver --base REV`: the same changes from the snapshots and
//! versions at a git revision, failing when a breaking change comes without
//! the version it needs.

mod assemble;
mod bump;
mod cli;
mod generate;
mod lint;
mod mcp;
mod mock_spec;
mod readme;
mod release;
mod spec;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask regenerate [--check] [PROVIDER...]
       cargo xtask semver --base REV
       cargo xtask semver-packages --base REV
       cargo xtask release [--dry-run] [--base REV] [--no-semver-checks] [--date YYYY-MM-DD]

Compiles specs/<PROVIDER>.yaml into crates/<PROVIDER>/src/generated.rs and
crates/cli/src/commands/<PROVIDER>.rs, and copies it to
crates/mock/specs/<PROVIDER>.yaml (every spec when no provider is named). With
--check nothing is written; the command fails naming each generated file that
differs from what the specs give. Either way it ends by
printing, per provider crate, how its public surface differs from the committed
snapshot (tests/tests/snapshots/surface__<PROVIDER>.snap): each change breaking
or additive, and the version the crate then needs.

semver compares the committed snapshots and versions at REV (a release tag, or
a pull request's merge base) with the working tree's, prints the same report,
and fails when a crate has a breaking change without the version it needs
(before 1.0: the next minor version). semver-packages names, one a line, the
published crates whose Rust API cargo-semver-checks must compare with REV: a
hand-written file changed, or the generator (a spec's change is the surface
report's).

release computes each published crate's next version from what changed since
the last release (the commit that last changed release.toml, or REV): the
generated surface's changes, cargo-semver-checks for hand-written changes, a
dependency's breaking version. It writes the versions, the requirements in
[workspace.dependencies], each released crate's CHANGELOG.md and release.toml;
--dry-run prints the versions and changelog sections and writes nothing.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    match command.as_str() {
        "regenerate" => {}
        "semver" => return semver_command(rest),
        "semver-packages" => return semver_packages_command(rest),
        "release" => return release_command(rest),
        "-h" | "--help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("unknown command `{command}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    let mut check = false;
    let mut providers = Vec::new();
    for arg in rest {
        match arg.as_str() {
            "--check" => check = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            flag if flag.starts_with('-') => {
                eprintln!("unknown option `{flag}`\n\n{USAGE}");
                return ExitCode::from(2);
            }
            provider => providers.push(provider.to_owned()),
        }
    }
    match regenerate(&workspace_root(), check, &providers) {
        Ok(reports) => {
            if !reports.is_empty() {
                println!(
                    "\nthe public surface against the committed snapshots (tests/tests/snapshots/):"
                );
            }
            for report in reports {
                println!("{report}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask semver --base REV`.
fn semver_command(args: &[String]) -> ExitCode {
    let base = match args {
        [flag, rev] if flag == "--base" => rev.clone(),
        [flag] if flag == "-h" || flag == "--help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("semver needs `--base REV`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match semver(&workspace_root(), &base) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask semver-packages --base REV`.
fn semver_packages_command(args: &[String]) -> ExitCode {
    let [flag, base] = args else {
        eprintln!("semver-packages needs `--base REV`\n\n{USAGE}");
        return ExitCode::from(2);
    };
    if flag != "--base" {
        eprintln!("semver-packages needs `--base REV`\n\n{USAGE}");
        return ExitCode::from(2);
    }
    match release::semver_check_packages(&workspace_root(), base) {
        Ok(packages) => {
            for package in packages {
                println!("{package}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask release ...`.
fn release_command(args: &[String]) -> ExitCode {
    let mut options = release::Options {
        dry_run: false,
        base: None,
        semver_checks: true,
        date: today(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--dry-run" => options.dry_run = true,
            "--no-semver-checks" => options.semver_checks = false,
            "--base" | "--date" => {
                let Some(value) = args.next() else {
                    eprintln!("`{arg}` needs a value\n\n{USAGE}");
                    return ExitCode::from(2);
                };
                if arg == "--base" {
                    options.base = Some(value.clone());
                } else {
                    options.date = value.clone();
                }
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("unknown option `{other}`\n\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    match release::release(&workspace_root(), &options) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Today's date in UTC, `YYYY-MM-DD`.
fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

/// Prints every provider crate's report against `base`; false when one has a
/// breaking change without the version it needs.
fn semver(root: &Path, base: &str) -> Result<bool, String> {
    bump::verify_rev(root, base)?;
    println!("the public surface of each provider crate since {base}:");
    let mut ok = true;
    for spec_path in spec::discover(root, &[])? {
        let provider = spec::provider_of(&spec_path)?;
        let surface =
            bump::surface_snapshot(bump::Tree::Work(root), &provider)?.ok_or_else(|| {
                format!("{provider}: no surface snapshot under tests/tests/snapshots")
            })?;
        let tree = bump::Tree::Rev { root, rev: base };
        match bump::Report::new(root, tree, &provider, &surface)? {
            None => println!("{provider}: new since {base}"),
            Some(report) => {
                println!("{report}");
                if report.unbumped_breaking() {
                    ok = false;
                    eprintln!(
                        "error: {} has breaking changes since {base}: raise its version to {} or more",
                        report.name,
                        report
                            .required()
                            .expect("a breaking change needs a version")
                    );
                }
            }
        }
    }
    Ok(ok)
}

/// The workspace this xtask was built in, or the one `XTASK_WORKSPACE` names
/// (a second checkout, `git worktree`, run with this build of the xtask).
fn workspace_root() -> PathBuf {
    if let Some(root) = std::env::var_os("XTASK_WORKSPACE") {
        return PathBuf::from(root);
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Regenerates (or checks) the named providers, or all of them; then how each
/// one's public surface differs from its committed snapshot.
fn regenerate(root: &Path, check: bool, providers: &[String]) -> Result<Vec<String>, String> {
    let specs = spec::discover(root, providers)?;
    let mut failures = Vec::new();
    let mut stale = Vec::new();
    let mut outputs: Vec<Result<generate::Output, String>> = specs
        .iter()
        .flat_map(|spec_path| {
            let spec = spec::Spec::load(root, spec_path)
                .and_then(|spec| lint::check(&spec).map(|()| spec));
            match spec {
                Ok(spec) => vec![
                    generate::generate(&spec),
                    cli::generate(&spec),
                    mcp::generate(&spec),
                    Ok(mock_spec::copy(&spec)),
                ],
                Err(message) => vec![Err(message)],
            }
        })
        .collect();
    // The README's table covers every spec, whichever were named.
    let all: Result<Vec<spec::Spec>, String> = spec::discover(root, &[])?
        .iter()
        .map(|path| spec::Spec::load(root, path))
        .collect();
    match all.and_then(|all| readme::generate(root, &all)) {
        Ok(Some(output)) => outputs.push(Ok(output)),
        Ok(None) => {}
        Err(message) => outputs.push(Err(message)),
    }
    let mut surfaces = Vec::new();
    for output in outputs {
        let output = match output {
            Ok(output) => output,
            Err(message) => {
                failures.push(message);
                continue;
            }
        };
        if let Some(provider) = spec::generated_provider(&output.path) {
            surfaces.push((provider, xtask::surface::describe(&output.text)?));
        }
        let target = root.join(&output.path);
        let current = std::fs::read_to_string(&target).ok();
        if current.as_deref() == Some(output.text.as_str()) {
            println!("{}: up to date", output.path.display());
        } else if check {
            stale.push(output.path.display().to_string());
        } else {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|error| format!("cannot create {}: {error}", parent.display()))?;
            }
            std::fs::write(&target, &output.text)
                .map_err(|error| format!("cannot write {}: {error}", target.display()))?;
            println!("{}: written", output.path.display());
        }
    }
    if !stale.is_empty() {
        failures.push(format!(
            "stale generated code (run `cargo xtask regenerate`):\n{}",
            stale
                .iter()
                .map(|path| format!("  {path}"))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    if failures.is_empty() {
        report_surfaces(root, &surfaces)
    } else {
        Err(failures.join("\n\n"))
    }
}

/// How each generated surface differs from its committed snapshot.
fn report_surfaces(root: &Path, surfaces: &[(String, String)]) -> Result<Vec<String>, String> {
    surfaces
        .iter()
        .map(|(provider, surface)| {
            Ok(
                match bump::Report::new(root, bump::Tree::Work(root), provider, surface)? {
                    Some(report) => report.to_string(),
                    None => format!("{provider}: no committed snapshot yet"),
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::regenerate;

    const MINIMAL: &str = r#"
openapi: 3.0.3
info: {title: Probe, version: '1'}
servers: [{url: 'https://probe.example/v1'}]
paths:
  /things/{id}:
    get:
      operationId: get_thing
      summary: Get a thing
      tags: [things]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The thing.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              example: {id: 1, name: one}
components:
  schemas:
    Thing:
      type: object
      x-identity: [id]
      required: [id]
      properties:
        id: {type: integer}
        name: {type: string, nullable: true}
"#;

    fn workspace_with(spec: &str) -> tempdir::TempDir {
        let dir = tempdir::TempDir::new();
        std::fs::create_dir_all(dir.path().join("specs")).unwrap();
        std::fs::create_dir_all(dir.path().join("crates/probe/src")).unwrap();
        std::fs::write(dir.path().join("specs/probe.yaml"), spec).unwrap();
        dir
    }

    fn generated(root: &Path) -> String {
        std::fs::read_to_string(root.join("crates/probe/src/generated.rs")).unwrap()
    }

    #[test]
    fn check_fails_until_regenerated_and_output_is_byte_identical() {
        let dir = workspace_with(MINIMAL);
        let root = dir.path();
        let error = regenerate(root, true, &[]).unwrap_err();
        assert!(error.contains("crates/probe/src/generated.rs"), "{error}");
        assert!(
            !root.join("crates/probe/src/generated.rs").exists(),
            "--check writes nothing"
        );

        let reports = regenerate(root, false, &[]).unwrap();
        assert_eq!(reports, ["probe: no committed snapshot yet"]);
        let first = generated(root);
        assert!(
            first.starts_with("// @generated by `cargo xtask regenerate` from specs/probe.yaml.")
        );
        assert!(first.contains("pub const ROUTES"));
        assert!(
            !first.contains("fn new_with_client"),
            "progenitor's constructors are removed"
        );
        regenerate(root, true, &[]).unwrap();
        regenerate(root, false, &[]).unwrap();
        assert_eq!(first, generated(root), "a second run is byte-identical");

        // A spec edit makes the committed code stale again.
        let edited = MINIMAL.replace("summary: Get a thing", "summary: Fetch a thing");
        std::fs::write(root.join("specs/probe.yaml"), edited).unwrap();
        let error = regenerate(root, true, &["probe".to_owned()]).unwrap_err();
        assert!(error.contains("stale generated code"), "{error}");
        assert!(
            regenerate(root, true, &["nope".to_owned()])
                .unwrap_err()
                .contains("no spec for provider `nope`")
        );
    }

    fn lint_error(spec: &str) -> String {
        let dir = workspace_with(spec);
        regenerate(dir.path(), true, &[]).unwrap_err()
    }

    #[test]
    fn the_lint_names_the_file_and_operation() {
        let cases = [
            ("      operationId: get_thing\n", "", "no `operationId`"),
            (
                "      summary: Get a thing\n",
                "",
                "operation get_thing (GET /things/{id}): no `summary`",
            ),
            (
                "tags: [things]",
                "tags: [things, more]",
                "more than one tag",
            ),
            ("tags: [things]", "tags: []", "no tag"),
            (
                "example: {id: 1, name: one}",
                "example: {id: one}",
                "the example does not match its schema at /id",
            ),
            (
                "example: {id: 1, name: one}",
                "example: {name: null}",
                "the example does not match its schema at /",
            ),
            (
                "$ref: '#/components/schemas/Thing'",
                "$ref: '#/components/schemas/Thin'",
                "unresolved `$ref: #/components/schemas/Thin`",
            ),
            (
                "openapi: 3.0.3",
                "openapi: 3.1.0",
                "progenitor 0.15 reads OpenAPI 3.0.x only",
            ),
            (
                "application/json:\n              schema",
                "application/xml:\n              schema",
                "is neither application/json nor text/csv: document a raw answer as `{type: string, format: binary}`",
            ),
        ];
        for (from, to, expected) in cases {
            assert!(MINIMAL.contains(from), "{from}");
            let error = lint_error(&MINIMAL.replacen(from, to, 1));
            assert!(
                error.starts_with("specs/probe.yaml: the spec lint failed"),
                "{error}"
            );
            assert!(
                error.contains(expected),
                "expected `{expected}` in:\n{error}"
            );
        }
    }

    #[test]
    fn the_lint_explains_shapes_progenitor_cannot_generate() {
        let default_beside_success = MINIMAL.replace(
            "      responses:\n",
            "      responses:\n        default:\n          description: An error.\n          content:\n            application/json:\n              schema: {type: object, properties: {message: {type: string}}}\n",
        );
        let error = lint_error(&default_beside_success);
        assert!(
            error.contains("responses default and 200 have different types"),
            "{error}"
        );
        assert!(error.contains("`4XX`/`5XX`"), "{error}");
        assert!(!error.contains("panicked"), "{error}");

        let multipart = MINIMAL.replace(
            "      responses:\n",
            "      requestBody:\n        content:\n          multipart/form-data:\n            schema: {type: object}\n      responses:\n",
        );
        // A form is generated (the `multipart` pass) when it names its parts,
        // each text or a file.
        assert!(
            lint_error(&multipart)
                .contains("a `multipart/form-data` body needs an object schema naming its parts")
        );
        let nested = MINIMAL.replace(
            "      responses:\n",
            "      requestBody:\n        content:\n          multipart/form-data:\n            schema: {type: object, properties: {meta: {type: object}}}\n      responses:\n",
        );
        assert!(
            lint_error(&nested).contains("the multipart part `meta` is neither text"),
            "{}",
            lint_error(&nested)
        );

        let no_schema = MINIMAL.replace("          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Thing'}\n              example: {id: 1, name: one}\n", "");
        // An answer without a body (a `204`, an empty `200`) is any
        // operation's: only the schema it no longer reaches is reported.
        let error = lint_error(&no_schema);
        assert!(!error.contains("response 200"), "{error}");

        let raw = MINIMAL.replace(
            "            application/json:\n              schema: {$ref: '#/components/schemas/Thing'}\n              example: {id: 1, name: one}\n",
            "            '*/*':\n              schema: {type: string, format: binary}\n",
        );
        assert_ne!(raw, MINIMAL);
        let error = lint_error(&raw);
        assert!(!error.contains("response 200"), "{error}");
    }

    #[test]
    fn the_lint_checks_schema_keys_and_vendor_extensions() {
        let cases = [
            (
                "name: {type: string, nullable: true}",
                "name: {type: string, description: a name, or none}",
                "schema Thing.name: `or none` is not a schema keyword",
            ),
            (
                "      tags: [things]\n",
                "      tags: [things]\n      x-date-window: {start: since, end: until, max_days: 0}\n",
                "`x-date-window.start` names `since`, which is not a query parameter",
            ),
            (
                "      tags: [things]\n",
                "      tags: [things]\n      x-date-window: {start: since, end: until, max_days: 0}\n",
                "`x-date-window.max_days` must be a positive integer",
            ),
            (
                "schema: {$ref: '#/components/schemas/Thing'}",
                "schema: {type: object, x-envelope: data, properties: {data: {type: object}}}",
                "`x-envelope: data` needs properties `success` and `data`",
            ),
            (
                "application/json:\n              schema: {$ref: '#/components/schemas/Thing'}\n              example: {id: 1, name: one}",
                "text/csv:\n              schema: {type: string}\n              example: \"id\\n1\\n\"",
                "needs `x-csv-row: <schema>`",
            ),
            (
                "application/json:\n              schema: {$ref: '#/components/schemas/Thing'}\n              example: {id: 1, name: one}",
                "text/csv:\n              schema: {type: string}\n              x-csv-row: Thing\n              example: \"id\\n1\\n\"",
                "the CSV example's header lacks `name` of Thing",
            ),
            (
                "      tags: [things]\n",
                "      tags: [things]\n      x-pagination: {style: page, page: page, per_page: per_page}\n",
                "`x-pagination.page` names `page`, which is not a query parameter",
            ),
            (
                "      tags: [things]\n",
                "      tags: [things]\n      x-pagination: {style: keyset}\n",
                "`x-pagination.style` must be `page`, `offset` or `cursor`",
            ),
            (
                "      tags: [things]\n",
                "      tags: [things]\n      x-pagination: {style: cursor}\n",
                "a cursor `x-pagination` needs `next`, the response's cursor of the next page",
            ),
            (
                "        - {name: id, in: path, required: true, schema: {type: string}}\n",
                "        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: offset, in: query, schema: {type: integer}}\n        - {name: limit, in: query, schema: {type: integer}}\n      x-pagination: {style: offset, offset: offset, limit: limit, items: things}\n",
                "`x-pagination.items` must name an array of a `$ref`'d schema in the response (`things`)",
            ),
            (
                "name: {type: string, nullable: true}",
                "name: {type: string, nullable: true, x-aliases: [id]}",
                "schema Thing.name: `x-aliases` needs a list of other keys, none of them a property",
            ),
            (
                "x-identity: [id]\n",
                "x-identity: [id]\n      x-columns: [id, title]\n",
                "schema Thing: `x-columns` needs a list of its properties (a table's default columns)",
            ),
            (
                "  schemas:\n",
                "  schemas:\n    Kind:\n      type: string\n      enum: [A_B, C]\n      x-open-enum: true\n      x-enum-varnames: [AB]\n",
                "schema Kind: `x-enum-varnames` needs one CamelCase name per `enum` value",
            ),
            (
                "      x-identity: [id]\n",
                "",
                "schema Thing: a response reaches it: say which fields identify it with `x-identity: [..]`",
            ),
            (
                "x-identity: [id]",
                "x-identity: [name]",
                "schema Thing: identity field `name` is not in `required`",
            ),
            (
                "x-identity: [id]",
                "x-identity: [uuid]",
                "schema Thing: identity field `uuid` is not a property",
            ),
            (
                "x-identity: [id]\n      required: [id]",
                "x-identity: [id, name]\n      required: [id, name]",
                "schema Thing: identity field `name` is `nullable`",
            ),
            (
                "      responses:\n",
                "      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Thing'}\n      responses:\n",
                "schema Thing: both a request and a response reach it",
            ),
            (
                "  schemas:\n",
                "  schemas:\n    Lonely:\n      type: object\n      x-identity: []\n      properties: {a: {type: string}}\n",
                "schema Lonely: `x-identity` is only for object schemas that a response or CSV row reaches",
            ),
        ];
        for (from, to, expected) in cases {
            assert!(MINIMAL.contains(from), "{from}");
            let error = lint_error(&MINIMAL.replacen(from, to, 1));
            assert!(
                error.contains(expected),
                "expected `{expected}` in:\n{error}"
            );
        }
    }

    #[test]
    fn envelopes_csv_exports_and_aliases_are_generated() {
        let spec = MINIMAL
            .replace(
                "schema: {$ref: '#/components/schemas/Thing'}\n              example: {id: 1, name: one}",
                "schema: {type: object, x-envelope: data, required: [success, data], properties: {success: {type: boolean}, data: {$ref: '#/components/schemas/Thing'}}}\n              example: {success: true, data: {id: 1}}",
            )
            .replace(
                "name: {type: string, nullable: true}",
                "name: {type: string, nullable: true, x-aliases: [title]}",
            )
            .replace(
                "components:\n",
                "  /things.csv:\n    get:\n      operationId: export_things\n      summary: Export things\n      tags: [things]\n      responses:\n        '200':\n          description: CSV.\n          content:\n            text/csv:\n              schema: {type: string}\n              x-csv-row: Thing\n              example: \"id,name\\n1,one\\n\"\ncomponents:\n",
            );
        let dir = workspace_with(&spec);
        regenerate(dir.path(), false, &[]).unwrap();
        let code = generated(dir.path());
        assert!(
            code.contains("200u16 => Ok(response),"),
            "the success arm hands the response on to the runtime"
        );
        assert!(
            code.contains("ResponseValue<types::Thing>, ::dev_platform_runtime::Error>"),
            "`send` returns the payload type"
        );
        assert!(code.contains("impl<'a> ExportThings<'a>"));
        assert!(code.contains("pub async fn csv("));
        assert!(code.contains("impl ::dev_platform_runtime::CsvRow for Thing"));
        // `Thing` is a JSON response too (it has `extra`): serde decodes its
        // rows by header name, not the positional decoder.
        assert!(!code.contains("fn from_record"));
        assert!(code.contains("const COLUMNS: &'static [&'static str] = &[\"id\", \"name\"];"));
        assert!(
            code.contains("#[serde(alias = \"title\")]"),
            "`x-aliases` becomes a serde alias"
        );
        assert!(
            code.contains("::dev_platform_runtime::lenient::required\")]\n        pub id: i64,"),
            "an identity field is required, decoded leniently"
        );
        assert!(
            code.contains("pub name: ::std::option::Option<::std::string::String>,"),
            "every other field is optional"
        );
        assert!(code.contains("pub fn extra_field(&self, key: &str)"));
        assert!(
            code.contains(
                ".decode_envelope(response, \"get_thing\", \"data\", &super::shapes::get_thing)"
            ),
            "the envelope is decoded against the documented shape"
        );
        assert!(code.contains("pub static get_thing: Shape = Shape::Object(&Object {"));
        assert!(code.contains("pub static Thing: Object = Object {"));
        let cli =
            std::fs::read_to_string(dir.path().join("crates/cli/src/commands/probe.rs")).unwrap();
        assert!(
            cli.starts_with("// @generated by `cargo xtask regenerate` from specs/probe.yaml.")
        );
        assert!(
            cli.contains("GetThing(GetThingArgs)"),
            "a subcommand per operation"
        );
        assert!(
            cli.contains("#[arg(long = \"id\")]"),
            "its parameters as options"
        );
        assert!(
            cli.contains(".export(request.csv().await?, args.output.as_deref(), &VIEW)"),
            "a CSV export is handed to the output"
        );
        assert!(
            cli.contains("list: Some(\"\"),") && cli.contains("columns: &[\"id\", \"name\"],"),
            "with its view: the rows are the list, the identity and name columns first"
        );
    }

    #[test]
    fn the_readme_table_of_identity_fields_is_generated_and_checked() {
        let dir = workspace_with(MINIMAL);
        let root = dir.path();
        std::fs::write(
            root.join("README.md"),
            format!(
                "# Probe\n\n{}\nstale\n{}\n\nThe end.\n",
                crate::readme::START,
                crate::readme::END
            ),
        )
        .unwrap();
        regenerate(root, false, &[]).unwrap();
        let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
        assert!(readme.contains("| Probe | `Thing` | `id` |\n"), "{readme}");
        assert!(
            !readme.contains("stale") && readme.ends_with("\n\nThe end.\n"),
            "{readme}"
        );
        regenerate(root, true, &[]).unwrap();
        let edited = MINIMAL.replace("x-identity: [id]", "x-identity: []");
        std::fs::write(root.join("specs/probe.yaml"), edited).unwrap();
        let error = regenerate(root, true, &[]).unwrap_err();
        assert!(error.contains("README.md"), "{error}");
    }

    #[test]
    fn a_progenitor_panic_is_reported_per_operation_without_a_backtrace() {
        // Bypass the lint to reach progenitor with a shape it panics on.
        let dir = workspace_with(&MINIMAL.replace(
            "      responses:\n",
            "      responses:\n        '201':\n          description: Other.\n          content:\n            application/json:\n              schema: {type: string}\n",
        ));
        let spec =
            crate::spec::Spec::load(dir.path(), &dir.path().join("specs/probe.yaml")).unwrap();
        let error = crate::generate::generate(&spec)
            .err()
            .expect("progenitor fails");
        assert!(
            error.contains("operation get_thing (GET /things/{id})"),
            "{error}"
        );
        assert!(error.contains("progenitor panicked"), "{error}");
    }

    /// A workspace with the real GitCode spec (its folder's files), edited by
    /// `edit` (see [`gitcode_spec`]), its crate's manifest and its committed
    /// surface snapshot.
    fn gitcode_workspace(edit: impl Fn(&str) -> String) -> tempdir::TempDir {
        let real = super::workspace_root();
        let dir = tempdir::TempDir::new();
        let snapshots = std::fs::read_dir(real.join("tests/tests/snapshots"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.starts_with("surface__gitcode"))
            .map(|name| format!("tests/tests/snapshots/{name}"));
        for path in [
            "Cargo.toml".to_owned(),
            "crates/gitcode/Cargo.toml".to_owned(),
        ]
        .into_iter()
        .chain(snapshots)
        {
            let text = std::fs::read_to_string(real.join(&path)).unwrap();
            std::fs::create_dir_all(dir.path().join(&path).parent().unwrap()).unwrap();
            std::fs::write(dir.path().join(&path), text).unwrap();
        }
        std::fs::create_dir_all(dir.path().join("specs/gitcode")).unwrap();
        for entry in std::fs::read_dir(real.join("specs/gitcode")).unwrap() {
            let path = entry.unwrap().path();
            let target = dir
                .path()
                .join("specs/gitcode")
                .join(path.file_name().unwrap());
            std::fs::copy(&path, target).unwrap();
        }
        let spec = gitcode_spec(dir.path());
        set_gitcode_spec(dir.path(), &edit(&spec));
        dir
    }

    /// The files of `root`'s GitCode spec folder as one text, each after a
    /// line `#@ <file name>`, so that a test edits them as one.
    fn gitcode_spec(root: &Path) -> String {
        let folder = root.join("specs/gitcode");
        let mut names: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
            .iter()
            .map(|name| {
                let text = std::fs::read_to_string(folder.join(name)).unwrap();
                format!("#@ {name}\n{text}")
            })
            .collect()
    }

    /// Writes the files of a [`gitcode_spec`] text back.
    fn set_gitcode_spec(root: &Path, spec: &str) {
        let folder = root.join("specs/gitcode");
        for part in spec.split("#@ ").filter(|part| !part.is_empty()) {
            let (name, text) = part.split_once('\n').unwrap();
            std::fs::write(folder.join(name), text).unwrap();
        }
    }

    /// What `regenerate` reports for [`gitcode_workspace`]`(edit)`.
    fn gitcode_report(edit: impl Fn(&str) -> String) -> String {
        let dir = gitcode_workspace(edit);
        let root = dir.path();
        let reports = regenerate(root, false, &["gitcode".to_owned()]).unwrap();
        assert_eq!(reports.len(), 1, "{reports:?}");
        reports.into_iter().next().unwrap()
    }

    #[test]
    fn a_spec_edit_is_reported_as_breaking_or_additive() {
        let unchanged = gitcode_report(str::to_owned);
        assert!(
            unchanged.starts_with("gitcode-api 0.")
                && unchanged.ends_with("no change to the public surface"),
            "{unchanged}"
        );

        let property = "        follow_count: {type: integer, format: int64, description: How many users follow it.}\n";
        let removed = gitcode_report(|spec| {
            assert!(spec.contains(property));
            spec.replacen(property, "", 1)
                .replacen("description, follow_count]", "description]", 1)
        });
        assert!(
            removed.starts_with("gitcode-api: 1 change, breaking: needs a minor bump"),
            "{removed}"
        );
        assert!(
            removed.contains("breaking  type `Organization`: field `follow_count` removed"),
            "{removed}"
        );

        let added = gitcode_report(|spec| {
            spec.replacen(
                property,
                &format!(
                    "{property}        region: {{type: string, description: Where it is hosted.}}\n"
                ),
                1,
            )
        });
        assert!(
            added.starts_with("gitcode-api: 1 change, additive: needs a patch bump"),
            "{added}"
        );
        assert!(
            added.contains(
                "additive  type `Organization`: optional field `region: Option<String>` added"
            ),
            "{added}"
        );
        assert!(!added.contains("breaking"), "{added}");
    }

    /// `git` in `root`, which must succeed.
    fn git(root: &Path, args: &[&str]) {
        let status = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args([
                "-c",
                "user.name=test",
                "-c",
                "user.email=test@example.invalid",
            ])
            .args(args)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    /// A release end to end, on a repository holding the GitCode crate: the
    /// first release (from `--base`), then an operation added to the spec (an
    /// "Added" line, a patch), then a field removed (a "Breaking" line, a
    /// minor version), each compared with the release before it.
    #[test]
    fn a_release_writes_versions_changelogs_and_its_record() {
        use crate::release::{Options, RECORD, last_release, release};

        let dir = gitcode_workspace(str::to_owned);
        let root = dir.path();
        regenerate_and_accept(root);
        git(root, &["init", "-q"]);
        git(root, &["add", "-A"]);
        git(root, &["commit", "-qm", "base"]);
        let options = |dry_run: bool, base: Option<&str>| Options {
            dry_run,
            base: base.map(str::to_owned),
            semver_checks: false,
            date: "2026-12-05".to_owned(),
        };
        // The crate's version as the workspace has it, and the ones to come.
        let manifest = std::fs::read_to_string(root.join("crates/gitcode/Cargo.toml")).unwrap();
        let v = crate::bump::toml_string(&manifest, "package", "version").unwrap();
        let parts: Vec<u64> = v.split('.').map(|part| part.parse().unwrap()).collect();
        let p1 = format!("{}.{}.{}", parts[0], parts[1], parts[2] + 1);
        let p2 = format!("{}.{}.{}", parts[0], parts[1], parts[2] + 2);
        let minor = format!("{}.{}.0", parts[0], parts[1] + 1);
        let no_release = release(root, &options(true, None)).unwrap_err();
        assert!(no_release.contains("--base REV"), "{no_release}");
        let first = release(root, &options(false, Some("HEAD"))).unwrap();
        assert!(
            first.contains(&format!("gitcode-api {v}: unchanged")),
            "{first}"
        );
        let record = std::fs::read_to_string(root.join(RECORD)).unwrap();
        assert!(
            record.contains(&format!("gitcode-api = \"{v}\"")),
            "{record}"
        );
        git(root, &["add", "-A"]);
        git(root, &["commit", "-qm", "release"]);
        let released = last_release(root).unwrap().expect("a release commit");

        // An operation added: a patch, and an "Added" line naming its request.
        let spec = gitcode_spec(root);
        let (_, get_org) = spec.split_once("  /orgs/{org}:\n").unwrap();
        let (get_org, _) = get_org.split_once("\n    patch:").unwrap();
        let added = spec.replacen(
            "  /orgs/{org}:\n",
            &format!(
                "  /orgs/{{org}}/again:\n{}\n  /orgs/{{org}}:\n",
                get_org.replace("operationId: get_org", "operationId: get_org_again")
            ),
            1,
        );
        set_gitcode_spec(root, &added);
        regenerate_and_accept(root);
        let dry = release(root, &options(true, None)).unwrap();
        assert!(dry.contains(&format!("since {released}")), "{dry}");
        assert!(
            dry.contains(&format!("gitcode-api: {v} -> {p1} (additive)")),
            "{dry}"
        );
        assert!(
            dry.contains("### Added\n\n- operation `get_org_again` (GET /orgs/{org}/again) added"),
            "{dry}"
        );
        assert!(dry.contains("(--dry-run: nothing written)"), "{dry}");
        assert!(
            !root.join("crates/gitcode/CHANGELOG.md").exists(),
            "a dry run writes nothing"
        );
        let written = release(root, &options(false, None)).unwrap();
        assert!(
            written.contains(&format!("gitcode-api: {v} -> {p1}")),
            "{written}"
        );
        let changelog = std::fs::read_to_string(root.join("crates/gitcode/CHANGELOG.md")).unwrap();
        assert!(changelog.starts_with("# Changelog\n"), "{changelog}");
        assert!(
            changelog.contains(&format!("## [{p1}] - 2026-12-05\n\n### Added\n")),
            "{changelog}"
        );
        let manifest = std::fs::read_to_string(root.join("crates/gitcode/Cargo.toml")).unwrap();
        assert!(
            manifest.contains(&format!("version = \"{p1}\"")),
            "its own version: {manifest}"
        );
        let workspace = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
        let requirement = workspace
            .lines()
            .find(|line| line.starts_with("gitcode-api = { path = "))
            .unwrap();
        assert!(
            requirement.contains(&format!("version = \"{p1}\"")),
            "the requirement follows: {requirement}"
        );
        assert!(
            std::fs::read_to_string(root.join(RECORD))
                .unwrap()
                .contains(&format!("gitcode-api = \"{p1}\""))
        );
        git(root, &["add", "-A"]);
        git(root, &["commit", "-qm", &format!("release {p1}")]);
        // The version checks now compare with that release: no change since.
        let since = release(root, &options(true, None)).unwrap();
        assert!(
            since.contains(&format!("gitcode-api {p1}: unchanged")),
            "{since}"
        );

        // A summary reworded: the same surface, other code: a patch, with
        // the commit's subject.
        let reworded = added.replacen(
            "summary: Get an organization",
            "summary: Get one organization",
            1,
        );
        assert_ne!(reworded, added);
        set_gitcode_spec(root, &reworded);
        regenerate_and_accept(root);
        git(
            root,
            &["commit", "-qam", "Get one organization, in the summary"],
        );
        let patch = release(root, &options(true, None)).unwrap();
        assert!(
            patch.contains(&format!("gitcode-api: {p1} -> {p2} (changed)")),
            "{patch}"
        );
        assert!(
            patch.contains("### Changed\n\n- Get one organization, in the summary\n"),
            "{patch}"
        );

        // A field removed: a minor version, a "Breaking" line.
        let property = "        follow_count: {type: integer, format: int64, description: How many users follow it.}\n";
        let removed = added.replacen(property, "", 1).replacen(
            "description, follow_count]",
            "description]",
            1,
        );
        set_gitcode_spec(root, &removed);
        regenerate_and_accept(root);
        let breaking = release(root, &options(true, None)).unwrap();
        assert!(
            breaking.contains(&format!("gitcode-api: {p1} -> {minor} (breaking)")),
            "{breaking}"
        );
        assert!(
            breaking.contains(
                "### Removed\n\n- **Breaking:** type `Organization`: field `follow_count` removed"
            ),
            "{breaking}"
        );
        assert!(
            !breaking.contains("get_org_again"),
            "released before: {breaking}"
        );
    }

    /// Regenerates the GitCode crate in `root` and accepts its new surface
    /// snapshot, as a maintainer does before a release.
    fn regenerate_and_accept(root: &Path) {
        regenerate(root, false, &["gitcode".to_owned()]).unwrap();
        let generated =
            std::fs::read_to_string(root.join("crates/gitcode/src/generated.rs")).unwrap();
        let surface = xtask::surface::describe(&generated).unwrap();
        // One file, in place of the snapshots per group it was given.
        let snapshots = root.join("tests/tests/snapshots");
        for entry in std::fs::read_dir(&snapshots).unwrap() {
            let path = entry.unwrap().path();
            if path.to_string_lossy().contains("surface__gitcode__") {
                std::fs::remove_file(path).unwrap();
            }
        }
        std::fs::write(root.join(crate::bump::snapshot_path("gitcode")), surface).unwrap();
    }

    /// A temporary directory removed on drop (std has none; this is all we need).
    mod tempdir {
        use std::path::{Path, PathBuf};
        use std::sync::atomic::{AtomicUsize, Ordering};

        pub struct TempDir(PathBuf);

        impl TempDir {
            pub fn new() -> Self {
                static NEXT: AtomicUsize = AtomicUsize::new(0);
                let path = std::env::temp_dir().join(format!(
                    "xtask-test-{}-{}",
                    std::process::id(),
                    NEXT.fetch_add(1, Ordering::Relaxed)
                ));
                std::fs::create_dir_all(&path).unwrap();
                Self(path)
            }

            pub fn path(&self) -> &Path {
                &self.0
            }
        }

        impl Drop for TempDir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }
}
