use leptos::{prelude::*, task::spawn_local};
use workspace_model::{
    CreateWorkspaceResponse, FieldKey, Locale, WorkspaceStatus, catalogue::Region,
};

use super::state::FormCtx;
use crate::{
    api::{self, ApiConfig, StatusReport},
    i18n::{self, tr},
};

/// What the API returned: the three ids with copy buttons, the workspace's status as it starts, and a way to
/// start over.
#[component]
pub fn ResultPanel(
    /// The API's answer.
    response: CreateWorkspaceResponse,
    /// The name the workspace was created with.
    name: String,
    /// The region the workspace was created in (GetWorkspace needs it).
    region_id: String,
    /// How to reach the API for status checks.
    api: ApiConfig,
    /// Starts a new form with a new client token.
    on_again: Callback<()>,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let locale = ctx.locale;
    // `None` while checking; `Some(Err(()))` when it could not be read.
    let status = RwSignal::new(None::<Result<StatusReport, ()>>);
    {
        let workspace_id = response.workspace_id.clone();
        let region_id = region_id.clone();
        spawn_local(async move {
            // Poll until the workspace reaches a final state, or the panel goes away.
            for attempt in 0..150 {
                if attempt > 0 {
                    api::sleep(2_000).await;
                }
                if status.is_disposed() {
                    return;
                }
                let result = api::workspace_status(&api, &region_id, &workspace_id).await;
                let done = result.as_ref().map_or(true, |r| r.status.is_final());
                status.try_set(Some(result.map_err(|_| ())));
                if done {
                    return;
                }
            }
        });
    }
    let status_text = move || {
        let l = locale.get();
        status.with(|s| match s {
            None => i18n::STATUS_CHECKING.get(l).to_owned(),
            Some(Err(())) => i18n::STATUS_UNKNOWN.get(l).to_owned(),
            Some(Ok(report)) => status_words(report, l),
        })
    };
    let status_word = move || {
        status.with(|s| match s {
            Some(Ok(r)) if r.fail_reason.is_some() && r.status.is_final() => "FAILED".to_owned(),
            Some(Ok(r)) => r.status.as_str().to_owned(),
            _ => String::new(),
        })
    };
    let region = Region::find(&region_id);
    let region_label = move || match region {
        Some(r) => format!("{} · {}", r.name.get(locale.get()), r.id),
        None => region_id.clone(),
    };
    let heading_id = ctx.prefixed("result-title");
    let labelledby = heading_id.clone();
    view! {
        <section class="ws-result" aria-labelledby=labelledby>
            <h2 id=heading_id class="ws-result__title" tabindex="-1">
                {tr(locale, i18n::RESULT_TITLE)}
            </h2>
            <p class="ws-result__help">{tr(locale, i18n::RESULT_HELP)}</p>
            <dl class="ws-result__ids">
                <div class="ws-result__row">
                    <dt>{tr(locale, FieldKey::WorkspaceName.field().label)}</dt>
                    <dd>{name}</dd>
                </div>
                <div class="ws-result__row">
                    <dt>{tr(locale, FieldKey::RegionId.field().label)}</dt>
                    <dd>{region_label}</dd>
                </div>
                <IdRow label=i18n::WORKSPACE_ID value=response.workspace_id name="workspaceId" />
                <IdRow label=i18n::OPERATION_ID value=response.operation_id name="operationId" />
                <IdRow label=i18n::REQUEST_ID value=response.request_id name="requestId" />
                <div class="ws-result__row">
                    <dt>{tr(locale, i18n::STATUS)}</dt>
                    <dd>
                        <span
                            class="ws-status"
                            data-status=status_word
                            aria-live="polite"
                        >
                            {status_text}
                        </span>
                    </dd>
                </div>
            </dl>
            <button type="button" class="ws-button ws-button--primary" on:click=move |_| on_again.run(())>
                {tr(locale, i18n::CREATE_ANOTHER)}
            </button>
        </section>
    }
}

/// One returned id with a copy button that says when it worked.
#[component]
fn IdRow(
    /// The term.
    label: workspace_model::Text,
    /// The id.
    value: String,
    /// A stable name for tests and styling (`workspaceId`).
    name: &'static str,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let locale = ctx.locale;
    let copied = RwSignal::new(false);
    let text = StoredValue::new(value.clone());
    let copy = move |_| {
        text.with_value(|t| {
            if copy_to_clipboard(t) {
                copied.set(true);
                set_timeout(
                    move || {
                        copied.try_set(false);
                    },
                    std::time::Duration::from_secs(2),
                );
            }
        })
    };
    view! {
        <div class="ws-result__row">
            <dt>{tr(locale, label)}</dt>
            <dd>
                <code class="ws-result__id" data-id=name>{value}</code>
                <button
                    type="button"
                    class="ws-button ws-button--small"
                    aria-label=move || copy_label(locale.get(), label, copied.get())
                    on:click=copy
                >
                    {move || if copied.get() { i18n::COPIED.get(locale.get()) } else { i18n::COPY.get(locale.get()) }}
                </button>
            </dd>
        </div>
    }
}

/// A status in words: the known states translated, a failure with its reason, anything else as the API said it.
fn status_words(report: &StatusReport, locale: Locale) -> String {
    if let (Some(reason), true) = (&report.fail_reason, report.status.is_final()) {
        return i18n::STATUS_FAILED_BECAUSE
            .get(locale)
            .replace("{}", reason);
    }
    let known = match report.status {
        WorkspaceStatus::Starting => i18n::STATUS_STARTING,
        WorkspaceStatus::Running => i18n::STATUS_RUNNING,
        WorkspaceStatus::Terminating => i18n::STATUS_TERMINATING,
        WorkspaceStatus::Terminated => i18n::STATUS_TERMINATED,
        WorkspaceStatus::Failed => i18n::STATUS_FAILED,
        WorkspaceStatus::Other(ref s) => return s.clone(),
    };
    known.get(locale).to_owned()
}

fn copy_label(locale: Locale, label: workspace_model::Text, copied: bool) -> String {
    let verb = if copied { i18n::COPIED } else { i18n::COPY };
    format!("{} {}", verb.get(locale), label.get(locale))
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
