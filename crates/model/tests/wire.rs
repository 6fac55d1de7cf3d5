//! `wire::from_wire`: reading a JSON body (and the query's regionId) into a form, as a server does: lenient where
//! Alibaba's API is, refusing only JSON types a parameter cannot have.

mod common;

use serde_json::{Value, json};
use workspace_model::{
    FieldKey as K, FieldPath, FormState, Valid,
    validate::{first_error, validate},
    wire::{ReadError, from_wire},
};

/// A minimal valid pay-as-you-go body, as the form sends it.
fn body() -> Value {
    json!({
        "dlfType": "dlf1.0",
        "ossBucket": "oss://my-bucket/",
        "paymentType": "PayAsYouGo",
        "ramRoleName": "AliyunEMRSparkJobRunDefaultRole",
        "resourceSpec": {"cu": "8"},
        "workspaceName": "spark-etl"
    })
}

/// `body()` with members set (dotted keys reach into objects; `Value::Null` stays an explicit null).
fn with(pairs: &[(&str, Value)]) -> Value {
    let mut b = body();
    for (key, value) in pairs {
        let mut target = &mut b;
        let mut parts = key.split('.').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                target[part] = value.clone();
            } else {
                if !target[part].is_object() {
                    target[part] = json!({});
                }
                target = &mut target[part];
            }
        }
    }
    b
}

fn without(keys: &[&str]) -> Value {
    let mut b = body();
    for k in keys {
        b.as_object_mut().unwrap().remove(*k);
    }
    b
}

fn accepted(body: &Value) -> FormState {
    from_wire(Some("cn-hangzhou"), body).unwrap_or_else(|e| panic!("refused {body}: {e:?}"))
}

fn valid(body: &Value) -> Valid {
    let form = accepted(body);
    validate(&form).unwrap_or_else(|e| panic!("{body} read but invalid: {e:?}"))
}

/// The path and code a server answers with for this body: a reading error, or the first rule that refuses.
fn refused(body: &Value) -> String {
    match from_wire(Some("cn-hangzhou"), body) {
        Err(e) => e.api_code(),
        Ok(form) => first_error(&form)
            .unwrap_or_else(|| panic!("accepted {body}"))
            .api_code(),
    }
}

#[test]
fn a_valid_body_reads_into_the_form_it_came_from() {
    let form = accepted(&body());
    let want = FormState::default()
        .with(K::RegionId, "cn-hangzhou")
        .with(K::WorkspaceName, "spark-etl")
        .with(K::Cu, "8")
        .with(K::OssBucket, "oss://my-bucket/")
        .with(K::DlfType, "dlf1.0")
        .with(K::PaymentType, "PayAsYouGo")
        .with(K::RamRoleName, "AliyunEMRSparkJobRunDefaultRole");
    assert_eq!(form, want);
    assert_eq!(
        valid(&body()).body.to_json(),
        serde_json::to_string(&body()).unwrap()
    );
}

#[test]
fn the_region_comes_from_the_query_only() {
    let form = from_wire(None, &with(&[("regionId", json!("cn-shanghai"))])).unwrap();
    assert_eq!(form.get(K::RegionId), "");
    assert_eq!(
        first_error(&form).unwrap().api_code(),
        "MissingParameter.regionId"
    );
    assert!(
        !valid(&with(&[("regionId", json!("x"))]))
            .body
            .to_json()
            .contains("regionId")
    );
}

#[test]
fn what_alibabas_own_examples_send_is_accepted() {
    // Each of these was refused before the 2026-11-29 correction of the contract.
    let pre = |extra: &[(&str, Value)]| {
        let mut pairs = vec![
            ("paymentType", json!("Pre")),
            ("paymentDurationUnit", json!("MONTH")),
            ("duration", json!("1")),
            ("autoRenew", json!("false")),
        ];
        pairs.extend(extra.iter().cloned());
        with(&pairs)
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "cu as a number (Alibaba's published examples)",
            with(&[("resourceSpec.cu", json!(8))]),
            r#""resourceSpec":{"cu":"8"}"#,
        ),
        (
            "autoRenew as a boolean",
            pre(&[
                ("autoRenew", json!(true)),
                ("autoRenewPeriod", json!("1")),
                ("autoRenewPeriodUnit", json!("MONTH")),
            ]),
            r#""autoRenew":"true""#,
        ),
        (
            "the unit in lower case (the API page's example)",
            pre(&[("paymentDurationUnit", json!("month"))]),
            r#""paymentDurationUnit":"month""#,
        ),
        (
            "autoRenewPeriod 100 (the API page's example)",
            pre(&[
                ("autoRenew", json!("true")),
                ("autoRenewPeriod", json!("100")),
                ("autoRenewPeriodUnit", json!("month")),
            ]),
            r#""autoRenewPeriod":"100""#,
        ),
        (
            "dlfType 1.0 (the metadata's default)",
            with(&[("dlfType", json!("1.0"))]),
            r#""dlfType":"1.0""#,
        ),
        (
            "no paymentType (optional; PayAsYouGo)",
            without(&["paymentType"]),
            r#""ossBucket":"oss://my-bucket/","ramRoleName""#,
        ),
        (
            "no ramRoleName (the default role)",
            without(&["ramRoleName"]),
            r#""paymentType":"PayAsYouGo","resourceSpec""#,
        ),
        (
            "duration and autoRenewPeriod as numbers",
            pre(&[
                ("duration", json!(3)),
                ("autoRenew", json!(true)),
                ("autoRenewPeriod", json!(12)),
                ("autoRenewPeriodUnit", json!("Month")),
            ]),
            r#""autoRenewPeriod":"12","autoRenewPeriodUnit":"Month""#,
        ),
        (
            "gpu as a numeric string",
            with(&[("resourceSpec.gpu", json!("4"))]),
            r#""resourceSpec":{"cu":"8","gpu":4}"#,
        ),
        (
            "autoStartSessionCluster as a string",
            with(&[("autoStartSessionCluster", json!("true"))]),
            r#""autoStartSessionCluster":true"#,
        ),
        (
            "oss://bucket without the trailing slash",
            with(&[("ossBucket", json!("oss://my-bucket"))]),
            r#""ossBucket":"oss://my-bucket""#,
        ),
        (
            "releaseType we do not know",
            with(&[("releaseType", json!("SERVICE_RELEASE"))]),
            r#""releaseType":"SERVICE_RELEASE""#,
        ),
        (
            "a resource group without rg-",
            with(&[("resourceGroupId", json!("default"))]),
            r#""resourceGroupId":"default""#,
        ),
        (
            "GPU types without a GPU quota",
            with(&[("gpuSpec", json!(["gn7i"]))]),
            r#""gpuSpec":["gn7i"]"#,
        ),
        (
            "CU above the default quota",
            with(&[("resourceSpec.cu", json!("99999"))]),
            r#""cu":"99999""#,
        ),
    ];
    for (desc, body, forwarded) in cases {
        let json = valid(&body).body.to_json();
        assert!(json.contains(forwarded), "{desc}: {json}");
    }
}

#[test]
fn fields_that_do_not_apply_are_ignored_not_refused() {
    let body = with(&[
        ("autoRenew", json!(true)),
        ("duration", json!("garbage")),
        ("paymentDurationUnit", json!("YEAR")),
        ("autoRenewPeriod", json!(-5)),
        ("autoRenewPeriodUnit", json!("DAY")),
    ]);
    let json = valid(&body).body.to_json();
    for word in ["autoRenew", "duration", "garbage", "YEAR", "DAY"] {
        assert!(!json.contains(word), "{word} forwarded: {json}");
    }
    // Renewal fields with auto-renew off.
    let body = with(&[
        ("paymentType", json!("Pre")),
        ("paymentDurationUnit", json!("MONTH")),
        ("duration", json!("1")),
        ("autoRenew", json!(false)),
        ("autoRenewPeriod", json!("x")),
    ]);
    assert!(!valid(&body).body.to_json().contains("autoRenewPeriod"));
}

#[test]
fn subscription_still_needs_what_the_api_page_requires() {
    let pre = with(&[("paymentType", json!("Pre"))]);
    assert_eq!(refused(&pre), "MissingParameter.duration");
    let pre = with(&[("paymentType", json!("Pre")), ("duration", json!(1))]);
    assert_eq!(refused(&pre), "MissingParameter.paymentDurationUnit");
    let pre = with(&[
        ("paymentType", json!("Pre")),
        ("duration", json!(1)),
        ("paymentDurationUnit", json!("month")),
    ]);
    assert_eq!(refused(&pre), "MissingParameter.autoRenew");
    let renew = with(&[
        ("paymentType", json!("Pre")),
        ("duration", json!(1)),
        ("paymentDurationUnit", json!("month")),
        ("autoRenew", json!(true)),
    ]);
    assert_eq!(refused(&renew), "MissingParameter.autoRenewPeriod");
}

#[test]
fn wrong_json_types_are_refused_with_the_path() {
    let cases: Vec<(Value, &str)> = vec![
        (
            with(&[("workspaceName", json!(8))]),
            "InvalidParameter.workspaceName",
        ),
        (
            with(&[("workspaceName", json!(["a"]))]),
            "InvalidParameter.workspaceName",
        ),
        (
            with(&[("resourceSpec", json!("8"))]),
            "InvalidParameter.resourceSpec.cu",
        ),
        (
            with(&[("resourceSpec.cu", json!(true))]),
            "InvalidParameter.resourceSpec.cu",
        ),
        (
            with(&[("resourceSpec.cu", json!({"n": 8}))]),
            "InvalidParameter.resourceSpec.cu",
        ),
        (
            with(&[("resourceSpec.gpu", json!([1]))]),
            "InvalidParameter.resourceSpec.gpu",
        ),
        (
            with(&[("autoRenew", json!("yes"))]),
            "InvalidParameter.autoRenew",
        ),
        (
            with(&[("autoRenew", json!(1))]),
            "InvalidParameter.autoRenew",
        ),
        (
            with(&[("autoStartSessionCluster", json!("True"))]),
            "InvalidParameter.autoStartSessionCluster",
        ),
        (
            with(&[("autoStartSessionCluster", json!(0))]),
            "InvalidParameter.autoStartSessionCluster",
        ),
        (
            with(&[("tag", json!({"key": "a"}))]),
            "InvalidParameter.tag",
        ),
        (with(&[("tag", json!(["a"]))]), "InvalidParameter.tag[0]"),
        (
            with(&[("tag", json!([{"key": "a"}, {"key": 1}]))]),
            "InvalidParameter.tag[1].key",
        ),
        (
            with(&[("tag", json!([{"key": "a", "value": false}]))]),
            "InvalidParameter.tag[0].value",
        ),
        (
            with(&[("gpuSpec", json!("ecs.gn5.large"))]),
            "InvalidParameter.gpuSpec",
        ),
        (
            with(&[("gpuSpec", json!(["ecs.gn5.large", 7]))]),
            "InvalidParameter.gpuSpec[1]",
        ),
        (
            with(&[("paymentType", json!(true))]),
            "InvalidParameter.paymentType",
        ),
    ];
    for (body, code) in cases {
        assert_eq!(refused(&body), code, "{body}");
    }
    let e = from_wire(None, &with(&[("gpuSpec", json!([7]))])).unwrap_err();
    assert_eq!(
        e,
        ReadError::WrongType {
            path: FieldPath::cell(K::GpuSpec, 0, 0),
            expected: "a string"
        }
    );
    assert_eq!(e.api_message(), "gpuSpec[0]: must be a string.");
}

#[test]
fn a_body_that_is_not_an_object_is_refused() {
    for body in [json!([]), json!("x"), json!(1), json!(null), json!(true)] {
        let e = from_wire(Some("cn-hangzhou"), &body).unwrap_err();
        assert_eq!(e, ReadError::NotAnObject);
        assert_eq!(e.api_code(), "InvalidParameter.body");
    }
}

#[test]
fn null_is_absent_and_unknown_keys_are_ignored() {
    let body = with(&[
        ("dlfType", Value::Null),
        ("tag", Value::Null),
        ("resourceSpec.gpu", Value::Null),
        ("nonsense", json!({"deep": [1, 2]})),
        ("WorkspaceName", json!("ignored: keys are case-sensitive")),
    ]);
    let json = valid(&body).body.to_json();
    assert_eq!(
        json,
        r#"{"ossBucket":"oss://my-bucket/","paymentType":"PayAsYouGo","ramRoleName":"AliyunEMRSparkJobRunDefaultRole","resourceSpec":{"cu":"8"},"workspaceName":"spark-etl"}"#
    );
    assert_eq!(
        refused(&with(&[("resourceSpec", Value::Null)])),
        "MissingParameter.resourceSpec.cu"
    );
    assert_eq!(
        refused(&with(&[("workspaceName", Value::Null)])),
        "MissingParameter.workspaceName"
    );
    let tag = accepted(&with(&[("tag", json!([{"key": "a", "value": null}]))]));
    assert_eq!(tag.rows(K::Tag), [vec!["a".to_owned(), String::new()]]);
}

#[test]
fn numbers_keep_their_written_form_for_the_rules() {
    let cu = |v: Value| {
        accepted(&with(&[("resourceSpec.cu", v)]))
            .get(K::Cu)
            .to_owned()
    };
    assert_eq!(cu(json!(8)), "8");
    assert_eq!(cu(json!(8.5)), "8.5");
    assert_eq!(cu(json!(-1)), "-1");
    assert_eq!(cu(json!(u64::MAX)), u64::MAX.to_string());
    assert_eq!(
        refused(&with(&[("resourceSpec.cu", json!(8.5))])),
        "InvalidParameter.resourceSpec.cu"
    );
    assert_eq!(
        refused(&with(&[("resourceSpec.cu", json!(0))])),
        "InvalidParameter.resourceSpec.cu"
    );
    assert_eq!(
        refused(&with(&[("resourceSpec.gpu", json!(-1))])),
        "InvalidParameter.resourceSpec.gpu"
    );
    let b: Value = serde_json::from_str(
        r#"{"resourceSpec":{"cu":"8","gpu":1e2},"workspaceName":"a","ossBucket":"oss://abc"}"#,
    )
    .unwrap();
    assert_eq!(refused(&b), "InvalidParameter.resourceSpec.gpu");
    // What is forwarded is the SDK's form: cu a string, gpu an integer.
    let v = valid(&with(&[
        ("resourceSpec.cu", json!(16)),
        ("resourceSpec.gpu", json!("2")),
    ]));
    assert!(
        v.body
            .to_json()
            .contains(r#""resourceSpec":{"cu":"16","gpu":2}"#)
    );
}

#[test]
fn booleans_are_read_either_way_and_sent_in_the_sdks_form() {
    for v in [json!(true), json!("true")] {
        let form = accepted(&with(&[("autoStartSessionCluster", v)]));
        assert!(form.flag(K::AutoStartSessionCluster));
        assert!(
            validate(&form)
                .unwrap()
                .body
                .to_json()
                .starts_with(r#"{"autoStartSessionCluster":true,"#)
        );
    }
    // false is the API default: read, and then not sent.
    for v in [json!(false), json!("false")] {
        let form = accepted(&with(&[("autoStartSessionCluster", v)]));
        assert!(
            !validate(&form)
                .unwrap()
                .body
                .to_json()
                .contains("autoStart")
        );
    }
}

/// Forms that validate; each must survive validate → JSON → from_wire → validate unchanged: the forms the
/// official SDK was given (see `golden/`), and variants with leftovers in fields that do not apply.
fn rich_forms() -> Vec<FormState> {
    let cases = common::sdk_cases();
    let everything = cases
        .iter()
        .find(|(n, _)| *n == "everything")
        .map(|(_, f)| f.clone())
        .unwrap();
    let mut forms: Vec<FormState> = cases.into_iter().map(|(_, form)| form).collect();
    forms.push(
        forms[0]
            .clone()
            .with(K::RegionId, "cn-shanghai")
            .with(K::PaymentType, "Pre")
            .with(K::Duration, "9")
            .with(K::AutoRenewPeriod, "garbage")
            .with(K::Gpu, "0"),
    );
    forms.push(
        everything
            .clone()
            .with(K::PaymentType, "Pre")
            .with(K::Duration, "3")
            .with(K::AutoRenew, "true")
            .with(K::AutoRenewPeriod, "100")
            .with(K::AutoRenewPeriodUnit, "month")
            .with(K::Cu, "1001"),
    );
    let mut payg = everything
        .with(K::Duration, "x")
        .with(K::AutoRenewPeriod, "y")
        .with(K::PaymentDurationUnit, "z")
        .with(K::DlfType, "");
    *payg.rows_mut(K::Tag) = (0..20)
        .map(|i| vec![format!("k{i}"), String::new()])
        .collect();
    forms.push(payg);
    forms
}

#[test]
fn validated_bodies_round_trip_through_from_wire() {
    for form in rich_forms() {
        let v = validate(&form).unwrap_or_else(|e| panic!("{form:?}: {e:?}"));
        let json = v.body.to_json();
        let value: Value = serde_json::from_str(&json).unwrap();
        let back =
            from_wire(Some(&v.region_id), &value).unwrap_or_else(|e| panic!("{json}: {e:?}"));
        let again = validate(&back).unwrap_or_else(|e| panic!("{json}: {e:?}"));
        assert_eq!(again, v, "{json}");
        assert_eq!(again.body.to_json(), json);
        // The form read back holds what was sent, and nothing that was not.
        for key in [K::Tag, K::GpuSpec] {
            assert_eq!(back.rows(key), form.rows(key), "{key:?}");
        }
        assert_eq!(back.get(K::WorkspaceName), form.get(K::WorkspaceName));
        if !form.is_subscription() {
            assert_eq!((back.get(K::Duration), back.get(K::AutoRenew)), ("", ""));
        }
        if !(form.is_subscription() && form.flag(K::AutoRenew)) {
            assert_eq!(back.get(K::AutoRenewPeriod), "");
        }
    }
}

#[test]
fn type_errors_are_invalid_parameters() {
    let e = from_wire(None, &with(&[("workspaceName", json!(1))])).unwrap_err();
    assert_eq!(e.api_code(), "InvalidParameter.workspaceName");
    assert_eq!(e.api_message(), "workspaceName: must be a string.");
}
