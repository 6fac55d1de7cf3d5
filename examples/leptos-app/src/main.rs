//! A Leptos app with the create-workspace form in it: its own heading, the form, and a line the form's
//! `on_created` callback fills in. Built by trunk for the browser (`./dev test` builds it into target/leptos-app/);
//! natively it only compiles, so `cargo clippy --workspace` lints it.

use leptos::prelude::*;
use workspace_console::{CreateWorkspaceForm, Theme, WorkspaceCreated};

/// The app: what it shows of its own around the form.
#[component]
fn App() -> impl IntoView {
    let created = RwSignal::new(None::<WorkspaceCreated>);
    view! {
        <header class="admin-header">
            <h1>"My Spark admin"</h1>
            <p id="admin-created" role="status">
                {move || match created.get() {
                    Some(c) => format!("Created {} in {}", c.response.workspace_id, c.region_id),
                    None => "No workspace created yet".to_owned(),
                }}
            </p>
        </header>
        <CreateWorkspaceForm
            theme=Theme::Light
            persist=false
            on_created=Callback::new(move |c: WorkspaceCreated| created.set(Some(c)))
        />
    }
}

fn main() {
    #[cfg(target_arch = "wasm32")]
    leptos::mount::mount_to_body(App);
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = App;
        eprintln!(
            "a browser app: build it with trunk (`./dev test` does, into target/leptos-app/)"
        );
    }
}
