//! RAM (2015-05-01) ListRoles and GetRole, and whether a role's trust policy lets EMR Serverless Spark assume it.
//!
//! RPC style on `ram.aliyuncs.com`: the SDK sends `POST /` with the parameters in the query string, an empty body,
//! `x-acs-action` and `x-acs-version`, signed ACS3-HMAC-SHA256. ListRoles pages with `Marker`/`MaxItems` and says
//! `IsTruncated`; it carries no trust policy, which only GetRole's `AssumeRolePolicyDocument` has.

use serde::Deserialize;
use serde_json::Value;

/// `x-acs-version` of RAM.
pub const VERSION: &str = "2015-05-01";
/// RAM's global endpoint. Set it explicitly: for regions it does not list, the SDK falls back to
/// `ram.<region>.aliyuncs.com`.
pub const HOST: &str = "ram.aliyuncs.com";
/// The service that assumes a Spark execution role.
pub const SPARK_SERVICE: &str = "spark.emr-serverless.aliyuncs.com";
/// GetRole's code (with HTTP 404) for a role that does not exist.
pub const ROLE_NOT_FOUND: &str = "EntityNotExist.Role";

/// The query of one ListRoles call (`Marker` only after the first page).
pub fn list_roles_query(marker: Option<&str>, max_items: Option<u32>) -> Vec<(String, String)> {
    let mut query = Vec::new();
    if let Some(marker) = marker.filter(|m| !m.is_empty()) {
        query.push(("Marker".to_owned(), marker.to_owned()));
    }
    if let Some(n) = max_items {
        query.push(("MaxItems".to_owned(), n.to_string()));
    }
    query
}

/// The query of GetRole.
pub fn get_role_query(role_name: &str) -> Vec<(String, String)> {
    vec![("RoleName".to_owned(), role_name.to_owned())]
}

/// A role, as much of it as the chooser needs.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Role {
    pub role_name: String,
    #[serde(default)]
    pub role_id: Option<String>,
    #[serde(default)]
    pub arn: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// GetRole only: the trust policy, a JSON document in a string.
    #[serde(default)]
    pub assume_role_policy_document: Option<String>,
}

/// One page of ListRoles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RolePage {
    pub roles: Vec<Role>,
    /// `Marker` of the next call; `Some` exactly when the answer said `IsTruncated`.
    pub marker: Option<String>,
}

/// Why an answer could not be read.
#[derive(Debug)]
pub enum RamError {
    Json(serde_json::Error),
    /// `IsTruncated` without a `Marker`: asking again from the start would never end.
    TruncatedWithoutMarker,
}

impl std::fmt::Display for RamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RamError::Json(e) => write!(f, "unreadable RAM answer: {e}"),
            RamError::TruncatedWithoutMarker => f.write_str("IsTruncated without a Marker"),
        }
    }
}

impl std::error::Error for RamError {}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListWire {
    #[serde(default)]
    is_truncated: bool,
    #[serde(default)]
    marker: Option<String>,
    #[serde(default)]
    roles: Option<RolesWire>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RolesWire {
    #[serde(default)]
    role: Vec<Role>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetWire {
    role: Role,
}

/// Reads a ListRoles answer body (`{IsTruncated, Marker, Roles: {Role: [...]}}`).
pub fn parse_list_roles(body: &[u8]) -> Result<RolePage, RamError> {
    let wire: ListWire = object(body)?;
    let marker = wire.marker.filter(|m| !m.is_empty());
    let marker = match (wire.is_truncated, marker) {
        (true, None) => return Err(RamError::TruncatedWithoutMarker),
        (true, marker) => marker,
        // A marker on the last page leads nowhere; following it would ask for a page that is not there.
        (false, _) => None,
    };
    Ok(RolePage {
        roles: wire.roles.map(|r| r.role).unwrap_or_default(),
        marker,
    })
}

/// Reads a GetRole answer body (`{RequestId, Role: {...}}`).
pub fn parse_get_role(body: &[u8]) -> Result<Role, RamError> {
    object::<GetWire>(body).map(|w| w.role)
}

/// serde reads a struct from an array too (`[]` would be an empty page); an answer that is not a JSON object is
/// not a RAM answer.
fn object<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, RamError> {
    let value: Value = serde_json::from_slice(body).map_err(RamError::Json)?;
    if !value.is_object() {
        return Err(RamError::Json(serde::de::Error::custom(
            "the answer is not a JSON object",
        )));
    }
    serde_json::from_value(value).map_err(RamError::Json)
}

/// Whether an error answer (status and body) is GetRole's "no such role".
pub fn is_role_not_found(status: u16, body: &[u8]) -> bool {
    status == 404
        && serde_json::from_slice::<Value>(body)
            .ok()
            .and_then(|v| v.get("Code").and_then(Value::as_str).map(str::to_owned))
            .is_some_and(|code| code == ROLE_NOT_FOUND)
}

/// Why a trust policy could not be read.
#[derive(Debug)]
pub struct PolicyError(String);

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unreadable trust policy: {}", self.0)
    }
}

impl std::error::Error for PolicyError {}

/// A string or an array of strings, as policy members may be written either way.
fn strings(value: &Value) -> Vec<&str> {
    match value {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether an `Action` pattern covers `sts:AssumeRole`: RAM actions compare without regard to case, and `*`
/// matches any run of characters (`sts:*`, `*`, `sts:Assume*`).
fn action_covers_assume_role(pattern: &str) -> bool {
    fn glob(pattern: &[u8], text: &[u8]) -> bool {
        match pattern.split_first() {
            None => text.is_empty(),
            Some((b'*', rest)) => (0..=text.len()).any(|i| glob(rest, &text[i..])),
            Some((c, rest)) => text
                .split_first()
                .is_some_and(|(t, tail)| c.eq_ignore_ascii_case(t) && glob(rest, tail)),
        }
    }
    glob(pattern.as_bytes(), b"sts:AssumeRole")
}

/// Whether a trust policy (`AssumeRolePolicyDocument`) lets the cloud service `service` assume the role.
///
/// As RAM evaluates policies: an explicit Deny wins over any Allow, and without an Allow nothing is allowed. A
/// statement applies when its `Action` (string or array) covers `sts:AssumeRole` and its `Principal.Service`
/// (string or array) names `service` (service names compare without regard to case). `Statement` may be one
/// object or an array.
///
/// Conditions are not evaluated (they depend on the request, e.g. `sts:ExternalId`, which a listing does not
/// have): a statement counts as if its condition held. So a conditional Allow counts as trusting, and a
/// conditional Deny as not trusting, which errs towards warning about a role rather than promising it works.
pub fn trusts_service(policy_document: &str, service: &str) -> Result<bool, PolicyError> {
    let policy: Value =
        serde_json::from_str(policy_document).map_err(|e| PolicyError(e.to_string()))?;
    let statements = match policy.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        Some(_) => return Err(PolicyError("Statement is not an object or array".into())),
        None => return Err(PolicyError("no Statement".into())),
    };
    let mut allowed = false;
    for statement in statements {
        let applies = statement
            .get("Action")
            .is_some_and(|a| strings(a).into_iter().any(action_covers_assume_role))
            && statement
                .get("Principal")
                .and_then(|p| p.get("Service"))
                .is_some_and(|s| {
                    strings(s)
                        .into_iter()
                        .any(|name| name.eq_ignore_ascii_case(service))
                });
        if !applies {
            continue;
        }
        match statement.get("Effect").and_then(Value::as_str) {
            Some(e) if e.eq_ignore_ascii_case("Deny") => return Ok(false),
            Some(e) if e.eq_ignore_ascii_case("Allow") => allowed = true,
            other => return Err(PolicyError(format!("Effect {other:?}"))),
        }
    }
    Ok(allowed)
}

/// The trust policy RAM writes for a role that the services `services` may assume.
pub fn trust_policy_for(services: &[String]) -> String {
    serde_json::json!({
        "Statement": [{
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": {"Service": services},
        }],
        "Version": "1",
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trust_policies() {
        let allow = |principal: &str| {
            format!(
                r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{principal}}}]}}"#
            )
        };
        let cases: Vec<(String, Result<bool, ()>)> = vec![
            // The default role's policy, as RAM shows it.
            (
                allow(r#"{"Service":["spark.emr-serverless.aliyuncs.com"]}"#),
                Ok(true),
            ),
            (
                allow(r#"{"Service":"spark.emr-serverless.aliyuncs.com"}"#),
                Ok(true),
            ),
            (
                allow(r#"{"Service":["ecs.aliyuncs.com","Spark.EMR-Serverless.aliyuncs.com"]}"#),
                Ok(true),
            ),
            (allow(r#"{"Service":["ecs.aliyuncs.com"]}"#), Ok(false)),
            (allow(r#"{"Service":"emr.aliyuncs.com"}"#), Ok(false)),
            (allow(r#"{"RAM":["acs:ram::123:root"]}"#), Ok(false)),
            (allow(r#"{"Service":[]}"#), Ok(false)),
            // A single statement object; actions as arrays, wildcards and other cases.
            (
                r#"{"Statement":{"Effect":"Allow","Action":["sts:AssumeRole"],
                    "Principal":{"Service":"spark.emr-serverless.aliyuncs.com"}}}"#
                    .into(),
                Ok(true),
            ),
            (
                r#"{"Statement":[{"Effect":"allow","Action":"STS:*",
                    "Principal":{"Service":"spark.emr-serverless.aliyuncs.com"}}]}"#
                    .into(),
                Ok(true),
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"*",
                    "Principal":{"Service":"spark.emr-serverless.aliyuncs.com"}}]}"#
                    .into(),
                Ok(true),
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"sts:GetCallerIdentity",
                    "Principal":{"Service":"spark.emr-serverless.aliyuncs.com"}}]}"#
                    .into(),
                Ok(false),
            ),
            (
                r#"{"Statement":[{"Effect":"Allow",
                    "Principal":{"Service":"spark.emr-serverless.aliyuncs.com"}}]}"#
                    .into(),
                Ok(false),
            ),
            // Deny wins, in either order; a Deny for another service does not matter.
            (
                r#"{"Statement":[
                    {"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"spark.emr-serverless.aliyuncs.com"}},
                    {"Effect":"Deny","Action":"sts:*","Principal":{"Service":["spark.emr-serverless.aliyuncs.com"]}}]}"#
                    .into(),
                Ok(false),
            ),
            (
                r#"{"Statement":[
                    {"Effect":"Deny","Action":"sts:AssumeRole","Principal":{"Service":"spark.emr-serverless.aliyuncs.com"}},
                    {"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"spark.emr-serverless.aliyuncs.com"}}]}"#
                    .into(),
                Ok(false),
            ),
            (
                r#"{"Statement":[
                    {"Effect":"Deny","Action":"sts:AssumeRole","Principal":{"Service":"ecs.aliyuncs.com"}},
                    {"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"spark.emr-serverless.aliyuncs.com"}}]}"#
                    .into(),
                Ok(true),
            ),
            // Conditions are not evaluated: a conditional Allow trusts, a conditional Deny does not.
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",
                    "Principal":{"Service":"spark.emr-serverless.aliyuncs.com"},
                    "Condition":{"StringEquals":{"sts:ExternalId":"x"}}}]}"#
                    .into(),
                Ok(true),
            ),
            (r#"{"Version":"1","Statement":[]}"#.into(), Ok(false)),
            // Unreadable.
            ("".into(), Err(())),
            ("not json".into(), Err(())),
            (r#"{"Version":"1"}"#.into(), Err(())),
            (r#"{"Statement":"Allow"}"#.into(), Err(())),
            (
                r#"{"Statement":[{"Effect":"Maybe","Action":"sts:AssumeRole",
                    "Principal":{"Service":"spark.emr-serverless.aliyuncs.com"}}]}"#
                    .into(),
                Err(()),
            ),
        ];
        for (policy, expected) in cases {
            let got = trusts_service(&policy, SPARK_SERVICE).map_err(|_| ());
            assert_eq!(got, expected, "{policy}");
        }
    }

    #[test]
    fn written_policies_read_back() {
        for (services, trusted) in [
            (vec![SPARK_SERVICE.to_owned()], true),
            (
                vec!["ecs.aliyuncs.com".to_owned(), SPARK_SERVICE.to_owned()],
                true,
            ),
            (vec!["ecs.aliyuncs.com".to_owned()], false),
            (vec![], false),
        ] {
            let policy = trust_policy_for(&services);
            assert_eq!(
                trusts_service(&policy, SPARK_SERVICE).unwrap(),
                trusted,
                "{policy}"
            );
        }
    }

    #[test]
    fn list_roles_answers() {
        let role = |name: &str| Role {
            role_name: name.into(),
            role_id: None,
            arn: None,
            description: None,
            assume_role_policy_document: None,
        };
        let ok = |roles: Vec<Role>, marker: Option<&str>| {
            Some(RolePage {
                roles,
                marker: marker.map(str::to_owned),
            })
        };
        for (body, expected) in [
            (
                r#"{"RequestId":"r","IsTruncated":true,"Marker":"EXAMPLE","Roles":{"Role":[{"RoleId":"1","RoleName":"A",
                   "Arn":"acs:ram::1:role/a","Description":"d","CreateDate":"2015-01-23T12:33:18Z",
                   "UpdateDate":"2015-01-23T12:33:18Z","MaxSessionDuration":3600}]}}"#,
                ok(
                    vec![Role {
                        role_id: Some("1".into()),
                        arn: Some("acs:ram::1:role/a".into()),
                        description: Some("d".into()),
                        ..role("A")
                    }],
                    Some("EXAMPLE"),
                ),
            ),
            (
                r#"{"IsTruncated":false,"Roles":{"Role":[{"RoleName":"A"},{"RoleName":"B"}]}}"#,
                ok(vec![role("A"), role("B")], None),
            ),
            (
                r#"{"IsTruncated":false,"Marker":"stale","Roles":{"Role":[]}}"#,
                ok(vec![], None),
            ),
            (r#"{"RequestId":"r","Roles":{}}"#, ok(vec![], None)),
            (r#"{"IsTruncated":true,"Roles":{"Role":[]}}"#, None),
            (
                r#"{"IsTruncated":true,"Marker":"","Roles":{"Role":[]}}"#,
                None,
            ),
            (r#"{"IsTruncated":"yes"}"#, None),
            (r#"{"Roles":{"Role":[{"Description":"no name"}]}}"#, None),
            // serde reads a struct from an array as well; an empty one is an empty list either way.
            (r#"{"Roles":[]}"#, ok(vec![], None)),
            ("[]", None),
            ("<html>", None),
        ] {
            assert_eq!(parse_list_roles(body.as_bytes()).ok(), expected, "{body}");
        }
    }

    #[test]
    fn get_role_answers() {
        let body = r#"{"RequestId":"r","Role":{"RoleName":"AliyunEMRSparkJobRunDefaultRole","RoleId":"3",
            "AssumeRolePolicyDocument":"{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":[\"spark.emr-serverless.aliyuncs.com\"]}}],\"Version\":\"1\"}"}}"#;
        let role = parse_get_role(body.as_bytes()).unwrap();
        assert_eq!(role.role_name, "AliyunEMRSparkJobRunDefaultRole");
        let policy = role.assume_role_policy_document.unwrap();
        assert!(trusts_service(&policy, SPARK_SERVICE).unwrap());
        for body in ["{}", r#"{"Role":{}}"#, r#"{"Role":"x"}"#, "", "[]"] {
            assert!(parse_get_role(body.as_bytes()).is_err(), "{body}");
        }
        let missing = br#"{"RequestId":"r","HostId":"ram.aliyuncs.com","Code":"EntityNotExist.Role","Message":"The role not exists: x."}"#;
        for (status, body, expected) in [
            (404, &missing[..], true),
            (400, &missing[..], false),
            (404, br#"{"Code":"EntityNotExist.User"}"#, false),
            (404, b"not json", false),
        ] {
            assert_eq!(is_role_not_found(status, body), expected);
        }
    }

    #[test]
    fn queries() {
        assert_eq!(list_roles_query(None, None), vec![]);
        assert_eq!(
            list_roles_query(Some(""), Some(1000)),
            vec![("MaxItems".into(), "1000".into())]
        );
        assert_eq!(
            list_roles_query(Some("m"), None),
            vec![("Marker".into(), "m".into())]
        );
        assert_eq!(get_role_query("r"), vec![("RoleName".into(), "r".into())]);
    }
}
