//! The form itself, end to end: the create flow from labels to the result panel, validation and its summary, the
//! keyboard, a narrow screen, Chinese, a reload.
//!
//! Run: `cargo test -p workspace-console --test e2e -- form::`.

use std::time::Duration;

use crate::support::{
    Browser, DESKTOP, E2e, NO_DELAY, REGION, is_hex, is_prefixed_id, is_uuid, run, wait_for,
};
use fantoccini::{
    Locator,
    actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction},
    key::Key,
};
use serde_json::{Value, json};

in_both_browsers!(
    keyboard_focus_is_never_hidden_behind_the_sticky_submit_bar,
    every_button_has_a_distinct_accessible_name,
    fills_every_section_and_creates_exactly_that_workspace,
    empty_submit_shows_linked_summary_focuses_first_field_and_posts_nothing,
    an_api_error_marks_the_field_it_names,
    a_workspace_that_fails_to_start_says_why,
    ten_rapid_clicks_create_one_workspace,
    ten_clicks_in_one_script_task_create_one_workspace,
    server_down_keeps_everything_and_retry_creates_one_workspace,
    keyboard_only_from_load_to_created,
    chinese_labels_and_messages,
    a_reload_restores_the_draft_and_its_token,
    a_390px_viewport_never_scrolls_sideways,
    create_another_starts_empty_with_a_new_token,
);

/// The subscription-only fields and when they show.
const SUBSCRIPTION_LABELS: [&str; 3] = [
    "Subscription duration",
    "Duration unit",
    "Renew automatically",
];
const AUTO_RENEW_LABELS: [&str; 2] = ["Renewal period", "Renewal unit"];

/// The emulator's workspaces, as JSON (the shape GetWorkspace answers with).
pub fn stored(e2e: &E2e) -> Vec<Value> {
    e2e.emulator()
        .list(REGION)
        .into_iter()
        .map(|w| serde_json::to_value(w).unwrap())
        .collect()
}

/// A workspace without the fields that change while it starts.
fn settled(mut workspace: Value) -> Value {
    let object = workspace.as_object_mut().unwrap();
    object.remove("workspaceStatus");
    object.remove("stateChangeReason");
    workspace
}

fn fills_every_section_and_creates_exactly_that_workspace(browser: Browser) {
    run(
        browser,
        "fill-and-create",
        DESKTOP,
        Duration::from_millis(500),
        async |e2e| {
            e2e.open().await;
            e2e.screenshot("01-empty-form").await;

            e2e.type_into("Workspace name", "etl-nightly_01").await;
            e2e.type_into("Resource quota (CU)", "8").await;
            e2e.type_into("GPU quota", "2").await;
            e2e.click_button("Add instance type").await;
            e2e.type_into("Instance type 1", "ecs.gn7i-c8g1.2xlarge")
                .await;
            e2e.type_into("OSS path", "oss://lake-01/warehouse/").await;
            e2e.choose("DLF version", "DLF 2.0").await;
            e2e.click_button("Add tag").await;
            e2e.type_into("Key 1", "env").await;
            e2e.type_into("Value (optional) 1", "prod").await;
            e2e.type_into("Resource group ID", "rg-acfmwpi66knkxny")
                .await;
            e2e.screenshot("02-filled-form").await;

            // Subscription: duration, unit and auto-renew appear; ticking auto-renew adds its period and unit.
            for label in SUBSCRIPTION_LABELS.iter().chain(&AUTO_RENEW_LABELS) {
                assert!(
                    !e2e.has_field(label).await,
                    "{label:?} shows before subscription is chosen"
                );
            }
            e2e.choose("Billing method", "Subscription").await;
            for label in SUBSCRIPTION_LABELS {
                e2e.field(label).await;
            }
            for label in AUTO_RENEW_LABELS {
                assert!(
                    !e2e.has_field(label).await,
                    "{label:?} shows while auto-renew is off"
                );
            }
            e2e.replace_in("Subscription duration", "3").await;
            e2e.click_field("Renew automatically").await;
            for label in AUTO_RENEW_LABELS {
                e2e.field(label).await;
            }
            e2e.replace_in("Renewal period", "6").await;
            assert_eq!(e2e.selected_text("Duration unit").await, "Month");
            assert_eq!(e2e.selected_text("Renewal unit").await, "Month");
            e2e.screenshot("03-subscription-fields").await;

            // Back to pay-as-you-go: they go away; to subscription again: they come back as typed.
            e2e.choose("Billing method", "Pay-as-you-go").await;
            for label in SUBSCRIPTION_LABELS.iter().chain(&AUTO_RENEW_LABELS) {
                assert!(
                    !e2e.has_field(label).await,
                    "{label:?} still shows under pay-as-you-go"
                );
            }
            e2e.choose("Billing method", "Subscription").await;
            assert_eq!(e2e.value_of("Subscription duration").await, "3");
            assert!(
                e2e.field("Renew automatically")
                    .await
                    .is_selected()
                    .await
                    .unwrap()
            );
            assert_eq!(e2e.value_of("Renewal period").await, "6");
            e2e.choose("Billing method", "Pay-as-you-go").await;

            let token = e2e.value_of("Client token").await;
            assert!(is_hex(&token, 32, false), "client token {token:?}");
            e2e.submit_button().await.click().await.unwrap();

            let (workspace_id, operation_id, request_id) = e2e.wait_result().await;
            assert!(
                is_prefixed_id(&workspace_id, "w-"),
                "workspace id {workspace_id:?}"
            );
            assert!(
                is_prefixed_id(&operation_id, "op-"),
                "operation id {operation_id:?}"
            );
            assert!(is_uuid(&request_id), "request id {request_id:?}");
            wait_for("the status to reach RUNNING", async || {
                let status = e2e
                    .js("const s = document.querySelector('.ws-status'); return s && s.dataset.status;")
                    .await;
                (status == json!("RUNNING")).then_some(())
            })
            .await;
            assert_eq!(
                e2e.js("return document.querySelector('.ws-status').innerText;")
                    .await,
                json!("Running")
            );
            e2e.screenshot("04-result-ids").await;

            // What went over the wire: one request, exactly the entered values, no subscription fields.
            let expected_body = json!({
                "clientToken": token,
                "dlfType": "dlf2.0",
                "gpuSpec": ["ecs.gn7i-c8g1.2xlarge"],
                "ossBucket": "oss://lake-01/warehouse/",
                "paymentType": "PayAsYouGo",
                "ramRoleName": "AliyunEMRSparkJobRunDefaultRole",
                "resourceGroupId": "rg-acfmwpi66knkxny",
                "resourceSpec": { "cu": "8", "gpu": 2 },
                "tag": [{ "key": "env", "value": "prod" }],
                "workspaceName": "etl-nightly_01",
            });
            let creates = e2e.server.creates();
            assert_eq!(creates.len(), 1, "CreateWorkspace calls: {creates:#?}");
            assert_eq!(
                creates[0].uri,
                format!("/api/v1/workspaces?regionId={REGION}")
            );
            assert_eq!(creates[0].json(), expected_body);
            assert_eq!(
                creates[0].request_id, request_id,
                "the panel shows the request id of the answer"
            );

            // GetWorkspace: the workspace holds exactly the entered values.
            let (status, answer) = e2e.server.get_workspace(&workspace_id);
            assert_eq!(status, 200, "{answer}");
            let workspace = &answer["workspace"];
            let expected = json!({
                "workspaceId": workspace_id,
                "workspaceName": "etl-nightly_01",
                "regionId": REGION,
                "resourceSpec": "8cu",
                "storage": "oss://lake-01/warehouse/",
                "paymentType": "PayAsYouGo",
                "paymentStatus": "PAID",
                "dlfType": "dlf2.0",
                "resourceGroupId": "rg-acfmwpi66knkxny",
                "ramRoleName": "AliyunEMRSparkJobRunDefaultRole",
                "gpuSpec": ["ecs.gn7i-c8g1.2xlarge"],
                "tags": [{ "tagKey": "env", "tagValue": "prod" }],
                "createTime": workspace["createTime"],
                "resourceOwnerId": workspace["resourceOwnerId"],
                "ipWhiteList": [],
                "prePaidQuotaGpu": [],
            });
            assert_eq!(settled(workspace.clone()), expected, "GetWorkspace");
            for absent in [
                "duration",
                "paymentDurationUnit",
                "autoRenew",
                "autoRenewPeriod",
                "autoRenewPeriodUnit",
            ] {
                assert!(
                    workspace.get(absent).is_none(),
                    "{absent} was stored for a pay-as-you-go workspace"
                );
            }

            // The emulator holds exactly this one workspace.
            let all = stored(&e2e);
            assert_eq!(all.len(), 1, "{all:#?}");
            assert_eq!(settled(all[0].clone()), expected);

            // GetWorkspace does not report the GPU quota or the token; the emulator's idempotency does: the same
            // token with exactly the expected body is answered with the same workspace, and nothing new is created.
            let (status, replay) = e2e.server.api(
                "POST",
                &format!("/api/v1/workspaces?regionId={REGION}"),
                Some(&expected_body),
            );
            assert_eq!(status, 200, "{replay}");
            assert_eq!(replay["workspaceId"], json!(workspace_id));
            assert_eq!(replay["operationId"], json!(operation_id));
            assert_eq!(stored(&e2e).len(), 1);
        },
    );
}

fn empty_submit_shows_linked_summary_focuses_first_field_and_posts_nothing(browser: Browser) {
    run(
        browser,
        "client-validation",
        DESKTOP,
        NO_DELAY,
        async |e2e| {
            e2e.open().await;
            // Nothing is red before the user did anything.
            assert_eq!(e2e.summary_text().await, "");
            assert_eq!(
                e2e.attr("ws-workspaceName", "aria-invalid")
                    .await
                    .as_deref(),
                Some("false")
            );

            e2e.submit_button().await.click().await.unwrap();
            let summary = e2e
                .wait_summary_contains("Fix these fields before creating the workspace")
                .await;
            e2e.wait_focus("ws-workspaceName").await;
            e2e.screenshot("01-error-summary").await;

            // The summary lists the required fields as links to them.
            let links: Vec<(String, String)> = serde_json::from_value(
            e2e.js("return [...document.querySelectorAll('#ws-summary a')].map(a => [a.getAttribute('href'), a.innerText.trim()]);")
                .await,
        )
        .unwrap();
            let expected_links = [
                (
                    "#ws-workspaceName",
                    "Workspace name: This field is required.",
                ),
                (
                    "#ws-resourceSpec-cu",
                    "Resource quota (CU): This field is required.",
                ),
                ("#ws-ossBucket", "OSS path: This field is required."),
            ];
            assert_eq!(
                links
                    .iter()
                    .map(|(h, t)| (h.as_str(), t.as_str()))
                    .collect::<Vec<_>>(),
                expected_links,
                "summary: {summary}"
            );

            // The first invalid field: marked invalid and described by its visible message.
            assert_eq!(
                e2e.attr("ws-workspaceName", "aria-invalid")
                    .await
                    .as_deref(),
                Some("true")
            );
            let described_by = e2e
                .attr("ws-workspaceName", "aria-describedby")
                .await
                .unwrap_or_default();
            assert!(
                described_by
                    .split(' ')
                    .any(|id| id == "ws-workspaceName-error"),
                "aria-describedby={described_by:?}"
            );
            assert_eq!(
                e2e.error_of("ws-workspaceName").await.as_deref(),
                Some("This field is required.")
            );
            let message = e2e.by_id("ws-workspaceName-error").await;
            assert!(message.is_displayed().await.unwrap());
            assert_eq!(
                e2e.visible_error_near("ws-workspaceName").await.as_deref(),
                Some("This field is required.")
            );

            // Nothing was sent.
            assert!(
                e2e.server.creates().is_empty(),
                "{:#?}",
                e2e.server.creates()
            );
            assert!(stored(&e2e).is_empty());

            // A summary link moves focus to its field.
            let link = e2e
                .client
                .find(Locator::XPath(
                    "//div[@id='ws-summary']//a[starts-with(normalize-space(.), 'OSS path')]",
                ))
                .await
                .unwrap();
            link.click().await.unwrap();
            e2e.wait_focus("ws-ossBucket").await;

            // On a fresh page: an error waits for the blur, then follows every keystroke.
            e2e.open().await;
            e2e.type_into("Workspace name", "bad!").await;
            assert_eq!(
                e2e.visible_error_near("ws-workspaceName").await,
                None,
                "an error showed while still typing"
            );
            assert_eq!(
                e2e.attr("ws-workspaceName", "aria-invalid")
                    .await
                    .as_deref(),
                Some("false")
            );
            e2e.press_key(Key::Tab).await;
            let error = wait_for("the name's error after blur", async || {
                e2e.error_of("ws-workspaceName").await
            })
            .await;
            assert!(
                error.contains("letters, digits"),
                "unexpected message {error:?}"
            );
            assert_eq!(
                e2e.attr("ws-workspaceName", "aria-invalid")
                    .await
                    .as_deref(),
                Some("true")
            );
            e2e.screenshot("02-error-after-blur").await;

            // Back in the field: the fix clears the error at once, a new mistake brings it back, no blur needed.
            let name = e2e.field("Workspace name").await;
            name.send_keys(&char::from(Key::Backspace).to_string())
                .await
                .unwrap();
            wait_for("the error to clear while typing", async || {
                (e2e.error_of("ws-workspaceName").await.is_none()).then_some(())
            })
            .await;
            assert_eq!(
                e2e.attr("ws-workspaceName", "aria-invalid")
                    .await
                    .as_deref(),
                Some("false")
            );
            assert_eq!(
                e2e.focused_id().await,
                "ws-workspaceName",
                "focus stayed in the field"
            );
            name.send_keys(" x").await.unwrap();
            wait_for("the error to come back while typing", async || {
                e2e.error_of("ws-workspaceName").await
            })
            .await;
            assert!(e2e.server.creates().is_empty());
        },
    );
}

/// A hint (the CU quota, our guess) warns but does not block; an error the API answers with that names a field
/// (here what an account with a lower quota gets) marks that field, and fixing it clears the mark.
fn an_api_error_marks_the_field_it_names(browser: Browser) {
    run(browser, "server-error", DESKTOP, NO_DELAY, async |e2e| {
        e2e.open().await;
        e2e.fill_minimal("quota-test", "6000", "oss://lake-01/")
            .await;

        // Above the default quota: a warning, not an error.
        let warning = wait_for("the quota warning", async || {
            let text = e2e
                .js("const w = document.getElementById('ws-resourceSpec-cu-warning'); return w && w.innerText;")
                .await;
            text.as_str().map(str::to_owned)
        })
        .await;
        assert!(
            warning.contains("6000 CU is above the default pay-as-you-go quota of 5,000 CU"),
            "{warning:?}"
        );
        assert_eq!(
            e2e.attr("ws-resourceSpec-cu", "aria-invalid")
                .await
                .as_deref(),
            Some("false")
        );

        let message = "The CU quota of this account is 5000: request a higher quota, or use less.";
        e2e.server.answer_next_create(
            400,
            json!({
                "RequestId": "6F4B1D0E-1111-4222-8333-944455556666",
                "HostId": "emr-serverless-spark.cn-hangzhou.aliyuncs.com",
                "Code": "QuotaExceeded.resourceSpec.cu",
                "Message": format!("resourceSpec.cu: {message}"),
                "Recommend": "",
            }),
        );
        e2e.submit_button().await.click().await.unwrap();
        let summary = e2e
            .wait_summary_contains("The workspace was not created.")
            .await;
        let creates = e2e.server.creates();
        assert_eq!(creates.len(), 1, "the warning must not block the request");
        assert_eq!(creates[0].status, 400);
        assert!(
            summary.contains("QuotaExceeded.resourceSpec.cu")
                && summary.contains("6F4B1D0E-1111-4222-8333-944455556666"),
            "summary: {summary}"
        );

        // The CU input carries the API's message and has focus.
        e2e.wait_focus("ws-resourceSpec-cu").await;
        assert_eq!(
            e2e.attr("ws-resourceSpec-cu", "aria-invalid")
                .await
                .as_deref(),
            Some("true")
        );
        let error = e2e
            .error_of("ws-resourceSpec-cu")
            .await
            .expect("the CU error");
        assert_eq!(error, message);
        e2e.screenshot("01-server-error").await;
        assert!(stored(&e2e).is_empty());

        // Changing the value clears the API's error; 8 CU is created.
        e2e.replace_in("Resource quota (CU)", "8").await;
        wait_for("the server error to clear", async || {
            (e2e.attr("ws-resourceSpec-cu", "aria-invalid")
                .await
                .as_deref()
                == Some("false"))
            .then_some(())
        })
        .await;
        e2e.submit_button().await.click().await.unwrap();
        let (workspace_id, _, _) = e2e.wait_result().await;
        let all = stored(&e2e);
        assert_eq!(all.len(), 1);
        assert_eq!(all[0]["workspaceId"], json!(workspace_id));
        assert_eq!(all[0]["resourceSpec"], json!("8cu"));
        // Both attempts carried the same token: the refused one did not use it up.
        let creates = e2e.server.creates();
        assert_eq!(creates.len(), 2);
        assert_eq!(
            creates[0].json()["clientToken"],
            creates[1].json()["clientToken"]
        );
    });
}

/// The emulator's reserved name prefix makes the start fail: the panel follows the workspace to its final state
/// and says why, in both languages.
fn a_workspace_that_fails_to_start_says_why(browser: Browser) {
    run(
        browser,
        "failed-start",
        DESKTOP,
        Duration::from_millis(800),
        async |e2e| {
            e2e.open().await;
            e2e.fill_minimal("emulator-fail-demo", "8", "oss://lake-01/")
                .await;
            e2e.submit_button().await.click().await.unwrap();
            e2e.wait_result().await;
            let status = async || {
                e2e.js("const s = document.querySelector('.ws-status'); return s && [s.dataset.status, s.innerText];")
                .await
            };
            wait_for("the failed status", async || {
                let s = status().await;
                (s[0] == json!("FAILED")).then_some(())
            })
            .await;
            assert_eq!(status().await[1], json!("Failed to start: out of stock"));
            e2e.screenshot("01-failed-en").await;
            e2e.choose("Language", "中文").await;
            assert_eq!(status().await[1], json!("启动失败：out of stock"));
            e2e.screenshot("02-failed-zh").await;
            // Polling stopped at the final state: no more GetWorkspace calls come.
            let gets = || {
                e2e.server
                    .calls()
                    .iter()
                    .filter(|c| c.method == "GET")
                    .count()
            };
            let before = gets();
            tokio::time::sleep(Duration::from_millis(2_500)).await;
            assert_eq!(gets(), before, "still polling after a final state");
        },
    );
}

fn ten_rapid_clicks_create_one_workspace(browser: Browser) {
    run(browser, "rapid-clicks", DESKTOP, NO_DELAY, async |e2e| {
        e2e.open().await;
        e2e.fill_minimal("rapid", "8", "oss://lake-01/").await;
        // A slow answer keeps the first request in flight while the other clicks land.
        e2e.server.set_create_latency(Duration::from_millis(1500));
        let button = e2e.submit_button().await;
        let mut mouse = MouseActions::new("mouse".to_owned()).then(PointerAction::MoveToElement {
            element: button.clone(),
            duration: None,
            x: 0.0,
            y: 0.0,
        });
        for _ in 0..10 {
            mouse = mouse
                .then(PointerAction::Down {
                    button: MOUSE_BUTTON_LEFT,
                })
                .then(PointerAction::Up {
                    button: MOUSE_BUTTON_LEFT,
                });
        }
        e2e.client.perform_actions(mouse).await.unwrap();
        // Still in flight: the button says so.
        let label = button.text().await.unwrap();
        assert_eq!(label, "Creating…");
        assert_eq!(
            button.attr("aria-disabled").await.unwrap().as_deref(),
            Some("true")
        );
        e2e.screenshot("01-busy").await;

        e2e.wait_result().await;
        assert_eq!(e2e.server.creates().len(), 1, "CreateWorkspace calls");
        assert_eq!(stored(&e2e).len(), 1, "workspaces");
    });
}

fn ten_clicks_in_one_script_task_create_one_workspace(browser: Browser) {
    run(browser, "burst-clicks", DESKTOP, NO_DELAY, async |e2e| {
        e2e.open().await;
        e2e.fill_minimal("burst", "8", "oss://lake-01/").await;
        // Ten clicks before the page gets to render or the first answer arrives.
        e2e.js("const b = document.querySelector('form.ws-form button[type=submit]'); for (let i = 0; i < 10; i++) b.click();")
            .await;
        e2e.wait_result().await;
        // Let any stray request arrive before counting.
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(stored(&e2e).len(), 1, "workspaces");
        assert_eq!(e2e.server.creates().len(), 1, "CreateWorkspace calls");
    });
}

fn server_down_keeps_everything_and_retry_creates_one_workspace(browser: Browser) {
    run(
        browser,
        "server-down",
        DESKTOP,
        NO_DELAY,
        async |mut e2e| {
            e2e.open().await;
            e2e.fill_minimal("offline-retry", "16", "oss://lake-01/data/")
                .await;
            e2e.click_button("Add tag").await;
            e2e.type_into("Key 1", "team").await;
            let token = e2e.value_of("Client token").await;
            let port = e2e.server.addr().port();

            e2e.server.stop();
            e2e.submit_button().await.click().await.unwrap();
            let summary = e2e
                .wait_summary_contains("Could not reach the server.")
                .await;
            assert!(
                summary.contains("Everything you entered is kept"),
                "{summary}"
            );
            e2e.screenshot("01-server-down").await;

            // Nothing typed was lost, and the button works again.
            for (label, value) in [
                ("Workspace name", "offline-retry"),
                ("Resource quota (CU)", "16"),
                ("OSS path", "oss://lake-01/data/"),
                ("Key 1", "team"),
                ("Client token", token.as_str()),
            ] {
                assert_eq!(
                    e2e.value_of(label).await,
                    value,
                    "{label:?} after the failure"
                );
            }
            let button = e2e.submit_button().await;
            assert_eq!(button.text().await.unwrap(), "Create workspace");
            assert_eq!(
                button.attr("aria-disabled").await.unwrap().as_deref(),
                Some("false")
            );
            assert!(button.is_enabled().await.unwrap());
            assert!(stored(&e2e).is_empty());

            // The server comes back on the same port; Retry succeeds with the same token.
            e2e.server.resume();
            assert_eq!(e2e.server.addr().port(), port);
            e2e.click_button("Retry").await;
            let (workspace_id, _, _) = e2e.wait_result().await;
            let all = stored(&e2e);
            assert_eq!(all.len(), 1, "{all:#?}");
            assert_eq!(all[0]["workspaceId"], json!(workspace_id));
            assert_eq!(all[0]["workspaceName"], json!("offline-retry"));
            let (status, answer) = e2e.server.get_workspace(&workspace_id);
            assert_eq!(status, 200, "{answer}");
            assert_eq!(answer["workspace"]["workspaceName"], json!("offline-retry"));
            assert_eq!(answer["workspace"]["resourceSpec"], json!("16cu"));
            assert_eq!(answer["workspace"]["storage"], json!("oss://lake-01/data/"));
            assert_eq!(
                answer["workspace"]["tags"],
                json!([{ "tagKey": "team", "tagValue": "" }])
            );
            let creates = e2e.server.creates();
            assert_eq!(creates.len(), 1, "only the retry reached the server");
            let sent = creates[0].json();
            assert_eq!(
                sent["clientToken"],
                json!(token),
                "the retry carried the token shown before the failure"
            );
            // The emulator filed the workspace under that token: the same request again gives the same workspace.
            let (status, replay) = e2e.server.api("POST", &creates[0].uri, Some(&sent));
            assert_eq!(status, 200, "{replay}");
            assert_eq!(replay["workspaceId"], json!(workspace_id));
            assert_eq!(stored(&e2e).len(), 1);
        },
    );
}

fn keyboard_only_from_load_to_created(browser: Browser) {
    run(browser, "keyboard", DESKTOP, NO_DELAY, async |e2e| {
        e2e.open().await;
        // Tab from the top of the page to the name field; every stop shows a focus ring.
        let mut stops = Vec::new();
        let mut outlines = Vec::new();
        let focus_style = async || {
            let v = e2e
                .js("const s = getComputedStyle(document.activeElement); return [document.activeElement.id || document.activeElement.tagName, s.outlineStyle, s.outlineWidth];")
                .await;
            (
                v[0].as_str().unwrap().to_owned(),
                v[1].as_str().unwrap().to_owned(),
                v[2].as_str().unwrap().to_owned(),
            )
        };
        let tab_to = async |id: &str,
                            stops: &mut Vec<String>,
                            outlines: &mut Vec<(String, String, String)>| {
            for _ in 0..12 {
                e2e.press_key(Key::Tab).await;
                let style = focus_style().await;
                stops.push(style.0.clone());
                outlines.push(style.clone());
                if style.0 == id {
                    return;
                }
            }
            panic!("Tab never reached #{id}; stops: {stops:?}");
        };
        tab_to("ws-workspaceName", &mut stops, &mut outlines).await;
        e2e.screenshot_viewport("01-focus-ring").await;
        e2e.keyboard_type("keyboard-only").await;
        tab_to("ws-resourceSpec-cu", &mut stops, &mut outlines).await;
        e2e.keyboard_type("8").await;
        tab_to("ws-ossBucket", &mut stops, &mut outlines).await;
        e2e.keyboard_type("oss://lake-01/").await;
        tab_to("ws-paymentType", &mut stops, &mut outlines).await;
        // Arrow down on the closed select picks the next option: Subscription.
        e2e.press_key(Key::Down).await;
        wait_for("Subscription to be chosen", async || {
            (e2e.selected_text("Billing method").await == "Subscription").then_some(())
        })
        .await;
        e2e.field("Subscription duration").await;
        tab_to("ws-duration", &mut stops, &mut outlines).await;
        assert_eq!(e2e.value_of("Subscription duration").await, "1");
        e2e.screenshot("02-keyboard-filled").await;
        for (id, style, width) in &outlines {
            assert!(
                style != "none" && width != "0px",
                "#{id} has no visible focus outline ({style} {width})"
            );
        }
        eprintln!("[e2e] keyboard stops: {stops:?}");

        e2e.press_key(Key::Enter).await;
        let (workspace_id, _, _) = e2e.wait_result().await;
        e2e.wait_focus("ws-result-title").await;
        let all = stored(&e2e);
        assert_eq!(all.len(), 1);
        let w = &all[0];
        assert_eq!(w["workspaceId"], json!(workspace_id));
        assert_eq!(w["workspaceName"], json!("keyboard-only"));
        assert_eq!(w["paymentType"], json!("Pre"));
        assert_eq!(w["duration"], json!(1));
        assert_eq!(w["paymentDurationUnit"], json!("MONTH"));
        assert_eq!(w["autoRenew"], json!(false));
        assert!(w.get("autoRenewPeriod").is_none());
    });
}

fn chinese_labels_and_messages(browser: Browser) {
    run(browser, "chinese", DESKTOP, NO_DELAY, async |e2e| {
        e2e.open().await;
        e2e.choose("Language", "中文").await;
        assert_eq!(
            e2e.label_target("工作空间名称").await.as_deref(),
            Some("ws-workspaceName")
        );
        assert_eq!(
            e2e.label_target("资源配额（CU）").await.as_deref(),
            Some("ws-resourceSpec-cu")
        );
        assert_eq!(
            e2e.label_target("Workspace name").await,
            None,
            "English labels remain"
        );
        assert_eq!(
            e2e.label_target("语言").await.as_deref(),
            Some("ws-language")
        );
        let lang = e2e
            .js("return document.querySelector('.ws-console').getAttribute('lang');")
            .await;
        assert!(
            lang.as_str().unwrap_or_default().starts_with("zh"),
            "lang={lang}"
        );

        e2e.click_button("创建工作空间").await;
        let summary = e2e
            .wait_summary_contains("创建工作空间前，请修正以下字段")
            .await;
        assert!(
            summary.contains("工作空间名称: 此项为必填项。")
                || summary.contains("工作空间名称：此项为必填项。"),
            "{summary}"
        );
        assert_eq!(
            e2e.error_of("ws-workspaceName").await.as_deref(),
            Some("此项为必填项。")
        );
        e2e.screenshot("01-chinese").await;
    });
}

fn a_reload_restores_the_draft_and_its_token(browser: Browser) {
    run(browser, "draft-reload", DESKTOP, NO_DELAY, async |e2e| {
        e2e.open().await;
        let notice_shown = async || {
            e2e.js("const n = document.querySelector('.ws-notice'); return !!n && !n.hidden;")
                .await
                == json!(true)
        };
        // A reload of a form nobody typed in says nothing.
        e2e.client.refresh().await.unwrap();
        e2e.wait_for_form().await;
        assert!(!notice_shown().await, "a notice for an untouched form");
        e2e.type_into("Workspace name", "draft-kept").await;
        e2e.type_into("Resource quota (CU)", "24").await;
        let token = e2e.value_of("Client token").await;
        // The draft is written as the user types; wait until it holds the last keystroke.
        wait_for("the draft to be saved", async || {
            let saved = e2e
                .js("return Object.keys(localStorage).map(k => localStorage.getItem(k)).some(v => v.includes('draft-kept') && v.includes('24'));")
                .await;
            (saved == json!(true)).then_some(())
        })
        .await;
        e2e.client.refresh().await.unwrap();
        e2e.wait_for_form().await;
        assert_eq!(e2e.value_of("Workspace name").await, "draft-kept");
        assert_eq!(e2e.value_of("Resource quota (CU)").await, "24");
        assert_eq!(e2e.value_of("Client token").await, token);
        assert!(notice_shown().await, "the restore is not announced");
        e2e.screenshot("01-restored").await;
        // "Start over" discards the draft: defaults again, and a new token.
        e2e.click_button("Start over").await;
        assert!(!notice_shown().await);
        assert_eq!(e2e.value_of("Workspace name").await, "");
        assert_eq!(e2e.value_of("Resource quota (CU)").await, "");
        assert_ne!(e2e.value_of("Client token").await, token);
    });
}

fn a_390px_viewport_never_scrolls_sideways(browser: Browser) {
    run(
        browser,
        "narrow",
        (390, 844),
        Duration::from_secs(60),
        async |e2e| {
            e2e.open().await;
            let overflowing = async |state: &str| {
                let (scroll, client) = e2e.horizontal_overflow().await;
                let wide = e2e
                .js("return [...document.querySelectorAll('body *')].filter(e => e.getClientRects().length && e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id);")
                .await;
                assert!(
                    scroll <= client,
                    "{state}: scrollWidth {scroll} > clientWidth {client}; too wide: {wide}"
                );
                assert_eq!(wide, json!([]), "{state}: elements past the right edge");
            };
            assert_eq!(e2e.js("return window.innerWidth;").await, json!(390));
            e2e.screenshot_viewport("01-narrow-top").await;
            e2e.screenshot("02-narrow-empty").await;
            overflowing("empty form").await;

            // Errors, list rows and every billing field: the widest the form gets.
            e2e.submit_button().await.click().await.unwrap();
            e2e.wait_summary_contains("Fix these fields").await;
            e2e.click_button("Add instance type").await;
            e2e.click_button("Add tag").await;
            e2e.choose("Billing method", "Subscription").await;
            e2e.click_field("Renew automatically").await;
            e2e.field("Renewal period").await;
            e2e.screenshot("03-narrow-errors").await;
            overflowing("errors, rows and subscription").await;

            // The result panel with its long ids.
            e2e.remove_row_of("Instance type 1").await;
            e2e.remove_row_of("Key 1").await;
            e2e.choose("Billing method", "Pay-as-you-go").await;
            e2e.fill_minimal("narrow", "8", "oss://lake-01/").await;
            e2e.submit_button().await.click().await.unwrap();
            e2e.wait_result().await;
            e2e.screenshot("04-narrow-result").await;
            overflowing("result panel").await;
        },
    );
}

fn create_another_starts_empty_with_a_new_token(browser: Browser) {
    run(
        browser,
        "create-another",
        DESKTOP,
        Duration::from_secs(60),
        async |e2e| {
            e2e.open().await;
            e2e.fill_minimal("first", "8", "oss://lake-01/").await;
            e2e.choose("DLF version", "DLF 2.0").await;
            let first_token = e2e.value_of("Client token").await;
            e2e.submit_button().await.click().await.unwrap();
            let ids = e2e.wait_result().await;

            // A Copy button next to each id, named for it.
            for (name, label) in [
                ("workspaceId", "Workspace ID"),
                ("operationId", "Operation ID"),
                ("requestId", "Request ID"),
            ] {
                let button = e2e
                    .client
                    .find(Locator::XPath(&format!(
                        "//code[@data-id='{name}']/following-sibling::button"
                    )))
                    .await
                    .unwrap_or_else(|e| panic!("no Copy button after the {name}: {e}"));
                assert!(button.is_displayed().await.unwrap());
                assert_eq!(button.text().await.unwrap(), "Copy");
                assert_eq!(
                    button.attr("aria-label").await.unwrap(),
                    Some(format!("Copy {label}"))
                );
            }
            let copy = e2e
                .client
                .find(Locator::XPath(
                    "//code[@data-id='workspaceId']/following-sibling::button",
                ))
                .await
                .unwrap();
            copy.click().await.unwrap();
            wait_for("the Copy button to say Copied", async || {
                (copy.text().await.ok()? == "Copied").then_some(())
            })
            .await;
            e2e.screenshot("01-result").await;
            assert!(!ids.0.is_empty());

            e2e.click_button("Create another workspace").await;
            e2e.wait_for_form().await;
            e2e.wait_focus("ws-workspaceName").await;
            for label in [
                "Workspace name",
                "Resource quota (CU)",
                "GPU quota",
                "OSS path",
                "Resource group ID",
            ] {
                assert_eq!(e2e.value_of(label).await, "", "{label:?} of the new form");
            }
            assert_eq!(e2e.selected_text("DLF version").await, "DLF 1.0");
            assert_eq!(e2e.selected_text("Billing method").await, "Pay-as-you-go");
            assert_eq!(
                e2e.summary_text().await,
                "",
                "the new form starts without errors"
            );
            assert_eq!(
                e2e.attr("ws-workspaceName", "aria-invalid")
                    .await
                    .as_deref(),
                Some("false")
            );
            let new_token = e2e.value_of("Client token").await;
            assert!(is_hex(&new_token, 32, false), "new token {new_token:?}");
            assert_ne!(
                new_token, first_token,
                "the new form must not reuse the token of the created workspace"
            );
            assert!(
                e2e.client
                    .find(Locator::Css("code[data-id]"))
                    .await
                    .is_err()
                    || !e2e
                        .client
                        .find(Locator::Css("code[data-id]"))
                        .await
                        .unwrap()
                        .is_displayed()
                        .await
                        .unwrap(),
                "the result panel is gone"
            );
            e2e.screenshot("02-create-another").await;
        },
    );
}

// Regression: fields took focus hidden under the sticky submit bar.
fn keyboard_focus_is_never_hidden_behind_the_sticky_submit_bar(browser: Browser) {
    run(browser, "focus-obscured", DESKTOP, NO_DELAY, async |e2e| {
        e2e.open().await;
        // Every field of the form on the page.
        e2e.click_button("Add instance type").await;
        e2e.click_button("Add tag").await;
        e2e.choose("Billing method", "Subscription").await;
        e2e.click_field("Renew automatically").await;
        e2e.field("Renewal period").await;
        // Tab panics, naming the stops, if it never reaches the submit button.
        let (stops, hidden) = e2e.tab_to_submit().await;
        assert!(stops.len() >= 20, "suspiciously few tab stops: {stops:?}");
        assert!(
            hidden.is_empty(),
            "focused but covered (by the sticky bar): {hidden:?}; stops: {stops:?}"
        );
        eprintln!("[e2e] {} tab stops, none covered", stops.len());
    });
}

// Regression: the Remove buttons of tag row 1 and GPU row 1 were both named "Remove 1".
fn every_button_has_a_distinct_accessible_name(browser: Browser) {
    run(browser, "button-names", DESKTOP, NO_DELAY, async |e2e| {
        e2e.open().await;
        e2e.click_button("Add instance type").await;
        e2e.click_button("Add tag").await;
        let names: Vec<String> = serde_json::from_value(
            // checkVisibility: the content of a closed <details> has boxes but is not shown.
            e2e.js("return [...document.querySelectorAll('button')].filter(b => b.checkVisibility()).map(b => b.getAttribute('aria-label') || b.innerText.trim());")
                .await,
        )
        .unwrap();
        let mut seen = std::collections::HashSet::new();
        let repeated: Vec<&String> = names.iter().filter(|n| !seen.insert(*n)).collect();
        assert!(
            repeated.is_empty(),
            "buttons sharing a name: {repeated:?} (all: {names:?})"
        );
    });
}
