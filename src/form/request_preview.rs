use leptos::{ev::KeyboardEvent, prelude::*};
use workspace_model::{Text, validate::body};

use super::{
    copy_button::CopyButton,
    state::{FormCtx, REGION, focus_element},
};
use crate::{
    api,
    i18n::{self, tr},
    snippets,
};

/// The tabs, one block each, in order (`Tab::ALL[tab as usize] == tab`). One block at a time, so the preview
/// stays short wherever it is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Json,
    Curl,
    Python,
    Node,
    RosYaml,
    RosJson,
}

impl Tab {
    const ALL: [Tab; 6] = [
        Tab::Json,
        Tab::Curl,
        Tab::Python,
        Tab::Node,
        Tab::RosYaml,
        Tab::RosJson,
    ];

    /// The block's id suffix and name.
    fn id(self) -> &'static str {
        match self {
            Tab::Json => "body",
            Tab::Curl => "curl",
            Tab::Python => "python",
            Tab::Node => "node",
            Tab::RosYaml => "ros-yaml",
            Tab::RosJson => "ros-json",
        }
    }

    fn name(self) -> Text {
        match self {
            Tab::Json => i18n::TAB_JSON,
            Tab::Curl => i18n::TAB_CURL,
            Tab::Python => i18n::TAB_PYTHON,
            Tab::Node => i18n::TAB_NODE,
            Tab::RosYaml => i18n::TAB_ROS_YAML,
            Tab::RosJson => i18n::TAB_ROS_JSON,
        }
    }
}

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
    let locale = ctx.locale();
    let selected = RwSignal::new(Tab::Json);
    let id = ctx.prefixed("request");
    // The URL the call goes to, made absolute so the snippets run anywhere: a relative base is resolved against
    // this page's origin, as the browser resolves the call's.
    let url = move || {
        let region = ctx.fields().text(REGION).get();
        let base = ctx.endpoint().base.get();
        let base = if base.starts_with("http://") || base.starts_with("https://") {
            base
        } else {
            format!("{}{base}", window().location().origin().unwrap_or_default())
        };
        api::create_workspace_url(&base, &region)
    };
    let region = move || ctx.fields().text(REGION).get();
    // One tab's text, only while open and shown; each reads only what it depends on.
    let part = move |tab: Tab| {
        if !open.get() || selected.get() != tab {
            return String::new();
        }
        let body = body(&ctx.fields());
        match tab {
            Tab::Json => body.to_json(),
            Tab::Curl => snippets::curl(
                &url(),
                &body.to_json(),
                ctx.endpoint().token.get().as_deref(),
            ),
            Tab::Python => snippets::python(&region(), &body),
            Tab::Node => snippets::node(&region(), &body),
            tab @ (Tab::RosYaml | Tab::RosJson) => {
                snippets::ros(&region(), body, tab == Tab::RosYaml)
            }
        }
    };
    let tab_id = {
        let id = id.clone();
        move |tab: Tab| format!("{id}-tab-{}", tab.id())
    };
    // Arrow keys move along the tabs and show the one reached (automatic activation); Home and End go to the ends.
    let on_key = {
        let tab_id = tab_id.clone();
        move |ev: KeyboardEvent| {
            let (n, now) = (Tab::ALL.len(), selected.get_untracked() as usize);
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
            let next = Tab::ALL[next];
            selected.set(next);
            focus_element(&tab_id(next));
        }
    };
    let tabs = Tab::ALL
        .into_iter()
        .map(|tab| {
            let is = move || selected.get() == tab;
            view! {
                <button
                    type="button"
                    role="tab"
                    class="ws-tab"
                    id=tab_id(tab)
                    aria-selected=move || is().to_string()
                    aria-controls=format!("{id}-panel-{}", tab.id())
                    tabindex=move || if is() { "0" } else { "-1" }
                    on:click=move |_| selected.set(tab)
                >
                    {tr(locale, tab.name())}
                </button>
            }
        })
        .collect_view();
    let panels = Tab::ALL
        .into_iter()
        .map(|tab| {
            let text = Signal::derive(move || part(tab));
            view! {
                <div
                    role="tabpanel"
                    class="ws-code"
                    id=format!("{id}-panel-{}", tab.id())
                    aria-labelledby=tab_id(tab)
                    hidden=move || selected.get() != tab
                >
                    <CopyButton text=text what=tab.name() />
                    <pre class="ws-code__body" id=format!("{id}-{}", tab.id()) aria-labelledby=tab_id(tab) tabindex="0"><code>{move || text.get()}</code></pre>
                </div>
            }
        })
        .collect_view();
    let created = move || ctx.submission().with(|s| s.created().is_some());
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
