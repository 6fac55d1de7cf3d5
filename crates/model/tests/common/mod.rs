//! Forms shared by the model's integration tests.

use workspace_model::{FormState, TagRow};

fn base(region: &str, name: &str, cu: &str, bucket: &str) -> FormState {
    let mut form = FormState::new();
    form.region_id = region.into();
    form.workspace_name = name.into();
    form.cu = cu.into();
    form.oss_bucket = bucket.into();
    form
}

/// The forms of the cases in `golden/capture.py`, by name: what the official SDK was given for each fixture.
pub fn sdk_cases() -> Vec<(&'static str, FormState)> {
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
