//! Every MCP tool of `devplat mcp`, called once against the mock with the
//! arguments its spec requires (the documented body example included): it
//! answers, and its structured result fits the `outputSchema` it lists.

use std::collections::HashMap;

use dev_platform_cli::mcp::{Call, Options, Selection, Server, ToolError, tools};
use dev_platform_tests::spec::{Spec, ValidRequest};
use serde_json::{Map, Value, json};

/// The arguments of a tool: its valid request's path and required query
/// values, typed as the input schema says, and its body.
fn arguments(spec: &Spec, request: &ValidRequest, input: &Value) -> Map<String, Value> {
    let mut arguments = Map::new();
    let properties = input["properties"].as_object().unwrap();
    for (name, schema) in properties {
        let required = input["required"].as_array().unwrap().contains(&json!(name));
        if !required || name == "body" {
            continue;
        }
        // A query parameter's valid sample, or a path parameter's value.
        let path_value = || {
            request.operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|parameter| spec.resolved(parameter))
                .find(|parameter| parameter["name"] == name.as_str() && parameter["in"] == "path")
                .map_or_else(|| "x".to_owned(), |parameter| spec.path_value(parameter))
        };
        let text = request
            .query
            .iter()
            .find(|(key, _)| key == name)
            .map_or_else(path_value, |(_, value)| value.clone());
        let value = match schema["type"].as_str() {
            Some("integer") => json!(text.parse::<i64>().unwrap()),
            Some("boolean") => json!(text == "true"),
            Some("array") => json!(text.split(',').collect::<Vec<_>>()),
            _ => json!(text),
        };
        arguments.insert(name.clone(), value);
    }
    if let Some((_, body)) = &request.body {
        // A form's file part is given as its name and content.
        let mut body = body.clone();
        for (name, part) in properties["body"]["properties"]
            .as_object()
            .into_iter()
            .flatten()
        {
            if part["properties"].get("content").is_some()
                && let Some(text) = body[name].as_str().map(str::to_owned)
            {
                body[name] = json!({"file_name": format!("{name}.txt"), "content": text});
            }
        }
        arguments.insert("body".into(), body);
    }
    arguments
}

#[tokio::test]
async fn every_tool_answers_the_mock_within_its_output_schema() {
    let options = Options {
        allow_writes: true,
        mock: true,
        toolsets: Selection::Named(vec!["all".to_owned()]),
        ..Options::default()
    };
    let server = Server::new(options, &|_| None).await.unwrap();
    // Each spec loaded, and its valid requests built, once.
    let providers = ["gitcode", "qoder", "devin"];
    let specs: Vec<Spec> = providers
        .iter()
        .map(|provider| Spec::load(provider))
        .collect();
    let requests: HashMap<&str, Vec<ValidRequest>> = providers
        .iter()
        .zip(&specs)
        .map(|(provider, spec)| (*provider, spec.valid_requests()))
        .collect();
    let mut called = 0;
    for tool in tools() {
        let provider = tool.name.split('_').next().unwrap();
        let operation_id = &tool.name[provider.len() + 1..];
        let request = requests[provider]
            .iter()
            .find(|request| request.operation_id == operation_id)
            .expect("a valid request");
        let input: Value = serde_json::from_str(tool.input_schema).unwrap();
        let spec = &specs[providers.iter().position(|p| *p == provider).unwrap()];
        let arguments = arguments(spec, request, &input);
        let answer = match server.call(tool.name, arguments.clone()).await {
            Ok(answer) => answer,
            Err(ToolError::Failed(reason) | ToolError::Arguments(reason)) => {
                panic!("{}({arguments:?}): {reason}", tool.name)
            }
            Err(ToolError::Unknown(name)) => panic!("no tool {name}"),
        };
        match (answer, tool.output_schema) {
            (Call::Json(value), Some(schema)) => {
                let schema: Value = serde_json::from_str(schema).unwrap();
                let validator = jsonschema::validator_for(&schema).unwrap();
                let errors: Vec<String> = validator
                    .iter_errors(&value)
                    .map(|error| format!("{error} at {}", error.instance_path()))
                    .collect();
                assert!(errors.is_empty(), "{}: {errors:?}\n{value}", tool.name);
            }
            (Call::Done, None) => {}
            (answer, schema) => panic!("{}: {answer:?} for the schema {schema:?}", tool.name),
        }
        called += 1;
    }
    // A tool per operation of the three specs.
    let operations: usize = specs.iter().map(|spec| spec.operations().len()).sum();
    assert_eq!(called, operations);
}

#[tokio::test]
async fn a_tool_that_writes_is_refused_without_allow_writes() {
    let server = Server::new(
        Options {
            mock: true,
            toolsets: Selection::Named(vec!["all".to_owned()]),
            ..Options::default()
        },
        &|_| None,
    )
    .await
    .unwrap();
    let refused = server
        .call(
            "gitcode_leave_org",
            Map::from_iter([("org".into(), json!("o"))]),
        )
        .await;
    assert!(
        matches!(refused, Err(ToolError::Unknown(reason)) if reason.contains("--allow-writes"))
    );
}
