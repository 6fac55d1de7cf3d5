// The console's refusing rules (api and console tiers of crates/model/RULES.md), with its English messages.
// Hints (warnings) are left out: the peers show errors only.

import { FIELD, applies } from "./catalogue.js";

export const REQUIRED = "This field is required.";

const tooLong = (v, max) => {
  const n = [...v].length;
  return n > max ? `Use at most ${max} characters (now ${n}).` : null;
};

const describe = (c) =>
  c === " " ? "A space" : /[\s\p{Cc}]/u.test(c) ? `The character U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}` : `“${c}”`;

const badChar = (v, ok, rest) => {
  for (const c of v) if (!ok.test(c)) return `${describe(c)} is not allowed. ${rest}`;
  return null;
};

const positive = (v) => /^[1-9][0-9]*$/.test(v);

const isBucket = (b) => /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(b);

const url = (v) => (/https?:\/\//i.test(v) ? "Tags may not contain http:// or https://." : null);

// Checks of a non-empty value, by path.
const CHECKS = {
  workspaceName: (v) =>
    tooLong(v, 64) ||
    badChar(v, /[A-Za-z0-9_\-\u4e00-\u9fa5]/, "Use letters, digits, Chinese characters, _ and -."),
  "resourceSpec.cu": (v) =>
    positive(v) ? null : "Enter a whole number of 1 or more, such as 8 (no signs, decimals or leading zeros).",
  "resourceSpec.gpu": (v) =>
    !(v === "0" || positive(v))
      ? "Enter a whole number of 0 or more (no signs, decimals or leading zeros)."
      : BigInt(v) > 9223372036854775807n
        ? "Enter at most 9223372036854775807."
        : null,
  ossBucket: (v) => {
    if (!v.startsWith("oss://")) return "Start with oss://, as in oss://my-bucket/.";
    const bucket = v.slice(6).split("/")[0];
    return isBucket(bucket)
      ? null
      : `“${bucket}” is not a bucket name: use 3–63 lowercase letters, digits or hyphens, starting and ending with a letter or digit.`;
  },
  duration: (v) => (positive(v) && Number(v) <= 9 ? null : "Enter a whole number from 1 to 9."),
  paymentDurationUnit: (v) =>
    v.toUpperCase() === "MONTH" ? null : `“${v}” is not allowed: subscriptions are by the month (MONTH).`,
  autoRenewPeriod: (v) =>
    positive(v) ? null : "Enter a whole number of 1 or more, such as 8 (no signs, decimals or leading zeros).",
  autoRenewPeriodUnit: (v) =>
    v.toUpperCase() === "MONTH" ? null : `“${v}” is not allowed: subscriptions are by the month (MONTH).`,
  ramRoleName: (v) =>
    tooLong(v, 64) || badChar(v, /[A-Za-z0-9._-]/, "Use letters, digits, periods (.), hyphens (-) and underscores (_)."),
  clientToken: (v) => {
    for (const c of v) if (c.codePointAt(0) > 127) return `${describe(c)} is not allowed: use ASCII characters only.`;
    return tooLong(v, 64);
  },
};

const tagKey = (v) =>
  tooLong(v, 128) ||
  (/^(aliyun|acs:)/i.test(v) ? "Keys starting with aliyun or acs: are reserved for Alibaba Cloud." : null) ||
  url(v);

const tagValue = (v) =>
  tooLong(v, 128) || (/^acs:/i.test(v) ? "Values starting with acs: are reserved for Alibaba Cloud." : null) || url(v);

/** The value at a dotted path (`resourceSpec.cu`, `tag.2.key`, `gpuSpec.0`). */
export function get(values, path) {
  let v = values;
  for (const k of path.split(".")) v = v == null ? undefined : v[k];
  return v;
}

const text = (v) => (v == null ? "" : String(v));

/** The error at one position, or null: a scalar field, or a tag cell (`tag.2.key`). */
export function check(path, values) {
  const [head, row, part] = path.split(".");
  if (head === "tag" && part) {
    const rows = values.tag || [];
    const v = text(rows[row] && rows[row][part]);
    if (part === "value") return v ? tagValue(v) : null;
    if (!v) return REQUIRED;
    const problem = tagKey(v);
    if (problem) return problem;
    for (let i = 0; i < Number(row); i++) if (text(rows[i] && rows[i].key) === v) return `“${v}” is already listed above.`;
    return null;
  }
  const field = FIELD[path];
  if (!field || !applies(field, values.paymentType, values.autoRenew)) return null;
  const v = text(get(values, path));
  if (!v) return field.required ? REQUIRED : null;
  return CHECKS[path] ? CHECKS[path](v) : null;
}

/** Every error of the form, as [path, message], in form order. */
export function checkAll(values) {
  const out = [];
  for (const field of Object.values(FIELD)) {
    if (field.path === "tag") {
      (values.tag || []).forEach((_, i) => {
        for (const part of ["key", "value"]) {
          const m = check(`tag.${i}.${part}`, values);
          if (m) out.push([`tag.${i}.${part}`, m]);
        }
      });
    } else if (field.control !== "list") {
      const m = check(field.path, values);
      if (m) out.push([field.path, m]);
    }
  }
  return out;
}

/** `oss://bucket` → `oss://bucket/` when the field is left, as the console tidies it. */
export function tidyOss(v) {
  const rest = v.startsWith("oss://") ? v.slice(6) : null;
  return rest && !rest.includes("/") && isBucket(rest) ? v + "/" : null;
}
