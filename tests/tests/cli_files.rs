//! A file `devplat` writes appears complete or not at all: an export cut off
//! half way (or any other failure) leaves no file, and no temporary one, and a
//! file already at that path keeps its old content; a complete export is
//! written whole. (Ctrl-C and SIGTERM: `crates/cli/tests/interrupt.rs`, which
//! runs the binary itself.)

use dev_platform_tests::cli::devplat_with;
use dev_platform_tests::spec::Spec;
use dev_platform_tests::wire::raw_server;
use tokio::io::AsyncWriteExt;

/// An HTTP server sending `csv` with a `Content-Length` of `announced` bytes,
/// then closing.
async fn export_server(csv: String, announced: usize) -> String {
    raw_server(move |mut stream| async move {
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ncontent-length: {announced}\r\n\r\n"
        );
        let _ = stream.write_all(head.as_bytes()).await;
        let _ = stream.write_all(csv.as_bytes()).await;
        let _ = stream.shutdown().await;
    })
    .await
}

async fn export_to(base_url: &str, output: &std::path::Path) -> Result<String, String> {
    let vars = |name: &str| match name {
        "QODER_API_KEY" => Some("key".to_owned()),
        "QODER_BASE_URL" => Some(base_url.to_owned()),
        _ => None,
    };
    let args = [
        "qoder",
        "export-tracked-commits",
        "--organization-id",
        "o",
        "--output",
        output.to_str().unwrap(),
    ]
    .map(String::from);
    devplat_with(&args, &vars).await
}

fn listing(folder: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn an_export_cut_off_half_way_leaves_no_file() {
    let example = Spec::load("qoder").csv_example("export_tracked_commits");
    let row = example.lines().nth(1).unwrap();
    let csv = format!("{example}{}", format!("{row}\n").repeat(1000));
    let folder = tempfile::tempdir().unwrap();
    let output = folder.path().join("commits.csv");

    // The connection closes after half of the announced bytes.
    let half = csv[..csv.len() / 2].to_owned();
    let failure = export_to(&export_server(half, csv.len()).await, &output)
        .await
        .unwrap_err();
    assert!(failure.contains("the connection failed"), "{failure}");
    assert!(
        listing(folder.path()).is_empty(),
        "{:?}",
        listing(folder.path())
    );

    // A body that ends in the middle of a row, with nothing missing on the wire.
    let cut = csv[..csv.len() / 2].to_owned();
    let failure = export_to(&export_server(cut.clone(), cut.len()).await, &output)
        .await
        .unwrap_err();
    assert!(
        failure.contains("cut off in the middle of a row"),
        "{failure}"
    );
    assert!(listing(folder.path()).is_empty());

    // A file already there keeps its old content.
    std::fs::write(&output, "the export of yesterday\n").unwrap();
    let half = csv[..csv.len() / 2].to_owned();
    export_to(&export_server(half, csv.len()).await, &output)
        .await
        .unwrap_err();
    assert_eq!(listing(folder.path()), ["commits.csv"]);
    assert_eq!(
        std::fs::read_to_string(&output).unwrap(),
        "the export of yesterday\n"
    );

    // A complete export replaces it, whole.
    export_to(&export_server(csv.clone(), csv.len()).await, &output)
        .await
        .unwrap();
    assert_eq!(listing(folder.path()), ["commits.csv"]);
    assert_eq!(std::fs::read_to_string(&output).unwrap(), csv);
}
