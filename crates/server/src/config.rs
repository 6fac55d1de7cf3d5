//! [`Config`]: everything [`crate::app`] needs, built by [`crate::cli`] from flags or by tests directly.

use std::{path::PathBuf, sync::Arc, time::Duration};

use crate::{
    aliyun::acs3::Credentials,
    backend::{
        Backend,
        emulator::{Emulator, faults::Faults},
        gateway::{Gateway, GatewayConfig},
    },
    guardrails::{AuditLog, Guardrails},
    http::{
        access_log::{self, Logger},
        limits::Limits,
    },
};
use workspace_model::Policy;

/// Everything [`crate::app`] needs.
#[derive(Clone)]
pub struct Config {
    pub backend: Backend,
    /// A built front end (`trunk build` output) to serve at `/`.
    pub dist: Option<PathBuf>,
    /// When set, every `/api` request must be ACS3-signed with this key (for the emulator: proves that a client,
    /// or the gateway in front of it, signs correctly).
    pub verify_key: Option<Credentials>,
    /// Origins that may call from another site (CORS); none by default, so no CORS headers at all.
    pub allow_origins: Vec<String>,
    /// When set, `/api` requests need `Authorization: Bearer <token>`.
    pub auth_token: Option<String>,
    /// Host names answered besides loopback ones (against DNS rebinding): the CLI puts the `--listen` address and
    /// every `--allow-host` here. The check itself is always on.
    pub allowed_hosts: Vec<String>,
    /// Origins that may show the page in a frame (`'self'` allowed); none by default.
    pub frame_ancestors: Vec<String>,
    pub limits: Limits,
    /// Faults to inject into API answers (`--fault-…`, emulator only in the binary).
    pub faults: Option<Faults>,
    pub logger: Logger,
    /// The policy CreateWorkspace is held to and the audit log of its answers (`--policy`, `--audit-log`).
    pub guardrails: Guardrails,
}

impl Config {
    /// The emulator backend with the given startup delay, serving no front end.
    pub fn emulator(startup_delay: Duration) -> Config {
        Config::with_backend(Backend::Emulator(Emulator::new(startup_delay)))
    }

    /// This emulator (e.g. one [`Emulator::with_account`] gave a fixtures account), serving no front end.
    pub fn with_emulator(emulator: Emulator) -> Config {
        Config::with_backend(Backend::Emulator(emulator))
    }

    /// The signing gateway; fails on credentials that cannot be sent or an `upstream` that is not a base URL.
    pub fn aliyun(gateway: GatewayConfig) -> Result<Config, String> {
        Ok(Config::with_backend(Backend::Aliyun(Gateway::new(
            gateway,
        )?)))
    }

    fn with_backend(backend: Backend) -> Config {
        let mut limits = Limits::default();
        // A slow upstream must meet its own timeout (a 504 that says so) before the whole request's.
        limits.request_timeout = limits
            .request_timeout
            .max(backend.longest_call() + Duration::from_secs(5));
        Config {
            backend,
            dist: None,
            verify_key: None,
            allow_origins: Vec::new(),
            auth_token: None,
            allowed_hosts: Vec::new(),
            frame_ancestors: Vec::new(),
            limits,
            faults: None,
            logger: access_log::tracing_logger(),
            guardrails: Guardrails::default(),
        }
    }

    pub fn with_dist(mut self, dist: impl Into<PathBuf>) -> Config {
        self.dist = Some(dist.into());
        self
    }

    pub fn with_verify_key(mut self, key: Credentials) -> Config {
        self.verify_key = Some(key);
        self
    }

    /// Origins in the form `scheme://host[:port]` (see [`crate::protect::origin::parse_origin`]).
    pub fn with_allow_origins(
        mut self,
        origins: impl IntoIterator<Item = impl Into<String>>,
    ) -> Config {
        self.allow_origins = origins.into_iter().map(Into::into).collect();
        self
    }

    pub fn with_auth_token(mut self, token: impl Into<String>) -> Config {
        self.auth_token = Some(token.into());
        self
    }

    pub fn with_allowed_hosts(
        mut self,
        hosts: impl IntoIterator<Item = impl Into<String>>,
    ) -> Config {
        self.allowed_hosts = hosts.into_iter().map(Into::into).collect();
        self
    }

    /// Origins (see [`crate::protect::csp::parse_frame_ancestor`]) that may frame the page.
    pub fn with_frame_ancestors(
        mut self,
        ancestors: impl IntoIterator<Item = impl Into<String>>,
    ) -> Config {
        self.frame_ancestors = ancestors.into_iter().map(Into::into).collect();
        self
    }

    pub fn with_limits(mut self, limits: Limits) -> Config {
        self.limits = limits;
        self
    }

    pub fn with_faults(mut self, faults: Faults) -> Config {
        self.faults = Some(faults);
        self
    }

    /// Holds CreateWorkspace to this policy, and offers it to the form at `GET /api/policy`.
    pub fn with_policy(mut self, policy: Policy) -> Config {
        self.guardrails.policy = Arc::new(policy);
        self
    }

    /// Records every CreateWorkspace answer here.
    pub fn with_audit_log(mut self, log: AuditLog) -> Config {
        self.guardrails.audit = Some(Arc::new(log));
        self
    }

    /// What the start-up line says: the backend and what is switched on, never a secret.
    pub fn describe(&self) -> String {
        let mut line = self.backend.describe();
        for (on, what) in [
            (self.dist.is_some(), " (serving the console at /)"),
            (self.auth_token.is_some(), " (API requires a bearer token)"),
            (self.faults.is_some(), " (injecting faults)"),
            (!self.guardrails.policy.is_empty(), " (enforcing a policy)"),
            (self.guardrails.audit.is_some(), " (writing an audit log)"),
        ] {
            if on {
                line.push_str(what);
            }
        }
        line
    }

    pub fn with_logger(mut self, logger: impl Fn(&str) + Send + Sync + 'static) -> Config {
        self.logger = Arc::new(logger);
        self
    }
}
