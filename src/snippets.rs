//! The request as code a person can run: curl against this page's API, and Python with the official SDK.
//!
//! Both are built from the body the form sends ([`workspace_model::validate::body`]), so they carry exactly the
//! same values, the client token included: running a snippet and then submitting the form makes one workspace.

use workspace_model::Json;

/// `curl` for `POST url` with `body`, and the bearer token when the page has one.
pub fn curl(url: &str, body: &str, token: Option<&str>) -> String {
    let mut out = format!(
        "curl -sS -X POST {} \\\n  -H 'Content-Type: application/json' \\\n",
        shell_quote(url)
    );
    if let Some(token) = token {
        out.push_str(&format!(
            "  -H {} \\\n",
            shell_quote(&format!("Authorization: Bearer {token}"))
        ));
    }
    out.push_str(&format!("  --data-raw {}", shell_quote(body)));
    out
}

/// A Python script for the official SDK (`alibabacloud-emr-serverless-spark20230808` 2.3.0): credentials from
/// the standard `ALIBABA_CLOUD_*` variables, the region's endpoint unless `EMR_SERVERLESS_SPARK_ENDPOINT` names
/// another server (a URL such as `http://127.0.0.1:3000`).
pub fn python(region_id: &str, body: &Json) -> String {
    let mut args = vec![format!("    region_id={},", py_str(region_id))];
    if let Json::Obj(members) = body {
        for (key, value) in members {
            args.push(format!("    {}={},", snake(key), py_value(key, value)));
        }
    }
    format!(
        r#"# pip install alibabacloud-emr-serverless-spark20230808==2.3.0
import os
from urllib.parse import urlparse

from alibabacloud_emr_serverless_spark20230808 import models
from alibabacloud_emr_serverless_spark20230808.client import Client
from alibabacloud_tea_openapi.models import Config

config = Config(
    access_key_id=os.environ["ALIBABA_CLOUD_ACCESS_KEY_ID"],
    access_key_secret=os.environ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
    security_token=os.environ.get("ALIBABA_CLOUD_SECURITY_TOKEN"),
    endpoint={endpoint},
)
# Another server than Alibaba Cloud's, such as the console's emulator: EMR_SERVERLESS_SPARK_ENDPOINT=http://127.0.0.1:3000
if os.environ.get("EMR_SERVERLESS_SPARK_ENDPOINT"):
    url = urlparse(os.environ["EMR_SERVERLESS_SPARK_ENDPOINT"])
    config.endpoint, config.protocol = url.netloc, url.scheme or "https"

request = models.CreateWorkspaceRequest(
{args}
)
response = Client(config).create_workspace(request)
print(response.body.to_map())
"#,
        endpoint = py_str(&format!("emr-serverless-spark.{region_id}.aliyuncs.com")),
        args = args.join("\n"),
    )
}

/// A value of the body as Python: objects become the SDK's model classes (`resourceSpec` →
/// `models.CreateWorkspaceRequestResourceSpec`, each `tag` → `models.CreateWorkspaceRequestTag`).
fn py_value(key: &str, value: &Json) -> String {
    match value {
        Json::Str(s) => py_str(s),
        Json::Int(digits) => digits.clone(),
        Json::Bool(b) => if *b { "True" } else { "False" }.to_owned(),
        Json::Arr(items) => {
            let items: Vec<String> = items.iter().map(|v| py_value(key, v)).collect();
            format!("[{}]", items.join(", "))
        }
        Json::Obj(members) => {
            let args: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("{}={}", snake(k), py_value(k, v)))
                .collect();
            format!(
                "models.CreateWorkspaceRequest{}({})",
                pascal(key),
                args.join(", ")
            )
        }
    }
}

/// A Python string literal: a JSON string literal is one (the same escapes; the source is UTF-8).
fn py_str(s: &str) -> String {
    workspace_model::json::string_literal(s)
}

/// A shell word in single quotes (`'` written as `'\''`).
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// `autoStartSessionCluster` → `auto_start_session_cluster`: the SDK's argument names.
fn snake(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `resourceSpec` → `ResourceSpec`.
fn pascal(camel: &str) -> String {
    let mut chars = camel.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use workspace_model::{FieldKey as K, FormState, validate::body};

    use super::*;

    #[test]
    fn curl_quotes_what_the_shell_would_split() {
        let c = curl(
            "http://127.0.0.1:3000/api/v1/workspaces?regionId=cn-hangzhou",
            r#"{"a":"it's"}"#,
            None,
        );
        assert_eq!(
            c,
            "curl -sS -X POST 'http://127.0.0.1:3000/api/v1/workspaces?regionId=cn-hangzhou' \\\n  -H 'Content-Type: application/json' \\\n  --data-raw '{\"a\":\"it'\\''s\"}'"
        );
        assert!(curl("u", "{}", Some("t0k")).contains("-H 'Authorization: Bearer t0k'"));
    }

    #[test]
    fn python_names_the_sdks_arguments_and_classes() {
        let form = FormState::new()
            .with(K::WorkspaceName, "数据 \"etl\"\n")
            .with(K::Cu, "8")
            .with(K::Gpu, "2")
            .with(K::AutoStartSessionCluster, "true")
            .with(K::ClientToken, "tok")
            .with_rows(K::Tag, &[["env", "prod"], ["owner", ""]])
            .with_rows(K::GpuSpec, &[["ecs.gn7i-c8g1.2xlarge"]]);
        let py = python("cn-beijing", &body(&form));
        for line in [
            "    region_id=\"cn-beijing\",",
            "    auto_start_session_cluster=True,",
            "    client_token=\"tok\",",
            "    gpu_spec=[\"ecs.gn7i-c8g1.2xlarge\"],",
            "    resource_spec=models.CreateWorkspaceRequestResourceSpec(cu=\"8\", gpu=2),",
            "    tag=[models.CreateWorkspaceRequestTag(key=\"env\", value=\"prod\"), models.CreateWorkspaceRequestTag(key=\"owner\")],",
            "    workspace_name=\"数据 \\\"etl\\\"\\n\",",
            "    endpoint=\"emr-serverless-spark.cn-beijing.aliyuncs.com\",",
        ] {
            assert!(py.contains(line), "missing {line:?} in\n{py}");
        }
        assert!(
            !py.contains("duration"),
            "fields that do not apply are not sent"
        );
    }
}
