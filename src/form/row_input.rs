use leptos::prelude::*;
use workspace_model::FieldPath;

use super::{features, note::Note, state::FormCtx};

/// A labelled input of a list row, with its own error or warning.
#[component]
pub fn RowInput(
    /// The position of this input, such as `tag[2].key` (changes when rows above are removed).
    #[prop(into)]
    path: Signal<FieldPath>,
    /// The visible label.
    #[prop(into)]
    label: Signal<String>,
    /// The text.
    value: RwSignal<String>,
    /// Placeholder text.
    #[prop(optional)]
    placeholder: &'static str,
    /// Read-only: a value the server's policy sets.
    locked: bool,
    /// The id of a `datalist` of the only values allowed (the server's policy), offered as suggestions.
    list: Option<String>,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();

    let id = move || ctx.dom_id(path.get());
    let message = Memo::new(move |_| ctx.message_at(path.get()));
    let warning = Memo::new(move |_| {
        message
            .with(Option::is_none)
            .then(|| features::warning_at(ctx, path.get()))
            .flatten()
    });
    let invalid = move || message.with(Option::is_some);
    let note_id = move || format!("{}-note", id());
    let described_by = move || (invalid() || warning.with(Option::is_some)).then(note_id);
    let leave = move || {
        if value.with_untracked(|v| !v.is_empty()) {
            ctx.touch(path.get_untracked());
        }
    };
    view! {
        <div class="ws-list__cell" class:ws-field--invalid=invalid>
            <label for=id class="ws-list__label">{move || label.get()}</label>
            <input
                type="text"
                class="ws-input"
                id=id
                autocomplete="off"
                spellcheck="false"
                placeholder=placeholder
                readonly=locked
                list=list
                aria-invalid=move || invalid().to_string()
                aria-describedby=described_by
                bind:value=value
                on:blur=move |_| leave()
            />
            <Note id=Signal::derive(note_id) text=message />
            <Note id=Signal::derive(note_id) text=warning warning=true />
        </div>
    }
}
