// The JSON Schema and uiSchema of the RJSF peer, from the catalogue. The subscription fields come in through
// `dependencies` (RJSF's way of showing fields by another field's value); the rules ajv cannot say with the
// console's messages run in customValidate (rules.js). build.mjs compiles this schema into standalone validators,
// because the page's Content-Security-Policy (the console's own) forbids ajv's run-time code generation.

import { FIELD, FIELDS, MAX_TAGS } from "./catalogue.js";

const choices = (field) => ({ oneOf: field.choices.map(([value, title]) => ({ const: value, title })) });

function property(field) {
  if (field.control === "checkbox") return { type: "boolean", title: field.label, default: false };
  if (field.control === "select") {
    return { type: "string", title: field.label, ...choices(field), ...(field.initial ? { default: field.initial } : {}) };
  }
  return { type: "string", title: field.label, ...(field.initial ? { default: field.initial } : {}) };
}

const scalars = (pred) =>
  Object.fromEntries(FIELDS.filter((f) => f.control !== "list" && pred(f)).map((f) => [f.path, property(f)]));
const required = (pred) => FIELDS.filter((f) => f.required && pred(f)).map((f) => f.path);

const always = (f) => f.applies === "always" && !f.path.includes(".");
const pre = (f) => f.applies === "pre";
const renew = (f) => f.applies === "renew";

export const schema = {
  type: "object",
  required: required(always),
  properties: {
    ...scalars(always),
    resourceSpec: {
      type: "object",
      title: "",
      required: ["cu"],
      properties: { cu: property(FIELD["resourceSpec.cu"]), gpu: property(FIELD["resourceSpec.gpu"]) },
    },
    gpuSpec: { type: "array", title: FIELD.gpuSpec.label, items: { type: "string" } },
    tag: {
      type: "array",
      title: FIELD.tag.label,
      maxItems: MAX_TAGS,
      items: {
        type: "object",
        required: ["key"],
        properties: { key: { type: "string", title: "Key" }, value: { type: "string", title: "Value (optional)" } },
      },
    },
  },
  dependencies: {
    paymentType: {
      oneOf: [
        { properties: { paymentType: { const: "PayAsYouGo" } } },
        {
          properties: { paymentType: { const: "Pre" }, ...scalars(pre) },
          required: required(pre),
          dependencies: {
            autoRenew: {
              oneOf: [
                { properties: { autoRenew: { const: false } } },
                { properties: { autoRenew: { const: true }, ...scalars(renew) }, required: required(renew) },
              ],
            },
          },
        },
      ],
    },
  },
};

export const uiSchema = {
  "ui:order": FIELDS.filter((f) => !f.path.startsWith("resourceSpec.")).map((f) => f.path)
    .flatMap((p) => (p === "gpuSpec" ? ["resourceSpec", p] : [p])),
  resourceSpec: { "ui:order": ["cu", "gpu"] },
  gpuSpec: { items: { "ui:placeholder": "ecs.gn7i-c8g1.2xlarge" } },
};
for (const f of FIELDS) {
  if (f.placeholder && !f.path.includes(".")) uiSchema[f.path] = { "ui:placeholder": f.placeholder };
}
