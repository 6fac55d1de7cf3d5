//! The gateway's account listings: OSS ListBuckets (Signature V4), DLF ListCatalogs, RAM ListRoles / GetRole and
//! ResourceManager ListResourceGroups (ACS3), each followed page by page up to a cap and answered whole in the
//! console's shapes ([`workspace_model::listing`]).
//!
//! - Caps: [`MAX_PAGES`] pages of [`OSS_PAGE`] buckets, [`DLF_PAGE`] catalogs, [`RAM_PAGE`] roles or
//!   [`RESOURCE_GROUP_PAGE`] resource groups; past them the answer says `"truncated": true` with what was read.
//! - Upstream errors become the Alibaba-style error with the upstream's code, message and request id, and its
//!   status when it is an error status (403 stays 403, RAM's 404 `EntityNotExist.Role` stays 404); an answer that
//!   cannot be read is 502 `UpstreamInvalidResponse`. Nothing names the upstream host.
//! - The roles list leaves `trustsSpark` out: ListRoles carries no trust policy, and a GetRole per role would
//!   cost a call each. `GET /api/account/roles/{roleName}` (GetRole) says it.

use axum::{
    body::Bytes,
    extract::State,
    http::{Method, StatusCode},
};
use serde_json::Value;

use super::{Call, DLF, Gateway, RAM, RESOURCE_MANAGER, Raw, invalid_response};
use workspace_model::listing::{
    BucketItem, BucketsReply, CatalogItem, CatalogsReply, ResourceGroupItem, ResourceGroupsReply,
    RoleItem, RoleReply, RolesReply,
};

use crate::{
    aliyun::{dlf, oss_xml, ram, resourcemanager},
    backend::params::{OptionalRegionId, RegionId, RoleName},
    http::error::{Answer, ErrorReply},
    ids,
};

/// Pages followed per listing before answering `truncated`.
pub const MAX_PAGES: usize = 10;
/// `max-keys` of each ListBuckets page (OSS's maximum).
pub const OSS_PAGE: u32 = 1000;
/// `maxResults` of each ListCatalogs page.
pub const DLF_PAGE: u32 = 100;
/// `MaxItems` of each ListRoles page (RAM's maximum).
pub const RAM_PAGE: u32 = 1000;
/// `PageSize` of each ListResourceGroups page (ResourceManager's maximum).
pub const RESOURCE_GROUP_PAGE: u32 = resourcemanager::MAX_PAGE_SIZE;

fn answer<T>(body: T) -> Answer<T> {
    Answer {
        request_id: ids::request_id(),
        body,
    }
}

/// The upstream's error, in our shape: its code, message and request id; its status if it is an error status.
fn upstream_error(
    raw: &Raw,
    code: String,
    message: String,
    request_id: Option<String>,
) -> ErrorReply {
    let status = if raw.status.is_client_error() || raw.status.is_server_error() {
        raw.status
    } else {
        StatusCode::BAD_GATEWAY
    };
    tracing::warn!(upstream = %raw.host, status = %raw.status, %code, "upstream refused");
    let mut reply = ErrorReply::new(status, code, message);
    if let Some(id) = request_id
        .or_else(|| raw.request_id())
        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_graphic()))
    {
        reply.body.request_id = id;
    }
    reply
}

/// An OSS answer that is not a success: its `<Error>` (from the body or `x-oss-err`), or unreadable.
fn oss_error(raw: &Raw) -> ErrorReply {
    let header = raw.headers.get("x-oss-err").and_then(|v| v.to_str().ok());
    match oss_xml::parse_error(&raw.body, header) {
        Ok(e) => {
            let id = Some(e.request_id).filter(|id| !id.is_empty());
            upstream_error(raw, e.code, e.message, id)
        }
        Err(_) => invalid_response(raw),
    }
}

/// A DLF, RAM or ResourceManager answer that is not a success: `Code`/`code`, `Message`/`message`, `RequestId`/`requestId`.
fn acs_error(raw: &Raw) -> ErrorReply {
    let Ok(json) = serde_json::from_slice::<Value>(&raw.body) else {
        return invalid_response(raw);
    };
    let field = |names: [&str; 2]| {
        names
            .iter()
            .find_map(|n| json.get(*n)?.as_str().map(str::to_owned))
    };
    match field(["Code", "code"]) {
        Some(code) => upstream_error(
            raw,
            code,
            field(["Message", "message"]).unwrap_or_default(),
            field(["RequestId", "requestId"]),
        ),
        None => invalid_response(raw),
    }
}

/// `GET /api/account/buckets?regionId=…`: ListBuckets pages, keeping the buckets whose `Region` is the form's.
pub async fn buckets(
    State(gateway): State<Gateway>,
    RegionId(region): RegionId,
) -> Result<Answer<BucketsReply>, ErrorReply> {
    let mut buckets = Vec::new();
    let mut marker: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut query = vec![("max-keys".to_owned(), OSS_PAGE.to_string())];
        if let Some(m) = &marker {
            query.push(("marker".to_owned(), m.clone()));
        }
        let raw = gateway.list_buckets_page(region, &query).await?;
        if !raw.status.is_success() {
            return Err(oss_error(&raw));
        }
        let page = oss_xml::parse_list_buckets(&raw.body).map_err(|_| invalid_response(&raw))?;
        buckets.extend(
            page.buckets
                .iter()
                .filter(|b| b.region == region.id)
                .map(BucketItem::from),
        );
        match page.next_marker.filter(|_| page.is_truncated) {
            // A marker that does not move on would ask for the same page for ever.
            Some(next) if marker.as_deref() != Some(next.as_str()) => marker = Some(next),
            Some(_) => return Err(invalid_response(&raw)),
            None => {
                return Ok(answer(BucketsReply {
                    buckets,
                    truncated: false,
                }));
            }
        }
    }
    Ok(answer(BucketsReply {
        buckets,
        truncated: true,
    }))
}

/// `GET /api/account/catalogs?regionId=…`: ListCatalogs pages of the region's DLF, every status.
pub async fn catalogs(
    State(gateway): State<Gateway>,
    RegionId(region): RegionId,
) -> Result<Answer<CatalogsReply>, ErrorReply> {
    let mut catalogs = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let raw = gateway
            .call(&Call {
                product: &DLF,
                method: Method::GET,
                action: dlf::LIST_CATALOGS_ACTION,
                region,
                path: dlf::LIST_CATALOGS_PATH,
                query: dlf::list_catalogs_query(token.as_deref(), Some(DLF_PAGE)),
                body: Bytes::new(),
                content_type: None,
            })
            .await?;
        if !raw.status.is_success() {
            return Err(acs_error(&raw));
        }
        let page = dlf::parse_list_catalogs(&raw.body).map_err(|_| invalid_response(&raw))?;
        catalogs.extend(page.catalogs.iter().map(CatalogItem::from));
        match page.next_page_token {
            Some(next) if token.as_deref() != Some(next.as_str()) => token = Some(next),
            Some(_) => return Err(invalid_response(&raw)),
            None => {
                return Ok(answer(CatalogsReply {
                    catalogs,
                    truncated: false,
                }));
            }
        }
    }
    Ok(answer(CatalogsReply {
        catalogs,
        truncated: true,
    }))
}

/// RAM's RPC call: `POST /`, the parameters in the query, an empty body. RAM is global, so the region only
/// satisfies [`Call`]; any of the catalogue's would do.
fn ram_call(action: &'static str, query: Vec<(String, String)>) -> Call<'static> {
    rpc_call(&RAM, action, query)
}

/// An RPC call to an account-wide product (RAM, ResourceManager): `POST /`, the parameters in the query, an
/// empty body. The region only satisfies [`Call`]; any of the catalogue's would do.
fn rpc_call(
    product: &'static super::Product,
    action: &'static str,
    query: Vec<(String, String)>,
) -> Call<'static> {
    Call {
        product,
        method: Method::POST,
        action,
        region: &workspace_model::REGIONS[0],
        path: "/",
        query,
        body: Bytes::new(),
        content_type: None,
    }
}

/// `GET /api/account/roles`: ListRoles pages; `trustsSpark` left out (see the module's notes).
pub async fn roles(
    State(gateway): State<Gateway>,
    OptionalRegionId(_): OptionalRegionId,
) -> Result<Answer<RolesReply>, ErrorReply> {
    let mut roles = Vec::new();
    let mut marker: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let query = ram::list_roles_query(marker.as_deref(), Some(RAM_PAGE));
        let raw = gateway.call(&ram_call("ListRoles", query)).await?;
        if !raw.status.is_success() {
            return Err(acs_error(&raw));
        }
        let page = ram::parse_list_roles(&raw.body).map_err(|_| invalid_response(&raw))?;
        roles.extend(page.roles.iter().map(RoleItem::from));
        match page.marker {
            Some(next) if marker.as_deref() != Some(next.as_str()) => marker = Some(next),
            Some(_) => return Err(invalid_response(&raw)),
            None => {
                return Ok(answer(RolesReply {
                    roles,
                    truncated: false,
                }));
            }
        }
    }
    Ok(answer(RolesReply {
        roles,
        truncated: true,
    }))
}

/// `GET /api/account/roles/{roleName}`: GetRole, with `trustsSpark` read from its trust policy; a missing role
/// is RAM's own 404 `EntityNotExist.Role`.
pub async fn role(
    State(gateway): State<Gateway>,
    OptionalRegionId(_): OptionalRegionId,
    RoleName(name): RoleName,
) -> Result<Answer<RoleReply>, ErrorReply> {
    let name = name.as_str();
    let raw = gateway
        .call(&ram_call("GetRole", ram::get_role_query(name)))
        .await?;
    if !raw.status.is_success() {
        return Err(acs_error(&raw));
    }
    let role = ram::parse_get_role(&raw.body).map_err(|_| invalid_response(&raw))?;
    let mut item = RoleItem::from(&role);
    // A GetRole answer without a policy is one no Spark job could use the role by.
    item.trusts_spark = Some(item.trusts_spark.unwrap_or(false));
    Ok(answer(RoleReply { role: item }))
}

/// `GET /api/account/resource-groups[?regionId=…]`: ListResourceGroups pages (by number), every status; a group
/// without a display name shows its name.
pub async fn resource_groups(
    State(gateway): State<Gateway>,
    OptionalRegionId(_): OptionalRegionId,
) -> Result<Answer<ResourceGroupsReply>, ErrorReply> {
    let mut groups = Vec::new();
    for page_number in 1..=MAX_PAGES as u32 {
        let query = resourcemanager::list_resource_groups_query(page_number, RESOURCE_GROUP_PAGE);
        let raw = gateway
            .call(&rpc_call(
                &RESOURCE_MANAGER,
                resourcemanager::LIST_RESOURCE_GROUPS,
                query,
            ))
            .await?;
        if !raw.status.is_success() {
            return Err(acs_error(&raw));
        }
        let page = resourcemanager::parse_list_resource_groups(&raw.body)
            .map_err(|_| invalid_response(&raw))?;
        groups.extend(page.groups.iter().map(ResourceGroupItem::from));
        if page.is_last(groups.len() as u64, RESOURCE_GROUP_PAGE) {
            return Ok(answer(ResourceGroupsReply {
                resource_groups: groups,
                truncated: false,
            }));
        }
    }
    Ok(answer(ResourceGroupsReply {
        resource_groups: groups,
        truncated: true,
    }))
}
