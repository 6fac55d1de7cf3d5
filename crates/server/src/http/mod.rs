//! HTTP for both backends: serving on a listener, reading requests, limits, the access log and error replies.

pub mod access_log;
pub mod error;
pub mod extract;
pub mod limits;
pub mod page;
pub mod serve;
