use leptos::{ev::KeyboardEvent, prelude::*};
use workspace_model::{FieldKey, Text, validate::body};

use super::{
    copy_button::CopyButton,
    state::{FormCtx, focus_element},
};
use crate::{
    api,
    i18n::{self, tr},
    snippets,
};

/// The tabs: each block's id suffix and name. One block at a time, so the preview stays short wherever it is.
const TABS: [(&str, Text); 6] = [
    ("body", i18n::TAB_JSON),
    ("curl", i18n::TAB_CURL),
    ("python", i18n::TAB_PYTHON),
    ("node", i18n::TAB_NODE),
    ("ros-yaml", i18n::TAB_ROS_YAML),
    ("ros-json", i18n::TAB_ROS_JSON),
];

/// "Request": the exact request the form will send, live, and the same request as curl, Python, Node.js and a ROS
/// template, behind WAI-ARIA tabs. A place of its own rather than the sticky submit bar, which it used to grow
/// over the fields: beside the form on wide screens, below it on narrow ones (style/main.css). Worked out only
/// while open, and only the shown tab, so typing costs nothing extra while it is closed.
#[component]
pub fn RequestPreview(
    /// Whether the preview is shown; the toggle in the submit bar sets it.
    open: RwSignal<bool>,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let locale = ctx.locale;
    let selected = RwSignal::new(0usize);
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
    let region = move || ctx.fields.text_signal(FieldKey::RegionId).get();
    // One tab's text, only while open and shown; each reads only what it depends on.
    let part = move |i: usize| {
        if !open.get() || selected.get() != i {
            return String::new();
        }
        let body = body(&ctx.fields);
        match i {
            0 => body.to_json(),
            1 => snippets::curl(&url(), &body.to_json(), ctx.endpoint.token.get().as_deref()),
            2 => snippets::python(&region(), &body),
            3 => snippets::node(&region(), &body),
            _ => snippets::ros(&region(), body, i == 4),
        }
    };
    let tab_id = {
        let id = id.clone();
        move |i: usize| format!("{id}-tab-{}", TABS[i].0)
    };
    // Arrow keys move along the tabs and show the one reached (automatic activation); Home and End go to the ends.
    let on_key = {
        let tab_id = tab_id.clone();
        move |ev: KeyboardEvent| {
            let (n, now) = (TABS.len(), selected.get_untracked());
            // Read through js::get rather than `KeyboardEvent::key`, whose binding would add to the JS glue.
            let next = match crate::js::get(&ev, "key")
                .as_string()
                .unwrap_or_default()
                .as_str()
            {
                "ArrowRight" => (now + 1) % n,
                "ArrowLeft" => (now + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            ev.prevent_default();
            selected.set(next);
            focus_element(&tab_id(next));
        }
    };
    let tabs = (0..TABS.len())
        .map(|i| {
            let is = move || selected.get() == i;
            view! {
                <button
                    type="button"
                    role="tab"
                    class="ws-tab"
                    id=tab_id(i)
                    aria-selected=move || is().to_string()
                    aria-controls=format!("{id}-panel-{}", TABS[i].0)
                    tabindex=move || if is() { "0" } else { "-1" }
                    on:click=move |_| selected.set(i)
                >
                    {tr(locale, TABS[i].1)}
                </button>
            }
        })
        .collect_view();
    let panels = (0..TABS.len())
        .map(|i| {
            let text = Signal::derive(move || part(i));
            view! {
                <div
                    role="tabpanel"
                    class="ws-code"
                    id=format!("{id}-panel-{}", TABS[i].0)
                    aria-labelledby=tab_id(i)
                    hidden=move || selected.get() != i
                >
                    <CopyButton text=text what=TABS[i].1 />
                    <pre class="ws-code__body" id=format!("{id}-{}", TABS[i].0) aria-labelledby=tab_id(i) tabindex="0"><code>{move || text.get()}</code></pre>
                </div>
            }
        })
        .collect_view();
    let created = move || ctx.submission.with(|s| s.created().is_some());
    // Opened, it is shown where the person is: below the whole form on a phone it would open out of sight. Escape
    // closes it and gives focus back to the toggle (as closing with the toggle leaves it there).
    Effect::new({
        let id = id.clone();
        move |was_open: Option<bool>| {
            let is_open = open.get();
            if is_open && was_open == Some(false) {
                let id = id.clone();
                request_animation_frame(move || show(&id));
            }
            is_open
        }
    });
    let toggle = ctx.prefixed("request-toggle");
    let on_escape = move |ev: KeyboardEvent| {
        if crate::js::get(&ev, "key").as_string().as_deref() == Some("Escape") {
            ev.prevent_default();
            open.set(false);
            focus_element(&toggle);
        }
    };
    view! {
        <aside
            class="ws-preview"
            id=id.clone()
            aria-labelledby=format!("{id}-title")
            tabindex="-1"
            on:keydown=on_escape
            hidden=move || !open.get() || created()
        >
            <h2 class="ws-preview__title" id=format!("{id}-title")>{tr(locale, i18n::REQUEST)}</h2>
            <pre class="ws-code__body" id=format!("{id}-url") aria-label=tr(locale, i18n::REQUEST_LINE) tabindex="0"><code>{move || if open.get() { format!("POST {}", url()) } else { String::new() }}</code></pre>
            <div class="ws-tabs" role="tablist" aria-label=tr(locale, i18n::REQUEST_AS) on:keydown=on_key>
                {tabs}
            </div>
            {panels}
        </aside>
    }
}

/// Gives the opened preview focus (a screen reader reads it out; Escape reaches it) and, unless its top already lies
/// in the upper half of the viewport (beside the form on a wide screen), scrolls its top to the top of the viewport.
fn show(id: &str) {
    focus_element(id);
    let Some(preview) = document().get_element_by_id(id) else {
        return;
    };
    let top = preview.get_bounding_client_rect().top();
    let height = window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or_default();
    if !(0.0..height / 2.0).contains(&top) {
        preview.scroll_into_view_with_bool(true);
    }
}
