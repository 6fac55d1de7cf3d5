//! The emulator's injected faults (`Config::faults`, the binary's `--fault-…` flags), met by a person filling in
//! the whole form: under each fault the form says what happened, keeps every input, and a retry with the same
//! client token leaves exactly one workspace.

use std::time::{Duration, Instant};

use fantoccini::key::Key;
use serde_json::{Value, json};
use workspace_server::{
    FaultCode, Faults,
    faults::Fate::{self, Fail, Pass},
};

use crate::{
    form::stored,
    support::{Browser, DESKTOP, E2e, NO_DELAY, is_hex, is_uuid, run, wait_for},
};

in_both_browsers!(
    throttled_keeps_everything_offers_retry_and_creates_one_workspace,
    internal_error_keeps_everything_offers_retry_and_creates_one_workspace,
    service_unavailable_keeps_everything_offers_retry_and_creates_one_workspace,
    dropped_connection_keeps_everything_and_retry_finds_the_one_workspace,
    slow_answer_shows_busy_and_extra_submits_send_nothing,
    seeded_faults_fail_the_requests_the_seed_says_and_retries_end_in_one_workspace,
);

/// The seed of every fault set here. With a rate of 1 or 0 it decides nothing; see
/// [`seeded_faults_fail_the_requests_the_seed_says_and_retries_end_in_one_workspace`] for one that does.
const SEED: u64 = 9;

/// Fills in every section the way a person does: by label, rows added with their buttons, subscription with
/// auto-renew. Gives the client token the form shows.
async fn fill_everything(e2e: &E2e, name: &str) -> String {
    e2e.type_into("Workspace name", name).await;
    e2e.type_into("Resource quota (CU)", "16").await;
    e2e.type_into("GPU quota", "2").await;
    e2e.click_button("Add instance type").await;
    e2e.type_into("Instance type 1", "ecs.gn7i-c8g1.2xlarge")
        .await;
    e2e.type_into("OSS path", "oss://lake-01/faults/").await;
    e2e.choose("DLF version", "DLF 2.0").await;
    e2e.click_button("Add tag").await;
    e2e.type_into("Key 1", "team").await;
    e2e.type_into("Value (optional) 1", "spark").await;
    e2e.type_into("Resource group ID", "rg-acfmwpi66knkxny")
        .await;
    e2e.choose("Billing method", "Subscription").await;
    e2e.replace_in("Subscription duration", "3").await;
    e2e.click_field("Renew automatically").await;
    e2e.replace_in("Renewal period", "6").await;
    let token = e2e.value_of("Client token").await;
    assert!(is_hex(&token, 32, false), "client token {token:?}");
    token
}

/// What every visibly labelled control holds, by its label: a text field its text, a select its chosen option's
/// text, a checkbox `checked`/`unchecked`.
async fn form_by_label(e2e: &E2e) -> Vec<(String, String)> {
    let pairs = e2e
        .js(r#"
            return [...document.querySelectorAll('form.ws-form label, .ws-header label')]
                .filter(l => l.getClientRects().length && l.htmlFor)
                .map(l => {
                    const c = document.getElementById(l.htmlFor);
                    const label = l.innerText.replace(/\s*\*\s*$/, '').trim();
                    if (!c) return [label, '(no control)'];
                    if (c.type === 'checkbox') return [label, c.checked ? 'checked' : 'unchecked'];
                    if (c.tagName === 'SELECT') return [label, c.options[c.selectedIndex].text];
                    return [label, c.value];
                });
            "#)
        .await;
    serde_json::from_value(pairs).unwrap()
}

/// Checks that the form holds exactly what it held before the failure, and that its button works again.
async fn assert_everything_kept(e2e: &E2e, before: &[(String, String)]) {
    assert_eq!(
        form_by_label(e2e).await,
        before,
        "the form after the failure"
    );
    let button = e2e.submit_button().await;
    assert_eq!(button.text().await.unwrap(), "Create workspace");
    assert_eq!(
        button.attr("aria-disabled").await.unwrap().as_deref(),
        Some("false")
    );
}

/// The sections of the form the test filled are there with those values, in case a label changes.
fn assert_filled(before: &[(String, String)]) {
    for (label, value) in [
        ("Workspace name", None),
        ("Resource quota (CU)", Some("16")),
        ("GPU quota", Some("2")),
        ("Instance type 1", Some("ecs.gn7i-c8g1.2xlarge")),
        ("OSS path", Some("oss://lake-01/faults/")),
        ("DLF version", Some("DLF 2.0")),
        ("Key 1", Some("team")),
        ("Value (optional) 1", Some("spark")),
        ("Resource group ID", Some("rg-acfmwpi66knkxny")),
        ("Billing method", Some("Subscription")),
        ("Subscription duration", Some("3")),
        ("Duration unit", Some("Month")),
        ("Renew automatically", Some("checked")),
        ("Renewal period", Some("6")),
        ("Renewal unit", Some("Month")),
        ("Client token", None),
    ] {
        let found = before.iter().find(|(l, _)| l == label);
        assert!(found.is_some(), "no {label:?} in {before:?}");
        if let Some(value) = value {
            assert_eq!(found.unwrap().1, value, "{label:?}");
        }
    }
}

/// The emulator holds exactly one workspace, with the id the page shows and every value entered.
fn assert_one_workspace(e2e: &E2e, workspace_id: &str, name: &str) {
    let all = stored(e2e);
    assert_eq!(all.len(), 1, "workspaces: {all:#?}");
    let w = &all[0];
    assert_eq!(w["workspaceId"], json!(workspace_id));
    for (key, value) in [
        ("workspaceName", json!(name)),
        ("resourceSpec", json!("16cu")),
        ("storage", json!("oss://lake-01/faults/")),
        ("dlfType", json!("dlf2.0")),
        ("gpuSpec", json!(["ecs.gn7i-c8g1.2xlarge"])),
        ("resourceGroupId", json!("rg-acfmwpi66knkxny")),
        ("tags", json!([{ "tagKey": "team", "tagValue": "spark" }])),
        ("paymentType", json!("Pre")),
        ("duration", json!(3)),
        ("paymentDurationUnit", json!("MONTH")),
        ("autoRenew", json!(true)),
        ("autoRenewPeriod", json!(6)),
    ] {
        assert_eq!(w[key], value, "{key} of the workspace: {w:#}");
    }
}

/// Every CreateWorkspace the browser sent carried the token the form showed (so they are one request to the API).
fn assert_one_token(e2e: &E2e, token: &str) -> Vec<Value> {
    let bodies: Vec<Value> = e2e.server.creates().iter().map(|c| c.json()).collect();
    assert!(!bodies.is_empty());
    for body in &bodies {
        assert_eq!(body["clientToken"], json!(token), "{body:#}");
        assert_eq!(
            body, &bodies[0],
            "a retry is the same request, token included"
        );
    }
    bodies
}

/// The summary's heading.
async fn summary_title(e2e: &E2e) -> String {
    e2e.js("const t = document.querySelector('#ws-summary .ws-summary__title'); return t ? t.innerText.trim() : '';")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The facts the summary lists (`Code`, `Request ID`, `HTTP status`), as shown.
async fn summary_facts(e2e: &E2e) -> Vec<(String, String)> {
    serde_json::from_value(
        e2e.js("return [...document.querySelectorAll('#ws-summary dl dt')].map(dt => [dt.innerText.trim(), dt.nextElementSibling.innerText.trim()]);")
            .await,
    )
    .unwrap()
}

/// Whether the summary offers Retry.
async fn retry_offered(e2e: &E2e) -> bool {
    e2e.js("return [...document.querySelectorAll('#ws-summary button')].some(b => b.innerText.trim() === 'Retry' && b.getClientRects().length > 0);")
        .await
        == json!(true)
}

/// Waits until the result panel shows a final status, and gives its words.
async fn wait_running(e2e: &E2e) -> String {
    wait_for("the status to reach RUNNING", async || {
        let s = e2e
            .js("const s = document.querySelector('.ws-status'); return s && [s.dataset.status, s.innerText];")
            .await;
        (s[0] == json!("RUNNING")).then(|| s[1].as_str().unwrap_or_default().to_owned())
    })
    .await
}

/// One API error fault (every request answered with `code`): the summary names it, the form keeps everything,
/// Retry while it lasts fails the same way and creates nothing, and Retry once it is over creates the workspace.
fn api_fault(browser: Browser, name: &'static str, code: FaultCode) {
    run(browser, name, DESKTOP, NO_DELAY, async move |mut e2e| {
        e2e.open().await;
        let workspace_name = format!("fault-{}", code.status().as_u16());
        let token = fill_everything(&e2e, &workspace_name).await;
        let before = form_by_label(&e2e).await;
        assert_filled(&before);

        e2e.server.set_faults(Some(
            Faults::new(Duration::ZERO, 1.0, code, 0.0, SEED).unwrap(),
        ));
        e2e.submit_button().await.click().await.unwrap();
        let summary = e2e
            .wait_summary_contains("The workspace was not created.")
            .await;
        assert_eq!(summary_title(&e2e).await, "The workspace was not created.");
        let facts = summary_facts(&e2e).await;
        let shown = |term: &str| {
            facts
                .iter()
                .find(|(t, _)| t == term)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("no {term:?} in the summary: {facts:?}"))
        };
        assert_eq!(shown("Code"), code.code(), "{summary}");
        assert_eq!(shown("HTTP status"), code.status().as_u16().to_string());
        let request_id = shown("Request ID");
        assert!(is_uuid(&request_id), "request id {request_id:?}");
        assert_eq!(e2e.server.creates()[0].request_id, request_id);
        for words in [
            "there is nothing to fix",
            "Everything you entered is kept",
            "the same client token creates at most one workspace",
        ] {
            assert!(summary.contains(words), "{words:?} missing: {summary}");
        }
        assert!(retry_offered(&e2e).await, "no Retry for {code}: {summary}");
        // Not about a field: the summary takes focus, so a screen reader reads it out.
        e2e.wait_focus("ws-summary").await;
        e2e.screenshot(&format!("01-{}", code.code())).await;
        assert_everything_kept(&e2e, &before).await;
        assert!(stored(&e2e).is_empty(), "an error answer created something");

        // Retry while the fault lasts: the same answer, still nothing created, still everything kept.
        e2e.click_button("Retry").await;
        wait_for("the second attempt", async || {
            (e2e.server.creates().len() == 2).then_some(())
        })
        .await;
        e2e.wait_summary_contains(code.code()).await;
        assert_everything_kept(&e2e, &before).await;
        assert!(stored(&e2e).is_empty());

        // The service recovers; Retry creates the workspace.
        e2e.server.set_faults(None);
        e2e.click_button("Retry").await;
        let (workspace_id, _, _) = e2e.wait_result().await;
        assert_eq!(wait_running(&e2e).await, "Running");
        e2e.screenshot("02-created-after-retry").await;
        assert_one_workspace(&e2e, &workspace_id, &workspace_name);
        assert_one_token(&e2e, &token);
        let statuses: Vec<u16> = e2e.server.creates().iter().map(|c| c.status).collect();
        let failed = code.status().as_u16();
        assert_eq!(statuses, [failed, failed, 200]);
    });
}

fn throttled_keeps_everything_offers_retry_and_creates_one_workspace(browser: Browser) {
    api_fault(browser, "fault-throttling", FaultCode::Throttling);
}

fn internal_error_keeps_everything_offers_retry_and_creates_one_workspace(browser: Browser) {
    api_fault(browser, "fault-internal-error", FaultCode::InternalError);
}

fn service_unavailable_keeps_everything_offers_retry_and_creates_one_workspace(browser: Browser) {
    api_fault(browser, "fault-unavailable", FaultCode::ServiceUnavailable);
}

/// The connection closes without an answer after the workspace was created: the page cannot tell that from a
/// lost request, says it could not reach the server, and its Retry finds the workspace that already exists.
fn dropped_connection_keeps_everything_and_retry_finds_the_one_workspace(browser: Browser) {
    run(browser, "fault-drop", DESKTOP, NO_DELAY, async |mut e2e| {
        e2e.open().await;
        let token = fill_everything(&e2e, "fault-drop").await;
        let before = form_by_label(&e2e).await;
        assert_filled(&before);

        e2e.server.set_faults(Some(
            Faults::new(
                Duration::ZERO,
                0.0,
                FaultCode::ServiceUnavailable,
                1.0,
                SEED,
            )
            .unwrap(),
        ));
        e2e.submit_button().await.click().await.unwrap();
        let summary = e2e
            .wait_summary_contains("Could not reach the server.")
            .await;
        assert_eq!(summary_title(&e2e).await, "Could not reach the server.");
        assert!(
            summary.contains("Everything you entered is kept")
                && summary.contains("retrying is safe"),
            "{summary}"
        );
        assert_eq!(summary_facts(&e2e).await, [], "no answer, so no facts");
        assert!(retry_offered(&e2e).await, "{summary}");
        e2e.wait_focus("ws-summary").await;
        e2e.screenshot("01-dropped").await;
        assert_everything_kept(&e2e, &before).await;

        // The drop came after the create: the workspace exists, though the page never heard of it.
        let all = stored(&e2e);
        assert_eq!(all.len(), 1, "{all:#?}");
        let existing = all[0]["workspaceId"].as_str().unwrap().to_owned();

        e2e.server.set_faults(None);
        e2e.click_button("Retry").await;
        let (workspace_id, _, _) = e2e.wait_result().await;
        assert_eq!(
            workspace_id, existing,
            "the retry answers with the workspace the dropped request created"
        );
        assert_eq!(wait_running(&e2e).await, "Running");
        e2e.screenshot("02-found-after-retry").await;
        assert_one_workspace(&e2e, &workspace_id, "fault-drop");
        // Chromium itself may resend a request whose reused connection closed without an answer, so the dropped
        // attempt can arrive more than once; each copy carries the token, so the count of workspaces stays one.
        let bodies = assert_one_token(&e2e, &token);
        assert!(bodies.len() >= 2, "{bodies:#?}");
        eprintln!(
            "[e2e] fault-drop: {} CreateWorkspace requests arrived, one workspace",
            bodies.len()
        );
    });
}

/// A slow but successful answer: the button says it is busy the whole time, more clicks and Enter send nothing,
/// the form keeps what was typed, and the one request creates the workspace.
fn slow_answer_shows_busy_and_extra_submits_send_nothing(browser: Browser) {
    const LATENCY: Duration = Duration::from_millis(2_000);
    run(
        browser,
        "fault-latency",
        DESKTOP,
        NO_DELAY,
        async |mut e2e| {
            e2e.open().await;
            let token = fill_everything(&e2e, "fault-latency").await;
            let before = form_by_label(&e2e).await;
            assert_filled(&before);

            e2e.server.set_faults(Some(
                Faults::new(LATENCY, 0.0, FaultCode::ServiceUnavailable, 0.0, SEED).unwrap(),
            ));
            let button = e2e.submit_button().await;
            let started = Instant::now();
            e2e.click(&button, "Create workspace").await;
            let busy = async || {
                let state = e2e
                .js("const f = document.querySelector('form.ws-form'); const s = f.querySelector('.ws-spinner'); return [f.getAttribute('aria-busy'), !s.hidden && s.getClientRects().length > 0];")
                .await;
                (
                    button.text().await.unwrap(),
                    button.attr("aria-disabled").await.unwrap(),
                    state,
                )
            };
            let in_flight = (
                "Creating…".to_owned(),
                Some("true".to_owned()),
                json!(["true", true]),
            );
            assert_eq!(busy().await, in_flight, "right after the click");
            e2e.screenshot_viewport("01-busy").await;

            // A person who thinks nothing happened: three more clicks, then Enter in a field.
            for _ in 0..3 {
                e2e.click(&button, "Create workspace again").await;
            }
            e2e.field("Workspace name")
                .await
                .send_keys(&char::from(Key::Enter).to_string())
                .await
                .unwrap();
            assert_eq!(
                form_by_label(&e2e).await,
                before,
                "the form while the request is out"
            );
            assert_eq!(
                busy().await,
                in_flight,
                "still in flight after the extra submits"
            );

            let (workspace_id, _, _) = e2e.wait_result().await;
            assert!(
                started.elapsed() >= LATENCY,
                "answered in {:?}",
                started.elapsed()
            );
            assert_eq!(wait_running(&e2e).await, "Running");
            e2e.screenshot("02-created").await;
            // Any request the extra submits had sent would have been answered by now.
            let settle = (started + 2 * LATENCY).saturating_duration_since(Instant::now());
            tokio::time::sleep(settle).await;
            assert_eq!(e2e.server.creates().len(), 1, "CreateWorkspace calls");
            assert_one_workspace(&e2e, &workspace_id, "fault-latency");
            assert_one_token(&e2e, &token);
        },
    );
}

/// A seeded rate below 1: the fates are known before the browser starts, and the browser meets exactly them. The
/// user presses Retry until it works; every attempt has the same token, and one workspace results.
fn seeded_faults_fail_the_requests_the_seed_says_and_retries_end_in_one_workspace(
    browser: Browser,
) {
    // With this seed and rate the first two API requests fail and the next two (the create, the status check)
    // pass: the same on every run.
    const RATE_SEED: u64 = 29;
    const EXPECTED: [Fate; 4] = [Fail, Fail, Pass, Pass];
    let faults = Faults::new(
        Duration::ZERO,
        0.5,
        FaultCode::ServiceUnavailable,
        0.0,
        RATE_SEED,
    )
    .unwrap();
    let fates: Vec<Fate> = (0..4).map(|n| faults.fate(n)).collect();
    assert_eq!(fates, EXPECTED, "seed {RATE_SEED} gives other fates now");

    run(
        browser,
        "fault-seeded",
        DESKTOP,
        NO_DELAY,
        async move |mut e2e| {
            e2e.open().await;
            let token = fill_everything(&e2e, "fault-seeded").await;
            let before = form_by_label(&e2e).await;
            e2e.server.set_faults(Some(faults));

            e2e.submit_button().await.click().await.unwrap();
            let mut attempts = 1;
            loop {
                let creates = wait_for("an answer", async || {
                    let creates = e2e.server.creates();
                    (creates.len() == attempts).then_some(creates)
                })
                .await;
                if creates[attempts - 1].status == 200 {
                    break;
                }
                e2e.wait_summary_contains("ServiceUnavailable").await;
                assert!(retry_offered(&e2e).await);
                assert_everything_kept(&e2e, &before).await;
                if attempts == 1 {
                    e2e.screenshot("01-first-failure").await;
                }
                assert!(attempts < 5, "still failing after {attempts} attempts");
                e2e.click_button("Retry").await;
                attempts += 1;
            }
            let (workspace_id, _, _) = e2e.wait_result().await;
            assert_eq!(wait_running(&e2e).await, "Running");
            // The creates and the status check; the name lookups (ListWorkspaces, while the name was typed, before
            // the faults were on) are not part of it.
            let statuses: Vec<u16> = e2e
                .server
                .calls()
                .iter()
                .filter(|c| c.method == "POST" || c.uri.contains("/workspaces/w-"))
                .map(|c| c.status)
                .collect();
            assert_eq!(
                statuses,
                [503, 503, 200, 200],
                "create, retry, retry, status check"
            );
            assert_one_workspace(&e2e, &workspace_id, "fault-seeded");
            assert_one_token(&e2e, &token);
        },
    );
}
