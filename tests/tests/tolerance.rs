//! Reality-tolerant responses, end to end: every JSON response example of
//! every spec, served on 127.0.0.1 with exactly one field changed (`null`,
//! left out, a number as text, a numeric string as a number, an unknown field
//! added), called through `devplat` with `*_BASE_URL` pointed at the server.
//!
//! A field that identifies its object (`x-identity`, an envelope's `success`
//! and payload) may not be `null` or absent: the call fails naming it.
//! Everything else decodes: a field that was not sent prints as nothing, a
//! retyped scalar prints as its documented type with the same value, and an
//! unknown field is printed where the server sent it.

use dev_platform_tests::cli::{Answering, operation_args};
use dev_platform_tests::spec::{Spec, examples};
use dev_platform_tests::variants::{self, Change, Path, Step, UNKNOWN_KEY, Variant};
use serde_json::Value;

/// What happened to one variant, when it was not what the policy says.
struct Miss {
    operation: String,
    variant: Variant,
    outcome: String,
}

/// Tallies of one provider's run.
#[derive(Default)]
struct Tally {
    /// Variants of non-identity fields and of unknown fields, and how many
    /// behaved as the policy says.
    tolerated: (usize, usize),
    /// Unknown-field variants, and how many printed the unknown value.
    unknown: (usize, usize),
    /// Identity variants (`null`/absent), and how many failed naming the field.
    identity: (usize, usize),
    /// Variants `--strict` refused, at the changed path.
    strict_refusals: usize,
    misses: Vec<Miss>,
}

async fn run_provider(provider: &str, token_env: &str, base_url_env: &str) -> Tally {
    let spec = Spec::load(provider);
    let server = Answering::start(token_env, base_url_env);
    let mut tally = Tally::default();
    for (_, item) in spec.json()["paths"].as_object().unwrap() {
        for (_, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap().to_owned();
            let Some(media) = operation
                .pointer("/responses/200")
                .map(|response| spec.resolved(response))
                .and_then(|response| response.pointer("/content/application~1json"))
            else {
                continue;
            };
            let schema = variants::resolve(&spec, &media["schema"]);
            let envelope = schema.get("x-envelope").and_then(Value::as_str);
            let args = operation_args(&spec, provider, operation);
            let strict: Vec<String> = std::iter::once("--strict".to_owned())
                .chain(args.iter().cloned())
                .collect();
            let examples = examples(media);
            for (name, example) in &examples {
                if let Err(message) = server.call(&strict, example).await {
                    panic!("{id}: the documented example `{name}` fails --strict: {message}");
                }
            }
            // One field changed at a time, in the first example (the shape
            // the mock serves).
            let Some((_, example)) = examples.first() else {
                continue;
            };
            for variant in variants::variants(&spec, example, schema) {
                match judge_strict(&variant, server.call(&strict, &variant.body).await) {
                    Ok(refused) => tally.strict_refusals += usize::from(refused),
                    Err(outcome) => tally.misses.push(Miss {
                        operation: id.clone(),
                        variant: variant.clone(),
                        outcome: format!("--strict: {outcome}"),
                    }),
                }
                let result = server.call(&args, &variant.body).await;
                let printed_path = match envelope {
                    Some(field)
                        if variant.printed.0.first()
                            == Some(&variants::Step::Key(field.to_owned())) =>
                    {
                        variant.printed.skip(1)
                    }
                    _ => variant.printed.clone(),
                };
                let verdict = judge(&variant, &printed_path, result);
                let counter = match variant.change {
                    Change::Null | Change::Absent if variant.identity => &mut tally.identity,
                    _ => &mut tally.tolerated,
                };
                counter.0 += 1;
                if variant.change == Change::Unknown {
                    tally.unknown.0 += 1;
                }
                match verdict {
                    Ok(()) => {
                        counter.1 += 1;
                        if variant.change == Change::Unknown {
                            tally.unknown.1 += 1;
                        }
                    }
                    Err(outcome) => tally.misses.push(Miss {
                        operation: id.clone(),
                        variant,
                        outcome,
                    }),
                }
            }
        }
    }
    tally
}

/// Whether `--strict` did what it must with `variant`: refuse an unknown field,
/// and refuse anything only at the changed path (a `null` or an absence the
/// spec documents is no deviation). `Ok(true)` when it refused.
fn judge_strict(variant: &Variant, result: Result<String, String>) -> Result<bool, String> {
    // Strict mode names a value where it was sent (under a bare array's
    // wrapper), and a missing one by its property's name.
    let missing = {
        let mut steps = variant.checked.0.clone();
        if let (Some(Step::Key(last)), Some(name)) = (steps.last_mut(), variant.printed.field()) {
            name.clone_into(last);
        }
        Path(steps)
    };
    let [path, printed] = [&variant.checked, &missing].map(|at| match variant.change {
        Change::Unknown => format!("{at}.{UNKNOWN_KEY}"),
        _ => at.to_string(),
    });
    match result {
        Ok(_) if variant.change == Change::Unknown => Err(format!("accepted the unknown {path}")),
        Ok(_) => Ok(false),
        Err(message)
            if message.lines().skip(1).all(|line| {
                let line = line.trim_start();
                line.starts_with(&format!("{path}:")) || line.starts_with(&format!("{printed}:"))
            }) =>
        {
            Ok(true)
        }
        // An identity field's absence may also be a decode error naming it.
        Err(message) if variant.identity && message.contains(&path) => Ok(true),
        Err(message) => Err(format!("refused, but not only at {path}: {message}")),
    }
}

/// Whether `result` is what the policy says for `variant`.
fn judge(
    variant: &Variant,
    printed_path: &Path,
    result: Result<String, String>,
) -> Result<(), String> {
    let field = variant.path.field().unwrap_or_default();
    let name = variant.printed.field().unwrap_or_default();
    match (variant.change, variant.identity) {
        (Change::Null | Change::Absent, true) => match result {
            Err(message) if message.contains(field) || message.contains(name) => Ok(()),
            Err(message) => Err(format!("failed without naming `{field}`: {message}")),
            Ok(printed) => Err(format!("decoded without its identity field: {printed}")),
        },
        (change, _) => {
            let printed = result.map_err(|message| format!("failed: {message}"))?;
            let printed: Value = serde_json::from_str(printed.trim())
                .map_err(|error| format!("printed no JSON ({error}): {printed}"))?;
            let at = printed_path.get(&printed);
            let fine = match change {
                Change::Null | Change::Absent => at.is_none_or(Value::is_null),
                Change::NumberAsText | Change::TextAsNumber => at.is_some_and(|value| {
                    same_scalar(value, &variant.original) || same_instant(value, &variant.original)
                }),
                Change::Unknown => at
                    .and_then(|object| object.get(UNKNOWN_KEY))
                    .is_some_and(|value| value == variant.marker.as_str()),
            };
            if fine {
                Ok(())
            } else {
                Err(format!(
                    "printed {} at {printed_path}: {printed}",
                    at.map_or("nothing".to_owned(), Value::to_string)
                ))
            }
        }
    }
}

/// An instant printed as RFC 3339 that was sent as Unix milliseconds.
fn same_instant(printed: &Value, sent: &Value) -> bool {
    instant(printed).is_some() && instant(printed) == instant(sent)
}

/// An instant: an RFC 3339 text, or Unix milliseconds.
fn instant(value: &Value) -> Option<i64> {
    match value {
        Value::String(text) => chrono::DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|time| time.timestamp_millis()),
        Value::Number(millis) => millis.as_i64(),
        _ => None,
    }
}

/// The same scalar value, whether as a number or as its decimal text.
fn same_scalar(a: &Value, b: &Value) -> bool {
    let number = |value: &Value| match value {
        Value::Number(number) => number.as_f64(),
        Value::String(text) => text.parse::<f64>().ok(),
        _ => None,
    };
    a == b || number(a).is_some_and(|a| Some(a) == number(b))
}

fn report(provider: &str, tally: &Tally) -> String {
    let percent = |(total, good): (usize, usize)| {
        if total == 0 {
            100.0
        } else {
            100.0 * good as f64 / total as f64
        }
    };
    let mut text = format!(
        "{provider}: tolerated {}/{} ({:.1} %), unknown fields printed {}/{} ({:.1} %), identity failures naming the field {}/{}, refused by --strict {}\n",
        tally.tolerated.1,
        tally.tolerated.0,
        percent(tally.tolerated),
        tally.unknown.1,
        tally.unknown.0,
        percent(tally.unknown),
        tally.identity.1,
        tally.identity.0,
        tally.strict_refusals,
    );
    for miss in &tally.misses {
        text.push_str(&format!(
            "  {} {} {} (identity: {}): {}\n",
            miss.operation,
            miss.variant.path,
            miss.variant.change,
            miss.variant.identity,
            miss.outcome.chars().take(300).collect::<String>()
        ));
    }
    text
}

async fn check(provider: &str, token_env: &str, base_url_env: &str) {
    let tally = run_provider(provider, token_env, base_url_env).await;
    let report = report(provider, &tally);
    println!("{report}");
    assert!(tally.tolerated.0 > 0 && tally.identity.0 > 0, "{report}");
    assert!(tally.misses.is_empty(), "{report}");
}

#[tokio::test(flavor = "multi_thread")]
async fn gitcode_examples_with_one_field_changed() {
    check(
        "gitcode",
        gitcode_api::client::TOKEN_ENV,
        gitcode_api::client::BASE_URL_ENV,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn qoder_examples_with_one_field_changed() {
    check(
        "qoder",
        qoder_api::client::TOKEN_ENV,
        qoder_api::client::BASE_URL_ENV,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn devin_examples_with_one_field_changed() {
    check(
        "devin",
        devin_api::client::TOKEN_ENV,
        devin_api::client::BASE_URL_ENV,
    )
    .await;
}

/// The README's `--strict` example, as `devplat` prints it.
#[tokio::test(flavor = "multi_thread")]
async fn the_readme_strict_example() {
    let server = Answering::start(
        gitcode_api::client::TOKEN_ENV,
        gitcode_api::client::BASE_URL_ENV,
    );
    let answer = serde_json::json!({
        "id": "6486504", "login": "openharmony", "name": "OpenHarmony", "avatar_url": "",
        "repos_url": null, "events_url": null, "members_url": null, "description": null,
        "follow_count": "40819", "region": "cn-south"
    });
    let args = ["--strict", "gitcode", "get-org", "--org", "openharmony"].map(String::from);
    let failure = server.call(&args, &answer).await.unwrap_err();
    let readme =
        std::fs::read_to_string(dev_platform_tests::workspace_root().join("README.md")).unwrap();
    let shown = readme
        .split("$ devplat --strict gitcode get-org --org openharmony\ndevplat: ")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("the README shows a --strict run");
    assert_eq!(failure, shown);
    // Without --strict, the same answer decodes, and prints the unknown field.
    let printed = server.call(&args[1..], &answer).await.unwrap();
    let printed: Value = serde_json::from_str(printed.trim()).unwrap();
    assert_eq!(
        (printed["id"].clone(), printed["follow_count"].clone()),
        (serde_json::json!(6486504), serde_json::json!(40819))
    );
    assert_eq!(printed["region"], "cn-south");
    assert!(
        printed.get("description").is_none(),
        "null is None, printed as nothing"
    );
}

/// Every documented example, printed back by `devplat`, is what the server
/// sent: every member (the payload of an envelope), the same values, `null`s
/// printed as nothing. Numbers compare by value (`2048` is `2048.0`), times
/// by instant (`+08:00` prints in UTC).
#[tokio::test(flavor = "multi_thread")]
async fn every_example_prints_back_as_it_was_sent() {
    for (provider, token_env, base_url_env) in [
        (
            "gitcode",
            gitcode_api::client::TOKEN_ENV,
            gitcode_api::client::BASE_URL_ENV,
        ),
        (
            "qoder",
            qoder_api::client::TOKEN_ENV,
            qoder_api::client::BASE_URL_ENV,
        ),
        (
            "devin",
            devin_api::client::TOKEN_ENV,
            devin_api::client::BASE_URL_ENV,
        ),
    ] {
        let spec = Spec::load(provider);
        let server = Answering::start(token_env, base_url_env);
        for (_, item) in spec.json()["paths"].as_object().unwrap() {
            for (_, operation) in item.as_object().unwrap() {
                let id = operation["operationId"].as_str().unwrap();
                let Some(media) = operation
                    .pointer("/responses/200")
                    .map(|response| spec.resolved(response))
                    .and_then(|response| response.pointer("/content/application~1json"))
                else {
                    continue;
                };
                let args = operation_args(&spec, provider, operation);
                for (name, example) in examples(media) {
                    let printed = server.call(&args, &example).await.unwrap();
                    let printed: Value = serde_json::from_str(printed.trim()).unwrap();
                    let example = variants::canonical(&spec, &example, &media["schema"]);
                    // An envelope's payload is what is printed.
                    let sent = match variants::resolve(&spec, &media["schema"])
                        .get("x-envelope")
                        .and_then(Value::as_str)
                    {
                        Some(payload) => &example[payload],
                        None => &example,
                    };
                    assert!(
                        same(&printed, sent),
                        "{provider} {id} ({name}):\n  sent    {sent}\n  printed {printed}"
                    );
                }
            }
        }
    }
}

/// `printed` holds what `sent` holds, `null`s left out. An instant sent as
/// Unix milliseconds is printed as RFC 3339.
fn same(printed: &Value, sent: &Value) -> bool {
    match (printed, sent) {
        (Value::Object(printed), Value::Object(sent)) => {
            let sent: Vec<_> = sent.iter().filter(|(_, value)| !value.is_null()).collect();
            printed.len() == sent.len()
                && sent
                    .iter()
                    .all(|(key, value)| printed.get(*key).is_some_and(|p| same(p, value)))
        }
        (Value::Array(printed), Value::Array(sent)) => {
            printed.len() == sent.len() && printed.iter().zip(sent).all(|(p, s)| same(p, s))
        }
        (Value::Number(p), Value::Number(s)) => p.as_f64() == s.as_f64(),
        _ if printed.is_string() && instant(printed).is_some() => instant(printed) == instant(sent),
        _ => printed == sent,
    }
}
