//! Every operation of every spec sent as its documentation shows it: each
//! parameter given its documented example (path, query and header), the body
//! its documented example, called through `devplat` (the typed client
//! underneath) against the spec-checking mock server, which refuses a request
//! the spec does not allow. What arrived is then checked against the
//! examples: the method, every path segment, every query pair and header,
//! the body's media type and content. A new operation is covered by its spec
//! entry alone.

use dev_platform_tests::cli::{devplat_with, form_args, kebab};
use dev_platform_tests::spec::Spec;
use dev_platform_tests::wire::{Recorder, header, query_pairs};
use serde_json::Value;

/// A parameter's example as the command line takes it and the wire carries
/// it: a list comma-separated, a string as it is, anything else as JSON.
fn text(example: &Value) -> String {
    match example {
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// The parts of a `multipart/form-data` body: each name and content, in
/// order (the body must open with its boundary and end with the closing one).
fn form_parts(body: &[u8], boundary: &str) -> Vec<(String, String)> {
    let body = String::from_utf8_lossy(body);
    let inner = body
        .strip_prefix(&format!("--{boundary}\r\n"))
        .and_then(|rest| rest.strip_suffix(&format!("\r\n--{boundary}--\r\n")))
        .unwrap_or_else(|| panic!("a malformed form: {body}"));
    inner
        .split(&format!("\r\n--{boundary}\r\n"))
        .map(|part| {
            let (head, content) = part.split_once("\r\n\r\n").expect("a part's headers");
            let name = head
                .split("name=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .expect("a part's name");
            (name.to_owned(), content.to_owned())
        })
        .collect()
}

/// `a%20b` → `a b`.
fn decoded(segment: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", segment.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

async fn every_operation_as_documented(provider: &str, token_env: &str, base_url_env: &str) {
    let spec = Spec::load(provider);
    let mut checked = 0;
    for (template, item) in spec.json()["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Some(id) = operation["operationId"].as_str() else {
                continue;
            };
            let mut args = vec![provider.to_owned(), kebab(id)];
            // Each segment of the template with its examples (a file path's
            // slashes make several).
            let mut path_values = Vec::new();
            let mut query = Vec::new();
            let mut headers = Vec::new();
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let parameter = spec.resolved(parameter);
                let name = parameter["name"].as_str().unwrap();
                let value = match parameter["in"].as_str() {
                    Some("path") => spec.path_value(parameter),
                    _ if parameter.get("example").is_some() => text(&parameter["example"]),
                    _ if parameter["required"] == true => spec.sample(&parameter["schema"]),
                    _ => continue,
                };
                match parameter["in"].as_str() {
                    Some("path") => path_values.push((
                        name.to_owned(),
                        value.clone(),
                        parameter["x-path-slashes"] == true,
                    )),
                    Some("query") => query.push((name.to_owned(), value.clone())),
                    Some("header") => headers.push((name.to_owned(), value.clone())),
                    _ => {}
                }
                args.push(format!("--{}={value}", kebab(name)));
            }
            let body = operation.get("requestBody").map(|body| {
                let (media_type, media) = spec.resolved(body)["content"]
                    .as_object()
                    .and_then(|content| content.iter().next())
                    .expect("a body's media type");
                (media_type.clone(), media["example"].clone())
            });
            match &body {
                Some((media_type, example)) if media_type == "multipart/form-data" => {
                    let media =
                        &spec.resolved(&operation["requestBody"])["content"][media_type.as_str()];
                    args.extend(form_args(&spec, media, example));
                }
                Some((_, example)) => args.extend(["--body".to_owned(), example.to_string()]),
                None => {}
            }

            let mock = Recorder::spec_mock(provider).await;
            let base_url = mock.uri();
            let vars = |name: &str| {
                if name == token_env {
                    Some("t0ken".to_owned())
                } else if name == base_url_env {
                    Some(base_url.clone())
                } else {
                    None
                }
            };
            if let Err(error) = devplat_with(&args, &vars).await {
                panic!("{id}: {args:?}: {error}");
            }
            let request = mock.only_request().await;

            assert_eq!(request.method.as_str(), method.to_uppercase(), "{id}");
            // Every segment, decoded, as the template with the examples.
            let sent: Vec<String> = request.url.path().split('/').map(decoded).collect();
            // Below the base URL, or its own base path (`/api/v8`) whole.
            let own = dev_platform_tests::spec::own_base_path(operation).unwrap_or_default();
            let expected: Vec<String> = format!("{own}{template}")
                .split('/')
                .flat_map(|segment| {
                    let mut segment = segment.to_owned();
                    for (name, value, slashes) in &path_values {
                        let placeholder = format!("{{{name}}}");
                        if *slashes && segment == placeholder {
                            return value.split('/').map(str::to_owned).collect();
                        }
                        segment = segment.replace(&placeholder, value);
                    }
                    vec![segment]
                })
                .collect();
            assert_eq!(sent, expected, "{id}: the path");
            // Exactly the query pairs given.
            let mut sent = query_pairs(&request);
            sent.sort();
            query.sort();
            assert_eq!(sent, query, "{id}: the query");
            for (name, value) in &headers {
                assert_eq!(header(&request, name), Some(value.as_str()), "{id}: {name}");
            }
            match &body {
                None => assert!(request.body.is_empty(), "{id}: a body was sent"),
                Some((media_type, example)) if media_type == "multipart/form-data" => {
                    let content_type = header(&request, "content-type").unwrap_or_default();
                    let boundary = content_type
                        .strip_prefix("multipart/form-data; boundary=")
                        .unwrap_or_else(|| panic!("{id}: the body's media type {content_type}"));
                    assert_eq!(
                        form_parts(&request.body, boundary),
                        example
                            .as_object()
                            .unwrap()
                            .iter()
                            .map(|(name, value)| (name.clone(), text(value)))
                            .collect::<Vec<_>>(),
                        "{id}: the form's parts"
                    );
                }
                Some((media_type, example)) => {
                    let content_type = header(&request, "content-type").unwrap_or_default();
                    assert_eq!(content_type, media_type, "{id}: the body's media type");
                    let sent: Value = if media_type == "application/json" {
                        serde_json::from_slice(&request.body).unwrap()
                    } else {
                        // A form: each field as text.
                        url::form_urlencoded::parse(&request.body)
                            .map(|(name, value)| (name.into_owned(), Value::String(value.into())))
                            .collect::<serde_json::Map<_, _>>()
                            .into()
                    };
                    let expected = if media_type == "application/json" {
                        example.clone()
                    } else {
                        example
                            .as_object()
                            .unwrap()
                            .iter()
                            .map(|(name, value)| (name.clone(), Value::String(text(value))))
                            .collect::<serde_json::Map<_, _>>()
                            .into()
                    };
                    assert_eq!(sent, expected, "{id}: the body");
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, spec.operations().len());
}

#[tokio::test]
async fn every_gitcode_operation_sends_its_documented_examples() {
    every_operation_as_documented("gitcode", "GITCODE_TOKEN", "GITCODE_BASE_URL").await;
}

#[tokio::test]
async fn every_qoder_operation_sends_its_documented_examples() {
    every_operation_as_documented("qoder", "QODER_API_KEY", "QODER_BASE_URL").await;
}

#[tokio::test]
async fn every_devin_operation_sends_its_documented_examples() {
    every_operation_as_documented("devin", "DEVIN_API_KEY", "DEVIN_BASE_URL").await;
}
