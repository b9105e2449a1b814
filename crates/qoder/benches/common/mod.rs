//! What the export benchmark and the `export_rows` example share: a loopback
//! server streaming a commit export of a given size (or a file), an export
//! file written for the peer comparison (`peers.sh`), and reading an export
//! whole into typed rows through the generated client or by hand.

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

/// A server answering the commit export with the bytes of the file at `path`,
/// streamed from disk.
pub fn file_server(path: &std::path::Path) -> Loopback {
    let path = path.to_owned();
    Loopback::start(std::time::Duration::ZERO, move |_| {
        Answer::File(path.clone())
    })
}

/// Writes a commit export of at least `size` bytes to `path` and returns its
/// rows. `varied` rows differ from each other as a real export's do (hashes,
/// users, counts, empty cells, messages with commas, quotes and line breaks,
/// times with offsets and fractions); otherwise the spec's example row is
/// repeated, as in the benchmark.
pub fn write_export_file(path: &std::path::Path, size: u64, varied: bool) -> u64 {
    use std::io::Write;
    let example = Spec::load("qoder").csv_example("export_tracked_commits");
    let (head, row) = example.split_once('\n').expect("a header line");
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("the file"));
    writeln!(file, "{head}").expect("written");
    let (mut written, mut rows) = (head.len() as u64 + 1, 0);
    let mut line = String::new();
    while written < size {
        line.clear();
        if varied {
            varied_row(rows, &mut line);
        } else {
            line.push_str(row);
        }
        file.write_all(line.as_bytes()).expect("written");
        written += line.len() as u64;
        rows += 1;
    }
    file.flush().expect("written");
    rows
}

/// Row `index` of a varied export, with its line break.
fn varied_row(index: u64, line: &mut String) {
    use std::fmt::Write;
    const NAMES: [&str; 6] = ["张三", "李四", "王五", "Zoë Müller", "", "赵六"];
    const BRANCHES: [&str; 3] = ["main", "develop", "feature/login"];
    let mix = index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let user = index % 500;
    let _ = write!(
        line,
        "{mix:016x}{:016x}{:08x},550e8400-e29b-41d4-a716-{user:012},",
        mix.rotate_left(17),
        index as u32
    );
    if !index.is_multiple_of(17) {
        let _ = write!(line, "user{user}@example.com");
    }
    let branch = BRANCHES[(index % 3) as usize];
    let _ = write!(
        line,
        ",{},repo-{},{branch},{},",
        NAMES[(user % 6) as usize],
        index % 40,
        branch == "main"
    );
    for column in 0..20u64 {
        if !(index + column).is_multiple_of(13) {
            let _ = write!(line, "{}", (mix >> (column * 3)) % 1000);
        }
        line.push(',');
    }
    match index % 10 {
        0 => line.push_str("\"feat: add login, with \"\"remember me\"\"\""),
        1 => line.push_str("\"fix: a crash\n\nThe second paragraph, with details.\""),
        2 => {}
        _ => {
            let _ = write!(line, "chore: update dependencies for issue #{index}");
        }
    }
    let seconds = 1_735_689_600 + index * 37;
    let at = chrono::DateTime::from_timestamp(seconds as i64, 0).expect("a time");
    match index % 7 {
        0 => {
            let _ = write!(line, ",{}", at.format("%Y-%m-%dT%H:%M:%S%.3fZ"));
        }
        1 => {
            let local = at.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("+08:00"));
            let _ = write!(line, ",{}", local.format("%Y-%m-%dT%H:%M:%S+08:00"));
        }
        _ => {
            let _ = write!(line, ",{}", at.format("%Y-%m-%dT%H:%M:%SZ"));
        }
    }
    let created = at + chrono::TimeDelta::seconds(300);
    let _ = writeln!(line, ",{}", created.format("%Y-%m-%dT%H:%M:%SZ"));
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
