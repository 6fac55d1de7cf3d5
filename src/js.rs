//! Reading and writing JSON through the browser's own `JSON` object: the page then needs no JSON parser of its
//! own, which keeps the WebAssembly small.

use wasm_bindgen::{JsCast, JsValue};
use workspace_model::json::Node;

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

/// A value the browser parsed, as the model's JSON tree: the model reads a policy from it without a JSON parser
/// of its own in the page. A number keeps the text `JSON.stringify` gives it (`64`); members keep their order.
pub fn node(value: &JsValue) -> Node {
    if let Some(s) = value.as_string() {
        Node::Str(s)
    } else if let Some(b) = value.as_bool() {
        Node::Bool(b)
    } else if value.as_f64().is_some() {
        Node::Num(stringify(value).unwrap_or_default())
    } else if js_sys::Array::is_array(value) {
        Node::Arr(
            js_sys::Array::from(value)
                .iter()
                .map(|v| node(&v))
                .collect(),
        )
    } else if value.is_object() {
        Node::Obj(
            js_sys::Object::entries(value.unchecked_ref())
                .iter()
                .map(|pair| {
                    let pair = js_sys::Array::from(&pair);
                    (
                        pair.get(0).as_string().unwrap_or_default(),
                        node(&pair.get(1)),
                    )
                })
                .collect(),
        )
    } else {
        Node::Null
    }
}
