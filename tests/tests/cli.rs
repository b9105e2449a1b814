//! `devplat` against its embedded mock (`--mock`): every operation of every
//! provider, with the arguments its spec requires, succeeds and prints the
//! answer (JSON, or the CSV export as sent); list operations follow every page
//! with `--all`; failures are one clear message.

use dev_platform_tests::cli::{devplat, operation_args};
use dev_platform_tests::spec::Spec;
use dev_platform_tests::variants;
use serde_json::Value;

async fn every_operation(provider: &str) {
    let spec = Spec::load(provider);
    let mut ran = 0;
    for (_, item) in spec.json()["paths"].as_object().unwrap() {
        for (_, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap();
            let mut args = vec!["--mock".to_owned()];
            args.extend(operation_args(&spec, provider, operation));
            let printed = devplat(&args)
                .await
                .unwrap_or_else(|error| panic!("{args:?}: {error}"));
            let csv = operation
                .pointer("/responses/200/content/text~1csv")
                .is_some();
            let raw = spec.raw_example(id);
            if csv {
                assert_eq!(printed, spec.csv_example(id), "{id}");
            } else if let Some(raw) = raw {
                // A file, written as it is.
                assert_eq!(printed, raw, "{id}");
            } else {
                let answer: Value = serde_json::from_str(printed.trim())
                    .unwrap_or_else(|error| panic!("{id}: {error}: {printed}"));
                // The example as the CLI prints it (a bare array in place of
                // its wrapper, wrapped).
                let schema =
                    &operation["responses"]["200"]["content"]["application/json"]["schema"];
                let example = variants::canonical(&spec, &spec.response_example(id, "200"), schema);
                let example = example
                    .get("data")
                    .filter(|_| example.get("success").is_some())
                    .unwrap_or(&example);
                assert_eq!(answer.is_array(), example.is_array(), "{id}: {printed}");
            }
            if operation.get("x-pagination").is_some() {
                args.push("--all".to_owned());
                let printed = devplat(&args)
                    .await
                    .unwrap_or_else(|error| panic!("{args:?}: {error}"));
                let items: Value = serde_json::from_str(printed.trim()).unwrap();
                assert!(
                    items.as_array().is_some_and(|items| !items.is_empty()),
                    "{id}: {printed}"
                );
            }
            ran += 1;
        }
    }
    assert_eq!(ran, spec.operations().len());
}

#[tokio::test]
async fn every_gitcode_operation_runs_against_the_mock() {
    every_operation("gitcode").await;
}

#[tokio::test]
async fn every_qoder_operation_runs_against_the_mock() {
    every_operation("qoder").await;
}

#[tokio::test]
async fn every_devin_operation_runs_against_the_mock() {
    every_operation("devin").await;
}

#[tokio::test]
async fn the_readme_call_prints_the_members() {
    let printed = devplat(
        &[
            "--mock",
            "gitcode",
            "list-org-members",
            "--org",
            "openharmony",
        ]
        .map(String::from),
    )
    .await
    .unwrap();
    let members: Value = serde_json::from_str(printed.trim()).unwrap();
    assert_eq!(members[0]["login"], "dengmengmian");
}

#[tokio::test]
async fn failures_are_one_clear_line() {
    let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let cases = [
        (
            args(&[
                "--mock",
                "gitcode",
                "list-org-members",
                "--org",
                "o",
                "--per-page",
                "101",
            ]),
            "invalid request, not sent: list_org_members: `per_page` must be between 1 and 100, got 101",
        ),
        (
            args(&[
                "--mock",
                "devin",
                "create-organization",
                "--body",
                "{\"name\": 3}",
            ]),
            "--body is not valid for this operation",
        ),
        (
            args(&[
                "--mock",
                "qoder",
                "get-ai-code-overview",
                "--organization-id",
                "o",
                "--start-date",
                "2025-01-01T00:00:00Z",
                "--end-date",
                "2025-06-01T00:00:00Z",
            ]),
            "is longer than 90 days",
        ),
        (
            args(&["--mock", "gitcode", "no-such-operation"]),
            "unrecognized subcommand",
        ),
        (
            args(&[
                "--mock",
                "qoder",
                "get-ai-code-overview",
                "--organization-id",
                "o",
            ]),
            "--start-date",
        ),
    ];
    for (args, expected) in cases {
        let error = devplat(&args).await.unwrap_err();
        assert!(
            error.contains(expected),
            "{args:?}: `{error}` lacks `{expected}`"
        );
    }
}
