//! The JSON body must be byte for byte what the official Python SDK (`alibabacloud-emr-serverless-spark20230808`
//! 2.3.0) sends for the same input. The fixtures in `tests/golden/` were captured from the real SDK by
//! `tests/golden/capture.py` (`python3 capture.py --check` proves they still match it); each case here builds the
//! form that corresponds to the SDK input of the same name.

use std::{collections::BTreeSet, fs, path::PathBuf};

use serde_json::Value;
use workspace_model::{
    CreateWorkspaceRequest, FormState, TagRow, request::create_workspace_url, validate::validate,
    validate::warnings, wire::from_wire,
};

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn fixture(name: &str, ext: &str) -> Vec<u8> {
    let path = golden_dir().join(format!("{name}.{ext}"));
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn base(region: &str, name: &str, cu: &str, bucket: &str) -> FormState {
    let mut form = FormState::new();
    form.region_id = region.into();
    form.workspace_name = name.into();
    form.cu = cu.into();
    form.oss_bucket = bucket.into();
    form
}

/// The forms of the cases in `capture.py`, by name.
fn cases() -> Vec<(&'static str, FormState)> {
    let minimal_payg = base("cn-hangzhou", "spark-etl", "8", "oss://my-bucket/");

    let mut subscription_no_renew = base(
        "cn-shanghai",
        "monthly_jobs",
        "100",
        "oss://team-data-01/spark/",
    );
    subscription_no_renew.payment_type = "Pre".into();
    subscription_no_renew.duration = "3".into();
    // Kept by the form but not sent: auto-renew is off.
    subscription_no_renew.auto_renew_period = "6".into();

    let mut subscription_auto_renew = base(
        "ap-southeast-1",
        "Prod-Renewing",
        "1000",
        "oss://prod-bucket/",
    );
    subscription_auto_renew.payment_type = "Pre".into();
    subscription_auto_renew.duration = "9".into();
    subscription_auto_renew.auto_renew = true;
    subscription_auto_renew.auto_renew_period = "12".into();
    subscription_auto_renew.dlf_type = "dlf2.0".into();

    let mut everything = base(
        "cn-beijing",
        "数据湖_分析-01",
        "5000",
        "oss://lake-01/warehouse/spark/",
    );
    everything.gpu = "4".into();
    everything.gpu_spec = vec![
        "ecs.gn7i-c8g1.2xlarge".into(),
        "ecs.gn6v-c8g1.8xlarge".into(),
    ];
    everything.dlf_type = "dlf2.0".into();
    everything.dlf_catalog_id = "1234567890".into();
    everything.ram_role_name = "Custom.Spark-Role_1".into();
    everything.resource_group_id = "rg-acfmwpi66knkxny".into();
    everything.tags = vec![
        TagRow::new("env", "prod"),
        TagRow::new("owner", ""),
        TagRow::new("团队", "数据平台"),
        TagRow::new("cost-center", "cc:42/a b"),
    ];
    everything.release_type = "pro".into();
    everything.auto_start_session_cluster = true;
    everything.client_token = "0f8fad5b-d9cb-469f-a165-70867728950e".into();
    // Kept by the form but not sent: pay-as-you-go.
    everything.duration = "7".into();
    everything.auto_renew = true;

    let mut escapes = base("us-west-1", "中文名", "1", "oss://abc/数据 仓库/a'b&c<d>/");
    escapes.gpu = "0".into();
    escapes.dlf_catalog_id = "cat/</script>&'x".into();
    escapes.tags = vec![
        TagRow::new("quote\"back\\slash", "</script>&'\"\\ <!-- -->"),
        TagRow::new("ls\u{2028}ps\u{2029}end", "emoji😀 é ñ"),
    ];
    escapes.client_token = "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./".into();

    vec![
        ("minimal_payg", minimal_payg),
        ("subscription_no_renew", subscription_no_renew),
        ("subscription_auto_renew", subscription_auto_renew),
        ("everything", everything),
        ("escapes", escapes),
    ]
}

#[test]
fn bodies_are_byte_for_byte_what_the_sdk_sends() {
    for (name, form) in cases() {
        let valid = validate(&form).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let want = fixture(name, "json");
        let got = valid.body.to_json();
        assert_eq!(
            got.as_bytes(),
            want.as_slice(),
            "{name}:\n  ours: {got}\n  sdk:  {}",
            String::from_utf8_lossy(&want)
        );
    }
}

#[test]
fn urls_carry_the_query_the_sdk_sends() {
    for (name, form) in cases() {
        let valid = validate(&form).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let query = String::from_utf8(fixture(name, "query")).unwrap();
        assert_eq!(
            create_workspace_url(&valid.region_id),
            format!("/api/v1/workspaces?{query}"),
            "{name}"
        );
    }
}

#[test]
fn sdk_bodies_parse_and_are_accepted_by_a_server() {
    for (name, form) in cases() {
        let valid = validate(&form).unwrap();
        let bytes = fixture(name, "json");
        let text = std::str::from_utf8(&bytes).unwrap();
        // As the typed request.
        let parsed: CreateWorkspaceRequest = serde_json::from_str(text).unwrap();
        assert_eq!(parsed, valid.body, "{name}");
        // As a server reads it: JSON value → form → the same rules → the same request.
        let value: Value = serde_json::from_str(text).unwrap();
        let read =
            from_wire(Some(&valid.region_id), &value).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(validate(&read).as_ref(), Ok(&valid), "{name}");
        assert!(warnings(&read).is_empty(), "{name}");
    }
}

#[test]
fn every_fixture_has_a_case_and_capture_py_lists_them_all() {
    let ours: BTreeSet<String> = cases().iter().map(|(n, _)| n.to_string()).collect();
    let mut files = BTreeSet::new();
    for entry in fs::read_dir(golden_dir()).unwrap() {
        let path = entry.unwrap().path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext == "json" || ext == "query" {
            let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
            assert!(
                golden_dir().join(format!("{stem}.json")).exists()
                    && golden_dir().join(format!("{stem}.query")).exists(),
                "{stem}: a fixture needs both .json and .query"
            );
            files.insert(stem);
        }
    }
    assert_eq!(files, ours, "fixtures on disk vs cases in golden.rs");
    let script = fs::read_to_string(golden_dir().join("capture.py")).unwrap();
    for name in &ours {
        assert!(
            script.contains(&format!("    \"{name}\": (")),
            "capture.py has no case {name}"
        );
    }
}
