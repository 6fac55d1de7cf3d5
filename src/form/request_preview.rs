use leptos::prelude::*;
use workspace_model::{FieldKey, validate::body};

use super::{copy_button::CopyButton, state::FormCtx};
use crate::{
    api,
    i18n::{self, tr},
    snippets,
};

/// "Request": the exact request the form will send, live, with curl and Python snippets to copy. Worked out only
/// while open, so typing costs nothing extra while it is closed.
#[component]
pub fn RequestPreview() -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let locale = ctx.locale;
    let open = RwSignal::new(false);
    let id = ctx.prefixed("request");
    // The URL the call goes to, made absolute so the snippets run anywhere: a relative base is resolved against
    // this page's origin, as the browser resolves the call's.
    let url = move || {
        let region = ctx.fields.text_signal(FieldKey::RegionId).get();
        let base = ctx.endpoint.base.get();
        let base = if base.starts_with("http://") || base.starts_with("https://") {
            base
        } else {
            format!("{}{base}", window().location().origin().unwrap_or_default())
        };
        api::create_workspace_url(&base, &region)
    };
    // One block's text (the request line, the body, curl or Python), only while open. Each block works out just its
    // own part and reads only what that part depends on (the request line not the fields), and no memo type is
    // needed for it in the bundle.
    let part = move |i: usize| {
        if !open.get() {
            return String::new();
        }
        match i {
            0 => format!("POST {}", url()),
            1 => body(&ctx.fields).to_json(),
            2 => snippets::curl(
                &url(),
                &body(&ctx.fields).to_json(),
                ctx.endpoint.token.get().as_deref(),
            ),
            _ => snippets::python(
                &ctx.fields.text_signal(FieldKey::RegionId).get(),
                &body(&ctx.fields),
            ),
        }
    };
    let block = move |i: usize, title: workspace_model::Text, copy: bool| {
        let code_id = format!("{}-{}", id, ["url", "body", "curl", "python"][i]);
        let labelledby = format!("{code_id}-title");
        let text = Signal::derive(move || part(i));
        view! {
            <figure class="ws-code">
                <figcaption class="ws-code__title">
                    <span id=labelledby.clone()>{tr(locale, title)}</span>
                    {copy.then(|| view! { <CopyButton text=text what=title /> })}
                </figcaption>
                <pre class="ws-code__body" id=code_id aria-labelledby=labelledby tabindex="0"><code>{move || text.get()}</code></pre>
            </figure>
        }
    };
    view! {
        <details
            class="ws-preview"
            on:toggle:target=move |ev| open.set(crate::js::get(&ev.target(), "open").as_bool().unwrap_or(false))
        >
            <summary class="ws-preview__summary">{tr(locale, i18n::REQUEST)}</summary>
            <div class="ws-preview__body">
                {block(0, i18n::REQUEST_LINE, false)}
                {block(1, i18n::REQUEST_BODY, true)}
                {block(2, i18n::COPY_AS_CURL, true)}
                {block(3, i18n::COPY_AS_PYTHON, true)}
            </div>
        </details>
    }
}
