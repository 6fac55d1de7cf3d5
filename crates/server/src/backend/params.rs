//! The API's parameters as both backends read them: the region (an extractor whose refusal is the model's own
//! words for `regionId`), ListWorkspaces' query, and a CreateWorkspace body validated by the model's rules
//! (`crates/model/RULES.md`).

use axum::{extract::FromRequestParts, http::StatusCode, http::request::Parts};
use serde::Deserialize;
use serde_json::Value;
use workspace_model::{
    FieldKey, FormState, Policy, Valid, catalogue::Region, check_field, validate::body,
    validate::first_error_under, wire,
};

use crate::aliyun::acs3;
pub use crate::http::extract::RegionQuery;
use crate::http::{
    error::ErrorReply,
    extract::{ApiQuery, non_empty},
};

/// The `regionId` of the catalogue a request names; missing or unknown, it is refused as the model's rule for
/// `regionId` says. The gateway builds its upstream host from this, so no request can steer it elsewhere.
#[derive(Clone, Copy, Debug)]
pub struct RegionId(pub &'static Region);

impl<S: Send + Sync> FromRequestParts<S> for RegionId {
    type Rejection = ErrorReply;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ErrorReply> {
        let ApiQuery(query) = ApiQuery::<RegionQuery>::from_request_parts(parts, state).await?;
        region(query.region_id.as_deref()).map(RegionId)
    }
}

/// The catalogue's region of this id, or the refusal of the model's `regionId` rules: the words the browser
/// shows and the emulator's create answers with.
pub fn region(region_id: Option<&str>) -> Result<&'static Region, ErrorReply> {
    if let Some(region) = region_id.and_then(Region::find) {
        return Ok(region);
    }
    let mut form = FormState::default();
    form.set(FieldKey::RegionId, region_id.unwrap_or_default());
    match check_field(&form, FieldKey::RegionId)
        .iter()
        .find(|f| f.refuses())
    {
        Some(refusal) => Err(ErrorReply::field(refusal)),
        // The rule and the catalogue are one list in the model; this is them disagreeing.
        None => Err(ErrorReply::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            "regionId: the region rule accepted a region the catalogue does not have.",
        )),
    }
}

/// A `regionId` that may be left out (RAM is global); given, it must be a region of the catalogue, so a typo is
/// refused the same way on every route rather than silently ignored.
#[derive(Clone, Copy, Debug)]
pub struct OptionalRegionId(pub Option<&'static Region>);

impl<S: Send + Sync> FromRequestParts<S> for OptionalRegionId {
    type Rejection = ErrorReply;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ErrorReply> {
        let ApiQuery(query) = ApiQuery::<RegionQuery>::from_request_parts(parts, state).await?;
        match query.region_id {
            None => Ok(OptionalRegionId(None)),
            Some(id) => region(Some(&id)).map(|r| OptionalRegionId(Some(r))),
        }
    }
}

/// The route's last path segment (where both path parameters are), percent-decoded strictly from the raw path:
/// a broken escape or non-UTF-8 is `None`, where axum's decoding would keep `%zz` as it came. `+` is a plus in
/// paths.
fn last_segment(parts: &Parts) -> Option<String> {
    let raw = parts.uri.path().rsplit('/').next()?;
    acs3::percent_decode_strict(raw)
}

/// `{workspace_id}`: one decoded path segment, not empty and not a dot segment (which the gateway's URL would
/// resolve away, changing what was signed); anything else is 400 `InvalidParameter.workspaceId`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for WorkspaceId {
    type Rejection = ErrorReply;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ErrorReply> {
        last_segment(parts)
            .filter(|id| !id.is_empty() && id != "." && id != "..")
            .map(WorkspaceId)
            .ok_or_else(|| {
                ErrorReply::new(
                    StatusCode::BAD_REQUEST,
                    "InvalidParameter.workspaceId",
                    "workspaceId: not a workspace id.",
                )
            })
    }
}

/// `{role_name}`: a decoded path segment that [`role_name`] allows, else its 400 `InvalidParameter.RoleName`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleName(pub String);

impl<S: Send + Sync> FromRequestParts<S> for RoleName {
    type Rejection = ErrorReply;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ErrorReply> {
        let name = last_segment(parts).unwrap_or_default();
        role_name(&name)?;
        Ok(RoleName(name))
    }
}

/// A RAM role name as the model's `ramRoleName` rule allows them (1 to 64 of letters, digits, `.`, `-`, `_`), or a 400 before any lookup:
/// nothing else can name a role, and the gateway must not send arbitrary text upstream.
pub fn role_name(name: &str) -> Result<&str, ErrorReply> {
    let ok = (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if ok {
        Ok(name)
    } else {
        Err(ErrorReply::new(
            StatusCode::BAD_REQUEST,
            "InvalidParameter.RoleName",
            "RoleName: 1 to 64 letters, digits, periods, hyphens or underscores.",
        ))
    }
}

/// ListWorkspaces' documented parameters, as sent; anything else in the query is ignored (and not forwarded).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    #[serde(default, deserialize_with = "non_empty")]
    pub region_id: Option<String>,
    #[serde(default, deserialize_with = "non_empty")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "non_empty")]
    pub state: Option<String>,
    #[serde(default, deserialize_with = "non_empty")]
    pub max_results: Option<String>,
    #[serde(default, deserialize_with = "non_empty")]
    pub next_token: Option<String>,
    #[serde(default, deserialize_with = "non_empty")]
    pub resource_group_id: Option<String>,
    #[serde(default, deserialize_with = "non_empty")]
    pub tag: Option<String>,
}

impl ListQuery {
    /// The parameters given, by their API names, in the documented order.
    pub fn pairs(&self) -> Vec<(String, String)> {
        [
            ("regionId", &self.region_id),
            ("name", &self.name),
            ("state", &self.state),
            ("maxResults", &self.max_results),
            ("nextToken", &self.next_token),
            ("resourceGroupId", &self.resource_group_id),
            ("tag", &self.tag),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name.to_owned(), value.clone()?)))
        .collect()
    }
}

/// A CreateWorkspace request that passed every api, console and policy rule.
pub struct ValidCreate {
    /// What was read, for the emulator to keep.
    pub form: FormState,
    /// The region and the body rebuilt from what was validated, in the official SDK's form.
    pub valid: Valid,
    pub region: &'static Region,
}

/// Reads a CreateWorkspace request the way the browser checks it: the JSON through the catalogue (leniently,
/// as Alibaba reads it), then every api, console and policy rule of the model; hints never refuse. The first
/// error in form order is the answer (a policy's with 403), as Alibaba reports one error at a time, and checking
/// stops there. Nothing is spent before it: the emulator stores nothing and the gateway calls nobody.
pub fn validate_create(
    region_id: Option<&str>,
    json: &Value,
    policy: &Policy,
) -> Result<ValidCreate, ErrorReply> {
    let form = wire::from_wire(region_id, json).map_err(|e| ErrorReply::unreadable(&e))?;
    if let Some(error) = first_error_under(&form, policy) {
        return Err(ErrorReply::field(&error));
    }
    let region_id = form.get(FieldKey::RegionId).to_owned();
    let region = region(Some(&region_id))?;
    let valid = Valid {
        region_id,
        body: body(&form),
    };
    Ok(ValidCreate {
        form,
        valid,
        region,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_refused_in_the_models_words() {
        assert_eq!(
            region(Some("cn-hangzhou")).ok().map(|r| r.id),
            Some("cn-hangzhou")
        );
        for (id, code) in [
            (None, "MissingParameter.regionId"),
            (Some(""), "MissingParameter.regionId"),
            (Some("mars-1"), "InvalidParameter.regionId"),
            (Some("evil.example/"), "InvalidParameter.regionId"),
        ] {
            let e = region(id).err().unwrap();
            assert_eq!(
                (e.status, e.body.code.as_str()),
                (StatusCode::BAD_REQUEST, code)
            );
            assert!(
                e.body.message.starts_with("regionId: "),
                "{}",
                e.body.message
            );
        }
        let e = region(Some("mars-1")).err().unwrap();
        assert!(
            e.body.message.contains("“mars-1” is not a region"),
            "{}",
            e.body.message
        );
    }

    async fn extract<T: FromRequestParts<()>>(path: &str) -> Result<T, T::Rejection> {
        let (mut parts, ()) = axum::http::Request::get(path)
            .body(())
            .unwrap()
            .into_parts();
        T::from_request_parts(&mut parts, &()).await
    }

    #[tokio::test]
    async fn path_parameters() {
        for (path, id) in [
            ("/api/v1/workspaces/w-1", "w-1"),
            (
                "/api/v1/workspaces/w-%E4%B8%AD%2F..%2Fx%20y+",
                "w-中/../x y+",
            ),
            ("/api/v1/workspaces/w-1?regionId=cn-hangzhou", "w-1"),
        ] {
            assert_eq!(
                extract::<WorkspaceId>(path).await.unwrap(),
                WorkspaceId(id.into())
            );
        }
        for bad in ["", ".", "..", "%2e%2E", "%zz", "%+1", "%4", "%FF", "%C3"] {
            let e = extract::<WorkspaceId>(&format!("/api/v1/workspaces/{bad}"))
                .await
                .unwrap_err();
            assert_eq!(
                (e.status, e.body.code.as_str()),
                (StatusCode::BAD_REQUEST, "InvalidParameter.workspaceId"),
                "{bad}"
            );
        }
        assert_eq!(
            extract::<RoleName>("/api/account/roles/my.role-1_x")
                .await
                .unwrap(),
            RoleName("my.role-1_x".into())
        );
        // Decoded, then held to the rule: an escaped slash or space is still not a role name.
        assert_eq!(
            extract::<RoleName>("/api/account/roles/%41").await.unwrap(),
            RoleName("A".into())
        );
        for bad in ["a%2Fb", "a%20b", "%zz", "%FF", ""] {
            let e = extract::<RoleName>(&format!("/api/account/roles/{bad}"))
                .await
                .unwrap_err();
            assert_eq!(
                (e.status, e.body.code.as_str()),
                (StatusCode::BAD_REQUEST, "InvalidParameter.RoleName"),
                "{bad}"
            );
        }
    }

    #[test]
    fn role_names() {
        for ok in [
            "AliyunEMRSparkJobRunDefaultRole",
            "a",
            "my.role-1_x",
            &"r".repeat(64),
        ] {
            assert_eq!(role_name(ok).ok(), Some(ok));
        }
        for bad in ["", "a b", "a/b", "中", "a+b", &"r".repeat(65)] {
            let e = role_name(bad).unwrap_err();
            assert_eq!(
                (e.status, e.body.code.as_str()),
                (StatusCode::BAD_REQUEST, "InvalidParameter.RoleName")
            );
        }
    }

    #[test]
    fn list_parameters_keep_their_api_names_and_order() {
        let query = ListQuery {
            region_id: Some("cn-hangzhou".into()),
            tag: Some("[]".into()),
            max_results: Some("5".into()),
            ..ListQuery::default()
        };
        assert_eq!(
            query.pairs(),
            [
                ("regionId".to_owned(), "cn-hangzhou".to_owned()),
                ("maxResults".to_owned(), "5".to_owned()),
                ("tag".to_owned(), "[]".to_owned()),
            ]
        );
    }
}
