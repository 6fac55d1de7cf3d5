use leptos::{either::Either, prelude::*, task::spawn_local};
use wasm_bindgen::JsValue;
use workspace_model::Locale;

use super::{
    result_panel::{status_word, status_words},
    state::{FormCtx, REGION},
};
use crate::{
    api::{self, CallError, ListPage},
    i18n::{self, tr},
};

/// Rows per page of the list.
const PAGE_SIZE: u32 = 10;
/// While a workspace is starting, the list looks again this often.
const POLL_MS: u64 = 3_000;

/// The workspaces of the selected region, from ListWorkspaces: name, id, status and creation time, a page at a
/// time, the one just created marked. Collapsible; fetched only while open, again after a create, and every few
/// seconds while one of them is starting.
#[component]
pub fn WorkspaceList() -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let locale = ctx.locale();
    let region = ctx.fields().text(REGION);
    let open = RwSignal::new(false);
    // The nextToken of every page shown so far: the last is the current page's (None for the first page).
    let pages = RwSignal::new(vec![None::<String>]);
    let refreshes = RwSignal::new(0u32);
    let result = RwSignal::new(None::<Result<ListPage, CallError>>);
    let sequence = StoredValue::new(0u32);
    let created_id = move || {
        ctx.submission()
            .with(|s| s.created().map(|c| c.response.workspace_id.clone()))
    };

    // A new region starts at its first page.
    Effect::watch(
        move || region.get(),
        move |_, _, _| pages.set(vec![None]),
        false,
    );
    // A new workspace: look again.
    Effect::watch(
        created_id,
        move |_, _, _| refreshes.update(|n| *n += 1),
        false,
    );

    Effect::new(move |_| {
        refreshes.track();
        if !open.get() {
            return;
        }
        let region = region.get();
        let token = pages.with(|p| p.last().cloned().flatten());
        let config = ctx.api();
        // Only the newest request's answer is shown: an older one may arrive later.
        let this = sequence.get_value() + 1;
        sequence.set_value(this);
        spawn_local(async move {
            let answer =
                api::list_workspaces(&config, &region, None, PAGE_SIZE, token.as_deref()).await;
            if sequence.try_get_value() != Some(this) {
                return;
            }
            let starting = answer
                .as_ref()
                .is_ok_and(|p| p.workspaces.iter().any(|w| !w.status.is_final()));
            result.try_set(Some(answer));
            if starting {
                set_timeout(
                    move || {
                        if sequence.try_get_value() == Some(this) {
                            refreshes.try_update(|n| *n += 1);
                        }
                    },
                    std::time::Duration::from_millis(POLL_MS),
                );
            }
        });
    });

    let title = move || {
        i18n::WORKSPACES
            .get(locale.get())
            .replace("{}", &region.get())
    };
    let rows = move || {
        let l = locale.get();
        let just = created_id();
        // Loading, failed and empty are one paragraph with different words: one view shape, not three.
        let note =
            |class: &'static str, text: String| Either::Left(view! { <p class=class>{text}</p> });
        result.with(|r| match r {
            None => note("ws-panel__note", i18n::WORKSPACES_LOADING.get(l).to_owned()),
            Some(Err(e)) => note(
                "ws-panel__note ws-field__error",
                i18n::WORKSPACES_FAILED.get(l).replace("{}", &describe(e)),
            ),
            Some(Ok(page)) if page.workspaces.is_empty() => {
                note("ws-panel__note", i18n::WORKSPACES_EMPTY.get(l).to_owned())
            }
            Some(Ok(page)) => {
                let body = page
                    .workspaces
                    .iter()
                    .map(|w| {
                        let mine = just.as_deref() == Some(w.id.as_str());
                        view! {
                            <tr class:ws-table__row--mine=mine data-workspace-id=w.id.clone()>
                                <td>
                                    {w.name.clone()}
                                    {mine.then(|| view! { <span class="ws-badge">{i18n::JUST_CREATED.get(l)}</span> })}
                                </td>
                                <td><code>{w.id.clone()}</code></td>
                                <td>
                                    <span class="ws-status" data-status=status_word(&w.status, w.fail_reason.as_deref())>
                                        {status_words(&w.status, w.fail_reason.as_deref(), l)}
                                    </span>
                                </td>
                                <td>{created_at(w.create_time, l)}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                Either::Right(view! {
                    <table class="ws-table">
                        <thead>
                            <tr>
                                <th scope="col">{i18n::COLUMN_NAME.get(l)}</th>
                                <th scope="col">{i18n::COLUMN_ID.get(l)}</th>
                                <th scope="col">{i18n::STATUS.get(l)}</th>
                                <th scope="col">{i18n::COLUMN_CREATED.get(l)}</th>
                            </tr>
                        </thead>
                        <tbody>{body}</tbody>
                    </table>
                })
            }
        })
    };
    let next_token = move || {
        result.with(|r| {
            r.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|p| p.next_token.clone())
        })
    };
    let page_line = move || {
        let total = result.with(|r| r.as_ref().and_then(|r| r.as_ref().ok()).map(|p| p.total))?;
        Some(
            i18n::PAGE_OF
                .get(locale.get())
                .replace("{page}", &pages.with(Vec::len).to_string())
                .replace("{total}", &total.to_string()),
        )
    };
    view! {
        <details
            class="ws-panel"
            on:toggle:target=move |ev| open.set(crate::js::get(&ev.target(), "open").as_bool().unwrap_or(false))
        >
            <summary class="ws-panel__summary">{title}</summary>
            <div class="ws-panel__body" aria-live="polite">
                {rows}
                <div class="ws-pager">
                    <button
                        type="button"
                        class="ws-button ws-button--small"
                        disabled=move || pages.with(|p| p.len() <= 1)
                        on:click=move |_| pages.update(|p| { p.pop(); })
                    >
                        {tr(locale, i18n::PREVIOUS_PAGE)}
                    </button>
                    <span class="ws-pager__where">{page_line}</span>
                    <button
                        type="button"
                        class="ws-button ws-button--small"
                        disabled=move || next_token().is_none()
                        on:click=move |_| {
                            if let Some(t) = next_token() {
                                pages.update(|p| p.push(Some(t)));
                            }
                        }
                    >
                        {tr(locale, i18n::NEXT_PAGE)}
                    </button>
                    <button
                        type="button"
                        class="ws-button ws-button--small"
                        on:click=move |_| refreshes.update(|n| *n += 1)
                    >
                        {tr(locale, i18n::REFRESH)}
                    </button>
                </div>
            </div>
        </details>
    }
}

fn describe(error: &CallError) -> String {
    match error {
        CallError::Api { error, .. } => format!("{} ({})", error.message, error.code),
        CallError::Network(m) => m.clone(),
        CallError::Timeout => "timeout".to_owned(),
        CallError::Unexpected { status, .. } => format!("HTTP {status}"),
    }
}

/// A creation time in the reader's language and time zone.
fn created_at(ms: f64, locale: Locale) -> String {
    if ms <= 0.0 {
        return "—".to_owned();
    }
    js_sys::Date::new(&JsValue::from_f64(ms))
        .to_locale_string(locale.tag(), &JsValue::UNDEFINED)
        .as_string()
        .unwrap_or_default()
}
