//! The field catalogue: one entry per CreateWorkspace parameter.
//!
//! The form renders these entries, servers read JSON bodies through them, the request body is built from them and
//! the tests iterate them. Each entry names its rules ([`crate::rules`]), and each rule its tier and source.

pub use crate::{
    key::FieldKey,
    region::{REGIONS, Region},
    rules::{MAX_TAGS, PAYG_CU_QUOTA, PRE_CU_QUOTA},
    values::SUBSCRIPTION,
};
use crate::{rule::Rule, rules, text::Text};

/// The groups the form shows, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    Basics,
    Resources,
    Storage,
    Billing,
    Access,
    Tags,
    Advanced,
}

impl Section {
    pub const ALL: [Section; 7] = [
        Section::Basics,
        Section::Resources,
        Section::Storage,
        Section::Billing,
        Section::Access,
        Section::Tags,
        Section::Advanced,
    ];

    pub fn title(self) -> Text {
        match self {
            Section::Basics => Text::new("Region and name", "地域和名称"),
            Section::Resources => Text::new("Resources", "资源配置"),
            Section::Storage => Text::new("Storage and catalog", "存储与数据目录"),
            Section::Billing => Text::new("Billing", "付费方式"),
            Section::Access => Text::new("Access", "访问控制"),
            Section::Tags => Text::new("Tags", "标签"),
            Section::Advanced => Text::new("Advanced", "高级设置"),
        }
    }

    /// A stable id for anchors and tests.
    pub fn id(self) -> &'static str {
        match self {
            Section::Basics => "basics",
            Section::Resources => "resources",
            Section::Storage => "storage",
            Section::Billing => "billing",
            Section::Access => "access",
            Section::Tags => "tags",
            Section::Advanced => "advanced",
        }
    }

    /// The catalogue entries of this section, in order.
    pub fn fields(self) -> impl Iterator<Item = &'static Field> {
        FIELDS.iter().filter(move |f| f.section == self)
    }
}

/// One option of a select.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    /// What is sent; `""` means "not specified" (the field is omitted).
    pub value: &'static str,
    pub label: Text,
}

/// One input of a list row: a tag's key or value, or the whole row of a list of strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part {
    /// The member name on the wire (`key`); `""` for a list of plain strings.
    pub name: &'static str,
    pub label: Text,
    pub placeholder: &'static str,
}

/// What kind of list a list parameter is, and its words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListSpec {
    /// One part with an empty name: an array of strings. Named parts: an array of objects.
    pub parts: &'static [Part],
    /// The most rows the form lets a person add (the API's own limit, where it has one).
    pub max_rows: Option<usize>,
    pub add: Text,
    pub remove: Text,
    pub empty: Text,
}

impl ListSpec {
    /// Whether rows are plain strings (`["a","b"]`) rather than objects (`[{"key":…}]`).
    pub fn is_strings(&self) -> bool {
        matches!(self.parts, [only] if only.name.is_empty())
    }
}

/// The widget that fits the parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    Text,
    /// Digits, kept as a string until validation parses them.
    Integer,
    Select(&'static [Choice]),
    Checkbox,
    /// Editable rows, each with the parts the spec names.
    List(&'static ListSpec),
}

/// How a parameter travels, and what a server accepts for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wire {
    /// A query-string parameter.
    Query,
    /// A JSON string.
    Str,
    /// Sent as a JSON string (`"8"`, as the SDK does); a server also accepts a JSON number.
    NumStr,
    /// Sent as a JSON integer; a server also accepts a numeric string.
    Int,
    /// Sent as the string `"true"`/`"false"` (the API's `autoRenew`); a server also accepts a boolean.
    BoolStr,
    /// Sent as a JSON boolean, and only when true (the API's default is false); a server also accepts
    /// `"true"`/`"false"`.
    Bool,
    /// A JSON array; its shape comes from the field's [`ListSpec`].
    List,
}

/// When a parameter is part of the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applies {
    Always,
    /// Only for subscription billing (`paymentType` = `Pre`).
    Subscription,
    /// Only for subscription billing with auto-renew on.
    AutoRenew,
}

impl Applies {
    /// Whether the condition holds, given whether billing is [`SUBSCRIPTION`] and whether auto-renew is on. Both
    /// are asked for lazily, so a reactive caller reads (and depends on) only what the condition needs.
    pub fn holds(
        self,
        subscription: impl FnOnce() -> bool,
        auto_renew: impl FnOnce() -> bool,
    ) -> bool {
        match self {
            Applies::Always => true,
            Applies::Subscription => subscription(),
            Applies::AutoRenew => subscription() && auto_renew(),
        }
    }
}

/// One request parameter: where it goes, how it is edited, when it applies, its rules and its words.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub key: FieldKey,
    /// The wire name; nested body fields are dotted (`resourceSpec.cu`).
    pub path: &'static str,
    pub section: Section,
    pub control: Control,
    pub wire: Wire,
    pub applies: Applies,
    /// Every rule, those that refuse (api, console) before hints; see [`crate::rules`].
    pub rules: &'static [Rule],
    /// What a new form holds (`"true"`/`"false"` for checkboxes).
    pub default: &'static str,
    /// Tidies a value when the field is left (`oss://bucket` → `oss://bucket/`); `None` leaves it as typed.
    pub tidy: Option<fn(&str) -> Option<String>>,
    pub label: Text,
    pub help: Text,
    pub placeholder: &'static str,
}

impl Field {
    /// Whether a value is needed whenever the field applies (one of its rules says so).
    pub fn required(&self) -> bool {
        self.rules
            .iter()
            .any(|r| matches!(r.check, crate::rule::Check::Required))
    }

    /// The list spec of a list parameter.
    pub fn list(&self) -> Option<&'static ListSpec> {
        match self.control {
            Control::List(spec) => Some(spec),
            _ => None,
        }
    }
}

/// The most parts a list row has (a tag's key and value); the form holds each row in this many cells.
pub const MAX_LIST_PARTS: usize = 2;
/// The default job execution role.
pub const DEFAULT_RAM_ROLE: &str = "AliyunEMRSparkJobRunDefaultRole";

const fn choice(value: &'static str, en: &'static str, zh: &'static str) -> Choice {
    Choice {
        value,
        label: Text::new(en, zh),
    }
}

const REGION_CHOICES: [Choice; REGIONS.len()] = {
    let mut out = [choice("", "", ""); REGIONS.len()];
    let mut i = 0;
    while i < REGIONS.len() {
        out[i] = Choice {
            value: REGIONS[i].id,
            label: REGIONS[i].name,
        };
        i += 1;
    }
    out
};

const PAYMENT_TYPES: [Choice; 2] = [
    choice("PayAsYouGo", "Pay-as-you-go", "按量付费"),
    choice("Pre", "Subscription", "包年包月"),
];
const MONTH_ONLY: [Choice; 1] = [choice("MONTH", "Month", "月")];
const DLF_TYPES: [Choice; 2] = [
    choice("dlf1.0", "DLF 1.0", "DLF 1.0"),
    choice("dlf2.0", "DLF 2.0", "DLF 2.0"),
];
const TAGS: ListSpec = ListSpec {
    parts: &[
        Part {
            name: "key",
            label: Text::new("Key", "标签键"),
            placeholder: "",
        },
        Part {
            name: "value",
            label: Text::new("Value (optional)", "标签值（可选）"),
            placeholder: "",
        },
    ],
    max_rows: Some(MAX_TAGS),
    add: Text::new("Add tag", "添加标签"),
    remove: Text::new("Remove tag", "删除标签"),
    empty: Text::new("No tags.", "暂无标签。"),
};
const GPU_SPECS: ListSpec = ListSpec {
    parts: &[Part {
        name: "",
        label: Text::new("Instance type", "实例规格"),
        placeholder: "ecs.gn7i-c8g1.2xlarge",
    }],
    max_rows: None,
    add: Text::new("Add instance type", "添加实例规格"),
    remove: Text::new("Remove instance type", "删除实例规格"),
    empty: Text::new("No GPU instance types.", "暂无 GPU 实例规格。"),
};
const RELEASE_TYPES: [Choice; 2] = [
    choice("", "Not specified", "不指定"),
    choice("pro", "Pro", "专业版"),
];

/// Every request parameter, in the order the form shows them: [`FieldKey::ALL`]'s order, so
/// `FIELDS[k as usize].key == k` by construction.
pub const FIELDS: [Field; FieldKey::COUNT] = {
    let mut out = [entry(FieldKey::RegionId); FieldKey::COUNT];
    let mut i = 0;
    while i < FieldKey::COUNT {
        out[i] = entry(FieldKey::ALL[i]);
        i += 1;
    }
    out
};

/// The catalogue entry of each parameter. A `match`, so the compiler asks for an entry for every key and the
/// entries need no order of their own.
const fn entry(key: FieldKey) -> Field {
    match key {
        FieldKey::RegionId => Field {
            key,
            path: "regionId",
            section: Section::Basics,
            control: Control::Select(&REGION_CHOICES),
            wire: Wire::Query,
            applies: Applies::Always,
            rules: &rules::REGION_ID,
            default: "cn-hangzhou",
            tidy: None,
            label: Text::new("Region", "地域"),
            help: Text::new(
                "Where the workspace is created. It cannot be changed later.",
                "工作空间所在的地域，创建后不可更改。",
            ),
            placeholder: "",
        },
        FieldKey::WorkspaceName => Field {
            key,
            path: "workspaceName",
            section: Section::Basics,
            control: Control::Text,
            wire: Wire::Str,
            applies: Applies::Always,
            rules: &rules::WORKSPACE_NAME,
            default: "",
            tidy: None,
            label: Text::new("Workspace name", "工作空间名称"),
            help: Text::new(
                "1–64 characters: letters, digits, Chinese characters, underscores (_) and hyphens (-).",
                "1～64 个字符，可包含字母、数字、中文、下划线（_）和短划线（-）。",
            ),
            placeholder: "spark-etl",
        },
        FieldKey::Cu => Field {
            key,
            path: "resourceSpec.cu",
            section: Section::Resources,
            control: Control::Integer,
            wire: Wire::NumStr,
            applies: Applies::Always,
            rules: &rules::CU,
            default: "",
            tidy: None,
            label: Text::new("Resource quota (CU)", "资源配额（CU）"),
            help: Text::new(
                "The most compute units the workspace may use, a positive whole number. Default account quota: 5,000 CU pay-as-you-go, 1,000 CU subscription.",
                "工作空间可使用的最大计算单元数，正整数。账号默认配额：按量付费 5,000 CU，包年包月 1,000 CU。",
            ),
            placeholder: "",
        },
        FieldKey::Gpu => Field {
            key,
            path: "resourceSpec.gpu",
            section: Section::Resources,
            control: Control::Integer,
            wire: Wire::Int,
            applies: Applies::Always,
            rules: &rules::GPU,
            default: "",
            tidy: None,
            label: Text::new("GPU quota", "GPU 配额"),
            help: Text::new(
                "Optional. The GPU resource quota, a whole number of 0 or more.",
                "可选。GPU 资源配额，大于或等于 0 的整数。",
            ),
            placeholder: "",
        },
        FieldKey::GpuSpec => Field {
            key,
            path: "gpuSpec",
            section: Section::Resources,
            control: Control::List(&GPU_SPECS),
            wire: Wire::List,
            applies: Applies::Always,
            rules: &rules::GPU_SPEC,
            default: "",
            tidy: None,
            label: Text::new("GPU instance types", "GPU 实例规格"),
            help: Text::new(
                "Optional. ECS instance types such as ecs.gn7i-c8g1.2xlarge, each once. Needs a GPU quota of at least 1.",
                "可选。ECS 实例规格，例如 ecs.gn7i-c8g1.2xlarge，不可重复。需要 GPU 配额至少为 1。",
            ),
            placeholder: "ecs.gn7i-c8g1.2xlarge",
        },
        FieldKey::OssBucket => Field {
            key,
            path: "ossBucket",
            section: Section::Storage,
            control: Control::Text,
            wire: Wire::Str,
            applies: Applies::Always,
            rules: &rules::OSS_BUCKET,
            default: "",
            tidy: Some(rules::tidy_oss_bucket),
            label: Text::new("OSS path", "OSS 路径"),
            help: Text::new(
                "oss://<bucket>/ with an optional path after the slash (the slash is added for you). Bucket names: 3–63 lowercase letters, digits or hyphens, starting and ending with a letter or digit.",
                "格式为 oss://<Bucket 名称>/，斜杠后可接路径（斜杠会自动补全）。Bucket 名称为 3～63 个小写字母、数字或短划线，以字母或数字开头和结尾。",
            ),
            placeholder: "oss://my-bucket/",
        },
        FieldKey::DlfType => Field {
            key,
            path: "dlfType",
            section: Section::Storage,
            control: Control::Select(&DLF_TYPES),
            wire: Wire::Str,
            applies: Applies::Always,
            rules: &rules::DLF_TYPE,
            default: "dlf1.0",
            tidy: None,
            label: Text::new("DLF version", "DLF 版本"),
            help: Text::new(
                "The Data Lake Formation version the workspace binds to.",
                "工作空间绑定的数据湖构建（DLF）版本。",
            ),
            placeholder: "",
        },
        FieldKey::DlfCatalogId => Field {
            key,
            path: "dlfCatalogId",
            section: Section::Storage,
            control: Control::Text,
            wire: Wire::Str,
            applies: Applies::Always,
            rules: &rules::DLF_CATALOG_ID,
            default: "",
            tidy: None,
            label: Text::new("DLF catalog ID", "DLF 数据目录 ID"),
            help: Text::new(
                "Optional. The ID of the DLF catalog to use, without spaces.",
                "可选。要使用的 DLF 数据目录 ID，不含空格。",
            ),
            placeholder: "1234567890",
        },
        FieldKey::PaymentType => Field {
            key,
            path: "paymentType",
            section: Section::Billing,
            control: Control::Select(&PAYMENT_TYPES),
            wire: Wire::Str,
            applies: Applies::Always,
            rules: &rules::PAYMENT_TYPE,
            default: "PayAsYouGo",
            tidy: None,
            label: Text::new("Billing method", "付费类型"),
            help: Text::new(
                "Pay-as-you-go bills by use. Subscription pays for whole months in advance.",
                "按量付费按实际用量计费；包年包月按月预付。",
            ),
            placeholder: "",
        },
        FieldKey::Duration => Field {
            key,
            path: "duration",
            section: Section::Billing,
            control: Control::Integer,
            wire: Wire::NumStr,
            applies: Applies::Subscription,
            rules: &rules::DURATION,
            default: "1",
            tidy: None,
            label: Text::new("Subscription duration", "购买时长"),
            help: Text::new("1 to 9 months.", "1～9 个月。"),
            placeholder: "",
        },
        FieldKey::PaymentDurationUnit => Field {
            key,
            path: "paymentDurationUnit",
            section: Section::Billing,
            control: Control::Select(&MONTH_ONLY),
            wire: Wire::Str,
            applies: Applies::Subscription,
            rules: &rules::PAYMENT_DURATION_UNIT,
            default: "MONTH",
            tidy: None,
            label: Text::new("Duration unit", "时长单位"),
            help: Text::new(
                "Subscriptions are bought by the month.",
                "包年包月按月购买。",
            ),
            placeholder: "",
        },
        FieldKey::AutoRenew => Field {
            key,
            path: "autoRenew",
            section: Section::Billing,
            control: Control::Checkbox,
            wire: Wire::BoolStr,
            applies: Applies::Subscription,
            rules: &rules::AUTO_RENEW,
            default: "false",
            tidy: None,
            label: Text::new("Renew automatically", "自动续费"),
            help: Text::new(
                "Renews the subscription when it expires, for the period below.",
                "到期后按下方的时长自动续费。",
            ),
            placeholder: "",
        },
        FieldKey::AutoRenewPeriod => Field {
            key,
            path: "autoRenewPeriod",
            section: Section::Billing,
            control: Control::Integer,
            wire: Wire::NumStr,
            applies: Applies::AutoRenew,
            rules: &rules::AUTO_RENEW_PERIOD,
            default: "1",
            tidy: None,
            label: Text::new("Renewal period", "自动续费时长"),
            help: Text::new(
                "A whole number of months, 1 or more.",
                "整数个月，至少 1 个月。",
            ),
            placeholder: "",
        },
        FieldKey::AutoRenewPeriodUnit => Field {
            key,
            path: "autoRenewPeriodUnit",
            section: Section::Billing,
            control: Control::Select(&MONTH_ONLY),
            wire: Wire::Str,
            applies: Applies::AutoRenew,
            rules: &rules::AUTO_RENEW_PERIOD_UNIT,
            default: "MONTH",
            tidy: None,
            label: Text::new("Renewal unit", "续费周期单位"),
            help: Text::new("Renewals are by the month.", "按月续费。"),
            placeholder: "",
        },
        FieldKey::RamRoleName => Field {
            key,
            path: "ramRoleName",
            section: Section::Access,
            control: Control::Text,
            wire: Wire::Str,
            applies: Applies::Always,
            rules: &rules::RAM_ROLE_NAME,
            default: DEFAULT_RAM_ROLE,
            tidy: None,
            label: Text::new("Job execution role", "任务执行角色"),
            help: Text::new(
                "The RAM role Spark jobs run as. 1–64 letters, digits, periods, hyphens or underscores.",
                "运行 Spark 作业所用的 RAM 角色。1～64 个字母、数字、英文句点、短划线或下划线。",
            ),
            placeholder: DEFAULT_RAM_ROLE,
        },
        FieldKey::ResourceGroupId => Field {
            key,
            path: "resourceGroupId",
            section: Section::Access,
            control: Control::Text,
            wire: Wire::Str,
            applies: Applies::Always,
            rules: &rules::RESOURCE_GROUP_ID,
            default: "",
            tidy: None,
            label: Text::new("Resource group ID", "资源组 ID"),
            help: Text::new(
                "Optional. rg- followed by lowercase letters and digits. Empty means the default group.",
                "可选。以 rg- 开头，后接小写字母和数字。留空表示默认资源组。",
            ),
            placeholder: "rg-acfmwpi66knkxny",
        },
        FieldKey::Tag => Field {
            key,
            path: "tag",
            section: Section::Tags,
            control: Control::List(&TAGS),
            wire: Wire::List,
            applies: Applies::Always,
            rules: &rules::TAG,
            default: "",
            tidy: None,
            label: Text::new("Tags", "标签"),
            help: Text::new(
                "Up to 20. Keys: 1–128 characters, each once, not starting with aliyun or acs:. Values: up to 128 characters, not starting with acs:. Neither may contain http:// or https://.",
                "最多 20 个。标签键：1～128 个字符，不可重复，不能以 aliyun 或 acs: 开头。标签值：最多 128 个字符，不能以 acs: 开头。均不能包含 http:// 或 https://。",
            ),
            placeholder: "",
        },
        FieldKey::ReleaseType => Field {
            key,
            path: "releaseType",
            section: Section::Advanced,
            control: Control::Select(&RELEASE_TYPES),
            wire: Wire::Str,
            applies: Applies::Always,
            rules: &rules::RELEASE_TYPE,
            default: "",
            tidy: None,
            label: Text::new("Release type", "版本类型"),
            help: Text::new(
                "Optional. The product edition of the workspace.",
                "可选。工作空间的产品版本。",
            ),
            placeholder: "",
        },
        FieldKey::AutoStartSessionCluster => Field {
            key,
            path: "autoStartSessionCluster",
            section: Section::Advanced,
            control: Control::Checkbox,
            wire: Wire::Bool,
            applies: Applies::Always,
            rules: &rules::AUTO_START_SESSION_CLUSTER,
            default: "false",
            tidy: None,
            label: Text::new("Start a session cluster automatically", "自动启动会话集群"),
            help: Text::new(
                "Starts a session cluster as soon as the workspace is created.",
                "创建工作空间后立即启动一个会话集群。",
            ),
            placeholder: "",
        },
        FieldKey::ClientToken => Field {
            key,
            path: "clientToken",
            section: Section::Advanced,
            control: Control::Text,
            wire: Wire::Str,
            applies: Applies::Always,
            rules: &rules::CLIENT_TOKEN,
            default: "",
            tidy: None,
            label: Text::new("Client token", "客户端令牌"),
            help: Text::new(
                "Makes retries safe: requests with the same token create at most one workspace. Generated for you; up to 64 ASCII characters.",
                "保证重试安全：相同令牌的请求最多只创建一个工作空间。已自动生成；最多 64 个 ASCII 字符。",
            ),
            placeholder: "",
        },
    }
}

impl FieldKey {
    /// The catalogue entry of this parameter.
    pub fn field(self) -> &'static Field {
        &FIELDS[self as usize]
    }

    /// The wire path, such as `resourceSpec.cu`.
    pub fn path(self) -> &'static str {
        self.field().path
    }

    /// The parameter whose wire path is exactly `path` (`resourceSpec.cu`); `None` for anything else.
    pub fn from_wire_path(path: &str) -> Option<FieldKey> {
        FIELDS.iter().find(|f| f.path == path).map(|f| f.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_unique_and_make_html_safe_ids() {
        for (i, a) in FIELDS.iter().enumerate() {
            let id = crate::FieldPath::field(a.key).id_fragment();
            assert!(
                id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
                "{id}"
            );
            for b in &FIELDS[i + 1..] {
                assert_ne!(a.path, b.path);
            }
            assert_eq!(FieldKey::from_wire_path(a.path), Some(a.key));
        }
    }

    #[test]
    fn every_field_has_words_in_both_languages() {
        for f in &FIELDS {
            let mut texts = vec![f.label, f.help];
            if let Some(list) = f.list() {
                texts.extend([list.add, list.remove, list.empty]);
                texts.extend(list.parts.iter().map(|p| p.label));
            }
            for text in texts {
                assert!(!text.en.is_empty() && !text.zh.is_empty(), "{}", f.path);
                assert_ne!(text.en, text.zh, "{} is not translated", f.path);
            }
        }
        for s in Section::ALL {
            assert!(s.fields().next().is_some(), "section {} is empty", s.id());
        }
    }

    #[test]
    fn select_defaults_are_among_their_choices() {
        for f in &FIELDS {
            if let Control::Select(choices) = f.control {
                assert!(
                    choices.iter().any(|c| c.value == f.default),
                    "{} default {:?}",
                    f.path,
                    f.default
                );
            }
        }
    }

    #[test]
    fn lists_and_only_lists_travel_as_arrays() {
        for f in &FIELDS {
            assert_eq!(f.list().is_some(), f.wire == Wire::List, "{}", f.path);
            if let Some(list) = f.list() {
                assert!(
                    (1..=MAX_LIST_PARTS).contains(&list.parts.len()),
                    "{}",
                    f.path
                );
            }
            assert_eq!(
                f.control == Control::Checkbox,
                matches!(f.wire, Wire::Bool | Wire::BoolStr),
                "{}",
                f.path
            );
        }
    }
}
