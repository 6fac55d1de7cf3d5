//! The component in a real browser (wasm-bindgen-test in headless Chromium): mounted like an embedder would,
//! driven through DOM events, with `window.fetch` replaced by a recorder so the exact request can be checked.
#![cfg(target_arch = "wasm32")]

use leptos::{prelude::*, task::tick};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};
use workspace_console::{CreateWorkspaceForm, Theme};
use workspace_model::{FIELDS, FieldPath, Locale, catalogue::Control};

wasm_bindgen_test_configure!(run_in_browser);

/// A mounted form that is removed again when the test ends.
struct Mounted {
    _handle: Box<dyn std::any::Any>,
    root: Element,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

/// Mounts a view into an element of its own, removed again when the test ends.
fn mount_view<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> Mounted {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let handle = leptos::mount::mount_to(root.clone().unchecked_into(), view);
    Mounted {
        _handle: Box::new(handle),
        root,
    }
}

/// Mounts a form whose API calls go to `/t/<prefix>/api/…`, answered by that test's fetch stub.
fn mount(prefix: &'static str) -> Mounted {
    mount_view(move || {
        view! {
            <CreateWorkspaceForm
                persist=false
                id_prefix=prefix
                locale=Locale::En
                api_base=format!("/t/{prefix}")
            />
        }
    })
}

/// Waits for the result panel's ids.
async fn until_result() {
    until("the result", || {
        document()
            .query_selector("[data-id=workspaceId]")
            .unwrap()
            .is_some()
    })
    .await;
}

fn js(code: &str) -> JsValue {
    js_sys::eval(code).unwrap_or_else(|e| panic!("{code}: {e:?}"))
}

/// Replaces `window.fetch` (once) with a recorder that answers each test by the prefix in the URL: async tests
/// interleave, so each needs its own answers and its own record.
fn install_fetch_stub() {
    js(r#"if (!window.__stubbed) {
        window.__stubbed = true;
        window.__calls = {};
        window.__answers = {};
        window.__queues = {};
        window.__lists = {};
        window.__policies = {};
        window.__policyCalls = {};
        window.fetch = async (request) => {
            const prefix = new URL(request.url).pathname.split("/")[2];
            const auth = request.headers.get("authorization");
            if (new URL(request.url).pathname.endsWith("/api/policy")) {
                // Kept apart from the other calls: every form asks for its policy when it appears.
                (window.__policyCalls[prefix] = window.__policyCalls[prefix] || []).push(auth);
                const policy = window.__policies[prefix] || { status: 200, body: "{}" };
                if (policy.token && auth !== `Bearer ${policy.token}`) {
                    return new Response('{"Code":"InvalidAuthorization","Message":"token"}', { status: 401 });
                }
                return new Response(policy.body, { status: policy.status });
            }
            const call = { url: request.url, method: request.method, auth: request.headers.get("authorization"),
                           type: request.headers.get("content-type"), body: await request.text() };
            (window.__calls[prefix] = window.__calls[prefix] || []).push(call);
            const queued = request.method === "POST" && (window.__queues[prefix] || []).shift();
            const listed = request.method === "GET" && !/workspaces\/w-/.test(request.url) && window.__lists[prefix];
            const answer = queued || listed || window.__answers[prefix] || { down: true, delay: 0 };
            await new Promise((done) => setTimeout(done, answer.delay));
            if (answer.down) throw new TypeError("Failed to fetch");
            return new Response(answer.body, { status: answer.status,
                                               headers: { "content-type": "application/json" } });
        };
    }"#);
}

/// This test's API answers `status` and `body` after `delay_ms`.
fn stub_fetch(prefix: &str, status: u16, body: &str, delay_ms: u32) {
    install_fetch_stub();
    js(&format!(
        "window.__calls[{prefix:?}] = []; window.__answers[{prefix:?}] = {{ status: {status}, body: {body:?}, delay: {delay_ms} }};"
    ));
}

/// This test's API is unreachable: every fetch fails as a refused connection does.
fn stub_fetch_down(prefix: &str) {
    install_fetch_stub();
    js(&format!(
        "window.__calls[{prefix:?}] = []; window.__answers[{prefix:?}] = {{ down: true, delay: 0 }};"
    ));
}

/// The POSTs this test's form made (status checks of the result panel are GETs).
fn posts(prefix: &str) -> Vec<JsValue> {
    js_sys::Array::from(&js(&format!("window.__calls[{prefix:?}] || []")))
        .iter()
        .filter(|c| call_field(c, "method") == "POST")
        .collect()
}

fn call_field(call: &JsValue, key: &str) -> String {
    js_sys::Reflect::get(call, &key.into())
        .unwrap()
        .as_string()
        .unwrap_or_default()
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits for a condition the page reaches asynchronously, failing after two seconds.
async fn until(what: &str, cond: impl Fn() -> bool) {
    for _ in 0..200 {
        if cond() {
            return;
        }
        sleep(10).await;
    }
    panic!("timed out waiting for {what}");
}

fn by_id(id: &str) -> HtmlElement {
    document()
        .get_element_by_id(id)
        .unwrap_or_else(|| panic!("no element #{id}"))
        .unchecked_into()
}

fn query(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

fn fire(element: &HtmlElement, event: &str) {
    element
        .dispatch_event(&web_sys::Event::new(event).unwrap())
        .unwrap();
}

/// Types into a text input as a person does: the value changes and an `input` event fires.
fn type_into(id: &str, text: &str) {
    let input: HtmlInputElement = by_id(id).unchecked_into();
    input.set_value(text);
    fire(&input, "input");
}

fn leave(id: &str) {
    fire(&by_id(id), "blur");
}

fn choose(id: &str, value: &str) {
    let select: HtmlSelectElement = by_id(id).unchecked_into();
    select.set_value(value);
    fire(&select, "change");
}

fn value_of(id: &str) -> String {
    by_id(id).unchecked_into::<HtmlInputElement>().value()
}

/// Whether the field row holding an element is hidden.
fn row_hidden(id: &str) -> bool {
    by_id(id)
        .closest(".ws-field")
        .unwrap()
        .unwrap()
        .has_attribute("hidden")
}

fn submit(prefix: &str) {
    let form = document()
        .query_selector(&format!("#{prefix}-summary"))
        .unwrap()
        .unwrap()
        .closest("form")
        .unwrap()
        .unwrap();
    query(&form, "button[type=submit]")
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
}

fn text_of(id: &str) -> String {
    by_id(id).text_content().unwrap_or_default()
}

fn fill_minimal(prefix: &str) {
    type_into(&format!("{prefix}-workspaceName"), "etl_1");
    type_into(&format!("{prefix}-resourceSpec-cu"), "8");
    type_into(&format!("{prefix}-ossBucket"), "oss://etl-bucket/");
}

#[wasm_bindgen_test]
async fn every_catalogue_field_is_rendered_with_its_label() {
    let m = mount("all");
    tick().await;
    for field in &FIELDS {
        let id = format!("all-{}", FieldPath::field(field.key).id_fragment());
        let element = by_id(&id);
        match field.control {
            Control::List(_) => {
                assert_eq!(element.tag_name(), "FIELDSET", "{}", field.path);
                let legend = query(&element, "legend").unwrap().text_content().unwrap();
                assert!(legend.contains(field.label.en), "{}: {legend}", field.path);
            }
            _ => {
                let label = query(&m.root, &format!("label[for=\"{id}\"]"))
                    .unwrap_or_else(|| panic!("no label for {}", field.path));
                assert!(
                    label.text_content().unwrap().contains(field.label.en),
                    "{}",
                    field.path
                );
                let tag = element.tag_name();
                let expected = if matches!(field.control, Control::Select(_)) {
                    "SELECT"
                } else {
                    "INPUT"
                };
                assert_eq!(tag, expected, "{}", field.path);
            }
        }
    }
}

#[wasm_bindgen_test]
async fn subscription_fields_appear_only_when_they_apply_and_keep_what_was_typed() {
    let _m = mount("sub");
    tick().await;
    for id in ["sub-duration", "sub-paymentDurationUnit", "sub-autoRenew"] {
        assert!(row_hidden(id), "{id} shows for pay-as-you-go");
    }
    choose("sub-paymentType", "Pre");
    tick().await;
    for id in ["sub-duration", "sub-paymentDurationUnit", "sub-autoRenew"] {
        assert!(!row_hidden(id), "{id} hidden for subscription");
    }
    assert!(row_hidden("sub-autoRenewPeriod") && row_hidden("sub-autoRenewPeriodUnit"));
    type_into("sub-duration", "7");
    by_id("sub-autoRenew").click();
    tick().await;
    assert!(!row_hidden("sub-autoRenewPeriod") && !row_hidden("sub-autoRenewPeriodUnit"));
    type_into("sub-autoRenewPeriod", "3");

    choose("sub-paymentType", "PayAsYouGo");
    tick().await;
    assert!(row_hidden("sub-duration") && row_hidden("sub-autoRenewPeriod"));
    choose("sub-paymentType", "Pre");
    tick().await;
    assert_eq!(value_of("sub-duration"), "7");
    assert_eq!(value_of("sub-autoRenewPeriod"), "3");
    assert!(
        by_id("sub-autoRenew")
            .unchecked_into::<HtmlInputElement>()
            .checked()
    );
}

#[wasm_bindgen_test]
async fn an_invalid_value_shows_its_message_after_blur_then_live() {
    let _m = mount("inv");
    tick().await;
    let name = by_id("inv-workspaceName");
    type_into("inv-workspaceName", "a b");
    tick().await;
    assert_eq!(
        name.get_attribute("aria-invalid").as_deref(),
        Some("false"),
        "not before blur"
    );
    leave("inv-workspaceName");
    tick().await;
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = name.get_attribute("aria-describedby").unwrap();
    let error_id = described.split(' ').next().unwrap();
    assert_eq!(error_id, "inv-workspaceName-error");
    assert!(
        text_of(error_id).contains("A space is not allowed"),
        "{}",
        text_of(error_id)
    );

    // Live while fixing: the message changes with every keystroke, and goes when the value is right.
    type_into("inv-workspaceName", &"x".repeat(65));
    tick().await;
    assert!(text_of("inv-workspaceName-error").contains("at most 64"));
    type_into("inv-workspaceName", "ab");
    tick().await;
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("false"));
    assert!(
        document()
            .get_element_by_id("inv-workspaceName-error")
            .is_none()
    );
}

#[wasm_bindgen_test]
async fn a_warning_shows_but_does_not_block() {
    stub_fetch(
        "warn",
        200,
        r#"{"workspaceId":"w-1","operationId":"op-1","requestId":"R"}"#,
        0,
    );
    let _m = mount("warn");
    tick().await;
    fill_minimal("warn");
    type_into("warn-resourceSpec-cu", "6000");
    leave("warn-resourceSpec-cu");
    tick().await;
    assert!(
        text_of("warn-resourceSpec-cu-warning").contains("above the default pay-as-you-go quota")
    );
    let cu = by_id("warn-resourceSpec-cu");
    assert_eq!(cu.get_attribute("aria-invalid").as_deref(), Some("false"));
    assert!(
        cu.get_attribute("aria-describedby")
            .unwrap()
            .contains("warn-resourceSpec-cu-warning")
    );
    // Hints (our own guesses) never block: the form posts with them.
    type_into("warn-resourceGroupId", "default-group");
    leave("warn-resourceGroupId");
    tick().await;
    assert!(text_of("warn-resourceGroupId-warning").contains("rg-"));
    submit("warn");
    until("the request", || posts("warn").len() == 1).await;
    let body = call_field(&posts("warn")[0], "body");
    assert!(
        body.contains(r#""resourceGroupId":"default-group""#) && body.contains(r#""cu":"6000""#),
        "{body}"
    );
}

#[wasm_bindgen_test]
async fn a_bucket_without_its_slash_is_completed_when_left_and_that_is_announced() {
    let _m = mount("oss");
    tick().await;
    type_into("oss-ossBucket", "oss://my-bucket");
    tick().await;
    assert_eq!(text_of("oss-ossBucket-note"), "");
    leave("oss-ossBucket");
    tick().await;
    assert_eq!(value_of("oss-ossBucket"), "oss://my-bucket/");
    let note = by_id("oss-ossBucket-note");
    assert_eq!(note.get_attribute("role").as_deref(), Some("status"));
    assert!(
        text_of("oss-ossBucket-note").contains("oss://my-bucket/"),
        "{}",
        text_of("oss-ossBucket-note")
    );
    // Typing again clears the note; a value with a path is left as it is.
    type_into("oss-ossBucket", "oss://my-bucket/data");
    leave("oss-ossBucket");
    tick().await;
    assert_eq!(value_of("oss-ossBucket"), "oss://my-bucket/data");
    assert_eq!(text_of("oss-ossBucket-note"), "");
}

#[wasm_bindgen_test]
async fn submit_posts_exactly_the_expected_json_and_shows_the_ids() {
    stub_fetch(
        "post",
        200,
        r#"{"workspaceId":"w-0123456789abcdef","operationId":"op-0123456789abcdef","requestId":"DD6B1B2A-5837-5237-ABE4-FF0C89440000"}"#,
        0,
    );
    let _m = mount("post");
    tick().await;
    choose("post-regionId", "cn-beijing");
    type_into("post-workspaceName", "数据湖_etl-1");
    type_into("post-resourceSpec-cu", "16");
    type_into("post-resourceSpec-gpu", "2");
    type_into("post-ossBucket", "oss://etl-bucket/warehouse/");
    choose("post-dlfType", "dlf2.0");
    type_into("post-dlfCatalogId", "cat1");
    choose("post-paymentType", "Pre");
    tick().await;
    type_into("post-duration", "3");
    by_id("post-autoRenew").click();
    tick().await;
    type_into("post-autoRenewPeriod", "12");
    type_into("post-resourceGroupId", "rg-acfmwpi66knkxny");
    choose("post-releaseType", "pro");
    by_id("post-autoStartSessionCluster").click();
    type_into("post-clientToken", "token-1");

    // Lists: one tag with a value, one without; one GPU instance type.
    let add_buttons = |list: &str| query(&by_id(list), "button.ws-button--secondary").unwrap();
    add_buttons("post-tag")
        .unchecked_into::<HtmlElement>()
        .click();
    add_buttons("post-tag")
        .unchecked_into::<HtmlElement>()
        .click();
    add_buttons("post-gpuSpec")
        .unchecked_into::<HtmlElement>()
        .click();
    tick().await;
    type_into("post-tag-0-key", "env");
    type_into("post-tag-0-value", "dev");
    type_into("post-tag-1-key", "team");
    type_into("post-gpuSpec-0", "ecs.gn7i-c8g1.2xlarge");
    tick().await;

    submit("post");
    until("the request", || posts("post").len() == 1).await;
    let call = &posts("post")[0];
    assert_eq!(call_field(call, "method"), "POST");
    assert!(
        call_field(call, "url").ends_with("/api/v1/workspaces?regionId=cn-beijing"),
        "{}",
        call_field(call, "url")
    );
    assert_eq!(call_field(call, "type"), "application/json");
    // Keys in the SDK's order; subscription fields included because billing is Pre; no empty values.
    let expected = concat!(
        r#"{"autoRenew":"true","autoRenewPeriod":"12","autoRenewPeriodUnit":"MONTH","autoStartSessionCluster":true,"#,
        r#""clientToken":"token-1","dlfCatalogId":"cat1","dlfType":"dlf2.0","duration":"3","#,
        r#""gpuSpec":["ecs.gn7i-c8g1.2xlarge"],"ossBucket":"oss://etl-bucket/warehouse/","#,
        r#""paymentDurationUnit":"MONTH","paymentType":"Pre","ramRoleName":"AliyunEMRSparkJobRunDefaultRole","#,
        r#""releaseType":"pro","resourceGroupId":"rg-acfmwpi66knkxny","resourceSpec":{"cu":"16","gpu":2},"#,
        r#""tag":[{"key":"env","value":"dev"},{"key":"team"}],"workspaceName":"数据湖_etl-1"}"#
    );
    assert_eq!(call_field(call, "body"), expected);

    until_result().await;
    let id = |name: &str| {
        document()
            .query_selector(&format!("[data-id={name}]"))
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    assert_eq!(id("workspaceId"), "w-0123456789abcdef");
    assert_eq!(id("operationId"), "op-0123456789abcdef");
    assert_eq!(id("requestId"), "DD6B1B2A-5837-5237-ABE4-FF0C89440000");
}

#[wasm_bindgen_test]
async fn pay_as_you_go_leaves_the_subscription_fields_out() {
    stub_fetch(
        "payg",
        200,
        r#"{"workspaceId":"w-1","operationId":"op-1","requestId":"R"}"#,
        0,
    );
    let _m = mount("payg");
    tick().await;
    fill_minimal("payg");
    // Typed under subscription, then switched back: kept in the form, not sent.
    choose("payg-paymentType", "Pre");
    tick().await;
    type_into("payg-duration", "5");
    choose("payg-paymentType", "PayAsYouGo");
    type_into("payg-clientToken", "t");
    tick().await;
    submit("payg");
    until("the request", || posts("payg").len() == 1).await;
    assert_eq!(
        call_field(&posts("payg")[0], "body"),
        concat!(
            r#"{"clientToken":"t","dlfType":"dlf1.0","ossBucket":"oss://etl-bucket/","paymentType":"PayAsYouGo","#,
            r#""ramRoleName":"AliyunEMRSparkJobRunDefaultRole","resourceSpec":{"cu":"8"},"workspaceName":"etl_1"}"#
        )
    );
}

#[wasm_bindgen_test]
async fn an_invalid_form_posts_nothing_and_focuses_the_first_invalid_field() {
    stub_fetch("empty", 200, "{}", 0);
    let _m = mount("empty");
    tick().await;
    type_into("empty-ossBucket", "s3://nope");
    submit("empty");
    tick().await;
    sleep(50).await;
    assert!(posts("empty").is_empty(), "posted an invalid form");
    let active = document().active_element().unwrap().id();
    assert_eq!(active, "empty-workspaceName");
    let summary = by_id("empty-summary");
    assert!(summary.class_list().contains("ws-summary--shown"));
    let links = summary.query_selector_all("a").unwrap();
    assert_eq!(links.length(), 3, "name, CU and OSS path");
    let first = links.item(0).unwrap().unchecked_into::<Element>();
    assert_eq!(
        first.get_attribute("href").as_deref(),
        Some("#empty-workspaceName")
    );
    // A summary link takes the keyboard to its field.
    links
        .item(2)
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    assert_eq!(document().active_element().unwrap().id(), "empty-ossBucket");
    assert!(text_of("empty-ossBucket-error").contains("Start with oss://"));
}

#[wasm_bindgen_test]
async fn an_api_error_marks_its_field_and_keeps_the_input() {
    stub_fetch(
        "apierr",
        400,
        r#"{"RequestId":"REQ-1","HostId":"h","Code":"InvalidParameter.workspaceName","Message":"workspaceName: a workspace with this name exists","Recommend":""}"#,
        0,
    );
    let _m = mount("apierr");
    tick().await;
    fill_minimal("apierr");
    submit("apierr");
    until("the error", || {
        by_id("apierr-workspaceName")
            .get_attribute("aria-invalid")
            .as_deref()
            == Some("true")
    })
    .await;
    assert_eq!(
        text_of("apierr-workspaceName-error"),
        "a workspace with this name exists"
    );
    let summary = text_of("apierr-summary");
    assert!(
        summary.contains("InvalidParameter.workspaceName") && summary.contains("REQ-1"),
        "{summary}"
    );
    assert_eq!(value_of("apierr-workspaceName"), "etl_1");
    assert_eq!(value_of("apierr-ossBucket"), "oss://etl-bucket/");
    // Changing the field clears the server's verdict on it.
    type_into("apierr-workspaceName", "etl_2");
    tick().await;
    assert_eq!(
        by_id("apierr-workspaceName")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("false")
    );
}

#[wasm_bindgen_test]
async fn a_network_failure_keeps_everything_and_a_retry_reuses_the_token() {
    stub_fetch_down("down");
    let _m = mount("down");
    tick().await;
    fill_minimal("down");
    let token = value_of("down-clientToken");
    assert_eq!(token.len(), 32, "a token is generated for the submission");
    submit("down");
    until("the failure", || {
        text_of("down-summary").contains("Could not reach the server")
    })
    .await;
    assert_eq!(value_of("down-workspaceName"), "etl_1");
    let retry = query(&by_id("down-summary"), "button").unwrap();
    retry.unchecked_into::<HtmlElement>().click();
    until("the retry", || posts("down").len() == 2).await;
    let body = |i: usize| call_field(&posts("down")[i], "body");
    assert!(body(0).contains(&format!(r#""clientToken":"{token}""#)));
    assert_eq!(
        body(0),
        body(1),
        "the retry is the same request, token included"
    );
}

#[wasm_bindgen_test]
async fn clicks_while_a_request_is_out_send_nothing_more() {
    stub_fetch(
        "busy",
        200,
        r#"{"workspaceId":"w-1","operationId":"op-1","requestId":"R"}"#,
        300,
    );
    let _m = mount("busy");
    tick().await;
    fill_minimal("busy");
    for _ in 0..5 {
        submit("busy");
    }
    tick().await;
    let form = by_id("busy-summary").closest("form").unwrap().unwrap();
    assert_eq!(form.get_attribute("aria-busy").as_deref(), Some("true"));
    let button = query(&form, "button[type=submit]").unwrap();
    assert_eq!(
        button.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    until_result().await;
    assert_eq!(posts("busy").len(), 1);
}

#[wasm_bindgen_test]
async fn the_language_switch_translates_labels_and_messages() {
    let m = mount("lang");
    tick().await;
    choose("lang-language", "zh-CN");
    tick().await;
    let label = query(&m.root, "label[for=\"lang-workspaceName\"]").unwrap();
    assert!(label.text_content().unwrap().contains("工作空间名称"));
    type_into("lang-workspaceName", "a b");
    leave("lang-workspaceName");
    tick().await;
    assert!(text_of("lang-workspaceName-error").contains("不能包含空格"));
    assert_eq!(
        query(&m.root, ".ws-console")
            .unwrap()
            .get_attribute("lang")
            .as_deref(),
        Some("zh-CN")
    );
}

/// The next POSTs of this test are answered with these (status, body) pairs, in order, before the default answer.
fn queue_answers(prefix: &str, answers: &[(u16, &str)]) {
    install_fetch_stub();
    let list: Vec<String> = answers
        .iter()
        .map(|(status, body)| format!("{{ status: {status}, body: {body:?}, delay: 0 }}"))
        .collect();
    js(&format!(
        "window.__queues[{prefix:?}] = [{}];",
        list.join(",")
    ));
}

/// ListWorkspaces of this test answers with these workspaces.
fn stub_list(prefix: &str, workspaces: &str) {
    install_fetch_stub();
    let body =
        format!(r#"{{"requestId":"L","workspaces":{workspaces},"maxResults":100,"totalCount":1}}"#);
    js(&format!(
        "window.__lists[{prefix:?}] = {{ status: 200, body: {body:?}, delay: 0 }};"
    ));
}

const IDS: &str = r#"{"workspaceId":"w-0123456789abcdef","operationId":"op-1","requestId":"R"}"#;

#[wasm_bindgen_test]
async fn a_401_asks_for_the_token_and_the_retry_carries_it_but_the_draft_never_does() {
    stub_fetch("tok", 200, IDS, 0);
    queue_answers(
        "tok",
        &[(
            401,
            r#"{"RequestId":"R1","Code":"InvalidAuthorization","Message":"This server requires Authorization: Bearer <token>"}"#,
        )],
    );
    let m = mount_view(|| {
        view! { <CreateWorkspaceForm id_prefix="tok" locale=Locale::En api_base="/t/tok" persist=true /> }
    });
    let root = &m.root;
    tick().await;
    fill_minimal("tok");
    submit("tok");
    until("the token field", || {
        document().get_element_by_id("tok-token").is_some()
    })
    .await;
    let field = by_id("tok-token");
    assert_eq!(field.get_attribute("type").as_deref(), Some("password"));
    let label = query(root, "label[for=\"tok-token\"]").expect("the token field has a label");
    assert_eq!(label.text_content().unwrap(), "Access token");
    until("focus on the token field", || {
        document().active_element().map(|e| e.id()) == Some("tok-token".into())
    })
    .await;
    assert!(posts("tok")[0].is_object() && call_field(&posts("tok")[0], "auth").is_empty());
    type_into("tok-token", "s3cret-token");
    let button = query(root, ".ws-token button")
        .unwrap()
        .unchecked_into::<HtmlElement>();
    button.click();
    until("the retry", || posts("tok").len() == 2).await;
    let retry = &posts("tok")[1];
    assert_eq!(call_field(retry, "auth"), "Bearer s3cret-token");
    assert_eq!(
        call_field(retry, "body"),
        call_field(&posts("tok")[0], "body"),
        "the same request"
    );
    until_result().await;
    // Kept for the tab, never in the draft (which outlives it) nor anywhere in localStorage.
    let session = js("sessionStorage.getItem('emr-serverless-spark:create-workspace:token')");
    assert_eq!(session.as_string().as_deref(), Some("s3cret-token"));
    let local = js("JSON.stringify(Object.assign({}, localStorage))")
        .as_string()
        .unwrap();
    assert!(!local.contains("s3cret"), "{local}");
    js("sessionStorage.clear()");
}

#[wasm_bindgen_test]
async fn locale_region_theme_and_api_base_follow_the_host_after_mount() {
    stub_fetch("rx2", 200, IDS, 0);
    let locale = RwSignal::new(Locale::En);
    let region = RwSignal::new("cn-hangzhou".to_owned());
    let theme = RwSignal::new(Theme::Auto);
    let base = RwSignal::new("/t/rx1".to_owned());
    let m = mount_view(move || {
        view! {
            <CreateWorkspaceForm
                id_prefix="rx"
                persist=false
                locale=Signal::derive(move || Some(locale.get()))
                region=Signal::derive(move || Some(region.get()))
                theme=Signal::derive(move || Some(theme.get()))
                api_base=Signal::derive(move || Some(base.get()))
            />
        }
    });
    let root = &m.root;
    tick().await;
    let console = query(root, ".ws-console").unwrap();
    assert_eq!(
        console.get_attribute("data-theme"),
        None,
        "auto leaves it to prefers-color-scheme"
    );
    locale.set(Locale::Zh);
    region.set("cn-shanghai".into());
    theme.set(Theme::Dark);
    base.set("/t/rx2".into());
    tick().await;
    let label = query(root, "label[for=\"rx-workspaceName\"]").unwrap();
    assert!(label.text_content().unwrap().contains("工作空间名称"));
    assert_eq!(console.get_attribute("lang").as_deref(), Some("zh-CN"));
    // The form's region follows on the next turn (the prop moves the field, the field moves the select).
    until("the region", || value_of("rx-regionId") == "cn-shanghai").await;
    assert_eq!(console.get_attribute("data-theme").as_deref(), Some("dark"));
    // An unknown region is ignored.
    region.set("mars-1".into());
    tick().await;
    sleep(20).await;
    assert_eq!(value_of("rx-regionId"), "cn-shanghai");
    fill_minimal("rx");
    submit("rx");
    until("the request to the new base", || posts("rx2").len() == 1).await;
    assert!(
        call_field(&posts("rx2")[0], "url")
            .ends_with("/t/rx2/api/v1/workspaces?regionId=cn-shanghai")
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn the_request_preview_shows_exactly_what_is_sent_and_runnable_snippets() {
    stub_fetch("pre", 200, IDS, 0);
    let m = mount("pre");
    tick().await;
    fill_minimal("pre");
    by_id("pre-clientToken")
        .unchecked_into::<HtmlInputElement>()
        .set_value("tok-1");
    fire(&by_id("pre-clientToken"), "input");
    assert_eq!(
        text_of("pre-request-body"),
        "",
        "nothing is worked out while closed"
    );
    let toggle = query(&m.root, "button[aria-controls=pre-request]")
        .unwrap()
        .unchecked_into::<HtmlElement>();
    toggle.click();
    until("the preview", || !text_of("pre-request-body").is_empty()).await;
    assert!(text_of("pre-request-url").starts_with("POST "));
    assert!(text_of("pre-request-url").ends_with("/t/pre/api/v1/workspaces?regionId=cn-hangzhou"));
    // Live: a change shows at once.
    type_into("pre-workspaceName", "etl_2");
    tick().await;
    let body = text_of("pre-request-body");
    assert!(body.contains(r#""workspaceName":"etl_2""#), "{body}");
    // One tab at a time: only the shown one is worked out.
    assert_eq!(text_of("pre-request-curl"), "");
    by_id("pre-request-tab-curl")
        .unchecked_into::<HtmlElement>()
        .click();
    tick().await;
    let curl = text_of("pre-request-curl");
    assert!(
        curl.contains("--data-raw '") && curl.contains(r#""clientToken":"tok-1""#),
        "{curl}"
    );
    assert!(!curl.contains("Authorization"), "no token, no header");
    by_id("pre-request-tab-python")
        .unchecked_into::<HtmlElement>()
        .click();
    tick().await;
    let python = text_of("pre-request-python");
    assert!(
        python.contains(r#"client_token="tok-1""#) && python.contains(r#"workspace_name="etl_2""#),
        "{python}"
    );
    for id in ["pre-request-body", "pre-request-curl", "pre-request-python"] {
        let labelled = by_id(id).get_attribute("aria-labelledby").unwrap();
        assert!(!text_of(&labelled).is_empty(), "{id} has a label");
    }
    submit("pre");
    until("the request", || posts("pre").len() == 1).await;
    assert_eq!(
        call_field(&posts("pre")[0], "body"),
        body,
        "the preview was the request"
    );
}

#[wasm_bindgen_test]
async fn a_name_the_region_already_has_is_a_hint_that_does_not_block() {
    stub_fetch("dup", 200, IDS, 0);
    stub_list(
        "dup",
        r#"[{"workspaceId":"w-1","workspaceName":"etl_1x","workspaceStatus":"RUNNING","createTime":1},
           {"workspaceId":"w-2","workspaceName":"etl_1","workspaceStatus":"RUNNING","createTime":1}]"#,
    );
    let _m = mount("dup");
    tick().await;
    fill_minimal("dup");
    until("the name hint", || {
        document()
            .get_element_by_id("dup-workspaceName-warning")
            .is_some_and(|w| {
                w.text_content()
                    .unwrap_or_default()
                    .contains("“etl_1” already exists")
            })
    })
    .await;
    // The lookup asked by name (the API's fuzzy search) and compared exactly.
    let calls = js_sys::Array::from(&js("window.__calls['dup']"));
    assert!(
        calls
            .iter()
            .any(|c| call_field(&c, "url").contains("name=etl_1"))
    );
    // Another name the fuzzy search also returns, but nobody has exactly: no hint.
    type_into("dup-workspaceName", "etl_");
    sleep(700).await;
    assert!(
        document()
            .get_element_by_id("dup-workspaceName-warning")
            .is_none()
    );
    type_into("dup-workspaceName", "etl_1");
    until("the hint again", || {
        document()
            .get_element_by_id("dup-workspaceName-warning")
            .is_some()
    })
    .await;
    submit("dup");
    until("the request", || posts("dup").len() == 1).await;
}

/// The button of the mounted form whose text is `text`.
fn button_with_text(prefix: &str, text: &str) -> HtmlElement {
    let root = by_id(&format!("{prefix}-summary"))
        .closest(".ws-console")
        .unwrap()
        .unwrap();
    let buttons = root.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .map(|b| b.unchecked_into::<HtmlElement>())
        .find(|b| b.text_content().unwrap_or_default().trim() == text)
        .unwrap_or_else(|| panic!("no button {text}"))
}

#[wasm_bindgen_test]
async fn removed_and_replaced_rows_go_and_the_form_keeps_working() {
    stub_fetch(
        "rows",
        200,
        r#"{"workspaceId":"w-1","operationId":"op-1","requestId":"R"}"#,
        0,
    );
    let _m = mount("rows");
    tick().await;
    fill_minimal("rows");
    let add = || {
        query(&by_id("rows-tag"), "button.ws-button--secondary")
            .unwrap()
            .unchecked_into::<HtmlElement>()
            .click()
    };
    for _ in 0..3 {
        add();
    }
    tick().await;
    for (i, key) in ["a", "b", "c"].into_iter().enumerate() {
        type_into(&format!("rows-tag-{i}-key"), key);
    }
    tick().await;
    // The first row's remove button. Its signals are freed as its view goes: nothing may read them afterwards.
    query(&by_id("rows-tag"), "li button.ws-button--icon")
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    sleep(50).await;
    assert_eq!(value_of("rows-tag-0-key"), "b");
    assert_eq!(value_of("rows-tag-1-key"), "c");
    assert!(document().get_element_by_id("rows-tag-2-key").is_none());
    type_into("rows-tag-0-key", "b2");
    tick().await;

    submit("rows");
    until("the request", || posts("rows").len() == 1).await;
    let body = call_field(&posts("rows")[0], "body");
    assert!(
        body.contains(r#""tag":[{"key":"b2"},{"key":"c"}]"#),
        "{body}"
    );

    // Creating another replaces the form's rows with a new form's (none); the list works on as before.
    until_result().await;
    button_with_text("rows", "Create another workspace").click();
    sleep(50).await;
    assert!(document().get_element_by_id("rows-tag-0-key").is_none());
    add();
    tick().await;
    type_into("rows-tag-0-key", "d");
    tick().await;
    assert_eq!(value_of("rows-tag-0-key"), "d");
}

/// Dispatches a key press to an element, as the keyboard does (it bubbles and may be cancelled).
fn press(id: &str, key: &str) {
    js(&format!(
        "document.getElementById({id:?}).dispatchEvent(new KeyboardEvent('keydown', {{ key: {key:?}, bubbles: true, cancelable: true }}))"
    ));
}

/// The options a chooser shows now: each option's text and whether it is unavailable.
fn options(list_id: &str) -> Vec<(String, bool)> {
    if by_id(list_id).has_attribute("hidden") {
        return Vec::new();
    }
    js_sys::Array::from(&js(&format!(
        "Array.from(document.querySelectorAll('#{list_id} [role=option]')).map((o) => (o.getAttribute('aria-disabled') === 'true' ? '!' : ' ') + o.textContent)"
    )))
    .iter()
    .map(|o| {
        let o = o.as_string().unwrap_or_default();
        (o[1..].to_owned(), o.starts_with('!'))
    })
    .collect()
}

const GROUPS: &str = r#"{"resourceGroups":[
    {"id":"rg-aek2data","name":"data","displayName":"Data team","status":"OK"},
    {"id":"rg-aek2old","name":"old","displayName":"Old","status":"PendingDelete"},
    {"id":"rg-aek2ops","name":"ops","displayName":"Ops","status":"OK"}],"truncated":false}"#;

#[wasm_bindgen_test]
async fn the_resource_group_chooser_offers_the_accounts_groups_and_fills_the_id() {
    install_fetch_stub();
    js(&format!(
        "window.__calls['rgc'] = []; window.__lists['rgc'] = {{ status: 200, body: {GROUPS:?}, delay: 0 }};"
    ));
    let _m = mount("rgc");
    tick().await;
    let (id, list) = ("rgc-resourceGroupId", "rgc-resourceGroupId-choices");
    let input = by_id(id);
    assert_eq!(input.get_attribute("role").as_deref(), Some("combobox"));
    assert_eq!(input.get_attribute("aria-controls").as_deref(), Some(list));
    let asked = || {
        js_sys::Array::from(&js("window.__calls['rgc']"))
            .iter()
            .filter(|c| call_field(c, "url").contains("/api/account/resource-groups"))
            .count()
    };
    assert_eq!(asked(), 0, "listed on first use, not at load");

    // A click shows every group: its display name and id, an unavailable one as such.
    fire(&input, "focus");
    input.click();
    until("the groups", || options(list).len() == 3).await;
    let shown = options(list);
    assert!(shown[0].0.contains("Data team") && shown[0].0.contains("rg-aek2data"));
    assert!(!shown[0].1);
    assert!(
        shown[1].0.contains("PendingDelete") && shown[1].1,
        "{shown:?}"
    );
    assert_eq!(asked(), 1);
    let call = js_sys::Array::from(&js("window.__calls['rgc']"))
        .iter()
        .find(|c| call_field(c, "url").contains("/api/account/resource-groups"))
        .unwrap();
    assert!(
        !call_field(&call, "url").contains("regionId"),
        "account-wide"
    );

    // The keyboard skips the unavailable group; Enter fills the id and closes the list.
    press(id, "ArrowDown");
    press(id, "ArrowDown");
    tick().await;
    assert_eq!(
        input.get_attribute("aria-activedescendant").as_deref(),
        Some("rgc-resourceGroupId-choices-2")
    );
    press(id, "Enter");
    tick().await;
    assert_eq!(value_of(id), "rg-aek2ops");
    assert_eq!(
        input.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );

    // Typing filters; the mouse picks. An unavailable group cannot be picked.
    type_into(id, "dat");
    tick().await;
    assert_eq!(options(list).len(), 1);
    type_into(id, "");
    tick().await;
    let pick = |i: u32| {
        js(&format!(
            "document.getElementById('{list}-{i}').dispatchEvent(new MouseEvent('mousedown', {{ bubbles: true, cancelable: true }}))"
        ));
    };
    pick(1);
    tick().await;
    assert_eq!(value_of(id), "");
    pick(0);
    tick().await;
    assert_eq!(value_of(id), "rg-aek2data");
    assert_eq!(asked(), 1, "listed once");
}

#[wasm_bindgen_test]
async fn a_refused_resource_group_listing_says_so_and_typing_still_works() {
    install_fetch_stub();
    let refused = r#"{"code":"Forbidden.RAM","message":"no ListResourceGroups","requestId":"R"}"#;
    js(&format!(
        "window.__calls['rgx'] = []; window.__lists['rgx'] = {{ status: 403, body: {refused:?}, delay: 0 }};"
    ));
    let _m = mount("rgx");
    tick().await;
    let id = "rgx-resourceGroupId";
    fire(&by_id(id), "focus");
    until("the note", || {
        text_of(&format!("{id}-list-note")).contains("Forbidden.RAM")
    })
    .await;
    assert!(text_of(&format!("{id}-list-note")).contains("Resource groups could not be listed"));
    type_into(id, "rg-typed1");
    leave(id);
    assert_eq!(value_of(id), "rg-typed1");
    assert!(options(&format!("{id}-choices")).is_empty());
}

#[wasm_bindgen_test]
async fn new_token_replaces_the_client_token_with_a_fresh_one() {
    stub_fetch_down("tok");
    let _m = mount("tok");
    tick().await;
    let before = value_of("tok-clientToken");
    assert_eq!(before.len(), 32, "{before}");
    button_with_text("tok", "New token").click();
    tick().await;
    let after = value_of("tok-clientToken");
    assert_eq!(after.len(), 32, "{after}");
    assert!(after.chars().all(|c| c.is_ascii_hexdigit()), "{after}");
    assert_ne!(before, after);
}

/// The issue's example policy, as `GET /api/policy` answers it.
const TEAM_A: &str = r#"{"fields":{"regionId":{"allowed":["cn-hangzhou","cn-shanghai"]},"paymentType":{"fixed":"PayAsYouGo"},"resourceGroupId":{"fixed":"rg-acfmteama01"},"dlfType":{"default":"dlf2.0"},"resourceSpec.cu":{"max":64},"workspaceName":{"prefix":"team-a-"},"dlfCatalogId":{"required":true}},"tags":{"team":{"fixed":"team-a"},"env":{"allowed":["dev","prod"]},"cost-center":{}}}"#;

/// This test's server answers `GET /api/policy` with `status` and `body`; with `token`, only to that bearer
/// token (401 otherwise).
fn stub_policy(prefix: &str, status: u16, body: &str, token: Option<&str>) {
    install_fetch_stub();
    let token = token.map_or("null".to_owned(), |t| format!("{t:?}"));
    js(&format!(
        "window.__policies[{prefix:?}] = {{ status: {status}, body: {body:?}, token: {token} }};"
    ));
}

/// Whether the form says its server's policy could not be had.
fn policy_notice_shown(m: &Mounted) -> bool {
    query(&m.root, ".ws-notice--policy").is_some_and(|n| !n.has_attribute("hidden"))
}

fn policy_calls(prefix: &str) -> usize {
    js(&format!("(window.__policyCalls[{prefix:?}] || []).length"))
        .as_f64()
        .unwrap_or_default() as usize
}

/// The values a select offers, or the suggestions of an input's list.
fn option_values(id: &str) -> Vec<String> {
    let el = by_id(id);
    let options = match el.get_attribute("list") {
        Some(list) => by_id(&list).query_selector_all("option").unwrap(),
        None => el.query_selector_all("option").unwrap(),
    };
    (0..options.length())
        .filter_map(|i| options.item(i))
        .map(|o| {
            o.unchecked_into::<Element>()
                .get_attribute("value")
                .unwrap_or_default()
        })
        .collect()
}

fn is_read_only(id: &str) -> bool {
    let el = by_id(id);
    el.has_attribute("readonly") || el.has_attribute("disabled")
}

#[wasm_bindgen_test]
async fn under_a_policy_choices_narrow_fixed_fields_lock_and_policy_tags_are_rows() {
    stub_fetch("pol", 200, IDS, 0);
    stub_policy("pol", 200, TEAM_A, None);
    let _m = mount_view(|| {
        view! {
            <CreateWorkspaceForm
                persist=false
                id_prefix="pol"
                locale=Locale::En
                region="cn-beijing"
                api_base="/t/pol"
            />
        }
    });
    until("the policy's region choices", || {
        option_values("pol-regionId") == ["cn-hangzhou", "cn-shanghai"]
    })
    .await;
    assert_eq!(
        policy_calls("pol"),
        1,
        "asked once, with nothing configured"
    );
    // The page's region is not allowed: the first allowed one is taken, and the field says why, until the
    // person chooses a region of their own.
    assert_eq!(value_of_select("pol-regionId"), "cn-hangzhou");
    let region_note = text_of("pol-regionId-warning");
    assert!(
        region_note.contains("cn-beijing is not allowed"),
        "{region_note}"
    );
    assert!(
        by_id("pol-regionId")
            .get_attribute("aria-describedby")
            .unwrap()
            .contains("pol-regionId-warning")
    );
    assert!(
        document()
            .get_element_by_id("pol-regionId-policy")
            .is_none(),
        "not fixed"
    );

    // Fixed: shown, locked, said to be the administrator's; a fixed pay-as-you-go hides the subscription.
    assert_eq!(value_of_select("pol-paymentType"), "PayAsYouGo");
    assert!(is_read_only("pol-paymentType"));
    assert_eq!(option_values("pol-paymentType"), ["PayAsYouGo"]);
    assert!(row_hidden("pol-duration"));
    assert_eq!(value_of("pol-resourceGroupId"), "rg-acfmteama01");
    assert!(is_read_only("pol-resourceGroupId"));
    assert_eq!(
        text_of("pol-resourceGroupId-policy"),
        "Set by your administrator."
    );
    assert!(!is_read_only("pol-workspaceName"));
    assert!(
        document()
            .get_element_by_id("pol-workspaceName-policy")
            .is_none()
    );
    // A default is prefilled; the policy's required field is marked so, and its help no longer says optional.
    assert_eq!(value_of_select("pol-dlfType"), "dlf2.0");
    assert_eq!(
        by_id("pol-dlfCatalogId")
            .get_attribute("aria-required")
            .as_deref(),
        Some("true")
    );
    let help = text_of("pol-dlfCatalogId-help");
    assert!(help.starts_with("The ID of the DLF catalog"), "{help}");
    assert!(!help.contains("Optional"), "{help}");

    // The region the person chooses ends the note about the one the page asked for.
    let region: HtmlSelectElement = by_id("pol-regionId").unchecked_into();
    region.set_value("cn-shanghai");
    fire(&region, "change");
    tick().await;
    assert!(
        document()
            .get_element_by_id("pol-regionId-warning")
            .is_none()
    );

    // The policy's tags: rows from the start, keys locked, a fixed value locked, allowed values as choices.
    assert_eq!(value_of("pol-tag-0-key"), "team");
    assert!(is_read_only("pol-tag-0-key") && is_read_only("pol-tag-0-value"));
    assert_eq!(value_of("pol-tag-0-value"), "team-a");
    assert_eq!(value_of("pol-tag-1-key"), "env");
    assert_eq!(option_values("pol-tag-1-value"), ["dev", "prod"]);
    assert!(!is_read_only("pol-tag-1-value"));
    assert_eq!(value_of("pol-tag-2-key"), "cost-center");
    assert!(!is_read_only("pol-tag-2-value"));
    for row in 0..3 {
        let remove = by_id(&format!("pol-tag-{row}-key"))
            .closest("li")
            .unwrap()
            .unwrap();
        let button: HtmlElement = query(&remove, "button").unwrap().unchecked_into();
        assert!(button.hidden(), "row {row} can be removed");
    }
    // The person may add tags of their own.
    let list = by_id("pol-tag");
    let add: HtmlElement = query(&list, ".ws-list > button").unwrap().unchecked_into();
    add.click();
    tick().await;
    assert!(!is_read_only("pol-tag-3-key"));
}

#[wasm_bindgen_test]
async fn a_fixed_field_says_in_chinese_that_the_administrator_set_it() {
    stub_policy("polzh", 200, TEAM_A, None);
    let _m = mount_view(|| {
        view! { <CreateWorkspaceForm persist=false id_prefix="polzh" locale=Locale::Zh api_base="/t/polzh" /> }
    });
    until("the fixed resource group", || {
        value_of("polzh-resourceGroupId") == "rg-acfmteama01"
    })
    .await;
    assert_eq!(text_of("polzh-resourceGroupId-policy"), "由管理员设定。");
}

fn value_of_select(id: &str) -> String {
    by_id(id).unchecked_into::<HtmlSelectElement>().value()
}

#[wasm_bindgen_test]
async fn the_policys_rules_are_errors_on_leave_then_live_and_block_the_submit() {
    stub_fetch("polerr", 200, IDS, 0);
    stub_policy("polerr", 200, TEAM_A, None);
    let _m = mount("polerr");
    until("the policy's tag rows", || {
        document().get_element_by_id("polerr-tag-0-key").is_some()
    })
    .await;
    type_into("polerr-workspaceName", "etl");
    leave("polerr-workspaceName");
    tick().await;
    // The server's words (its Message after `workspaceName: `).
    assert_eq!(
        text_of("polerr-workspaceName-error"),
        "Must start with team-a- (set by your administrator)."
    );
    type_into("polerr-workspaceName", "team-a-etl");
    tick().await;
    assert!(
        document()
            .get_element_by_id("polerr-workspaceName-error")
            .is_none(),
        "live: gone once right"
    );
    type_into("polerr-resourceSpec-cu", "128");
    leave("polerr-resourceSpec-cu");
    tick().await;
    assert_eq!(
        text_of("polerr-resourceSpec-cu-error"),
        "At most 64 CU (set by your administrator)."
    );
    type_into("polerr-resourceSpec-cu", "64");
    type_into("polerr-ossBucket", "oss://etl-bucket/");
    submit("polerr");
    tick().await;
    let summary = text_of("polerr-summary");
    for said in [
        "DLF catalog ID",
        "The tag env must be one of dev, prod (set by your administrator).",
        "The tag cost-center needs a value (set by your administrator).",
    ] {
        assert!(summary.contains(said), "{said:?} not in {summary}");
    }
    assert!(posts("polerr").is_empty(), "the policy's errors block");

    type_into("polerr-dlfCatalogId", "1234567890");
    type_into("polerr-tag-1-value", "prod");
    type_into("polerr-tag-2-value", "cc-42");
    submit("polerr");
    until_result().await;
    let body = call_field(&posts("polerr")[0], "body");
    for carried in [
        r#""resourceGroupId":"rg-acfmteama01""#,
        r#""paymentType":"PayAsYouGo""#,
        r#""key":"team","value":"team-a""#,
        r#""key":"env","value":"prod""#,
    ] {
        assert!(body.contains(carried), "{carried} not in {body}");
    }
}

#[wasm_bindgen_test]
async fn a_403_policy_violation_marks_its_tag_row() {
    stub_fetch(
        "pol403",
        403,
        r#"{"RequestId":"R9","Code":"PolicyViolation.tag.env","Message":"tag.env: The tag env must be one of dev, prod (set by your administrator)."}"#,
        0,
    );
    stub_policy("pol403", 200, r#"{"tags":{"env":{}}}"#, None);
    let _m = mount("pol403");
    until("the policy's tag row", || {
        document().get_element_by_id("pol403-tag-0-key").is_some()
    })
    .await;
    fill_minimal("pol403");
    type_into("pol403-tag-0-value", "test");
    submit("pol403");
    until("the tag row marked", || {
        by_id("pol403-tag-0-value")
            .get_attribute("aria-invalid")
            .as_deref()
            == Some("true")
    })
    .await;
    assert_eq!(
        text_of("pol403-tag-0-value-note"),
        "The tag env must be one of dev, prod (set by your administrator)."
    );
}

#[wasm_bindgen_test]
async fn a_policy_that_cannot_be_fetched_is_said_and_the_form_still_submits() {
    stub_fetch("polfail", 200, IDS, 0);
    stub_policy("polfail", 502, "<html>bad gateway</html>", None);
    let m = mount("polfail");
    until("the note", || policy_notice_shown(&m)).await;
    fill_minimal("polfail");
    submit("polfail");
    until_result().await;
}

#[wasm_bindgen_test]
async fn a_policy_refused_for_want_of_a_token_is_fetched_again_once_it_is_given() {
    stub_fetch("poltok", 200, IDS, 0);
    queue_answers(
        "poltok",
        &[(
            401,
            r#"{"RequestId":"R1","Code":"InvalidAuthorization","Message":"This server requires Authorization: Bearer <token>"}"#,
        )],
    );
    stub_policy(
        "poltok",
        200,
        r#"{"fields":{"resourceGroupId":{"fixed":"rg-acfmteama01"}}}"#,
        Some("tk"),
    );
    let m = mount("poltok");
    until("the note", || policy_notice_shown(&m)).await;
    fill_minimal("poltok");
    submit("poltok");
    until("the token field", || {
        document().get_element_by_id("poltok-token").is_some()
    })
    .await;
    type_into("poltok-token", "tk");
    query(&m.root, ".ws-token button")
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    until("the policy applied", || {
        value_of("poltok-resourceGroupId") == "rg-acfmteama01"
    })
    .await;
    assert_eq!(policy_calls("poltok"), 2);
    assert!(
        query(&m.root, ".ws-notice--policy")
            .unwrap()
            .has_attribute("hidden")
    );
    js("sessionStorage.clear()");
}

#[wasm_bindgen_test]
async fn another_server_is_not_held_to_the_last_ones_policy() {
    stub_policy("polbase1", 200, TEAM_A, None);
    stub_policy("polbase2", 502, "<html>bad gateway</html>", None);
    let base = RwSignal::new("/t/polbase1".to_owned());
    let m = mount_view(move || {
        view! { <CreateWorkspaceForm persist=false id_prefix="polbase" locale=Locale::En api_base=base /> }
    });
    until("the first server's policy", || {
        is_read_only("polbase-resourceGroupId")
    })
    .await;
    base.set("/t/polbase2".to_owned());
    until("the second server's answer", || {
        policy_calls("polbase2") == 1
    })
    .await;
    until("no lock of the first server's", || {
        !is_read_only("polbase-resourceGroupId")
    })
    .await;
    // The second server's policy could not be had, and the form says so.
    until("the note", || policy_notice_shown(&m)).await;
    assert!(!is_read_only("polbase-resourceGroupId"));
    assert_eq!(
        option_values("polbase-paymentType").len(),
        2,
        "both billing methods again"
    );
}

#[wasm_bindgen_test]
async fn what_is_typed_before_the_policy_arrives_is_kept_and_so_is_the_focus() {
    stub_fetch("polslow", 200, IDS, 0);
    stub_policy("polslow", 200, TEAM_A, None);
    let _m = mount("polslow");
    // Typed at once, before the policy's answer is read; the fields are then built again under the policy.
    type_into("polslow-resourceGroupId", "rg-mine");
    type_into("polslow-workspaceName", "team-a-early");
    by_id("polslow-workspaceName")
        .unchecked_into::<HtmlElement>()
        .focus()
        .unwrap();
    until("the policy's tag rows", || {
        document().get_element_by_id("polslow-tag-0-key").is_some()
    })
    .await;
    assert_eq!(value_of("polslow-workspaceName"), "team-a-early");
    assert_eq!(
        value_of("polslow-resourceGroupId"),
        "rg-acfmteama01",
        "fixed wins"
    );
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("polslow-workspaceName"),
        "the focus is where it was"
    );
}

#[wasm_bindgen_test]
async fn a_chooser_offers_only_what_the_policy_allows() {
    install_fetch_stub();
    js(&format!(
        "window.__calls['polrg'] = []; window.__lists['polrg'] = {{ status: 200, body: {GROUPS:?}, delay: 0 }};"
    ));
    stub_policy(
        "polrg",
        200,
        r#"{"fields":{"resourceGroupId":{"allowed":["rg-aek2ops","rg-aek2old"]}}}"#,
        None,
    );
    let _m = mount("polrg");
    let (id, list) = ("polrg-resourceGroupId", "polrg-resourceGroupId-choices");
    until("the policy", || policy_calls("polrg") == 1).await;
    tick().await;
    let input = by_id(id);
    fire(&input, "focus");
    input.click();
    until("the groups", || !options(list).is_empty()).await;
    let shown: Vec<String> = options(list).into_iter().map(|(text, _)| text).collect();
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(
        shown[0].contains("rg-aek2old") && shown[1].contains("rg-aek2ops"),
        "{shown:?}"
    );
}
