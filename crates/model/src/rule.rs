//! What a rule is: a check, how binding it is (its [`Tier`]) and who published it (its [`Source`]).
//!
//! `api` rules are stated by the API page, its metadata or the official SDK; `console` rules are checked by
//! Alibaba elsewhere. Both refuse a request everywhere (the form, the emulator, the gateway); a `hint` is our own
//! guess and only ever warns in the form. No server refuses on a hint. `policy` rules are a platform team's
//! ([`crate::policy`], a server's `--policy` file): they refuse everywhere too, with 403 and
//! `PolicyViolation.<path>`. `crates/model/RULES.md` lists every rule and every policy operator.

use serde::{Deserialize, Serialize};

use crate::{key::FieldKey, path::FieldPath, text::Message, values::Values};

/// How binding a rule is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Stated by the API page, its metadata or the official SDK.
    Api,
    /// Machine-checked by Alibaba elsewhere (ROS, tag rules, RAM, the ClientToken convention).
    Console,
    /// Our own guess: a warning in the form, never a refusal.
    Hint,
    /// A platform team's guardrail ([`crate::policy::Policy`]): refuses, checked after a field's api and
    /// console rules and before its hints.
    Policy,
}

impl Tier {
    /// Whether a finding of this tier refuses the request (api, console and policy do; a hint does not).
    pub fn refuses(self) -> bool {
        self != Tier::Hint
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Api => "api",
            Tier::Console => "console",
            Tier::Hint => "hint",
            Tier::Policy => "policy",
        }
    }
}

/// Where a rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// The CreateWorkspace API reference page,
    /// <https://www.alibabacloud.com/help/en/emr/emr-serverless-spark/developer-reference/api-emr-serverless-spark-2023-08-08-createworkspace>.
    ApiPage,
    /// The API metadata of Alibaba's API portal (types, examples, `maxItems`, endpoints).
    Metadata,
    /// The official Python SDK 2.3.0 (`models/_create_workspace_request.py`).
    Sdk,
    /// ROS `ALIYUN::EMR::SparkWorkspace`.
    Ros,
    /// Alibaba Cloud's tag rules.
    TagRules,
    /// RAM's role-name rules.
    Ram,
    /// The ClientToken convention shared by Alibaba APIs.
    ClientToken,
    /// OSS's object-name rules.
    OssNaming,
    /// Nobody: our own guess.
    Ours,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::ApiPage => "API page",
            Source::Metadata => "API metadata",
            Source::Sdk => "SDK 2.3.0",
            Source::Ros => "ROS ALIYUN::EMR::SparkWorkspace",
            Source::TagRules => "Alibaba Cloud tag rules",
            Source::Ram => "RAM role names",
            Source::ClientToken => "ClientToken convention",
            Source::OssNaming => "OSS object naming",
            Source::Ours => "ours (no published source)",
        }
    }
}

/// Why a value was refused or warned about. The string forms are stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// Empty.
    Required,
    /// Leading or trailing spaces (a hint).
    Whitespace,
    TooLong,
    InvalidChars,
    /// Not one of the allowed values.
    NotAllowed,
    /// Not one of the values we know of (a hint).
    Unknown,
    UnknownRegion,
    NotPositiveInteger,
    NotWholeNumber,
    OutOfRange,
    OssFormat,
    BucketName,
    OssPath,
    NotAscii,
    Pattern,
    TooMany,
    Duplicate,
    ReservedPrefix,
    Url,
    /// GPU instance types without a GPU quota.
    NeedsGpu,
    /// Above the documented default quota (a hint).
    AboveQuota,
    /// An empty list row, which is not sent (a hint).
    EmptyRow,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Required => "required",
            Code::Whitespace => "whitespace",
            Code::TooLong => "too_long",
            Code::InvalidChars => "invalid_chars",
            Code::NotAllowed => "not_allowed",
            Code::Unknown => "unknown",
            Code::UnknownRegion => "unknown_region",
            Code::NotPositiveInteger => "not_positive_integer",
            Code::NotWholeNumber => "not_whole_number",
            Code::OutOfRange => "out_of_range",
            Code::OssFormat => "oss_format",
            Code::BucketName => "bucket_name",
            Code::OssPath => "oss_path",
            Code::NotAscii => "not_ascii",
            Code::Pattern => "pattern",
            Code::TooMany => "too_many",
            Code::Duplicate => "duplicate",
            Code::ReservedPrefix => "reserved_prefix",
            Code::Url => "url",
            Code::NeedsGpu => "needs_gpu",
            Code::AboveQuota => "above_quota",
            Code::EmptyRow => "empty_row",
        }
    }
}

/// What a failed check says: a stable code and words in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub code: Code,
    pub message: Message,
}

impl Problem {
    pub fn new(code: Code, en: impl Into<String>, zh: impl Into<String>) -> Problem {
        Problem {
            code,
            message: Message::new(en, zh),
        }
    }
}

/// Where problems found by a [`Check::Form`] go.
pub type Report<'a> = &'a mut dyn FnMut(FieldPath, Problem);

/// How a rule looks at the values.
#[derive(Clone, Copy)]
pub enum Check {
    /// The value must not be empty (checked only while the field applies).
    Required,
    /// Looks at a scalar's text, when it is not empty.
    Text(fn(&str) -> Option<Problem>),
    /// A cell of every row of a list must not be empty.
    CellRequired(usize),
    /// Looks at one part of every row of a list, when that cell is not empty.
    Cell(usize, fn(&str) -> Option<Problem>),
    /// Looks at anything it needs (other fields, the list as a whole) and reports at any path of its field.
    Form(fn(&dyn Values, FieldKey, Report<'_>)),
}

/// One rule of one parameter, with its tier and source beside it.
#[derive(Clone, Copy)]
pub struct Rule {
    pub tier: Tier,
    pub source: Source,
    /// What the rule says, for the rule table (`RULES.md`). Not in the page's build (feature `rule-table`): a
    /// browser never shows it, and its words cost the bundle 0.7 KB gzip.
    #[cfg(feature = "rule-table")]
    pub says: &'static str,
    pub check: Check,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.tier.as_str(), self.source.as_str())?;
        #[cfg(feature = "rule-table")]
        write!(f, ": {}", self.says)?;
        Ok(())
    }
}

/// Shorthand for the rule tables.
pub const fn rule(tier: Tier, source: Source, says: &'static str, check: Check) -> Rule {
    #[cfg(not(feature = "rule-table"))]
    let _ = says;
    Rule {
        tier,
        source,
        #[cfg(feature = "rule-table")]
        says,
        check,
    }
}
