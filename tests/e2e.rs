#![cfg(not(target_arch = "wasm32"))]
//! End-to-end tests, one binary: the built console (`dist/`, from `./dev build`) in Chromium and in Firefox ESR,
//! driven through their WebDriver servers like a person would (labels, clicks, the keyboard), against the server
//! and its emulator running in this process. Each test starts its own server, driver and browser, and runs once
//! per browser (`<test>::chromium`, `<test>::firefox`).
//!
//! Run: `cargo test -p workspace-console --test e2e -- --test-threads=2` (a module, a test or a browser: add its
//! name as a filter, `-- choosers::`, `-- firefox`). Screenshots: `test-output/e2e/<test>-<browser>-<step>.png`.

// First: its macro (`in_both_browsers!`) is used by the modules after it.
#[macro_use]
#[path = "e2e/support.rs"]
mod support;

/// The form itself: the create flow, validation, the summary, the keyboard, narrow screens, Chinese.
#[path = "e2e/form.rs"]
mod form;

/// The emulator's injected faults, met by a person filling in the whole form.
#[path = "e2e/faults.rs"]
mod faults;

/// The preview's snippets run for real, the custom element under a strict CSP, the workspaces list, axe-core.
#[path = "e2e/features.rs"]
mod features;

/// Choose, don't type: the bucket, catalog and role choosers.
#[path = "e2e/choosers.rs"]
mod choosers;

/// The README's first way in: a Leptos app of its own (`examples/leptos-app`).
#[path = "e2e/example.rs"]
mod example;
