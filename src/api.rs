//! Every HTTP call of the console. Nothing else in the crate talks to the network.

use gloo_net::http::{Request, Response};
use wasm_bindgen::JsValue;
use workspace_model::{
    ApiError, CreateWorkspaceResponse, Policy, Valid, WorkspaceStatus,
    catalogue::DEFAULT_RAM_ROLE,
    policy::POLICY_PATH,
    request::{self, CREATE_WORKSPACE_PATH, percent_encode},
};

use crate::js;

/// Why a call did not produce its answer. `Clone` so it can live in signals (gloo's error is not).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallError {
    /// The API answered with an Alibaba error body.
    Api { status: u16, error: ApiError },
    /// The request never got an answer: server down, DNS, CORS, connection reset.
    Network(String),
    /// No answer within the time limit.
    Timeout,
    /// An answer that is neither the expected body nor an Alibaba error (a proxy's HTML page, say).
    Unexpected { status: u16, detail: String },
}

/// Where and how to call the API.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApiConfig {
    /// Prefix of every path, without a trailing slash; empty means the page's origin.
    pub base: String,
    /// Sent as `Authorization: Bearer …` when set (for a gateway started with `--auth-token`).
    pub auth_token: Option<String>,
    pub timeout_ms: u32,
}

/// Where the form's API is, reactively: the host may change the base, and the form learns a token when the
/// server asks for one.
#[derive(Clone, Copy)]
pub struct Endpoint {
    pub base: leptos::prelude::Signal<String>,
    pub token: leptos::prelude::RwSignal<Option<String>>,
    pub timeout_ms: u32,
}

impl Endpoint {
    /// The configuration for a call made now (read without subscribing). Safe after the form is gone (a timer
    /// that fires late): it then describes the page's origin without a token.
    pub fn config(&self) -> ApiConfig {
        use leptos::prelude::GetUntracked;
        ApiConfig {
            base: self.base.try_get_untracked().unwrap_or_default(),
            auth_token: self.token.try_get_untracked().flatten(),
            timeout_ms: self.timeout_ms,
        }
    }

    /// Uses `token` from now on, and keeps it for this browser tab (never in the draft, which outlives it).
    pub fn set_token(&self, token: String) {
        use leptos::prelude::Set;
        if let Some(storage) = session_storage() {
            let _ = storage.set_item(TOKEN_KEY, &token);
        }
        self.token.set(Some(token));
    }
}

/// Where a token the user typed is kept: `sessionStorage`, so it lasts as long as the tab and no longer.
const TOKEN_KEY: &str = "emr-serverless-spark:create-workspace:token";

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The token the user gave earlier in this tab, if any.
pub fn saved_token() -> Option<String> {
    session_storage()?
        .get_item(TOKEN_KEY)
        .ok()
        .flatten()
        .filter(|t| !t.is_empty())
}

/// `{base}/api/v1/workspaces?regionId=…`: where a CreateWorkspace call goes. The call is sent to exactly this URL
/// and the request preview shows it, so what is shown is what is sent.
pub fn create_workspace_url(base: &str, region_id: &str) -> String {
    join(base, &request::create_workspace_url(region_id))
}

fn join(base: &str, path_and_query: &str) -> String {
    format!("{}{path_and_query}", base.trim_end_matches('/'))
}

impl ApiConfig {
    pub fn url(&self, path_and_query: &str) -> String {
        join(&self.base, path_and_query)
    }

    fn authorize(&self, request: gloo_net::http::RequestBuilder) -> gloo_net::http::RequestBuilder {
        match &self.auth_token {
            Some(token) => request.header("Authorization", &format!("Bearer {token}")),
            None => request,
        }
    }
}

/// `POST {base}/api/v1/workspaces?regionId=…` with the validated body.
pub async fn create_workspace(
    config: &ApiConfig,
    valid: &Valid,
) -> Result<CreateWorkspaceResponse, CallError> {
    let url = create_workspace_url(&config.base, &valid.region_id);
    let body = valid.body.to_json();
    let token = config.auth_token.clone();
    let answer = send(config, move |signal| {
        post_json(&url, token.as_deref(), &body, signal)
    })
    .await?;
    let field = |key| js::string(&answer.json, key).filter(|s| !s.is_empty());
    match (field("workspaceId"), field("operationId")) {
        (Some(workspace_id), Some(operation_id)) => Ok(CreateWorkspaceResponse {
            workspace_id,
            operation_id,
            request_id: field("requestId").unwrap_or_default(),
        }),
        _ => Err(unexpected(answer.status, &answer.text)),
    }
}

/// A JSON POST to exactly `url`. Not through gloo-net's builder, which appends a stray `&` to a URL that already
/// has a query; the same browser calls it makes.
fn post_json(
    url: &str,
    token: Option<&str>,
    body: &str,
    signal: &web_sys::AbortSignal,
) -> Result<Request, gloo_net::Error> {
    let failed = |e: JsValue| {
        gloo_net::Error::GlooError(
            js::string(&e, "message").unwrap_or_else(|| "request failed".to_owned()),
        )
    };
    let headers = web_sys::Headers::new().map_err(failed)?;
    headers
        .set("Content-Type", "application/json")
        .map_err(failed)?;
    if let Some(token) = token {
        headers
            .set("Authorization", &format!("Bearer {token}"))
            .map_err(failed)?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(body));
    init.set_signal(Some(signal));
    web_sys::Request::new_with_str_and_init(url, &init)
        .map(Request::from)
        .map_err(failed)
}

/// Where a workspace is, as GetWorkspace reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusReport {
    pub status: WorkspaceStatus,
    /// Why it failed to start, when it did.
    pub fail_reason: Option<String>,
}

/// The status of a workspace (`STARTING`, `RUNNING`, …): `GET {base}/api/v1/workspaces/{id}?regionId=…`.
pub async fn workspace_status(
    config: &ApiConfig,
    region_id: &str,
    workspace_id: &str,
) -> Result<StatusReport, CallError> {
    let url = config.url(&format!(
        "{CREATE_WORKSPACE_PATH}/{}",
        percent_encode(workspace_id)
    ));
    let request = config
        .authorize(Request::get(&url))
        .query([("regionId", region_id)]);
    let answer = get(config, request).await?;
    let workspace = js::get(&answer.json, "workspace");
    let status = js::string(&workspace, "workspaceStatus")
        .ok_or_else(|| unexpected(answer.status, &answer.text))?;
    Ok(StatusReport {
        status: WorkspaceStatus::parse(&status),
        fail_reason: js::string(&workspace, "failReason").filter(|r| !r.is_empty()),
    })
}

/// One workspace of a list, as the panel shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Listed {
    pub id: String,
    pub name: String,
    pub status: WorkspaceStatus,
    pub fail_reason: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub create_time: f64,
}

/// A page of ListWorkspaces.
#[derive(Clone, Debug, PartialEq)]
pub struct ListPage {
    pub workspaces: Vec<Listed>,
    /// The token of the next page, when there is one.
    pub next_token: Option<String>,
    pub total: u32,
}

/// `GET {base}/api/v1/workspaces?regionId=…[&name=…]&maxResults=…[&nextToken=…]`.
pub async fn list_workspaces(
    config: &ApiConfig,
    region_id: &str,
    name: Option<&str>,
    max_results: u32,
    next_token: Option<&str>,
) -> Result<ListPage, CallError> {
    let max = max_results.to_string();
    let mut query = vec![("regionId", region_id), ("maxResults", max.as_str())];
    if let Some(name) = name {
        query.push(("name", name));
    }
    if let Some(token) = next_token {
        query.push(("nextToken", token));
    }
    let request = config
        .authorize(Request::get(&config.url(CREATE_WORKSPACE_PATH)))
        .query(query);
    let answer = get(config, request).await?;
    let workspaces = js::items(&answer.json, "workspaces")
        .iter()
        .map(|w| {
            let text = |key| js::string(w, key).unwrap_or_default();
            Listed {
                id: text("workspaceId"),
                name: text("workspaceName"),
                status: WorkspaceStatus::parse(&text("workspaceStatus")),
                fail_reason: js::string(w, "failReason").filter(|r| !r.is_empty()),
                create_time: js::get(w, "createTime").as_f64().unwrap_or_default(),
            }
        })
        .collect();
    Ok(ListPage {
        workspaces,
        next_token: js::string(&answer.json, "nextToken").filter(|t| !t.is_empty()),
        total: js::get(&answer.json, "totalCount")
            .as_f64()
            .unwrap_or_default() as u32,
    })
}

/// What an account listing offers a chooser: one bucket, catalog, role or resource group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// What choosing it puts in the field.
    pub value: String,
    pub label: String,
    /// Shown after the label: a catalog's or resource group's id, a role's description.
    pub detail: String,
    /// A catalog that is not `RUNNING`, a resource group that is not `OK`, cannot back a workspace: shown, never
    /// chosen. Its status, else empty.
    pub unavailable: String,
}

/// The account listings the form's choosers offer (the contract the server shares).
pub use workspace_model::listing::{Listing, role_path};

/// `GET {base}{listing's path}[?regionId=…]`: the whole listing, ready to offer.
pub async fn list_account(
    config: &ApiConfig,
    listing: Listing,
    region_id: &str,
) -> Result<Vec<Choice>, CallError> {
    let mut request = config.authorize(Request::get(&config.url(listing.path())));
    if listing.regional() {
        request = request.query([("regionId", region_id)]);
    }
    let answer = get(config, request).await?;
    let choices: Vec<Choice> = js::items(&answer.json, listing.items_key())
        .iter()
        .map(|item| choice(listing, |key| js::string(item, key).unwrap_or_default()))
        .collect();
    // The default role first, the rest in the server's order (a partition: a sort would cost the bundle more).
    let (mut first, rest): (Vec<_>, Vec<_>) = choices
        .into_iter()
        .partition(|c| c.value == DEFAULT_RAM_ROLE);
    first.extend(rest);
    Ok(first)
}

/// One item of a listing's reply (its fields read by `text`) as an option.
fn choice(listing: Listing, text: impl Fn(&str) -> String) -> Choice {
    // What a status other than the good one says: shown, never chosen.
    let unless = |good: &str| {
        let status = text("status");
        if status == good {
            String::new()
        } else {
            status
        }
    };
    let name = text("name");
    match listing {
        Listing::Buckets => Choice {
            value: format!("oss://{name}/"),
            label: name,
            detail: String::new(),
            unavailable: String::new(),
        },
        Listing::Catalogs => Choice {
            value: text("id"),
            label: name,
            detail: text("id"),
            unavailable: unless("RUNNING"),
        },
        Listing::Roles => Choice {
            value: name.clone(),
            label: name,
            detail: text("description"),
            unavailable: String::new(),
        },
        Listing::ResourceGroups => {
            let display = text("displayName");
            Choice {
                value: text("id"),
                label: if display.is_empty() { name } else { display },
                detail: text("id"),
                unavailable: unless("OK"),
            }
        }
    }
}

/// What of the typed text a listing's options are matched against; `None` offers nothing. An OSS path past its
/// bucket (`oss://b/…`) offers nothing: the person is typing the path.
pub fn query(listing: Listing, typed: &str) -> Option<&str> {
    match listing {
        Listing::Buckets if "oss://".starts_with(typed) => Some(""),
        Listing::Buckets => match typed.strip_prefix("oss://").unwrap_or(typed) {
            rest if rest.contains('/') => None,
            rest => Some(rest),
        },
        _ => Some(typed),
    }
}

/// `GET {base}{role_path(name)}` (GetRole): whether the role exists (`None`: RAM's 404 `EntityNotExist.Role`) and
/// whether Spark may assume it.
pub async fn role_trusts_spark(config: &ApiConfig, name: &str) -> Result<Option<bool>, CallError> {
    let url = config.url(&role_path(name));
    let request = config.authorize(Request::get(&url));
    match get(config, request).await {
        // An answer without the flag says nothing against the role.
        Ok(answer) => Ok(Some(
            js::get(&js::get(&answer.json, "role"), "trustsSpark")
                .as_bool()
                .unwrap_or(true),
        )),
        Err(CallError::Api { status: 404, error }) if error.code == "EntityNotExist.Role" => {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// `GET {base}/api/policy`: the guardrails of the server the form posts to (no policy: `{}`, allowing
/// everything). An answer that is not a policy is unexpected: the server checked its policy when it started.
pub async fn policy(config: &ApiConfig) -> Result<Policy, CallError> {
    let request = config.authorize(Request::get(&config.url(POLICY_PATH)));
    let answer = get(config, request).await?;
    if !answer.json.is_object() {
        return Err(unexpected(answer.status, &answer.text));
    }
    Ok(Policy::read(&js::Parsed(answer.json)))
}

fn unexpected(status: u16, text: &str) -> CallError {
    CallError::Unexpected {
        status,
        detail: text.chars().take(200).collect(),
    }
}

/// A 2xx answer, parsed by the browser.
struct Answer {
    status: u16,
    text: String,
    json: JsValue,
}

/// A GET through [`send`]. One function for every GET, so the bundle holds one copy of `send` for them all
/// rather than one per call site (each closure its own type).
async fn get(
    config: &ApiConfig,
    request: gloo_net::http::RequestBuilder,
) -> Result<Answer, CallError> {
    send(config, move |signal| {
        request.abort_signal(Some(signal)).build()
    })
    .await
}

/// Sends with a deadline and turns every outcome into a parsed 2xx answer or a [`CallError`].
async fn send(
    config: &ApiConfig,
    build: impl FnOnce(&web_sys::AbortSignal) -> Result<Request, gloo_net::Error>,
) -> Result<Answer, CallError> {
    // The platform's own timer: aborts the fetch (and the body read) when the time is up.
    let deadline = web_sys::AbortSignal::timeout_with_u32(config.timeout_ms);
    let request = build(&deadline).map_err(network)?;
    match request.send().await {
        Ok(response) => read(response).await,
        Err(_) if deadline.aborted() => Err(CallError::Timeout),
        Err(e) => Err(network(e)),
    }
}

fn network(error: gloo_net::Error) -> CallError {
    CallError::Network(match error {
        gloo_net::Error::JsError(e) => e.message,
        _ => "request failed".to_owned(),
    })
}

async fn read(response: Response) -> Result<Answer, CallError> {
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    let json = js::parse(&text);
    match json {
        Some(json) if response.ok() && json.is_object() => Ok(Answer { status, text, json }),
        Some(json) if !response.ok() => ApiError::from_lookup(|key| js::string(&json, key))
            .map(|error| Err(CallError::Api { status, error }))
            .unwrap_or_else(|| Err(unexpected(status, &text))),
        _ => Err(unexpected(status, &text)),
    }
}

/// Waits without blocking the page.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> String + 'a {
        move |key| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        }
    }

    #[test]
    fn a_resource_group_offers_its_display_name_and_fills_its_id() {
        let group = [
            ("id", "rg-acfm2abc"),
            ("name", "data-team"),
            ("displayName", "Data team"),
            ("status", "OK"),
        ];
        let c = choice(Listing::ResourceGroups, item(&group));
        assert_eq!(
            (
                c.value.as_str(),
                c.label.as_str(),
                c.detail.as_str(),
                c.unavailable.as_str()
            ),
            ("rg-acfm2abc", "Data team", "rg-acfm2abc", "")
        );
        let pending = [("id", "rg-2"), ("name", "ops"), ("status", "PendingDelete")];
        let c = choice(Listing::ResourceGroups, item(&pending));
        assert_eq!(
            (c.label.as_str(), c.unavailable.as_str()),
            ("ops", "PendingDelete")
        );
    }

    #[test]
    fn a_catalog_not_running_is_unavailable_and_a_bucket_fills_its_path() {
        let c = choice(
            Listing::Catalogs,
            item(&[("id", "c-1"), ("name", "lake"), ("status", "STOPPED")]),
        );
        assert_eq!(
            (c.value.as_str(), c.unavailable.as_str()),
            ("c-1", "STOPPED")
        );
        let b = choice(Listing::Buckets, item(&[("name", "logs")]));
        assert_eq!(
            (b.value.as_str(), b.label.as_str()),
            ("oss://logs/", "logs")
        );
    }

    #[test]
    fn what_typing_matches_against() {
        assert_eq!(query(Listing::Buckets, "oss:/"), Some(""));
        assert_eq!(query(Listing::Buckets, "oss://lo"), Some("lo"));
        assert_eq!(query(Listing::Buckets, "oss://logs/x"), None);
        assert_eq!(query(Listing::ResourceGroups, "rg-a"), Some("rg-a"));
    }
}
