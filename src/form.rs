//! The `CreateWorkspaceForm` component and its parts.

mod chooser;
mod copy_button;
mod error_summary;
mod field_row;
mod form_section;
mod language_switch;
mod list_field;
mod list_row;
mod note;
mod request_preview;
mod result_panel;
mod row_input;
pub(crate) mod state;
mod token_prompt;
mod workspace_list;

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use workspace_model::{
    FieldKey, FieldPath, FormState, Locale, Section, catalogue::Region, validate,
};

use error_summary::ErrorSummary;
use form_section::FormSection;
use language_switch::LanguageSwitch;
use request_preview::RequestPreview;
use result_panel::ResultPanel;
use state::{FormCtx, FormSignals, ServerFieldError, focus_element};
use workspace_list::WorkspaceList;

use crate::{
    api, draft,
    i18n::{self, tr},
    submission::{Submission, WorkspaceCreated},
};

/// Light or dark colours. `Auto` follows the browser's `prefers-color-scheme`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    /// `light`, `dark` or `auto` (any case); anything else is `None`.
    pub fn parse(s: &str) -> Option<Theme> {
        [Theme::Auto, Theme::Light, Theme::Dark]
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// The create-workspace form of EMR Serverless Spark: every CreateWorkspace parameter, client-side validation
/// with the same rules the server runs, an idempotent submit, the returned ids, a live preview of the request
/// (with curl and Python snippets), and the region's workspaces.
///
/// Nothing typed is lost: hidden subscription fields keep their values, failed submits keep the form, and (with
/// `persist`) a reload restores the draft, client token included, so a retry can never create a second workspace.
#[component]
pub fn CreateWorkspaceForm(
    /// Base URL of the API (`https://console.example.com`). Empty or absent: the page's own origin. Reactive.
    #[prop(optional, into)]
    api_base: MaybeProp<String>,
    /// The region. A new form starts in it, and a later change moves the form to it; unknown regions are
    /// ignored. Default `cn-hangzhou`. Reactive.
    #[prop(optional, into)]
    region: MaybeProp<String>,
    /// The language. Absent: the browser's language (Chinese for `zh*`, otherwise English). Reactive; the
    /// form's own language switch changes it too.
    #[prop(optional, into)]
    locale: MaybeProp<Locale>,
    /// Light, dark, or the browser's choice (the default). Reactive.
    #[prop(optional, into)]
    theme: MaybeProp<Theme>,
    /// Called when a workspace has been created, with the API's ids and the region.
    #[prop(optional)]
    on_created: Option<Callback<WorkspaceCreated>>,
    /// Sent as `Authorization: Bearer …`, for a gateway started with `--auth-token`, by apps that manage the
    /// token themselves. Without it the form asks for a token when the server wants one.
    #[prop(optional, into)]
    auth_token: Option<String>,
    /// Keep a draft in `localStorage` so a reload loses nothing. Default true.
    #[prop(default = true)]
    persist: bool,
    /// Prefix of every element id (default `ws`); give each form its own when a page has several.
    #[prop(optional, into)]
    id_prefix: Option<String>,
    /// How long to wait for the API before giving up, in milliseconds. Default 30 000.
    #[prop(optional)]
    timeout_ms: Option<u32>,
) -> impl IntoView {
    let prefix = id_prefix
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "ws".to_owned());
    let known = |r: &String| Region::find(r).is_some();
    let start_region = region
        .get_untracked()
        .filter(known)
        .unwrap_or_else(|| FieldKey::RegionId.field().default.to_owned());
    let draft_key = StoredValue::new(
        persist.then(|| format!("emr-serverless-spark:create-workspace:{prefix}")),
    );
    let fresh_form = move || {
        FormState::new()
            .with(FieldKey::RegionId, start_region.clone())
            .with(FieldKey::ClientToken, new_client_token())
    };
    let fresh = fresh_form();
    let draft = draft_key
        .with_value(|k| k.as_deref().and_then(draft::load))
        .map(|form| {
            if form.get(FieldKey::ClientToken).is_empty() {
                form.with(FieldKey::ClientToken, new_client_token())
            } else {
                form
            }
        });
    // A draft that is just a new form (saved on an earlier visit) is not worth a word; one with input is.
    let restored = RwSignal::new(draft.as_ref().is_some_and(|d| {
        let untouched = fresh
            .clone()
            .with(FieldKey::ClientToken, d.get(FieldKey::ClientToken));
        *d != untouched
    }));
    let initial = draft.unwrap_or(fresh);

    let shown_locale = RwSignal::new(locale.get_untracked().unwrap_or_else(browser_locale));
    let token = RwSignal::new(
        auth_token
            .filter(|t| !t.is_empty())
            .or_else(api::saved_token),
    );
    let ctx = FormCtx::new(
        FormSignals::new(&initial),
        shown_locale,
        prefix,
        api::Endpoint {
            base: Signal::derive(move || api_base.get().unwrap_or_default()),
            token,
            timeout_ms: timeout_ms.unwrap_or(30_000),
        },
    );
    provide_context(ctx);
    let submission = ctx.submission;

    // A host that changes its props after mount moves the form along.
    Effect::watch(
        move || locale.get(),
        move |l, _, _| {
            if let Some(l) = l {
                shown_locale.set(*l);
            }
        },
        false,
    );
    Effect::watch(
        move || region.get(),
        move |r, _, _| {
            if let Some(r) = r.as_ref().filter(|r| known(r)) {
                ctx.fields.text_signal(FieldKey::RegionId).set(r.clone());
            }
        },
        false,
    );

    workspace_list::watch_name(ctx);
    let created = move || submission.with(|s| s.created().is_some());
    if let Some(key) = draft_key.get_value() {
        draft::keep(key, ctx.fields, Signal::derive(created));
    }

    // A request came back: show the result, or keep everything and say what went wrong, and move focus there.
    let settle = move |result: Result<WorkspaceCreated, api::CallError>| {
        let field = result.as_ref().err().and_then(|e| match e {
            api::CallError::Api { error, .. } => error
                .field_path()
                .map(|path| (path, error.field_message().to_owned())),
            _ => None,
        });
        let workspace = result.as_ref().ok().cloned();
        if !submission.try_update(|s| s.settle(result)).unwrap_or(false) {
            return;
        }
        if let Some(created) = workspace {
            draft_key.with_value(|k| k.as_deref().map(draft::clear));
            if let Some(callback) = on_created {
                callback.run(created);
            }
            restored.set(false);
            let heading = ctx.prefixed("result-title");
            request_animation_frame(move || focus_element(&heading));
        } else if let Some((path, message)) = field {
            ctx.server_error.set(Some(ServerFieldError {
                value: untrack(|| ctx.value_at(path)),
                path,
                message,
            }));
            request_animation_frame(move || ctx.focus(path));
        } else {
            // A server that wants a token: straight to the field that asks for it.
            let needs_token =
                submission.with_untracked(|s| s.failure().is_some_and(api::CallError::needs_token));
            let target = ctx.prefixed(if needs_token { "token" } else { "summary" });
            request_animation_frame(move || focus_element(&target));
        }
    };

    // One attempt of the submission: validate everything; if valid, post once. Clicks while an attempt is in
    // flight do nothing (the state machine refuses them), and every attempt reuses the client token.
    let attempt = move || {
        if !submission.with_untracked(Submission::may_send) {
            return;
        }
        ctx.show_all.set(true);
        ctx.server_error.set(None);
        let token = ctx.fields.text_signal(FieldKey::ClientToken);
        if token.get_untracked().is_empty() {
            token.set(new_client_token());
        }
        let form = ctx.fields.snapshot();
        match validate(&form) {
            Err(errors) => {
                submission.update(|s| {
                    if s.failure().is_some() {
                        s.start_over();
                    }
                });
                ctx.focus(errors[0].path);
            }
            Ok(valid) => {
                if !submission.try_update(Submission::send).unwrap_or(false) {
                    return;
                }
                let config = ctx.api();
                let name = form.get(FieldKey::WorkspaceName).to_owned();
                spawn_local(async move {
                    let result = api::create_workspace(&config, &valid).await;
                    settle(result.map(|response| WorkspaceCreated {
                        response,
                        region_id: valid.region_id,
                        name,
                    }));
                });
            }
        }
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        attempt();
    };
    let start_over = Callback::new(move |()| {
        restored.set(false);
        ctx.fields.load(&fresh_form().with(
            FieldKey::RegionId,
            ctx.fields.text_signal(FieldKey::RegionId).get_untracked(),
        ));
        ctx.touched.set(Vec::new());
        ctx.show_all.set(false);
        ctx.server_error.set(None);
        submission.update(Submission::start_over);
        let first = ctx.dom_id(FieldPath::field(FieldKey::WorkspaceName));
        request_animation_frame(move || focus_element(&first));
    });
    let pending = move || submission.with(Submission::is_sending);
    let preview = RwSignal::new(false);

    view! {
        <div
            class="ws-console"
            class:ws-console--preview=move || preview.get() && !created()
            lang=move || shown_locale.get().tag()
            data-theme=move || theme.get().filter(|t| *t != Theme::Auto).map(Theme::as_str)
        >
            <header class="ws-header">
                <div>
                    <h1 class="ws-header__title">{tr(shown_locale, i18n::TITLE)}</h1>
                    <p class="ws-header__subtitle">{tr(shown_locale, i18n::SUBTITLE)}</p>
                </div>
                <LanguageSwitch />
            </header>
            {move || submission.with(|s| s.created().cloned()).map(|created| view! {
                <ResultPanel created=created on_again=start_over />
            })}
            <form
                class="ws-form"
                novalidate
                hidden=created
                aria-busy=move || pending().to_string()
                on:submit=on_submit
            >
                <p class="ws-notice" role="status" hidden=move || !restored.get()>
                    {tr(shown_locale, i18n::DRAFT_RESTORED)}
                    <button type="button" class="ws-button ws-button--small" on:click=move |_| start_over.run(())>
                        {tr(shown_locale, i18n::START_OVER)}
                    </button>
                </p>
                <ErrorSummary on_retry=Callback::new(move |()| attempt()) />
                {Section::ALL.map(|section| view! { <FormSection section=section /> }).collect_view()}
                <div class="ws-actions">
                    <button
                        type="submit"
                        class="ws-button ws-button--primary"
                        class:ws-button--busy=pending
                        aria-disabled=move || pending().to_string()
                    >
                        <span class="ws-spinner" aria-hidden="true" hidden=move || !pending()></span>
                        {move || if pending() { i18n::SUBMITTING.get(shown_locale.get()) } else { i18n::SUBMIT.get(shown_locale.get()) }}
                    </button>
                    <button
                        type="button"
                        class="ws-button"
                        id=ctx.prefixed("request-toggle")
                        aria-expanded=move || preview.get().to_string()
                        aria-controls=ctx.prefixed("request")
                        on:click=move |_| preview.update(|open| *open = !*open)
                    >
                        {tr(shown_locale, i18n::REQUEST)}
                    </button>
                </div>
            </form>
            <RequestPreview open=preview />
            <WorkspaceList />
        </div>
    }
}

/// A fresh idempotency token: 32 random hex digits. `getRandomValues` works in every context, unlike
/// `randomUUID`, which pages served over plain HTTP (an intranet console) do not have.
pub fn new_client_token() -> String {
    let mut bytes = [0u8; 16];
    let filled = window()
        .crypto()
        .ok()
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if !filled {
        // No Web Crypto at all: still unique enough per browser to separate submissions.
        let seed = js_sys::Date::now().to_bits() ^ (js_sys::Math::random() * 1e16) as u64;
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (seed >> ((i % 8) * 8)) as u8 ^ (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The language the browser prefers (Chinese for `zh*`, otherwise English).
pub fn browser_locale() -> Locale {
    window()
        .navigator()
        .language()
        .map(|tag| Locale::from_tag(&tag))
        .unwrap_or_default()
}
