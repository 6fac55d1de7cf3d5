//! The form's submission: its state machine ([`machine`]) and the control that drives it from the form. An
//! attempt validates everything and posts once; its answer settles the machine and moves focus to what to read
//! next; "start over" ends the submission and takes a new client token.

pub(crate) mod machine;

use leptos::{prelude::*, task::spawn_local};
use workspace_model::{FieldKey, FieldPath, FormState, validate::validate_under};

pub use machine::WorkspaceCreated;

use crate::{
    api, draft,
    form::state::{CLIENT_TOKEN, FormCtx, NAME, REGION, ServerFieldError, focus_element},
};
use machine::Submission;

/// What the form's buttons do with its submission. `Copy`, a few handles, so every button captures it whole.
#[derive(Clone, Copy)]
pub struct Submitter {
    pub ctx: FormCtx,
    /// Where the draft is kept, when it is.
    pub draft_key: StoredValue<Option<String>>,
    pub on_created: Option<Callback<WorkspaceCreated>>,
    /// Whether the "what you entered earlier was restored" notice shows.
    pub restored: RwSignal<bool>,
}

impl Submitter {
    /// One attempt of the submission: validate everything; if valid, post once. Clicks while an attempt is in
    /// flight do nothing (the state machine refuses them), and every attempt reuses the client token.
    pub fn attempt(self) {
        let ctx = self.ctx;
        let submission = ctx.submission();
        if !submission.with_untracked(Submission::may_send) {
            return;
        }
        ctx.show_all().set(true);
        ctx.server_error().set(None);
        let token = ctx.fields().text(CLIENT_TOKEN);
        if token.get_untracked().is_empty() {
            token.set(new_client_token());
        }
        let form = ctx.fields().snapshot();
        match ctx.policy().with_untracked(|p| validate_under(&form, p)) {
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
                    self.settle(result.map(|response| WorkspaceCreated {
                        response,
                        region_id: valid.region_id,
                        name,
                    }));
                });
            }
        }
    }

    /// A request came back: show the result, or keep everything and say what went wrong, and move focus there.
    /// The form may be gone by then: the machine, read first, then says so and nothing else is touched.
    fn settle(self, result: Result<WorkspaceCreated, api::CallError>) {
        let Some(submission) = self.ctx.try_submission() else {
            return;
        };
        // A policy's refusal of a tag names the tag, found here by its key.
        let field = result.as_ref().err().and_then(|e| match e {
            api::CallError::Api { error, .. } => untrack(|| error.position(&self.ctx.fields()))
                .map(|path| (path, error.field_message().to_owned())),
            _ => None,
        });
        let workspace = result.as_ref().ok().cloned();
        if !submission.try_update(|s| s.settle(result)).unwrap_or(false) {
            return;
        }
        let ctx = self.ctx;
        if let Some(created) = workspace {
            self.draft_key
                .with_value(|k| k.as_deref().map(draft::clear));
            if let Some(callback) = self.on_created {
                callback.run(created);
            }
            self.restored.set(false);
            let heading = ctx.prefixed("result-title");
            request_animation_frame(move || focus_element(&heading));
        } else if let Some((path, message)) = field {
            ctx.server_error().set(Some(ServerFieldError {
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
    }

    /// Ends the submission ("create another", or "start over" on a restored draft): a fresh form in the region
    /// now chosen, with a new client token, nothing flagged.
    pub fn start_over(self) {
        let ctx = self.ctx;
        self.restored.set(false);
        let fields = ctx.fields();
        fields.load(&crate::form::new_form(
            ctx,
            FormState::new()
                .with(FieldKey::RegionId, fields.text(REGION).get_untracked())
                .with(FieldKey::ClientToken, new_client_token()),
        ));
        // What was found about the last form (a name taken, a value the policy replaced) is not about this one.
        for key in FieldKey::ALL {
            ctx.found(key).maybe_update(|f| f.take().is_some());
        }
        ctx.touched().set(Vec::new());
        ctx.show_all().set(false);
        ctx.server_error().set(None);
        ctx.submission().update(Submission::start_over);
        let first = ctx.dom_id(FieldPath::field(NAME.key()));
        request_animation_frame(move || focus_element(&first));
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
