// What both peers show around the fields: the header, the error summary and the result panel, in the console's
// markup and classes (the peers use the console's own style/main.css).

import { useEffect, useRef, useState } from "react";
import { FIELD } from "./catalogue.js";

export function Header() {
  return (
    <header className="ws-header">
      <div>
        <h1 className="ws-header__title">Create workspace</h1>
        <p className="ws-header__subtitle">
          EMR Serverless Spark · a workspace holds your Spark jobs, sessions and their resource quota.
        </p>
      </div>
    </header>
  );
}

/** `tag.2.key` → `Tags · Key 3`; `resourceSpec.cu` → its label. */
export function pathLabel(path) {
  const [head, row, part] = path.split(".");
  const field = FIELD[path] || FIELD[head];
  if (row === undefined || !field.list) return field.label;
  const parts = field.list.parts;
  const p = parts.length > 1 ? parts.find(([name]) => name === part) : null;
  return p ? `${field.label} · ${p[1]} ${Number(row) + 1}` : `${field.label} · ${Number(row) + 1}`;
}

/** The element id of a position: `tag.2.key` → `ws-tag-2-key`, `gpuSpec.0.value` → `ws-gpuSpec-0`. */
export const domId = (path) => "ws-" + path.replace(/^(gpuSpec\.\d+)\.value$/, "$1").replace(/\./g, "-");

/**
 * The live region above the form: field errors after a submit attempt (each a link to its field), or why the API
 * call failed. `errors` is a list of [path, message].
 */
export function Summary({ errors, failure, onRetry }) {
  const visible = errors.length > 0 || !!failure;
  return (
    <div id="ws-summary" className={"ws-summary" + (visible ? " ws-summary--shown" : "")} tabIndex={-1}
      aria-live="assertive" aria-atomic="true">
      {errors.length > 0 && (
        <div className="ws-summary__block">
          <h2 className="ws-summary__title">Fix these fields before creating the workspace:</h2>
          <ul className="ws-summary__list">
            {errors.map(([path, message]) => (
              <li key={path}>
                <a href={"#" + domId(path)} onClick={(e) => {
                  e.preventDefault();
                  const el = document.getElementById(domId(path));
                  if (el) el.focus();
                }}>
                  {pathLabel(path)}: {message}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {failure && (
        <div className="ws-summary__block">
          <h2 className="ws-summary__title">
            {failure.code === "NetworkError" ? "Could not reach the server." : "The workspace was not created."}
          </h2>
          <p className="ws-summary__message">{failure.message}</p>
          <dl className="ws-summary__facts">
            <dt>Code</dt><dd><code>{failure.code}</code></dd>
            <dt>Request ID</dt><dd><code>{failure.requestId}</code></dd>
          </dl>
          <p>Everything you entered is kept. Fix the problem and submit again.</p>
          {failure.code === "NetworkError" && (
            <button type="button" className="ws-button ws-button--secondary" onClick={onRetry}>Retry</button>
          )}
        </div>
      )}
    </div>
  );
}

function IdRow({ label, value, name }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return undefined;
    const t = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(t);
  }, [copied]);
  return (
    <div className="ws-result__row">
      <dt>{label}</dt>
      <dd>
        <code className="ws-result__id" data-id={name}>{value}</code>
        <button type="button" className="ws-button ws-button--small" aria-label={`${copied ? "Copied" : "Copy"} ${label}`}
          onClick={() => {
            if (navigator.clipboard) {
              navigator.clipboard.writeText(value).catch(() => {});
              setCopied(true);
            }
          }}>
          {copied ? "Copied" : "Copy"}
        </button>
      </dd>
    </div>
  );
}

/** The returned ids, and a way to start over. */
export function Result({ result, name, regionId, onAgain }) {
  const heading = useRef(null);
  useEffect(() => heading.current && heading.current.focus(), []);
  const region = FIELD.regionId.choices.find(([id]) => id === regionId);
  return (
    <section className="ws-result" aria-labelledby="ws-result-title">
      <h2 id="ws-result-title" className="ws-result__title" tabIndex={-1} ref={heading}>Workspace creation started</h2>
      <p className="ws-result__help">The workspace starts in the background; this usually takes a minute or two.</p>
      <dl className="ws-result__ids">
        <div className="ws-result__row"><dt>Workspace name</dt><dd>{name}</dd></div>
        <div className="ws-result__row"><dt>Region</dt><dd>{region ? region[1] : regionId}</dd></div>
        <IdRow label="Workspace ID" value={result.workspaceId} name="workspaceId" />
        <IdRow label="Operation ID" value={result.operationId} name="operationId" />
        <IdRow label="Request ID" value={result.requestId} name="requestId" />
      </dl>
      <button type="button" className="ws-button ws-button--primary" onClick={onAgain}>Create another workspace</button>
    </section>
  );
}
