//! What a platform team sets around CreateWorkspace: the [`policy`] it enforces (`--policy FILE`, the model's
//! policy tier) and the [`audit`] log of every create the server answered (`--audit-log FILE`).
//!
//! Both backends share them: [`Guardrails`] travels to the handlers as a request extension, the policy is checked
//! with the request's own rules (`crate::backend::params::validate_create`), and the audit log wraps the create
//! route ([`audit::record_create`]).

pub mod audit;
pub mod policy;

use std::sync::Arc;

use workspace_model::Policy;

pub use audit::AuditLog;

/// The policy and the audit log, cheap to clone.
#[derive(Clone, Default)]
pub struct Guardrails {
    /// [`Policy::NONE`] when there is none.
    pub policy: Arc<Policy>,
    pub audit: Option<Arc<AuditLog>>,
}
