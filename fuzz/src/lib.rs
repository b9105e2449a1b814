//! What the fuzz targets run: each provider's response decoders, exactly as
//! the generated `send()` calls them (tolerant and strict, against the
//! operation's documented shape), and the CSV export reader, on arbitrary
//! bytes. Neither may panic; errors are the expected outcome of most inputs.
//! The CSV rows must also be what csv-async's serde deserializer reads from
//! the same text (see [`csv_rows`]).

use bytes::Bytes;
use dev_platform_runtime::{CsvExport, CsvRow, ErrorBody, ExportError, Shape};
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
/// UTF-8 sequence across chunks is tried), and checks the rows against
/// csv-async's serde deserializer reading the same text (the reader before
/// the positional decoder), wherever that reference is defined.
fn rows<T: CsvRow + PartialEq + std::fmt::Debug>(data: &[u8]) {
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
    let rows: Vec<_> = block_on(export.rows().collect());
    if let Some(expected) = reference::<T>(body) {
        assert_eq!(rows.len(), expected.len(), "the number of rows and errors");
        for (row, expected) in rows.iter().zip(&expected) {
            match (row, expected) {
                (Ok(row), Ok(expected)) => assert_eq!(row, expected),
                (Err(ExportError::Row { line, .. }), Err(Some(expected))) => {
                    assert_eq!(line, expected, "the line of {row:?}")
                }
                (Err(ExportError::MissingColumns { .. }), Err(None)) => {}
                _ => panic!("{row:?} where csv-async read {expected:?}"),
            }
        }
    }
}

/// What csv-async's deserializer reads from `body` (for a row that does not
/// decode, its line; `Err(None)` for a header without the columns), or `None`
/// where it is not the reference: a body
/// that is cut off (the export then ends in an error of its own), not UTF-8
/// (it rejected a row for a cell the row type does not read), or whose
/// header repeats a name (serde refused it; the positional decoder takes the
/// first).
fn reference<T: CsvRow>(body: &[u8]) -> Option<Vec<Result<T, Option<u64>>>> {
    let text = std::str::from_utf8(body).ok()?;
    let complete = text.is_empty()
        || (text.ends_with('\n') && text.bytes().filter(|&b| b == b'"').count() % 2 == 0);
    if !complete {
        return None;
    }
    block_on(async {
        let mut reader = csv_async::AsyncReaderBuilder::new().create_deserializer(body);
        let header = reader.headers().await.ok()?.clone();
        let names: Vec<&str> = header.iter().collect();
        if (1..names.len()).any(|index| names[..index].contains(&names[index])) {
            return None;
        }
        if !T::COLUMNS.iter().all(|column| names.contains(column)) {
            return Some(vec![Err(None)]);
        }
        Some(
            reader
                .into_deserialize::<T>()
                .map(|row| row.map_err(|error| error.position().map(|at| at.line())))
                .collect::<Vec<_>>()
                .await,
        )
    })
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

    /// Exports built from the values each column type may hold (well and
    /// badly formed), with the columns in a random order and sometimes an
    /// extra one, LF or CRLF, quoted or not, rows of the wrong length, split
    /// into random chunks: the positional decoder must read each exactly as
    /// csv-async's deserializer does ([`super::rows`] asserts it).
    #[test]
    fn generated_exports_read_as_csv_async_reads_them() {
        use dev_platform_runtime::CsvRow;
        use qoder_api::types::{TrackedChangeCsvRow, TrackedCommitCsvRow};

        let mut random = Random(0x5eed_1234_abcd_9876);
        for _ in 0..1500 {
            let data = export(&mut random, TrackedCommitCsvRow::COLUMNS);
            super::rows::<TrackedCommitCsvRow>(&data);
            let data = export(&mut random, TrackedChangeCsvRow::COLUMNS);
            super::rows::<TrackedChangeCsvRow>(&data);
        }
    }

    const VALUES: &[&str] = &[
        "",
        "0",
        "-5",
        "+7",
        "120",
        "0x1f",
        "12a",
        "1.5",
        "99999999999999999999",
        "9223372036854775807",
        "true",
        "false",
        "TRUE",
        "2025-06-15T10:30:00Z",
        "2025-06-15T10:30:00.123+08:00",
        "2025-06-15 10:30:00Z",
        "2025-02-30T10:30:00Z",
        "2025-06-15T10:30:60Z",
        "AGENT",
        "NEXT",
        "efficient",
        "lite",
        "some-new-value",
        "张三",
        "a, with a comma",
        "say \"hi\"",
        "two\nlines",
        " padded ",
    ];

    /// One export body, its first byte the chunk size.
    fn export(random: &mut Random, columns: &[&str]) -> Vec<u8> {
        let mut header: Vec<&str> = columns.to_vec();
        for index in (1..header.len()).rev() {
            header.swap(index, random.below(index + 1));
        }
        if random.below(4) == 0 {
            header.insert(random.below(header.len() + 1), "extraColumn");
        }
        if random.below(20) == 0 {
            header.remove(random.below(header.len()));
        }
        let newline = if random.below(3) == 0 { "\r\n" } else { "\n" };
        let mut text = header.join(",") + newline;
        for _ in 0..random.below(6) {
            let mut cells = header.len();
            if random.below(15) == 0 {
                cells = random.below(cells + 2);
            }
            let row: Vec<String> = (0..cells)
                .map(|_| {
                    let value = VALUES[random.below(VALUES.len())];
                    if value.contains([',', '"', '\n']) || random.below(5) == 0 {
                        format!("\"{}\"", value.replace('"', "\"\""))
                    } else {
                        value.to_owned()
                    }
                })
                .collect();
            text += &row.join(",");
            text += newline;
        }
        let mut data = vec![random.below(256) as u8];
        data.extend_from_slice(text.as_bytes());
        data
    }

    /// xorshift64: reproducible cases without a dependency.
    struct Random(u64);

    impl Random {
        fn below(&mut self, bound: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % bound as u64) as usize
        }
    }
}
