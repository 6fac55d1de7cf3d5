//! The emulator's account listings: buckets, catalogs, roles and resource groups from its [`Account`], each read
//! page by page with [`page_after`] as the gateway reads upstream pages, then answered whole.
//!
//! A listing the fixtures file names in `"deny"` is refused with 403 `AccessDenied`, as Alibaba refuses an
//! account without the permission (`roles` covers the single-role route too).

use axum::{extract::State, http::StatusCode};

use super::Emulator;
use workspace_model::{
    Listing,
    listing::{BucketsReply, CatalogsReply, ResourceGroupsReply, RoleItem, RoleReply, RolesReply},
};

use crate::{
    aliyun::ram::ROLE_NOT_FOUND,
    backend::emulator::fixtures::{Account, Page, page_after},
    backend::params::{OptionalRegionId, RegionId, RoleName},
    http::error::{Answer, ErrorReply},
    ids,
};

/// Items per emulated upstream page: small, so that the demo account's few items already take several pages.
pub const PAGE_SIZE: usize = 2;

fn answer<T>(body: T) -> Answer<T> {
    Answer {
        request_id: ids::request_id(),
        body,
    }
}

fn refuse_if_denied(account: &Account, listing: Listing) -> Result<(), ErrorReply> {
    let listing = listing.items_key();
    if account.denies(listing) {
        return Err(ErrorReply::new(
            StatusCode::FORBIDDEN,
            "AccessDenied",
            format!("You are not authorized to list {listing} (the emulator's fixtures deny it)."),
        ));
    }
    Ok(())
}

/// Every item of `sorted`, fetched page by page as a client of the upstream API would.
fn all_pages<'a, T>(sorted: &[&'a T], key: impl Fn(&T) -> &str + Copy) -> Vec<&'a T> {
    let mut items = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let Page { items: page, next } = page_after(sorted, key, marker.as_deref(), PAGE_SIZE);
        items.extend(page);
        match next {
            Some(next) => marker = Some(next),
            None => return items,
        }
    }
}

/// `GET /api/account/buckets?regionId=…`: the buckets of that region (OSS lists all regions; this keeps one).
pub async fn buckets(
    State(emulator): State<Emulator>,
    RegionId(region): RegionId,
) -> Result<Answer<BucketsReply>, ErrorReply> {
    let account = &emulator.account;
    refuse_if_denied(account, Listing::Buckets)?;
    let every: Vec<_> = account.buckets().iter().collect();
    let buckets = all_pages(&every, |b| &b.name)
        .into_iter()
        .filter(|b| b.region == region.id)
        .map(Into::into)
        .collect();
    Ok(answer(BucketsReply {
        buckets,
        truncated: false,
    }))
}

/// `GET /api/account/catalogs?regionId=…`: the region's DLF 2.0 catalogs, whatever their status.
pub async fn catalogs(
    State(emulator): State<Emulator>,
    RegionId(region): RegionId,
) -> Result<Answer<CatalogsReply>, ErrorReply> {
    let account = &emulator.account;
    refuse_if_denied(account, Listing::Catalogs)?;
    let catalogs = all_pages(&account.catalogs_in(region.id), |c| &c.id)
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(answer(CatalogsReply {
        catalogs,
        truncated: false,
    }))
}

/// `GET /api/account/roles[?regionId=…]`: every role, each with `trustsSpark` (the emulator knows the policies).
pub async fn roles(
    State(emulator): State<Emulator>,
    OptionalRegionId(_): OptionalRegionId,
) -> Result<Answer<RolesReply>, ErrorReply> {
    let account = &emulator.account;
    refuse_if_denied(account, Listing::Roles)?;
    let roles = all_pages(&account.roles(), |r| &r.name)
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(answer(RolesReply {
        roles,
        truncated: false,
    }))
}

/// `GET /api/account/roles/{roleName}`: one role, or RAM's 404 `EntityNotExist.Role`.
pub async fn role(
    State(emulator): State<Emulator>,
    OptionalRegionId(_): OptionalRegionId,
    RoleName(name): RoleName,
) -> Result<Answer<RoleReply>, ErrorReply> {
    let account = &emulator.account;
    let name = name.as_str();
    refuse_if_denied(account, Listing::Roles)?;
    let role = account.role(name).ok_or_else(|| {
        ErrorReply::new(
            StatusCode::NOT_FOUND,
            ROLE_NOT_FOUND,
            format!("The role does not exist: {name}."),
        )
    })?;
    Ok(answer(RoleReply {
        role: RoleItem::from(role),
    }))
}

/// `GET /api/account/resource-groups[?regionId=…]`: every resource group (account-wide), whatever its status.
pub async fn resource_groups(
    State(emulator): State<Emulator>,
    OptionalRegionId(_): OptionalRegionId,
) -> Result<Answer<ResourceGroupsReply>, ErrorReply> {
    let account = &emulator.account;
    refuse_if_denied(account, Listing::ResourceGroups)?;
    let resource_groups = all_pages(&account.resource_groups(), |g| &g.id)
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(answer(ResourceGroupsReply {
        resource_groups,
        truncated: false,
    }))
}
