//! The CreateWorkspace request body as it travels.
//!
//! Fields are declared in alphabetical order of their wire names because that is the order the official SDK
//! writes them; with serde_json's compact output the body is then byte-for-byte what the SDK sends.
//! `regionId` is not here: it goes in the query string.

use serde::{Deserialize, Serialize};

/// `resourceSpec`: the CU quota as a string, the GPU quota as an integer (as the SDK types them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cu: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu: Option<i64>,
}

/// One tag. An empty value is omitted, as the SDK omits an unset one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// The JSON body of `POST /api/v1/workspaces`. Absent fields are omitted, never `null` or `""`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateWorkspaceRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_renew: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_renew_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_renew_period_unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_start_session_cluster: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dlf_catalog_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dlf_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gpu_spec: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oss_bucket: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_duration_unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ram_role_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_group_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_spec: Option<ResourceSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tag: Vec<Tag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_name: Option<String>,
}

impl CreateWorkspaceRequest {
    /// The compact JSON body, exactly as sent.
    pub fn to_json(&self) -> String {
        // Serializing plain strings, integers and booleans into a String cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The path of the operation; `regionId` is added as a query parameter.
pub const CREATE_WORKSPACE_PATH: &str = "/api/v1/workspaces";

/// The path and query of a CreateWorkspace call for a region. Region ids are plain ASCII, but encode anyway so no
/// value can add a second parameter.
pub fn create_workspace_url(region_id: &str) -> String {
    format!(
        "{CREATE_WORKSPACE_PATH}?regionId={}",
        percent_encode(region_id)
    )
}

/// RFC 3986 percent-encoding of everything but the unreserved characters (`A-Z a-z 0-9 - _ . ~`).
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_request_is_an_empty_object() {
        assert_eq!(CreateWorkspaceRequest::default().to_json(), "{}");
    }

    #[test]
    fn url_encodes_the_region() {
        assert_eq!(
            create_workspace_url("cn-hangzhou"),
            "/api/v1/workspaces?regionId=cn-hangzhou"
        );
        assert_eq!(
            create_workspace_url("a&b=c d"),
            "/api/v1/workspaces?regionId=a%26b%3Dc%20d"
        );
        assert_eq!(percent_encode("~*é"), "~%2A%C3%A9");
    }
}
