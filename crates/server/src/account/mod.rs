//! What the account holds: OSS buckets, DLF 2.0 catalogs and RAM roles, for the form's bucket, catalog and
//! execution-role choosers ("choose, don't type").
//!
//! Building blocks only, pure and unit-tested; the `/api` routes that use them are wired elsewhere:
//!
//! - [`oss_v4`]: OSS Signature V4 for ListBuckets (the gateway's OSS call; OSS does not take ACS3), checked
//!   against the official SDK's `SignerV4` by `tests/account_signatures.rs`.
//! - [`oss_xml`]: OSS's ListBuckets page and `<Error>` (also from the `x-oss-err` header).
//! - [`dlf`]: DlfNext 2025-03-10 ListCatalogs (ACS3-signed ROA, like CreateWorkspace).
//! - [`ram`]: RAM ListRoles and GetRole (ACS3-signed RPC), and whether a trust policy lets
//!   `spark.emr-serverless.aliyuncs.com` assume the role.
//! - [`fixtures`]: the emulator's account (`--fixtures FILE` or the demo), its queries and the paging helper the
//!   emulator imitates upstream paging with.
//!
//! # What the console's listing routes answer
//!
//! Every listing is the whole list for the form's region (the server follows upstream pages), in these shapes
//! ([`BucketsReply`], [`CatalogsReply`], [`RolesReply`], [`RoleReply`]); `truncated` is `true` when the server
//! stopped at its cap before the last page.
//!
//! ```json
//! {"buckets":  [{"name": "spark-demo-hz", "region": "cn-hangzhou"}], "truncated": false}
//! {"catalogs": [{"id": "clg-paimon-demo0001", "name": "lakehouse", "status": "RUNNING"}], "truncated": false}
//! {"roles":    [{"name": "AliyunEMRSparkJobRunDefaultRole", "description": "…", "trustsSpark": true}],
//!  "truncated": false}
//! {"role":     {"name": "AliyunEMRSparkJobRunDefaultRole", "description": "…", "trustsSpark": true}}
//! ```
//!
//! - Buckets: OSS lists every region's buckets at once; the route keeps those whose `region` is the form's.
//! - Catalogs: DLF is regional; every status is listed, and only `RUNNING` ones can back a workspace.
//! - Roles: RAM is global. ListRoles carries no trust policy, so `trustsSpark` comes from GetRole (the emulator
//!   knows it directly); `{"role": …}` is the answer for one role, and a missing one is RAM's
//!   `EntityNotExist.Role` (404).

pub mod dlf;
pub mod fixtures;
pub mod oss_v4;
pub mod oss_xml;
pub mod ram;

pub use fixtures::{
    Account, AccountBucket, AccountCatalog, AccountRole, BucketItem, BucketsReply, CatalogItem,
    CatalogsReply, FixtureError, LISTINGS, Page, RoleItem, RoleReply, RolesReply, page_after,
};

/// `GET ?regionId=R`: the OSS buckets whose region is R.
pub const BUCKETS_PATH: &str = "/api/account/buckets";
/// `GET ?regionId=R`: the DLF 2.0 catalogs of R, every status.
pub const CATALOGS_PATH: &str = "/api/account/catalogs";
/// `GET`: every RAM role (RAM is global: a `regionId`, if given, must be a known region and is otherwise unused);
/// `GET /{roleName}`: one role, with `trustsSpark` from its trust policy.
pub const ROLES_PATH: &str = "/api/account/roles";
