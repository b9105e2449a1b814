//! A bot a team would run on a schedule: every open pull request of a
//! repository that carries no `needs-review` label gets a comment asking for
//! one. It pages through the pull requests with `stream()` (every page, the
//! client's page guards on) and comments through `create_repo_pull_comment`.
//!
//! Run against GitCode itself with a token (`GITCODE_TOKEN`, optionally
//! `GITCODE_BASE_URL`) and a repository:
//!
//! ```text
//! cargo run -p gitcode-api --features mock --example label_bot -- openharmony docs
//! ```
//!
//! Without a token it runs against the crate's mock server (the `mock`
//! feature), programmed with three open pull requests of which two lack the
//! label, and checks that exactly those two were commented on; `cargo test`
//! runs the same demonstration as a test.

use futures_util::TryStreamExt;
use gitcode_api::types::{ListRepoPullsState, PullRequest};
use gitcode_api::{Client, Error};

/// The label that marks a pull request as triaged.
const LABEL: &str = "needs-review";

/// What the bot writes on a pull request without the label.
const REMINDER: &str = "This pull request has no `needs-review` label yet: please add one \
                        so that it reaches a reviewer.";

/// Comments on every open pull request of `owner/repo` that lacks [`LABEL`];
/// returns the numbers of the pull requests commented on.
async fn remind_unlabelled(client: &Client, owner: &str, repo: &str) -> Result<Vec<i64>, Error> {
    let pulls = client
        .list_repo_pulls()
        .owner(owner)
        .repo(repo)
        .state(ListRepoPullsState::Open)
        .per_page(100)
        .stream();
    let mut pulls = std::pin::pin!(pulls);
    let mut reminded = Vec::new();
    while let Some(pull) = pulls.try_next().await? {
        if has_label(&pull, LABEL) {
            continue;
        }
        client
            .create_repo_pull_comment()
            .owner(owner)
            .repo(repo)
            // A number below 1 is refused before sending (`Error::InvalidRequest`).
            .number(u64::try_from(pull.number).unwrap_or(0))
            .body_map(|comment| comment.body(REMINDER))
            .send()
            .await?;
        reminded.push(pull.number);
    }
    Ok(reminded)
}

/// Whether a pull request carries the label named `name`.
fn has_label(pull: &PullRequest, name: &str) -> bool {
    pull.labels
        .iter()
        .flatten()
        .any(|label| label.name.as_deref() == Some(name))
}

/// Three open pull requests on the mock, #2 labelled; runs the bot and
/// checks that #1 and #3, and only they, got the comment.
async fn demonstrate() -> Result<Vec<i64>, Box<dyn std::error::Error>> {
    use gitcode_api::mock::MockServer;
    let mock = MockServer::start().await?;
    let pull = |number: i64, labels: &[&str]| -> PullRequest {
        let labels: Vec<_> = labels
            .iter()
            .enumerate()
            .map(|(id, name)| serde_json::json!({"id": id, "name": name, "color": "#ED4014"}))
            .collect();
        serde_json::from_value(serde_json::json!({
            "id": 900 + number,
            "number": number,
            "title": format!("Change {number}"),
            "state": "open",
            "labels": labels,
        }))
        .expect("a pull request")
    };
    let pulls = [pull(1, &[]), pull(2, &[LABEL, "docs"]), pull(3, &["docs"])];
    mock.list_repo_pulls(|when, then| {
        when.owner("openharmony")
            .repo("docs")
            .state(ListRepoPullsState::Open);
        then.pages(&pulls);
    });
    let comments = mock
        .create_repo_pull_comment(|when, then| {
            when.owner("openharmony").repo("docs");
            when.body_includes(serde_json::json!({ "body": REMINDER }));
            then.example();
        })
        .expect(2);

    let reminded = remind_unlabelled(&mock.client(), "openharmony", "docs").await?;
    comments.check()?;
    let commented: Vec<String> = mock
        .received()
        .iter()
        .filter(|request| request.operation.as_deref() == Some("create_repo_pull_comment"))
        .map(|request| request.uri.path().to_owned())
        .collect();
    assert_eq!(
        commented,
        [
            "/api/v5/repos/openharmony/docs/pulls/1/comments",
            "/api/v5/repos/openharmony/docs/pulls/3/comments",
        ]
    );
    Ok(reminded)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    if std::env::var_os("GITCODE_TOKEN").is_some() {
        let (Some(owner), Some(repo)) = (args.next(), args.next()) else {
            return Err("usage: label_bot OWNER REPO".into());
        };
        let client = Client::from_env()?;
        let reminded = remind_unlabelled(&client, &owner, &repo).await?;
        println!("reminded {} pull requests: {reminded:?}", reminded.len());
    } else {
        let reminded = demonstrate().await?;
        println!(
            "on the mock: reminded pull requests {reminded:?} (the one labelled was left alone)"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn the_bot_comments_on_the_unlabelled_open_pull_requests_only() {
        assert_eq!(super::demonstrate().await.unwrap(), [1, 3]);
    }
}
