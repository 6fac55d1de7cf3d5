//! One logical submission of the form, as a state machine: whether a send may start, what an answer leads to,
//! and which failures are safe to retry as they are.
//!
//! The rule that keeps creation idempotent lives here: a submission is one client token. Every attempt of a
//! submission (a retry after a timeout, a reload, a second click) sends that token, so the API creates at most one
//! workspace; only "create another" ends the submission and lets the form take a new token. While an attempt is
//! in flight no other starts, and once a workspace exists nothing more is sent.

use workspace_model::CreateWorkspaceResponse;

use crate::api::CallError;

/// A workspace the API accepted: its answer, and the region and name the form sent for it. What
/// `on_created` receives, and the detail of the `workspace-created` DOM event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceCreated {
    pub response: CreateWorkspaceResponse,
    pub region_id: String,
    pub name: String,
}

/// Where a submission is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Submission {
    /// Being filled in; nothing sent yet in this submission.
    #[default]
    Editing,
    /// The last attempt did not create the workspace, for this reason; the form may be edited and sent again.
    Failed(CallError),
    /// An attempt is in flight.
    Sending,
    /// The workspace exists.
    Created(WorkspaceCreated),
}

impl Submission {
    /// Whether an attempt may start: not while one is in flight, not once the workspace exists.
    pub fn may_send(&self) -> bool {
        matches!(self, Submission::Editing | Submission::Failed(_))
    }

    /// Starts an attempt, if one may start. Returns whether it started.
    pub fn send(&mut self) -> bool {
        let may = self.may_send();
        if may {
            *self = Submission::Sending;
        }
        may
    }

    /// The answer to the attempt in flight. An answer that arrives when none is in flight (the form was reset
    /// meanwhile) changes nothing and is reported as ignored.
    pub fn settle(&mut self, result: Result<WorkspaceCreated, CallError>) -> bool {
        if *self != Submission::Sending {
            return false;
        }
        *self = match result {
            Ok(created) => Submission::Created(created),
            Err(error) => Submission::Failed(error),
        };
        true
    }

    /// Ends the submission: "create another", or "start over" on a restored draft. The caller takes a new
    /// client token with it.
    pub fn start_over(&mut self) {
        *self = Submission::Editing;
    }

    pub fn is_sending(&self) -> bool {
        *self == Submission::Sending
    }

    pub fn created(&self) -> Option<&WorkspaceCreated> {
        match self {
            Submission::Created(c) => Some(c),
            _ => None,
        }
    }

    pub fn failure(&self) -> Option<&CallError> {
        match self {
            Submission::Failed(e) => Some(e),
            _ => None,
        }
    }
}

impl CallError {
    /// Whether sending the same request again can help, and is safe: the same client token creates at most one
    /// workspace. True for failures of the way there (no answer, a timeout, an answer from something that is not
    /// the API), throttling, and the server-side errors Alibaba documents as temporary.
    pub fn retry_may_help(&self) -> bool {
        match self {
            CallError::Network(_) | CallError::Timeout | CallError::Unexpected { .. } => true,
            CallError::Api { status, error } => {
                *status >= 500 || error.code.starts_with("Throttling")
            }
        }
    }

    /// Whether the server wants a token this form does not have (a gateway started with `--auth-token`).
    pub fn needs_token(&self) -> bool {
        matches!(self, CallError::Api { status: 401, .. })
    }
}

#[cfg(test)]
mod tests {
    use workspace_model::ApiError;

    use super::*;

    fn created() -> WorkspaceCreated {
        WorkspaceCreated {
            response: CreateWorkspaceResponse {
                workspace_id: "w-1".into(),
                operation_id: "op-1".into(),
                request_id: "R".into(),
            },
            region_id: "cn-hangzhou".into(),
            name: "etl".into(),
        }
    }

    #[test]
    fn one_attempt_at_a_time_and_nothing_after_creation() {
        let mut s = Submission::default();
        assert!(s.send() && s.is_sending());
        assert!(!s.send(), "a second click while sending");
        assert!(s.settle(Err(CallError::Timeout)));
        assert_eq!(s.failure(), Some(&CallError::Timeout));
        assert!(s.send(), "a retry after a failure");
        assert!(s.settle(Ok(created())));
        assert_eq!(s.created().map(|c| c.name.as_str()), Some("etl"));
        assert!(!s.send(), "nothing is sent once the workspace exists");
        s.start_over();
        assert_eq!(s, Submission::Editing);
        assert!(s.send());
    }

    #[test]
    fn late_answers_change_nothing() {
        let mut s = Submission::default();
        assert!(!s.settle(Ok(created())));
        assert_eq!(s, Submission::Editing);
        s.send();
        s.start_over();
        assert!(!s.settle(Ok(created())), "an answer after a reset");
        assert_eq!(s, Submission::Editing);
    }

    #[test]
    fn which_failures_are_worth_retrying() {
        let api = |status, code: &str| CallError::Api {
            status,
            error: ApiError::new(code, "m"),
        };
        for retry in [
            CallError::Network("reset".into()),
            CallError::Timeout,
            CallError::Unexpected {
                status: 502,
                detail: "<html>".into(),
            },
            api(400, "Throttling.User"),
            api(500, "InternalError"),
            api(503, "ServiceUnavailable"),
        ] {
            assert!(retry.retry_may_help(), "{retry:?}");
        }
        for fix_first in [
            api(400, "InvalidParameter.workspaceName"),
            api(400, "IdempotentParameterMismatch"),
            api(403, "Forbidden.Origin"),
            api(401, "InvalidAuthorization"),
        ] {
            assert!(!fix_first.retry_may_help(), "{fix_first:?}");
        }
        assert!(api(401, "InvalidAuthorization").needs_token());
        assert!(!api(403, "Forbidden.RAM").needs_token());
    }
}
