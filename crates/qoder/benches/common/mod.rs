//! What the export benchmark and the `export_rows` example share: a loopback
//! server streaming a commit export of a given size, and reading it whole into
//! typed rows through the generated client.

use dev_platform_tests::loopback::{Answer, Loopback};
use dev_platform_tests::spec::Spec;
use futures_util::TryStreamExt;
use qoder_api::Client;

/// A server whose commit export is the spec's CSV example repeated to at least
/// `size` bytes; returns it with the body's exact size and row count.
pub fn export_server(size: u64) -> (Loopback, u64, u64) {
    let example = Spec::load("qoder").csv_example("export_tracked_commits");
    let (answer, rows) = Answer::csv_of_size(&example, size);
    let bytes = answer.len();
    let server = Loopback::start(std::time::Duration::ZERO, move |_| answer.clone());
    (server, bytes, rows)
}

/// The same export read by hand: reqwest's byte stream into csv-async's serde
/// deserializer, into the same row type, with no truncation or header check.
pub async fn read_export_by_hand(http: &reqwest::Client, base_url: &str) -> u64 {
    let url = format!(
        "{base_url}/organizations/{}/ai-code-tracking/commits/export",
        "o"
    );
    let response = http
        .get(url)
        .bearer_auth("bench-key")
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    let body = response
        .bytes_stream()
        .map_err(std::io::Error::other)
        .into_async_read();
    csv_async::AsyncDeserializer::from_reader(body)
        .into_deserialize::<qoder_api::types::TrackedCommitCsvRow>()
        .try_fold(0, |count, _row| async move { Ok(count + 1) })
        .await
        .unwrap()
}

/// The `reqwest::Client` of the hand-written export, with the SDK's TLS.
pub fn hand_client() -> reqwest::Client {
    dev_platform_runtime::http_client_builder()
        .unwrap()
        .build()
        .unwrap()
}

/// Exports every commit from `base_url` and decodes each row
/// (`TrackedCommitCsvRow`); returns the number of rows.
pub async fn read_export(base_url: &str) -> u64 {
    let client = Client::builder()
        .token("bench-key")
        .base_url(base_url)
        .build()
        .unwrap();
    let export = client
        .export_tracked_commits()
        .organization_id("o")
        .csv()
        .await
        .unwrap();
    export
        .rows()
        .try_fold(0, |count, _row| async move { Ok(count + 1) })
        .await
        .unwrap()
}
