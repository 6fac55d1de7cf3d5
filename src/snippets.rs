//! The request as code a person can run: curl against this page's API, Python with the official SDK, Node.js on
//! Alibaba's OpenAPI core, and a ROS template for infrastructure as code.
//!
//! All four are built from the body the form sends ([`workspace_model::validate::body`]), so they carry exactly the
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

/// What the Node.js snippet imports, pinned; the first line of the snippet installs exactly these.
pub const NODE_INSTALL: &str =
    "npm install @alicloud/openapi-core@1.0.8 @darabonba/typescript@1.0.5";

/// A Node.js ES module (`node create-workspace.mjs`, no build step) on Alibaba's OpenAPI core: CreateWorkspace
/// through the generic `callApi` with its ROA parameters, because the product package is not on every registry.
/// Credentials and `EMR_SERVERLESS_SPARK_ENDPOINT` as in the Python snippet.
pub fn node(region_id: &str, body: &Json) -> String {
    format!(
        r#"// {NODE_INSTALL}
// (or, where npm serves it: @alicloud/emr-serverless-spark20230808, the product's own client)
import OpenApi from "@alicloud/openapi-core";
import * as $dara from "@darabonba/typescript";

// A CommonJS package: its named exports are members of the default import.
const {{ default: Client, $OpenApiUtil }} = OpenApi;
const env = process.env;
const config = new $OpenApiUtil.Config({{
  accessKeyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID,
  accessKeySecret: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
  securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN,
  endpoint: {endpoint},
}});
// Another server than Alibaba Cloud's, such as the console's emulator: EMR_SERVERLESS_SPARK_ENDPOINT=http://127.0.0.1:3000
if (env.EMR_SERVERLESS_SPARK_ENDPOINT) {{
  const url = new URL(env.EMR_SERVERLESS_SPARK_ENDPOINT);
  config.endpoint = url.host;
  config.protocol = url.protocol.slice(0, -1);
}}
const params = new $OpenApiUtil.Params({{
  action: "CreateWorkspace", version: "2023-08-08", protocol: "HTTPS", method: "POST",
  pathname: "/api/v1/workspaces", authType: "AK", style: "ROA", bodyType: "json", reqBodyType: "json",
}});
const request = new $OpenApiUtil.OpenApiRequest({{
  query: {{ regionId: {region} }},
  body: {body},
}});
const response = await new Client(config).callApi(params, request, new $dara.RuntimeOptions({{}}));
console.log(JSON.stringify(response.body));
"#,
        endpoint = py_str(&format!("emr-serverless-spark.{region_id}.aliyuncs.com")),
        region = py_str(region_id),
        body = body.to_json(),
    )
}

/// A ROS template (YAML, or JSON when `!yaml`) with one `ALIYUN::EMR::SparkWorkspace` made of the body's values.
/// ROS names each property as the API does, capitalised (ros-cdk-emr 1.15.0, `RosSparkWorkspaceProps`); it has
/// no region (the stack's) and no client token (a stack is its own idempotency).
pub fn ros(region_id: &str, mut properties: Json, yaml: bool) -> String {
    if let Json::Obj(members) = &mut properties {
        members.retain(|(k, _)| *k != "clientToken");
        for (key, value) in members.iter_mut() {
            match (*key, &*value) {
                // ROS types AutoRenew as a Boolean (RosSparkWorkspacePropsValidator: validateBoolean); the API's
                // body carries the string "true".
                ("autoRenew", Json::Str(s)) => *value = Json::Bool(s == "true"),
                // ROS's name for the API's "Pre": its allowed values list both (ros-cdk-emr 1.15.0,
                // lib/emr.generated.js, RosSparkWorkspacePropsValidator, paymentType).
                ("paymentType", Json::Str(s)) if s == "Pre" => {
                    *value = Json::Str("Subscription".into())
                }
                _ => {}
            }
        }
    }
    let s = |s: &str| Json::Str(s.to_owned());
    let template = Json::Obj(vec![
        ("ROSTemplateFormatVersion", s("2015-09-01")),
        (
            "Description",
            s(&format!(
                "EMR Serverless Spark workspace. ROS creates it in the stack's region: create this stack in {region_id}."
            )),
        ),
        (
            "Resources",
            Json::Obj(vec![(
                "Workspace",
                Json::Obj(vec![
                    ("Type", s("ALIYUN::EMR::SparkWorkspace")),
                    ("Properties", properties),
                ]),
            )]),
        ),
        (
            "Outputs",
            Json::Obj(vec![(
                "WorkspaceId",
                Json::Obj(vec![(
                    "Value",
                    Json::Obj(vec![(
                        "Fn::GetAtt",
                        Json::Arr(vec![s("Workspace"), s("WorkspaceId")]),
                    )]),
                )]),
            )]),
        ),
    ]);
    let mut out = String::new();
    if yaml {
        if let Json::Obj(members) = &template {
            yaml_members(members, 0, &mut out);
        }
    } else {
        pretty(&template, 0, &mut out);
    }
    out
}

/// A property's ROS name: the API's, capitalised, except `tag`, which ROS calls `Tags` (ros-cdk-emr 1.15.0,
/// `RosSparkWorkspaceProps.tags`, each `{Key, Value}`). Template keys are capitalised already.
fn ros_key(key: &str) -> String {
    if key == "tag" {
        "Tags".to_owned()
    } else {
        pascal(key)
    }
}

/// YAML block mappings; every scalar as its JSON literal, which YAML reads the same (double-quoted strings).
/// Indents by `repeat` rather than `{:width$}`, whose padding code costs the page bytes.
fn yaml_members(members: &[(&str, Json)], indent: usize, out: &mut String) {
    for (key, value) in members {
        out.push_str(&" ".repeat(indent));
        out.push_str(&ros_key(key));
        out.push(':');
        match value {
            Json::Obj(members) => {
                out.push('\n');
                yaml_members(members, indent + 2, out);
            }
            Json::Arr(items) => {
                out.push('\n');
                for item in items {
                    // Each item written at the depth of its members, then its first indent turned into "- ".
                    let mut text = " ".repeat(indent + 4);
                    match item {
                        Json::Obj(members) => {
                            text.clear();
                            yaml_members(members, indent + 4, &mut text);
                        }
                        _ => {
                            text.push_str(&item.to_json());
                            text.push('\n');
                        }
                    }
                    out.push_str(&" ".repeat(indent + 2));
                    out.push_str("- ");
                    out.push_str(&text[indent + 4..]);
                }
            }
            _ => {
                out.push(' ');
                out.push_str(&value.to_json());
                out.push('\n');
            }
        }
    }
}

/// JSON indented by two spaces, keys as ROS names them.
fn pretty(value: &Json, indent: usize, out: &mut String) {
    let (open, close, items): (char, char, Vec<(Option<&str>, &Json)>) = match value {
        Json::Obj(m) => ('{', '}', m.iter().map(|(k, v)| (Some(*k), v)).collect()),
        Json::Arr(a) => ('[', ']', a.iter().map(|v| (None, v)).collect()),
        _ => return out.push_str(&value.to_json()),
    };
    out.push(open);
    for (i, (key, item)) in items.iter().enumerate() {
        out.push_str(if i > 0 { ",\n" } else { "\n" });
        out.push_str(&" ".repeat(indent + 2));
        if let Some(key) = key {
            out.push_str(&py_str(&ros_key(key)));
            out.push_str(": ");
        }
        pretty(item, indent + 2, out);
    }
    out.push('\n');
    out.push_str(&" ".repeat(indent));
    out.push(close);
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

    #[test]
    fn node_calls_create_workspace_through_the_openapi_core() {
        let form = FormState::new()
            .with(K::WorkspaceName, "etl")
            .with(K::Cu, "8")
            .with(K::ClientToken, "tok");
        let js = node("cn-shanghai", &body(&form));
        assert!(js.starts_with(&format!("// {NODE_INSTALL}\n")));
        for part in [
            "query: { regionId: \"cn-shanghai\" },",
            "\"clientToken\":\"tok\"",
            "action: \"CreateWorkspace\", version: \"2023-08-08\"",
            "endpoint: \"emr-serverless-spark.cn-shanghai.aliyuncs.com\",",
        ] {
            assert!(js.contains(part), "missing {part:?} in\n{js}");
        }
    }

    /// The three forms `scripts/ros-check.py` has the ROS CDK synthesize: their templates, written to
    /// target/ros-cases for it (./dev test runs both).
    #[test]
    fn ros_templates() {
        let role = K::RamRoleName.field().default;
        let base = |name: &str, cu: &str, oss: &str| {
            FormState::new()
                .with(K::WorkspaceName, name)
                .with(K::Cu, cu)
                .with(K::OssBucket, oss)
                .with(K::RamRoleName, role)
                .with(K::ClientToken, "never-in-ros")
        };
        let cases = [
            ("payg-minimal", base("etl-min", "8", "oss://lake-01/")),
            (
                "subscription-tags",
                base("etl-pre", "16", "oss://lake-01/warehouse/")
                    .with(K::PaymentType, "Pre")
                    .with(K::Duration, "3")
                    .with(K::AutoRenew, "true")
                    .with(K::AutoRenewPeriod, "1")
                    .with_rows(K::Tag, &[["env", "prod"], ["owner", ""]]),
            ),
            (
                "gpu-dlf-catalog",
                base("gpu-lake", "32", "oss://lake-01/")
                    .with(K::Gpu, "2")
                    .with_rows(K::GpuSpec, &[["ecs.gn7i-c8g1.2xlarge"]])
                    .with(K::DlfType, "dlf2.0")
                    .with(K::DlfCatalogId, "clg-paimon-demo0001")
                    .with(K::ResourceGroupId, "rg-acfm2abc")
                    .with(K::ReleaseType, "pro")
                    .with(K::AutoStartSessionCluster, "true"),
            ),
        ];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ros-cases");
        std::fs::create_dir_all(&dir).unwrap();
        for (name, form) in cases {
            let body = body(&form);
            let (json, yaml) = (
                ros("cn-beijing", body.clone(), false),
                ros("cn-beijing", body, true),
            );
            for text in [&json, &yaml] {
                assert!(!text.to_lowercase().contains("token"), "{text}");
                assert!(text.contains("create this stack in cn-beijing"), "{text}");
            }
            std::fs::write(dir.join(format!("{name}.json")), json).unwrap();
            std::fs::write(dir.join(format!("{name}.yaml")), yaml).unwrap();
        }
    }
}
