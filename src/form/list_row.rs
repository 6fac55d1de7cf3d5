use leptos::prelude::*;
use workspace_model::{FieldKey, catalogue::Field};

use super::{
    row_input::RowInput,
    state::{FormCtx, RowSignals, focus_element},
};
use crate::i18n::{self, tr};

/// One row of a [`super::list_field::ListField`]: its input(s) and a remove button.
#[component]
pub fn ListRow(
    /// The list parameter the row belongs to.
    field: &'static Field,
    /// The row's signals.
    row: RowSignals,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let locale = ctx.locale;
    let rows = ctx.fields.rows(field.key);
    let pairs = field.key == FieldKey::Tag;
    let index = Memo::new(move |_| {
        rows.with(|r| r.iter().position(|x| x.id == row.id))
            .unwrap_or(0)
    });
    let numbered =
        move |text| Signal::derive(move || format!("{} {}", tr(locale, text)(), index.get() + 1));

    let remove = move |_| {
        let i = index.get_untracked();
        rows.update(|r| r.retain(|x| x.id != row.id));
        // Keep focus in the list: the row that took this place, else the one above, else the list itself.
        let remaining = rows.with_untracked(Vec::len);
        let target = if remaining == 0 {
            ctx.dom_id(field.path)
        } else {
            ctx.dom_id(&first_path(field, i.min(remaining - 1)))
        };
        request_animation_frame(move || focus_element(&target));
    };

    // Tags edit a key (then a value); one-string lists edit just the value.
    let (first_value, first_label, first_touch, remove_label) = if pairs {
        let touch = format!("{}#{}.key", field.path, row.id);
        (row.key, i18n::TAG_KEY, touch, i18n::REMOVE_TAG)
    } else {
        let touch = format!("{}#{}", field.path, row.id);
        (row.value, i18n::GPU_TYPE, touch, i18n::REMOVE_GPU_TYPE)
    };
    let first = view! {
        <RowInput
            path=Signal::derive(move || first_path(field, index.get()))
            touch_key=first_touch
            label=numbered(first_label)
            value=first_value
            placeholder=if pairs { "" } else { field.placeholder }
        />
    };
    let second = pairs.then(|| {
        view! {
            <RowInput
                path=Signal::derive(move || format!("{}[{}].value", field.path, index.get()))
                touch_key=format!("{}#{}.value", field.path, row.id)
                label=numbered(i18n::TAG_VALUE)
                value=row.value
            />
        }
    });
    view! {
        <li class="ws-list__row" class:ws-list__row--pair=pairs>
            {first}
            {second}
            <button
                type="button"
                class="ws-button ws-button--icon"
                aria-label=numbered(remove_label)
                on:click=remove
            >
                {tr(locale, i18n::REMOVE)}
            </button>
        </li>
    }
}

/// The request path of a row's first input: `tag[2].key`, `gpuSpec[2]`.
pub fn first_path(field: &Field, index: usize) -> String {
    if field.key == FieldKey::Tag {
        format!("{}[{index}].key", field.path)
    } else {
        format!("{}[{index}]", field.path)
    }
}
