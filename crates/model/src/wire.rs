//! Reading a CreateWorkspace JSON body back into a [`FormState`], for servers.
//!
//! A server must validate with the same rules as the browser, and those rules live on [`FormState`]. This module
//! walks the catalogue to read each parameter from the JSON, refusing wrong JSON types and parameters that do not
//! apply (a subscription field under pay-as-you-go), so that nothing a client sends is silently dropped.
//! Unknown keys are ignored, as Alibaba's API does. `null` counts as absent.

use serde_json::{Map, Value};

use crate::{
    catalogue::{FIELDS, Field, FieldKey, Wire},
    form::{FormState, TagRow},
    text::Message,
    validate::{Code, FieldError},
};

/// Reads a request (query `regionId` and JSON body) into a form, ready for [`crate::validate`].
pub fn from_wire(region_id: Option<&str>, body: &Value) -> Result<FormState, FieldError> {
    let Value::Object(obj) = body else {
        return Err(FieldError::new(
            "body",
            Code::WrongType,
            Message::new(
                "The request body must be a JSON object.",
                "请求体必须是 JSON 对象。",
            ),
        ));
    };
    let mut form = FormState {
        region_id: region_id.unwrap_or_default().to_owned(),
        ..FormState::default()
    };
    let mut present = Vec::new();
    for field in FIELDS.iter().filter(|f| f.wire != Wire::Query) {
        let Some(value) = lookup(obj, field.path)? else {
            continue;
        };
        present.push(field.key);
        read(&mut form, field, value)?;
    }
    // With a paymentType that is itself wrong, which fields apply is unknown: leave the verdict to
    // `validate`, which names paymentType, the real problem.
    if payment_type_is_known(&form) {
        for key in present {
            if !key.field().applies_to(&form) {
                return Err(not_applicable(key));
            }
        }
    }
    if form.is_subscription() && !has(obj, FieldKey::AutoRenew.path()) {
        return Err(FieldError::new(
            FieldKey::AutoRenew.path(),
            Code::Required,
            Message::new(
                "Required for subscription billing: \"true\" or \"false\".",
                "包年包月时必填：\"true\" 或 \"false\"。",
            ),
        ));
    }
    Ok(form)
}

fn payment_type_is_known(form: &FormState) -> bool {
    match FieldKey::PaymentType.field().control {
        crate::catalogue::Control::Select(choices) => {
            choices.iter().any(|c| c.value == form.payment_type)
        }
        _ => false,
    }
}

fn has(obj: &Map<String, Value>, key: &str) -> bool {
    obj.get(key).is_some_and(|v| !v.is_null())
}

/// Finds a dotted path; `Ok(None)` when absent or null, `Err` when a parent is not an object.
fn lookup<'a>(obj: &'a Map<String, Value>, path: &str) -> Result<Option<&'a Value>, FieldError> {
    let mut current = obj;
    let mut parts = path.split('.').peekable();
    let mut walked = String::new();
    while let Some(part) = parts.next() {
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(part);
        let value = match current.get(part) {
            None | Some(Value::Null) => return Ok(None),
            Some(v) => v,
        };
        if parts.peek().is_none() {
            return Ok(Some(value));
        }
        match value {
            Value::Object(inner) => current = inner,
            _ => return Err(wrong_type(&walked, "an object", "对象")),
        }
    }
    Ok(None)
}

fn read(form: &mut FormState, field: &Field, value: &Value) -> Result<(), FieldError> {
    let path = field.path;
    match (field.wire, value) {
        (Wire::Str, Value::String(s)) => {
            form.set_text(field.key, s);
        }
        (Wire::Str, _) => return Err(wrong_type(path, "a string", "字符串")),
        (Wire::Int, Value::Number(n)) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => {
                form.set_text(field.key, &i.to_string());
            }
            (None, Some(u)) => {
                form.set_text(field.key, &u.to_string());
            }
            _ => return Err(wrong_type(path, "an integer", "整数")),
        },
        (Wire::Int, _) => return Err(wrong_type(path, "an integer", "整数")),
        (Wire::BoolString, Value::String(s)) if s == "true" || s == "false" => {
            form.set_flag(field.key, s == "true");
        }
        (Wire::BoolString, _) => {
            return Err(wrong_type(
                path,
                "the string \"true\" or \"false\"",
                "字符串 \"true\" 或 \"false\"",
            ));
        }
        (Wire::Bool, Value::Bool(b)) => {
            form.set_flag(field.key, *b);
        }
        (Wire::Bool, _) => return Err(wrong_type(path, "a boolean", "布尔值")),
        (Wire::StrArray, Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) => form.gpu_spec.push(s.clone()),
                    _ => return Err(wrong_type(&format!("{path}[{i}]"), "a string", "字符串")),
                }
            }
        }
        (Wire::TagArray, Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let Value::Object(tag) = item else {
                    return Err(wrong_type(
                        &format!("{path}[{i}]"),
                        "an object with key and value",
                        "包含 key 和 value 的对象",
                    ));
                };
                let text = |name: &str| match tag.get(name) {
                    None | Some(Value::Null) => Ok(String::new()),
                    Some(Value::String(s)) => Ok(s.clone()),
                    Some(_) => Err(wrong_type(
                        &format!("{path}[{i}].{name}"),
                        "a string",
                        "字符串",
                    )),
                };
                form.tags.push(TagRow {
                    key: text("key")?,
                    value: text("value")?,
                });
            }
        }
        (Wire::StrArray | Wire::TagArray, _) => return Err(wrong_type(path, "an array", "数组")),
        (Wire::Query, _) => {}
    }
    Ok(())
}

fn wrong_type(path: &str, en: &str, zh: &str) -> FieldError {
    FieldError::new(
        path,
        Code::WrongType,
        Message::new(format!("Must be {en}."), format!("必须是{zh}。")),
    )
}

fn not_applicable(key: FieldKey) -> FieldError {
    let (en, zh) = if key.field().applies == crate::catalogue::Applies::AutoRenew {
        (
            "Only allowed for subscription billing with autoRenew \"true\".",
            "仅在包年包月且 autoRenew 为 \"true\" 时可用。",
        )
    } else {
        (
            "Only allowed for subscription billing (paymentType \"Pre\").",
            "仅在包年包月（paymentType 为 \"Pre\"）时可用。",
        )
    };
    FieldError::new(key.path(), Code::NotApplicable, Message::new(en, zh))
}
