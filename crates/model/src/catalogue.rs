//! The field catalogue: one entry per CreateWorkspace parameter.
//!
//! The form renders these entries, the server walks them to read JSON bodies, and the tests iterate them, so adding
//! an API parameter means adding one [`Field`] here (and its rule in [`crate::validate`]).

use crate::{form::FormState, text::Text};

/// Identifies one request parameter. The order is the order of [`FIELDS`] (a test keeps them in step).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldKey {
    RegionId,
    WorkspaceName,
    Cu,
    Gpu,
    GpuSpec,
    OssBucket,
    DlfType,
    DlfCatalogId,
    PaymentType,
    Duration,
    PaymentDurationUnit,
    AutoRenew,
    AutoRenewPeriod,
    AutoRenewPeriodUnit,
    RamRoleName,
    ResourceGroupId,
    Tag,
    ReleaseType,
    AutoStartSessionCluster,
    ClientToken,
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

    /// The parameter an error path belongs to: `tag[3].key` → [`FieldKey::Tag`], `resourceSpec.cu` →
    /// [`FieldKey::Cu`]. Unknown paths give `None`.
    pub fn from_path(path: &str) -> Option<FieldKey> {
        let head = path.split('[').next().unwrap_or(path);
        FIELDS.iter().find(|f| f.path == head).map(|f| f.key)
    }

    /// A stable, HTML-id-safe name (`resourceSpec.cu` → `resourceSpec-cu`).
    pub fn id(self) -> &'static str {
        self.field().id
    }
}

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

/// The widget that fits the parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    Text,
    /// Digits, kept as a string until validation parses them.
    Integer,
    Select(&'static [Choice]),
    Checkbox,
    /// Editable key/value rows.
    TagList,
    /// Editable rows of one string each.
    TextList,
}

/// How the parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wire {
    /// A query-string parameter.
    Query,
    /// A JSON string.
    Str,
    /// A JSON integer.
    Int,
    /// A JSON string holding `"true"` or `"false"` (the API's `autoRenew`).
    BoolString,
    /// A JSON boolean.
    Bool,
    /// A JSON array of `{key, value}` objects.
    TagArray,
    /// A JSON array of strings.
    StrArray,
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

/// The `paymentType` of subscription billing, which brings in the subscription fields.
pub const SUBSCRIPTION: &str = "Pre";

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

/// One request parameter: where it goes, how it is edited, when it applies, and its words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub key: FieldKey,
    /// The wire name; nested body fields are dotted (`resourceSpec.cu`).
    pub path: &'static str,
    /// `path` made safe for an HTML id.
    pub id: &'static str,
    pub section: Section,
    pub control: Control,
    pub wire: Wire,
    pub applies: Applies,
    /// Required whenever the field applies.
    pub required: bool,
    /// What a new form holds (`"true"`/`"false"` for checkboxes).
    pub default: &'static str,
    pub label: Text,
    pub help: Text,
    pub placeholder: &'static str,
}

impl Field {
    /// Whether the field is part of the request for this form (subscription fields only apply to `Pre`).
    pub fn applies_to(&self, form: &FormState) -> bool {
        self.applies
            .holds(|| form.is_subscription(), || form.auto_renew)
    }
}

/// The documented CU quota for pay-as-you-go workspaces; more can be requested, so the form only warns.
pub const PAYG_CU_QUOTA: u64 = 5_000;
/// The documented CU quota for subscription workspaces.
pub const PRE_CU_QUOTA: u64 = 1_000;
/// At most this many tags (API metadata `maxItems`).
pub const MAX_TAGS: usize = 20;
/// The default job execution role.
pub const DEFAULT_RAM_ROLE: &str = "AliyunEMRSparkJobRunDefaultRole";

/// A region where the API is served.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub id: &'static str,
    pub name: Text,
}

impl Region {
    /// The API endpoint host of this region.
    pub fn endpoint(&self) -> String {
        format!("emr-serverless-spark.{}.aliyuncs.com", self.id)
    }

    pub fn find(id: &str) -> Option<&'static Region> {
        REGIONS.iter().find(|r| r.id == id)
    }
}

/// The regions of the API metadata's endpoint list.
pub const REGIONS: [Region; 15] = [
    region("cn-beijing", "China (Beijing)", "华北2（北京）"),
    region("cn-zhangjiakou", "China (Zhangjiakou)", "华北3（张家口）"),
    region("cn-wulanchabu", "China (Ulanqab)", "华北6（乌兰察布）"),
    region("cn-hangzhou", "China (Hangzhou)", "华东1（杭州）"),
    region("cn-shanghai", "China (Shanghai)", "华东2（上海）"),
    region("cn-shenzhen", "China (Shenzhen)", "华南1（深圳）"),
    region("cn-chengdu", "China (Chengdu)", "西南1（成都）"),
    region("cn-hongkong", "China (Hong Kong)", "中国香港"),
    region("ap-northeast-1", "Japan (Tokyo)", "日本（东京）"),
    region("ap-southeast-1", "Singapore", "新加坡"),
    region(
        "ap-southeast-5",
        "Indonesia (Jakarta)",
        "印度尼西亚（雅加达）",
    ),
    region("us-east-1", "US (Virginia)", "美国（弗吉尼亚）"),
    region("us-west-1", "US (Silicon Valley)", "美国（硅谷）"),
    region("eu-central-1", "Germany (Frankfurt)", "德国（法兰克福）"),
    region("na-south-1", "Mexico", "墨西哥"),
];

const fn region(id: &'static str, en: &'static str, zh: &'static str) -> Region {
    Region {
        id,
        name: Text::new(en, zh),
    }
}

const fn choice(value: &'static str, en: &'static str, zh: &'static str) -> Choice {
    Choice {
        value,
        label: Text::new(en, zh),
    }
}

const REGION_CHOICES: [Choice; 15] = {
    let mut out = [choice("", "", ""); 15];
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
const RELEASE_TYPES: [Choice; 2] = [
    choice("", "Not specified", "不指定"),
    choice("pro", "Pro", "专业版"),
];

/// Every request parameter, in the order the form shows them. `FIELDS[k as usize].key == k`.
pub const FIELDS: [Field; 20] = [
    Field {
        key: FieldKey::RegionId,
        path: "regionId",
        id: "regionId",
        section: Section::Basics,
        control: Control::Select(&REGION_CHOICES),
        wire: Wire::Query,
        applies: Applies::Always,
        required: true,
        default: "cn-hangzhou",
        label: Text::new("Region", "地域"),
        help: Text::new(
            "Where the workspace is created. It cannot be changed later.",
            "工作空间所在的地域，创建后不可更改。",
        ),
        placeholder: "",
    },
    Field {
        key: FieldKey::WorkspaceName,
        path: "workspaceName",
        id: "workspaceName",
        section: Section::Basics,
        control: Control::Text,
        wire: Wire::Str,
        applies: Applies::Always,
        required: true,
        default: "",
        label: Text::new("Workspace name", "工作空间名称"),
        help: Text::new(
            "1–64 characters: letters, digits, Chinese characters, underscores (_) and hyphens (-).",
            "1～64 个字符，可包含字母、数字、中文、下划线（_）和短划线（-）。",
        ),
        placeholder: "spark-etl",
    },
    Field {
        key: FieldKey::Cu,
        path: "resourceSpec.cu",
        id: "resourceSpec-cu",
        section: Section::Resources,
        control: Control::Integer,
        wire: Wire::Str,
        applies: Applies::Always,
        required: true,
        default: "",
        label: Text::new("Resource quota (CU)", "资源配额（CU）"),
        help: Text::new(
            "The most compute units the workspace may use, a positive whole number. Default account quota: 5,000 CU pay-as-you-go, 1,000 CU subscription.",
            "工作空间可使用的最大计算单元数，正整数。账号默认配额：按量付费 5,000 CU，包年包月 1,000 CU。",
        ),
        placeholder: "",
    },
    Field {
        key: FieldKey::Gpu,
        path: "resourceSpec.gpu",
        id: "resourceSpec-gpu",
        section: Section::Resources,
        control: Control::Integer,
        wire: Wire::Int,
        applies: Applies::Always,
        required: false,
        default: "",
        label: Text::new("GPU quota", "GPU 配额"),
        help: Text::new(
            "Optional. The GPU resource quota, a whole number of 0 or more.",
            "可选。GPU 资源配额，大于或等于 0 的整数。",
        ),
        placeholder: "",
    },
    Field {
        key: FieldKey::GpuSpec,
        path: "gpuSpec",
        id: "gpuSpec",
        section: Section::Resources,
        control: Control::TextList,
        wire: Wire::StrArray,
        applies: Applies::Always,
        required: false,
        default: "",
        label: Text::new("GPU instance types", "GPU 实例规格"),
        help: Text::new(
            "Optional. ECS instance types such as ecs.gn7i-c8g1.2xlarge, each once. Needs a GPU quota of at least 1.",
            "可选。ECS 实例规格，例如 ecs.gn7i-c8g1.2xlarge，不可重复。需要 GPU 配额至少为 1。",
        ),
        placeholder: "ecs.gn7i-c8g1.2xlarge",
    },
    Field {
        key: FieldKey::OssBucket,
        path: "ossBucket",
        id: "ossBucket",
        section: Section::Storage,
        control: Control::Text,
        wire: Wire::Str,
        applies: Applies::Always,
        required: true,
        default: "",
        label: Text::new("OSS path", "OSS 路径"),
        help: Text::new(
            "oss://<bucket>/ with an optional path after the slash. Bucket names: 3–63 lowercase letters, digits or hyphens, starting and ending with a letter or digit.",
            "格式为 oss://<Bucket 名称>/，斜杠后可接路径。Bucket 名称为 3～63 个小写字母、数字或短划线，以字母或数字开头和结尾。",
        ),
        placeholder: "oss://my-bucket/",
    },
    Field {
        key: FieldKey::DlfType,
        path: "dlfType",
        id: "dlfType",
        section: Section::Storage,
        control: Control::Select(&DLF_TYPES),
        wire: Wire::Str,
        applies: Applies::Always,
        required: false,
        default: "dlf1.0",
        label: Text::new("DLF version", "DLF 版本"),
        help: Text::new(
            "The Data Lake Formation version the workspace binds to.",
            "工作空间绑定的数据湖构建（DLF）版本。",
        ),
        placeholder: "",
    },
    Field {
        key: FieldKey::DlfCatalogId,
        path: "dlfCatalogId",
        id: "dlfCatalogId",
        section: Section::Storage,
        control: Control::Text,
        wire: Wire::Str,
        applies: Applies::Always,
        required: false,
        default: "",
        label: Text::new("DLF catalog ID", "DLF 数据目录 ID"),
        help: Text::new(
            "Optional. Up to 128 characters, no spaces.",
            "可选。最多 128 个字符，不能包含空格。",
        ),
        placeholder: "1234567890",
    },
    Field {
        key: FieldKey::PaymentType,
        path: "paymentType",
        id: "paymentType",
        section: Section::Billing,
        control: Control::Select(&PAYMENT_TYPES),
        wire: Wire::Str,
        applies: Applies::Always,
        required: true,
        default: "PayAsYouGo",
        label: Text::new("Billing method", "付费类型"),
        help: Text::new(
            "Pay-as-you-go bills by use. Subscription pays for whole months in advance.",
            "按量付费按实际用量计费；包年包月按月预付。",
        ),
        placeholder: "",
    },
    Field {
        key: FieldKey::Duration,
        path: "duration",
        id: "duration",
        section: Section::Billing,
        control: Control::Integer,
        wire: Wire::Str,
        applies: Applies::Subscription,
        required: true,
        default: "1",
        label: Text::new("Subscription duration", "购买时长"),
        help: Text::new("1 to 9 months.", "1～9 个月。"),
        placeholder: "",
    },
    Field {
        key: FieldKey::PaymentDurationUnit,
        path: "paymentDurationUnit",
        id: "paymentDurationUnit",
        section: Section::Billing,
        control: Control::Select(&MONTH_ONLY),
        wire: Wire::Str,
        applies: Applies::Subscription,
        required: true,
        default: "MONTH",
        label: Text::new("Duration unit", "时长单位"),
        help: Text::new(
            "Subscriptions are bought by the month.",
            "包年包月按月购买。",
        ),
        placeholder: "",
    },
    Field {
        key: FieldKey::AutoRenew,
        path: "autoRenew",
        id: "autoRenew",
        section: Section::Billing,
        control: Control::Checkbox,
        wire: Wire::BoolString,
        applies: Applies::Subscription,
        required: true,
        default: "false",
        label: Text::new("Renew automatically", "自动续费"),
        help: Text::new(
            "Renews the subscription when it expires, for the period below.",
            "到期后按下方的时长自动续费。",
        ),
        placeholder: "",
    },
    Field {
        key: FieldKey::AutoRenewPeriod,
        path: "autoRenewPeriod",
        id: "autoRenewPeriod",
        section: Section::Billing,
        control: Control::Integer,
        wire: Wire::Str,
        applies: Applies::AutoRenew,
        required: true,
        default: "1",
        label: Text::new("Renewal period", "自动续费时长"),
        help: Text::new("1 to 12 months.", "1～12 个月。"),
        placeholder: "",
    },
    Field {
        key: FieldKey::AutoRenewPeriodUnit,
        path: "autoRenewPeriodUnit",
        id: "autoRenewPeriodUnit",
        section: Section::Billing,
        control: Control::Select(&MONTH_ONLY),
        wire: Wire::Str,
        applies: Applies::AutoRenew,
        required: true,
        default: "MONTH",
        label: Text::new("Renewal unit", "续费周期单位"),
        help: Text::new("Renewals are by the month.", "按月续费。"),
        placeholder: "",
    },
    Field {
        key: FieldKey::RamRoleName,
        path: "ramRoleName",
        id: "ramRoleName",
        section: Section::Access,
        control: Control::Text,
        wire: Wire::Str,
        applies: Applies::Always,
        required: true,
        default: DEFAULT_RAM_ROLE,
        label: Text::new("Job execution role", "任务执行角色"),
        help: Text::new(
            "The RAM role Spark jobs run as. 1–64 letters, digits, periods, hyphens or underscores.",
            "运行 Spark 作业所用的 RAM 角色。1～64 个字母、数字、英文句点、短划线或下划线。",
        ),
        placeholder: DEFAULT_RAM_ROLE,
    },
    Field {
        key: FieldKey::ResourceGroupId,
        path: "resourceGroupId",
        id: "resourceGroupId",
        section: Section::Access,
        control: Control::Text,
        wire: Wire::Str,
        applies: Applies::Always,
        required: false,
        default: "",
        label: Text::new("Resource group ID", "资源组 ID"),
        help: Text::new(
            "Optional. rg- followed by lowercase letters and digits. Empty means the default group.",
            "可选。以 rg- 开头，后接小写字母和数字。留空表示默认资源组。",
        ),
        placeholder: "rg-acfmwpi66knkxny",
    },
    Field {
        key: FieldKey::Tag,
        path: "tag",
        id: "tag",
        section: Section::Tags,
        control: Control::TagList,
        wire: Wire::TagArray,
        applies: Applies::Always,
        required: false,
        default: "",
        label: Text::new("Tags", "标签"),
        help: Text::new(
            "Up to 20. Keys: 1–128 characters, each once, not starting with aliyun or acs:. Values: up to 128 characters, not starting with acs:. Neither may contain http:// or https://.",
            "最多 20 个。标签键：1～128 个字符，不可重复，不能以 aliyun 或 acs: 开头。标签值：最多 128 个字符，不能以 acs: 开头。均不能包含 http:// 或 https://。",
        ),
        placeholder: "",
    },
    Field {
        key: FieldKey::ReleaseType,
        path: "releaseType",
        id: "releaseType",
        section: Section::Advanced,
        control: Control::Select(&RELEASE_TYPES),
        wire: Wire::Str,
        applies: Applies::Always,
        required: false,
        default: "",
        label: Text::new("Release type", "版本类型"),
        help: Text::new(
            "Optional. The product edition of the workspace.",
            "可选。工作空间的产品版本。",
        ),
        placeholder: "",
    },
    Field {
        key: FieldKey::AutoStartSessionCluster,
        path: "autoStartSessionCluster",
        id: "autoStartSessionCluster",
        section: Section::Advanced,
        control: Control::Checkbox,
        wire: Wire::Bool,
        applies: Applies::Always,
        required: false,
        default: "false",
        label: Text::new("Start a session cluster automatically", "自动启动会话集群"),
        help: Text::new(
            "Starts a session cluster as soon as the workspace is created.",
            "创建工作空间后立即启动一个会话集群。",
        ),
        placeholder: "",
    },
    Field {
        key: FieldKey::ClientToken,
        path: "clientToken",
        id: "clientToken",
        section: Section::Advanced,
        control: Control::Text,
        wire: Wire::Str,
        applies: Applies::Always,
        required: false,
        default: "",
        label: Text::new("Client token", "客户端令牌"),
        help: Text::new(
            "Makes retries safe: requests with the same token create at most one workspace. Generated for you; up to 64 printable ASCII characters.",
            "保证重试安全：相同令牌的请求最多只创建一个工作空间。已自动生成；最多 64 个可打印 ASCII 字符。",
        ),
        placeholder: "",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_indexed_by_their_key() {
        for (i, f) in FIELDS.iter().enumerate() {
            assert_eq!(f.key as usize, i, "{} is out of place", f.path);
            assert_eq!(f.key.field().path, f.path);
        }
    }

    #[test]
    fn paths_and_ids_are_unique_and_ids_are_html_safe() {
        for (i, a) in FIELDS.iter().enumerate() {
            assert_eq!(a.id, a.path.replace('.', "-"));
            assert!(a.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
            for b in &FIELDS[i + 1..] {
                assert_ne!(a.path, b.path);
            }
        }
    }

    #[test]
    fn every_field_has_words_in_both_languages() {
        for f in &FIELDS {
            for text in [f.label, f.help] {
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
    fn from_path_finds_the_parameter_of_nested_and_indexed_paths() {
        assert_eq!(FieldKey::from_path("resourceSpec.cu"), Some(FieldKey::Cu));
        assert_eq!(FieldKey::from_path("tag[3].key"), Some(FieldKey::Tag));
        assert_eq!(FieldKey::from_path("gpuSpec[0]"), Some(FieldKey::GpuSpec));
        assert_eq!(FieldKey::from_path("regionId"), Some(FieldKey::RegionId));
        assert_eq!(FieldKey::from_path("resourceSpec"), None);
        assert_eq!(FieldKey::from_path("nope"), None);
    }

    #[test]
    fn regions_match_the_metadata_endpoints() {
        assert_eq!(REGIONS.len(), 15);
        assert_eq!(
            Region::find("cn-hangzhou").unwrap().endpoint(),
            "emr-serverless-spark.cn-hangzhou.aliyuncs.com"
        );
        assert!(Region::find("cn-hangzhou.evil.com").is_none());
    }
}
