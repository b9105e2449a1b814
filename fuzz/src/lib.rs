//! What the fuzz targets run: each provider's response decoders, exactly as
//! the generated `send()` calls them, and the CSV export reader, on arbitrary
//! bytes. Neither may panic; errors are the expected outcome of most inputs.

use bytes::Bytes;
use dev_platform_runtime::{CsvExport, CsvRow, ErrorBody};
use futures_executor::block_on;
use futures_util::StreamExt;
use progenitor_client::{ByteStream, ResponseValue};
use serde::de::DeserializeOwned;

/// A `200 OK` response with `body`.
fn response(body: &[u8]) -> reqwest::Response {
    reqwest::Response::from(http::Response::new(Bytes::copy_from_slice(body)))
}

/// Decodes `body` as progenitor does for a plain JSON response.
fn plain<T: DeserializeOwned>(body: &[u8]) {
    let _ = block_on(ResponseValue::<T>::from_response::<ErrorBody>(response(
        body,
    )));
}

/// Decodes `body` as a `{"success": .., "data": ..}` envelope holding a `T`.
fn envelope<T: DeserializeOwned>(body: &[u8]) {
    let _ = block_on(dev_platform_runtime::unwrap_envelope::<T, ErrorBody>(
        response(body),
        "data",
    ));
}

/// Every response decoder of every provider crate, and the error bodies.
pub fn decode_json(body: &[u8]) {
    use devin_api::types as devin;
    use gitcode_api::types as gitcode;
    use qoder_api::types as qoder;

    plain::<ErrorBody>(body);
    plain::<gitcode::Error>(body);
    plain::<Vec<gitcode::Follower>>(body);
    plain::<Vec<gitcode::OrgMember>>(body);
    plain::<Vec<gitcode::Repository>>(body);
    plain::<gitcode::EnterpriseMember>(body);
    plain::<gitcode::OrgMember>(body);
    plain::<gitcode::OrgMembership>(body);
    plain::<gitcode::OrgProfile>(body);
    plain::<gitcode::Organization>(body);
    plain::<gitcode::Repository>(body);

    envelope::<qoder::AiCodeDailyTrend>(body);
    envelope::<qoder::AiCodeFileExtensions>(body);
    envelope::<qoder::AiCodeMemberRanking>(body);
    envelope::<qoder::AiCodeOverview>(body);
    envelope::<qoder::AiCodeRepoPage>(body);
    envelope::<qoder::CommitAttributions>(body);
    envelope::<qoder::TrackedChangePage>(body);
    envelope::<qoder::TrackedCommitPage>(body);

    plain::<devin::AuditLogs>(body);
    plain::<devin::ConsumptionCycles>(body);
    plain::<devin::InviteMembersResult>(body);
    plain::<devin::MemberList>(body);
    plain::<devin::Organization>(body);
    plain::<devin::PermissionResult>(body);
    plain::<devin::SessionInsights>(body);
}

/// Reads `data` as a CSV export body into rows of `T`, delivered in chunks
/// whose size the first byte chooses (so that every split of a row, quote and
/// UTF-8 sequence across chunks is tried).
fn rows<T: CsvRow + Send + 'static>(data: &[u8]) {
    let Some((&size, body)) = data.split_first() else {
        return;
    };
    let chunks: Vec<reqwest::Result<Bytes>> = body
        .chunks(usize::from(size).max(1))
        .map(|chunk| Ok(Bytes::copy_from_slice(chunk)))
        .collect();
    let stream = ByteStream::new(Box::pin(futures_util::stream::iter(chunks)));
    let export = CsvExport::<T>::new(ResponseValue::new(
        stream,
        reqwest::StatusCode::OK,
        reqwest::header::HeaderMap::new(),
    ));
    block_on(export.rows().for_each(|_| async {}));
}

/// Both CSV exports' row readers.
pub fn csv_rows(data: &[u8]) {
    rows::<qoder_api::types::TrackedCommitCsvRow>(data);
    rows::<qoder_api::types::TrackedChangeCsvRow>(data);
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every seed, through the target it seeds: the targets build and run
    /// (what a fuzz run then does with a million mutations of them).
    #[test]
    fn the_seeds_run_through_both_targets() {
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        for (target, run) in [
            ("decode_json", super::decode_json as fn(&[u8])),
            ("csv_rows", super::csv_rows),
        ] {
            let files = std::fs::read_dir(seeds.join(target)).expect("the seeds");
            let mut count = 0;
            for file in files {
                run(&std::fs::read(file.expect("a seed").path()).expect("a seed's bytes"));
                count += 1;
            }
            assert!(count > 0, "{target}: no seeds");
        }
    }
}
