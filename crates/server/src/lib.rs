//! The workspace console's server.
