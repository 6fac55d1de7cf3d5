//! End to end, the README's first way in: a Leptos app of its own (`examples/leptos-app`, a crate that depends on
//! this one as a user's app does, with the stylesheet the README says to link), built by trunk into
//! `target/leptos-app/` (`./dev test` does it: build_example) and served by workspace-server in this process.
//!
//! Run: `cargo test -p workspace-console --test e2e -- example::`.

use std::{path::PathBuf, time::Duration};

use crate::support::{Browser, DESKTOP, REGION, is_prefixed_id, repo_root, run_serving, wait_for};
use serde_json::json;

in_both_browsers!(a_leptos_app_gets_the_forms_styles_and_its_on_created_callback,);

/// The example app's build (`E2E_EXAMPLE_DIST`, or `target/leptos-app`); a clear failure when it is missing.
fn example_dist() -> PathBuf {
    let dist = repo_root()
        .join(std::env::var("E2E_EXAMPLE_DIST").unwrap_or_else(|_| "target/leptos-app".to_owned()));
    assert!(
        dist.join("index.html").is_file(),
        "{} is missing: build the example app first (`./dev test` does; by hand: \
         `cd examples/leptos-app && trunk build --dist ../../target/leptos-app`)",
        dist.join("index.html").display()
    );
    dist
}

fn a_leptos_app_gets_the_forms_styles_and_its_on_created_callback(browser: Browser) {
    run_serving(
        browser,
        "leptos-app",
        DESKTOP,
        Duration::from_millis(500),
        example_dist,
        async |e2e| {
            e2e.client.goto(&e2e.server.url("/")).await.unwrap();
            // The app's own heading and line, then the form inside it (the component's default ids).
            e2e.wait_for_form().await;
            assert_eq!(
                e2e.js("return document.querySelector('h1').innerText;")
                    .await,
                json!("My Spark admin")
            );
            assert_eq!(
                e2e.js("return document.getElementById('admin-created').innerText;")
                    .await,
                json!("No workspace created yet")
            );

            // The component's stylesheet reached the app: its custom properties and its layout rules apply.
            let styles = e2e
                .js("const c = getComputedStyle(document.querySelector('.ws-console')); \
                     const b = getComputedStyle(document.querySelector('form.ws-form button[type=submit]')); \
                     return [c.getPropertyValue('--ws-max-width').trim(), c.maxWidth, b.backgroundColor];")
                .await;
            assert_eq!(
                styles[0],
                json!("960px"),
                "no --ws-max-width: main.css is not on the page"
            );
            assert_eq!(
                styles[1],
                json!("960px"),
                ".ws-console's max-width did not apply"
            );
            // --ws-color-primary in light (the app pins Theme::Light).
            assert_eq!(
                styles[2],
                json!("rgb(0, 100, 200)"),
                "the submit button is not styled"
            );
            e2e.screenshot("01-app").await;

            // Fill the required fields by their labels, submit, and see the app's own callback output.
            e2e.fill_minimal("from-a-leptos-app", "8", "oss://lake-01/")
                .await;
            let submit = e2e.submit_button().await;
            e2e.click(&submit, "Create workspace").await;
            let line = wait_for("the app's on_created line", async || {
                let text = e2e
                    .js("return document.getElementById('admin-created').innerText;")
                    .await;
                text.as_str()
                    .filter(|t| t.starts_with("Created "))
                    .map(str::to_owned)
            })
            .await;
            let stored = e2e.emulator().list(REGION);
            assert_eq!(stored.len(), 1, "one workspace");
            assert_eq!(stored[0].workspace_name, "from-a-leptos-app");
            let id = &stored[0].workspace_id;
            assert!(is_prefixed_id(id, "w-"), "{id}");
            assert_eq!(line, format!("Created {id} in {REGION}"));
            // The form's own result panel agrees with what the callback got.
            let (shown, _, _) = e2e.wait_result().await;
            assert_eq!(&shown, id);
            e2e.screenshot("02-created").await;
        },
    );
}
