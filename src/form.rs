//! The `CreateWorkspaceForm` component and its parts.

mod chooser;
mod copy_button;
mod error_summary;
mod features;
mod field_row;
mod form_section;
mod language_switch;
mod list_field;
mod list_row;
mod name_taken;
mod note;
mod policy;
mod request_preview;
mod result_panel;
mod role_check;
mod row_input;
pub(crate) mod state;
mod token_prompt;
mod workspace_list;

use leptos::{ev::SubmitEvent, prelude::*};
use wasm_bindgen::JsCast;
use workspace_model::{FieldKey, FormState, Locale, Section, catalogue::Region};

use error_summary::ErrorSummary;
use form_section::FormSection;
use language_switch::LanguageSwitch;
use request_preview::RequestPreview;
use result_panel::ResultPanel;
use state::{FormCtx, FormSignals, REGION, focus_element};
use workspace_list::WorkspaceList;

use crate::{
    api, draft,
    i18n::{self, tr},
    submission::{Submitter, WorkspaceCreated, new_client_token},
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
/// (as curl, Python, Node.js and a ROS template), and the region's workspaces.
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
    let fresh = FormState::new()
        .with(FieldKey::RegionId, start_region)
        .with(FieldKey::ClientToken, new_client_token());
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
    let started_fresh = !restored.get_untracked();

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
    let submission = ctx.submission();

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
                policy::offer(ctx, REGION.key(), r, || {
                    ctx.fields().text(REGION).set(r.clone())
                });
            }
        },
        false,
    );

    policy::start(ctx, initial, started_fresh);
    features::start(ctx);
    let created = move || submission.with(|s| s.created().is_some());
    if let Some(key) = draft_key.get_value() {
        draft::keep(key, ctx.fields(), Signal::derive(created));
    }
    let submitter = Submitter {
        ctx,
        draft_key,
        on_created,
        restored,
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        submitter.attempt();
    };
    let start_over = Callback::new(move |()| submitter.start_over());
    let pending = move || submission.with(|s| s.is_sending());
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
                <p class="ws-notice ws-notice--policy" role="status" hidden=move || !ctx.policy_failed().get()>
                    {tr(shown_locale, i18n::POLICY_UNAVAILABLE)}
                </p>
                <ErrorSummary on_retry=Callback::new(move |()| submitter.attempt()) />
                <div class="ws-form__sections" use:sections=ctx></div>
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

/// Builds the form's sections into `el`, and builds them again when the server's policy changes. What a field
/// shows of the policy (its value locked, the allowed options, the policy's tag rows) it reads once, when it is
/// built: none of that is reactive code of its own in the bundle, and it is never stale. The values live in the
/// form's signals, so a rebuild loses nothing typed, and the focus is put back where it was. A policy other
/// than none arrives once, just after the form appears; it changes again only with the API's base.
fn sections(el: web_sys::Element, ctx: FormCtx) {
    // The sections belong to the form's owner, not to the effect's: the effect cleans up what it owns before it
    // runs again, and the sections must leave the page (a focused input fires its blur) before they are cleaned up.
    let owner = Owner::current();
    let built = RenderEffect::new(move |before| {
        ctx.policy().track();
        let focused = document()
            .active_element()
            .filter(|active| el.contains(Some(active)))
            .map(|active| active.id());
        // The sections built under the policy before: out of the page, then cleaned up.
        drop(before);
        let build = || {
            leptos::mount::mount_to(el.clone().unchecked_into(), || {
                Section::ALL
                    .map(|section| view! { <FormSection section=section /> })
                    .collect_view()
            })
        };
        let sections = match &owner {
            Some(owner) => owner.with(build),
            None => build(),
        };
        if let Some(id) = focused {
            focus_element(&id);
        }
        sections
    });
    // Kept as long as the form: dropping it would stop the rebuilds and take the sections out.
    StoredValue::new_local(built);
}

/// A new form under the server's policy as known now.
pub(crate) fn new_form(ctx: FormCtx, form: FormState) -> FormState {
    policy::new_form(ctx, form)
}

/// The language the browser prefers (Chinese for `zh*`, otherwise English).
pub fn browser_locale() -> Locale {
    window()
        .navigator()
        .language()
        .map(|tag| Locale::from_tag(&tag))
        .unwrap_or_default()
}
