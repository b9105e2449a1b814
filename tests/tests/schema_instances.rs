//! Spec and client agree: answers generated from each operation's response
//! schema alone (every property filled, each value of its documented type,
//! format, range and values, `null` where the schema allows it), as an
//! independent mock server would make them, all decode through `devplat`.
//! Answers holding exactly what the spec documents pass `--strict` too; any
//! other answer the schema allows (optional members left out, undocumented
//! ones added) decodes tolerantly.

use dev_platform_tests::cli::{Answering, operation_args};
use dev_platform_tests::instances::{Generator, Kind};
use dev_platform_tests::spec::Spec;
use dev_platform_tests::variants::resolve;
use serde_json::Value;

/// Answers generated per operation and kind.
const PER_OPERATION: u64 = 16;

async fn every_response_schema(provider: &str, token_env: &str, base_url_env: &str) {
    let spec = Spec::load(provider);
    let server = Answering::start(token_env, base_url_env);
    let mut decoded = 0;
    let mut failures = Vec::new();
    for (_, item) in spec.json()["paths"].as_object().unwrap() {
        for (_, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap();
            let Some(schema) = operation
                .pointer("/responses/200")
                .map(|response| spec.resolved(response))
                .and_then(|response| response.pointer("/content/application~1json/schema"))
            else {
                continue;
            };
            let envelope = resolve(&spec, schema).get("x-envelope").is_some();
            for (kind, strict) in [(Kind::Documented, true), (Kind::Valid, false)] {
                let mut args = operation_args(&spec, provider, operation);
                if strict {
                    args.insert(0, "--strict".to_owned());
                }
                let seed = id.bytes().fold(u64::from(strict), |seed, b| {
                    seed.wrapping_mul(31).wrapping_add(u64::from(b))
                });
                let mut generator = Generator::new(&spec, kind, seed);
                for _ in 0..PER_OPERATION {
                    let mut answer = generator.instance(schema);
                    if envelope {
                        // `"success": false` is the provider's error, by design.
                        answer["success"] = Value::Bool(true);
                    }
                    match server.call(&args, &answer).await {
                        Ok(_) => decoded += 1,
                        Err(message) => {
                            failures.push(format!("{id} ({kind:?}): {message}\n    {answer}"))
                        }
                    }
                }
            }
        }
    }
    assert!(decoded > 0, "{provider}: no JSON response schema");
    assert!(
        failures.is_empty(),
        "{provider}: {} of {} schema-generated answers failed:\n{}",
        failures.len(),
        failures.len() + decoded,
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn gitcode_decodes_what_its_schemas_allow() {
    every_response_schema(
        "gitcode",
        gitcode_api::client::TOKEN_ENV,
        gitcode_api::client::BASE_URL_ENV,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn qoder_decodes_what_its_schemas_allow() {
    every_response_schema(
        "qoder",
        qoder_api::client::TOKEN_ENV,
        qoder_api::client::BASE_URL_ENV,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn devin_decodes_what_its_schemas_allow() {
    every_response_schema(
        "devin",
        devin_api::client::TOKEN_ENV,
        devin_api::client::BASE_URL_ENV,
    )
    .await;
}
