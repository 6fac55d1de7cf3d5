//! Keeps what a person typed in `localStorage`, so a reload or a crashed tab loses nothing (the client token
//! included, which keeps a retry after a reload idempotent). The format is the catalogue's: wire paths as keys.

use wasm_bindgen::JsValue;
use workspace_model::{FIELDS, FormState, TagRow, catalogue::Control};

use crate::js;

fn storage() -> Option<web_sys::Storage> {
    // Storage can be disabled (privacy settings, sandboxed iframes); drafts are then simply not kept.
    web_sys::window()?.local_storage().ok().flatten()
}

/// The saved draft, on top of a new form's defaults; `None` when there is none or it is unreadable.
pub fn load(key: &str) -> Option<FormState> {
    let saved = js::parse(&storage()?.get_item(key).ok()??)?;
    if !saved.is_object() {
        return None;
    }
    let mut form = FormState::new();
    for field in &FIELDS {
        let value = js::get(&saved, field.path);
        match field.control {
            Control::Checkbox => {
                if let Some(b) = value.as_bool() {
                    form.set_flag(field.key, b);
                }
            }
            Control::TagList => {
                form.tags = js::items(&saved, field.path)
                    .iter()
                    .map(|t| {
                        TagRow::new(
                            js::string(t, "key").unwrap_or_default(),
                            js::string(t, "value").unwrap_or_default(),
                        )
                    })
                    .collect();
            }
            Control::TextList => {
                form.gpu_spec = js::items(&saved, field.path)
                    .iter()
                    .filter_map(JsValue::as_string)
                    .collect();
            }
            _ => {
                if let Some(s) = value.as_string() {
                    form.set_text(field.key, &s);
                }
            }
        }
    }
    Some(form)
}

pub fn save(key: &str, form: &FormState) {
    let Some(storage) = storage() else { return };
    let object = JsValue::from(js_sys::Object::new());
    for field in &FIELDS {
        let value = match field.control {
            Control::Checkbox => JsValue::from_bool(form.flag(field.key).unwrap_or(false)),
            Control::TagList => form
                .tags
                .iter()
                .map(|t| {
                    let row = JsValue::from(js_sys::Object::new());
                    js::set(&row, "key", &JsValue::from_str(&t.key));
                    js::set(&row, "value", &JsValue::from_str(&t.value));
                    row
                })
                .collect::<js_sys::Array>()
                .into(),
            Control::TextList => form
                .gpu_spec
                .iter()
                .map(|s| JsValue::from_str(s))
                .collect::<js_sys::Array>()
                .into(),
            _ => JsValue::from_str(form.text(field.key).unwrap_or_default()),
        };
        js::set(&object, field.path, &value);
    }
    if let Some(text) = js::stringify(&object) {
        let _ = storage.set_item(key, &text);
    }
}

pub fn clear(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}
