#!/usr/bin/env python3
"""Captures what the official Python SDK sends for CreateWorkspace, as golden fixtures for `tests/golden.rs`.

For each case below this script starts a local HTTP server that answers every request with HTTP 400 and an Alibaba
error body, points the real SDK (`alibabacloud-emr-serverless-spark20230808==2.3.0`) at it, calls
`create_workspace`, and records the exact request body bytes (`<case>.json`) and the raw query string
(`<case>.query`, no trailing newline).

    python3 capture.py          # (re)write the fixtures next to this script
    python3 capture.py --check  # compare against the fixtures; exit 1 on any difference (for CI)

The cases are the SDK inputs that match what the Rust form sends: optional values the form omits are left as
None here (an empty tag value is `value=None`, no tags is `tag=None` rather than `[]`, an unticked
autoStartSessionCluster is None, no GPU instance types is `gpu_spec=None`).
"""

import argparse
import http.server
import json
import os
import sys
import threading

from alibabacloud_emr_serverless_spark20230808 import models
from alibabacloud_emr_serverless_spark20230808.client import Client
from alibabacloud_tea_openapi.utils_models import Config

SDK = "alibabacloud-emr-serverless-spark20230808"
SDK_VERSION = "2.3.0"
HERE = os.path.dirname(os.path.abspath(__file__))

ERROR_BODY = json.dumps(
    {
        "RequestId": "00000000-0000-0000-0000-000000000000",
        "HostId": "127.0.0.1",
        "Code": "InvalidParameter",
        "Message": "golden capture: refused on purpose",
        "Recommend": "",
    }
).encode()

# name -> (regionId, CreateWorkspaceRequest keyword arguments). resource_spec is {cu, gpu}; tag is [(key, value)].
CASES = {
    "minimal_payg": (
        "cn-hangzhou",
        dict(
            workspace_name="spark-etl",
            resource_spec={"cu": "8"},
            oss_bucket="oss://my-bucket/",
            payment_type="PayAsYouGo",
            ram_role_name="AliyunEMRSparkJobRunDefaultRole",
            dlf_type="dlf1.0",
        ),
    ),
    "subscription_no_renew": (
        "cn-shanghai",
        dict(
            workspace_name="monthly_jobs",
            resource_spec={"cu": "100"},
            oss_bucket="oss://team-data-01/spark/",
            payment_type="Pre",
            payment_duration_unit="MONTH",
            duration="3",
            auto_renew="false",
            ram_role_name="AliyunEMRSparkJobRunDefaultRole",
            dlf_type="dlf1.0",
        ),
    ),
    "subscription_auto_renew": (
        "ap-southeast-1",
        dict(
            workspace_name="Prod-Renewing",
            resource_spec={"cu": "1000"},
            oss_bucket="oss://prod-bucket/",
            payment_type="Pre",
            payment_duration_unit="MONTH",
            duration="9",
            auto_renew="true",
            auto_renew_period="12",
            auto_renew_period_unit="MONTH",
            ram_role_name="AliyunEMRSparkJobRunDefaultRole",
            dlf_type="dlf2.0",
        ),
    ),
    "everything": (
        "cn-beijing",
        dict(
            workspace_name="数据湖_分析-01",
            resource_spec={"cu": "5000", "gpu": 4},
            gpu_spec=["ecs.gn7i-c8g1.2xlarge", "ecs.gn6v-c8g1.8xlarge"],
            oss_bucket="oss://lake-01/warehouse/spark/",
            dlf_type="dlf2.0",
            dlf_catalog_id="1234567890",
            payment_type="PayAsYouGo",
            ram_role_name="Custom.Spark-Role_1",
            resource_group_id="rg-acfmwpi66knkxny",
            tag=[("env", "prod"), ("owner", None), ("团队", "数据平台"), ("cost-center", "cc:42/a b")],
            release_type="pro",
            auto_start_session_cluster=True,
            client_token="0f8fad5b-d9cb-469f-a165-70867728950e",
        ),
    ),
    # JSON escaping: quotes, backslashes, control characters, DEL, U+2028, HTML-ish characters, non-BMP text.
    "escapes": (
        "us-west-1",
        dict(
            workspace_name="中文名",
            resource_spec={"cu": "1", "gpu": 0},
            oss_bucket="oss://abc/数据 仓库/a'b&c<d>/",
            dlf_catalog_id="cat/</script>&'x",
            payment_type="PayAsYouGo",
            ram_role_name="AliyunEMRSparkJobRunDefaultRole",
            dlf_type="dlf1.0",
            tag=[
                ('quote"back\\slash', "</script>&'\"\\ <!-- -->"),
                ("ls\u2028ps\u2029end", "emoji😀 é ñ"),
            ],
            client_token="~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./",
        ),
    ),
}


class Recorder(http.server.BaseHTTPRequestHandler):
    captured = []

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        Recorder.captured.append((self.command, self.path, body))
        self.send_response(400)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(ERROR_BODY)))
        self.end_headers()
        self.wfile.write(ERROR_BODY)

    do_POST = _answer
    do_GET = _answer
    do_PUT = _answer

    def log_message(self, *args):
        pass


def request_of(kwargs):
    kwargs = dict(kwargs)
    if kwargs.get("resource_spec") is not None:
        kwargs["resource_spec"] = models.CreateWorkspaceRequestResourceSpec(**kwargs["resource_spec"])
    if kwargs.get("tag") is not None:
        kwargs["tag"] = [models.CreateWorkspaceRequestTag(key=k, value=v) for k, v in kwargs["tag"]]
    return models.CreateWorkspaceRequest(**kwargs)


def capture(region, kwargs):
    """Returns (body bytes, raw query) of the single request the SDK sends for this input."""
    Recorder.captured = []
    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        client = Client(
            Config(
                endpoint=f"127.0.0.1:{port}",
                protocol="http",
                access_key_id="id",
                access_key_secret="secret",
            )
        )
        request = request_of(kwargs)
        request.region_id = region
        try:
            client.create_workspace(request)
        except Exception as e:  # the SDK raises ClientException for the 400
            if type(e).__name__ != "ClientException":
                raise
        else:
            raise SystemExit("the SDK did not raise for a 400 answer")
    finally:
        server.shutdown()
        server.server_close()
    if not Recorder.captured:
        raise SystemExit("the SDK sent nothing")
    method, path, body = Recorder.captured[0]
    for other in Recorder.captured[1:]:  # retries, if any, must be identical
        if other != Recorder.captured[0]:
            raise SystemExit("the SDK's retries differ")
    if method != "POST":
        raise SystemExit(f"expected POST, got {method}")
    pathname, _, query = path.partition("?")
    if pathname != "/api/v1/workspaces":
        raise SystemExit(f"unexpected path {pathname}")
    return body, query.encode()


def check_sdk_version():
    from importlib.metadata import version

    found = version(SDK)
    if found != SDK_VERSION:
        raise SystemExit(f"{SDK} {found} is installed; the fixtures are for {SDK_VERSION}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the existing fixtures instead of writing")
    args = parser.parse_args()
    check_sdk_version()
    failed = False
    for name, (region, kwargs) in CASES.items():
        body, query = capture(region, kwargs)
        for ext, data in ((".json", body), (".query", query)):
            path = os.path.join(HERE, name + ext)
            if args.check:
                try:
                    with open(path, "rb") as f:
                        existing = f.read()
                except FileNotFoundError:
                    existing = None
                if existing != data:
                    failed = True
                    print(f"DIFFERS {name}{ext}\n  fixture: {existing!r}\n  sdk:     {data!r}", file=sys.stderr)
                else:
                    print(f"ok {name}{ext}")
            else:
                with open(path, "wb") as f:
                    f.write(data)
                print(f"wrote {name}{ext} ({len(data)} bytes)")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
