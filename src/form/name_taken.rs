//! The name's own check: a workspace name the region already has is said while it is typed. A hint, never a
//! refusal: names need not be unique.

use leptos::{prelude::*, task::spawn_local};
use workspace_model::check_field;

use super::state::{FormCtx, Found, NAME, REGION, Warning};
use crate::{api, i18n};

/// How long typing must pause before the name is looked up.
const NAME_CHECK_AFTER_MS: u64 = 500;

pub const WARNING: Warning = Warning {
    about,
    start: watch,
    left: |_| {},
};

/// A finding is about a name in a region.
fn about(ctx: FormCtx) -> String {
    let fields = ctx.fields();
    format!("{}\n{}", fields.text(REGION).get(), fields.text(NAME).get())
}

/// Watches the name as it is typed and, after a pause, asks ListWorkspaces (whose name filter is fuzzy) whether
/// the region already has a workspace of exactly that name.
fn watch(ctx: FormCtx) {
    let name = ctx.fields().text(NAME);
    let region = ctx.fields().text(REGION);
    let found = ctx.found(NAME.key());
    let pending = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let (region_id, wanted) = (region.get(), name.get());
        let asked = format!("{region_id}\n{wanted}");
        if let Some(old) = pending.try_update_value(Option::take).flatten() {
            old.clear();
        }
        // The hint belongs to the name it was found for: another name drops it at once.
        if found.with_untracked(|f| f.as_ref().is_some_and(|f| f.about != asked)) {
            found.set(None);
        }
        // Nothing to ask about a name the rules refuse anyway.
        let valid = !wanted.is_empty()
            && untrack(|| check_field(&ctx.fields(), NAME.key()))
                .iter()
                .all(|f| !f.refuses());
        if !valid {
            return;
        }
        let ask = move || {
            // The form may be gone by now.
            if name.is_disposed() {
                return;
            }
            let config = ctx.api();
            spawn_local(async move {
                let Ok(page) =
                    api::list_workspaces(&config, &region_id, Some(&wanted), 100, None).await
                else {
                    return;
                };
                let taken = page.workspaces.iter().any(|w| w.name == wanted);
                // Only if the form still holds what was asked about.
                let now = (region.try_get_untracked(), name.try_get_untracked());
                if now == (Some(region_id), Some(wanted.clone())) {
                    found.try_set(taken.then_some(Found {
                        about: asked,
                        text: i18n::NAME_TAKEN,
                        arg: wanted,
                    }));
                }
            });
        };
        let handle =
            set_timeout_with_handle(ask, std::time::Duration::from_millis(NAME_CHECK_AFTER_MS))
                .ok();
        pending.set_value(handle);
    });
    on_cleanup(move || {
        if let Some(handle) = pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    });
}
