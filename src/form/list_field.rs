use leptos::prelude::*;
use workspace_model::{
    FieldPath,
    catalogue::{Field, ListSpec},
};

use super::{
    features,
    list_row::{ListRow, choices_id},
    note::Note,
    state::{FormCtx, RowSignals, focus_element},
};
use crate::i18n::tr;

/// An editable list parameter: rows of the parts its catalogue entry names (a tag's key and value, or one GPU
/// instance type), added and removed with buttons; focus follows so the keyboard never gets lost.
#[component]
pub fn ListField(
    /// The catalogue entry of the list parameter.
    field: &'static Field,
    /// Its rows' parts and words (the entry's `Control::List`).
    spec: &'static ListSpec,
    /// Its rows.
    rows: RwSignal<Vec<RowSignals>>,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let locale = ctx.locale();
    let whole = FieldPath::field(field.key);
    let list_id = ctx.dom_id(whole);
    let help_id = format!("{list_id}-help");
    let list_error = Memo::new(move |_| ctx.message_at(whole));
    let list_warning = Memo::new(move |_| features::warning_at(ctx, whole));
    let full = move || spec.max_rows.is_some_and(|max| rows.with(Vec::len) >= max);

    let add = move |_| {
        if full() {
            return;
        }
        rows.update(|r| r.push(ctx.fields().new_row(&[])));
        // The new row is rendered by the next frame; focus its first input so typing can start at once.
        let id = ctx.dom_id(FieldPath::cell(
            field.key,
            rows.with_untracked(Vec::len) - 1,
            0,
        ));
        request_animation_frame(move || focus_element(&id));
    };

    // The values each policy tag allows, offered as the suggestions of its row's value (see `ListRow`). Built
    // here, once, rather than in every row: rows are built again whenever one is added or removed.
    let suggestions = features::of(field.key).policy_tags.then(|| {
        ctx.policy().with_untracked(|p| {
            p.tags()
                .iter()
                .enumerate()
                .filter(|(_, tag)| !tag.allowed.is_empty())
                .map(|(at, tag)| {
                    let options = tag.allowed.iter().map(|v| view! { <option value=v.clone()></option> });
                    view! { <datalist id=choices_id(ctx, field, at)>{options.collect_view()}</datalist> }
                })
                .collect_view()
        })
    });
    let described_by = help_id.clone();
    view! {
        <fieldset class="ws-list" id=list_id tabindex="-1" aria-describedby=described_by>
            <legend class="ws-field__label">
                {tr(locale, field.label)}
                {spec.max_rows.map(|max| view! {
                    <span class="ws-list__count">{move || format!(" ({}/{max})", rows.with(Vec::len))}</span>
                })}
            </legend>
            <p id=help_id class="ws-field__help">{tr(locale, field.help)}</p>
            <Note id=Signal::stored(format!("{list_id}-error")) text=list_error />
            <Note id=Signal::stored(format!("{list_id}-warning")) text=list_warning warning=true />
            <p class="ws-list__empty" hidden=move || !rows.with(Vec::is_empty)>{tr(locale, spec.empty)}</p>
            <ol class="ws-list__rows">
                // Rows change only when one is added or removed; re-rendering them then costs the bundle less
                // than a keyed list, and their text lives in signals, so nothing is lost.
                {move || {
                    rows.get()
                        .into_iter()
                        .map(|row| view! { <ListRow field=field spec=spec rows=rows row=row /> })
                        .collect_view()
                }}
            </ol>
            <button type="button" class="ws-button ws-button--secondary" on:click=add disabled=full>
                {tr(locale, spec.add)}
            </button>
            {suggestions}
        </fieldset>
    }
}
