use leptos::prelude::*;
use workspace_model::{FieldKey, Locale, Text};

use super::state::FormCtx;
use crate::{api::CallError, form::Outcome, i18n};

/// The live region at the top of the form: field errors after a submit attempt (each a link that focuses its
/// field), or why the API call failed, with a retry for failures that are safe to retry.
#[component]
pub fn ErrorSummary(
    /// What the last submission came to; a failure is shown here.
    outcome: RwSignal<Option<Outcome>>,
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
            .map(|e| view! { <li>{field_link(ctx, Some(e.path), e.message.get(locale.get()).to_owned())}</li> })
            .collect_view();
        Some(view! {
            <div class="ws-summary__block">
                <h2 class="ws-summary__title">{i18n::SUMMARY_TITLE.get(locale.get())}</h2>
                <ul class="ws-summary__list">{items}</ul>
            </div>
        })
    };
    // One template for every kind of failure: only the words and facts differ.
    let call_failure = move || {
        let l = locale.get();
        let report = match outcome.get()? {
            Outcome::Failed(error) => report(error),
            Outcome::Created { .. } => return None,
        };
        // An API error that names a field reads like a client one: the field's label, linked to it. Other
        // messages use the same element, without a target.
        let message =
            (!report.message.is_empty()).then(|| field_link(ctx, report.field, report.message));
        let facts = (!report.facts.is_empty()).then(|| {
            let facts = report
                .facts
                .into_iter()
                .map(|(term, value)| view! { <dt>{term.get(l)}</dt><dd><code>{value}</code></dd> })
                .collect_view();
            view! { <dl class="ws-summary__facts">{facts}</dl> }
        });
        Some(view! {
            <div class="ws-summary__block">
                <h2 class="ws-summary__title">{report.title.get(l)}</h2>
                {message.map(|m| view! { <p class="ws-summary__message">{m}</p> })}
                {facts}
                <p>{report.help.get(l)}</p>
                <button
                    type="button"
                    class="ws-button ws-button--secondary"
                    hidden=!report.retry
                    on:click=move |_| on_retry.run(())
                >
                    {i18n::RETRY.get(l)}
                </button>
            </div>
        })
    };
    let visible = move || {
        (ctx.show_all.get() && ctx.errors.with(|e| !e.is_empty()))
            || outcome.with(|o| matches!(o, Some(Outcome::Failed(_))))
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

/// What the summary says about a failed call.
struct Report {
    title: Text,
    /// The request path the API's error names, if any.
    field: Option<String>,
    /// The API's own message, or a piece of an unexpected answer.
    message: String,
    facts: Vec<(Text, String)>,
    help: Text,
    /// Whether retrying as is can help (and is safe: the client token is reused).
    retry: bool,
}

fn report(failure: CallError) -> Report {
    match failure {
        CallError::Api { status, error } => Report {
            title: i18n::API_ERROR_TITLE,
            field: error.field_path().map(str::to_owned),
            help: if error.code == "IdempotentParameterMismatch" {
                i18n::MISMATCH_HELP
            } else {
                i18n::API_ERROR_KEPT
            },
            message: error.field_message().to_owned(),
            facts: vec![
                (i18n::CODE, error.code),
                (
                    i18n::REQUEST_ID,
                    if error.request_id.is_empty() {
                        "—".to_owned()
                    } else {
                        error.request_id
                    },
                ),
                (i18n::HTTP_STATUS, status.to_string()),
            ],
            retry: false,
        },
        CallError::Network(_) => Report {
            title: i18n::NETWORK_TITLE,
            field: None,
            message: String::new(),
            facts: Vec::new(),
            help: i18n::NETWORK_HELP,
            retry: true,
        },
        CallError::Timeout => Report {
            title: i18n::TIMEOUT_TITLE,
            field: None,
            message: String::new(),
            facts: Vec::new(),
            help: i18n::TIMEOUT_HELP,
            retry: true,
        },
        CallError::Unexpected { status, detail } => Report {
            title: i18n::UNEXPECTED_TITLE,
            field: None,
            message: detail,
            facts: vec![(i18n::HTTP_STATUS, status.to_string())],
            help: i18n::NETWORK_HELP,
            retry: true,
        },
    }
}

/// A summary line: with a path, `Label: message` as a link that takes the keyboard to the field; without, the
/// message alone (an `<a>` without `href` is plain text).
fn field_link(ctx: FormCtx, path: Option<String>, message: String) -> impl IntoView {
    let locale = ctx.locale.get_untracked();
    let separator = if locale == Locale::Zh { "：" } else { ": " };
    let text = match &path {
        Some(p) => format!("{}{separator}{message}", path_label(p, locale)),
        None => message,
    };
    view! {
        <a
            href=path.as_ref().map(|p| format!("#{}", ctx.dom_id(p)))
            on:click=move |ev| {
                if let Some(p) = &path {
                    ev.prevent_default();
                    ctx.focus(p);
                }
            }
        >
            {text}
        </a>
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
