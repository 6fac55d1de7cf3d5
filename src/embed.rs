//! Using the form in a page that is not a Leptos app.
//!
//! - The custom element `<create-workspace-form>`, defined by `dist/create-workspace.js` (a module that calls
//!   [`mount_create_workspace`] for each element; see `scripts/create-workspace.js`).
//! - From JavaScript: `mountCreateWorkspace(element, {apiBase, region, locale, theme, authToken, idPrefix,
//!   persist, timeoutMs, onCreated})` returns a handle with `setLocale`, `setRegion`, `setTheme`, `setApiBase`
//!   and `unmount`.
//! - Elements with a `data-create-workspace` attribute, which the page's own `main` mounts: options from
//!   `data-api-base`, `data-region`, `data-locale`, `data-theme`, `data-id-prefix`, `data-persist`, or
//!   `<meta name="create-workspace:api-base">`. There is deliberately no attribute for an access token: HTML is
//!   served to anyone, so the form asks for the token when the server wants one.
//!
//! Every creation fires a bubbling, composed `workspace-created` event on the element, with
//! `{workspaceId, operationId, requestId, regionId}` as its detail.

use std::{any::Any, cell::RefCell, rc::Rc};

use leptos::prelude::*;
use wasm_bindgen::{JsCast, prelude::*};
use web_sys::HtmlElement;
use workspace_model::Locale;

use crate::{CreateWorkspaceForm, Theme, WorkspaceCreated};

/// The options of one mounted form.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MountOptions {
    pub api_base: Option<String>,
    pub region: Option<String>,
    pub locale: Option<Locale>,
    pub theme: Option<Theme>,
    /// For apps that manage the token themselves (never read from HTML).
    pub auth_token: Option<String>,
    pub id_prefix: Option<String>,
    pub persist: bool,
    pub timeout_ms: Option<u32>,
}

/// The props a host may change after mount.
#[derive(Clone, Copy)]
struct Live {
    api_base: RwSignal<Option<String>>,
    region: RwSignal<Option<String>>,
    locale: RwSignal<Option<Locale>>,
    theme: RwSignal<Option<Theme>>,
}

/// A mounted form; dropping it (or calling `unmount` from JavaScript) removes the form.
#[wasm_bindgen]
pub struct MountedForm {
    handle: Option<Box<dyn Any>>,
    live: Live,
}

#[wasm_bindgen]
impl MountedForm {
    /// Removes the form from the page.
    pub fn unmount(&mut self) {
        self.handle.take();
    }

    /// `"en"`, `"zh"` (or any BCP 47 tag); empty: the browser's language.
    #[wasm_bindgen(js_name = setLocale)]
    pub fn set_locale(&self, tag: &str) {
        self.live.locale.try_set(Some(
            non_empty(tag).map_or_else(crate::form::browser_locale, Locale::from_tag),
        ));
    }

    /// A region id such as `cn-shanghai`; the form moves to it (unknown ids are ignored).
    #[wasm_bindgen(js_name = setRegion)]
    pub fn set_region(&self, region: &str) {
        self.live
            .region
            .try_set(non_empty(region).map(str::to_owned));
    }

    /// `light`, `dark` or `auto`.
    #[wasm_bindgen(js_name = setTheme)]
    pub fn set_theme(&self, theme: &str) {
        self.live.theme.try_set(Theme::parse(theme));
    }

    /// The API's base URL; empty: the page's origin.
    #[wasm_bindgen(js_name = setApiBase)]
    pub fn set_api_base(&self, base: &str) {
        self.live
            .api_base
            .try_set(non_empty(base).map(str::to_owned));
    }
}

fn non_empty(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

/// Mounts the form into `element`. `options` is an object (or undefined) with optional `apiBase`, `region`,
/// `locale` (`"en"`/`"zh"`), `theme` (`"light"`/`"dark"`/`"auto"`), `authToken`, `idPrefix`, `persist` (default
/// true), `timeoutMs` and `onCreated` (a function called with `{workspaceId, operationId, requestId, regionId}`).
#[wasm_bindgen(js_name = mountCreateWorkspace)]
pub fn mount_create_workspace(element: HtmlElement, options: JsValue) -> MountedForm {
    let get = |name: &str| crate::js::get(&options, name);
    let text = |name: &str| crate::js::string(&options, name).filter(|s| !s.is_empty());
    let parsed = MountOptions {
        api_base: text("apiBase"),
        region: text("region"),
        locale: text("locale").map(|l| Locale::from_tag(&l)),
        theme: text("theme").and_then(|t| Theme::parse(&t)),
        auth_token: text("authToken"),
        id_prefix: text("idPrefix"),
        persist: get("persist").as_bool().unwrap_or(true),
        timeout_ms: get("timeoutMs").as_f64().map(|n| n as u32),
    };
    let callback = get("onCreated").dyn_into::<js_sys::Function>().ok();
    mount(element, parsed, callback)
}

/// Mounts a form into every element with a `data-create-workspace` attribute; the page keeps them for its life.
pub fn mount_all() {
    let Ok(nodes) = document().query_selector_all("[data-create-workspace]") else {
        return;
    };
    for i in 0..nodes.length() {
        if let Some(element) = nodes.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
            let options = options_from_attributes(&element);
            std::mem::forget(mount(element, options, None));
        }
    }
}

fn options_from_attributes(element: &HtmlElement) -> MountOptions {
    let attribute = |name: &str| {
        element
            .get_attribute(&format!("data-{name}"))
            .or_else(|| meta(&format!("create-workspace:{name}")))
            .filter(|v| !v.is_empty())
    };
    MountOptions {
        api_base: attribute("api-base"),
        region: attribute("region"),
        locale: attribute("locale").map(|l| Locale::from_tag(&l)),
        theme: attribute("theme").and_then(|t| Theme::parse(&t)),
        auth_token: None,
        id_prefix: attribute("id-prefix"),
        persist: attribute("persist").is_none_or(|v| v != "false"),
        timeout_ms: attribute("timeout-ms").and_then(|v| v.parse().ok()),
    }
}

fn meta(name: &str) -> Option<String> {
    document()
        .query_selector(&format!("meta[name=\"{name}\"]"))
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"))
}

fn mount(
    element: HtmlElement,
    options: MountOptions,
    callback: Option<js_sys::Function>,
) -> MountedForm {
    let target = element.clone();
    let on_created = Callback::new(move |created: WorkspaceCreated| {
        let detail = JsValue::from(js_sys::Object::new());
        for (key, value) in [
            ("workspaceId", &created.response.workspace_id),
            ("operationId", &created.response.operation_id),
            ("requestId", &created.response.request_id),
            ("regionId", &created.region_id),
        ] {
            crate::js::set(&detail, key, &JsValue::from_str(value));
        }
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        // Out of a shadow root too, for hosts that put the element in one.
        init.set_composed(true);
        init.set_detail(&detail);
        if let Ok(event) =
            web_sys::CustomEvent::new_with_event_init_dict("workspace-created", &init)
        {
            let _ = target.dispatch_event(&event);
        }
        if let Some(f) = &callback {
            let _ = f.call1(&JsValue::NULL, &detail);
        }
    });
    // The live props are made inside the mount, so they belong to (and go with) the form's owner.
    let live = Rc::new(RefCell::new(None::<Live>));
    let handed_out = live.clone();
    let handle = leptos::mount::mount_to(element, move || {
        let MountOptions {
            api_base,
            region,
            locale,
            theme,
            auth_token,
            id_prefix,
            persist,
            timeout_ms,
        } = options.clone();
        let signals = Live {
            api_base: RwSignal::new(api_base),
            region: RwSignal::new(region),
            locale: RwSignal::new(locale),
            theme: RwSignal::new(theme),
        };
        *handed_out.borrow_mut() = Some(signals);
        view! {
            <CreateWorkspaceForm
                api_base=Signal::derive(move || signals.api_base.get())
                region=Signal::derive(move || signals.region.get())
                locale=Signal::derive(move || signals.locale.get())
                theme=Signal::derive(move || signals.theme.get())
                auth_token=auth_token.unwrap_or_default()
                id_prefix=id_prefix.unwrap_or_default()
                persist=persist
                timeout_ms=timeout_ms.unwrap_or(30_000)
                on_created=on_created
            />
        }
    });
    let live = live
        .borrow_mut()
        .take()
        .expect("mount_to runs the view at once");
    MountedForm {
        handle: Some(Box::new(handle)),
        live,
    }
}
