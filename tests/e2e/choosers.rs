//! End-to-end tests of "choose, don't type": the OSS path, DLF catalog, execution role and resource group fields
//! offer the account's buckets, catalogs, roles and resource groups (the emulator's demo account, or fixtures),
//! chosen with the keyboard or
//! the mouse; a refused listing leaves a text box that still submits; a role that is missing or does not trust
//! Spark is a warning.
//!
//! Run: `cargo test -p workspace-console --test e2e -- choosers::`.

use std::time::Duration;

use crate::support::{Browser, DESKTOP, E2e, axe_source, run, serious_violations, wait_for};
use fantoccini::key::Key;
use serde_json::{Value, json};

in_both_browsers!(
    the_bucket_chooser_offers_the_regions_buckets_and_fills_the_path,
    the_catalog_and_role_choosers_fill_their_fields_and_roles_spark_cannot_use_are_warned_about,
    a_refused_listing_leaves_a_text_box_that_still_submits,
    a_workspace_is_created_by_choosing_bucket_catalog_and_role,
    the_custom_element_has_the_choosers_with_nothing_to_configure,
    the_resource_group_chooser_offers_the_accounts_groups_and_fills_the_id,
);

const OSS: &str = "OSS path";
const CATALOG: &str = "DLF catalog ID";
const ROLE: &str = "Job execution role";
const GROUP: &str = "Resource group ID";

/// The options the listbox of the field labelled `label` shows, as `(text, unavailable)`; none while it is closed.
async fn options(e2e: &E2e, label: &str) -> Vec<(String, bool)> {
    let input = e2e.field(label).await;
    let found = e2e
        .js_with(
            r#"
            const input = arguments[0];
            const list = document.getElementById(input.getAttribute('aria-controls'));
            if (!list || list.hidden || input.getAttribute('aria-expanded') !== 'true') return [];
            return [...list.querySelectorAll('[role=option]')].map(o =>
                [o.innerText.replace(/\s+/g, ' ').trim(), o.getAttribute('aria-disabled') === 'true']);
            "#,
            vec![json!(input)],
        )
        .await;
    serde_json::from_value(found).unwrap()
}

/// Waits until the field's listbox shows exactly these option texts (first words: the name).
async fn wait_options(e2e: &E2e, label: &str, names: &[&str]) -> Vec<(String, bool)> {
    wait_for(&format!("{label:?} to offer {names:?}"), async || {
        let shown = options(e2e, label).await;
        let first: Vec<&str> = shown
            .iter()
            .map(|(t, _)| t.split(' ').next().unwrap_or_default())
            .collect();
        (first == names).then_some(shown)
    })
    .await
}

/// What the field's `aria-describedby` elements say, joined.
async fn description(e2e: &E2e, label: &str) -> String {
    let input = e2e.field(label).await;
    e2e.js_with(
        r#"
        return (arguments[0].getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean)
            .map(id => { const d = document.getElementById(id); return d ? d.innerText : `#${id} missing`; })
            .join(' | ');
        "#,
        vec![json!(input)],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

async fn wait_description(e2e: &E2e, label: &str, text: &str) -> String {
    wait_for(
        &format!("{label:?} to be described by {text:?}"),
        async || {
            let said = description(e2e, label).await;
            said.contains(text).then_some(said)
        },
    )
    .await
}

async fn active_option(e2e: &E2e, label: &str) -> Option<String> {
    e2e.field(label)
        .await
        .attr("aria-activedescendant")
        .await
        .unwrap()
}

/// The account listings the browser asked for, as `method uri`.
fn account_calls(e2e: &E2e) -> Vec<String> {
    e2e.server
        .calls()
        .into_iter()
        .filter(|c| c.uri.starts_with("/api/account/"))
        .map(|c| c.uri)
        .collect()
}

async fn submit_and_wait(e2e: &E2e) -> (String, Value) {
    e2e.submit_button().await.click().await.unwrap();
    let (workspace_id, _, _) = e2e.wait_result().await;
    let body = e2e.server.creates().last().expect("a create").json();
    (workspace_id, body)
}

fn the_bucket_chooser_offers_the_regions_buckets_and_fills_the_path(browser: Browser) {
    run(
        browser,
        "choosers_bucket",
        DESKTOP,
        Duration::ZERO,
        |e2e| async move {
            e2e.open().await;
            assert!(
                account_calls(&e2e).is_empty(),
                "listings asked for on page load: {:?}",
                account_calls(&e2e)
            );

            // A click into the field offers every bucket of the form's region (cn-hangzhou).
            e2e.click_field(OSS).await;
            wait_options(&e2e, OSS, &["spark-demo-hz", "spark-logs-hz"]).await;

            // The keyboard alone: typing filters, ArrowDown highlights, Enter chooses (and does not submit).
            e2e.keyboard_type("logs").await;
            wait_options(&e2e, OSS, &["spark-logs-hz"]).await;
            e2e.press_key(Key::Down).await;
            assert_eq!(
                active_option(&e2e, OSS).await.as_deref(),
                Some("ws-ossBucket-choices-0")
            );
            e2e.press_key(Key::Enter).await;
            assert_eq!(e2e.value_of(OSS).await, "oss://spark-logs-hz/");
            assert!(
                options(&e2e, OSS).await.is_empty(),
                "the list stays open after a choice"
            );
            assert!(
                e2e.server.creates().is_empty(),
                "Enter on an option submitted the form"
            );

            // The path goes on after the bucket, with nothing offered over it.
            e2e.keyboard_type("warehouse/").await;
            assert_eq!(e2e.value_of(OSS).await, "oss://spark-logs-hz/warehouse/");
            assert!(options(&e2e, OSS).await.is_empty());

            // Another region: its buckets, asked for once when the field is used again; chosen with the mouse.
            e2e.choose("Region", "China (Shanghai) · cn-shanghai").await;
            e2e.replace_in(OSS, "spark").await;
            wait_options(&e2e, OSS, &["spark-demo-sh"]).await;
            let option = e2e.by_id("ws-ossBucket-choices-0").await;
            option.click().await.unwrap();
            assert_eq!(e2e.value_of(OSS).await, "oss://spark-demo-sh/");

            // Back to the first region: kept, not asked again.
            e2e.choose("Region", "China (Hangzhou) · cn-hangzhou").await;
            e2e.replace_in(OSS, "spark-demo").await;
            wait_options(&e2e, OSS, &["spark-demo-hz"]).await;
            assert_eq!(
                account_calls(&e2e),
                [
                    "/api/account/buckets?regionId=cn-hangzhou",
                    "/api/account/buckets?regionId=cn-shanghai"
                ]
            );
        },
    );
}

fn the_catalog_and_role_choosers_fill_their_fields_and_roles_spark_cannot_use_are_warned_about(
    browser: Browser,
) {
    run(
        browser,
        "choosers_catalog_role",
        DESKTOP,
        Duration::ZERO,
        |e2e| async move {
            e2e.open().await;

            // Name and id side by side; a catalog that is not RUNNING is shown as unavailable and skipped by the keys.
            e2e.click_field(CATALOG).await;
            let shown = wait_options(&e2e, CATALOG, &["lakehouse", "staging"]).await;
            assert_eq!(
                shown,
                [
                    ("lakehouse clg-paimon-demo0001".to_owned(), false),
                    (
                        "staging clg-paimon-demo0002 · unavailable: INITIALIZING".to_owned(),
                        true
                    ),
                ]
            );
            e2e.press_key(Key::Down).await;
            // The open combobox, an unavailable option included, passes axe-core.
            let violations = serious_violations(&e2e, &axe_source()).await;
            assert!(violations.is_empty(), "{violations:#?}");
            e2e.press_key(Key::Down).await;
            assert_eq!(
                active_option(&e2e, CATALOG).await.as_deref(),
                Some("ws-dlfCatalogId-choices-0"),
                "the unavailable catalog was highlighted"
            );
            e2e.press_key(Key::Enter).await;
            assert_eq!(e2e.value_of(CATALOG).await, "clg-paimon-demo0001");

            // Roles: the default first; one Spark may not assume gets a warning that says what to do.
            e2e.click_field(ROLE).await;
            wait_options(
                &e2e,
                ROLE,
                &["AliyunEMRSparkJobRunDefaultRole", "AliyunECSInstanceRole"],
            )
            .await;
            e2e.press_key(Key::Down).await;
            e2e.press_key(Key::Down).await;
            e2e.press_key(Key::Enter).await;
            assert_eq!(e2e.value_of(ROLE).await, "AliyunECSInstanceRole");
            wait_description(
            &e2e,
            ROLE,
            "The role “AliyunECSInstanceRole” does not let EMR Serverless Spark (spark.emr-serverless.aliyuncs.com) assume it",
        )
        .await;

            // A role the account does not have, typed and left.
            e2e.replace_in(ROLE, "NoSuchRole").await;
            e2e.press_key(Key::Tab).await;
            let said = wait_description(&e2e, ROLE, "The account has no role “NoSuchRole”").await;
            assert!(
                said.contains("Authorize the default role AliyunEMRSparkJobRunDefaultRole"),
                "{said}"
            );
            assert!(
                account_calls(&e2e).contains(&"/api/account/roles/NoSuchRole".to_owned()),
                "{:?}",
                account_calls(&e2e)
            );

            // A warning, never a refusal: the form submits as it is.
            e2e.type_into("Workspace name", "choosers-warned").await;
            e2e.type_into("Resource quota (CU)", "8").await;
            e2e.type_into(OSS, "oss://typed-bucket").await;
            let (workspace_id, body) = submit_and_wait(&e2e).await;
            assert!(workspace_id.starts_with("w-"), "{workspace_id}");
            assert_eq!(body["ramRoleName"], "NoSuchRole");
            assert_eq!(body["dlfCatalogId"], "clg-paimon-demo0001");
        },
    );
}

fn a_refused_listing_leaves_a_text_box_that_still_submits(browser: Browser) {
    run(
        browser,
        "choosers_refused",
        DESKTOP,
        Duration::ZERO,
        |mut e2e| async move {
            e2e.server.set_fixtures(
                r#"{"buckets": [{"name": "fx-hidden", "region": "cn-hangzhou"}],
                "roles": [{"name": "AliyunEMRSparkJobRunDefaultRole"}],
                "deny": ["buckets", "roles"]}"#,
            );
            e2e.open().await;

            e2e.click_field(OSS).await;
            wait_description(
                &e2e,
                OSS,
                "OSS buckets could not be listed (AccessDenied); type it instead.",
            )
            .await;
            e2e.keyboard_type("oss://typed-bucket").await;
            assert!(options(&e2e, OSS).await.is_empty());

            // An empty listing says so too.
            e2e.click_field(CATALOG).await;
            wait_description(&e2e, CATALOG, "No DLF catalogs to choose from here").await;

            e2e.click_field(ROLE).await;
            wait_description(&e2e, ROLE, "RAM roles could not be listed (AccessDenied)").await;
            let violations = serious_violations(&e2e, &axe_source()).await;
            assert!(violations.is_empty(), "{violations:#?}");
            e2e.press_key(Key::Tab).await;

            // The same note in Chinese.
            e2e.choose("Language", "中文").await;
            wait_description(
                &e2e,
                "OSS 路径",
                "无法列出OSS Bucket（AccessDenied），请直接输入。",
            )
            .await;
            e2e.choose("语言", "English").await;

            // A refused GetRole is no warning.
            assert!(!description(&e2e, ROLE).await.contains("Warning"));
            e2e.type_into("Workspace name", "choosers-refused").await;
            e2e.type_into("Resource quota (CU)", "8").await;
            let (workspace_id, body) = submit_and_wait(&e2e).await;
            assert!(workspace_id.starts_with("w-"), "{workspace_id}");
            assert_eq!(body["ossBucket"], "oss://typed-bucket/");
        },
    );
}

fn a_workspace_is_created_by_choosing_bucket_catalog_and_role(browser: Browser) {
    run(
        browser,
        "choosers_create",
        DESKTOP,
        Duration::ZERO,
        |mut e2e| async move {
            e2e.server.set_fixtures(
            r#"{
              "buckets": [{"name": "fx-lake-hz", "region": "cn-hangzhou"},
                          {"name": "fx-lake-sh", "region": "cn-shanghai"}],
              "catalogs": [{"id": "clg-paimon-fx0001", "name": "fx-lakehouse", "region": "cn-hangzhou"}],
              "roles": [{"name": "AdminSparkRole", "description": "runs the nightly jobs"},
                        {"name": "AliyunEMRSparkJobRunDefaultRole"}]
            }"#,
        );
            e2e.open().await;
            e2e.type_into("Workspace name", "chosen-everything").await;
            e2e.type_into("Resource quota (CU)", "8").await;

            e2e.click_field(OSS).await;
            wait_options(&e2e, OSS, &["fx-lake-hz"]).await;
            e2e.press_key(Key::Down).await;
            e2e.press_key(Key::Enter).await;

            e2e.click_field(CATALOG).await;
            wait_options(&e2e, CATALOG, &["fx-lakehouse"]).await;
            e2e.press_key(Key::Down).await;
            e2e.press_key(Key::Enter).await;

            e2e.click_field(ROLE).await;
            wait_options(
                &e2e,
                ROLE,
                &["AliyunEMRSparkJobRunDefaultRole", "AdminSparkRole"],
            )
            .await;
            e2e.press_key(Key::Up).await;
            assert_eq!(
                active_option(&e2e, ROLE).await.as_deref(),
                Some("ws-ramRoleName-choices-1")
            );
            e2e.press_key(Key::Enter).await;
            e2e.press_key(Key::Tab).await;
            // The chosen role was checked, and Spark may assume it: no warning.
            wait_for("GetRole of the chosen role", async || {
                account_calls(&e2e)
                    .contains(&"/api/account/roles/AdminSparkRole".to_owned())
                    .then_some(())
            })
            .await;
            assert!(!description(&e2e, ROLE).await.contains("Warning"));

            let (workspace_id, body) = submit_and_wait(&e2e).await;
            assert!(workspace_id.starts_with("w-"), "{workspace_id}");
            assert_eq!(body["ossBucket"], "oss://fx-lake-hz/");
            assert_eq!(body["dlfCatalogId"], "clg-paimon-fx0001");
            assert_eq!(body["ramRoleName"], "AdminSparkRole");
        },
    );
}

fn the_custom_element_has_the_choosers_with_nothing_to_configure(browser: Browser) {
    run(
        browser,
        "choosers_custom_element",
        DESKTOP,
        Duration::ZERO,
        |e2e| async move {
            // The README's page, as it is: region cn-shanghai, its own id prefix.
            let page = include_str!("../../examples/custom-element.html");
            let url = e2e.serve_page("custom-element.html", page);
            e2e.client.goto(&url).await.unwrap();
            e2e.click_field(OSS).await;
            wait_options(&e2e, OSS, &["spark-demo-sh"]).await;
            e2e.press_key(Key::Down).await;
            e2e.press_key(Key::Enter).await;
            assert_eq!(e2e.value_of(OSS).await, "oss://spark-demo-sh/");
        },
    );
}

fn the_resource_group_chooser_offers_the_accounts_groups_and_fills_the_id(browser: Browser) {
    run(
        browser,
        "choosers_resource_group",
        DESKTOP,
        Duration::ZERO,
        |mut e2e| async move {
            e2e.server.set_fixtures(
                r#"{"resourceGroups": [
                  {"id": "rg-fxdata0001", "name": "data", "displayName": "Data team"},
                  {"id": "rg-fxold0002", "name": "old", "displayName": "Old team", "status": "PendingDelete"},
                  {"id": "rg-fxops0003", "name": "ops"}
                ]}"#,
            );
            e2e.open().await;
            assert!(account_calls(&e2e).is_empty(), "{:?}", account_calls(&e2e));

            // Display name and id side by side (the name when there is no display name); a group that is not OK
            // is shown as unavailable.
            e2e.click_field(GROUP).await;
            let shown = wait_options(&e2e, GROUP, &["Data", "Old", "ops"]).await;
            assert_eq!(
                shown,
                [
                    ("Data team rg-fxdata0001".to_owned(), false),
                    (
                        "Old team rg-fxold0002 · unavailable: PendingDelete".to_owned(),
                        true
                    ),
                    ("ops rg-fxops0003".to_owned(), false),
                ]
            );
            e2e.screenshot_viewport("open").await;
            let violations = serious_violations(&e2e, &axe_source()).await;
            assert!(violations.is_empty(), "{violations:#?}");

            // The keyboard skips the unavailable group; Enter fills the id.
            e2e.press_key(Key::Down).await;
            e2e.press_key(Key::Down).await;
            assert_eq!(
                active_option(&e2e, GROUP).await.as_deref(),
                Some("ws-resourceGroupId-choices-2"),
                "the unavailable group was highlighted"
            );
            e2e.press_key(Key::Enter).await;
            assert_eq!(e2e.value_of(GROUP).await, "rg-fxops0003");

            // Typing filters, the mouse picks.
            e2e.replace_in(GROUP, "data").await;
            wait_options(&e2e, GROUP, &["Data"]).await;
            e2e.by_id("ws-resourceGroupId-choices-0")
                .await
                .click()
                .await
                .unwrap();
            assert_eq!(e2e.value_of(GROUP).await, "rg-fxdata0001");
            // Account-wide: asked once, with no region.
            assert_eq!(account_calls(&e2e), ["/api/account/resource-groups"]);

            e2e.type_into("Workspace name", "chosen-group").await;
            e2e.type_into("Resource quota (CU)", "8").await;
            e2e.type_into(OSS, "oss://typed-bucket/").await;
            let (workspace_id, body) = submit_and_wait(&e2e).await;
            assert!(workspace_id.starts_with("w-"), "{workspace_id}");
            assert_eq!(body["resourceGroupId"], "rg-fxdata0001");
        },
    );
}
