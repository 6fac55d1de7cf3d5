//! Forms shared by the model's integration tests.

use workspace_model::{FieldKey as K, FormState};

fn base(region: &str, name: &str, cu: &str, bucket: &str) -> FormState {
    FormState::new()
        .with(K::RegionId, region)
        .with(K::WorkspaceName, name)
        .with(K::Cu, cu)
        .with(K::OssBucket, bucket)
}

/// The forms of the cases in `golden/capture.py`, by name: what the official SDK was given for each fixture.
/// Some case sends every parameter (`everything` all but the subscription ones), and `capture.py` gives the SDK
/// what each case sends: `tests/completeness.rs` checks both, so a new parameter needs a value here and there.
pub fn sdk_cases() -> Vec<(&'static str, FormState)> {
    let minimal_payg = base("cn-hangzhou", "spark-etl", "8", "oss://my-bucket/");

    let subscription_no_renew = base(
        "cn-shanghai",
        "monthly_jobs",
        "100",
        "oss://team-data-01/spark/",
    )
    .with(K::PaymentType, "Pre")
    .with(K::Duration, "3")
    // Kept by the form but not sent: auto-renew is off.
    .with(K::AutoRenewPeriod, "6");

    let subscription_auto_renew = base(
        "ap-southeast-1",
        "Prod-Renewing",
        "1000",
        "oss://prod-bucket/",
    )
    .with(K::PaymentType, "Pre")
    .with(K::Duration, "9")
    .with(K::AutoRenew, "true")
    .with(K::AutoRenewPeriod, "12")
    .with(K::DlfType, "dlf2.0");

    let everything = base(
        "cn-beijing",
        "数据湖_分析-01",
        "5000",
        "oss://lake-01/warehouse/spark/",
    )
    .with(K::Gpu, "4")
    .with_rows(
        K::GpuSpec,
        &[["ecs.gn7i-c8g1.2xlarge"], ["ecs.gn6v-c8g1.8xlarge"]],
    )
    .with(K::DlfType, "dlf2.0")
    .with(K::DlfCatalogId, "1234567890")
    .with(K::RamRoleName, "Custom.Spark-Role_1")
    .with(K::ResourceGroupId, "rg-acfmwpi66knkxny")
    .with_rows(
        K::Tag,
        &[
            ["env", "prod"],
            ["owner", ""],
            ["团队", "数据平台"],
            ["cost-center", "cc:42/a b"],
        ],
    )
    .with(K::ReleaseType, "pro")
    .with(K::AutoStartSessionCluster, "true")
    .with(K::ClientToken, "0f8fad5b-d9cb-469f-a165-70867728950e")
    // Kept by the form but not sent: pay-as-you-go.
    .with(K::Duration, "7")
    .with(K::AutoRenew, "true");

    let escapes = base("us-west-1", "中文名", "1", "oss://abc/数据 仓库/a'b&c<d>/")
        .with(K::Gpu, "0")
        .with(K::DlfCatalogId, "cat/</script>&'x")
        .with_rows(
            K::Tag,
            &[
                ["quote\"back\\slash", "</script>&'\"\\ <!-- -->"],
                ["ls\u{2028}ps\u{2029}end", "emoji😀 é ñ"],
            ],
        )
        .with(K::ClientToken, "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./");

    vec![
        ("minimal_payg", minimal_payg),
        ("subscription_no_renew", subscription_no_renew),
        ("subscription_auto_renew", subscription_auto_renew),
        ("everything", everything),
        ("escapes", escapes),
    ]
}
