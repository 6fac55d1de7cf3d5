//! The request body as a small JSON tree, written exactly as the official SDK writes it: compact, keys in
//! byte order (the SDK's order), non-ASCII as is, and the escapes Python's `json.dumps` (and serde_json) use.
//!
//! Hand-written so the page carries no JSON serializer: the browser build stays small.

/// A JSON value of a request body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Json {
    Str(String),
    /// An integer, kept as its digits.
    Int(String),
    Bool(bool),
    Arr(Vec<Json>),
    /// Members in key order.
    Obj(Vec<(&'static str, Json)>),
}

impl Json {
    /// An empty object.
    pub fn object() -> Json {
        Json::Obj(Vec::new())
    }

    /// Sets a member at a dotted path (`resourceSpec.cu`), creating objects on the way and keeping every
    /// object's keys in order. Does nothing on a value that is not an object.
    pub fn insert(&mut self, path: &'static str, value: Json) {
        let Json::Obj(members) = self else { return };
        let (head, rest) = match path.split_once('.') {
            Some((head, rest)) => (head, Some(rest)),
            None => (path, None),
        };
        let at = match members.binary_search_by(|(k, _)| (*k).cmp(head)) {
            Ok(at) => at,
            Err(at) => {
                members.insert(at, (head, Json::object()));
                at
            }
        };
        match rest {
            Some(rest) => members[at].1.insert(rest, value),
            None => members[at].1 = value,
        }
    }

    /// The compact JSON text.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Str(s) => write_str(s, out),
            Json::Int(digits) => out.push_str(digits),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Obj(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// `s` as a JSON string literal. Also a valid Python string literal: the same escapes, non-ASCII as is.
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_str(s, &mut out);
    out
}

fn write_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_like_serde_json_compact() {
        let mut body = Json::object();
        body.insert(
            "workspaceName",
            Json::Str("a\"b\\c\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f}中/é\u{2028}".into()),
        );
        body.insert("resourceSpec.gpu", Json::Int("4".into()));
        body.insert("resourceSpec.cu", Json::Str("8".into()));
        body.insert("autoStartSessionCluster", Json::Bool(true));
        body.insert(
            "tag",
            Json::Arr(vec![Json::Obj(vec![("key", Json::Str("k".into()))])]),
        );
        let ours = body.to_json();
        let value: serde_json::Value = serde_json::from_str(&ours).unwrap();
        assert_eq!(ours, serde_json::to_string(&value).unwrap());
        assert!(ours.starts_with(
            r#"{"autoStartSessionCluster":true,"resourceSpec":{"cu":"8","gpu":4},"tag""#
        ));
    }

    #[test]
    fn insert_keeps_keys_in_byte_order() {
        let mut body = Json::object();
        for key in [
            "tag",
            "dlfType",
            "dlfCatalogId",
            "autoRenew",
            "autoRenewPeriod",
        ] {
            body.insert(key, Json::Bool(true));
        }
        assert_eq!(
            body.to_json(),
            r#"{"autoRenew":true,"autoRenewPeriod":true,"dlfCatalogId":true,"dlfType":true,"tag":true}"#
        );
    }
}
