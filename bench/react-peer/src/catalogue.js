// The console's fields, in English, as crates/model/src/catalogue.rs has them: sections, labels, help, choices,
// when each field applies, list rows. Both React peers render from this, as the console renders from its catalogue.

export const SECTIONS = [
  ["basics", "Region and name"],
  ["resources", "Resources"],
  ["storage", "Storage and catalog"],
  ["billing", "Billing"],
  ["access", "Access"],
  ["tags", "Tags"],
  ["advanced", "Advanced"],
];

export const DEFAULT_RAM_ROLE = "AliyunEMRSparkJobRunDefaultRole";
export const MAX_TAGS = 20;

const REGION_NAMES = [
  ["cn-beijing", "China (Beijing)"],
  ["cn-zhangjiakou", "China (Zhangjiakou)"],
  ["cn-wulanchabu", "China (Ulanqab)"],
  ["cn-hangzhou", "China (Hangzhou)"],
  ["cn-shanghai", "China (Shanghai)"],
  ["cn-shenzhen", "China (Shenzhen)"],
  ["cn-chengdu", "China (Chengdu)"],
  ["cn-hongkong", "China (Hong Kong)"],
  ["ap-northeast-1", "Japan (Tokyo)"],
  ["ap-southeast-1", "Singapore"],
  ["ap-southeast-5", "Indonesia (Jakarta)"],
  ["us-east-1", "US (Virginia)"],
  ["us-west-1", "US (Silicon Valley)"],
  ["eu-central-1", "Germany (Frankfurt)"],
  ["na-south-1", "Mexico"],
];
const MONTH = [["MONTH", "Month"]];

// control: text | integer | select | checkbox | list. applies: always | pre (subscription) | renew (and auto-renew).
const f = (path, section, control, label, help, more = {}) => ({
  path,
  id: "ws-" + path.replace(".", "-"),
  section,
  control,
  label,
  help,
  applies: "always",
  required: false,
  initial: control === "checkbox" ? false : "",
  placeholder: "",
  ...more,
});

export const FIELDS = [
  f("regionId", "basics", "select", "Region", "Where the workspace is created. It cannot be changed later.", {
    choices: REGION_NAMES.map(([id, name]) => [id, `${name} · ${id}`]),
    required: true,
    initial: "cn-hangzhou",
  }),
  f("workspaceName", "basics", "text", "Workspace name",
    "1–64 characters: letters, digits, Chinese characters, underscores (_) and hyphens (-).",
    { required: true, placeholder: "spark-etl" }),
  f("resourceSpec.cu", "resources", "integer", "Resource quota (CU)",
    "The most compute units the workspace may use, a positive whole number. Default account quota: 5,000 CU pay-as-you-go, 1,000 CU subscription.",
    { required: true }),
  f("resourceSpec.gpu", "resources", "integer", "GPU quota",
    "Optional. The GPU resource quota, a whole number of 0 or more."),
  f("gpuSpec", "resources", "list", "GPU instance types",
    "Optional. ECS instance types such as ecs.gn7i-c8g1.2xlarge, each once. Needs a GPU quota of at least 1.", {
      list: {
        parts: [["", "Instance type", "ecs.gn7i-c8g1.2xlarge"]],
        add: "Add instance type",
        remove: "Remove instance type",
        empty: "No GPU instance types.",
      },
      initial: [],
    }),
  f("ossBucket", "storage", "text", "OSS path",
    "oss://<bucket>/ with an optional path after the slash (the slash is added for you). Bucket names: 3–63 lowercase letters, digits or hyphens, starting and ending with a letter or digit.",
    { required: true, placeholder: "oss://my-bucket/" }),
  f("dlfType", "storage", "select", "DLF version", "The Data Lake Formation version the workspace binds to.", {
    choices: [["dlf1.0", "DLF 1.0"], ["dlf2.0", "DLF 2.0"]],
    initial: "dlf1.0",
  }),
  f("dlfCatalogId", "storage", "text", "DLF catalog ID", "Optional. The ID of the DLF catalog to use, without spaces.",
    { placeholder: "1234567890" }),
  f("paymentType", "billing", "select", "Billing method",
    "Pay-as-you-go bills by use. Subscription pays for whole months in advance.", {
      choices: [["PayAsYouGo", "Pay-as-you-go"], ["Pre", "Subscription"]],
      initial: "PayAsYouGo",
    }),
  f("duration", "billing", "integer", "Subscription duration", "1 to 9 months.",
    { applies: "pre", required: true, initial: "1" }),
  f("paymentDurationUnit", "billing", "select", "Duration unit", "Subscriptions are bought by the month.",
    { applies: "pre", required: true, choices: MONTH, initial: "MONTH" }),
  f("autoRenew", "billing", "checkbox", "Renew automatically",
    "Renews the subscription when it expires, for the period below.", { applies: "pre" }),
  f("autoRenewPeriod", "billing", "integer", "Renewal period", "A whole number of months, 1 or more.",
    { applies: "renew", required: true, initial: "1" }),
  f("autoRenewPeriodUnit", "billing", "select", "Renewal unit", "Renewals are by the month.",
    { applies: "renew", required: true, choices: MONTH, initial: "MONTH" }),
  f("ramRoleName", "access", "text", "Job execution role",
    "The RAM role Spark jobs run as. 1–64 letters, digits, periods, hyphens or underscores.",
    { initial: DEFAULT_RAM_ROLE, placeholder: DEFAULT_RAM_ROLE }),
  f("resourceGroupId", "access", "text", "Resource group ID",
    "Optional. rg- followed by lowercase letters and digits. Empty means the default group.",
    { placeholder: "rg-acfmwpi66knkxny" }),
  f("tag", "tags", "list", "Tags",
    "Up to 20. Keys: 1–128 characters, each once, not starting with aliyun or acs:. Values: up to 128 characters, not starting with acs:. Neither may contain http:// or https://.", {
      list: {
        parts: [["key", "Key", ""], ["value", "Value (optional)", ""]],
        max: MAX_TAGS,
        add: "Add tag",
        remove: "Remove tag",
        empty: "No tags.",
      },
      initial: [],
    }),
  f("releaseType", "advanced", "select", "Release type", "Optional. The product edition of the workspace.", {
    choices: [["", "Not specified"], ["pro", "Pro"]],
  }),
  f("autoStartSessionCluster", "advanced", "checkbox", "Start a session cluster automatically",
    "Starts a session cluster as soon as the workspace is created."),
  f("clientToken", "advanced", "text", "Client token",
    "Makes retries safe: requests with the same token create at most one workspace. Generated for you; up to 64 ASCII characters."),
];

export const FIELD = Object.fromEntries(FIELDS.map((x) => [x.path, x]));

/** Whether a field is part of the request, given the billing method and auto-renew. */
export function applies(field, paymentType, autoRenew) {
  if (field.applies === "always") return true;
  if (paymentType !== "Pre") return false;
  return field.applies === "pre" || autoRenew === true || autoRenew === "true";
}

/** 32 random hex digits. */
export function newClientToken() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
