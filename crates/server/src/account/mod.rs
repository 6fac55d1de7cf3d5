//! What the account holds: OSS buckets, DLF 2.0 catalogs and RAM roles, for the bucket, catalog and execution-role
//! choosers.

pub mod dlf;
pub mod fixtures;
pub mod oss_v4;
pub mod oss_xml;
pub mod ram;
