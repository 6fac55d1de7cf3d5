//! End-to-end tests of what goes beyond the form itself: the request preview's snippets run for real, the custom
//! element on a plain page under a host page's strict Content-Security-Policy, the region's workspaces, and light and
//! dark in both languages checked with axe-core.
//!
//! Run: `cargo test -p workspace-console --test e2e -- features::`.

use std::{
    process::Command,
    sync::{Mutex, PoisonError},
    time::Duration,
};

use crate::support::{
    Browser, DESKTOP, E2e, REGION, axe_source, repo_root, run, serious_violations, wait_for,
};
use serde_json::json;

in_both_browsers!(
    on_a_phone_request_shows_the_preview_and_closing_returns_to_the_toggle,
    the_node_snippet_runs_against_a_verifying_emulator_and_the_form_then_makes_no_second_workspace,
    the_previews_snippets_run_and_the_form_then_makes_no_second_workspace,
    the_open_preview_covers_no_field_wide_or_narrow_and_its_tabs_follow_the_arrow_keys,
    the_custom_element_works_alone_on_a_plain_page_under_a_strict_csp,
    the_regions_workspaces_are_listed_paged_and_followed_while_starting,
    light_and_dark_in_both_languages_have_no_serious_accessibility_violations,
);

/// The page the README shows for the custom element, byte for byte.
const CUSTOM_ELEMENT_PAGE: &str = include_str!("../../examples/custom-element.html");

/// The strict policy the README says a host page may send with the element (no 'unsafe-inline', no 'unsafe-eval'),
/// byte for byte; the page above is served under exactly this one.
const HOST_PAGE_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The text of an element by id (`innerText`, as a person reads it), or `None` when it is not there.
async fn text_of(e2e: &E2e, id: &str) -> Option<String> {
    e2e.js_with(
        "const e = document.getElementById(arguments[0]); return e ? e.innerText : null;",
        vec![json!(id)],
    )
    .await
    .as_str()
    .map(str::to_owned)
}

async fn value_by_id(e2e: &E2e, id: &str) -> serde_json::Value {
    e2e.js_with(
        "return document.getElementById(arguments[0]).value;",
        vec![json!(id)],
    )
    .await
}

/// Held while a test installs into `target/node-snippet`, runs its script there and restarts its server around it.
/// Each test of this file runs in both browsers, and the suite runs them side by side (`--test-threads=4`): both
/// variants of the Node.js test are in this process at once, sharing that one folder. An `npm install` into it
/// breaks another one under way (ENOTEMPTY) and the other's `node` run (a package missing halfway), so one test at a
/// time installs and runs. The server's restarts are inside too: a process the other variant spawns holds a copy of
/// every socket of this process until it execs, so a `Server::stop` at that instant could still find its port
/// answering ("still accepts connections"), which it did when this lock was let go before the restart.
static NODE_SNIPPET_DIR: Mutex<()> = Mutex::new(());

/// The workspace ids the emulator holds in the test region.
fn stored_ids(e2e: &E2e) -> Vec<String> {
    e2e.emulator()
        .list(REGION)
        .into_iter()
        .map(|w| w.workspace_id)
        .collect()
}

/// Runs a snippet the way a person pastes it into a terminal: `sh -c` for curl, the project's Python with the
/// official SDK for Python. Gives what it printed.
fn run_snippet(program: &str, args: &[&str], env: &[(&str, String)]) -> String {
    let out = Command::new(program)
        .args(args)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{program} failed: {}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The workspace id in what a snippet printed: curl's JSON, or the SDK's `to_map()` (a Python dict).
fn workspace_id_in(printed: &str) -> String {
    let at = printed
        .find("w-")
        .unwrap_or_else(|| panic!("no workspace id in {printed}"));
    printed[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

fn the_previews_snippets_run_and_the_form_then_makes_no_second_workspace(browser: Browser) {
    run(browser, "snippets", DESKTOP, Duration::ZERO, async |e2e| {
        e2e.open().await;
        e2e.fill_minimal("from-snippets", "8", "oss://lake-01/")
            .await;
        e2e.click_button("Add tag").await;
        e2e.type_into("Key 1", "env").await;
        e2e.type_into("Value (optional) 1", "it's \"quoted\"").await;
        // The toggle beside the submit button, then each tab.
        e2e.click_button("Request").await;
        let curl = tab_text(&e2e, "curl", "ws-request-curl").await;
        let python = tab_text(&e2e, "Python", "ws-request-python").await;
        let body = tab_text(&e2e, "JSON", "ws-request-body").await;
        let token = e2e.value_of("Client token").await;
        assert!(
            curl.contains(&format!(r#""clientToken":"{token}""#)),
            "{curl}"
        );
        assert!(
            python.contains(&format!(r#"client_token="{token}""#)),
            "{python}"
        );
        assert!(
            body.contains(r#""tag":[{"key":"env","value":"it's \"quoted\""}]"#),
            "{body}"
        );
        // Each code block is labelled and has its copy button.
        for (block, button) in [
            ("ws-request-body", "Copy JSON"),
            ("ws-request-curl", "Copy curl"),
            ("ws-request-python", "Copy Python"),
            ("ws-request-node", "Copy Node.js"),
            ("ws-request-ros-yaml", "Copy ROS (YAML)"),
            ("ws-request-ros-json", "Copy ROS (JSON)"),
        ] {
            let label = e2e
                .js_with(
                    "const e = document.getElementById(arguments[0]); \
                     return document.getElementById(e.getAttribute('aria-labelledby')).innerText;",
                    vec![json!(block)],
                )
                .await;
            assert!(!label.as_str().unwrap_or_default().is_empty(), "{block}");
            let found = e2e
                .js_with(
                    "return [...document.querySelectorAll('button')].some(b => b.getAttribute('aria-label') === arguments[0]);",
                    vec![json!(button)],
                )
                .await;
            assert_eq!(found, json!(true), "{button}");
        }
        e2e.screenshot("01-request-preview").await;

        // curl, as copied, against this page's API.
        let from_curl = workspace_id_in(&run_snippet("sh", &["-c", &curl], &[]));
        assert_eq!(stored_ids(&e2e), vec![from_curl.clone()]);
        // Python with the official SDK, pointed at this server as the snippet says.
        // A file of this test's own (its name carries the browser): both browsers' variants run at once in this
        // process, and with one file shared by them a variant could run the other page's token, or find the
        // file removed by the other.
        let script =
            std::env::temp_dir().join(format!("ws-snippet-{}-{}.py", e2e.name, std::process::id()));
        std::fs::write(&script, &python).unwrap();
        let python_bin = repo_root().join("target/py/bin/python");
        let env = [
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-e2e".to_owned()),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "e2e-secret".to_owned()),
            ("EMR_SERVERLESS_SPARK_ENDPOINT", e2e.server.url("")),
        ];
        let from_python = workspace_id_in(&run_snippet(
            python_bin.to_str().unwrap(),
            &[script.to_str().unwrap()],
            &env,
        ));
        std::fs::remove_file(&script).ok();
        assert_eq!(
            from_python, from_curl,
            "the same token and body: the same workspace"
        );

        // Then the form itself: the same workspace again, not a second one.
        e2e.submit_button().await.click().await.unwrap();
        let (from_form, _, _) = e2e.wait_result().await;
        assert_eq!(from_form, from_curl);
        assert_eq!(stored_ids(&e2e), [from_curl]);
        let creates = e2e.server.creates();
        assert_eq!(creates.len(), 3, "curl, Python and the form");
        assert!(creates.iter().all(|c| c.status == 200));
        // All three sent the same body, byte for byte: the SDK's form is the form's.
        assert!(creates.iter().all(|c| c.body == body), "{creates:#?}");
    });
}

/// The preview's tab named `tab`, clicked, and the text of its block `id` once worked out.
async fn tab_text(e2e: &E2e, tab: &str, id: &str) -> String {
    let tab_el = e2e
        .client
        .find(fantoccini::Locator::XPath(&format!(
            "//button[@role='tab'][normalize-space(.)='{tab}']"
        )))
        .await
        .unwrap_or_else(|e| panic!("no tab {tab:?}: {e}"));
    e2e.click(&tab_el, tab).await;
    wait_for(&format!("the {tab} block"), async || {
        text_of(e2e, id).await.filter(|t| !t.is_empty())
    })
    .await
}

/// Seen on a phone: the preview opens below the whole form, so "Request" must bring it to where the person is
/// (focus in it, its top in view); Escape closes it and focus goes back to the toggle, which the toggle itself,
/// pressed again, keeps.
fn on_a_phone_request_shows_the_preview_and_closing_returns_to_the_toggle(browser: Browser) {
    run(
        browser,
        "preview-phone",
        (390, 844),
        Duration::ZERO,
        async |e2e| {
            e2e.open().await;
            // Where the preview is, as the person sees it: shown, and its title on screen, covered by nothing.
            let in_view = async || {
                e2e.js(
                    "const p = document.getElementById('ws-request'); \
                     const r = document.getElementById('ws-request-title').getBoundingClientRect(); \
                     const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); \
                     return [!p.hidden, r.top >= 0 && r.bottom <= window.innerHeight && !!hit && p.contains(hit), \
                             Math.round(r.top)];",
                )
                .await
            };
            // The person is at the top of the form; the toggle is in the sticky bar at the bottom of the screen.
            e2e.js("window.scrollTo(0, 0);").await;
            e2e.button("Request").await.click().await.unwrap();
            e2e.wait_focus("ws-request").await;
            let place = in_view().await;
            assert_eq!(
                (&place[0], &place[1]),
                (&json!(true), &json!(true)),
                "the opened preview (shown, title in view, title's top): {place}"
            );
            e2e.screenshot_viewport("01-opened").await;

            // Escape, from anywhere in it: closed, and focus back on the toggle, in sight.
            tab_text(&e2e, "curl", "ws-request-curl").await;
            e2e.press_key(fantoccini::key::Key::Escape).await;
            e2e.wait_focus("ws-request-toggle").await;
            assert!(
                e2e.attr("ws-request", "hidden").await.is_some(),
                "Escape left the preview open"
            );
            let (focused, seen) = e2e.focused_is_unobscured().await;
            assert!(seen, "the toggle has focus but cannot be seen ({focused})");
            e2e.screenshot_viewport("02-closed").await;

            // By keyboard the same: Enter opens it in view; the toggle, pressed again, closes it and keeps focus.
            e2e.press_key(fantoccini::key::Key::Enter).await;
            e2e.wait_focus("ws-request").await;
            assert_eq!(in_view().await[1], json!(true), "opened by Enter");
            let toggle = e2e.by_id("ws-request-toggle").await;
            e2e.click(&toggle, "Request").await;
            wait_for("the preview to close", async || {
                (e2e.attr("ws-request", "hidden").await.is_some()).then_some(())
            })
            .await;
            assert_eq!(e2e.focused_id().await, "ws-request-toggle");
        },
    );
}

fn the_node_snippet_runs_against_a_verifying_emulator_and_the_form_then_makes_no_second_workspace(
    browser: Browser,
) {
    run(
        browser,
        "node-snippet",
        DESKTOP,
        Duration::ZERO,
        async |mut e2e| {
            e2e.open().await;
            e2e.fill_minimal("from-node", "8", "oss://lake-01/").await;
            e2e.click_button("Add tag").await;
            e2e.type_into("Key 1", "env").await;
            e2e.type_into("Value (optional) 1", "it's \"quoted\" 数据")
                .await;
            e2e.click_button("Request").await;
            let body = tab_text(&e2e, "JSON", "ws-request-body").await;
            let node = tab_text(&e2e, "Node.js", "ws-request-node").await;
            let token = e2e.value_of("Client token").await;
            assert!(
                node.contains(&format!(r#""clientToken":"{token}""#)),
                "{node}"
            );
            e2e.screenshot("01-node-tab").await;

            // The packages exactly as the snippet's first line installs them, into a folder of target/, never globally.
            let install = node
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("// npm install "))
                .unwrap_or_else(|| panic!("no install line first in\n{node}"));
            let dir = repo_root().join("target/node-snippet");
            std::fs::create_dir_all(&dir).unwrap();
            // Until node has run and the server stops checking: no other test installs meanwhile (NODE_SNIPPET_DIR).
            let installed = NODE_SNIPPET_DIR
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let mut npm = vec![
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                dir.to_str().unwrap(),
            ];
            npm.extend(install.split_whitespace());
            run_snippet("npm", &npm, &[]);
            // A script of this test's own (its name carries the browser). Both browsers' variants run side by
            // side; with one shared `create-workspace.mjs`, the other variant's write could land between this
            // one's write and its `node` run, which then sent the other page's client token: a workspace this
            // form's token does not name, and the form's submit made a second one (seen once in Chromium).
            let script = dir.join(format!("create-workspace-{}.mjs", e2e.name));
            std::fs::write(&script, &node).unwrap();

            // Signatures checked, as Alibaba Cloud would: a wrong secret is refused, the right one creates.
            let key = ("LTAI-node-e2e", "node-e2e-secret");
            e2e.server.set_verify_key(Some(key));
            let env = |secret: &str| {
                [
                    ("ALIBABA_CLOUD_ACCESS_KEY_ID", key.0.to_owned()),
                    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret.to_owned()),
                    ("EMR_SERVERLESS_SPARK_ENDPOINT", e2e.server.url("")),
                ]
            };
            let refused = Command::new("node")
                .arg(&script)
                .envs(env("wrong").iter().map(|(k, v)| (*k, v.as_str())))
                .output()
                .unwrap();
            assert!(!refused.status.success(), "a wrong secret was accepted");
            assert!(stored_ids(&e2e).is_empty());
            let from_node = workspace_id_in(&run_snippet(
                "node",
                &[script.to_str().unwrap()],
                &env(key.1),
            ));
            assert_eq!(stored_ids(&e2e), vec![from_node.clone()]);

            // Then the form (the page signs nothing: the server stops checking): the same workspace again.
            e2e.server.set_verify_key(None);
            drop(installed);
            e2e.submit_button().await.click().await.unwrap();
            let (from_form, _, _) = e2e.wait_result().await;
            assert_eq!(from_form, from_node);
            assert_eq!(stored_ids(&e2e), [from_node]);
            let creates: Vec<_> = e2e
                .server
                .creates()
                .into_iter()
                .filter(|c| c.status == 200)
                .collect();
            assert_eq!(creates.len(), 2, "node and the form");
            assert!(creates.iter().all(|c| c.body == body), "{creates:#?}");
        },
    );
}

fn the_open_preview_covers_no_field_wide_or_narrow_and_its_tabs_follow_the_arrow_keys(
    browser: Browser,
) {
    for (name, size) in [
        ("preview-wide", (1280, 800)),
        ("preview-narrow", (390, 800)),
    ] {
        run(browser, name, size, Duration::ZERO, async move |e2e| {
            e2e.open().await;
            e2e.click_button("Add instance type").await;
            e2e.click_button("Add tag").await;
            e2e.choose("Billing method", "Subscription").await;
            e2e.click_field("Renew automatically").await;
            e2e.click_button("Request").await;
            tab_text(&e2e, "ROS (YAML)", "ws-request-ros-yaml").await;
            let (stops, hidden) = e2e.tab_to_submit().await;
            assert!(stops.len() >= 20, "suspiciously few tab stops: {stops:?}");
            assert!(
                hidden.is_empty(),
                "focused but covered with the preview open: {hidden:?}"
            );
            e2e.screenshot_viewport("01-submit-focused").await;
            // Where the preview is: beside the form when wide, below the submit button when narrow; and the
            // sticky bar holds no more than a small share of the viewport.
            let place = e2e
                .js(
                    "const p = document.getElementById('ws-request').getBoundingClientRect(); \
                     const f = document.querySelector('form.ws-form').getBoundingClientRect(); \
                     const bar = document.querySelector('.ws-actions').getBoundingClientRect(); \
                     return [p.left >= f.right, p.top + scrollY >= f.bottom + scrollY - 1, bar.height / innerHeight];",
                )
                .await;
            let wide = size.0 >= 1100;
            assert_eq!(place[0], json!(wide), "beside the form: {place}");
            assert_eq!(place[1], json!(!wide), "below the form: {place}");
            assert!(
                place[2].as_f64().unwrap() < 0.15,
                "the sticky bar is {place}"
            );
            // Every tab's block fits the width: the page never scrolls sideways.
            for (tab, id) in [
                ("JSON", "body"),
                ("curl", "curl"),
                ("Python", "python"),
                ("Node.js", "node"),
                ("ROS (YAML)", "ros-yaml"),
                ("ROS (JSON)", "ros-json"),
            ] {
                tab_text(&e2e, tab, &format!("ws-request-{id}")).await;
                let (scroll, client) = e2e.horizontal_overflow().await;
                assert!(scroll <= client, "{tab}: {scroll} wide in {client}");
            }

            // The tabs: one tab stop, arrows move along and show the tab reached.
            let first = e2e.by_id("ws-request-tab-body").await;
            e2e.click(&first, "JSON").await;
            let selected = async || {
                e2e.js("return [document.activeElement.id, document.querySelector('[role=tab][aria-selected=true]').id, \
                        [...document.querySelectorAll('[role=tabpanel]')].filter(p => !p.hidden).map(p => p.id)];")
                    .await
            };
            e2e.press_key(fantoccini::key::Key::Right).await;
            assert_eq!(
                selected().await,
                json!([
                    "ws-request-tab-curl",
                    "ws-request-tab-curl",
                    ["ws-request-panel-curl"]
                ])
            );
            e2e.press_key(fantoccini::key::Key::End).await;
            assert_eq!(selected().await[1], json!("ws-request-tab-ros-json"));
            e2e.press_key(fantoccini::key::Key::Right).await;
            assert_eq!(selected().await[1], json!("ws-request-tab-body"));
            e2e.press_key(fantoccini::key::Key::Left).await;
            e2e.press_key(fantoccini::key::Key::Home).await;
            assert_eq!(selected().await[0], json!("ws-request-tab-body"));
        });
    }
}

fn the_custom_element_works_alone_on_a_plain_page_under_a_strict_csp(browser: Browser) {
    run(
        browser,
        "custom-element",
        DESKTOP,
        Duration::from_millis(500),
        async |e2e| {
            // The README shows exactly this page, and exactly this policy.
            let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
            assert!(
                readme.contains(CUSTOM_ELEMENT_PAGE.trim()),
                "README lacks examples/custom-element.html"
            );
            assert!(
                readme.contains(&format!("Content-Security-Policy: {HOST_PAGE_POLICY}")),
                "README lacks the host page's policy the test serves"
            );
            for loose in ["'unsafe-inline'", "'unsafe-eval'", "*", "data:"] {
                assert!(
                    !HOST_PAGE_POLICY.contains(loose),
                    "the policy allows {loose}"
                );
            }
            let url = e2e.serve_page_under_policy(
                "custom-element.html",
                CUSTOM_ELEMENT_PAGE,
                HOST_PAGE_POLICY,
            );
            e2e.client.goto(&url).await.unwrap();
            // The test's policy is the one the page gets, not the server's own.
            assert_eq!(
                e2e.js("return fetch(location.href).then(r => r.headers.get('content-security-policy'));")
                    .await,
                json!(HOST_PAGE_POLICY)
            );
            // The element chose its own id prefix; the region came from its attribute.
            let name_id = wait_for("the element's form", async || {
            let id = e2e
                .js("const i = document.querySelector('create-workspace-form input[id$=\"-workspaceName\"]'); \
                     return i && i.offsetParent !== null ? i.id : null;")
                .await;
            id.as_str().map(str::to_owned)
        })
        .await;
            let prefix = name_id.trim_end_matches("-workspaceName").to_owned();
            assert_eq!(
                e2e.js("return !!customElements.get('create-workspace-form');")
                    .await,
                json!(true)
            );
            let region = format!("{prefix}-regionId");
            assert_eq!(value_by_id(&e2e, &region).await, json!("cn-shanghai"));
            e2e.screenshot("01-plain-page").await;

            // Attributes changed after mount take effect.
            e2e.js("const el = document.querySelector('create-workspace-form'); \
                el.setAttribute('locale', 'zh'); el.setAttribute('region', 'cn-beijing'); el.setAttribute('theme', 'dark');")
            .await;
            wait_for("Chinese, Beijing and dark", async || {
                let state = e2e
                    .js_with(
                        "const el = document.querySelector('create-workspace-form'); \
                     return [document.querySelector(`label[for=\"${arguments[0]}\"]`).innerText, \
                             document.getElementById(arguments[1]).value, \
                             el.querySelector('.ws-console').dataset.theme || null];",
                        vec![json!(name_id), json!(region)],
                    )
                    .await;
                (state[0]
                    .as_str()
                    .is_some_and(|l| l.contains("工作空间名称"))
                    && state[1] == json!("cn-beijing")
                    && state[2] == json!("dark"))
                .then_some(())
            })
            .await;
            e2e.screenshot("02-attributes-changed").await;

            // A second element on the same page keeps to itself.
            e2e.js("const two = document.createElement('create-workspace-form'); two.setAttribute('locale', 'en'); \
                document.body.append(two);")
            .await;
            let forms = wait_for("two forms", async || {
            let ids = e2e
                .js("return [...document.querySelectorAll('create-workspace-form input[id$=\"-workspaceName\"]')].map(i => i.id);")
                .await;
            let ids: Vec<String> = serde_json::from_value(ids).ok()?;
            (ids.len() == 2).then_some(ids)
        })
        .await;
            assert_ne!(forms[0], forms[1], "each element has its own ids");
            let first = e2e
                .client
                .find(fantoccini::Locator::Id(&forms[0]))
                .await
                .unwrap();
            e2e.click(&first, "the first name").await;
            first.send_keys("only-in-the-first").await.unwrap();
            assert_eq!(
                value_by_id(&e2e, &forms[1]).await,
                json!(""),
                "the second form shares no state"
            );

            // The event: bubbling, composed, with the ids and the region.
            e2e.js(
                "window.__created = []; document.addEventListener('workspace-created', e => \
                window.__created.push({detail: e.detail, bubbles: e.bubbles, composed: e.composed, \
                from: e.target.tagName}));",
            )
            .await;
            for (suffix, text) in [("resourceSpec-cu", "8"), ("ossBucket", "oss://lake-01/")] {
                let input = e2e
                    .client
                    .find(fantoccini::Locator::Id(&format!("{prefix}-{suffix}")))
                    .await
                    .unwrap();
                e2e.click(&input, suffix).await;
                input.send_keys(text).await.unwrap();
            }
            let submit = e2e
                .client
                .find(fantoccini::Locator::Css(
                    "create-workspace-form button[type=submit]",
                ))
                .await
                .unwrap();
            e2e.click(&submit, "the first form's submit").await;
            let event = wait_for("the workspace-created event", async || {
                let events = e2e.js("return window.__created;").await;
                events.as_array().and_then(|a| a.first().cloned())
            })
            .await;
            assert_eq!(event["bubbles"], json!(true));
            assert_eq!(event["composed"], json!(true));
            assert_eq!(event["from"], json!("CREATE-WORKSPACE-FORM"));
            let detail = event["detail"].as_object().unwrap();
            let mut keys: Vec<&str> = detail.keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(
                keys,
                ["operationId", "regionId", "requestId", "workspaceId"]
            );
            assert_eq!(detail["regionId"], json!("cn-beijing"));
            let stored = e2e.emulator().list("cn-beijing");
            assert_eq!(stored.len(), 1);
            assert_eq!(detail["workspaceId"], json!(stored[0].workspace_id));
            assert_eq!(stored[0].workspace_name, "only-in-the-first");
            e2e.screenshot("03-created-dark-zh").await;

            // The element's stylesheet applied (a <link> from its own origin, which style-src 'self' allows) ...
            assert_eq!(
                e2e.js("return getComputedStyle(document.querySelector('create-workspace-form .ws-console')).maxWidth;")
                    .await,
                json!("960px"),
                "main.css did not apply under the policy"
            );
            // ... and nothing it did broke the policy. The page's violations come back as reports (the server
            // adds a report-only copy of the policy); an inline style, which the policy forbids, is added last, so
            // its report shows the channel works and marks the moment every earlier report has arrived.
            e2e.js("const s = document.createElement('style'); s.textContent = '.probe { color: red }'; \
                    document.head.append(s);")
                .await;
            // Firefox checks its own /favicon.ico request against the page's policy too: the README's policy has
            // img-src 'self' for it, so it is no violation (a missing icon is a plain 404).
            let reports = wait_for("the probe's violation report", async || {
                let reports = e2e.server.csp_reports();
                reports
                    .iter()
                    .any(|r| {
                        r["csp-report"]["violated-directive"]
                            .as_str()
                            .is_some_and(|d| d.starts_with("style-src"))
                    })
                    .then_some(reports)
            })
            .await;
            assert_eq!(
                reports.len(),
                1,
                "CSP violations under the README's policy (the last one is the test's own): {reports:#?}"
            );
        },
    );
}

fn the_regions_workspaces_are_listed_paged_and_followed_while_starting(browser: Browser) {
    run(
        browser,
        "workspace-list",
        DESKTOP,
        // Long enough that the batch is still starting when the page has loaded and the panel opened on a busy
        // two-core machine (2.5 s was not, under two browsers' runs at once), short enough to wait for.
        Duration::from_millis(6000),
        async |e2e| {
            for i in 0..12 {
                let body = json!({"workspaceName": format!("batch-{i:02}"), "resourceSpec": {"cu": "8"}, "ossBucket": "oss://lake-01/"});
                let (status, answer) = e2e.server.api(
                    "POST",
                    &format!("/api/v1/workspaces?regionId={REGION}"),
                    Some(&body),
                );
                assert_eq!(status, 200, "{answer}");
            }
            e2e.open().await;
            let summary = e2e
                .client
                .find(fantoccini::Locator::XPath(
                    "//summary[starts-with(normalize-space(.), 'Workspaces in')]",
                ))
                .await
                .expect("the workspaces panel");
            assert_eq!(
                summary.text().await.unwrap(),
                format!("Workspaces in {REGION}")
            );
            e2e.click(&summary, "the workspaces panel").await;
            let rows = async || {
                e2e.js(
                    "return [...document.querySelectorAll('.ws-table tbody tr')].map(r => \
                    [...r.cells].map(c => c.innerText.trim()));",
                )
                .await
            };
            let first_page = wait_for("the first page", async || {
                let r = rows().await;
                (r.as_array().map(Vec::len) == Some(10)).then_some(r)
            })
            .await;
            // Newest first; name, id, status, creation time.
            assert_eq!(first_page[0][0], json!("batch-11"));
            assert!(first_page[0][1].as_str().unwrap().starts_with("w-"));
            assert_eq!(first_page[0][2], json!("Starting"));
            assert!(!first_page[0][3].as_str().unwrap().is_empty());
            assert!(
                e2e.js("return document.querySelector('.ws-pager__where').innerText;")
                    .await
                    .as_str()
                    .unwrap()
                    .contains("12")
            );
            e2e.click_button("Next page").await;
            wait_for("the second page", async || {
                let r = rows().await;
                (r.as_array().map(Vec::len) == Some(2) && r[1][0] == json!("batch-00"))
                    .then_some(())
            })
            .await;
            e2e.click_button("Previous page").await;
            wait_for("the first page again", async || {
                (rows().await.as_array().map(Vec::len) == Some(10)).then_some(())
            })
            .await;
            // They turn Running without anyone clicking Refresh: the panel looks again while any is starting.
            wait_for("the batch to be running", async || {
                let r = rows().await;
                r.as_array()?
                    .iter()
                    .all(|row| row[2] == json!("Running"))
                    .then_some(())
            })
            .await;

            // A new one from the form: marked, and followed until it runs.
            e2e.fill_minimal("from-the-form", "8", "oss://lake-01/")
                .await;
            e2e.submit_button().await.click().await.unwrap();
            let (id, _, _) = e2e.wait_result().await;
            let marked = wait_for("the new workspace, marked", async || {
                let mine = e2e
                    .js("const r = document.querySelector('.ws-table__row--mine'); \
                     return r && [r.dataset.workspaceId, r.innerText];")
                    .await;
                (mine[0] == json!(id)).then_some(mine)
            })
            .await;
            assert!(
                marked[1].as_str().unwrap().contains("just created"),
                "{marked}"
            );
            assert!(marked[1].as_str().unwrap().contains("Starting"), "{marked}");
            e2e.screenshot("01-list-with-new").await;
            wait_for("the new workspace to run", async || {
            let text = e2e.js("const r = document.querySelector('.ws-table__row--mine'); return r && r.innerText;").await;
            text.as_str().is_some_and(|t| t.contains("Running")).then_some(())
        })
        .await;
            e2e.screenshot("02-list-running").await;
        },
    );
}

fn light_and_dark_in_both_languages_have_no_serious_accessibility_violations(browser: Browser) {
    run(
        browser,
        "themes-axe",
        DESKTOP,
        Duration::from_millis(500),
        async |e2e| {
            let axe = axe_source();
            let mut failures = Vec::new();
            for scheme in ["light", "dark"] {
                for (language, option) in [("en", "English"), ("zh", "中文")] {
                    // The browser's preference decides the colours (no theme is set).
                    e2e.prefer_color_scheme(scheme).await;
                    e2e.client.goto(&e2e.server.url("/")).await.unwrap();
                    e2e.js("localStorage.clear();").await;
                    e2e.open().await;
                    e2e.choose("Language", option).await;
                    // The page's colours are the scheme's (--ws-color-page, light or dark).
                    let background = e2e
                    .js("return getComputedStyle(document.querySelector('.ws-console')).backgroundColor;")
                    .await;
                    let want = if scheme == "dark" {
                        "rgb(21, 23, 27)"
                    } else {
                        "rgb(242, 243, 245)"
                    };
                    assert_eq!(background, json!(want), "{scheme}");
                    let mut check = async |state: &str| {
                        let step = format!("{scheme}-{language}-{state}");
                        e2e.screenshot(&step).await;
                        for v in serious_violations(&e2e, &axe).await {
                            failures.push(format!("{step}: {v}"));
                        }
                    };
                    check("empty").await;
                    // Errors shown: submit the empty form.
                    e2e.submit_button().await.click().await.unwrap();
                    wait_for("the error summary", async || {
                        e2e.js("return document.querySelector('.ws-summary--shown') !== null;")
                            .await
                            .as_bool()
                            .filter(|b| *b)
                    })
                    .await;
                    check("errors").await;
                    // The request preview open, beside the form, on its Node.js tab.
                    e2e.js("document.querySelector('button[aria-controls=ws-request]').click();")
                        .await;
                    e2e.js("document.getElementById('ws-request-tab-node').click();")
                        .await;
                    wait_for("the Node.js block", async || {
                        text_of(&e2e, "ws-request-node")
                            .await
                            .filter(|t| !t.is_empty())
                    })
                    .await;
                    check("preview").await;
                    // A result.
                    let name = e2e
                        .client
                        .find(fantoccini::Locator::Id("ws-workspaceName"))
                        .await
                        .unwrap();
                    name.send_keys(&format!("axe-{scheme}-{language}"))
                        .await
                        .unwrap();
                    for (id, text) in [
                        ("ws-resourceSpec-cu", "8"),
                        ("ws-ossBucket", "oss://lake-01/"),
                    ] {
                        let input = e2e.client.find(fantoccini::Locator::Id(id)).await.unwrap();
                        e2e.click(&input, id).await;
                        input.send_keys(text).await.unwrap();
                    }
                    e2e.submit_button().await.click().await.unwrap();
                    e2e.wait_result().await;
                    check("result").await;
                }
            }
            assert!(
                failures.is_empty(),
                "serious or critical violations:\n{}",
                failures.join("\n")
            );
        },
    );
}
