//! Keeps what a person typed in `localStorage`, so a reload or a crashed tab loses nothing (the client token
//! included, which keeps a retry after a reload idempotent). The format is the catalogue's: wire paths as keys,
//! lists as arrays of their parts.

use leptos::prelude::*;
use wasm_bindgen::JsValue;
use workspace_model::{FIELDS, FormState, catalogue::Control};

use crate::{form::state::FormSignals, js};

/// How long typing must pause before the draft is written: one write per pause, not one per keystroke.
const SAVE_AFTER_MS: u64 = 400;

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
            Control::List(list) => {
                *form.rows_mut(field.key) = js::items(&saved, field.path)
                    .iter()
                    .map(|row| {
                        // Arrays of parts; drafts of earlier versions kept objects, or plain strings.
                        let cell = |i: usize| match row.as_string() {
                            Some(s) => (i == 0).then_some(s),
                            None => js::get(row, &i.to_string())
                                .as_string()
                                .or_else(|| js::string(row, list.parts[i].name)),
                        };
                        (0..list.parts.len())
                            .map(|i| cell(i).unwrap_or_default())
                            .collect()
                    })
                    .collect();
            }
            _ => {
                if let Some(s) = value.as_string() {
                    form.set(field.key, s);
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
            Control::Checkbox => JsValue::from_bool(form.flag(field.key)),
            // Each row as an array of its parts: the same shape for every kind of list.
            Control::List(_) => form
                .rows(field.key)
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|c| JsValue::from_str(c))
                        .collect::<js_sys::Array>()
                })
                .collect::<js_sys::Array>()
                .into(),
            _ => JsValue::from_str(form.get(field.key)),
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

/// Saves the form under `key` a moment after each change, and at once when the page is hidden or left, until
/// `done` (a workspace was created: its draft is cleared, not rewritten).
pub fn keep(key: String, fields: FormSignals, done: Signal<bool>) {
    let key = StoredValue::new(key);
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let flush = move || {
        if let Some(handle) = pending.try_update_value(Option::take).flatten() {
            handle.clear();
            // Nothing to save once the form is gone, or once it created its workspace.
            if done.try_get_untracked() == Some(false) && !fields.is_disposed() {
                key.with_value(|k| save(k, &fields.snapshot()));
            }
        }
    };
    Effect::new(move |first: Option<()>| {
        fields.track_all();
        if first.is_none() || done.get_untracked() {
            return;
        }
        if let Some(old) = pending.try_update_value(Option::take).flatten() {
            old.clear();
        }
        let handle =
            set_timeout_with_handle(flush, std::time::Duration::from_millis(SAVE_AFTER_MS)).ok();
        pending.set_value(handle);
    });
    // A reload or a closed tab inside the pause still keeps the last keystrokes.
    let on_hide = window_event_listener(leptos::ev::pagehide, move |_| flush());
    // Unmounted inside the pause (a host page that removes the form): save what the pause was holding back.
    on_cleanup(move || {
        on_hide.remove();
        flush();
    });
}
