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
//! What the console's listing routes answer, and their paths: [`workspace_model::listing`].

pub mod dlf;
pub mod fixtures;
pub mod oss_v4;
pub mod oss_xml;
pub mod ram;

pub use fixtures::{
    Account, AccountBucket, AccountCatalog, AccountRole, FixtureError, LISTINGS, Page, page_after,
};
