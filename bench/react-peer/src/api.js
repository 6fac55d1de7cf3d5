// CreateWorkspace from the form's values: what applies and is not empty, typed as the console sends it.

import { FIELDS, applies } from "./catalogue.js";
import { get } from "./rules.js";

const AS_NUMBER = new Set(["resourceSpec.gpu"]);
const AS_BOOL_STRING = new Set(["autoRenew"]);
const AS_BOOL = new Set(["autoStartSessionCluster"]);

export function body(values) {
  const out = {};
  for (const field of FIELDS) {
    if (field.path === "regionId" || !applies(field, values.paymentType, values.autoRenew)) continue;
    const raw = get(values, field.path);
    let v;
    if (field.path === "tag") {
      const rows = (raw || [])
        .map((r) => Object.fromEntries(["key", "value"].filter((k) => r[k]).map((k) => [k, r[k]])))
        .filter((r) => Object.keys(r).length);
      v = rows.length ? rows : undefined;
    } else if (field.path === "gpuSpec") {
      const rows = (raw || []).map((r) => (typeof r === "object" && r ? r.value : r)).filter(Boolean);
      v = rows.length ? rows : undefined;
    } else if (AS_BOOL.has(field.path)) {
      v = raw === true || raw === "true" ? true : undefined;
    } else if (AS_BOOL_STRING.has(field.path)) {
      v = raw === true || raw === "true" ? "true" : "false";
    } else if (raw !== undefined && raw !== null && raw !== "") {
      v = AS_NUMBER.has(field.path) && /^\d+$/.test(raw) ? Number(raw) : String(raw);
    }
    if (v === undefined) continue;
    const [a, b] = field.path.split(".");
    if (b) (out[a] ||= {})[b] = v;
    else out[a] = v;
  }
  return out;
}

/** Resolves to { ok: true, result } with the returned ids, or { ok: false, error } with Code, Message, RequestId. */
export async function createWorkspace(values) {
  try {
    const response = await fetch(`/api/v1/workspaces?regionId=${encodeURIComponent(values.regionId)}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body(values)),
    });
    const data = await response.json().catch(() => ({}));
    if (response.ok && data.workspaceId) return { ok: true, result: data };
    return {
      ok: false,
      error: {
        code: data.Code || `HTTP ${response.status}`,
        message: data.Message || "The service gave an unexpected answer.",
        requestId: data.RequestId || "—",
      },
    };
  } catch (e) {
    return { ok: false, error: { code: "NetworkError", message: String(e.message || e), requestId: "—" } };
  }
}
