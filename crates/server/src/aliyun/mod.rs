//! Alibaba Cloud's protocols, as the gateway speaks them and the emulator imitates them: pure building blocks,
//! unit-tested and checked against the official SDKs by the server's tests; the `/api` routes that use them are
//! in [`crate::backend`].
//!
//! - [`acs3`]: the ACS3-HMAC-SHA256 signer and verifier (every product but OSS; also `--verify-key`).
//! - [`oss_v4`]: OSS Signature V4 for ListBuckets (the gateway's OSS call; OSS does not take ACS3), checked
//!   against the official SDK's `SignerV4`.
//! - [`oss_xml`]: OSS's ListBuckets page and `<Error>` (also from the `x-oss-err` header).
//! - [`dlf`]: DlfNext 2025-03-10 ListCatalogs (ACS3-signed ROA, like CreateWorkspace).
//! - [`ram`]: RAM ListRoles and GetRole (ACS3-signed RPC), and whether a trust policy lets
//!   `spark.emr-serverless.aliyuncs.com` assume the role.
//! - [`resourcemanager`]: ResourceManager ListResourceGroups (ACS3-signed RPC).
//!
//! What the console's listing routes answer, and their paths: [`workspace_model::listing`].

pub mod acs3;
pub mod dlf;
pub mod oss_v4;
pub mod oss_xml;
pub mod ram;
pub mod resourcemanager;
