//! Reading and writing JSON through the browser's own `JSON` object: the page then needs no JSON parser of its
//! own, which keeps the WebAssembly small.

use wasm_bindgen::{JsCast, JsValue};
use workspace_model::json::Read;

/// Parses JSON text; `None` when it is not JSON.
pub fn parse(text: &str) -> Option<JsValue> {
    js_sys::JSON::parse(text).ok()
}

/// Serializes a value to JSON text.
pub fn stringify(value: &JsValue) -> Option<String> {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
}

/// A member of an object (`undefined` when absent or when `value` is not an object).
pub fn get(value: &JsValue, key: &str) -> JsValue {
    if !value.is_object() {
        return JsValue::UNDEFINED;
    }
    js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A string member of an object.
pub fn string(value: &JsValue, key: &str) -> Option<String> {
    get(value, key).as_string()
}

/// Sets a member of an object.
pub fn set(object: &JsValue, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(object, &JsValue::from_str(key), value);
}

/// The items of an array member (empty when absent or not an array).
pub fn items(value: &JsValue, key: &str) -> Vec<JsValue> {
    array(&get(value, key))
}

/// The items of an array (empty for anything else).
fn array(value: &JsValue) -> Vec<JsValue> {
    if js_sys::Array::is_array(value) {
        js_sys::Array::from(value).iter().collect()
    } else {
        Vec::new()
    }
}

/// A value the browser parsed, read by the model's trusting reader in place ([`workspace_model::Policy::read`]):
/// the page then needs neither a JSON parser nor a tree of its own. A number reads as the text
/// `JSON.stringify` gives it (`64`).
pub struct Parsed(pub JsValue);

impl Read for Parsed {
    fn members(&self) -> Vec<(String, Parsed)> {
        let value = &self.0;
        if !value.is_object() || js_sys::Array::is_array(value) {
            return Vec::new();
        }
        js_sys::Object::entries(value.unchecked_ref())
            .iter()
            .map(|pair| {
                let pair = js_sys::Array::from(&pair);
                (
                    pair.get(0).as_string().unwrap_or_default(),
                    Parsed(pair.get(1)),
                )
            })
            .collect()
    }

    fn texts(&self) -> Vec<String> {
        array(&self.0)
            .into_iter()
            .filter_map(|item| Parsed(item).text())
            .collect()
    }

    fn text(&self) -> Option<String> {
        let value = &self.0;
        if let Some(b) = value.as_bool() {
            Some(b.to_string())
        } else if value.as_f64().is_some() {
            stringify(value)
        } else {
            value.as_string()
        }
    }
}
