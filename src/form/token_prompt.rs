use leptos::prelude::*;

use super::state::FormCtx;
use crate::i18n::{self, tr};

/// Asks for the access token a gateway started with `--auth-token` wants, after it answered 401: a labelled
/// password field, then the same request again. The token is kept in memory and `sessionStorage`, never in the
/// draft or the page.
#[component]
pub fn TokenPrompt(
    /// Sends the request again, with the token.
    on_retry: Callback<()>,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let locale = ctx.locale();
    let value = RwSignal::new(String::new());
    let id = ctx.prefixed("token");
    let use_token = move || {
        let token = value.get_untracked().trim().to_owned();
        if !token.is_empty() {
            ctx.endpoint().set_token(token);
            on_retry.run(());
        }
    };
    view! {
        <div class="ws-token">
            <label for=id.clone() class="ws-field__label">{tr(locale, i18n::TOKEN_LABEL)}</label>
            <input
                type="password"
                id=id
                class="ws-input"
                autocomplete="off"
                spellcheck="false"
                bind:value=value
                on:keydown=move |ev| {
                    // Enter here means "use it", not "submit the form" (which would not carry the token yet).
                    if ev.key() == "Enter" {
                        ev.prevent_default();
                        use_token();
                    }
                }
            />
            <button type="button" class="ws-button ws-button--primary" on:click=move |_| use_token()>
                {tr(locale, i18n::TOKEN_SUBMIT)}
            </button>
        </div>
    }
}
