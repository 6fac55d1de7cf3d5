use leptos::{prelude::*, task::spawn_local};
use workspace_model::{FieldKey, Locale, Text, WorkspaceStatus, catalogue::Region};

use super::{copy_button::CopyButton, state::FormCtx};
use crate::{
    api::{self, StatusReport},
    i18n::{self, tr},
    submission::WorkspaceCreated,
};

/// What the API returned: the three ids with copy buttons, the workspace's status as it starts (followed until it
/// reaches a final state), and a way to start over.
#[component]
pub fn ResultPanel(
    /// The created workspace.
    created: WorkspaceCreated,
    /// Starts a new form with a new client token.
    on_again: Callback<()>,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let locale = ctx.locale();
    let WorkspaceCreated {
        response,
        region_id,
        name,
    } = created;
    // `None` while checking; `Some(Err(()))` when it could not be read.
    let status = RwSignal::new(None::<Result<StatusReport, ()>>);
    {
        let workspace_id = response.workspace_id.clone();
        let region_id = region_id.clone();
        let api = ctx.api();
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
            Some(Ok(r)) => status_words(&r.status, r.fail_reason.as_deref(), l),
        })
    };
    let data_status = move || {
        status.with(|s| match s {
            Some(Ok(r)) => status_word(&r.status, r.fail_reason.as_deref()),
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
                        <span class="ws-status" data-status=data_status aria-live="polite">
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

/// One returned id with a copy button.
#[component]
fn IdRow(
    /// The term.
    label: Text,
    /// The id.
    value: String,
    /// A stable name for tests and styling (`workspaceId`).
    name: &'static str,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let text = Signal::stored(value.clone());
    view! {
        <div class="ws-result__row">
            <dt>{tr(ctx.locale(), label)}</dt>
            <dd>
                <code class="ws-result__id" data-id=name>{value}</code>
                <CopyButton text=text what=label />
            </dd>
        </div>
    }
}

/// The status as a CSS hook (`data-status`): the API's word, or `FAILED` for a start that failed.
pub fn status_word(status: &WorkspaceStatus, fail_reason: Option<&str>) -> String {
    if fail_reason.is_some() && status.is_final() {
        "FAILED".to_owned()
    } else {
        status.as_str().to_owned()
    }
}

/// A status in words: the known states translated, a failed start with its reason, anything else as the API
/// said it.
pub fn status_words(status: &WorkspaceStatus, fail_reason: Option<&str>, locale: Locale) -> String {
    if let (Some(reason), true) = (fail_reason, status.is_final()) {
        return i18n::STATUS_FAILED_BECAUSE
            .get(locale)
            .replace("{}", reason);
    }
    let known = match status {
        WorkspaceStatus::Starting => i18n::STATUS_STARTING,
        WorkspaceStatus::Running => i18n::STATUS_RUNNING,
        WorkspaceStatus::Terminating => i18n::STATUS_TERMINATING,
        WorkspaceStatus::Terminated => i18n::STATUS_TERMINATED,
        WorkspaceStatus::Failed => i18n::STATUS_FAILED,
        WorkspaceStatus::Other(s) => return s.clone(),
    };
    known.get(locale).to_owned()
}
