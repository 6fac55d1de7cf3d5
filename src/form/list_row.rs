use leptos::prelude::*;
use workspace_model::{
    FieldPath,
    catalogue::{Field, ListSpec},
};

use super::{
    features,
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
    // In a list the policy's tags govern, the first row with a policy tag's key is that tag's row: it stays,
    // its key locked, its value locked when fixed and offered from the allowed ones (the list's suggestions for
    // that tag, see `ListField`). Its parts are a key and a value, as a policy's tags are. Read when the row is
    // built, as the policy is (see `form::sections`): a policy row's key cannot change, and the rows are built
    // again when one is added or removed.
    let rule = features::of(field.key)
        .policy_tags
        .then(|| {
            let key = row.cells[0].get_untracked();
            let first = rows.with_untracked(|r| {
                r.iter()
                    .find(|x| x.cells[0].with_untracked(|k| *k == key))
                    .map(|x| x.id)
            }) == Some(row.id);
            ctx.policy().with_untracked(|p| {
                let at = p.tags().iter().position(|t| t.key == key)?;
                let tag = &p.tags()[at];
                first.then(|| (tag.fixed.is_some(), (!tag.allowed.is_empty()).then_some(at)))
            })
        })
        .flatten();
    let governed = rule.is_some();

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
                    // A policy tag's value is required: its label does not say optional.
                    label=numbered(if governed { p.label.required() } else { p.label })
                    value=row.cells[part]
                    placeholder=p.placeholder
                    locked=rule.is_some_and(|(fixed, _)| part == 0 || fixed)
                    list=rule
                        .and_then(|(_, allowed)| allowed)
                        .filter(|_| part == 1)
                        .map(|tag| choices_id(ctx, field, tag))
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
                hidden=governed
                on:click=remove
            >
                {tr(locale, i18n::REMOVE)}
            </button>
        </li>
    }
}

/// The id of the suggestions for the value of a policy tag (`tag`: its place in the policy), which the list
/// holds once (see `ListField`).
pub fn choices_id(ctx: FormCtx, field: &Field, tag: usize) -> String {
    format!("{}-choices-{tag}", ctx.dom_id(FieldPath::field(field.key)))
}
