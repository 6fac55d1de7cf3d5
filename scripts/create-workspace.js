// <create-workspace-form>: the EMR Serverless Spark "Create workspace" form as a custom element.
// Built into dist/create-workspace.js by scripts/post-build.sh, which fills in the hashed file names.
//
//   <script type="module" src="/create-workspace.js"></script>
//   <create-workspace-form region="cn-shanghai" locale="en" theme="auto"></create-workspace-form>
//
// Attributes: api-base, region, locale, id-prefix, persist ("false" keeps no draft), theme (light|dark|auto).
// locale, region, theme and api-base may change after mount. Fires a bubbling, composed "workspace-created"
// event with {workspaceId, operationId, requestId, regionId}.
import init, { mountCreateWorkspace } from "./__GLUE__";

const CSS = new URL("./__CSS__", import.meta.url).href;
if (!document.querySelector(`link[rel="stylesheet"][href="${CSS}"]`)) {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = CSS;
  document.head.append(link);
}

// The glue's own default names the wasm file before trunk hashed it: say which file it is.
const ready = init({ module_or_path: new URL("./__WASM__", import.meta.url) });
const LIVE = { "api-base": "setApiBase", region: "setRegion", locale: "setLocale", theme: "setTheme" };
let count = 0;

class CreateWorkspaceFormElement extends HTMLElement {
  static observedAttributes = Object.keys(LIVE);
  #idPrefix;
  #mounted;

  connectedCallback() {
    // Each element its own ids and draft, unless the page names them.
    this.#idPrefix ??= this.getAttribute("id-prefix") || `cwf${++count}`;
    ready.then(() => {
      if (!this.isConnected || this.#mounted) return;
      const attr = (name) => this.getAttribute(name) || undefined;
      this.#mounted = mountCreateWorkspace(this, {
        apiBase: attr("api-base"),
        region: attr("region"),
        locale: attr("locale"),
        theme: attr("theme"),
        idPrefix: this.#idPrefix,
        persist: this.getAttribute("persist") !== "false",
      });
    });
  }

  disconnectedCallback() {
    // Moving the element fires disconnect then connect: keep the form unless it really left the page.
    queueMicrotask(() => {
      if (!this.isConnected && this.#mounted) {
        this.#mounted.unmount();
        this.#mounted = undefined;
      }
    });
  }

  attributeChangedCallback(name, _old, value) {
    this.#mounted?.[LIVE[name]](value ?? "");
  }
}

if (!customElements.get("create-workspace-form")) {
  customElements.define("create-workspace-form", CreateWorkspaceFormElement);
}
