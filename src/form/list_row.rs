use leptos::prelude::*;
use workspace_model::{
    FieldPath,
    catalogue::{Field, ListSpec},
};

use super::{
    row_input::RowInput,
    state::{FormCtx, FormSignals, RowSignals, focus_element},
};
use crate::i18n::{self, tr};

/// One row of a [`super::list_field::ListField`]: an input per part of the list's rows, and a remove button.
#[component]
pub fn ListRow(
    /// The list parameter the row belongs to.
    field: &'static Field,
    /// The list's parts and words.
    spec: &'static ListSpec,
    /// The list's rows.
    rows: RwSignal<Vec<RowSignals>>,
    /// The row's signals.
    row: RowSignals,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let locale = ctx.locale();
    FormSignals::release_when_gone(rows, row);
    // Where the row is now (rows above it may be removed). Worked out when read: a handful of rows at most.
    let index = move || {
        rows.with(|r| r.iter().position(|x| x.id == row.id))
            .unwrap_or(0)
    };
    let numbered =
        move |text| Signal::derive(move || format!("{} {}", tr(locale, text)(), index() + 1));

    let remove = move |_| {
        let i = untrack(index);
        ctx.forget_row(field.key, i);
        rows.update(|r| r.retain(|x| x.id != row.id));
        // Keep focus in the list: the row that took this place, else the one above, else the list itself.
        let remaining = rows.with_untracked(Vec::len);
        let target = if remaining == 0 {
            ctx.dom_id(FieldPath::field(field.key))
        } else {
            ctx.dom_id(FieldPath::cell(field.key, i.min(remaining - 1), 0))
        };
        request_animation_frame(move || focus_element(&target));
    };

    let inputs = spec
        .parts
        .iter()
        .enumerate()
        .map(|(part, p)| {
            view! {
                <RowInput
                    path=Signal::derive(move || FieldPath::cell(field.key, index(), part))
                    label=numbered(p.label)
                    value=row.cells[part]
                    placeholder=p.placeholder
                />
            }
        })
        .collect_view();
    let pair = spec.parts.len() > 1;
    view! {
        <li class="ws-list__row" class:ws-list__row--pair=pair>
            {inputs}
            <button
                type="button"
                class="ws-button ws-button--icon"
                aria-label=numbered(spec.remove)
                on:click=remove
            >
                {tr(locale, i18n::REMOVE)}
            </button>
        </li>
    }
}
