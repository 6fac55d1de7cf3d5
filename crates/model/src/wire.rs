//! Reading a CreateWorkspace request (query `regionId` and JSON body) into a [`FormState`], for servers.
//!
//! Lenient where Alibaba's API is: numbers or numeric strings for `cu`, `gpu`, `duration` and `autoRenewPeriod`;
//! booleans or `"true"`/`"false"` for `autoRenew` and `autoStartSessionCluster` (see [`Wire`]). `null` counts as
//! absent, unknown keys are ignored, and fields that do not apply are read but then neither checked nor sent.
//! Only a JSON type the parameter cannot have is refused here; every other rule is [`mod@crate::validate`]'s.

use serde_json::{Map, Value};

use crate::{
    catalogue::{Control, FIELDS, Field, Wire},
    form::FormState,
    key::FieldKey,
    path::FieldPath,
};

/// Why a body could not be read into a form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// The body is not a JSON object.
    NotAnObject,
    /// A value has a JSON type its parameter cannot have; `expected` says what it should be, in English.
    WrongType {
        path: FieldPath,
        expected: &'static str,
    },
}

impl ReadError {
    /// The Alibaba-style code a server answers with.
    pub fn api_code(&self) -> String {
        match self {
            ReadError::NotAnObject => "InvalidParameter.body".to_owned(),
            ReadError::WrongType { path, .. } => format!("InvalidParameter.{path}"),
        }
    }

    pub fn api_message(&self) -> String {
        match self {
            ReadError::NotAnObject => "body: the request body must be a JSON object.".to_owned(),
            ReadError::WrongType { path, expected } => format!("{path}: must be {expected}."),
        }
    }
}

/// Reads a request into a form, ready for the rules.
pub fn from_wire(region_id: Option<&str>, body: &Value) -> Result<FormState, ReadError> {
    let Value::Object(obj) = body else {
        return Err(ReadError::NotAnObject);
    };
    let mut form = FormState::default();
    form.set(FieldKey::RegionId, region_id.unwrap_or_default());
    for field in FIELDS.iter().filter(|f| f.wire != Wire::Query) {
        if let Some(value) = lookup(obj, field)? {
            read(&mut form, field, value)?;
        }
    }
    Ok(form)
}

/// Finds a dotted path; `Ok(None)` when absent or null, `Err` when a parent is not an object.
fn lookup<'a>(obj: &'a Map<String, Value>, field: &Field) -> Result<Option<&'a Value>, ReadError> {
    let mut current = obj;
    let mut parts = field.path.split('.').peekable();
    while let Some(part) = parts.next() {
        let value = match current.get(part) {
            None | Some(Value::Null) => return Ok(None),
            Some(v) => v,
        };
        if parts.peek().is_none() {
            return Ok(Some(value));
        }
        match value {
            Value::Object(inner) => current = inner,
            // The parent (`resourceSpec`) is no parameter of its own: name the child, which is what was sent wrong.
            _ => return Err(wrong(FieldPath::field(field.key), "inside an object")),
        }
    }
    Ok(None)
}

fn read(form: &mut FormState, field: &Field, value: &Value) -> Result<(), ReadError> {
    let key = field.key;
    let path = FieldPath::field(key);
    let text = match (field.wire, value) {
        (Wire::Query, _) => return Ok(()),
        (Wire::List, _) => return read_list(form, field, value),
        (Wire::Str, Value::String(s)) => s.clone(),
        (Wire::Str, _) => return Err(wrong(path, "a string")),
        (Wire::NumStr | Wire::Int, Value::String(s)) => s.clone(),
        // The number as JSON wrote it (`8`, `8.5`, `-1`): the rules then say what is wrong with it.
        (Wire::NumStr | Wire::Int, Value::Number(n)) => n.to_string(),
        (Wire::NumStr | Wire::Int, _) => return Err(wrong(path, "a number or a numeric string")),
        (Wire::BoolStr | Wire::Bool, Value::Bool(b)) => b.to_string(),
        (Wire::BoolStr | Wire::Bool, Value::String(s)) if s == "true" || s == "false" => s.clone(),
        (Wire::BoolStr | Wire::Bool, _) => {
            return Err(wrong(path, "true or false (a boolean or the string)"));
        }
    };
    form.set(key, text);
    Ok(())
}

fn read_list(form: &mut FormState, field: &Field, value: &Value) -> Result<(), ReadError> {
    let key = field.key;
    let Control::List(list) = field.control else {
        return Ok(());
    };
    let Value::Array(items) = value else {
        return Err(wrong(FieldPath::field(key), "an array"));
    };
    let mut rows = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let row = if list.is_strings() {
            match item {
                Value::String(s) => vec![s.clone()],
                _ => return Err(wrong(FieldPath::cell(key, i, 0), "a string")),
            }
        } else {
            let Value::Object(members) = item else {
                return Err(wrong(FieldPath::row(key, i), "an object"));
            };
            let mut row = Vec::with_capacity(list.parts.len());
            for (p, part) in list.parts.iter().enumerate() {
                row.push(match members.get(part.name) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    Some(_) => return Err(wrong(FieldPath::cell(key, i, p), "a string")),
                });
            }
            row
        };
        rows.push(row);
    }
    *form.rows_mut(key) = rows;
    Ok(())
}

fn wrong(path: FieldPath, expected: &'static str) -> ReadError {
    ReadError::WrongType { path, expected }
}
