//! Mounting the form into a plain page, without writing Rust.
//!
//! Options come from a JS object (`mountCreateWorkspace(el, {apiBase, region, locale, authToken, idPrefix,
//! persist, timeoutMs, onCreated})`) or from the element's data attributes (`data-api-base`, `data-region`,
//! `data-locale`, `data-auth-token`, `data-id-prefix`, `data-persist`), falling back to `<meta
//! name="create-workspace:api-base">` and friends. Every creation also fires a bubbling `workspace-created`
//! DOM event on the element, with `{workspaceId, operationId, requestId}` as its detail.

use std::any::Any;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, prelude::*};
use web_sys::HtmlElement;
use workspace_model::{CreateWorkspaceResponse, Locale};

use crate::CreateWorkspaceForm;

/// The options of one mounted form.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MountOptions {
    pub api_base: Option<String>,
    pub region: Option<String>,
    pub locale: Option<Locale>,
    pub auth_token: Option<String>,
    pub id_prefix: Option<String>,
    pub persist: bool,
    pub timeout_ms: Option<u32>,
}

/// A mounted form; dropping it (or calling `unmount` from JavaScript) removes the form.
#[wasm_bindgen]
pub struct MountedForm {
    handle: Option<Box<dyn Any>>,
}

#[wasm_bindgen]
impl MountedForm {
    /// Removes the form from the page.
    pub fn unmount(&mut self) {
        self.handle.take();
    }
}

/// Mounts the form into `element`. `options` is an object (or undefined) with optional `apiBase`, `region`,
/// `locale` (`"en"`/`"zh"`), `authToken`, `idPrefix`, `persist` (default true), `timeoutMs` and `onCreated`
/// (a function called with `{workspaceId, operationId, requestId}`).
#[wasm_bindgen(js_name = mountCreateWorkspace)]
pub fn mount_create_workspace(element: HtmlElement, options: JsValue) -> MountedForm {
    let get = |name: &str| crate::js::get(&options, name);
    let text = |name: &str| crate::js::string(&options, name).filter(|s| !s.is_empty());
    let parsed = MountOptions {
        api_base: text("apiBase"),
        region: text("region"),
        locale: text("locale").map(|l| Locale::from_tag(&l)),
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
        auth_token: attribute("auth-token"),
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
    let on_created = Callback::new(move |response: CreateWorkspaceResponse| {
        let detail = JsValue::from(js_sys::Object::new());
        for (key, value) in [
            ("workspaceId", &response.workspace_id),
            ("operationId", &response.operation_id),
            ("requestId", &response.request_id),
        ] {
            crate::js::set(&detail, key, &JsValue::from_str(value));
        }
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
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
    let handle = leptos::mount::mount_to(element, move || {
        let MountOptions {
            api_base,
            region,
            locale,
            auth_token,
            id_prefix,
            persist,
            timeout_ms,
        } = options.clone();
        view! {
            <CreateWorkspaceForm
                api_base=api_base.unwrap_or_default()
                default_region=region.unwrap_or_default()
                locale=locale.unwrap_or_else(crate::form::browser_locale)
                auth_token=auth_token.unwrap_or_default()
                id_prefix=id_prefix.unwrap_or_default()
                persist=persist
                timeout_ms=timeout_ms.unwrap_or(30_000)
                on_created=on_created
            />
        }
    });
    MountedForm {
        handle: Some(Box::new(handle)),
    }
}
