use leptos::prelude::*;

use super::state::FormCtx;
use crate::i18n;

/// What a field says under its control: an error or a warning. In the page only while there is something to
/// say, so an `aria-describedby` never points at an empty element. One component for every field and list row,
/// so its view code exists once in the bundle.
#[component]
pub fn Note(
    /// The element id (`…-error`, `…-warning`); may follow a list row as it moves.
    #[prop(into)]
    id: Signal<String>,
    /// The text, or `None` for nothing.
    #[prop(into)]
    text: Signal<Option<String>>,
    /// A warning (with its "Warning:" lead) rather than an error.
    #[prop(optional)]
    warning: bool,
) -> impl IntoView {
    let locale = expect_context::<FormCtx>().locale();
    let class = if warning {
        "ws-field__warning"
    } else {
        "ws-field__error"
    };
    move || {
        text.get().map(|t| {
            let lead = warning.then(|| format!("{}: ", i18n::WARNING.get(locale.get())));
            view! { <p id=id.get() class=class><strong>{lead}</strong>{t}</p> }
        })
    }
}
