//! What the fuzz targets run: each provider's response decoders, exactly as
//! the generated `send()` calls them (tolerant and strict, against the
//! operation's documented shape), and the CSV export reader, on arbitrary
//! bytes. Neither may panic; errors are the expected outcome of most inputs.

use bytes::Bytes;
use dev_platform_runtime::{CsvExport, CsvRow, ErrorBody, Shape};
use futures_executor::block_on;
use futures_util::StreamExt;
use progenitor_client::{ByteStream, ResponseValue};
use serde::de::DeserializeOwned;

/// A `200 OK` response with `body`.
fn response(body: &[u8]) -> reqwest::Response {
    reqwest::Response::from(http::Response::new(Bytes::copy_from_slice(body)))
}

/// Decodes `body` as `send()` does for a plain JSON response documented as
/// `shape`: tolerant, then strict.
fn plain<T: DeserializeOwned>(body: &[u8], shape: &Shape) {
    let _ = dev_platform_runtime::decode_json::<T>(body, shape, false);
    let _ = dev_platform_runtime::decode_json::<T>(body, shape, true);
}

/// Decodes `body` as a `{"success": .., "data": ..}` envelope holding a `T`,
/// tolerant, then strict.
fn envelope<T: DeserializeOwned>(body: &[u8], shape: &Shape) {
    let _ = dev_platform_runtime::decode_envelope::<T>(body, "data", shape, false);
    let _ = dev_platform_runtime::decode_envelope::<T>(body, "data", shape, true);
}

/// Decodes `body` as an error body, as progenitor does for a 4xx or 5xx.
fn error<T: DeserializeOwned>(body: &[u8]) {
    let _ = block_on(ResponseValue::<T>::from_response::<ErrorBody>(response(
        body,
    )));
}

/// Every response decoder of every provider crate, and the error bodies.
pub fn decode_json(body: &[u8]) {
    use devin_api::{shapes as devin_shapes, types as devin};
    use gitcode_api::{shapes as gitcode_shapes, types as gitcode};
    use qoder_api::{shapes as qoder_shapes, types as qoder};

    error::<ErrorBody>(body);
    error::<gitcode::Error>(body);
    plain::<Vec<gitcode::Follower>>(body, &gitcode_shapes::list_org_followers);
    plain::<Vec<gitcode::OrgMember>>(body, &gitcode_shapes::list_org_members);
    plain::<Vec<gitcode::Repository>>(body, &gitcode_shapes::list_org_repos);
    plain::<Vec<gitcode::Organization>>(body, &gitcode_shapes::list_my_orgs);
    plain::<Vec<gitcode::EnterpriseMember>>(body, &gitcode_shapes::list_enterprise_members);
    plain::<Vec<gitcode::IssueTypeSetting>>(body, &gitcode_shapes::get_org_issue_extend_settings);
    plain::<gitcode::EnterpriseMember>(body, &gitcode_shapes::get_enterprise_member);
    plain::<gitcode::OrgMember>(body, &gitcode_shapes::invite_org_member);
    plain::<gitcode::OrgMembership>(body, &gitcode_shapes::get_org_member);
    plain::<gitcode::OrgProfile>(body, &gitcode_shapes::update_org);
    plain::<gitcode::Organization>(body, &gitcode_shapes::get_org);
    plain::<gitcode::Repository>(body, &gitcode_shapes::create_org_repo);

    plain::<qoder::AiCodeDailyTrend>(body, &qoder_shapes::get_ai_code_daily_trend);
    plain::<qoder::AiCodeFileExtensions>(body, &qoder_shapes::list_ai_code_file_extensions);
    plain::<qoder::AiCodeMemberRanking>(body, &qoder_shapes::get_ai_code_member_ranking);
    plain::<qoder::AiCodeOverview>(body, &qoder_shapes::get_ai_code_overview);
    plain::<qoder::AiCodeRepoPage>(body, &qoder_shapes::list_ai_code_repos);
    envelope::<qoder::CommitAttributions>(body, &qoder_shapes::get_commit_attributions);
    envelope::<qoder::TrackedChangePage>(body, &qoder_shapes::list_tracked_changes);
    envelope::<qoder::TrackedCommitPage>(body, &qoder_shapes::list_tracked_commits);

    plain::<devin::AuditLogs>(body, &devin_shapes::list_audit_logs);
    plain::<devin::ConsumptionCycles>(body, &devin_shapes::list_consumption_cycles);
    plain::<devin::InviteMembersResult>(body, &devin_shapes::invite_members);
    plain::<devin::MemberList>(body, &devin_shapes::list_members);
    plain::<devin::Organization>(body, &devin_shapes::create_organization);
    plain::<devin::PermissionResult>(body, &devin_shapes::add_organization_permission);
    plain::<devin::SessionInsights>(body, &devin_shapes::list_session_insights);
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
