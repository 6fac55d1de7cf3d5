//! Words of the form's chrome. Field labels, help and rule messages come from the model's catalogue.

use workspace_model::Text;

pub const TITLE: Text = Text::new("Create workspace", "创建工作空间");
pub const SUBTITLE: Text = Text::new(
    "EMR Serverless Spark · a workspace holds your Spark jobs, sessions and their resource quota.",
    "EMR Serverless Spark · 工作空间承载 Spark 作业、会话及其资源配额。",
);
pub const LANGUAGE: Text = Text::new("Language", "语言");
pub const REQUIRED: Text = Text::new("required", "必填");
pub const SUBMIT: Text = Text::new("Create workspace", "创建工作空间");
pub const SUBMITTING: Text = Text::new("Creating…", "正在创建…");
pub const SUMMARY_TITLE: Text = Text::new(
    "Fix these fields before creating the workspace:",
    "创建工作空间前，请修正以下字段：",
);
pub const API_ERROR_TITLE: Text = Text::new("The workspace was not created.", "工作空间未创建。");
pub const API_ERROR_KEPT: Text = Text::new(
    "Everything you entered is kept. Fix the problem and submit again.",
    "您填写的内容均已保留。请解决问题后重新提交。",
);
pub const MISMATCH_HELP: Text = Text::new(
    "An earlier attempt with this client token was accepted with different settings, so that workspace may already exist. Check your workspace list, or generate a new client token (Advanced) to create another one.",
    "此前使用该客户端令牌、但参数不同的请求已被接受，对应的工作空间可能已存在。请检查工作空间列表，或在“高级设置”中生成新的客户端令牌以创建另一个工作空间。",
);
pub const NETWORK_TITLE: Text = Text::new("Could not reach the server.", "无法连接到服务器。");
pub const NETWORK_HELP: Text = Text::new(
    "Check your connection and try again. Everything you entered is kept, and retrying is safe: the same client token creates at most one workspace.",
    "请检查网络连接后重试。您填写的内容均已保留，重试是安全的：同一个客户端令牌最多只会创建一个工作空间。",
);
pub const TIMEOUT_TITLE: Text =
    Text::new("The server did not answer in time.", "服务器未及时响应。");
pub const TIMEOUT_HELP: Text = Text::new(
    "The workspace may or may not have been created. Retry: the same client token makes sure at most one workspace exists. Everything you entered is kept.",
    "工作空间可能已创建，也可能没有。请重试：同一个客户端令牌可确保最多只存在一个工作空间。您填写的内容均已保留。",
);
pub const UNEXPECTED_TITLE: Text = Text::new(
    "The server sent an answer the console does not understand.",
    "服务器返回了无法识别的响应。",
);
pub const RETRY: Text = Text::new("Retry", "重试");
/// For an answer that says "not now" rather than "not this" (throttling, a 5xx): nothing to fix.
pub const RETRY_SAFE: Text = Text::new(
    "The service is busy or had a temporary problem; there is nothing to fix. Everything you entered is kept. Retry: the same client token creates at most one workspace.",
    "服务繁忙或出现临时故障，无需修改。您填写的内容均已保留。请重试：同一个客户端令牌最多只会创建一个工作空间。",
);
pub const TOKEN_HELP: Text = Text::new(
    "This server needs an access token. Enter the token it was started with; it is kept for this browser tab only, never in the saved draft.",
    "此服务器需要访问令牌。请输入启动服务器时设置的令牌；令牌仅保存在当前浏览器标签页中，不会写入保存的草稿。",
);
pub const TOKEN_LABEL: Text = Text::new("Access token", "访问令牌");
pub const TOKEN_SUBMIT: Text = Text::new("Use the token and retry", "使用令牌并重试");
pub const CODE: Text = Text::new("Code", "错误码");
pub const REQUEST_ID: Text = Text::new("Request ID", "请求 ID");
pub const HTTP_STATUS: Text = Text::new("HTTP status", "HTTP 状态码");
pub const RESULT_TITLE: Text = Text::new("Workspace creation started", "已开始创建工作空间");
pub const RESULT_HELP: Text = Text::new(
    "The workspace starts in the background; this usually takes a minute or two.",
    "工作空间正在后台启动，通常需要一两分钟。",
);
pub const WORKSPACE_ID: Text = Text::new("Workspace ID", "工作空间 ID");
pub const OPERATION_ID: Text = Text::new("Operation ID", "操作 ID");
pub const STATUS: Text = Text::new("Status", "状态");
pub const STATUS_CHECKING: Text = Text::new("Checking…", "查询中…");
pub const STATUS_STARTING: Text = Text::new("Starting", "启动中");
pub const STATUS_RUNNING: Text = Text::new("Running", "运行中");
pub const STATUS_TERMINATING: Text = Text::new("Terminating", "释放中");
pub const STATUS_TERMINATED: Text = Text::new("Terminated", "已释放");
pub const STATUS_FAILED: Text = Text::new("Failed", "失败");
pub const STATUS_FAILED_BECAUSE: Text = Text::new("Failed to start: {}", "启动失败：{}");
pub const STATUS_UNKNOWN: Text = Text::new(
    "Unknown (the status could not be read)",
    "未知（无法读取状态）",
);
pub const REQUEST: Text = Text::new("Request", "请求");
pub const REQUEST_LINE: Text = Text::new("Method and URL", "方法和 URL");
pub const REQUEST_AS: Text = Text::new("The request as", "请求格式");
pub const TAB_JSON: Text = Text::new("JSON", "JSON");
pub const TAB_CURL: Text = Text::new("curl", "curl");
pub const TAB_PYTHON: Text = Text::new("Python", "Python");
pub const TAB_NODE: Text = Text::new("Node.js", "Node.js");
pub const TAB_ROS_YAML: Text = Text::new("ROS (YAML)", "ROS 模板（YAML）");
pub const TAB_ROS_JSON: Text = Text::new("ROS (JSON)", "ROS 模板（JSON）");
pub const WORKSPACES: Text = Text::new("Workspaces in {}", "{} 的工作空间");
pub const WORKSPACES_EMPTY: Text = Text::new("No workspaces yet.", "暂无工作空间。");
pub const WORKSPACES_LOADING: Text = Text::new("Loading…", "加载中…");
pub const WORKSPACES_FAILED: Text =
    Text::new("The list could not be loaded: {}", "无法加载列表：{}");
pub const COLUMN_NAME: Text = Text::new("Name", "名称");
pub const COLUMN_ID: Text = Text::new("ID", "ID");
pub const COLUMN_CREATED: Text = Text::new("Created", "创建时间");
pub const JUST_CREATED: Text = Text::new("just created", "刚创建");
pub const PREVIOUS_PAGE: Text = Text::new("Previous page", "上一页");
pub const NEXT_PAGE: Text = Text::new("Next page", "下一页");
pub const PAGE_OF: Text = Text::new(
    "Page {page} · {total} in all",
    "第 {page} 页 · 共 {total} 个",
);
pub const REFRESH: Text = Text::new("Refresh", "刷新");
pub const NAME_TAKEN: Text = Text::new(
    "A workspace named “{}” already exists in this region. Names need not be unique, but two alike are easy to confuse.",
    "此地域已有名为“{}”的工作空间。名称可以重复，但同名容易混淆。",
);
pub const COPY: Text = Text::new("Copy", "复制");
pub const COPIED: Text = Text::new("Copied", "已复制");
pub const CREATE_ANOTHER: Text = Text::new("Create another workspace", "再创建一个工作空间");
pub const DRAFT_RESTORED: Text = Text::new(
    "What you entered earlier was restored, client token included, so resubmitting cannot create a second workspace.",
    "已恢复您之前填写的内容（包括客户端令牌），重新提交不会创建第二个工作空间。",
);
pub const START_OVER: Text = Text::new("Start over", "重新填写");
pub const NEW_TOKEN: Text = Text::new("New token", "重新生成");
pub const REMOVE: Text = Text::new("Remove", "删除");
pub const WARNING: Text = Text::new("Warning", "注意");
pub const TIDIED: Text = Text::new(
    "Completed to “{}”, the form the API expects.",
    "已补全为“{}”（API 要求的格式）。",
);

pub const BUCKETS: Text = Text::new("OSS buckets", "OSS Bucket");
pub const CATALOGS: Text = Text::new("DLF catalogs", "DLF 数据目录");
pub const ROLES: Text = Text::new("RAM roles", "RAM 角色");
pub const RESOURCE_GROUPS: Text = Text::new("Resource groups", "资源组");

/// What a listing holds, as a chooser's note names it.
pub fn listing_words(listing: crate::api::Listing) -> Text {
    use crate::api::Listing;
    match listing {
        Listing::Buckets => BUCKETS,
        Listing::Catalogs => CATALOGS,
        Listing::Roles => ROLES,
        Listing::ResourceGroups => RESOURCE_GROUPS,
    }
}
pub const LIST_FAILED: Text = Text::new(
    "{what} could not be listed ({why}); type it instead.",
    "无法列出{what}（{why}），请直接输入。",
);
pub const LIST_EMPTY: Text = Text::new(
    "No {what} to choose from here; type it instead.",
    "此处没有可选的{what}，请直接输入。",
);
pub const UNAVAILABLE: Text = Text::new("unavailable: {}", "不可用：{}");
pub const ROLE_MISSING: Text = Text::new(
    "The account has no role “{}”. Authorize the default role AliyunEMRSparkJobRunDefaultRole in the EMR Serverless Spark console, or choose another role.",
    "账号中没有角色“{}”。请在 EMR Serverless Spark 控制台授权默认角色 AliyunEMRSparkJobRunDefaultRole，或选择其他角色。",
);
pub const ROLE_UNTRUSTED: Text = Text::new(
    "The role “{}” does not let EMR Serverless Spark (spark.emr-serverless.aliyuncs.com) assume it, so jobs could not run as it. Add that service to its trust policy in the RAM console, or choose another role.",
    "角色“{}”不允许 EMR Serverless Spark（spark.emr-serverless.aliyuncs.com）扮演，作业无法以该角色运行。请在 RAM 控制台将该服务加入其信任策略，或选择其他角色。",
);

/// Reactive text in the current language. Every call returns the same closure type, so the view code that
/// renders it is generated once rather than once per call site (a large share of the bundle otherwise).
pub fn tr(
    locale: leptos::prelude::RwSignal<workspace_model::Locale>,
    text: Text,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    use leptos::prelude::Get;
    move || text.get(locale.get())
}
/// Under a field whose value the server's policy fixes.
pub const SET_BY_ADMIN: Text = Text::new("Set by your administrator.", "由管理员设定。");
/// Under a field whose value the policy did not allow (a draft's, the page's region); `{}` is that value.
pub const NOT_ALLOWED_TAKEN: Text = Text::new(
    "{} is not allowed by your administrator, so an allowed value is used instead.",
    "管理员不允许使用 {}，已改用允许的值。",
);
pub const POLICY_UNAVAILABLE: Text = Text::new(
    "Your administrator's rules for this form could not be loaded. You can go on: the server still checks them when you create the workspace.",
    "无法加载管理员为此表单设定的规则。您可以继续填写：创建工作空间时服务器仍会按这些规则检查。",
);
