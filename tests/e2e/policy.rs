//! End-to-end tests of a platform team's policy (`--policy FILE`, the example of docs/platform-teams.md): the form
//! reads it from the server it posts to and shows it (choices narrowed, fixed fields locked, the policy's tags as
//! rows), its rules are errors that block, and the workspace created carries the policy's values; the custom
//! element picks it up with nothing to configure.
//!
//! Run: `cargo test -p workspace-console --test e2e -- policy::`.

use std::time::Duration;

use crate::support::{Browser, DESKTOP, E2e, REGION, repo_root, run, wait_for};
use fantoccini::key::Key;
use serde_json::{Value, json};

in_both_browsers!(
    the_form_shows_the_policy_blocks_what_it_forbids_and_creates_what_it_allows,
    the_custom_element_picks_the_policy_up_with_nothing_to_configure,
);

/// The example of docs/platform-teams.md, byte for byte (checked below), as the file `--policy` reads.
const TEAM_A: &str = include_str!("../../examples/policy-team-a.json");

/// Serves the example policy from now on, read from its file as `--policy FILE` reads it.
fn serve_team_a(e2e: &mut E2e) {
    let docs = std::fs::read_to_string(repo_root().join("docs/platform-teams.md")).unwrap();
    assert!(
        docs.contains(TEAM_A),
        "docs/platform-teams.md lacks the example policy"
    );
    e2e.server
        .set_policy_file(&repo_root().join("examples/policy-team-a.json"));
}

/// What the control with this id is: `[value, read-only or disabled, the values it offers, described-by text]`.
async fn control(e2e: &E2e, id: &str) -> Value {
    e2e.js_with(
        r#"
        const el = document.getElementById(arguments[0]);
        if (!el) return null;
        const said = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean)
            .map(id => document.getElementById(id)).filter(Boolean).map(d => d.innerText.trim()).join(' | ');
        // What it offers: a select's options not hidden, or the suggestions of an input's list.
        const options = el.options || (el.list && el.list.options);
        return [el.value, el.readOnly === true || el.disabled === true,
                options ? [...options].filter(o => !o.hidden).map(o => o.value) : null, said];
        "#,
        vec![json!(id)],
    )
    .await
}

async fn wait_control(e2e: &E2e, id: &str, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
    wait_for(&format!("#{id}: {what}"), async || {
        let c = control(e2e, id).await;
        ok(&c).then_some(c)
    })
    .await
}

/// Whether the field row of the control with this id is shown.
async fn row_shown(e2e: &E2e, id: &str) -> bool {
    e2e.js_with(
        "const el = document.getElementById(arguments[0]); const row = el && el.closest('.ws-field'); \
         return !!row && row.getClientRects().length > 0;",
        vec![json!(id)],
    )
    .await
        == json!(true)
}

/// Leaves the focused field with Tab, as a person moves on.
async fn tab(e2e: &E2e) {
    e2e.press_key(Key::Tab).await;
}

fn the_form_shows_the_policy_blocks_what_it_forbids_and_creates_what_it_allows(browser: Browser) {
    run(
        browser,
        "policy_form",
        DESKTOP,
        Duration::ZERO,
        |mut e2e| async move {
            serve_team_a(&mut e2e);
            e2e.open().await;

            // Choices narrowed to the allowed regions; the page's region is one of them.
            let region = wait_control(&e2e, "ws-regionId", "the allowed regions only", |c| {
                c[2] == json!(["cn-hangzhou", "cn-shanghai"])
            })
            .await;
            assert_eq!(region[0], json!(REGION));
            // Fixed fields: shown, locked, said to be the administrator's.
            let payment = control(&e2e, "ws-paymentType").await;
            assert_eq!(payment[0], json!("PayAsYouGo"));
            assert_eq!(payment[1], json!(true), "payment type locked");
            assert!(
                payment[3]
                    .as_str()
                    .unwrap()
                    .contains("Set by your administrator."),
                "{payment}"
            );
            assert!(
                !row_shown(&e2e, "ws-duration").await,
                "subscription fields shown"
            );
            let group = control(&e2e, "ws-resourceGroupId").await;
            assert_eq!(group[0], json!("rg-acfmteama01"));
            assert_eq!(group[1], json!(true), "resource group locked");
            assert!(
                group[3]
                    .as_str()
                    .unwrap()
                    .contains("Set by your administrator."),
                "{group}"
            );
            // A default prefilled.
            assert_eq!(control(&e2e, "ws-dlfType").await[0], json!("dlf2.0"));
            // The policy's tags: rows from the start, keys locked, a fixed value locked, allowed values offered.
            for (row, key) in ["team", "env", "cost-center"].iter().enumerate() {
                let c = control(&e2e, &format!("ws-tag-{row}-key")).await;
                assert_eq!(
                    (&c[0], &c[1]),
                    (&json!(key), &json!(true)),
                    "tag row {row}: {c}"
                );
            }
            let team = control(&e2e, "ws-tag-0-value").await;
            assert_eq!((&team[0], &team[1]), (&json!("team-a"), &json!(true)));
            assert_eq!(
                control(&e2e, "ws-tag-1-value").await[2],
                json!(["dev", "prod"])
            );
            assert_eq!(control(&e2e, "ws-tag-2-value").await[1], json!(false));
            e2e.screenshot("01-under-the-policy").await;

            // The policy's rules are errors: on leave, then live, in the server's words.
            e2e.type_into("Workspace name", "etl").await;
            tab(&e2e).await;
            let said = wait_for("the prefix error", async || {
                e2e.error_of("ws-workspaceName").await
            })
            .await;
            assert_eq!(said, "Must start with team-a- (set by your administrator).");
            e2e.replace_in("Workspace name", "team-a-etl").await;
            wait_for("the prefix error to go while typing", async || {
                e2e.error_of("ws-workspaceName")
                    .await
                    .is_none()
                    .then_some(())
            })
            .await;
            e2e.type_into("Resource quota (CU)", "128").await;
            tab(&e2e).await;
            let said = wait_for("the max error", async || {
                e2e.error_of("ws-resourceSpec-cu").await
            })
            .await;
            assert_eq!(said, "At most 64 CU (set by your administrator).");
            e2e.replace_in("Resource quota (CU)", "16").await;
            e2e.type_into("OSS path", "oss://team-a-bucket/").await;

            // They block: the summary lists what the policy still wants, and nothing is sent.
            e2e.submit_button().await.click().await.unwrap();
            let summary = e2e
                .wait_summary_contains(
                    "The tag env must be one of dev, prod (set by your administrator).",
                )
                .await;
            for said in [
                "DLF catalog ID",
                "The tag cost-center needs a value (set by your administrator).",
            ] {
                assert!(summary.contains(said), "{said:?} not in {summary}");
            }
            e2e.screenshot("02-policy-errors").await;
            assert!(e2e.server.creates().is_empty(), "a create was sent");

            e2e.type_into("DLF catalog ID", "clg-paimon-demo0001").await;
            tab(&e2e).await;
            // A policy tag's value is required, and its label says nothing else.
            e2e.type_into("Value 2", "prod").await;
            e2e.type_into("Value 3", "cc-42").await;
            // A tag of the person's own, below the policy's.
            e2e.click_button("Add tag").await;
            e2e.type_into("Key 4", "owner").await;
            e2e.type_into("Value (optional) 4", "ana").await;
            e2e.submit_button().await.click().await.unwrap();
            let (workspace_id, _, _) = e2e.wait_result().await;

            // The workspace carries the fixed values and the tags: read back as any client reads it.
            let (status, got) = e2e.server.get_workspace(&workspace_id);
            assert_eq!(status, 200, "{got}");
            let w = &got["workspace"];
            assert_eq!(w["resourceGroupId"], json!("rg-acfmteama01"));
            assert_eq!(w["paymentType"], json!("PayAsYouGo"));
            assert_eq!(w["dlfType"], json!("dlf2.0"));
            assert_eq!(w["workspaceName"], json!("team-a-etl"));
            let tags: Vec<(String, String)> = w["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| {
                    (
                        t["tagKey"]
                            .as_str()
                            .or(t["key"].as_str())
                            .unwrap()
                            .to_owned(),
                        t["tagValue"]
                            .as_str()
                            .or(t["value"].as_str())
                            .unwrap()
                            .to_owned(),
                    )
                })
                .collect();
            let tags: Vec<(&str, &str)> =
                tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            assert_eq!(
                tags,
                [
                    ("team", "team-a"),
                    ("env", "prod"),
                    ("cost-center", "cc-42"),
                    ("owner", "ana")
                ]
            );
            e2e.screenshot("03-created").await;
        },
    );
}

fn the_custom_element_picks_the_policy_up_with_nothing_to_configure(browser: Browser) {
    run(
        browser,
        "policy_element",
        DESKTOP,
        Duration::ZERO,
        |mut e2e| async move {
            serve_team_a(&mut e2e);
            // An element with no attribute about the policy (nor the API: the page's origin).
            let url = e2e.serve_page(
                "policy-element.html",
                r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Admin</title>
<script type="module" src="/create-workspace.js"></script></head>
<body><create-workspace-form locale="en" region="cn-beijing"></create-workspace-form></body></html>"#,
            );
            e2e.client.goto(&url).await.unwrap();
            let prefix = wait_for("the element's form", async || {
                e2e.js("const i = document.querySelector('create-workspace-form input[id$=\"-workspaceName\"]'); \
                        return i && i.offsetParent !== null ? i.id : null;")
                    .await
                    .as_str()
                    .map(|id| id.trim_end_matches("-workspaceName").to_owned())
            })
            .await;
            // The page's region is not allowed: the first allowed one is taken, and the field says why.
            let region = wait_control(
                &e2e,
                &format!("{prefix}-regionId"),
                "the allowed regions only",
                |c| c[2] == json!(["cn-hangzhou", "cn-shanghai"]),
            )
            .await;
            assert_eq!(region[0], json!("cn-hangzhou"));
            assert!(
                region[3]
                    .as_str()
                    .unwrap()
                    .contains("cn-beijing is not allowed"),
                "{region}"
            );
            let group = control(&e2e, &format!("{prefix}-resourceGroupId")).await;
            assert_eq!(
                (&group[0], &group[1]),
                (&json!("rg-acfmteama01"), &json!(true))
            );
            let team = control(&e2e, &format!("{prefix}-tag-0-key")).await;
            assert_eq!((&team[0], &team[1]), (&json!("team"), &json!(true)));
            assert!(
                e2e.server.calls().iter().any(|c| c.uri == "/api/policy"),
                "the element asked the server it posts to"
            );
            e2e.screenshot("01-element-under-the-policy").await;
        },
    );
}
