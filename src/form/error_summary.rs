use leptos::prelude::*;
use workspace_model::{FieldKey, Locale};

use super::state::FormCtx;
use crate::{api::CallError, i18n};

/// The live region at the top of the form: field errors after a submit attempt (each a link that focuses its
/// field), or why the API call failed, with a retry for failures that are safe to retry.
#[component]
pub fn ErrorSummary(
    /// The last failed API call, if any.
    failure: RwSignal<Option<CallError>>,
    /// Submits again with the same client token.
    on_retry: Callback<()>,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let locale = ctx.locale;
    let field_errors = move || {
        if !ctx.show_all.get() {
            return None;
        }
        let errors = ctx.errors.get();
        if errors.is_empty() {
            return None;
        }
        let items = errors
            .into_iter()
            .map(|e| {
                let path = e.path.clone();
                let href = format!("#{}", ctx.dom_id(&e.path));
                let text = format!(
                    "{}: {}",
                    path_label(&e.path, locale.get()),
                    e.message.get(locale.get())
                );
                view! {
                    <li>
                        <a
                            href=href
                            on:click=move |ev| {
                                ev.prevent_default();
                                ctx.focus(&path);
                            }
                        >
                            {text}
                        </a>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <div class="ws-summary__block">
                <h2 class="ws-summary__title">{i18n::SUMMARY_TITLE.get(locale.get())}</h2>
                <ul class="ws-summary__list">{items}</ul>
            </div>
        })
    };
    let call_failure = move || {
        let failure = failure.get()?;
        let l = locale.get();
        let retry = move || {
            view! {
                <button type="button" class="ws-button ws-button--secondary" on:click=move |_| on_retry.run(())>
                    {i18n::RETRY.get(locale.get())}
                </button>
            }
        };
        Some(match failure {
            CallError::Api { status, error } => {
                let mismatch = error.code == "IdempotentParameterMismatch";
                view! {
                    <div class="ws-summary__block">
                        <h2 class="ws-summary__title">{i18n::API_ERROR_TITLE.get(l)}</h2>
                        <p class="ws-summary__message">{error.message.clone()}</p>
                        <dl class="ws-summary__facts">
                            <dt>{i18n::CODE.get(l)}</dt>
                            <dd><code>{error.code.clone()}</code></dd>
                            <dt>{i18n::REQUEST_ID.get(l)}</dt>
                            <dd><code>{if error.request_id.is_empty() { "—".to_owned() } else { error.request_id.clone() }}</code></dd>
                            <dt>{i18n::HTTP_STATUS.get(l)}</dt>
                            <dd>{status}</dd>
                        </dl>
                        <p>{if mismatch { i18n::MISMATCH_HELP.get(l) } else { i18n::API_ERROR_KEPT.get(l) }}</p>
                    </div>
                }
                .into_any()
            }
            CallError::Network(_) => view! {
                <div class="ws-summary__block">
                    <h2 class="ws-summary__title">{i18n::NETWORK_TITLE.get(l)}</h2>
                    <p>{i18n::NETWORK_HELP.get(l)}</p>
                    {retry()}
                </div>
            }
            .into_any(),
            CallError::Timeout => view! {
                <div class="ws-summary__block">
                    <h2 class="ws-summary__title">{i18n::TIMEOUT_TITLE.get(l)}</h2>
                    <p>{i18n::TIMEOUT_HELP.get(l)}</p>
                    {retry()}
                </div>
            }
            .into_any(),
            CallError::Unexpected { status, detail } => view! {
                <div class="ws-summary__block">
                    <h2 class="ws-summary__title">{i18n::UNEXPECTED_TITLE.get(l)}</h2>
                    <dl class="ws-summary__facts">
                        <dt>{i18n::HTTP_STATUS.get(l)}</dt>
                        <dd>{status}</dd>
                    </dl>
                    <pre class="ws-summary__detail">{detail}</pre>
                    <p>{i18n::NETWORK_HELP.get(l)}</p>
                    {retry()}
                </div>
            }
            .into_any(),
        })
    };
    let visible = move || {
        (ctx.show_all.get() && ctx.errors.with(|e| !e.is_empty())) || failure.with(Option::is_some)
    };
    view! {
        <div
            id=ctx.prefixed("summary")
            class="ws-summary"
            class:ws-summary--shown=visible
            tabindex="-1"
            aria-live="assertive"
            aria-atomic="true"
        >
            {field_errors}
            {call_failure}
        </div>
    }
}

/// How the summary names a path: the field's label, plus the row for list items (`Tags · Key 4`).
pub fn path_label(path: &str, locale: Locale) -> String {
    let Some(key) = FieldKey::from_path(path) else {
        return path.to_owned();
    };
    let label = key.field().label.get(locale);
    let row = path
        .split_once('[')
        .and_then(|(_, rest)| rest.split(']').next())
        .and_then(|i| i.parse::<usize>().ok());
    match (key, row) {
        (FieldKey::Tag, Some(i)) => {
            let part = if path.ends_with(".value") {
                i18n::TAG_VALUE
            } else {
                i18n::TAG_KEY
            };
            format!("{label} · {} {}", part.get(locale), i + 1)
        }
        (_, Some(i)) => format!("{label} · {}", i + 1),
        _ => label.to_owned(),
    }
}
