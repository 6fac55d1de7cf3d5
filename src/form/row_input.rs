use leptos::prelude::*;

use super::state::FormCtx;

/// A labelled input of a list row, with its own error.
#[component]
pub fn RowInput(
    /// The request path of this input, such as `tag[2].key` (changes when rows above are removed).
    #[prop(into)]
    path: Signal<String>,
    /// Which blur reveals this input's errors; stable across row moves.
    touch_key: String,
    /// The visible label.
    #[prop(into)]
    label: Signal<String>,
    /// The text.
    value: RwSignal<String>,
    /// Placeholder text.
    #[prop(optional)]
    placeholder: &'static str,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let id = Memo::new(move |_| ctx.dom_id(&path.get()));
    let touch_key = StoredValue::new(touch_key);

    let message = Memo::new(move |_| touch_key.with_value(|k| ctx.message_at(&path.get(), k)));
    let invalid = move || message.with(Option::is_some);
    view! {
        <div class="ws-list__cell" class:ws-field--invalid=invalid>
            <label for=move || id.get() class="ws-list__label">{move || label.get()}</label>
            <input
                type="text"
                class="ws-input"
                id=move || id.get()
                autocomplete="off"
                spellcheck="false"
                placeholder=placeholder
                aria-invalid=move || invalid().to_string()
                aria-describedby=move || invalid().then(|| format!("{}-error", id.get()))
                bind:value=value
                on:blur=move |_| {
                    if value.with_untracked(|v| !v.is_empty()) {
                        touch_key.with_value(|k| ctx.touch(k));
                    }
                }
            />
            {move || message.get().map(|text| view! {
                <p id=format!("{}-error", id.get()) class="ws-field__error">{text}</p>
            })}
        </div>
    }
}
