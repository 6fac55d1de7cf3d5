//! The request body as a small JSON tree, written exactly as the official SDK writes it: compact, keys in
//! byte order (the SDK's order), non-ASCII as is, and the escapes Python's `json.dumps` (and serde_json) use.
//!
//! Hand-written so the page carries no JSON serializer: the browser build stays small. [`parse`] reads small
//! documents (a policy) into a [`Node`] for the same reason.

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

/// A parsed JSON value. Numbers keep their text (`64`, `8.5`), so nothing is lost or rounded before a rule looks
/// at them; object members keep their order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<Node>),
    Obj(Vec<(String, Node)>),
}

/// A parsed JSON value as a reader that trusts its shape walks it: [`Node`] here, and the browser's own
/// `JSON.parse` result in the page, read in place (no tree of its own, no parser of its own). What is not of the
/// kind asked for reads as nothing.
pub trait Read: Sized {
    /// An object's members, in order (none for anything else).
    fn members(&self) -> Vec<(String, Self)>;
    /// An array's items that are texts (see [`Read::text`]); none for anything else.
    fn texts(&self) -> Vec<String>;
    /// A string, a number or a boolean as the form holds it (`"64"`, `"true"`); `None` for anything else.
    fn text(&self) -> Option<String>;
}

impl Read for &Node {
    fn members(&self) -> Vec<(String, Self)> {
        match self {
            Node::Obj(members) => members.iter().map(|(k, v)| (k.clone(), v)).collect(),
            _ => Vec::new(),
        }
    }

    fn texts(&self) -> Vec<String> {
        match self {
            Node::Arr(items) => items.iter().filter_map(|item| item.text()).collect(),
            _ => Vec::new(),
        }
    }

    fn text(&self) -> Option<String> {
        match self {
            Node::Str(s) | Node::Num(s) => Some(s.clone()),
            Node::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

/// How deep arrays and objects may nest: a policy needs 4 levels; the limit keeps a hostile text from
/// overflowing the stack.
const MAX_DEPTH: usize = 32;

/// Reads one JSON document (RFC 8259, with surrounding whitespace). An object that repeats a key is refused:
/// its meaning would depend on which one a reader kept. The error says where, by line and column.
pub fn parse(text: &str) -> Result<Node, String> {
    let mut p = Parser {
        text,
        s: text.as_bytes(),
        at: 0,
    };
    let node = p.value(0).and_then(|node| {
        p.space();
        if p.at < p.s.len() {
            return Err("more after the JSON value".to_owned());
        }
        Ok(node)
    });
    node.map_err(|why| {
        let before = &text.as_bytes()[..p.at.min(text.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        format!("broken JSON at line {line}, column {column}: {why}")
    })
}

struct Parser<'a> {
    /// The text, whose bytes `s` are: runs between ASCII bytes are sliced from it, whole characters.
    text: &'a str,
    s: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        self.at += usize::from(hit);
        hit
    }

    fn word(&mut self, word: &str, node: Node) -> Result<Node, String> {
        if self.s[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(node)
        } else {
            Err("expected a value".to_owned())
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, String> {
        self.space();
        if depth > MAX_DEPTH {
            return Err("nested too deeply".to_owned());
        }
        match self.peek() {
            Some(b'{') => {
                self.at += 1;
                let mut members: Vec<(String, Node)> = Vec::new();
                self.space();
                if self.eat(b'}') {
                    return Ok(Node::Obj(members));
                }
                loop {
                    self.space();
                    let key = self.string()?;
                    if members.iter().any(|(k, _)| *k == key) {
                        return Err(format!("the key “{key}” appears twice"));
                    }
                    self.space();
                    if !self.eat(b':') {
                        return Err("expected :".to_owned());
                    }
                    let value = self.value(depth + 1)?;
                    members.push((key, value));
                    self.space();
                    if !self.eat(b',') {
                        break;
                    }
                }
                if !self.eat(b'}') {
                    return Err("expected , or }".to_owned());
                }
                Ok(Node::Obj(members))
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                self.space();
                if self.eat(b']') {
                    return Ok(Node::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.space();
                    if !self.eat(b',') {
                        break;
                    }
                }
                if !self.eat(b']') {
                    return Err("expected , or ]".to_owned());
                }
                Ok(Node::Arr(items))
            }
            Some(b'"') => self.string().map(Node::Str),
            Some(b't') => self.word("true", Node::Bool(true)),
            Some(b'f') => self.word("false", Node::Bool(false)),
            Some(b'n') => self.word("null", Node::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err("expected a value".to_owned()),
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, kept as text.
    fn number(&mut self) -> Result<Node, String> {
        let start = self.at;
        self.eat(b'-');
        let digits = |p: &mut Self| {
            let from = p.at;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.at += 1;
            }
            p.at - from
        };
        let int_start = self.at;
        let n = digits(self);
        if n == 0 || (n > 1 && self.s[int_start] == b'0') {
            return Err("not a number".to_owned());
        }
        if self.eat(b'.') && digits(self) == 0 {
            return Err("not a number".to_owned());
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if digits(self) == 0 {
                return Err("not a number".to_owned());
            }
        }
        Ok(Node::Num(
            self.text.get(start..self.at).unwrap_or_default().to_owned(),
        ))
    }

    fn string(&mut self) -> Result<String, String> {
        if !self.eat(b'"') {
            return Err("expected a string".to_owned());
        }
        let mut out = String::new();
        loop {
            let start = self.at;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // The run starts after and stops at ASCII bytes: it is whole characters of the text.
            out.push_str(self.text.get(start..self.at).unwrap_or_default());
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.at += 1;
                            let high = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&high) {
                                if !(self.eat(b'\\') && self.eat(b'u')) {
                                    return Err("a lone surrogate in \\u escapes".to_owned());
                                }
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return Err("a lone surrogate in \\u escapes".to_owned());
                                }
                                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                high
                            };
                            out.push(
                                char::from_u32(code)
                                    .ok_or("a lone surrogate in \\u escapes".to_owned())?,
                            );
                            continue;
                        }
                        _ => return Err("an unknown escape".to_owned()),
                    };
                    self.at += 1;
                    out.push(c);
                }
                Some(_) => return Err("a control character in a string".to_owned()),
                None => return Err("the text ends inside a string".to_owned()),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut n = 0;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|b| (b as char).to_digit(16))
                .ok_or("expected four hex digits after \\u".to_owned())?;
            n = n * 16 + digit;
            self.at += 1;
        }
        Ok(n)
    }
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

    #[test]
    fn parse_reads_what_serde_json_reads() {
        for text in [
            r#"{"a":[1,-2.5e+3,0,true,false,null],"b":{"c":"x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00中"}}"#,
            " [ ] ",
            "{}",
            "\"\"",
            "-0",
            "1E5",
        ] {
            let ours = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(to_serde(&ours), theirs, "{text}");
        }
    }

    fn to_serde(node: &Node) -> serde_json::Value {
        use serde_json::Value;
        match node {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Num(n) => serde_json::from_str(n).unwrap(),
            Node::Str(s) => Value::String(s.clone()),
            Node::Arr(items) => Value::Array(items.iter().map(to_serde).collect()),
            Node::Obj(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), to_serde(v)))
                    .collect(),
            ),
        }
    }

    #[test]
    fn parse_refuses_what_is_not_json() {
        for text in [
            "",
            "{",
            "{\"a\"}",
            "{\"a\":1,}",
            "[1,]",
            "01",
            "1.",
            "-",
            "1e",
            ".5",
            "tru",
            "nul",
            "'a'",
            "\"a",
            "\"\\x\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\u12\"",
            "\"\\u+123\"",
            "\"a\nb\"",
            "{} {}",
            "{\"a\":1,\"a\":2}",
            "NaN",
        ] {
            assert!(parse(text).is_err(), "{text:?}");
            assert!(
                serde_json::from_str::<serde_json::Value>(text).is_err()
                    || text.contains("\"a\":1,\"a\"")
            );
        }
        let deep = "[".repeat(100_000);
        assert!(parse(&deep).is_err());
        assert!(parse(&deep).unwrap_err().contains("deeply"));
        let e = parse("{\n  \"a\": tru\n}").unwrap_err();
        assert!(e.contains("line 2, column 8"), "{e}");
        assert!(
            parse(r#"{"env":1,"env":2}"#)
                .unwrap_err()
                .contains("“env” appears twice")
        );
    }
}
