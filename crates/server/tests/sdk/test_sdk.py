#!/usr/bin/env python3
"""The emulator driven by Alibaba's official Python SDK, as a real client would drive the real service.

Run against a running emulator:

    workspace-server --startup-delay 1.5 --listen 127.0.0.1:3000 &
    WORKSPACE_ENDPOINT=127.0.0.1:3000 WORKSPACE_STARTUP_DELAY=1.5 python3 crates/server/tests/sdk/test_sdk.py -v

`cargo test -p workspace-server --test server sdk::` starts an emulator in-process and runs this script.

Environment:
    WORKSPACE_ENDPOINT       host:port of the emulator (required)
    WORKSPACE_STARTUP_DELAY  the emulator's --startup-delay in seconds; without it the Starting → Running test is
                             skipped, since it cannot know how long Starting lasts
    WORKSPACE_ACCESS_KEY_ID, WORKSPACE_ACCESS_KEY_SECRET
                             the AccessKey the SDK signs with (default testid/testsecret, which an emulator without
                             --verify-key does not check)
    WORKSPACE_VERIFIES_SIGNATURES
                             set to 1 when the emulator runs with --verify-key ID:SECRET for that key: adds the tests
                             that a wrong secret, an unknown key or a replayed nonce is refused

Against a verifying emulator:

    workspace-server --verify-key testid:testsecret --listen 127.0.0.1:3000 &
    WORKSPACE_ENDPOINT=127.0.0.1:3000 WORKSPACE_VERIFIES_SIGNATURES=1 python3 crates/server/tests/sdk/test_sdk.py -v

Needs `pip install alibabacloud-emr-serverless-spark20230808==2.3.0`; exits 2 without it. Standard library
unittest only; exits non-zero when a test fails.
"""

import os
import re
import sys
import threading
import time
import unittest
import uuid

SDK_HINT = "pip install alibabacloud-emr-serverless-spark20230808==2.3.0"

try:
    from alibabacloud_emr_serverless_spark20230808 import models
    from alibabacloud_emr_serverless_spark20230808.client import Client
    from alibabacloud_tea_openapi.exceptions import ClientException
    from alibabacloud_tea_openapi.models import Config
except ImportError as e:  # pragma: no cover - environment check
    print(
        f"The official Alibaba Cloud SDK is not importable ({e}).\nInstall it for this interpreter "
        f"({sys.executable}):\n    {SDK_HINT}",
        file=sys.stderr,
    )
    sys.exit(2)

ENDPOINT = os.environ.get("WORKSPACE_ENDPOINT", "").strip()
STARTUP_DELAY = os.environ.get("WORKSPACE_STARTUP_DELAY", "").strip()
ACCESS_KEY_ID = os.environ.get("WORKSPACE_ACCESS_KEY_ID", "").strip() or "testid"
ACCESS_KEY_SECRET = os.environ.get("WORKSPACE_ACCESS_KEY_SECRET", "").strip() or "testsecret"
VERIFIES_SIGNATURES = os.environ.get("WORKSPACE_VERIFIES_SIGNATURES", "").strip() == "1"

# The SDK's transport (darabonba) hands HTTP_PROXY/HTTPS_PROXY from the environment straight to requests'
# Session.send, which does not consult NO_PROXY: with a proxy configured, even 127.0.0.1 would go through it.
# The emulator is always local, so a proxy is never wanted here.
for _name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"):
    os.environ.pop(_name, None)

REGION = "cn-hangzhou"
ROLE = "AliyunEMRSparkJobRunDefaultRole"

WORKSPACE_ID = re.compile(r"^w-[0-9a-f]{16}$")
OPERATION_ID = re.compile(r"^op-[0-9a-f]{16}$")
REQUEST_ID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")


def client(access_key_id=None, access_key_secret=None, security_token=None):
    """A new SDK client for the emulator, signing with the configured AccessKey unless told otherwise (an emulator
    without --verify-key does not check the signature)."""
    return Client(
        Config(
            endpoint=ENDPOINT,
            protocol="http",
            access_key_id=access_key_id or ACCESS_KEY_ID,
            access_key_secret=access_key_secret or ACCESS_KEY_SECRET,
            security_token=security_token,
        )
    )


def unique(prefix):
    """A workspace name nobody else uses: prefix + 12 hex digits (names allow letters, digits, CJK, _ and -)."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def token():
    return f"sdk-{uuid.uuid4()}"


def create_request(**overrides):
    """A valid pay-as-you-go request with a unique name; keyword arguments replace fields."""
    fields = dict(
        region_id=REGION,
        workspace_name=unique("sdk"),
        resource_spec=models.CreateWorkspaceRequestResourceSpec(cu="8"),
        oss_bucket="oss://sdk-test-bucket/",
        payment_type="PayAsYouGo",
        ram_role_name=ROLE,
    )
    fields.update(overrides)
    return models.CreateWorkspaceRequest(**fields)


class SdkTestCase(unittest.TestCase):
    def setUp(self):
        self.sdk = client()

    def get(self, workspace_id, region=REGION):
        return self.sdk.get_workspace(workspace_id, models.GetWorkspaceRequest(region_id=region))

    def list_by_name(self, name, **kwargs):
        return self.sdk.list_workspaces(models.ListWorkspacesRequest(region_id=REGION, name=name, **kwargs))

    def assert_request_id(self, value):
        self.assertIsInstance(value, str)
        self.assertRegex(value, REQUEST_ID)

    def assert_client_error(self, call, code, status=400, field=None):
        """`call()` raises the SDK's ClientException carrying our Code, HTTP status and request id."""
        with self.assertRaises(ClientException) as caught:
            call()
        e = caught.exception
        self.assertEqual(e.code, code, e.message)
        self.assertEqual(e.status_code, status, e.message)
        self.assert_request_id(e.request_id)
        # The SDK keeps the whole error body in `data` and builds `message` from Message and RequestId.
        self.assertEqual(e.data.get("Code"), code)
        self.assertEqual(e.data.get("RequestId"), e.request_id)
        self.assertIn(f"code: {status}, ", e.message)
        self.assertIn(e.request_id, e.message)
        self.assertIn(code, e.data.get("Recommend", ""))
        if field is not None:
            self.assertTrue(e.data.get("Message", "").startswith(f"{field}:"), e.data)
        return e


class CreateTests(SdkTestCase):
    def test_create_answers_ids_the_sdk_parses(self):
        resp = self.sdk.create_workspace(create_request())
        self.assertEqual(resp.status_code, 200)
        self.assertTrue(resp.headers.get("content-type", "").startswith("application/json"), resp.headers)
        self.assertRegex(resp.body.workspace_id, WORKSPACE_ID)
        self.assertRegex(resp.body.operation_id, OPERATION_ID)
        self.assert_request_id(resp.body.request_id)
        # Nothing else in the body: the SDK's model round-trips exactly the three ids.
        self.assertEqual(
            set(resp.body.to_map()), {"workspaceId", "operationId", "requestId"}
        )

    def test_without_a_token_each_create_is_a_new_workspace(self):
        name = unique("twice")
        a = self.sdk.create_workspace(create_request(workspace_name=name))
        b = self.sdk.create_workspace(create_request(workspace_name=name))
        self.assertNotEqual(a.body.workspace_id, b.body.workspace_id)
        self.assertNotEqual(a.body.operation_id, b.body.operation_id)
        self.assertEqual(self.list_by_name(name).body.total_count, 2)

    def test_subscription_with_auto_renew(self):
        resp = self.sdk.create_workspace(
            create_request(
                payment_type="Pre",
                payment_duration_unit="MONTH",
                duration="3",
                auto_renew="true",
                auto_renew_period="12",
                auto_renew_period_unit="MONTH",
                client_token=token(),
            )
        )
        self.assertEqual(resp.status_code, 200)
        w = self.get(resp.body.workspace_id).body.workspace
        self.assertEqual(w.payment_type, "Pre")
        self.assertEqual(w.payment_duration_unit, "MONTH")
        # The request sends strings; the workspace answers with typed values, which the SDK keeps as they come.
        self.assertEqual(w.duration, 3)
        self.assertIs(w.auto_renew, True)
        self.assertEqual(w.auto_renew_period, 12)
        self.assertEqual(w.auto_renew_period_unit, "MONTH")

    def test_subscription_without_auto_renew(self):
        resp = self.sdk.create_workspace(
            create_request(payment_type="Pre", payment_duration_unit="MONTH", duration="1", auto_renew="false")
        )
        w = self.get(resp.body.workspace_id).body.workspace
        self.assertEqual(w.payment_type, "Pre")
        self.assertIs(w.auto_renew, False)
        self.assertIsNone(w.auto_renew_period)

    def test_tags_gpu_and_cjk_name(self):
        name = f"数据湖_{uuid.uuid4().hex[:10]}-测试"
        resp = self.sdk.create_workspace(
            create_request(
                workspace_name=name,
                resource_spec=models.CreateWorkspaceRequestResourceSpec(cu="16", gpu=2),
                gpu_spec=["ecs.gn7i-c8g1.2xlarge", "ecs.gn7i-c16g1.4xlarge"],
                oss_bucket="oss://sdk-test-bucket/warehouse/",
                tag=[
                    models.CreateWorkspaceRequestTag(key="env", value="dev"),
                    models.CreateWorkspaceRequestTag(key="团队", value="数据平台"),
                    models.CreateWorkspaceRequestTag(key="no-value"),
                ],
                dlf_type="dlf2.0",
                dlf_catalog_id="123456",
                release_type="pro",
                resource_group_id="rg-acfmwpi66knkxny",
                auto_start_session_cluster=True,
            )
        )
        self.assertEqual(resp.status_code, 200)
        self.assertRegex(resp.body.workspace_id, WORKSPACE_ID)
        w = self.get(resp.body.workspace_id).body.workspace
        self.assertEqual(w.workspace_name, name)
        self.assertEqual(w.resource_spec, "16cu")
        self.assertEqual(w.gpu_spec, ["ecs.gn7i-c8g1.2xlarge", "ecs.gn7i-c16g1.4xlarge"])
        self.assertEqual(w.storage, "oss://sdk-test-bucket/warehouse/")
        self.assertEqual(w.dlf_type, "dlf2.0")
        self.assertEqual(w.dlf_catalog_id, "123456")
        self.assertEqual(w.release_type, "pro")
        self.assertEqual(w.resource_group_id, "rg-acfmwpi66knkxny")
        self.assertEqual(
            [(t.tag_key, t.tag_value) for t in w.tags],
            [("env", "dev"), ("团队", "数据平台"), ("no-value", "")],
        )
        # The CJK name is found by the list filter too (the SDK percent-encodes it in the query string).
        listed = self.list_by_name(name).body
        self.assertEqual([x.workspace_id for x in listed.workspaces], [resp.body.workspace_id])

    def test_invalid_creates_raise_client_exception(self):
        cases = [
            ("bad name", create_request(workspace_name="a b"), "InvalidParameter.workspaceName"),
            ("empty name", create_request(workspace_name=""), "MissingParameter.workspaceName"),
            ("no region", create_request(region_id=None), "MissingParameter.regionId"),
            ("unknown region", create_request(region_id="mars-1"), "InvalidParameter.regionId"),
            (
                "zero cu",
                create_request(resource_spec=models.CreateWorkspaceRequestResourceSpec(cu="0")),
                "InvalidParameter.resourceSpec.cu",
            ),
            (
                "no cu",
                create_request(resource_spec=models.CreateWorkspaceRequestResourceSpec()),
                "MissingParameter.resourceSpec.cu",
            ),
            ("s3 bucket", create_request(oss_bucket="s3://bucket/"), "InvalidParameter.ossBucket"),
            ("free", create_request(payment_type="Free"), "InvalidParameter.paymentType"),
            (
                "subscription without autoRenew",
                create_request(payment_type="Pre", payment_duration_unit="MONTH", duration="1"),
                "MissingParameter.autoRenew",
            ),
            (
                "reserved tag key",
                create_request(tag=[models.CreateWorkspaceRequestTag(key="aliyun-x", value="1")]),
                "InvalidParameter.tag[0].key",
            ),
            ("non-ASCII token", create_request(client_token="é"), "InvalidParameter.clientToken"),
            ("six-month subscription unit", create_request(payment_type="Pre", payment_duration_unit="YEAR", duration="1", auto_renew="false"), "InvalidParameter.paymentDurationUnit"),
            ("ten months", create_request(payment_type="Pre", payment_duration_unit="MONTH", duration="10", auto_renew="false"), "InvalidParameter.duration"),
        ]
        for label, request, code in cases:
            with self.subTest(label, code=code):
                field = code.split(".", 1)[1]
                self.assert_client_error(lambda: self.sdk.create_workspace(request), code, 400, field)
                # A refused request creates nothing.
                if request.workspace_name and request.region_id == REGION:
                    self.assertEqual(self.list_by_name(request.workspace_name).body.total_count, 0)


class GetAndListTests(SdkTestCase):
    def test_get_returns_what_was_sent(self):
        name = unique("get")
        before_ms = int(time.time() * 1000)
        created = self.sdk.create_workspace(
            create_request(
                workspace_name=name,
                resource_spec=models.CreateWorkspaceRequestResourceSpec(cu="32"),
                tag=[models.CreateWorkspaceRequestTag(key="env", value="prod")],
            )
        ).body
        resp = self.get(created.workspace_id)
        self.assertEqual(resp.status_code, 200)
        self.assert_request_id(resp.body.request_id)
        self.assertNotEqual(resp.body.request_id, created.request_id)
        w = resp.body.workspace
        self.assertEqual(w.workspace_id, created.workspace_id)
        self.assertEqual(w.workspace_name, name)
        self.assertIn(w.workspace_status, ("STARTING", "RUNNING"))
        self.assertEqual(w.region_id, REGION)
        self.assertEqual(w.resource_spec, "32cu")
        self.assertEqual(w.storage, "oss://sdk-test-bucket/")
        self.assertEqual(w.payment_type, "PayAsYouGo")
        self.assertEqual(w.ram_role_name, ROLE)
        self.assertEqual([(t.tag_key, t.tag_value) for t in w.tags], [("env", "prod")])
        self.assertIsNotNone(w.state_change_reason)
        self.assertIsInstance(w.create_time, int)
        self.assertGreaterEqual(w.create_time, before_ms - 5_000)
        self.assertLessEqual(w.create_time, int(time.time() * 1000) + 5_000)

    def test_get_errors(self):
        created = self.sdk.create_workspace(create_request()).body
        self.assert_client_error(lambda: self.get("w-0000000000000000"), "WorkspaceNotFound", 404, "workspaceId")
        # A workspace lives in one region only.
        self.assert_client_error(
            lambda: self.get(created.workspace_id, region="cn-beijing"), "WorkspaceNotFound", 404
        )
        self.assert_client_error(
            lambda: self.get(created.workspace_id, region=None), "MissingParameter.regionId", 400, "regionId"
        )
        # The SDK percent-encodes the id into the path; odd ids come back intact in the message.
        e = self.assert_client_error(lambda: self.get("w-中/../x y"), "WorkspaceNotFound", 404)
        self.assertIn("w-中/../x y", e.data["Message"])

    def test_list_finds_by_name_and_pages(self):
        prefix = unique("page")
        ids = [
            self.sdk.create_workspace(create_request(workspace_name=f"{prefix}-{i}")).body.workspace_id
            for i in range(3)
        ]
        everything = self.list_by_name(prefix)
        self.assertEqual(everything.status_code, 200)
        body = everything.body
        self.assert_request_id(body.request_id)
        self.assertEqual(body.total_count, 3)
        self.assertEqual(body.max_results, 20)
        self.assertIsNone(body.next_token)
        self.assertEqual([w.workspace_id for w in body.workspaces], ids[::-1], "newest first")
        # The filter is a case-insensitive substring match.
        self.assertEqual(self.list_by_name(prefix.upper()[2:]).body.total_count, 3)

        seen = []
        next_token = None
        pages = 0
        while True:
            page = self.list_by_name(prefix, max_results=2, next_token=next_token).body
            pages += 1
            self.assertEqual(page.max_results, 2)
            self.assertEqual(page.total_count, 3)
            self.assertLessEqual(len(page.workspaces), 2)
            seen += [w.workspace_id for w in page.workspaces]
            next_token = page.next_token
            if next_token is None:
                break
            self.assertLess(pages, 5, "paging does not end")
        self.assertEqual(pages, 2)
        self.assertEqual(seen, ids[::-1])

    def test_list_filters_by_tag_and_region(self):
        value = uuid.uuid4().hex
        created = self.sdk.create_workspace(
            create_request(tag=[models.CreateWorkspaceRequestTag(key="sdk-run", value=value)])
        ).body
        # The SDK sends the tag filter as a JSON array in the `tag` query parameter.
        tagged = self.sdk.list_workspaces(
            models.ListWorkspacesRequest(
                region_id=REGION, tag=[models.ListWorkspacesRequestTag(key="sdk-run", value=value)]
            )
        ).body
        self.assertEqual([w.workspace_id for w in tagged.workspaces], [created.workspace_id])
        self.assertEqual(tagged.workspaces[0].tags[0].tag_value, value)
        # A request built with from_map() carries tag=[] (the SDK's to_map always emits the list): no filter.
        request = models.ListWorkspacesRequest().from_map({"regionId": REGION, "maxResults": 100})
        self.assertEqual(request.tag, [])
        self.assertGreaterEqual(self.sdk.list_workspaces(request).body.total_count, 1)
        # Another region does not list it.
        other = self.sdk.list_workspaces(
            models.ListWorkspacesRequest(
                region_id="cn-beijing", tag=[models.ListWorkspacesRequestTag(key="sdk-run", value=value)]
            )
        ).body
        self.assertEqual(other.total_count, 0)
        self.assertEqual(other.workspaces, [])

    def test_list_errors(self):
        self.assert_client_error(
            lambda: self.sdk.list_workspaces(models.ListWorkspacesRequest(region_id=REGION, max_results=0)),
            "InvalidParameter.maxResults",
        )
        self.assert_client_error(
            lambda: self.sdk.list_workspaces(models.ListWorkspacesRequest(region_id=REGION, next_token="x")),
            "InvalidParameter.nextToken",
        )
        self.assert_client_error(
            lambda: self.sdk.list_workspaces(models.ListWorkspacesRequest()), "MissingParameter.regionId"
        )

    def test_an_operation_the_emulator_lacks_is_not_found(self):
        self.assert_client_error(
            lambda: self.sdk.list_session_clusters(
                "w-0000000000000000", models.ListSessionClustersRequest(region_id=REGION)
            ),
            "InvalidApi.NotFound",
            404,
        )


# Members of the workspace models in SDK 2.3.0 (models/_get_workspace_response_body.py and
# models/_list_workspaces_response_body.py), as to_map() names them.
GET_MEMBERS = {
    "autoRenew", "autoRenewPeriod", "autoRenewPeriodUnit", "createTime", "dlfCatalogId", "dlfType", "duration",
    "endTime", "gpuSpec", "ipWhiteList", "paymentDurationUnit", "paymentStatus", "paymentType", "prePaidQuota",
    "prePaidQuotaGpu", "ramRoleName", "regionId", "releaseType", "resourceGroupId", "resourceOwnerId",
    "resourceSpec", "stateChangeReason", "storage", "tags", "workspaceId", "workspaceName", "workspaceStatus",
}
LIST_MEMBERS = GET_MEMBERS - {"ramRoleName", "resourceOwnerId"}


def subscription(**overrides):
    fields = dict(
        payment_type="Pre",
        payment_duration_unit="MONTH",
        duration="3",
        auto_renew="true",
        auto_renew_period="2",
        auto_renew_period_unit="MONTH",
        resource_spec=models.CreateWorkspaceRequestResourceSpec(cu="8", gpu=1),
        gpu_spec=["ecs.gn7i-c8g1.2xlarge"],
        dlf_catalog_id="cat-1",
        release_type="pro",
        resource_group_id="rg-abc123",
        tag=[models.CreateWorkspaceRequestTag(key="env", value="dev")],
    )
    fields.update(overrides)
    return create_request(**fields)


class LenientTests(SdkTestCase):
    """What Alibaba's own pages show, and what the real API takes, in the SDK's hands: its models do not check
    types, so a caller can send numbers and booleans where the SDK's own types are strings."""

    def test_what_alibabas_pages_show_is_accepted(self):
        spec = models.CreateWorkspaceRequestResourceSpec
        cases = [
            ("cu as a number", create_request(resource_spec=spec(cu=8))),
            ("autoRenew as a boolean", subscription(auto_renew=True)),
            ("unit month in lower case", subscription(payment_duration_unit="month", auto_renew_period_unit="month")),
            ("autoRenewPeriod 100", subscription(auto_renew_period="100")),
            ("dlfType 1.0", create_request(dlf_type="1.0")),
            ("no paymentType", create_request(payment_type=None)),
            ("no ramRoleName", create_request(ram_role_name=None)),
            ("duration and period as numbers", subscription(duration=3, auto_renew_period=12)),
            ("oss://bucket without the slash", create_request(oss_bucket="oss://sdk-test-bucket")),
            ("CU above the default quota", create_request(resource_spec=spec(cu="6000"))),
            ("GPU types without a GPU quota", create_request(gpu_spec=["ecs.gn7i-c8g1.2xlarge"])),
            ("an unknown resource group form", create_request(resource_group_id="group")),
        ]
        for label, request in cases:
            with self.subTest(label):
                resp = self.sdk.create_workspace(request)
                self.assertEqual(resp.status_code, 200)
                self.assertRegex(resp.body.workspace_id, WORKSPACE_ID)
        w = self.get(self.sdk.create_workspace(create_request(payment_type=None, ram_role_name=None)).body.workspace_id)
        self.assertEqual(w.body.workspace.payment_type, "PayAsYouGo")
        self.assertEqual(w.body.workspace.ram_role_name, ROLE)
        unit = self.get(self.sdk.create_workspace(subscription(payment_duration_unit="month")).body.workspace_id)
        self.assertEqual(unit.body.workspace.payment_duration_unit, "MONTH")

    def test_get_reports_every_member_the_sdk_models(self):
        created = self.sdk.create_workspace(subscription()).body
        w = self.get(created.workspace_id).body.workspace
        self.assertEqual(set(w.to_map()), GET_MEMBERS)
        self.assertIsInstance(w.create_time, int)
        self.assertIsInstance(w.end_time, int)
        self.assertGreater(w.end_time, w.create_time)
        self.assertIs(w.auto_renew, True)
        self.assertEqual((w.duration, w.auto_renew_period), (3, 2))
        self.assertIsInstance(w.resource_owner_id, str)
        self.assertEqual(w.ip_white_list, [])
        self.assertEqual(w.dlf_catalog_id, "cat-1")
        self.assertEqual(w.gpu_spec, ["ecs.gn7i-c8g1.2xlarge"])
        # Nested models parse into the SDK's own classes.
        self.assertIsInstance(w.pre_paid_quota, models.GetWorkspaceResponseBodyWorkspacePrePaidQuota)
        self.assertIs(w.pre_paid_quota.auto_renewal, True)
        self.assertIn('"cu":"8"', w.pre_paid_quota.max_resource)
        self.assertIsInstance(w.pre_paid_quota_gpu[0], models.GetWorkspaceResponseBodyWorkspacePrePaidQuotaGpu)
        self.assertEqual(w.pre_paid_quota_gpu[0].gpu_num, 1)
        self.assertIsInstance(w.state_change_reason, models.GetWorkspaceResponseBodyWorkspaceStateChangeReason)
        self.assertIsInstance(w.tags[0], models.GetWorkspaceResponseBodyWorkspaceTags)

    def test_list_reports_every_member_the_sdk_models(self):
        created = self.sdk.create_workspace(subscription(workspace_name=unique("listed"))).body
        name = self.get(created.workspace_id).body.workspace.workspace_name
        listed = self.list_by_name(name).body.workspaces[0]
        self.assertTrue(LIST_MEMBERS <= set(listed.to_map()), set(listed.to_map()) ^ LIST_MEMBERS)
        self.assertIsInstance(listed.pre_paid_quota, models.ListWorkspacesResponseBodyWorkspacesPrePaidQuota)
        self.assertIsInstance(listed.end_time, int)
        self.assertEqual(listed.workspace_status in ("STARTING", "RUNNING"), True)


class IdempotencyTests(SdkTestCase):
    def test_same_token_same_request_returns_the_same_workspace(self):
        request = create_request(client_token=token())
        first = self.sdk.create_workspace(request).body
        second = self.sdk.create_workspace(request).body
        self.assertEqual(second.workspace_id, first.workspace_id)
        self.assertEqual(second.operation_id, first.operation_id)
        self.assertNotEqual(second.request_id, first.request_id)
        self.assert_request_id(second.request_id)
        # An equal request built separately (another client, same field values) is the same request too.
        again = client().create_workspace(
            create_request(workspace_name=request.workspace_name, client_token=request.client_token)
        ).body
        self.assertEqual(again.workspace_id, first.workspace_id)
        self.assertEqual(self.list_by_name(request.workspace_name).body.total_count, 1)

    def test_same_token_different_body_is_refused(self):
        request = create_request(client_token=token())
        first = self.sdk.create_workspace(request).body
        changed = create_request(workspace_name=unique("other"), client_token=request.client_token)
        self.assert_client_error(
            lambda: self.sdk.create_workspace(changed), "IdempotentParameterMismatch", 400, "clientToken"
        )
        self.assert_client_error(
            lambda: self.sdk.create_workspace(
                create_request(
                    workspace_name=request.workspace_name,
                    client_token=request.client_token,
                    resource_spec=models.CreateWorkspaceRequestResourceSpec(cu="9"),
                )
            ),
            "IdempotentParameterMismatch",
        )
        # Another region with the same token is a different request.
        self.assert_client_error(
            lambda: self.sdk.create_workspace(
                create_request(
                    workspace_name=request.workspace_name, client_token=request.client_token, region_id="cn-beijing"
                )
            ),
            "IdempotentParameterMismatch",
        )
        # The original request still answers with the original workspace.
        self.assertEqual(self.sdk.create_workspace(request).body.workspace_id, first.workspace_id)

    def test_concurrent_repeats_make_one_workspace(self):
        request = create_request(client_token=token())
        results, errors = [], []

        def worker():
            try:
                results.append(client().create_workspace(request).body.workspace_id)
            except Exception as e:  # reported below
                errors.append(e)

        threads = [threading.Thread(target=worker) for _ in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        self.assertEqual(errors, [])
        self.assertEqual(len(results), 10)
        self.assertEqual(len(set(results)), 1, results)
        self.assertEqual(self.list_by_name(request.workspace_name).body.total_count, 1)


class LifecycleTests(SdkTestCase):
    @unittest.skipUnless(STARTUP_DELAY, "set WORKSPACE_STARTUP_DELAY to the emulator's --startup-delay (seconds)")
    def test_starting_then_running(self):
        delay = float(STARTUP_DELAY)
        self.assertGreater(delay, 0.2, "a startup delay this short cannot show Starting reliably")
        started = time.monotonic()
        created = self.sdk.create_workspace(create_request()).body
        first = self.get(created.workspace_id).body.workspace
        self.assertEqual(first.workspace_status, "STARTING")
        self.assertEqual(first.state_change_reason.code, "STARTING")
        listed = self.list_by_name(first.workspace_name, state="STARTING").body
        self.assertEqual([w.workspace_id for w in listed.workspaces], [created.workspace_id])

        deadline = started + delay + 5
        statuses = []
        while time.monotonic() < deadline:
            status = self.get(created.workspace_id).body.workspace.workspace_status
            statuses.append(status)
            if status == "RUNNING":
                break
            self.assertEqual(status, "STARTING")
            time.sleep(0.1)
        self.assertEqual(statuses[-1], "RUNNING", f"still {statuses[-1]} after {delay + 5:.1f}s")
        # Running only once the delay has passed (the workspace was created after `started`).
        self.assertGreaterEqual(time.monotonic() - started, delay)
        w = self.get(created.workspace_id).body.workspace
        self.assertEqual((w.state_change_reason.code, w.state_change_reason.message), ("0", "Success"))
        self.assertIsNone(w.fail_reason)
        listed = self.list_by_name(w.workspace_name, state="RUNNING").body
        self.assertEqual([x.workspace_id for x in listed.workspaces], [created.workspace_id])
        self.assertEqual(self.list_by_name(w.workspace_name, state="STARTING").body.total_count, 0)

    @unittest.skipUnless(STARTUP_DELAY, "set WORKSPACE_STARTUP_DELAY to the emulator's --startup-delay (seconds)")
    def test_a_reserved_name_prefix_fails_to_start(self):
        delay = float(STARTUP_DELAY)
        created = self.sdk.create_workspace(create_request(workspace_name=unique("emulator-fail"))).body
        self.assertEqual(self.get(created.workspace_id).body.workspace.workspace_status, "STARTING")
        time.sleep(delay + 0.2)
        w = self.get(created.workspace_id).body.workspace
        self.assertEqual(w.workspace_status, "TERMINATED")
        self.assertEqual(w.fail_reason, "out of stock")
        self.assertEqual(w.state_change_reason.code, "OutOfStock")


if VERIFIES_SIGNATURES:

    class SignatureTests(SdkTestCase):
        """Only against an emulator started with --verify-key for the configured AccessKey; every other test
        already shows that the SDK's correct signatures are accepted."""

        def calls(self, sdk):
            return [
                ("create", lambda: sdk.create_workspace(create_request())),
                ("get", lambda: sdk.get_workspace("w-0000000000000000", models.GetWorkspaceRequest(region_id=REGION))),
                ("list", lambda: sdk.list_workspaces(models.ListWorkspacesRequest(region_id=REGION, name="x y*"))),
            ]

        def test_a_wrong_secret_is_refused(self):
            wrong = client(access_key_secret=ACCESS_KEY_SECRET + "-wrong")
            for label, call in self.calls(wrong):
                with self.subTest(label):
                    e = self.assert_client_error(call, "SignatureDoesNotMatch", 400)
                    # Like Alibaba's, the message shows the server's string to sign (never the secret).
                    self.assertIn("ACS3-HMAC-SHA256", e.data["Message"])
                    self.assertNotIn(ACCESS_KEY_SECRET, str(e.data))
            # A refused create creates nothing.
            request = create_request()
            self.assert_client_error(lambda: wrong.create_workspace(request), "SignatureDoesNotMatch", 400)
            self.assertEqual(self.list_by_name(request.workspace_name).body.total_count, 0)

        def test_an_unknown_access_key_is_refused(self):
            stranger = client(access_key_id="LTAI-unknown-key")
            for label, call in self.calls(stranger):
                with self.subTest(label):
                    self.assert_client_error(call, "InvalidAccessKeyId.NotFound", 404)

        def test_sts_credentials_sign_the_security_token(self):
            sts = client(security_token="CAIS-sdk-sts-token")
            for label, call in self.calls(sts):
                with self.subTest(label):
                    try:
                        call()
                    except ClientException as e:
                        # The get of a made-up id is refused after the signature checked out.
                        self.assertEqual(e.code, "WorkspaceNotFound", e.message)


if __name__ == "__main__":
    if not ENDPOINT:
        print("Set WORKSPACE_ENDPOINT to the emulator's host:port, e.g. 127.0.0.1:3000.", file=sys.stderr)
        sys.exit(2)
    unittest.main()
