//! The `CreateWorkspaceForm` component and its parts.

mod error_summary;
mod field_row;
mod form_section;
mod language_switch;
mod list_field;
mod list_row;
mod result_panel;
mod row_input;
pub mod state;

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use workspace_model::{
    CreateWorkspaceResponse, FieldKey, FieldPath, FormState, Locale, Section, Valid,
    catalogue::Region, validate,
};

use error_summary::ErrorSummary;
pub use error_summary::path_label;
use form_section::FormSection;
use language_switch::LanguageSwitch;
use result_panel::ResultPanel;
use state::{FormCtx, FormSignals, ServerFieldError, focus_element};

use crate::{
    api::{self, ApiConfig, CallError},
    draft,
    i18n::{self, tr},
};

/// The create-workspace form of EMR Serverless Spark: every CreateWorkspace parameter, client-side validation
/// with the same rules the server runs, an idempotent submit, and the returned ids.
///
/// Nothing typed is lost: hidden subscription fields keep their values, failed submits keep the form, and (with
/// `persist`) a reload restores the draft, client token included, so a retry can never create a second workspace.
#[component]
pub fn CreateWorkspaceForm(
    /// Base URL of the API (`https://console.example.com`). Empty or absent: the page's own origin.
    #[prop(optional, into)]
    api_base: Option<String>,
    /// The region a new form starts with; ignored unless it is a known region. Default `cn-hangzhou`.
    #[prop(optional, into)]
    default_region: Option<String>,
    /// The language. Absent: the browser's language (Chinese for `zh*`, otherwise English).
    #[prop(optional)]
    locale: Option<Locale>,
    /// Called with the API's answer when a workspace has been created.
    #[prop(optional)]
    on_created: Option<Callback<CreateWorkspaceResponse>>,
    /// Sent as `Authorization: Bearer …`, for a gateway started with `--auth-token`.
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
    let default_region = default_region
        .filter(|r| Region::find(r).is_some())
        .unwrap_or_else(|| FieldKey::RegionId.field().default.to_owned());
    // Everything fixed for the life of the form, in one stored value.
    let settings = StoredValue::new(Settings {
        api: ApiConfig {
            base: api_base.unwrap_or_default(),
            auth_token: auth_token.filter(|t| !t.is_empty()),
            timeout_ms: timeout_ms.unwrap_or(30_000),
        },
        draft_key: persist.then(|| format!("emr-serverless-spark:create-workspace:{prefix}")),
        default_region,
    });
    let fresh = settings.with_value(Settings::fresh_form);
    let draft = settings
        .with_value(|s| s.draft_key.as_deref().and_then(draft::load))
        .map(|mut form| {
            if form.get(FieldKey::ClientToken).is_empty() {
                form.set(FieldKey::ClientToken, new_client_token());
            }
            form
        });
    // A draft that is just a new form (saved on an earlier visit) is not worth a word; one with input is.
    let restored = RwSignal::new(draft.as_ref().is_some_and(|d| {
        let untouched = fresh
            .clone()
            .with(FieldKey::ClientToken, d.get(FieldKey::ClientToken));
        *d != untouched
    }));
    let initial = draft.unwrap_or(fresh);

    let locale = RwSignal::new(locale.unwrap_or_else(browser_locale));
    let ctx = FormCtx::new(FormSignals::new(&initial), locale, prefix);
    provide_context(ctx);

    let outcome = RwSignal::new(None::<Outcome>);
    let created = move || outcome.with(|o| matches!(o, Some(Outcome::Created { .. })));

    if let Some(key) = settings.with_value(|s| s.draft_key.clone()) {
        draft::keep(key, ctx.fields, Signal::derive(created));
    }

    let pending = RwSignal::new(false);

    // A request came back: show the result, or keep everything and say what went wrong, and move focus there.
    let settle = move |valid: Valid,
                       name: String,
                       result: Result<CreateWorkspaceResponse, CallError>| {
        match result {
            Ok(response) => {
                settings.with_value(|s| s.draft_key.as_deref().map(draft::clear));
                if let Some(callback) = on_created {
                    callback.run(response.clone());
                }
                restored.set(false);
                outcome.set(Some(Outcome::Created {
                    response,
                    name,
                    region_id: valid.region_id,
                }));
                let heading = ctx.prefixed("result-title");
                request_animation_frame(move || focus_element(&heading));
            }
            Err(error) => {
                let field_path = match &error {
                    CallError::Api { error, .. } => error.field_path().map(|path| (path, error)),
                    _ => None,
                };
                match field_path {
                    Some((path, api_error)) => {
                        ctx.server_error.set(Some(ServerFieldError {
                            value: untrack(|| ctx.value_at(path)),
                            path,
                            message: api_error.field_message().to_owned(),
                        }));
                        request_animation_frame(move || ctx.focus(path));
                    }
                    None => {
                        let summary = ctx.prefixed("summary");
                        request_animation_frame(move || focus_element(&summary));
                    }
                }
                outcome.set(Some(Outcome::Failed(error)));
            }
        }
    };

    // One logical submission: validate everything; if valid, post once. Further clicks while a request is in
    // flight do nothing, and a retry reuses the client token, so the API creates at most one workspace.
    let attempt = move || {
        if pending.get_untracked() {
            return;
        }
        ctx.show_all.set(true);
        ctx.server_error.set(None);
        outcome.set(None);
        let token = ctx.fields.text_signal(FieldKey::ClientToken);
        if token.get_untracked().is_empty() {
            token.set(new_client_token());
        }
        let form = ctx.fields.snapshot();
        match validate(&form) {
            Err(errors) => ctx.focus(errors[0].path),
            Ok(valid) => {
                pending.set(true);
                let config = settings.with_value(|s| s.api.clone());
                let name = form.get(FieldKey::WorkspaceName).to_owned();
                spawn_local(async move {
                    let result = api::create_workspace(&config, &valid).await;
                    // The form may have been unmounted while the request was out.
                    if pending.try_set(false).is_none() {
                        settle(valid, name, result);
                    }
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
        ctx.fields.load(&settings.with_value(Settings::fresh_form));
        ctx.touched.set(Vec::new());
        ctx.show_all.set(false);
        ctx.server_error.set(None);
        outcome.set(None);
        let first = ctx.dom_id(FieldPath::field(FieldKey::WorkspaceName));
        request_animation_frame(move || focus_element(&first));
    });

    view! {
        <div class="ws-console" lang=move || locale.get().tag()>
            <header class="ws-header">
                <div>
                    <h1 class="ws-header__title">{tr(locale, i18n::TITLE)}</h1>
                    <p class="ws-header__subtitle">{tr(locale, i18n::SUBTITLE)}</p>
                </div>
                <LanguageSwitch />
            </header>
            {move || match outcome.get() {
                Some(Outcome::Created { response, region_id, name }) => Some(view! {
                    <ResultPanel
                        response=response
                        name=name
                        region_id=region_id
                        api=settings.with_value(|s| s.api.clone())
                        on_again=start_over
                    />
                }),
                _ => None,
            }}
            <form
                class="ws-form"
                novalidate
                hidden=created
                aria-busy=move || pending.get().to_string()
                on:submit=on_submit
            >
                <p class="ws-notice" role="status" hidden=move || !restored.get()>
                    {tr(locale, i18n::DRAFT_RESTORED)}
                    <button type="button" class="ws-button ws-button--small" on:click=move |_| start_over.run(())>
                        {tr(locale, i18n::START_OVER)}
                    </button>
                </p>
                <ErrorSummary outcome=outcome on_retry=Callback::new(move |()| attempt()) />
                {Section::ALL.map(|section| view! { <FormSection section=section /> }).collect_view()}
                <div class="ws-actions">
                    <button
                        type="submit"
                        class="ws-button ws-button--primary"
                        class:ws-button--busy=move || pending.get()
                        aria-disabled=move || pending.get().to_string()
                    >
                        <span class="ws-spinner" aria-hidden="true" hidden=move || !pending.get()></span>
                        {move || if pending.get() { i18n::SUBMITTING.get(locale.get()) } else { i18n::SUBMIT.get(locale.get()) }}
                    </button>
                </div>
            </form>
        </div>
    }
}

/// What the last submission came to.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Created {
        response: CreateWorkspaceResponse,
        region_id: String,
        name: String,
    },
    Failed(CallError),
}

/// What a form keeps for its whole life.
struct Settings {
    api: ApiConfig,
    /// Where the draft lives in `localStorage`; `None` when drafts are off.
    draft_key: Option<String>,
    default_region: String,
}

impl Settings {
    /// A new form: catalogue defaults, the default region and a new client token.
    fn fresh_form(&self) -> FormState {
        FormState::new()
            .with(FieldKey::RegionId, self.default_region.clone())
            .with(FieldKey::ClientToken, new_client_token())
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
