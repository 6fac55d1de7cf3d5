//! Every rule of the contract, shared by the browser and the server.
//!
//! [`validate`] turns a [`FormState`] into the request to send, or into every [`FieldError`], in form order so the
//! first error is the topmost field. Fields that do not apply are neither checked nor sent. Rules follow
//! `shared/reference/create-workspace.md`; the regex-like checks are written by hand because the `regex` crate
//! would cost the browser bundle hundreds of kilobytes.

use serde::{Deserialize, Serialize};

use crate::{
    catalogue::{Control, FIELDS, Field, FieldKey, MAX_TAGS, PAYG_CU_QUOTA, PRE_CU_QUOTA, REGIONS},
    form::FormState,
    request::{CreateWorkspaceRequest, ResourceSpec, Tag},
    text::Message,
};

/// Why a value was refused. The string forms (`as_str`) are stable and part of the server's error codes' meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// Empty, or only spaces.
    Required,
    /// Leading or trailing spaces.
    Whitespace,
    TooLong,
    InvalidChars,
    /// Not one of the allowed values.
    NotAllowed,
    UnknownRegion,
    NotPositiveInteger,
    NotWholeNumber,
    OutOfRange,
    OssFormat,
    BucketName,
    OssPath,
    NotPrintableAscii,
    Pattern,
    TooMany,
    Duplicate,
    ReservedPrefix,
    Url,
    /// GPU instance types without a GPU quota.
    NeedsGpu,
    /// A subscription field sent for pay-as-you-go, or a renewal field with auto-renew off (server side).
    NotApplicable,
    /// The JSON value has the wrong type (server side).
    WrongType,
    /// Above the documented quota: a warning in the form, a refusal from an account at the default quota.
    AboveQuota,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Required => "required",
            Code::Whitespace => "whitespace",
            Code::TooLong => "too_long",
            Code::InvalidChars => "invalid_chars",
            Code::NotAllowed => "not_allowed",
            Code::UnknownRegion => "unknown_region",
            Code::NotPositiveInteger => "not_positive_integer",
            Code::NotWholeNumber => "not_whole_number",
            Code::OutOfRange => "out_of_range",
            Code::OssFormat => "oss_format",
            Code::BucketName => "bucket_name",
            Code::OssPath => "oss_path",
            Code::NotPrintableAscii => "not_printable_ascii",
            Code::Pattern => "pattern",
            Code::TooMany => "too_many",
            Code::Duplicate => "duplicate",
            Code::ReservedPrefix => "reserved_prefix",
            Code::Url => "url",
            Code::NeedsGpu => "needs_gpu",
            Code::NotApplicable => "not_applicable",
            Code::WrongType => "wrong_type",
            Code::AboveQuota => "above_quota",
        }
    }
}

/// A problem with one value: where (`tag[3].key`), why (a stable [`Code`]) and what to do (in both languages).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub path: String,
    pub code: Code,
    pub message: Message,
}

impl FieldError {
    pub fn new(path: impl Into<String>, code: Code, message: Message) -> FieldError {
        FieldError {
            path: path.into(),
            code,
            message,
        }
    }

    /// The parameter this error belongs to.
    pub fn field(&self) -> Option<FieldKey> {
        FieldKey::from_path(&self.path)
    }

    /// The Alibaba-style error code a server answers with: `MissingParameter.<path>` for a missing value,
    /// `QuotaExceeded.<path>` above quota, `InvalidParameter.<path>` otherwise.
    pub fn api_code(&self) -> String {
        let prefix = match self.code {
            Code::Required => "MissingParameter",
            Code::AboveQuota => "QuotaExceeded",
            _ => "InvalidParameter",
        };
        format!("{prefix}.{}", self.path)
    }

    /// The English message prefixed with the path, as a server's `Message` names the field.
    pub fn api_message(&self) -> String {
        format!("{}: {}", self.path, self.message.en)
    }
}

/// A request that passed every rule: the region for the query string and the JSON body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Valid {
    pub region_id: String,
    pub body: CreateWorkspaceRequest,
}

/// Checks the whole form. `Ok` holds exactly what to send; `Err` holds every error, in form order.
pub fn validate(form: &FormState) -> Result<Valid, Vec<FieldError>> {
    let mut errors = Vec::new();
    for field in &FIELDS {
        if field.applies_to(form) {
            check_field(form, field, &mut errors);
        }
    }
    if errors.is_empty() {
        Ok(Valid {
            region_id: form.region_id.clone(),
            body: build(form),
        })
    } else {
        Err(errors)
    }
}

/// The errors of one parameter (for checking a field when it loses focus). Empty when it does not apply.
pub fn field_errors(form: &FormState, key: FieldKey) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let field = key.field();
    if field.applies_to(form) {
        check_field(form, field, &mut errors);
    }
    errors
}

/// Advice that does not block: a CU quota above the documented default for the billing method.
pub fn warnings(form: &FormState) -> Vec<FieldError> {
    let cu = &form.cu;
    if !is_positive_integer(cu) {
        return Vec::new();
    }
    let (quota, en, zh) = if form.is_subscription() {
        (PRE_CU_QUOTA, "subscription", "包年包月")
    } else {
        (PAYG_CU_QUOTA, "pay-as-you-go", "按量付费")
    };
    // A number too long for u64 is certainly above any quota.
    if cu.parse::<u64>().is_ok_and(|n| n <= quota) {
        return Vec::new();
    }
    vec![FieldError::new(
        FieldKey::Cu.path(),
        Code::AboveQuota,
        Message::new(
            format!(
                "{cu} CU is above the default {en} quota of {} CU. Creation fails unless your account's quota has been raised.",
                group(quota)
            ),
            format!(
                "{cu} CU 超过了{zh}的默认配额 {} CU。除非账号配额已提升，否则创建会失败。",
                group(quota)
            ),
        ),
    )]
}

/// The CU quota an account at the default quota has for this form's billing method.
pub fn cu_quota(form: &FormState) -> u64 {
    if form.is_subscription() {
        PRE_CU_QUOTA
    } else {
        PAYG_CU_QUOTA
    }
}

fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn check_field(form: &FormState, field: &Field, errors: &mut Vec<FieldError>) {
    let path = field.path;
    match field.key {
        FieldKey::RegionId => {
            if let Some(v) = scalar(form, field, errors)
                && !REGIONS.iter().any(|r| r.id == v)
            {
                errors.push(err(
                    path,
                    Code::UnknownRegion,
                    format!("“{v}” is not a region where workspaces can be created."),
                    format!("“{v}”不是可创建工作空间的地域。"),
                ));
            }
        }
        FieldKey::WorkspaceName => {
            if let Some(v) = scalar(form, field, errors)
                && max_chars(path, v, 64, errors)
                && let Some(c) = v.chars().find(|&c| !is_name_char(c))
            {
                errors.push(err(
                    path,
                    Code::InvalidChars,
                    format!(
                        "{} is not allowed. Use letters, digits, Chinese characters, _ and -.",
                        describe_en(c)
                    ),
                    format!(
                        "不能包含{}。请使用字母、数字、中文、下划线（_）和短划线（-）。",
                        describe_zh(c)
                    ),
                ));
            }
        }
        FieldKey::Cu => {
            if let Some(v) = scalar(form, field, errors)
                && !is_positive_integer(v)
            {
                errors.push(err(
                    path,
                    Code::NotPositiveInteger,
                    "Enter a whole number of 1 or more, such as 8 (no signs, decimals or leading zeros).",
                    "请输入大于或等于 1 的整数，例如 8（不带符号、小数或前导零）。",
                ));
            }
        }
        FieldKey::Gpu => {
            let before = errors.len();
            if let Some(v) = scalar(form, field, errors) {
                if !is_whole_number(v) {
                    errors.push(err(
                        path,
                        Code::NotWholeNumber,
                        "Enter a whole number of 0 or more (no signs, decimals or leading zeros).",
                        "请输入大于或等于 0 的整数（不带符号、小数或前导零）。",
                    ));
                } else if v.parse::<i32>().is_err() {
                    errors.push(err(
                        path,
                        Code::OutOfRange,
                        format!("Enter at most {}.", i32::MAX),
                        format!("不能超过 {}。", i32::MAX),
                    ));
                }
            }
            // Instance types are useless without GPU quota; the fix belongs here, so the error does too.
            if errors.len() == before
                && !form.gpu_spec.is_empty()
                && !form.gpu.parse::<i32>().is_ok_and(|n| n >= 1)
            {
                errors.push(err(
                    path,
                    Code::NeedsGpu,
                    "GPU instance types are listed: set a GPU quota of at least 1, or remove them.",
                    "已填写 GPU 实例规格：请将 GPU 配额设为至少 1，或删除这些规格。",
                ));
            }
        }
        FieldKey::GpuSpec => {
            for (i, spec) in form.gpu_spec.iter().enumerate() {
                let row = format!("{path}[{i}]");
                if spec.trim().is_empty() {
                    errors.push(required(&row));
                } else if has_outer_space(spec) {
                    errors.push(whitespace(&row));
                } else if !is_instance_type(spec) {
                    errors.push(err(
                        &row,
                        Code::Pattern,
                        format!(
                            "“{spec}” is not an ECS instance type. Use the form ecs.<family>.<size>, such as ecs.gn7i-c8g1.2xlarge."
                        ),
                        format!(
                            "“{spec}”不是 ECS 实例规格。格式为 ecs.<规格族>.<大小>，例如 ecs.gn7i-c8g1.2xlarge。"
                        ),
                    ));
                } else if form.gpu_spec[..i].contains(spec) {
                    errors.push(duplicate(&row, spec));
                }
            }
        }
        FieldKey::OssBucket => {
            if let Some(v) = scalar(form, field, errors) {
                check_oss(path, v, errors);
            }
        }
        FieldKey::DlfCatalogId => {
            if let Some(v) = scalar(form, field, errors) {
                if v.chars().any(|c| c.is_whitespace() || c.is_control()) {
                    errors.push(err(
                        path,
                        Code::InvalidChars,
                        "Remove the spaces and control characters: a catalog ID has none.",
                        "请删除空格和控制字符：数据目录 ID 不含这些字符。",
                    ));
                } else {
                    max_chars(path, v, 128, errors);
                }
            }
        }
        FieldKey::Duration => {
            if let Some(v) = scalar(form, field, errors) {
                in_range(path, v, 1, 9, errors);
            }
        }
        FieldKey::AutoRenewPeriod => {
            if let Some(v) = scalar(form, field, errors) {
                in_range(path, v, 1, 12, errors);
            }
        }
        FieldKey::RamRoleName => {
            if let Some(v) = scalar(form, field, errors)
                && max_chars(path, v, 64, errors)
                && let Some(c) = v.chars().find(|&c| !is_role_char(c))
            {
                errors.push(err(
                    path,
                    Code::InvalidChars,
                    format!(
                        "{} is not allowed. Use letters, digits, periods (.), hyphens (-) and underscores (_).",
                        describe_en(c)
                    ),
                    format!(
                        "不能包含{}。请使用字母、数字、英文句点（.）、短划线（-）和下划线（_）。",
                        describe_zh(c)
                    ),
                ));
            }
        }
        FieldKey::ResourceGroupId => {
            if let Some(v) = scalar(form, field, errors) {
                let ok = v.strip_prefix("rg-").is_some_and(|rest| {
                    !rest.is_empty()
                        && rest
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                });
                if !ok {
                    errors.push(err(
                        path,
                        Code::Pattern,
                        "Use rg- followed by lowercase letters and digits, such as rg-acfmwpi66knkxny.",
                        "格式为 rg- 后接小写字母和数字，例如 rg-acfmwpi66knkxny。",
                    ));
                }
            }
        }
        FieldKey::Tag => check_tags(form, errors),
        FieldKey::ClientToken => {
            if let Some(v) = scalar(form, field, errors) {
                if let Some(c) = v.chars().find(|c| !(' '..='~').contains(c)) {
                    errors.push(err(
                        path,
                        Code::NotPrintableAscii,
                        format!(
                            "{} is not allowed: use printable ASCII characters only.",
                            describe_en(c)
                        ),
                        format!("不能包含{}：只能使用可打印 ASCII 字符。", describe_zh(c)),
                    ));
                } else {
                    max_chars(path, v, 64, errors);
                }
            }
        }
        // Selects: the value must be one of the catalogue's choices (a server may receive anything).
        FieldKey::DlfType
        | FieldKey::PaymentType
        | FieldKey::PaymentDurationUnit
        | FieldKey::AutoRenewPeriodUnit
        | FieldKey::ReleaseType => {
            if let (Some(v), Control::Select(choices)) =
                (scalar(form, field, errors), field.control)
                && !choices.iter().any(|c| c.value == v)
            {
                let allowed = choices
                    .iter()
                    .filter(|c| !c.value.is_empty())
                    .map(|c| c.value)
                    .collect::<Vec<_>>()
                    .join(", ");
                errors.push(err(
                    path,
                    Code::NotAllowed,
                    format!("“{v}” is not allowed. Choose one of: {allowed}."),
                    format!("不支持“{v}”。可选值：{allowed}。"),
                ));
            }
        }
        // Booleans cannot be wrong once they are booleans; the server checks their JSON type.
        FieldKey::AutoRenew | FieldKey::AutoStartSessionCluster => {}
    }
}

/// The common start of every scalar rule: required, blank, and leading or trailing spaces. Returns the value to
/// check further, or `None` when it is absent (and allowed to be) or already has an error.
fn scalar<'a>(form: &'a FormState, field: &Field, errors: &mut Vec<FieldError>) -> Option<&'a str> {
    let v = form.text(field.key).unwrap_or("");
    if v.trim().is_empty() {
        if field.required {
            errors.push(required(field.path));
        } else if !v.is_empty() {
            errors.push(whitespace(field.path));
        }
        return None;
    }
    if has_outer_space(v) {
        errors.push(whitespace(field.path));
        return None;
    }
    Some(v)
}

fn check_tags(form: &FormState, errors: &mut Vec<FieldError>) {
    if form.tags.len() > MAX_TAGS {
        errors.push(err(
            "tag",
            Code::TooMany,
            format!(
                "{} tags were given; a workspace can have at most {MAX_TAGS}. Remove {}.",
                form.tags.len(),
                form.tags.len() - MAX_TAGS
            ),
            format!(
                "填写了 {} 个标签，最多 {MAX_TAGS} 个。请删除 {} 个。",
                form.tags.len(),
                form.tags.len() - MAX_TAGS
            ),
        ));
    }
    for (i, tag) in form.tags.iter().enumerate() {
        let key_path = format!("tag[{i}].key");
        let key = tag.key.as_str();
        if key.trim().is_empty() {
            errors.push(err(
                &key_path,
                Code::Required,
                "Enter a tag key, or remove the row.",
                "请输入标签键，或删除该行。",
            ));
        } else if has_outer_space(key) {
            errors.push(whitespace(&key_path));
        } else if max_chars(&key_path, key, 128, errors) {
            if starts_with_ci(key, "aliyun") || starts_with_ci(key, "acs:") {
                errors.push(err(
                    &key_path,
                    Code::ReservedPrefix,
                    "Keys starting with aliyun or acs: are reserved for Alibaba Cloud.",
                    "以 aliyun 或 acs: 开头的标签键为阿里云保留。",
                ));
            } else if key.chars().any(char::is_control) {
                errors.push(control_chars(&key_path));
            } else if has_url(key) {
                errors.push(url(&key_path));
            } else if form.tags[..i].iter().any(|t| t.key == key) {
                errors.push(duplicate(&key_path, key));
            }
        }

        let value_path = format!("tag[{i}].value");
        let value = tag.value.as_str();
        if !value.is_empty() {
            if has_outer_space(value) {
                errors.push(whitespace(&value_path));
            } else if max_chars(&value_path, value, 128, errors) {
                if starts_with_ci(value, "acs:") {
                    errors.push(err(
                        &value_path,
                        Code::ReservedPrefix,
                        "Values starting with acs: are reserved for Alibaba Cloud.",
                        "以 acs: 开头的标签值为阿里云保留。",
                    ));
                } else if value.chars().any(char::is_control) {
                    errors.push(control_chars(&value_path));
                } else if has_url(value) {
                    errors.push(url(&value_path));
                }
            }
        }
    }
}

fn check_oss(path: &str, v: &str, errors: &mut Vec<FieldError>) {
    let Some(rest) = v.strip_prefix("oss://") else {
        errors.push(err(
            path,
            Code::OssFormat,
            "Start with oss://, as in oss://my-bucket/.",
            "请以 oss:// 开头，例如 oss://my-bucket/。",
        ));
        return;
    };
    let Some((bucket, object_path)) = rest.split_once('/') else {
        errors.push(err(
            path,
            Code::OssFormat,
            format!("End the bucket name with a slash: oss://{rest}/."),
            format!("请在 Bucket 名称后加斜杠：oss://{rest}/。"),
        ));
        return;
    };
    let len = bucket.chars().count();
    let chars_ok = bucket
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let ends_ok = bucket.bytes().next().is_some_and(|b| b != b'-')
        && bucket.bytes().last().is_some_and(|b| b != b'-');
    if !(3..=63).contains(&len) || !chars_ok || !ends_ok {
        errors.push(err(
            path,
            Code::BucketName,
            format!(
                "“{bucket}” is not a bucket name: use 3–63 lowercase letters, digits or hyphens, starting and ending with a letter or digit."
            ),
            format!(
                "“{bucket}”不是有效的 Bucket 名称：应为 3～63 个小写字母、数字或短划线，并以字母或数字开头和结尾。"
            ),
        ));
        return;
    }
    // OSS object keys: at most 1023 bytes, no control characters, no empty path segments.
    if object_path.len() > 1023
        || object_path.chars().any(char::is_control)
        || object_path.starts_with('/')
        || object_path.contains("//")
        || object_path.contains('\\')
    {
        errors.push(err(
            path,
            Code::OssPath,
            "The path after the bucket may not have control characters, backslashes or empty segments (//), and is at most 1023 bytes.",
            "Bucket 之后的路径不能包含控制字符、反斜杠或空路径段（//），且最多 1023 字节。",
        ));
    }
}

/// Builds the request of a form that passed [`validate`]: fields that do not apply are left out, as are empty
/// optional values and unticked checkboxes (their API default is false).
fn build(form: &FormState) -> CreateWorkspaceRequest {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    let sub = form.is_subscription();
    let renew = sub && form.auto_renew;
    CreateWorkspaceRequest {
        auto_renew: sub.then(|| form.auto_renew.to_string()),
        auto_renew_period: renew.then(|| form.auto_renew_period.clone()),
        auto_renew_period_unit: renew.then(|| form.auto_renew_period_unit.clone()),
        auto_start_session_cluster: form.auto_start_session_cluster.then_some(true),
        client_token: opt(&form.client_token),
        dlf_catalog_id: opt(&form.dlf_catalog_id),
        dlf_type: opt(&form.dlf_type),
        duration: sub.then(|| form.duration.clone()),
        gpu_spec: form.gpu_spec.clone(),
        oss_bucket: opt(&form.oss_bucket),
        payment_duration_unit: sub.then(|| form.payment_duration_unit.clone()),
        payment_type: opt(&form.payment_type),
        ram_role_name: opt(&form.ram_role_name),
        release_type: opt(&form.release_type),
        resource_group_id: opt(&form.resource_group_id),
        resource_spec: Some(ResourceSpec {
            cu: opt(&form.cu),
            gpu: form.gpu.parse().ok(),
        }),
        tag: form
            .tags
            .iter()
            .map(|t| Tag {
                key: t.key.clone(),
                value: opt(&t.value),
            })
            .collect(),
        workspace_name: opt(&form.workspace_name),
    }
}

fn err(path: &str, code: Code, en: impl Into<String>, zh: impl Into<String>) -> FieldError {
    FieldError::new(path, code, Message::new(en, zh))
}

fn required(path: &str) -> FieldError {
    err(
        path,
        Code::Required,
        "This field is required.",
        "此项为必填项。",
    )
}

fn whitespace(path: &str) -> FieldError {
    err(
        path,
        Code::Whitespace,
        "Remove the spaces at the start or end.",
        "请删除开头或结尾的空格。",
    )
}

fn duplicate(path: &str, value: &str) -> FieldError {
    err(
        path,
        Code::Duplicate,
        format!("“{value}” is already listed above."),
        format!("“{value}”已在上方填写。"),
    )
}

fn control_chars(path: &str) -> FieldError {
    err(
        path,
        Code::InvalidChars,
        "Control characters (tabs, line breaks and the like) are not allowed.",
        "不能包含控制字符（制表符、换行符等）。",
    )
}

fn url(path: &str) -> FieldError {
    err(
        path,
        Code::Url,
        "Tags may not contain http:// or https://.",
        "标签不能包含 http:// 或 https://。",
    )
}

/// Pushes a too-long error and returns false when `v` has more than `max` characters.
fn max_chars(path: &str, v: &str, max: usize, errors: &mut Vec<FieldError>) -> bool {
    let n = v.chars().count();
    if n <= max {
        return true;
    }
    errors.push(err(
        path,
        Code::TooLong,
        format!("Use at most {max} characters (now {n})."),
        format!("最多 {max} 个字符（当前 {n} 个）。"),
    ));
    false
}

fn in_range(path: &str, v: &str, min: u32, max: u32, errors: &mut Vec<FieldError>) {
    let ok = is_positive_integer(v) && v.parse::<u32>().is_ok_and(|n| (min..=max).contains(&n));
    if !ok {
        errors.push(err(
            path,
            Code::OutOfRange,
            format!("Enter a whole number from {min} to {max}."),
            format!("请输入 {min} 到 {max} 之间的整数。"),
        ));
    }
}

/// `^[1-9][0-9]*$`
fn is_positive_integer(v: &str) -> bool {
    let b = v.as_bytes();
    !b.is_empty() && b[0] != b'0' && b.iter().all(u8::is_ascii_digit)
}

/// `^(0|[1-9][0-9]*)$`
fn is_whole_number(v: &str) -> bool {
    v == "0" || is_positive_integer(v)
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || ('\u{4E00}'..='\u{9FA5}').contains(&c)
}

fn is_role_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')
}

/// `ecs.<family>.<size>`: family `[a-z0-9]+(-[a-z0-9]+)*`, size `[a-z0-9]+`, at most 64 characters.
fn is_instance_type(v: &str) -> bool {
    let alnum = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    let mut parts = v.split('.');
    let (Some("ecs"), Some(family), Some(size), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    v.len() <= 64 && family.split('-').all(alnum) && alnum(size)
}

fn has_outer_space(v: &str) -> bool {
    v.trim() != v
}

fn starts_with_ci(v: &str, prefix: &str) -> bool {
    v.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

fn has_url(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    lower.contains("http://") || lower.contains("https://")
}

fn describe_en(c: char) -> String {
    match c {
        ' ' => "A space".to_owned(),
        c if c.is_control() || c.is_whitespace() => format!("The character U+{:04X}", c as u32),
        c => format!("“{c}”"),
    }
}

fn describe_zh(c: char) -> String {
    match c {
        ' ' => "空格".to_owned(),
        c if c.is_control() || c.is_whitespace() => format!("字符 U+{:04X}", c as u32),
        c => format!("“{c}”"),
    }
}
