use leptos::prelude::*;
use workspace_model::{
    FieldKey,
    catalogue::{Field, MAX_TAGS},
};

use super::{
    list_row::{ListRow, first_path},
    state::{FormCtx, focus_element},
};
use crate::i18n::{self, tr};

/// An editable list parameter: key/value rows for `tag` (at most 20), one-string rows for `gpuSpec`. Rows are
/// added and removed with buttons; focus follows so the keyboard never gets lost.
#[component]
pub fn ListField(
    /// The catalogue entry of the list parameter.
    field: &'static Field,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let locale = ctx.locale;
    let rows = ctx.fields.rows(field.key);
    let pairs = field.key == FieldKey::Tag;
    let max = if pairs { MAX_TAGS } else { usize::MAX };
    let (empty, add_label) = if pairs {
        (i18n::NO_ROWS_TAGS, i18n::ADD_TAG)
    } else {
        (i18n::NO_ROWS_GPU, i18n::ADD_GPU_TYPE)
    };
    let list_id = ctx.dom_id(field.path);
    let help_id = format!("{list_id}-help");
    let list_error = Memo::new(move |_| ctx.message_at(field.path, field.path));
    let full = move || rows.with(Vec::len) >= max;

    let add = move |_| {
        if full() {
            return;
        }
        rows.update(|r| r.push(ctx.fields.new_row("", "")));
        // The new row is rendered by the next frame; focus its first input so typing can start at once.
        let id = ctx.dom_id(&first_path(field, rows.with_untracked(Vec::len) - 1));
        request_animation_frame(move || focus_element(&id));
    };

    let described_by = help_id.clone();
    view! {
        <fieldset class="ws-list" id=list_id tabindex="-1" aria-describedby=described_by>
            <legend class="ws-field__label">
                {tr(locale, field.label)}
                <span class="ws-list__count" hidden=!pairs>
                    {move || format!(" ({}/{MAX_TAGS})", rows.with(Vec::len))}
                </span>
            </legend>
            <p id=help_id class="ws-field__help">{tr(locale, field.help)}</p>
            {move || list_error.get().map(|text| view! { <p class="ws-field__error">{text}</p> })}
            <p class="ws-list__empty" hidden=move || !rows.with(Vec::is_empty)>{tr(locale, empty)}</p>
            <ol class="ws-list__rows">
                // Rows change only when one is added or removed; re-rendering them then costs the bundle less
                // than a keyed list, and their text lives in signals, so nothing is lost.
                {move || {
                    rows.get()
                        .into_iter()
                        .map(|row| view! { <ListRow field=field row=row /> })
                        .collect_view()
                }}
            </ol>
            <button type="button" class="ws-button ws-button--secondary" on:click=add disabled=full>
                {tr(locale, add_label)}
            </button>
        </fieldset>
    }
}
