//! `wire::from_wire`: reading a JSON body (and the query's regionId) back into a form, as a server does.

mod common;

use serde_json::{Value, json};
use workspace_model::{
    FormState, TagRow, Valid,
    validate::{Code, validate},
    wire::from_wire,
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

/// `body()` with `key` set (dotted keys reach into objects; `Value::Null` stays as an explicit null).
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

fn pre() -> Vec<(&'static str, Value)> {
    vec![
        ("paymentType", json!("Pre")),
        ("paymentDurationUnit", json!("MONTH")),
        ("duration", json!("1")),
        ("autoRenew", json!("false")),
    ]
}

fn read(body: &Value) -> Result<FormState, (String, Code)> {
    from_wire(Some("cn-hangzhou"), body).map_err(|e| {
        assert!(!e.message.en.is_empty() && !e.message.zh.is_empty());
        (e.path, e.code)
    })
}

fn refused(body: &Value) -> (String, Code) {
    match read(body) {
        Ok(form) => panic!("accepted {body}: {form:?}"),
        Err(e) => e,
    }
}

fn accepted(body: &Value) -> FormState {
    read(body).unwrap_or_else(|e| panic!("refused {body}: {e:?}"))
}

fn valid(body: &Value) -> Valid {
    let form = accepted(body);
    validate(&form).unwrap_or_else(|e| panic!("{body} read but invalid: {e:?}"))
}

#[test]
fn a_valid_body_reads_into_the_form_it_came_from() {
    let form = accepted(&body());
    let mut want = FormState {
        region_id: "cn-hangzhou".into(),
        ..FormState::default()
    };
    want.workspace_name = "spark-etl".into();
    want.cu = "8".into();
    want.oss_bucket = "oss://my-bucket/".into();
    want.payment_type = "PayAsYouGo".into();
    want.ram_role_name = "AliyunEMRSparkJobRunDefaultRole".into();
    want.dlf_type = "dlf1.0".into();
    assert_eq!(form, want);
    assert_eq!(validate(&form).unwrap().body.to_json(), body().to_string());
}

#[test]
fn the_region_comes_from_the_query_only() {
    let b = with(&[("regionId", json!("cn-beijing"))]);
    let form = from_wire(Some("cn-shanghai"), &b).unwrap();
    assert_eq!(form.region_id, "cn-shanghai");
    let form = from_wire(None, &b).unwrap();
    assert_eq!(form.region_id, "");
    let errors = validate(&form).unwrap_err();
    assert_eq!(
        (errors[0].path.as_str(), errors[0].code),
        ("regionId", Code::Required)
    );
    assert_eq!(errors[0].api_code(), "MissingParameter.regionId");
}

#[test]
#[rustfmt::skip]
fn wrong_json_types_are_refused_with_the_path() {
    let cases: Vec<(&str, Value, &str)> = vec![
        // Wire::Str
        ("number for workspaceName", with(&[("workspaceName", json!(1))]), "workspaceName"),
        ("bool for ossBucket", with(&[("ossBucket", json!(true))]), "ossBucket"),
        ("array for paymentType", with(&[("paymentType", json!(["Pre"]))]), "paymentType"),
        ("object for ramRoleName", with(&[("ramRoleName", json!({}))]), "ramRoleName"),
        ("number for cu", with(&[("resourceSpec.cu", json!(8))]), "resourceSpec.cu"),
        ("float for cu", with(&[("resourceSpec.cu", json!(8.5))]), "resourceSpec.cu"),
        ("number for dlfCatalogId", with(&[("dlfCatalogId", json!(123))]), "dlfCatalogId"),
        ("number for clientToken", with(&[("clientToken", json!(123))]), "clientToken"),
        ("number for duration", [pre(), vec![("duration", json!(1))]].concat().as_slice().pipe(with), "duration"),
        ("number for autoRenewPeriod", [pre(), vec![("autoRenew", json!("true")), ("autoRenewPeriod", json!(1))]].concat().as_slice().pipe(with), "autoRenewPeriod"),
        // Wire::Int
        ("string for gpu", with(&[("resourceSpec.gpu", json!("2"))]), "resourceSpec.gpu"),
        ("float for gpu", with(&[("resourceSpec.gpu", json!(1.5))]), "resourceSpec.gpu"),
        ("2.0 for gpu", with(&[("resourceSpec.gpu", json!(2.0))]), "resourceSpec.gpu"),
        ("bool for gpu", with(&[("resourceSpec.gpu", json!(true))]), "resourceSpec.gpu"),
        // Wire::BoolString
        ("yes for autoRenew", [pre(), vec![("autoRenew", json!("yes"))]].concat().as_slice().pipe(with), "autoRenew"),
        ("True for autoRenew", [pre(), vec![("autoRenew", json!("True"))]].concat().as_slice().pipe(with), "autoRenew"),
        ("boolean for autoRenew", [pre(), vec![("autoRenew", json!(true))]].concat().as_slice().pipe(with), "autoRenew"),
        ("wrong type beats not applicable", with(&[("autoRenew", json!("yes"))]), "autoRenew"),
        // Wire::Bool
        ("string for autoStartSessionCluster", with(&[("autoStartSessionCluster", json!("true"))]), "autoStartSessionCluster"),
        ("number for autoStartSessionCluster", with(&[("autoStartSessionCluster", json!(1))]), "autoStartSessionCluster"),
        // Wire::TagArray
        ("object for tag", with(&[("tag", json!({"key": "a", "value": "b"}))]), "tag"),
        ("string for tag", with(&[("tag", json!("a=b"))]), "tag"),
        ("string tag item", with(&[("tag", json!(["a"]))]), "tag[0]"),
        ("second tag item an array", with(&[("tag", json!([{"key": "a"}, ["b"]]))]), "tag[1]"),
        ("null tag item", with(&[("tag", json!([null]))]), "tag[0]"),
        ("number tag key", with(&[("tag", json!([{"key": 1, "value": "v"}]))]), "tag[0].key"),
        ("bool tag value", with(&[("tag", json!([{"key": "k", "value": false}]))]), "tag[0].value"),
        ("object tag value", with(&[("tag", json!([{"key": "k"}, {"key": "k2", "value": {}}]))]), "tag[1].value"),
        // Wire::StrArray
        ("string for gpuSpec", with(&[("gpuSpec", json!("ecs.gn5.large"))]), "gpuSpec"),
        ("number gpuSpec item", with(&[("resourceSpec.gpu", json!(1)), ("gpuSpec", json!(["ecs.gn5.large", 5]))]), "gpuSpec[1]"),
        ("null gpuSpec item", with(&[("resourceSpec.gpu", json!(1)), ("gpuSpec", json!([null]))]), "gpuSpec[0]"),
        // Nesting
        ("resourceSpec a string", with(&[("resourceSpec", json!("8"))]), "resourceSpec"),
        ("resourceSpec an array", with(&[("resourceSpec", json!([8]))]), "resourceSpec"),
        ("resourceSpec a number", with(&[("resourceSpec", json!(8))]), "resourceSpec"),
        // The first problem in catalogue order wins.
        ("cu before gpu", with(&[("resourceSpec", json!({"cu": 8, "gpu": "1"}))]), "resourceSpec.cu"),
        ("name before tag", with(&[("workspaceName", json!(1)), ("tag", json!({}))]), "workspaceName"),
    ];
    let mut failures = Vec::new();
    for (desc, b, path) in &cases {
        match read(b) {
            Err((p, Code::WrongType)) if p == *path => {}
            other => failures.push(format!("  {desc}: want ({path}, WrongType), got {other:?}")),
        }
    }
    assert!(failures.is_empty(), "{} of {} failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// `x.pipe(f)` = `f(x)`, to keep the table rows on one line.
trait Pipe: Sized {
    fn pipe<R>(self, f: impl FnOnce(Self) -> R) -> R {
        f(self)
    }
}
impl<T> Pipe for T {}

#[test]
fn a_body_that_is_not_an_object_is_refused() {
    for b in [
        json!(null),
        json!([]),
        json!([body()]),
        json!("{}"),
        json!(1),
        json!(true),
    ] {
        assert_eq!(refused(&b), ("body".to_owned(), Code::WrongType), "{b}");
    }
    // An empty object is read; validation then asks for the required fields.
    let form = accepted(&json!({}));
    let paths: Vec<String> = validate(&form)
        .unwrap_err()
        .into_iter()
        .map(|e| e.path)
        .collect();
    assert_eq!(
        paths,
        [
            "workspaceName",
            "resourceSpec.cu",
            "ossBucket",
            "paymentType",
            "ramRoleName"
        ]
    );
}

#[test]
fn null_is_treated_as_absent() {
    // An optional null is the same as no key.
    for key in [
        "dlfType",
        "dlfCatalogId",
        "clientToken",
        "releaseType",
        "resourceGroupId",
        "tag",
        "gpuSpec",
        "autoStartSessionCluster",
        "resourceSpec.gpu",
        // Subscription fields that are null are not "sent", so they are not refused under pay-as-you-go.
        "duration",
        "paymentDurationUnit",
        "autoRenew",
        "autoRenewPeriod",
        "autoRenewPeriodUnit",
    ] {
        let form = accepted(&with(&[(key, Value::Null)]));
        let mut want = accepted(&body());
        if key == "dlfType" {
            want.dlf_type.clear();
        }
        assert_eq!(form, want, "{key}");
    }
    // A required null is missing.
    for (key, path) in [
        ("workspaceName", "workspaceName"),
        ("resourceSpec.cu", "resourceSpec.cu"),
        ("ossBucket", "ossBucket"),
        ("ramRoleName", "ramRoleName"),
        ("paymentType", "paymentType"),
    ] {
        let form = accepted(&with(&[(key, Value::Null)]));
        let errors = validate(&form).unwrap_err();
        assert_eq!(
            (errors[0].path.as_str(), errors[0].code),
            (path, Code::Required),
            "{key}"
        );
        assert_eq!(errors[0].api_code(), format!("MissingParameter.{path}"));
    }
    let form = accepted(&with(&[("resourceSpec", Value::Null)]));
    assert_eq!((form.cu.as_str(), form.gpu.as_str()), ("", ""));
    // Inside a tag, a null value is an empty value and a null key a missing key.
    let form = accepted(&with(&[(
        "tag",
        json!([{"key": "k", "value": null}, {"key": null, "value": "v"}]),
    )]));
    assert_eq!(form.tags, vec![TagRow::new("k", ""), TagRow::new("", "v")]);
    let errors = validate(&form).unwrap_err();
    assert_eq!(
        (errors[0].path.as_str(), errors[0].code),
        ("tag[1].key", Code::Required)
    );
    // Pre with a null autoRenew lacks autoRenew.
    let b = with(&[
        ("paymentType", json!("Pre")),
        ("paymentDurationUnit", json!("MONTH")),
        ("duration", json!("1")),
        ("autoRenew", Value::Null),
    ]);
    assert_eq!(refused(&b), ("autoRenew".to_owned(), Code::Required));
}

#[test]
fn unknown_keys_are_ignored() {
    let b = with(&[
        ("RegionId", json!("x")),
        ("workspace_name", json!(1)),
        ("WorkspaceName", json!([])),
        ("extra", json!({"deep": [1, 2, {"x": null}]})),
        ("resourceSpec.memory", json!("16Gi")),
        ("resourceSpec.cu", json!("8")),
    ]);
    let mut b = b;
    b["tag"] = json!([{"key": "k", "value": "v", "colour": 3}]);
    let form = accepted(&b);
    assert_eq!(form.tags, vec![TagRow::new("k", "v")]);
    let mut want = accepted(&body());
    want.tags = vec![TagRow::new("k", "v")];
    assert_eq!(form, want);
}

#[test]
fn subscription_fields_sent_with_pay_as_you_go_are_not_applicable() {
    for (key, value) in [
        ("duration", json!("1")),
        ("paymentDurationUnit", json!("MONTH")),
        ("autoRenew", json!("false")),
        ("autoRenew", json!("true")),
        ("autoRenewPeriod", json!("1")),
        ("autoRenewPeriodUnit", json!("MONTH")),
        // Even garbage: what matters is that it was sent.
        ("duration", json!("garbage")),
        ("autoRenewPeriod", json!("")),
    ] {
        let b = with(&[(key, value.clone())]);
        let (path, code) = refused(&b);
        assert_eq!(
            (path.as_str(), code),
            (key, Code::NotApplicable),
            "{key}={value}"
        );
        // With no paymentType, or a wrong one, the paymentType is the problem to report (regression: the
        // server used to blame the subscription field instead).
        for payment_type in [None, Some("pre"), Some(" Pre")] {
            let mut b = b.clone();
            match payment_type {
                None => {
                    b.as_object_mut().unwrap().remove("paymentType");
                }
                Some(p) => b["paymentType"] = json!(p),
            }
            let form = accepted(&b);
            let errors = validate(&form).unwrap_err();
            assert_eq!(errors[0].path, "paymentType", "{key} with {payment_type:?}");
        }
    }
    // The first of several, in catalogue order.
    let b = with(&[
        ("autoRenewPeriodUnit", json!("MONTH")),
        ("duration", json!("1")),
    ]);
    assert_eq!(refused(&b), ("duration".to_owned(), Code::NotApplicable));
}

#[test]
fn renewal_fields_need_auto_renew_true() {
    for key in ["autoRenewPeriod", "autoRenewPeriodUnit"] {
        let value = if key == "autoRenewPeriod" {
            "1"
        } else {
            "MONTH"
        };
        let mut pairs = pre();
        pairs.push((key, json!(value)));
        assert_eq!(
            refused(&with(&pairs)),
            (key.to_owned(), Code::NotApplicable),
            "{key}"
        );
        let e = from_wire(Some("cn-hangzhou"), &with(&pairs)).unwrap_err();
        assert!(e.message.en.contains("autoRenew"), "{}", e.message.en);
        assert_eq!(e.api_code(), format!("InvalidParameter.{key}"));
    }
    let mut pairs = pre();
    pairs.extend([
        ("autoRenew", json!("true")),
        ("autoRenewPeriod", json!("12")),
        ("autoRenewPeriodUnit", json!("MONTH")),
    ]);
    let v = valid(&with(&pairs));
    assert_eq!(v.body.auto_renew.as_deref(), Some("true"));
    assert_eq!(v.body.auto_renew_period.as_deref(), Some("12"));
}

#[test]
fn subscription_needs_auto_renew() {
    let b = with(&[
        ("paymentType", json!("Pre")),
        ("paymentDurationUnit", json!("MONTH")),
        ("duration", json!("3")),
    ]);
    assert_eq!(refused(&b), ("autoRenew".to_owned(), Code::Required));
    let e = from_wire(None, &b).unwrap_err();
    assert_eq!(e.api_code(), "MissingParameter.autoRenew");

    let v = valid(&with(&pre()));
    assert_eq!(v.body.auto_renew.as_deref(), Some("false"));
    assert_eq!(v.body.duration.as_deref(), Some("1"));

    // Missing duration and unit are left to validation, which names them.
    let b = with(&[("paymentType", json!("Pre")), ("autoRenew", json!("true"))]);
    let form = accepted(&b);
    let errors: Vec<(String, Code)> = validate(&form)
        .unwrap_err()
        .into_iter()
        .map(|e| (e.path, e.code))
        .collect();
    assert_eq!(
        errors,
        [
            ("duration".to_owned(), Code::Required),
            ("paymentDurationUnit".to_owned(), Code::Required),
            ("autoRenewPeriod".to_owned(), Code::Required),
            ("autoRenewPeriodUnit".to_owned(), Code::Required),
        ]
    );
}

#[test]
fn integers_keep_their_value_for_validation() {
    let gpu = |v: Value| accepted(&with(&[("resourceSpec.gpu", v)])).gpu;
    assert_eq!(gpu(json!(0)), "0");
    assert_eq!(gpu(json!(2147483647)), "2147483647");
    assert_eq!(gpu(json!(-1)), "-1");
    assert_eq!(gpu(json!(u64::MAX)), u64::MAX.to_string());
    assert_eq!(gpu(json!(i64::MIN)), i64::MIN.to_string());
    let code = |v: Value| {
        validate(&accepted(&with(&[("resourceSpec.gpu", v)])))
            .map_err(|e| (e[0].path.clone(), e[0].code))
    };
    assert_eq!(
        code(json!(2147483648_u64)),
        Err(("resourceSpec.gpu".to_owned(), Code::OutOfRange))
    );
    assert_eq!(
        code(json!(u64::MAX)),
        Err(("resourceSpec.gpu".to_owned(), Code::OutOfRange))
    );
    assert_eq!(
        code(json!(-1)),
        Err(("resourceSpec.gpu".to_owned(), Code::NotWholeNumber))
    );
    assert_eq!(
        code(json!(7)).unwrap().body.resource_spec.unwrap().gpu,
        Some(7)
    );
    // Numbers written with an exponent or a fraction are not integers, whatever their value.
    let b: Value = serde_json::from_str(r#"{"resourceSpec":{"cu":"8","gpu":1e2}}"#).unwrap();
    assert_eq!(
        refused(&b),
        ("resourceSpec.gpu".to_owned(), Code::WrongType)
    );
}

#[test]
fn booleans_are_read() {
    let form = accepted(&with(&[("autoStartSessionCluster", json!(true))]));
    assert!(form.auto_start_session_cluster);
    let v = validate(&form).unwrap();
    assert_eq!(v.body.auto_start_session_cluster, Some(true));
    // false is the API default: read, and then not sent.
    let form = accepted(&with(&[("autoStartSessionCluster", json!(false))]));
    assert!(!form.auto_start_session_cluster);
    assert_eq!(
        validate(&form).unwrap().body.auto_start_session_cluster,
        None
    );
}

#[test]
fn values_are_read_verbatim_and_then_validated() {
    // from_wire checks types only; spaces and bad values reach validation unchanged.
    let form = accepted(&with(&[
        ("workspaceName", json!(" a b ")),
        ("resourceSpec.cu", json!("08")),
        ("tag", json!([{"key": "acs:x"}])),
        ("gpuSpec", json!([""])),
    ]));
    assert_eq!(form.workspace_name, " a b ");
    assert_eq!(form.cu, "08");
    assert_eq!(form.gpu_spec, vec![String::new()]);
    let errors: Vec<(String, Code)> = validate(&form)
        .unwrap_err()
        .into_iter()
        .map(|e| (e.path, e.code))
        .collect();
    assert_eq!(
        errors,
        [
            ("workspaceName".to_owned(), Code::Whitespace),
            ("resourceSpec.cu".to_owned(), Code::NotPositiveInteger),
            ("resourceSpec.gpu".to_owned(), Code::NeedsGpu),
            ("gpuSpec[0]".to_owned(), Code::Required),
            ("tag[0].key".to_owned(), Code::ReservedPrefix),
        ]
    );
}

/// Rich forms that validate; each must survive validate → JSON → from_wire → validate unchanged.
/// The forms the official SDK was given (see `golden/`), and variants with leftovers in fields that do not apply.
fn rich_forms() -> Vec<FormState> {
    let cases = common::sdk_cases();
    let everything = cases
        .iter()
        .find(|(name, _)| *name == "everything")
        .map(|(_, form)| form.clone())
        .unwrap();
    let mut forms: Vec<FormState> = cases.into_iter().map(|(_, form)| form).collect();

    // Subscription without auto-renew, with leftovers in the renewal fields.
    let mut sub = forms[0].clone();
    sub.region_id = "cn-shanghai".into();
    sub.payment_type = "Pre".into();
    sub.duration = "9".into();
    sub.auto_renew_period = "garbage".into();
    sub.gpu = "0".into();
    forms.push(sub);

    // Subscription with auto-renew and everything else.
    let mut renew = everything.clone();
    renew.payment_type = "Pre".into();
    renew.duration = "3".into();
    renew.auto_renew = true;
    renew.auto_renew_period = "12".into();
    renew.cu = "1001".into();
    forms.push(renew);

    // Pay-as-you-go with leftovers in every subscription field, and 20 tags.
    let mut payg = everything;
    payg.duration = "x".into();
    payg.auto_renew = true;
    payg.auto_renew_period = "y".into();
    payg.payment_duration_unit = "z".into();
    payg.dlf_type = String::new();
    payg.tags = (0..20).map(|i| TagRow::new(format!("k{i}"), "")).collect();
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
        assert_eq!(back.tags, form.tags);
        assert_eq!(back.gpu_spec, form.gpu_spec);
        assert_eq!(back.workspace_name, form.workspace_name);
        if !form.is_subscription() {
            assert_eq!((back.duration.as_str(), back.auto_renew), ("", false));
        }
        if !(form.is_subscription() && form.auto_renew) {
            assert_eq!(back.auto_renew_period, "");
        }
    }
}
