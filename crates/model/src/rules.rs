//! The rules of every parameter, as data: each [`Rule`] names its tier and source beside its check.
//!
//! Tiers and sources are those of [`crate::rule`]; `crates/model/RULES.md` lists every rule. Rules that refuse
//! (api, console) come first in each table, hints last. The checks are written by hand because the `regex` crate
//! would cost the browser bundle hundreds of kilobytes.

use std::collections::BTreeSet;

use crate::{
    key::FieldKey,
    path::FieldPath,
    region::REGIONS,
    rule::{Check, Code, Problem, Report, Rule, Source, Tier, rule},
    values::{SUBSCRIPTION, Values},
};

use Check::{Cell, CellRequired, Form, Required, Text};
use Source::{ApiPage, ClientToken, Metadata, OssNaming, Ours, Ram, Ros, Sdk, TagRules};
use Tier::{Api, Console, Hint};

/// The documented CU quota for pay-as-you-go workspaces; more can be requested, so the form only warns.
pub const PAYG_CU_QUOTA: u64 = 5_000;
/// The documented CU quota for subscription workspaces.
pub const PRE_CU_QUOTA: u64 = 1_000;
/// At most this many tags (API metadata `maxItems`).
pub const MAX_TAGS: usize = 20;

pub const REGION_ID: [Rule; 2] = [
    rule(
        Api,
        ApiPage,
        "required (MissingParameter.regionId)",
        Required,
    ),
    rule(
        Api,
        Metadata,
        "one of the 15 regions of the endpoint list",
        Text(known_region),
    ),
];

pub const WORKSPACE_NAME: [Rule; 2] = [
    rule(Console, Ros, "required", Required),
    rule(
        Console,
        Ros,
        "1–64 characters: letters, digits, CJK (U+4E00–U+9FA5), _ and -",
        Text(workspace_name),
    ),
];

pub const CU: [Rule; 3] = [
    rule(Console, Ros, "required", Required),
    rule(
        Console,
        Ros,
        "a positive integer (a string; a number is accepted)",
        Text(positive_integer),
    ),
    rule(
        Hint,
        Ours,
        "above 5,000 (pay-as-you-go) or 1,000 (subscription) CU: warn, quotas can be raised",
        Form(cu_quota),
    ),
];

pub const GPU: [Rule; 1] = [rule(
    Api,
    Sdk,
    "an integer ≥ 0 (a numeric string is accepted)",
    Text(whole_number),
)];

pub const GPU_SPEC: [Rule; 4] = [
    rule(Hint, Ours, "an empty row is not sent", Form(empty_gpu_rows)),
    rule(
        Hint,
        Ours,
        "ECS instance types like ecs.gn7i-c8g1.2xlarge",
        Cell(0, instance_type),
    ),
    rule(Hint, Ours, "each type once", Form(unique_gpu_specs)),
    rule(
        Hint,
        Ours,
        "instance types need a GPU quota of at least 1",
        Form(gpu_specs_need_gpu),
    ),
];

pub const OSS_BUCKET: [Rule; 3] = [
    rule(Console, Ros, "required", Required),
    rule(
        Console,
        Ros,
        "oss://<bucket>[/path]; bucket 3–63 of a-z 0-9 -, starting and ending with a letter or digit; the trailing / is optional",
        Text(oss_bucket),
    ),
    rule(
        Hint,
        OssNaming,
        "the path: no control characters, backslashes or empty segments, at most 1023 bytes",
        Text(oss_path),
    ),
];

pub const DLF_TYPE: [Rule; 1] = [rule(
    Hint,
    Metadata,
    "one of the known versions dlf1.0, 1.0 (the metadata's default) or dlf2.0",
    Text(known_dlf_type),
)];

pub const DLF_CATALOG_ID: [Rule; 1] = [rule(
    Hint,
    Ours,
    "no whitespace or control characters",
    Text(no_whitespace),
)];

pub const PAYMENT_TYPE: [Rule; 1] = [rule(
    Api,
    ApiPage,
    "PayAsYouGo or Pre; absent means PayAsYouGo",
    Text(payment_type),
)];

pub const DURATION: [Rule; 2] = [
    rule(Api, ApiPage, "required for Pre", Required),
    rule(Console, Ros, "an integer from 1 to 9", Text(duration)),
];

pub const PAYMENT_DURATION_UNIT: [Rule; 2] = [
    rule(Api, ApiPage, "required for Pre", Required),
    rule(Console, Ros, "MONTH, in any case", Text(month)),
];

pub const AUTO_RENEW: [Rule; 2] = [
    rule(Api, ApiPage, "required for Pre", Required),
    rule(
        Api,
        Metadata,
        "true or false (a boolean or the strings)",
        Text(boolean),
    ),
];

pub const AUTO_RENEW_PERIOD: [Rule; 2] = [
    rule(
        Api,
        ApiPage,
        "required for Pre with autoRenew true",
        Required,
    ),
    rule(
        Console,
        Ros,
        "a positive integer, no upper bound (the API page's example is 100)",
        Text(positive_integer),
    ),
];

pub const AUTO_RENEW_PERIOD_UNIT: [Rule; 2] = [
    rule(
        Api,
        ApiPage,
        "required for Pre with autoRenew true",
        Required,
    ),
    rule(Console, Ros, "MONTH, in any case", Text(month)),
];

pub const RAM_ROLE_NAME: [Rule; 1] = [rule(
    Console,
    Ram,
    "1–64 characters: letters, digits, . - _ (absent: AliyunEMRSparkJobRunDefaultRole)",
    Text(ram_role_name),
)];

pub const RESOURCE_GROUP_ID: [Rule; 1] = [rule(
    Hint,
    Ours,
    "rg- followed by lowercase letters and digits",
    Text(resource_group_id),
)];

pub const TAG: [Rule; 9] = [
    rule(
        Api,
        Metadata,
        "at most 20 tags (maxItems)",
        Form(at_most_20_tags),
    ),
    rule(Console, TagRules, "a key is required", CellRequired(0)),
    rule(
        Console,
        TagRules,
        "key: at most 128 characters, not starting with aliyun or acs:, no http:// or https://",
        Cell(0, tag_key),
    ),
    rule(Console, TagRules, "keys are unique", Form(unique_tag_keys)),
    rule(
        Console,
        TagRules,
        "value: at most 128 characters, not starting with acs:, no http:// or https://",
        Cell(1, tag_value),
    ),
    rule(
        Hint,
        Ours,
        "key: no control characters",
        Cell(0, no_control),
    ),
    rule(
        Hint,
        Ours,
        "value: no control characters",
        Cell(1, no_control),
    ),
    rule(
        Hint,
        Ours,
        "key: no leading or trailing spaces",
        Cell(0, no_outer_space),
    ),
    rule(
        Hint,
        Ours,
        "value: no leading or trailing spaces",
        Cell(1, no_outer_space),
    ),
];

pub const RELEASE_TYPE: [Rule; 1] = [rule(
    Hint,
    Metadata,
    "the known value pro (the metadata's example)",
    Text(known_release_type),
)];

pub const AUTO_START_SESSION_CLUSTER: [Rule; 1] = [rule(
    Api,
    Metadata,
    "true or false (a boolean or the strings)",
    Text(boolean),
)];

pub const CLIENT_TOKEN: [Rule; 1] = [rule(
    Console,
    ClientToken,
    "at most 64 ASCII characters",
    Text(client_token),
)];

/// `oss://bucket` → `oss://bucket/`: the API page's form of the value. `None` when there is nothing to add.
pub fn tidy_oss_bucket(v: &str) -> Option<String> {
    let bucket = v.strip_prefix("oss://")?;
    (!bucket.is_empty() && !bucket.contains('/') && is_bucket_name(bucket)).then(|| format!("{v}/"))
}

// --- the checks ------------------------------------------------------------------------------------------------

fn known_region(v: &str) -> Option<Problem> {
    (!REGIONS.iter().any(|r| r.id == v)).then(|| {
        Problem::new(
            Code::UnknownRegion,
            format!("“{v}” is not a region where workspaces can be created."),
            format!("“{v}”不是可创建工作空间的地域。"),
        )
    })
}

fn workspace_name(v: &str) -> Option<Problem> {
    too_long(v, 64).or_else(|| {
        let c = v.chars().find(|&c| !is_name_char(c))?;
        Some(Problem::new(
            Code::InvalidChars,
            format!(
                "{} is not allowed. Use letters, digits, Chinese characters, _ and -.",
                describe_en(c)
            ),
            format!(
                "不能包含{}。请使用字母、数字、中文、下划线（_）和短划线（-）。",
                describe_zh(c)
            ),
        ))
    })
}

fn positive_integer(v: &str) -> Option<Problem> {
    (!is_positive_integer(v)).then(|| {
        Problem::new(
            Code::NotPositiveInteger,
            "Enter a whole number of 1 or more, such as 8 (no signs, decimals or leading zeros).",
            "请输入大于或等于 1 的整数，例如 8（不带符号、小数或前导零）。",
        )
    })
}

fn whole_number(v: &str) -> Option<Problem> {
    if !(v == "0" || is_positive_integer(v)) {
        return Some(Problem::new(
            Code::NotWholeNumber,
            "Enter a whole number of 0 or more (no signs, decimals or leading zeros).",
            "请输入大于或等于 0 的整数（不带符号、小数或前导零）。",
        ));
    }
    // The request carries it as a JSON integer: it must fit one.
    v.parse::<i64>().is_err().then(|| {
        Problem::new(
            Code::OutOfRange,
            format!("Enter at most {}.", i64::MAX),
            format!("不能超过 {}。", i64::MAX),
        )
    })
}

fn cu_quota(values: &dyn Values, key: FieldKey, report: Report<'_>) {
    let cu = values.text(key);
    if !is_positive_integer(&cu) {
        return;
    }
    let (quota, en, zh) = if values.text(FieldKey::PaymentType) == SUBSCRIPTION {
        (PRE_CU_QUOTA, "subscription", "包年包月")
    } else {
        (PAYG_CU_QUOTA, "pay-as-you-go", "按量付费")
    };
    // A number too long for u64 is certainly above any quota.
    if cu.parse::<u64>().is_ok_and(|n| n <= quota) {
        return;
    }
    report(
        FieldPath::field(key),
        Problem::new(
            Code::AboveQuota,
            format!(
                "{cu} CU is above the default {en} quota of {} CU. Creation fails unless your account's quota has been raised.",
                group(quota)
            ),
            format!(
                "{cu} CU 超过了{zh}的默认配额 {} CU。除非账号配额已提升，否则创建会失败。",
                group(quota)
            ),
        ),
    );
}

fn empty_gpu_rows(values: &dyn Values, key: FieldKey, report: Report<'_>) {
    for row in 0..values.rows(key) {
        if values.cell(key, row, 0).is_empty() {
            report(
                FieldPath::cell(key, row, 0),
                Problem::new(
                    Code::EmptyRow,
                    "Empty: this row is not sent. Enter an instance type or remove the row.",
                    "为空：该行不会提交。请输入实例规格或删除该行。",
                ),
            );
        }
    }
}

fn instance_type(v: &str) -> Option<Problem> {
    (!is_instance_type(v)).then(|| {
        Problem::new(
            Code::Pattern,
            format!(
                "“{v}” does not look like an ECS instance type (ecs.<family>.<size>, such as ecs.gn7i-c8g1.2xlarge)."
            ),
            format!("“{v}”看起来不像 ECS 实例规格（ecs.<规格族>.<大小>，例如 ecs.gn7i-c8g1.2xlarge）。"),
        )
    })
}

fn unique_gpu_specs(values: &dyn Values, key: FieldKey, report: Report<'_>) {
    unique(values, key, 0, report);
}

fn gpu_specs_need_gpu(values: &dyn Values, key: FieldKey, report: Report<'_>) {
    let rows = values.rows(key);
    if rows == 0 || (0..rows).all(|r| values.cell(key, r, 0).is_empty()) {
        return;
    }
    if !values
        .text(FieldKey::Gpu)
        .parse::<i64>()
        .is_ok_and(|n| n >= 1)
    {
        report(
            FieldPath::field(key),
            Problem::new(
                Code::NeedsGpu,
                "GPU instance types are listed but the GPU quota is not at least 1.",
                "已填写 GPU 实例规格，但 GPU 配额不足 1。",
            ),
        );
    }
}

fn oss_bucket(v: &str) -> Option<Problem> {
    let Some(rest) = v.strip_prefix("oss://") else {
        return Some(Problem::new(
            Code::OssFormat,
            "Start with oss://, as in oss://my-bucket/.",
            "请以 oss:// 开头，例如 oss://my-bucket/。",
        ));
    };
    let bucket = rest.split('/').next().unwrap_or(rest);
    (!is_bucket_name(bucket)).then(|| {
        Problem::new(
            Code::BucketName,
            format!(
                "“{bucket}” is not a bucket name: use 3–63 lowercase letters, digits or hyphens, starting and ending with a letter or digit."
            ),
            format!(
                "“{bucket}”不是有效的 Bucket 名称：应为 3～63 个小写字母、数字或短划线，并以字母或数字开头和结尾。"
            ),
        )
    })
}

fn oss_path(v: &str) -> Option<Problem> {
    let path = v.strip_prefix("oss://")?.split_once('/')?.1;
    let bad = path.len() > 1023
        || path.chars().any(char::is_control)
        || path.starts_with('/')
        || path.contains("//")
        || path.contains('\\');
    bad.then(|| {
        Problem::new(
            Code::OssPath,
            "OSS may refuse this path: avoid control characters, backslashes and empty segments (//), and keep it under 1024 bytes.",
            "OSS 可能不接受此路径：请避免控制字符、反斜杠和空路径段（//），并保持在 1024 字节以内。",
        )
    })
}

fn known_dlf_type(v: &str) -> Option<Problem> {
    known(v, &["dlf1.0", "1.0", "dlf2.0"])
}

fn known_release_type(v: &str) -> Option<Problem> {
    known(v, &["pro"])
}

fn known(v: &str, values: &[&str]) -> Option<Problem> {
    (!values.contains(&v)).then(|| {
        let list = values.join(", ");
        Problem::new(
            Code::Unknown,
            format!("“{v}” is not a value we know of ({list}); the API may refuse it."),
            format!("“{v}”不是已知的取值（{list}），API 可能会拒绝。"),
        )
    })
}

fn no_whitespace(v: &str) -> Option<Problem> {
    v.chars()
        .any(|c| c.is_whitespace() || c.is_control())
        .then(|| {
            Problem::new(
                Code::InvalidChars,
                "A catalog ID normally has no spaces or control characters: check for a stray one.",
                "数据目录 ID 通常不含空格或控制字符：请检查是否误输入。",
            )
        })
}

fn payment_type(v: &str) -> Option<Problem> {
    (v != "PayAsYouGo" && v != SUBSCRIPTION).then(|| {
        Problem::new(
            Code::NotAllowed,
            format!("“{v}” is not allowed. Choose one of: PayAsYouGo, Pre."),
            format!("不支持“{v}”。可选值：PayAsYouGo、Pre。"),
        )
    })
}

fn duration(v: &str) -> Option<Problem> {
    let ok = is_positive_integer(v) && v.parse::<u32>().is_ok_and(|n| (1..=9).contains(&n));
    (!ok).then(|| {
        Problem::new(
            Code::OutOfRange,
            "Enter a whole number from 1 to 9.",
            "请输入 1 到 9 之间的整数。",
        )
    })
}

fn boolean(v: &str) -> Option<Problem> {
    (v != "true" && v != "false").then(|| {
        Problem::new(
            Code::NotAllowed,
            format!("“{v}” is not allowed: use true or false."),
            format!("不支持“{v}”：请使用 true 或 false。"),
        )
    })
}

fn month(v: &str) -> Option<Problem> {
    (!v.eq_ignore_ascii_case("MONTH")).then(|| {
        Problem::new(
            Code::NotAllowed,
            format!("“{v}” is not allowed: subscriptions are by the month (MONTH)."),
            format!("不支持“{v}”：包年包月按月计（MONTH）。"),
        )
    })
}

fn ram_role_name(v: &str) -> Option<Problem> {
    too_long(v, 64).or_else(|| {
        let c = v
            .chars()
            .find(|&c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))?;
        Some(Problem::new(
            Code::InvalidChars,
            format!(
                "{} is not allowed. Use letters, digits, periods (.), hyphens (-) and underscores (_).",
                describe_en(c)
            ),
            format!(
                "不能包含{}。请使用字母、数字、英文句点（.）、短划线（-）和下划线（_）。",
                describe_zh(c)
            ),
        ))
    })
}

fn resource_group_id(v: &str) -> Option<Problem> {
    let ok = v.strip_prefix("rg-").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    (!ok).then(|| {
        Problem::new(
            Code::Pattern,
            "Resource group IDs look like rg- followed by lowercase letters and digits, such as rg-acfmwpi66knkxny.",
            "资源组 ID 的格式通常为 rg- 后接小写字母和数字，例如 rg-acfmwpi66knkxny。",
        )
    })
}

fn at_most_20_tags(values: &dyn Values, key: FieldKey, report: Report<'_>) {
    let n = values.rows(key);
    if n > MAX_TAGS {
        report(
            FieldPath::field(key),
            Problem::new(
                Code::TooMany,
                format!(
                    "{n} tags were given; a workspace can have at most {MAX_TAGS}. Remove {}.",
                    n - MAX_TAGS
                ),
                format!(
                    "填写了 {n} 个标签，最多 {MAX_TAGS} 个。请删除 {} 个。",
                    n - MAX_TAGS
                ),
            ),
        );
    }
}

fn tag_key(v: &str) -> Option<Problem> {
    too_long(v, 128)
        .or_else(|| {
            (starts_with_ci(v, "aliyun") || starts_with_ci(v, "acs:")).then(|| {
                Problem::new(
                    Code::ReservedPrefix,
                    "Keys starting with aliyun or acs: are reserved for Alibaba Cloud.",
                    "以 aliyun 或 acs: 开头的标签键为阿里云保留。",
                )
            })
        })
        .or_else(|| url(v))
}

fn tag_value(v: &str) -> Option<Problem> {
    too_long(v, 128)
        .or_else(|| {
            starts_with_ci(v, "acs:").then(|| {
                Problem::new(
                    Code::ReservedPrefix,
                    "Values starting with acs: are reserved for Alibaba Cloud.",
                    "以 acs: 开头的标签值为阿里云保留。",
                )
            })
        })
        .or_else(|| url(v))
}

fn unique_tag_keys(values: &dyn Values, key: FieldKey, report: Report<'_>) {
    unique(values, key, 0, report);
}

fn no_control(v: &str) -> Option<Problem> {
    v.chars().any(char::is_control).then(|| {
        Problem::new(
            Code::InvalidChars,
            "Contains control characters (tabs, line breaks and the like), which most consoles cannot show.",
            "包含控制字符（制表符、换行符等），多数控制台无法显示。",
        )
    })
}

fn no_outer_space(v: &str) -> Option<Problem> {
    (v.trim() != v).then(|| {
        Problem::new(
            Code::Whitespace,
            "Starts or ends with a space: is that intended?",
            "开头或结尾有空格：是否有意为之？",
        )
    })
}

fn client_token(v: &str) -> Option<Problem> {
    if let Some(c) = v.chars().find(|c| !c.is_ascii()) {
        return Some(Problem::new(
            Code::NotAscii,
            format!(
                "{} is not allowed: use ASCII characters only.",
                describe_en(c)
            ),
            format!("不能包含{}：只能使用 ASCII 字符。", describe_zh(c)),
        ));
    }
    too_long(v, 64)
}

// --- helpers ---------------------------------------------------------------------------------------------------

/// Reports every cell of `part` that repeats an earlier one. One pass with a set: linear in the list's size.
fn unique(values: &dyn Values, key: FieldKey, part: usize, report: Report<'_>) {
    let mut seen = BTreeSet::new();
    for row in 0..values.rows(key) {
        let v = values.cell(key, row, part);
        if v.is_empty() {
            continue;
        }
        if seen.contains(&v) {
            report(
                FieldPath::cell(key, row, part),
                Problem::new(
                    Code::Duplicate,
                    format!("“{v}” is already listed above."),
                    format!("“{v}”已在上方填写。"),
                ),
            );
        } else {
            seen.insert(v);
        }
    }
}

fn too_long(v: &str, max: usize) -> Option<Problem> {
    // Counting stops one past the limit: a huge value costs no more than a long one.
    let n = v.chars().take(max + 1).count();
    (n > max).then(|| {
        let total = v.chars().count();
        Problem::new(
            Code::TooLong,
            format!("Use at most {max} characters (now {total})."),
            format!("最多 {max} 个字符（当前 {total} 个）。"),
        )
    })
}

fn url(v: &str) -> Option<Problem> {
    let lower = v.to_ascii_lowercase();
    (lower.contains("http://") || lower.contains("https://")).then(|| {
        Problem::new(
            Code::Url,
            "Tags may not contain http:// or https://.",
            "标签不能包含 http:// 或 https://。",
        )
    })
}

/// `^[1-9][0-9]*$`
pub(crate) fn is_positive_integer(v: &str) -> bool {
    let b = v.as_bytes();
    !b.is_empty() && b[0] != b'0' && b.iter().all(u8::is_ascii_digit)
}

fn is_bucket_name(bucket: &str) -> bool {
    let b = bucket.as_bytes();
    (3..=63).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || ('\u{4E00}'..='\u{9FA5}').contains(&c)
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

fn starts_with_ci(v: &str, prefix: &str) -> bool {
    v.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
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
