use leptos::prelude::*;
use workspace_model::{TagRow, catalogue::Field, catalogue::MAX_TAGS};

use super::{
    row_input::RowInput,
    state::{FormCtx, TagRowSignals, focus_element},
};
use crate::i18n;

/// Editable key/value rows for `tag`: add and remove rows, at most 20. Each input has its own label and error.
#[component]
pub fn TagList(
    /// The catalogue entry of the tags parameter.
    field: &'static Field,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let locale = ctx.locale;
    let rows = ctx.fields.tags;
    let list_id = ctx.dom_id(field.path);
    let help_id = format!("{list_id}-help");
    let count_error = Memo::new(move |_| ctx.message_at(field.path, field.path));
    let full = move || rows.with(Vec::len) >= MAX_TAGS;

    let add = move |_| {
        if full() {
            return;
        }
        let row = ctx.fields.new_tag(&TagRow::default());
        rows.update(|r| r.push(row));
        let index = rows.with_untracked(Vec::len) - 1;
        // The new row exists after this tick's render; focus its key so typing can start at once.
        let id = ctx.dom_id(&format!("tag[{index}].key"));
        request_animation_frame(move || focus_element(&id));
    };

    let described_by = help_id.clone();
    view! {
        <fieldset class="ws-list" id=list_id.clone() tabindex="-1" aria-describedby=described_by>
            <legend class="ws-field__label">
                {move || field.label.get(locale.get())}
                <span class="ws-list__count">
                    {move || format!(" ({}/{MAX_TAGS})", rows.with(Vec::len))}
                </span>
            </legend>
            <p id=help_id class="ws-field__help">{move || field.help.get(locale.get())}</p>
            {move || count_error.get().map(|text| view! { <p class="ws-field__error">{text}</p> })}
            <Show when=move || rows.with(Vec::is_empty)>
                <p class="ws-list__empty">{move || i18n::NO_ROWS_TAGS.get(locale.get())}</p>
            </Show>
            <ol class="ws-list__rows">
                <For
                    each=move || rows.get()
                    key=|row| row.id
                    children=move |row: TagRowSignals| view! { <TagRowView row=row /> }
                />
            </ol>
            <button type="button" class="ws-button ws-button--secondary" on:click=add disabled=full>
                {move || i18n::ADD_TAG.get(locale.get())}
            </button>
        </fieldset>
    }
}

/// One tag row: key, value, remove.
#[component]
fn TagRowView(
    /// The row's signals.
    row: TagRowSignals,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let locale = ctx.locale;
    let rows = ctx.fields.tags;
    let index = Memo::new(move |_| {
        rows.with(|r| r.iter().position(|x| x.id == row.id))
            .unwrap_or(0)
    });
    let key_touch = format!("tag#{}.key", row.id);
    let value_touch = format!("tag#{}.value", row.id);

    let remove = move |_| {
        let i = index.get_untracked();
        rows.update(|r| r.retain(|x| x.id != row.id));
        // Keep focus in the list: the row that took this place, else the one above, else the add button.
        let remaining = rows.with_untracked(Vec::len);
        let target = if remaining == 0 {
            None
        } else {
            Some(ctx.dom_id(&format!("tag[{}].key", i.min(remaining - 1))))
        };
        let list_id = ctx.dom_id("tag");
        request_animation_frame(move || match target {
            Some(id) => focus_element(&id),
            None => focus_element(&list_id),
        });
    };

    view! {
        <li class="ws-list__row ws-list__row--pair">
            <RowInput
                path=Signal::derive(move || format!("tag[{}].key", index.get()))
                touch_key=key_touch
                label=Signal::derive(move || format!("{} {}", i18n::TAG_KEY.get(locale.get()), index.get() + 1))
                value=row.key
            />
            <RowInput
                path=Signal::derive(move || format!("tag[{}].value", index.get()))
                touch_key=value_touch
                label=Signal::derive(move || format!("{} {}", i18n::TAG_VALUE.get(locale.get()), index.get() + 1))
                value=row.value
            />
            <button
                type="button"
                class="ws-button ws-button--icon"
                aria-label=move || format!("{} {}", i18n::REMOVE.get(locale.get()), index.get() + 1)
                on:click=remove
            >
                {move || i18n::REMOVE.get(locale.get())}
            </button>
        </li>
    }
}
