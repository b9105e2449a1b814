//! The mock's request checks against the specs, property-based: for every
//! operation of every provider, proptest breaks a valid request in one way
//! the spec forbids (the body's root of another type, a required field left
//! out at any depth, a field of another type, outside its enum, range or
//! length; a parameter missing, of another type, outside its enum or range;
//! a method the path does not declare) and the mock must refuse it, 400 (405
//! for the method) in the provider's error shape naming what is wrong. The
//! valid request itself must be answered 2xx, so a refusal is the mutation's.

use std::sync::OnceLock;

use dev_platform_mock::{MockServer, Provider};
use dev_platform_tests::spec::{Spec, ValidRequest};
use proptest::prelude::*;
use serde_json::{Value, json};

const TOKEN: &str = "contract-token";

/// One runtime and one server per provider for every case.
struct World {
    runtime: tokio::runtime::Runtime,
    servers: Vec<(Provider, MockServer, Spec)>,
    http: reqwest::Client,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let servers = runtime.block_on(async {
            let mut servers = Vec::new();
            for provider in Provider::ALL {
                let server = MockServer::start(provider).await.unwrap();
                servers.push((provider, server, Spec::load(provider.name())));
            }
            servers
        });
        let http = dev_platform_runtime::http_client_builder()
            .unwrap()
            .build()
            .unwrap();
        World {
            runtime,
            servers,
            http,
        }
    })
}

/// A request of one operation, valid as `Spec::valid_requests` makes it, or
/// broken.
type Request = ValidRequest<'static>;

/// `(status, body text, allow header)` of a request.
fn send(provider: Provider, request: &Request) -> (u16, String, Option<String>) {
    let world = world();
    let (_, server, spec) = world
        .servers
        .iter()
        .find(|(served, ..)| *served == provider)
        .unwrap();
    let url = request.url(server.base_url());
    let method = reqwest::Method::from_bytes(request.method.as_bytes()).unwrap();
    let mut builder = world.http.request(method, url).query(&request.query);
    builder = match provider {
        Provider::Gitcode => builder.header("PRIVATE-TOKEN", TOKEN),
        _ => builder.bearer_auth(TOKEN),
    };
    if let Some((media_type, body)) = &request.body {
        builder = if media_type == "application/json" {
            builder.json(body)
        } else if media_type == "multipart/form-data" {
            let form = spec.multipart(request.operation, body);
            builder
                .header("content-type", form.content_type())
                .body(form.into_body())
        } else {
            let fields: Vec<(String, String)> = body
                .as_object()
                .into_iter()
                .flatten()
                .map(|(key, value)| {
                    let text = value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_owned);
                    (key.clone(), text)
                })
                .collect();
            builder.form(&fields)
        };
    }
    world.runtime.block_on(async move {
        let response = builder.send().await.unwrap();
        let status = response.status().as_u16();
        let allow = response
            .headers()
            .get("allow")
            .map(|value| value.to_str().unwrap().to_owned());
        (status, response.text().await.unwrap(), allow)
    })
}

/// Any JSON value, small.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        // Past what an int64 holds.
        (i64::MAX as u64 + 1..=u64::MAX).prop_map(|n| json!(n)),
        (-1e9f64..1e9).prop_map(|n| json!(n + 0.5)),
        "[a-z0-9 ]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,6}", inner, 0..3)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Whether `value` is of the JSON type `kind`, as the spec reads it.
fn is_of(kind: &str, value: &Value) -> bool {
    match kind {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

/// A schema with its `$ref` followed, and a one-part `allOf` unwrapped; `None`
/// for a choice (`oneOf`), which this test does not break.
fn plain<'a>(spec: &'a Spec, schema: &'a Value) -> Option<&'a Value> {
    let schema = spec.resolved(schema);
    match schema.get("allOf").and_then(Value::as_array) {
        Some(parts) if parts.len() == 1 => plain(spec, &parts[0]),
        Some(_) => None,
        None if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() => None,
        None => Some(schema),
    }
}

/// Every place in a body example to break: its JSON pointer, the schema
/// there, and whether the place is a required member of its object.
fn sites<'a>(
    spec: &'a Spec,
    schema: &'a Value,
    value: &Value,
    pointer: String,
    required: bool,
    out: &mut Vec<(String, &'a Value, bool)>,
) {
    let Some(schema) = plain(spec, schema) else {
        return;
    };
    out.push((pointer.clone(), schema, required));
    match value {
        Value::Object(members) => {
            let required_names: Vec<&str> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            for (name, member) in members {
                if let Some(property) = schema["properties"].get(name) {
                    let escaped = name.replace('~', "~0").replace('/', "~1");
                    sites(
                        spec,
                        property,
                        member,
                        format!("{pointer}/{escaped}"),
                        required_names.contains(&name.as_str()),
                        out,
                    );
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                sites(
                    spec,
                    &schema["items"],
                    item,
                    format!("{pointer}/{index}"),
                    false,
                    out,
                );
            }
        }
        _ => {}
    }
}

/// One way to break a request.
#[derive(Clone, Debug)]
enum Break {
    /// Replace the value at a site with `Value` (kept only when the spec
    /// forbids it there).
    Replace(usize, Value),
    /// Leave out the member at a site (kept only when it is required).
    Remove(usize),
    /// An enum value the spec does not list.
    OffEnum(usize, String),
    /// Below the minimum or above the maximum, or too few or too many items.
    OutOfBounds(usize, bool),
    /// A query or path parameter: left out, of another type, or outside its
    /// enum or range.
    Parameter(usize, Value),
    /// A method the path does not declare.
    Method(usize),
    /// No body where the spec requires one.
    NoBody,
}

fn any_break() -> impl Strategy<Value = Break> {
    prop_oneof![
        (any::<usize>(), any_json()).prop_map(|(site, value)| Break::Replace(site, value)),
        any::<usize>().prop_map(Break::Remove),
        (any::<usize>(), "[A-Z][a-z]{2,8}").prop_map(|(site, text)| Break::OffEnum(site, text)),
        (any::<usize>(), any::<bool>()).prop_map(|(site, high)| Break::OutOfBounds(site, high)),
        (any::<usize>(), any_json()).prop_map(|(site, value)| Break::Parameter(site, value)),
        any::<usize>().prop_map(Break::Method),
        Just(Break::NoBody),
    ]
}

/// `request` broken by `how`, with what the refusal must name; `None` when
/// `how` does not apply to this operation (or would leave it valid).
fn broken(spec: &Spec, request: &Request, how: &Break) -> Option<(Request, u16, String)> {
    let operation = request.operation;
    let mut request = request.clone();
    let site_list = || {
        let (media_type, example) = request.body.as_ref()?;
        let body = spec.resolved(&operation["requestBody"]);
        let schema = &body["content"][media_type.as_str()]["schema"];
        let mut out = Vec::new();
        sites(spec, schema, example, String::new(), false, &mut out);
        Some((media_type.clone(), out))
    };
    let name_of = |pointer: &str| pointer.rsplit('/').next().unwrap_or_default().to_owned();
    match how {
        Break::Replace(site, value) => {
            let (media_type, sites) = site_list()?;
            let (pointer, schema, _) = sites.get(site % sites.len().max(1))?;
            let kind = schema.get("type")?.as_str()?;
            let nullable = schema["nullable"] == true;
            // A form field is text: only its text's type can be wrong.
            if media_type != "application/json"
                || is_of(kind, value)
                || (value.is_null() && nullable)
            {
                return None;
            }
            let body = &mut request.body.as_mut()?.1;
            if pointer.is_empty() {
                *body = value.clone();
                return Some((request, 400, "the body must be".to_owned()));
            }
            *body.pointer_mut(pointer)? = value.clone();
            Some((request, 400, name_of(pointer)))
        }
        Break::Remove(site) => {
            let (_, sites) = site_list()?;
            let required: Vec<_> = sites.iter().filter(|(_, _, required)| *required).collect();
            let (pointer, _, _) = required.get(site % required.len().max(1))?;
            let (parent, name) = pointer.rsplit_once('/')?;
            let body = &mut request.body.as_mut()?.1;
            let parent = if parent.is_empty() {
                Some(body)
            } else {
                body.pointer_mut(parent)
            };
            parent?.as_object_mut()?.remove(name)?;
            // The field's path as the mock names it (`[0].repo`, `a.b`).
            let mut field = String::new();
            for segment in pointer.split('/').skip(1) {
                match segment.parse::<usize>() {
                    Ok(index) => field.push_str(&format!("[{index}]")),
                    Err(_) if field.is_empty() => field.push_str(segment),
                    Err(_) => field.push_str(&format!(".{segment}")),
                }
            }
            Some((request, 400, format!("lacks the required field `{field}`")))
        }
        Break::OffEnum(site, text) => {
            let (_, sites) = site_list()?;
            let enums: Vec<_> = sites
                .iter()
                .filter(|(_, schema, _)| schema.get("enum").is_some())
                .collect();
            let (pointer, schema, _) = enums.get(site % enums.len().max(1))?;
            if schema["enum"].as_array()?.contains(&json!(text)) {
                return None;
            }
            *request.body.as_mut()?.1.pointer_mut(pointer)? = json!(text);
            Some((request, 400, name_of(pointer)))
        }
        Break::OutOfBounds(site, high) => {
            let (media_type, sites) = site_list()?;
            let bounded: Vec<_> = sites
                .iter()
                .filter(|(_, schema, _)| {
                    ["minimum", "maximum", "minItems", "maxItems", "format"]
                        .iter()
                        .any(|key| schema.get(key).is_some())
                })
                .collect();
            let (pointer, schema, _) = bounded.get(site % bounded.len().max(1))?;
            let json_body = media_type == "application/json";
            let value = match (*high, schema["type"].as_str()) {
                (false, Some("array")) => {
                    schema["minItems"].as_u64().filter(|min| *min > 0)?;
                    json!([])
                }
                (true, Some("array")) => {
                    let max = schema["maxItems"].as_u64()? as usize;
                    json!(vec!["0123456789abcdef"; max + 1])
                }
                (false, _) => json!(schema["minimum"].as_i64()? - 1),
                (true, _) => match (schema["maximum"].as_i64(), schema["format"].as_str()) {
                    (Some(max), _) => json!(max + 1),
                    // Past what the integer's format holds.
                    (None, Some("int32")) => json!(i64::from(i32::MAX) + 1),
                    (None, Some("int64")) => json!(i64::MAX as u64 + 1),
                    _ => return None,
                },
            };
            let value = if json_body {
                value
            } else {
                json!(value.to_string())
            };
            *request.body.as_mut()?.1.pointer_mut(pointer)? = value;
            Some((request, 400, name_of(pointer)))
        }
        Break::Parameter(site, value) => {
            let parameters: Vec<&Value> = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|parameter| spec.resolved(parameter))
                .filter(|parameter| parameter["in"] == "query")
                .collect();
            let parameter = parameters.get(site % parameters.len().max(1))?;
            let name = parameter["name"].as_str()?.to_owned();
            let schema = spec.resolved(&parameter["schema"]);
            request.query.retain(|(key, _)| *key != name);
            if parameter["required"] == true && value.is_null() {
                return Some((request, 400, format!("`{name}`")));
            }
            let text = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned);
            let wrong = match schema["type"].as_str() {
                Some("integer") => match text.parse::<i64>() {
                    Ok(n) => {
                        schema["minimum"].as_i64().is_some_and(|min| n < min)
                            || schema["maximum"].as_i64().is_some_and(|max| n > max)
                            || (schema["format"] == "int32" && i32::try_from(n).is_err())
                    }
                    Err(_) => true,
                },
                Some("boolean") => text != "true" && text != "false",
                _ => schema["enum"]
                    .as_array()
                    .is_some_and(|values| !values.contains(&json!(text))),
            };
            if !wrong {
                return None;
            }
            request.query.push((name.clone(), text));
            Some((request, 400, format!("`{name}`")))
        }
        Break::NoBody => {
            let declared = spec.resolved(&operation["requestBody"]);
            if declared["required"] != true {
                return None;
            }
            request.body.take()?;
            Some((request, 400, "the request body is missing".to_owned()))
        }
        Break::Method(pick) => {
            let declared: Vec<String> = spec.json()["paths"]
                .as_object()?
                .iter()
                .find(|(_, item)| {
                    item.as_object().is_some_and(|item| {
                        item.values()
                            .any(|op| op["operationId"] == request.operation_id.as_str())
                    })
                })?
                .1
                .as_object()?
                .keys()
                .map(|method| method.to_uppercase())
                .collect();
            let others: Vec<&str> = ["GET", "POST", "PUT", "PATCH", "DELETE"]
                .into_iter()
                .filter(|method| !declared.iter().any(|declared| declared == method))
                .collect();
            request.method = others.get(pick % others.len().max(1))?.to_string();
            Some((request, 405, "no such method".to_owned()))
        }
    }
}

fn contract(provider: Provider) {
    let world = world();
    let (_, _, spec) = world.servers.iter().find(|(p, ..)| *p == provider).unwrap();
    let requests = spec.valid_requests();
    for request in &requests {
        let (status, body, _) = send(provider, request);
        assert!(
            (200..300).contains(&status),
            "{}: the valid request is refused: {status} {body}",
            request.operation_id
        );
    }
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let applied = std::sync::atomic::AtomicUsize::new(0);
    runner
        .run(&(0..requests.len(), any_break()), |(index, how)| {
            let request = &requests[index];
            let Some((broken, expected_status, names)) = broken(spec, request, &how) else {
                return Ok(());
            };
            applied.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let (status, body, allow) = send(provider, &broken);
            prop_assert_eq!(
                status,
                expected_status,
                "{} broken by {:?} was answered {}: {}",
                request.operation_id,
                how,
                status,
                body
            );
            prop_assert!(
                body.contains(&names),
                "{} broken by {:?}: `{}` does not name `{}`",
                request.operation_id,
                how,
                body,
                names
            );
            prop_assert!(!body.contains(TOKEN));
            if expected_status == 405 {
                prop_assert!(allow.is_some_and(|allow| !allow.is_empty()));
            }
            Ok(())
        })
        .unwrap();
    let applied = applied.into_inner();
    // About 110 to 220 of the 512 random cases find a way to break their
    // request (the rest draw a way the operation has no place for); fewer
    // than 64 would mean the breaking itself is broken. (The floor was 100
    // until Qoder drew 99 once: its mean is about 116.)
    assert!(
        applied >= 64,
        "{provider:?}: only {applied} of 512 cases broke a request"
    );
}

#[test]
fn gitcode_requests_the_spec_forbids_are_refused() {
    contract(Provider::Gitcode);
}

#[test]
fn qoder_requests_the_spec_forbids_are_refused() {
    contract(Provider::Qoder);
}

#[test]
fn devin_requests_the_spec_forbids_are_refused() {
    contract(Provider::Devin);
}
