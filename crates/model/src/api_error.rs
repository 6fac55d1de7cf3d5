//! Alibaba Cloud's error body: `{"RequestId","HostId","Code","Message","Recommend"}`.

use serde::{Deserialize, Serialize};

use crate::{key::FieldKey, path::FieldPath, values::Values};

/// An error answer of the API gateway (or of our emulator and signing gateway, which answer the same way).
/// Parsing accepts the lowercase keys the official SDK also accepts (`code`, `message`, `requestId`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    #[serde(rename = "RequestId", alias = "requestId", default)]
    pub request_id: String,
    #[serde(rename = "HostId", alias = "hostId", default)]
    pub host_id: String,
    #[serde(rename = "Code", alias = "code", default)]
    pub code: String,
    #[serde(rename = "Message", alias = "message", default)]
    pub message: String,
    #[serde(rename = "Recommend", alias = "recommend", default)]
    pub recommend: String,
}

impl ApiError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError {
            code: code.into(),
            message: message.into(),
            ..ApiError::default()
        }
    }

    /// Parses an error body; `None` when it is not JSON or carries no `Code`.
    pub fn parse(body: &str) -> Option<ApiError> {
        let value: serde_json::Value = serde_json::from_str(body).ok()?;
        ApiError::from_lookup(|key| value.get(key)?.as_str().map(str::to_owned))
    }

    /// Builds an error from a lookup of string members of a parsed JSON object, trying the capitalised key and
    /// then the lowercase one, as the official SDK does. `None` without a `Code`. A browser uses this with its
    /// own `JSON.parse`, so it need not carry a JSON parser of its own.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Option<ApiError> {
        let field =
            |upper: &str, lower: &str| get(upper).or_else(|| get(lower)).unwrap_or_default();
        let error = ApiError {
            request_id: field("RequestId", "requestId"),
            host_id: field("HostId", "hostId"),
            code: field("Code", "code"),
            message: field("Message", "message"),
            recommend: field("Recommend", "recommend"),
        };
        (!error.code.is_empty()).then_some(error)
    }

    /// The position a code names: `InvalidParameter.resourceSpec.cu` → `resourceSpec.cu`,
    /// `MissingParameter.tag[2].key` → `tag[2].key`. `None` when the code names no known parameter.
    pub fn field_path(&self) -> Option<FieldPath> {
        self.code.split_once('.')?.1.parse().ok()
    }

    /// The tag a policy refused, from `PolicyViolation.tag.<key>`: its code names the tag, not a row.
    pub fn policy_tag(&self) -> Option<&str> {
        self.code.strip_prefix("PolicyViolation.tag.")
    }

    /// Where in these values the error belongs: the position its code names, or for a refused policy tag the
    /// value of the row with that key (the tag list as a whole when no row has it). `None` when the code names
    /// no parameter.
    pub fn position(&self, values: &dyn Values) -> Option<FieldPath> {
        let Some(tag) = self.policy_tag() else {
            return self.field_path();
        };
        let key = FieldKey::Tag;
        Some(
            (0..values.rows(key))
                .find(|&row| values.cell(key, row, 0) == tag)
                .map_or(FieldPath::field(key), |row| FieldPath::cell(key, row, 1)),
        )
    }

    /// The message without the `path: ` (or `tag.<key>: `) a server puts in front when the code names a field
    /// (see [`crate::Finding::api_message`]): what to show next to that field.
    pub fn field_message(&self) -> &str {
        let named = match self.policy_tag() {
            Some(_) => self.code.split_once('.').map(|(_, rest)| rest.to_owned()),
            None => self.field_path().map(|path| path.to_string()),
        };
        named
            .and_then(|named| {
                self.message
                    .strip_prefix(named.as_str())?
                    .strip_prefix(": ")
            })
            .unwrap_or(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::FieldKey;

    #[test]
    fn parses_capitalised_and_lowercase_keys() {
        let upper = ApiError::parse(
            r#"{"RequestId":"R","HostId":"h","Code":"InvalidParameter.workspaceName","Message":"m","Recommend":"r"}"#,
        )
        .unwrap();
        assert_eq!(upper.request_id, "R");
        assert_eq!(upper.host_id, "h");
        assert_eq!(upper.recommend, "r");
        assert_eq!(
            upper.field_path().map(|p| p.key),
            Some(FieldKey::WorkspaceName)
        );

        let lower =
            ApiError::parse(r#"{"requestId":"R2","code":"Throttling.User","message":"slow down"}"#)
                .unwrap();
        assert_eq!(lower.request_id, "R2");
        assert_eq!(lower.code, "Throttling.User");
        assert_eq!(lower.message, "slow down");
        assert_eq!(lower.field_path(), None);
    }

    #[test]
    fn serializes_with_capitalised_keys() {
        let e = ApiError::new("InvalidApi.NotFound", "no such API");
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"RequestId":"","HostId":"","Code":"InvalidApi.NotFound","Message":"no such API","Recommend":""}"#
        );
    }

    #[test]
    fn from_lookup_prefers_capitalised_keys() {
        let e = ApiError::from_lookup(|k| match k {
            "Code" => Some("A".into()),
            "code" => Some("B".into()),
            "message" => Some("m".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!((e.code.as_str(), e.message.as_str()), ("A", "m"));
        assert_eq!(ApiError::from_lookup(|_| None), None);
    }

    #[test]
    fn field_message_drops_the_path_the_server_put_in_front() {
        let mut e = ApiError::new("InvalidParameter.tag[2].key", "tag[2].key: reserved");
        assert_eq!(e.field_message(), "reserved");
        // Without that prefix, or without a field, the message stays whole.
        e.message = "reserved".into();
        assert_eq!(e.field_message(), "reserved");
        let e = ApiError::new("Throttling.User", "Throttling.User: slow down");
        assert_eq!(e.field_message(), "Throttling.User: slow down");
    }

    #[test]
    fn a_policy_tag_code_names_the_row_with_that_key() {
        let e = ApiError::new(
            "PolicyViolation.tag.env",
            "tag.env: The tag env must be one of dev, prod (set by your administrator).",
        );
        assert_eq!(e.policy_tag(), Some("env"));
        assert_eq!(e.field_path(), None);
        assert_eq!(
            e.field_message(),
            "The tag env must be one of dev, prod (set by your administrator)."
        );
        let form =
            crate::FormState::new().with_rows(FieldKey::Tag, &[["team", "a"], ["env", "qa"]]);
        assert_eq!(
            e.position(&form),
            Some(FieldPath::cell(FieldKey::Tag, 1, 1))
        );
        assert_eq!(
            e.position(&crate::FormState::new()),
            Some(FieldPath::field(FieldKey::Tag))
        );
        let cu = ApiError::new(
            "PolicyViolation.resourceSpec.cu",
            "resourceSpec.cu: At most 64 CU.",
        );
        assert_eq!(cu.position(&form), Some(FieldPath::field(FieldKey::Cu)));
        assert_eq!(cu.field_message(), "At most 64 CU.");
        assert_eq!(ApiError::new("Throttling.User", "").position(&form), None);
    }

    #[test]
    fn rejects_bodies_that_are_not_errors() {
        assert_eq!(ApiError::parse("<html>502</html>"), None);
        assert_eq!(ApiError::parse(r#"{"workspaceId":"w-1"}"#), None);
        assert_eq!(ApiError::parse(""), None);
    }

    #[test]
    fn field_paths_keep_the_index() {
        let e = ApiError::new("InvalidParameter.tag[2].key", "");
        assert_eq!(e.field_path(), Some(FieldPath::cell(FieldKey::Tag, 2, 0)));
        assert_eq!(
            ApiError::new("MissingParameter.resourceSpec.cu", "").field_path(),
            Some(FieldPath::field(FieldKey::Cu))
        );
        assert_eq!(ApiError::new("InvalidParameter", "").field_path(), None);
        assert_eq!(ApiError::new("Forbidden.RAM", "").field_path(), None);
        assert_eq!(
            ApiError::new("InvalidParameter.body", "").field_path(),
            None
        );
    }
}
