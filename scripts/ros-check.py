"""The console's ROS templates against the official ROS CDK (ros-cdk-core, ros-cdk-emr 1.15.0).

`cargo test -p workspace-console --lib ros_templates` writes the template the preview shows for three forms into
target/ros-cases/<case>.json and .yaml. Here the ROS CDK synthesizes a stack from the same values, given as the CDK
takes them, and each case's resource Properties must be equal in all three (CDK, our JSON, our YAML). Run by
./dev test with target/py, which it gives the CDK and PyYAML for this check only.
"""

import json
import pathlib
import sys

import ros_cdk_core as core
import ros_cdk_emr as emr
import yaml

ROLE = "AliyunEMRSparkJobRunDefaultRole"
# The same values as the forms of src/snippets.rs's ros_templates test, as a person would give them to the CDK.
CASES = {
    "payg-minimal": emr.SparkWorkspaceProps(
        workspace_name="etl-min",
        resource_spec={"cu": "8"},
        oss_bucket="oss://lake-01/",
        dlf_type="dlf1.0",
        payment_type="PayAsYouGo",
        ram_role_name=ROLE,
    ),
    "subscription-tags": emr.SparkWorkspaceProps(
        workspace_name="etl-pre",
        resource_spec={"cu": "16"},
        oss_bucket="oss://lake-01/warehouse/",
        dlf_type="dlf1.0",
        payment_type="Subscription",
        duration="3",
        payment_duration_unit="MONTH",
        auto_renew=True,
        auto_renew_period="1",
        auto_renew_period_unit="MONTH",
        ram_role_name=ROLE,
        tags=[{"key": "env", "value": "prod"}, {"key": "owner"}],
    ),
    "gpu-dlf-catalog": emr.SparkWorkspaceProps(
        workspace_name="gpu-lake",
        resource_spec={"cu": "32", "gpu": 2},
        gpu_spec=["ecs.gn7i-c8g1.2xlarge"],
        oss_bucket="oss://lake-01/",
        dlf_type="dlf2.0",
        dlf_catalog_id="clg-paimon-demo0001",
        payment_type="PayAsYouGo",
        ram_role_name=ROLE,
        resource_group_id="rg-acfm2abc",
        release_type="pro",
        auto_start_session_cluster=True,
    ),
}


def main() -> int:
    cases = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/ros-cases")
    failed = 0
    for name, props in CASES.items():
        app = core.App(outdir=str(cases / "cdk.out" / name))
        stack = core.Stack(app, "workspace")
        emr.SparkWorkspace(stack, "Workspace", props)
        cdk = app.synth().get_stack_artifact("workspace").template["Resources"]["Workspace"]
        ours_json = json.loads((cases / f"{name}.json").read_text())
        ours_yaml = yaml.safe_load((cases / f"{name}.yaml").read_text())
        before = failed
        for fmt, ours in (("json", ours_json), ("yaml", ours_yaml)):
            resource = ours["Resources"]["Workspace"]
            checks = [
                ("Type", resource["Type"], cdk["Type"]),
                ("Properties", resource["Properties"], cdk["Properties"]),
                ("Outputs", ours["Outputs"]["WorkspaceId"]["Value"], {"Fn::GetAtt": ["Workspace", "WorkspaceId"]}),
            ]
            for what, got, want in checks:
                if got != want:
                    failed += 1
                    print(f"{name}.{fmt} {what}:\n  ours {json.dumps(got, sort_keys=True)}\n  cdk  {json.dumps(want, sort_keys=True)}")
        print(f"{name}: {'ok' if failed == before else 'DIFFERS'} ({len(cdk['Properties'])} properties)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
