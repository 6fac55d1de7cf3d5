use leptos::prelude::*;
use workspace_model::{FieldPath, Locale, Text};

use super::{state::FormCtx, token_prompt::TokenPrompt};
use crate::{api::CallError, i18n};

/// The live region at the top of the form: field errors after a submit attempt (each a link that focuses its
/// field), or why the last attempt failed, with a retry for failures that are safe to retry and a token field
/// when the server wants one.
#[component]
pub fn ErrorSummary(
    /// Submits again with the same client token.
    on_retry: Callback<()>,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let locale = ctx.locale();
    let field_errors = move || {
        if !ctx.show_all().get() {
            return None;
        }
        let errors = ctx.errors();
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
        let error = ctx.submission().with(|s| s.failure().cloned())?;
        let needs_token = error.needs_token();
        let report = report(error);
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
                {needs_token.then(|| view! { <TokenPrompt on_retry=on_retry /> })}
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
        (ctx.show_all().get() && ctx.has_errors())
            || ctx.submission().with(|s| s.failure().is_some())
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
    /// The position the API's error names, if any.
    field: Option<FieldPath>,
    /// The API's own message, or a piece of an unexpected answer.
    message: String,
    facts: Vec<(Text, String)>,
    help: Text,
    /// Whether retrying as is can help (and is safe: the client token is reused).
    retry: bool,
}

fn report(failure: CallError) -> Report {
    let retry = failure.retry_may_help();
    let needs_token = failure.needs_token();
    match failure {
        CallError::Api { status, error } => Report {
            title: i18n::API_ERROR_TITLE,
            field: error.field_path(),
            help: if needs_token {
                i18n::TOKEN_HELP
            } else if error.code == "IdempotentParameterMismatch" {
                i18n::MISMATCH_HELP
            } else if retry {
                i18n::RETRY_SAFE
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
            retry,
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
fn field_link(ctx: FormCtx, path: Option<FieldPath>, message: String) -> impl IntoView {
    let locale = ctx.locale().get_untracked();
    let separator = if locale == Locale::Zh { "：" } else { ": " };
    let text = match path {
        Some(p) => format!("{}{separator}{message}", path_label(p, locale)),
        None => message,
    };
    view! {
        <a
            href=path.map(|p| format!("#{}", ctx.dom_id(p)))
            on:click=move |ev| {
                if let Some(p) = path {
                    ev.prevent_default();
                    ctx.focus(p);
                }
            }
        >
            {text}
        </a>
    }
}

/// How the summary names a position: the field's label, plus the part and row for list items (`Tags · Key 4`,
/// `GPU instance types · 2`).
pub fn path_label(path: FieldPath, locale: Locale) -> String {
    let field = path.key.field();
    let label = field.label.get(locale);
    let Some(row) = path.row else {
        return label.to_owned();
    };
    match (field.list(), path.part) {
        (Some(list), Some(part)) if !list.is_strings() => {
            let part = list.parts.get(part).map_or("", |p| p.label.get(locale));
            format!("{label} · {part} {}", row + 1)
        }
        _ => format!("{label} · {}", row + 1),
    }
}
