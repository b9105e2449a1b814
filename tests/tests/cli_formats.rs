//! `devplat --format json|ndjson|table|csv`, on the embedded mock and on
//! loopback servers: what each format prints, which one applies when none is
//! asked for, `--all` across pages in every format, and the exit code of each
//! kind of failure.

use std::time::Duration;

use dev_platform_cli::Kind;
use dev_platform_tests::cli::devplat_run;
use dev_platform_tests::loopback::{Answer, Loopback, query_number};
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

fn no_vars(_: &str) -> Option<String> {
    None
}

const MEMBERS: [&str; 5] = [
    "--mock",
    "gitcode",
    "list-org-members",
    "--org",
    "openharmony",
];

/// The display column where `text` starts in `line`.
fn column_of(line: &str, text: &str) -> usize {
    line[..line
        .find(text)
        .unwrap_or_else(|| panic!("no {text} in {line}"))]
        .width()
}

#[tokio::test]
async fn a_table_lines_up_chinese_names_by_display_width() {
    // On a terminal the default format is a table.
    let (printed, result) = devplat_run(&MEMBERS, &no_vars, Some(100)).await;
    result.unwrap();
    insta::assert_snapshot!("gitcode_members_table", printed);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 2, "a header and the one member: {printed}");
    assert!(lines[1].contains("麻凡"), "{printed}");
    // `麻凡` is 2 characters but 4 columns wide: the next column still starts
    // where its header does.
    for (header, cell) in [("member_role", "admin"), ("type", "User")] {
        assert_eq!(
            column_of(lines[0], header),
            column_of(lines[1], cell),
            "{printed}"
        );
    }
}

#[tokio::test]
async fn a_table_is_cut_to_the_terminal_width() {
    let (printed, result) = devplat_run(&MEMBERS, &no_vars, Some(30)).await;
    result.unwrap();
    for line in printed.lines() {
        assert!(line.width() <= 30, "{line:?} is wider than 30 columns");
    }
    assert!(printed.contains('…'), "cut cells end in `…`: {printed}");
    // One object: its fields and values, the long description cut.
    let (printed, result) = devplat_run(
        &["--mock", "gitcode", "get-org", "--org", "openharmony"],
        &no_vars,
        Some(60),
    )
    .await;
    result.unwrap();
    let login = printed.lines().find(|line| line.starts_with("login"));
    assert_eq!(
        login.map(|line| line.split_whitespace().collect::<Vec<_>>()),
        Some(vec!["login", "openharmony"])
    );
    let description = printed
        .lines()
        .find(|line| line.starts_with("description"))
        .unwrap();
    assert_eq!(description.width(), 60, "{description}");
    assert!(description.ends_with('…'), "{description}");
    assert!(
        printed
            .lines()
            .any(|line| line.starts_with("gitee") && line.contains(r#"{"follows":43454}"#)),
        "nested values as JSON: {printed}"
    );
}

#[tokio::test]
async fn columns_are_chosen_with_columns() {
    let mut args = MEMBERS.to_vec();
    args.extend(["--format", "table", "--columns", "name,login"]);
    let (printed, result) = devplat_run(&args, &no_vars, None).await;
    result.unwrap();
    assert_eq!(printed, "name  login\n麻凡  dengmengmian\n");
}

#[tokio::test]
async fn ndjson_is_one_json_value_per_line() {
    let (printed, result) = devplat_run(
        &["--mock", "--format", "ndjson", "devin", "list-audit-logs"],
        &no_vars,
        None,
    )
    .await;
    result.unwrap();
    let lines: Vec<Value> = printed
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|error| panic!("{line}: {error}")))
        .collect();
    assert!(!lines.is_empty());
    for line in &lines {
        assert!(
            line["action"].is_string(),
            "each line is one log entry: {line}"
        );
    }
}

#[tokio::test]
async fn csv_is_a_header_and_a_row_per_item_with_nested_values_as_json() {
    let mut args = MEMBERS.to_vec();
    args.extend(["--format", "csv"]);
    let (printed, result) = devplat_run(&args, &no_vars, None).await;
    result.unwrap();
    let mut reader = csv::Reader::from_reader(printed.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    // Every documented field of a member, in the spec's order.
    assert_eq!(
        header,
        [
            "avatar_url",
            "followers_url",
            "html_url",
            "id",
            "login",
            "member_role",
            "name",
            "type",
            "url",
            "permissions"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][4], "dengmengmian");
    assert_eq!(&rows[0][6], "麻凡");
    assert_eq!(
        &rows[0][9], "",
        "a field the server left out is an empty cell"
    );
    // One object: a header and one row; a nested value is JSON text.
    let (printed, result) = devplat_run(
        &[
            "--mock",
            "--format",
            "csv",
            "gitcode",
            "get-org",
            "--org",
            "openharmony",
        ],
        &no_vars,
        None,
    )
    .await;
    result.unwrap();
    let mut reader = csv::Reader::from_reader(printed.as_bytes());
    let header = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let gitee = header.iter().position(|name| name == "gitee").unwrap();
    let nested: Value = serde_json::from_str(&row[gitee]).unwrap();
    assert_eq!(nested, serde_json::json!({"follows": 43454}));
}

const EXPORT: [&str; 7] = [
    "--mock",
    "qoder",
    "export-tracked-commits",
    "--organization-id",
    "org",
    "--start-date",
    "1748736000000",
];

#[tokio::test]
async fn an_export_is_csv_as_sent_unless_asked_otherwise() {
    // DEVPLAT_FORMAT sets the JSON answers' default, not an export's.
    let json = |name: &str| (name == "DEVPLAT_FORMAT").then(|| "json".to_owned());
    let (as_sent, result) = devplat_run(&EXPORT, &json, Some(100)).await;
    result.unwrap();
    assert!(as_sent.starts_with("commitHash,userId,"), "{as_sent}");
    // Rows as JSON lines, typed.
    let mut args = EXPORT.to_vec();
    args.extend(["--format", "ndjson"]);
    let (printed, result) = devplat_run(&args, &no_vars, None).await;
    result.unwrap();
    let rows: Vec<Value> = printed
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(rows.len(), as_sent.lines().count() - 1);
    assert_eq!(rows[0]["userName"], "张三");
    // Chosen columns of CSV.
    let mut args = EXPORT.to_vec();
    args.extend(["--columns", "commitHash,userName"]);
    let (printed, result) = devplat_run(&args, &no_vars, None).await;
    result.unwrap();
    let mut reader = csv::Reader::from_reader(printed.as_bytes());
    assert_eq!(reader.headers().unwrap(), vec!["commitHash", "userName"]);
    assert_eq!(&reader.records().next().unwrap().unwrap()[1], "张三");
}

#[tokio::test]
async fn the_default_format_is_a_table_on_a_terminal_and_json_when_piped() {
    let (piped, _) = devplat_run(&MEMBERS, &no_vars, None).await;
    assert!(
        serde_json::from_str::<Value>(&piped).unwrap().is_array(),
        "{piped}"
    );
    let (terminal, _) = devplat_run(&MEMBERS, &no_vars, Some(100)).await;
    assert!(terminal.starts_with("id "), "{terminal}");
    // DEVPLAT_FORMAT replaces the default; --format wins over it.
    let ndjson = |name: &str| (name == "DEVPLAT_FORMAT").then(|| "ndjson".to_owned());
    let (printed, _) = devplat_run(&MEMBERS, &ndjson, Some(100)).await;
    assert!(
        serde_json::from_str::<Value>(printed.trim())
            .unwrap()
            .is_object(),
        "{printed}"
    );
    let mut args = MEMBERS.to_vec();
    args.extend(["--format", "json"]);
    let (printed, _) = devplat_run(&args, &ndjson, Some(100)).await;
    assert!(
        printed.starts_with("[\n  {"),
        "pretty JSON on a terminal: {printed}"
    );
    let xml = |name: &str| (name == "DEVPLAT_FORMAT").then(|| "xml".to_owned());
    let (_, result) = devplat_run(&MEMBERS, &xml, None).await;
    let failure = result.unwrap_err();
    assert_eq!((failure.kind(), failure.exit_code()), (Kind::Usage, 2));
    assert!(
        failure.to_string().contains("DEVPLAT_FORMAT=xml"),
        "{failure}"
    );
}

/// A GitCode server whose organization has `total` members, answered by
/// page (`page`, `per_page`).
fn members_server(total: u64) -> Loopback {
    Loopback::start(Duration::ZERO, move |uri| {
        let page = query_number(uri, "page").unwrap_or(1);
        let size = query_number(uri, "per_page").unwrap_or(20);
        let members: Vec<Value> = ((page - 1) * size..(page * size).min(total))
            .map(|n| serde_json::json!({"id": n.to_string(), "login": format!("user{n}"), "name": format!("用户{n}")}))
            .collect();
        Answer::Json(serde_json::to_vec(&members).unwrap().into())
    })
}

#[tokio::test]
async fn every_format_follows_every_page_with_all() {
    let server = members_server(250);
    let base_url = server.base_url().to_owned();
    let vars = move |name: &str| match name {
        "GITCODE_TOKEN" => Some("t0ken".to_owned()),
        "GITCODE_BASE_URL" => Some(base_url.clone()),
        _ => None,
    };
    let all = |format: &'static str| {
        [
            "--format",
            format,
            "gitcode",
            "list-org-members",
            "--org",
            "acme",
            "--per-page",
            "100",
            "--all",
        ]
    };
    let (printed, result) = devplat_run(&all("ndjson"), &vars, None).await;
    result.unwrap();
    let logins: Vec<String> = printed
        .lines()
        .map(|line| {
            serde_json::from_str::<Value>(line).unwrap()["login"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        logins,
        (0..250).map(|n| format!("user{n}")).collect::<Vec<_>>()
    );
    for width in [None, Some(100)] {
        let (printed, result) = devplat_run(&all("json"), &vars, width).await;
        result.unwrap();
        let items: Vec<Value> =
            serde_json::from_str(&printed).unwrap_or_else(|error| panic!("{error}: {printed}"));
        assert_eq!(items.len(), 250);
    }
    let (printed, result) = devplat_run(&all("csv"), &vars, None).await;
    result.unwrap();
    assert_eq!(
        csv::Reader::from_reader(printed.as_bytes())
            .records()
            .count(),
        250
    );
    let (printed, result) = devplat_run(&all("table"), &vars, Some(80)).await;
    result.unwrap();
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 251, "a header and a line per member");
    // The widths the first page set hold for the pages after it, widened
    // (never cut) when a later value is wider and the terminal has room.
    assert_eq!(
        lines[101].split_whitespace().collect::<Vec<_>>(),
        ["100", "user100", "用户100"]
    );
    assert_eq!(
        lines[250].split_whitespace().collect::<Vec<_>>(),
        ["249", "user249", "用户249"]
    );
    // An empty list: the header alone, `[]`, nothing.
    let empty = members_server(0);
    let base_url = empty.base_url().to_owned();
    let vars = move |name: &str| match name {
        "GITCODE_TOKEN" => Some("t0ken".to_owned()),
        "GITCODE_BASE_URL" => Some(base_url.clone()),
        _ => None,
    };
    assert_eq!(devplat_run(&all("json"), &vars, None).await.0, "[]\n");
    assert_eq!(devplat_run(&all("ndjson"), &vars, None).await.0, "");
    assert!(
        devplat_run(&all("csv"), &vars, None)
            .await
            .0
            .starts_with("avatar_url,")
    );
}
