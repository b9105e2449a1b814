//! Qoder CSV exports: typed rows decoded incrementally, the raw CSV copied byte
//! for byte, quoted fields (commas, line breaks, quotes, Chinese) exact, extra
//! columns tolerated, and every way an export can be incomplete (a missing
//! column, a body cut mid-row, a connection closed early, a stall) an error; an
//! export that takes longer than the client's timeout read whole.

use std::time::Duration;

use dev_platform_tests::spec::Spec;
use dev_platform_tests::wire::{Recorder, client_for, raw_server};
use futures_util::{StreamExt, TryStreamExt};
use qoder_api::types::{TrackedChangeCsvRow, TrackedCommitCsvRow};
use qoder_api::{Client, CsvExport, ExportError};
use tokio::io::AsyncWriteExt;
use tokio::sync::oneshot;
use wiremock::ResponseTemplate;

const TOKEN: &str = "qd-export-key-0d2e";
const ORG: &str = "org_xxx";

const COMMIT_HEADER: &str = "commitHash,userId,userEmail,userName,repoName,branchName,isPrimaryBranch,\
totalLinesAdded,totalLinesDeleted,ideNextLinesAdded,ideNextLinesDeleted,pluginNextLinesAdded,\
pluginNextLinesDeleted,ideAgentLinesAdded,ideAgentLinesDeleted,pluginAgentLinesAdded,\
pluginAgentLinesDeleted,cliAgentLinesAdded,cliAgentLinesDeleted,ideQuestLinesAdded,\
ideQuestLinesDeleted,ideInlineChatLinesAdded,ideInlineChatLinesDeleted,jbInlineChatLinesAdded,\
jbInlineChatLinesDeleted,nonAiLinesAdded,nonAiLinesDeleted,message,commitTs,createdAt";

/// A commit row with this hash and message (already CSV-quoted as needed).
fn commit_row(hash: &str, message: &str) -> String {
    format!(
        "{hash},550e8400-e29b-41d4-a716-446655440000,,李四,my-project,main,false,\
         9,1,1,0,2,0,3,0,0,0,0,0,0,0,0,0,0,0,3,1,{message},2025-06-15T10:30:00Z,2025-06-15T10:35:00Z\n"
    )
}

async fn commits_export(body: impl Into<Vec<u8>>) -> CsvExport<TrackedCommitCsvRow> {
    let mock = Recorder::answering(
        ResponseTemplate::new(200).set_body_raw(body.into(), "text/csv; charset=utf-8"),
    )
    .await;
    let client: Client = client_for(&mock, TOKEN);
    client
        .export_tracked_commits()
        .organization_id(ORG)
        .csv()
        .await
        .unwrap()
}

/// The rows of a change export answering `body`.
async fn change_rows(body: &'static str) -> Vec<TrackedChangeCsvRow> {
    let mock = Recorder::answering(ResponseTemplate::new(200).set_body_raw(body, "text/csv")).await;
    let client: Client = client_for(&mock, TOKEN);
    client
        .export_tracked_changes()
        .organization_id(ORG)
        .csv()
        .await
        .unwrap()
        .rows()
        .try_collect()
        .await
        .unwrap()
}

async fn commits_from(base_url: String) -> CsvExport<TrackedCommitCsvRow> {
    commits_with_timeout(base_url, dev_platform_runtime::DEFAULT_TIMEOUT).await
}

async fn commits_with_timeout(
    base_url: String,
    timeout: Duration,
) -> CsvExport<TrackedCommitCsvRow> {
    Client::builder()
        .token(TOKEN)
        .base_url(base_url)
        .timeout(timeout)
        .build()
        .unwrap()
        .export_tracked_commits()
        .organization_id(ORG)
        .csv()
        .await
        .unwrap()
}

/// The head of a `200 OK` CSV response whose body comes in chunks.
const CHUNKED_CSV_HEAD: &str =
    "HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ntransfer-encoding: chunked\r\n\r\n";

/// `text` as one chunk of a chunked body.
fn chunk(text: &str) -> String {
    format!("{:x}\r\n{text}\r\n", text.len())
}

#[tokio::test]
async fn quoted_fields_round_trip_exactly() {
    let messages = [
        (
            "feat: login, logout and \"remember me\"",
            "\"feat: login, logout and \"\"remember me\"\"\"",
        ),
        (
            "修复：用户登录失败\n\n详细说明，第二行",
            "\"修复：用户登录失败\n\n详细说明，第二行\"",
        ),
        ("plain", "plain"),
        ("", ""),
    ];
    let mut body = format!("{COMMIT_HEADER}\n");
    for (index, (_, quoted)) in messages.iter().enumerate() {
        body.push_str(&commit_row(&format!("c{index}"), quoted));
    }
    let rows: Vec<TrackedCommitCsvRow> = commits_export(body)
        .await
        .rows()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rows.len(), messages.len());
    for (row, (message, _)) in rows.iter().zip(messages) {
        let expected = (!message.is_empty()).then_some(message);
        assert_eq!(row.message.as_deref(), expected, "{}", row.commit_hash);
        assert_eq!(row.user_name.as_deref(), Some("李四"));
        assert_eq!(row.user_email, None, "an empty field is None");
        assert_eq!(row.is_primary_branch, Some(false));
        assert_eq!(
            (row.plugin_next_lines_added, row.non_ai_lines_added),
            (Some(2), Some(3))
        );
    }
}

#[tokio::test]
async fn copy_to_writes_the_csv_byte_for_byte() {
    let body = format!(
        "\u{feff}{COMMIT_HEADER}\r\n{}",
        commit_row("c1", "\"多行\r\n提交, 信息\"").replace('\n', "\r\n")
    );
    let mut copy = Vec::new();
    let written = commits_export(body.clone())
        .await
        .copy_to(&mut copy)
        .await
        .unwrap();
    assert_eq!(copy, body.as_bytes(), "the BOM, CRLFs and quotes kept");
    assert_eq!(written, body.len() as u64);
}

#[tokio::test]
async fn copy_to_a_file() {
    let body = Spec::load("qoder").csv_example("export_tracked_commits");
    let path = std::env::temp_dir().join(format!("qoder-export-{}.csv", std::process::id()));
    let mut file = tokio::fs::File::create(&path).await.unwrap();
    commits_export(body.clone())
        .await
        .copy_to(&mut file)
        .await
        .unwrap();
    drop(file);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), body);
    std::fs::remove_file(&path).unwrap();
}

#[tokio::test]
async fn a_byte_order_mark_and_crlf_line_ends_are_read() {
    let body = format!(
        "\u{feff}{COMMIT_HEADER}\r\n{}",
        commit_row("c1", "m").replace('\n', "\r\n")
    );
    let rows: Vec<TrackedCommitCsvRow> = commits_export(body)
        .await
        .rows()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rows[0].commit_hash, "c1");
    assert_eq!(
        rows[0].created_at.map(|at| at.to_rfc3339()).as_deref(),
        Some("2025-06-15T10:35:00+00:00")
    );
}

#[tokio::test]
async fn extra_columns_in_any_order_are_tolerated() {
    let body = "createdAt,changeId,region,userId,userEmail,source,model,totalLinesAdded,totalLinesDeleted\n\
                2025-06-15T10:28:00Z,chg_1,cn-east,u1,,NEXT,,3,1\n";
    let rows = change_rows(body).await;
    assert_eq!(rows[0].change_id, "chg_1");
    assert_eq!(
        rows[0].source.as_ref().map(|source| source.as_str()),
        Some("NEXT")
    );
    assert_eq!(rows[0].model, None);
    assert_eq!(rows[0].total_lines_added, Some(3));
}

#[tokio::test]
async fn a_header_lacking_a_column_is_an_error_naming_it() {
    let header = COMMIT_HEADER
        .replace(",userName", "")
        .replace(",createdAt", "");
    let body = format!("{header}\n");
    let mut rows = commits_export(body).await.rows();
    let error = rows.next().await.expect("an item").unwrap_err();
    let ExportError::MissingColumns { columns } = &error else {
        panic!("expected MissingColumns, got {error:?}")
    };
    assert_eq!(columns, &["userName", "createdAt"]);
    assert_eq!(
        error.to_string(),
        "the export's header lacks the column(s) `userName`, `createdAt`"
    );
    assert!(rows.next().await.is_none(), "nothing after the error");
}

#[tokio::test]
async fn an_empty_body_has_no_header_and_is_an_error() {
    let mut rows = commits_export("").await.rows();
    let error = rows.next().await.expect("an item").unwrap_err();
    assert!(
        matches!(error, ExportError::MissingColumns { ref columns } if columns.len() == 30),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_body_cut_off_mid_row_is_an_error_not_fewer_rows() {
    let complete = format!(
        "{COMMIT_HEADER}\n{}{}",
        commit_row("c1", "one"),
        commit_row("c2", "two")
    );
    // Cut inside the last row, and inside an open quoted field that ends in a
    // line break (which a line count alone would take for a complete row).
    let open_quote = format!(
        "{COMMIT_HEADER}\n{}",
        commit_row("c1", "\"first line\nsecond")
    );
    let open_quote = &open_quote[..open_quote.find("second").unwrap()];
    for body in [&complete[..complete.len() - 20], open_quote] {
        let results: Vec<_> = commits_export(body.to_owned()).await.rows().collect().await;
        let last = results.last().expect("at least one item");
        assert!(
            matches!(last, Err(ExportError::Truncated { .. })),
            "{body:?} ended with {last:?}"
        );
        assert!(results[..results.len() - 1].iter().all(Result::is_ok));

        let mut copy = Vec::new();
        let error = commits_export(body.to_owned())
            .await
            .copy_to(&mut copy)
            .await
            .unwrap_err();
        assert!(matches!(error, ExportError::Truncated { .. }), "{error:?}");
        assert_eq!(copy, body.as_bytes(), "what arrived was written");
    }
}

#[tokio::test]
async fn a_connection_closed_before_the_announced_length_is_an_error() {
    let header_and_row = format!("{COMMIT_HEADER}\n{}", commit_row("c1", "one"));
    let serve = |body: String| async move {
        raw_server(move |mut socket| async move {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ncontent-length: {}\r\n\r\n",
                body.len() + 500
            );
            socket.write_all(head.as_bytes()).await.unwrap();
            socket.write_all(body.as_bytes()).await.unwrap();
            // Dropping the socket closes the connection 500 bytes short.
        })
        .await
    };
    let results: Vec<_> = commits_from(serve(header_and_row.clone()).await)
        .await
        .rows()
        .collect()
        .await;
    assert!(
        results[0].is_ok(),
        "the complete row arrives: {:?}",
        results[0]
    );
    let last = results.last().unwrap();
    let Err(error @ ExportError::Body(_)) = last else {
        panic!("expected a Body error, got {last:?}")
    };
    assert!(!format!("{error} {error:?}").contains(TOKEN));

    let mut copy = Vec::new();
    let error = commits_from(serve(header_and_row).await)
        .await
        .copy_to(&mut copy)
        .await
        .unwrap_err();
    assert!(matches!(error, ExportError::Body(_)), "{error:?}");
}

#[tokio::test]
async fn rows_arrive_while_the_export_is_still_streaming() {
    let (release, released) = oneshot::channel::<()>();
    let base_url = raw_server(move |mut socket| async move {
        socket.write_all(CHUNKED_CSV_HEAD.as_bytes()).await.unwrap();
        let first = format!("{COMMIT_HEADER}\n{}", commit_row("c1", "one"));
        socket.write_all(chunk(&first).as_bytes()).await.unwrap();
        socket.flush().await.unwrap();
        // The rest only once the client has decoded the first row.
        released.await.unwrap();
        socket
            .write_all(chunk(&commit_row("c2", "two")).as_bytes())
            .await
            .unwrap();
        socket.write_all(b"0\r\n\r\n").await.unwrap();
    })
    .await;
    let mut rows = commits_from(base_url).await.rows();
    let first = rows.try_next().await.unwrap().expect("the first row");
    assert_eq!(first.commit_hash, "c1");
    release.send(()).unwrap();
    let second = rows.try_next().await.unwrap().expect("the second row");
    assert_eq!(second.commit_hash, "c2");
    assert!(rows.try_next().await.unwrap().is_none());
}

/// A raw server answering a chunked CSV export: the header line, then `rows`
/// rows, one every `every`, then (when `end`) the end of the body; else it
/// stalls.
async fn trickling(rows: usize, every: Duration, end: bool) -> String {
    raw_server(move |mut socket| async move {
        let first = format!("{CHUNKED_CSV_HEAD}{}", chunk(&format!("{COMMIT_HEADER}\n")));
        let _ = socket.write_all(first.as_bytes()).await;
        for row in 0..rows {
            tokio::time::sleep(every).await;
            let row = commit_row(&format!("c{row}"), "m");
            let _ = socket.write_all(chunk(&row).as_bytes()).await;
            let _ = socket.flush().await;
        }
        if end {
            let _ = socket.write_all(b"0\r\n\r\n").await;
        } else {
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    })
    .await
}

#[tokio::test]
async fn an_export_longer_than_the_timeout_is_read_whole_while_bytes_keep_coming() {
    // 8 rows, 100 ms apart: 800 ms in all, with a 300 ms timeout.
    let base_url = trickling(8, Duration::from_millis(100), true).await;
    let export = commits_with_timeout(base_url, Duration::from_millis(300)).await;
    let rows: Vec<TrackedCommitCsvRow> = export.rows().try_collect().await.unwrap();
    assert_eq!(rows.len(), 8);
}

#[tokio::test]
async fn an_export_that_stalls_longer_than_the_timeout_is_an_error_after_its_rows() {
    let base_url = trickling(2, Duration::from_millis(10), false).await;
    let export = commits_with_timeout(base_url, Duration::from_millis(300)).await;
    let started = std::time::Instant::now();
    let results: Vec<Result<TrackedCommitCsvRow, ExportError>> = export.rows().collect().await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the stall was cut short"
    );
    assert_eq!(results.len(), 3, "{results:?}");
    assert!(results[..2].iter().all(Result::is_ok));
    assert!(
        matches!(results[2], Err(ExportError::Body(_))),
        "{:?}",
        results[2]
    );
}

#[tokio::test]
async fn a_row_that_does_not_decode_names_its_line_and_column() {
    let body = format!(
        "{COMMIT_HEADER}\n{}{}",
        commit_row("c1", "one"),
        commit_row("c2", "two").replace(",main,false,9,", ",main,false,nine,")
    );
    let results: Vec<_> = commits_export(body).await.rows().collect().await;
    assert!(results[0].is_ok());
    let Err(error) = &results[1] else {
        panic!("expected an error, got {:?}", results[1])
    };
    let message = error.to_string();
    assert!(message.contains("line 3"), "{message}");
    assert!(message.contains("column `totalLinesAdded`"), "{message}");
}

#[tokio::test]
async fn a_row_with_missing_fields_is_an_error() {
    let body = format!("{COMMIT_HEADER}\nc1,u1,,,repo,main,true,1,2\n");
    let results: Vec<_> = commits_export(body).await.rows().collect().await;
    assert!(
        matches!(results[0], Err(ExportError::Row { line: 2, .. })),
        "{:?}",
        results[0]
    );
}

#[tokio::test]
async fn empty_cells_are_none_never_a_made_up_zero() {
    // Every column but the identity (`changeId`) left empty.
    let body = "changeId,userId,userEmail,source,model,totalLinesAdded,totalLinesDeleted,createdAt\n\
                chg_1,,,,,,,\n\
                chg_2,u2,,NEXT,,0,,2025-06-15T10:28:00Z\n";
    let rows = change_rows(body).await;
    let [empty, zero] = &rows[..] else {
        panic!("two rows")
    };
    assert_eq!(empty.change_id, "chg_1");
    assert_eq!(
        (
            &empty.user_id,
            &empty.source,
            empty.total_lines_added,
            empty.created_at
        ),
        (&None, &None, None, None)
    );
    assert_eq!(zero.total_lines_added, Some(0), "a real zero stays a zero");
    assert_eq!(zero.total_lines_deleted, None);
}

#[tokio::test]
async fn a_row_of_the_wrong_length_is_an_error_and_the_next_row_still_decodes() {
    let body = format!(
        "{COMMIT_HEADER}\n{}c2,u2,,,repo,main,true,1,2\n{}",
        commit_row("c1", "one"),
        commit_row("c3", "three")
    );
    let results: Vec<_> = commits_export(body).await.rows().collect().await;
    assert_eq!(results.len(), 3, "{results:?}");
    assert_eq!(results[0].as_ref().unwrap().commit_hash, "c1");
    let Err(ExportError::Row { line, message }) = &results[1] else {
        panic!("expected a row error, got {:?}", results[1])
    };
    assert_eq!(*line, 3);
    assert_eq!(message, "the row has 9 fields, the header 30");
    assert_eq!(results[2].as_ref().unwrap().commit_hash, "c3");
}

#[tokio::test]
async fn a_value_the_sdk_does_not_know_is_kept_in_an_open_enum_cell() {
    let body = "changeId,userId,userEmail,source,model,totalLinesAdded,totalLinesDeleted,createdAt\n\
                chg_1,u1,,MCP,turbo,1,2,2025-06-15T10:28:00.250+08:00\n";
    let rows = change_rows(body).await;
    let source = rows[0].source.as_ref().expect("a source");
    assert!(source.is_unknown());
    assert_eq!(source.as_str(), "MCP");
    assert_eq!(
        rows[0].model.as_ref().map(|model| model.as_str()),
        Some("turbo")
    );
    assert_eq!(
        rows[0].created_at.map(|at| at.to_rfc3339()),
        Some("2025-06-15T02:28:00.250+00:00".to_owned()),
        "an offset and a fraction on the fast path"
    );
}

/// A row type of the caller's own, with only the columns it needs: it has no
/// positional decoder, so its rows are decoded with serde by header name.
#[derive(serde::Deserialize, Debug, PartialEq)]
struct CommitLines {
    #[serde(rename = "commitHash")]
    hash: String,
    #[serde(rename = "totalLinesAdded")]
    added: Option<i64>,
}

impl dev_platform_runtime::CsvRow for CommitLines {
    const COLUMNS: &'static [&'static str] = &["commitHash", "totalLinesAdded"];
}

#[tokio::test]
async fn a_row_type_of_the_callers_own_reads_the_export_by_header_name() {
    let body = format!(
        "{COMMIT_HEADER}\n{}{}",
        commit_row("c1", "one"),
        commit_row("c2", "two").replace(",main,false,9,", ",main,false,,")
    );
    let mock = Recorder::answering(
        ResponseTemplate::new(200).set_body_raw(body.into_bytes(), "text/csv; charset=utf-8"),
    )
    .await;
    let client: Client = client_for(&mock, TOKEN);
    let response = client
        .export_tracked_commits()
        .organization_id(ORG)
        .send()
        .await
        .unwrap();
    let rows: Vec<CommitLines> = CsvExport::<CommitLines>::new(response)
        .rows()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        rows,
        [
            CommitLines {
                hash: "c1".into(),
                added: Some(9)
            },
            CommitLines {
                hash: "c2".into(),
                added: None
            }
        ]
    );
}
