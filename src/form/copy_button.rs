use leptos::prelude::*;
use workspace_model::Text;

use super::state::FormCtx;
use crate::i18n;

/// A button that copies `text` and says so for two seconds. Its accessible name says what it copies.
#[component]
pub fn CopyButton(
    /// What is copied (read when clicked).
    #[prop(into)]
    text: Signal<String>,
    /// What the text is, for the button's accessible name ("Copy Workspace ID").
    what: Text,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let locale = ctx.locale();
    let copied = RwSignal::new(false);
    let copy = move |_| {
        if copy_to_clipboard(&text.get_untracked()) {
            copied.set(true);
            set_timeout(
                move || {
                    copied.try_set(false);
                },
                std::time::Duration::from_secs(2),
            );
        }
    };
    let verb = move || {
        if copied.get() {
            i18n::COPIED
        } else {
            i18n::COPY
        }
    };
    view! {
        <button
            type="button"
            class="ws-button ws-button--small"
            aria-label=move || format!("{} {}", verb().get(locale.get()), what.get(locale.get()))
            on:click=copy
        >
            {move || verb().get(locale.get())}
        </button>
    }
}

/// Writes text to the clipboard where the page may (secure contexts); false where it may not.
fn copy_to_clipboard(text: &str) -> bool {
    let navigator = window().navigator();
    // `navigator.clipboard` is undefined outside secure contexts; calling into it would throw.
    let available = !crate::js::get(&navigator, "clipboard").is_null_or_undefined();
    if available {
        let _ = navigator.clipboard().write_text(text);
    }
    available
}
