//! Reading and writing JSON through the browser's own `JSON` object: the page then needs no JSON parser of its
//! own, which keeps the WebAssembly small.

use wasm_bindgen::JsValue;

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
    let member = get(value, key);
    if js_sys::Array::is_array(&member) {
        js_sys::Array::from(&member).iter().collect()
    } else {
        Vec::new()
    }
}
