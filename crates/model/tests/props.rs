//! Properties: nothing panics on any input, and every accepted request survives JSON and the server's reader
//! unchanged.

use proptest::{
    collection::{btree_set, vec},
    prelude::*,
    sample::select,
    strategy::ValueTree,
    test_runner::TestRunner,
};
use serde_json::{Number, Value};
use workspace_model::{
    CreateWorkspaceRequest, FIELDS, FieldKey, FormState, REGIONS, TagRow, Valid,
    catalogue::Control,
    validate::{field_errors, validate, warnings},
    wire::from_wire,
};

/// Fragments that hit the rules' edges when glued together.
const PIECES: &[&str] = &[
    "oss://",
    "/",
    "//",
    "\\",
    "aliyun",
    "ALIYUN",
    "acs:",
    "ACS:",
    "http://",
    "https://",
    "rg-",
    "ecs.",
    "gn7i-c8g1",
    ".",
    "-",
    "_",
    " ",
    "\t",
    "\n",
    "\r",
    "\0",
    "\u{7f}",
    "\u{85}",
    "\u{3000}",
    "\u{200B}",
    "0",
    "1",
    "9",
    "12",
    "13",
    "01",
    "-1",
    "1.5",
    "2147483647",
    "2147483648",
    "18446744073709551616",
    "Pre",
    "PayAsYouGo",
    "MONTH",
    "true",
    "false",
    "dlf1.0",
    "dlf2.0",
    "pro",
    "cn-hangzhou",
    "数",
    "\u{4E00}",
    "\u{9FA5}",
    "\u{9FA6}",
    "😀",
    "é",
    "a",
    "Z",
    "my-bucket",
    "\"",
    "{}",
    "null",
];

/// Any string: arbitrary Unicode, rule-shaped fragments, control characters, and huge values.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        4 => any::<String>(),
        4 => vec(select(PIECES), 0..10).prop_map(|p| p.concat()),
        1 => "[\\x00-\\x20\\x7f\\u{80}-\\u{a0}\\u{2000}-\\u{200f}\\u{2028}\\u{2029}\\u{3000}]{0,12}",
        1 => vec(any::<char>(), 1000..4000).prop_map(String::from_iter),
        1 => (select(PIECES), 100usize..3000).prop_map(|(p, n)| p.repeat(n)),
    ]
    .boxed()
}

/// A text that is often a valid choice, so that the subscription branches are explored.
fn choice_or_text(choices: &'static [&'static str]) -> BoxedStrategy<String> {
    prop_oneof![
        2 => select(choices).prop_map(String::from),
        1 => text(),
    ]
    .boxed()
}

/// Any form at all.
fn any_form() -> impl Strategy<Value = FormState> {
    let a = (
        choice_or_text(&["cn-hangzhou", "us-east-1"]),
        text(),
        choice_or_text(&["8", "5001"]),
        choice_or_text(&["", "0", "1"]),
        vec(choice_or_text(&["ecs.gn7i-c8g1.2xlarge", ""]), 0..5),
        choice_or_text(&["oss://my-bucket/"]),
        choice_or_text(&["dlf1.0", ""]),
        text(),
    );
    let b = (
        choice_or_text(&["Pre", "PayAsYouGo"]),
        choice_or_text(&["1", "9"]),
        choice_or_text(&["MONTH"]),
        any::<bool>(),
        choice_or_text(&["1", "12"]),
        choice_or_text(&["MONTH"]),
        choice_or_text(&["AliyunEMRSparkJobRunDefaultRole"]),
        text(),
    );
    let c = (
        vec((text(), text()), 0..25),
        choice_or_text(&["", "pro"]),
        any::<bool>(),
        text(),
    );
    (a, b, c).prop_map(
        |(
            (region_id, workspace_name, cu, gpu, gpu_spec, oss_bucket, dlf_type, dlf_catalog_id),
            (
                payment_type,
                duration,
                payment_duration_unit,
                auto_renew,
                auto_renew_period,
                auto_renew_period_unit,
                ram_role_name,
                resource_group_id,
            ),
            (tags, release_type, auto_start_session_cluster, client_token),
        )| FormState {
            region_id,
            workspace_name,
            cu,
            gpu,
            gpu_spec,
            oss_bucket,
            dlf_type,
            dlf_catalog_id,
            payment_type,
            duration,
            payment_duration_unit,
            auto_renew,
            auto_renew_period,
            auto_renew_period_unit,
            ram_role_name,
            resource_group_id,
            tags: tags.into_iter().map(|(k, v)| TagRow::new(k, v)).collect(),
            release_type,
            auto_start_session_cluster,
            client_token,
        },
    )
}

/// Forms that satisfy every rule by construction (with garbage in the fields that do not apply).
fn valid_form() -> impl Strategy<Value = FormState> {
    let regions: Vec<&'static str> = REGIONS.iter().map(|r| r.id).collect();
    let a = (
        select(regions),
        "[a-zA-Z0-9_\\-\u{4E00}-\u{9FA5}]{1,64}",
        prop_oneof![4 => "[1-9][0-9]{0,5}", 1 => "[1-9][0-9]{15,40}"],
        prop_oneof![
            Just(String::new()),
            Just("0".to_owned()),
            "[1-9][0-9]{0,8}",
            Just("2147483647".to_owned())
        ],
        btree_set(
            "ecs\\.[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}\\.[a-z0-9]{1,8}",
            0..4,
        ),
        "[a-z0-9][a-z0-9-]{1,61}[a-z0-9]",
        vec("[^/\\\\\\p{Cc}\\s]{1,12}", 0..4),
        any::<bool>(),
    );
    let b = (
        select(&["", "dlf1.0", "dlf2.0"][..]),
        prop_oneof![Just(String::new()), "[^\\s\\p{Cc}]{1,128}"],
        any::<bool>(),
        "[1-9]",
        any::<bool>(),
        prop_oneof!["[1-9]", "1[0-2]"],
        (text(), text(), text(), text()),
    );
    let c = (
        "[A-Za-z0-9._-]{1,64}",
        prop_oneof![Just(String::new()), "rg-[a-z0-9]{1,20}"],
        vec(
            (
                "[^:\\s\\p{Cc}]{0,40}",
                prop_oneof![Just(String::new()), "[^:\\s\\p{Cc}]{1,40}"],
            ),
            0..=20,
        ),
        select(&["", "pro"][..]),
        any::<bool>(),
        prop_oneof![Just(String::new()), "[!-~]([ -~]{0,62}[!-~])?"],
    );
    (a, b, c).prop_map(
        |(
            (region, name, cu, gpu, specs, bucket, segments, trailing_slash),
            (dlf_type, catalog, pre, duration, renew, period, garbage),
            (role, group, tags, release, start, token),
        )| {
            let mut form = FormState::new();
            form.region_id = region.into();
            form.workspace_name = name;
            form.cu = cu;
            form.gpu_spec = specs.into_iter().collect();
            form.gpu = if form.gpu_spec.is_empty() || gpu.parse::<i32>().is_ok_and(|n| n >= 1) {
                gpu
            } else {
                "1".into()
            };
            let mut path = segments.join("/");
            if trailing_slash && !path.is_empty() {
                path.push('/');
            }
            form.oss_bucket = format!("oss://{bucket}/{path}");
            form.dlf_type = dlf_type.into();
            form.dlf_catalog_id = catalog;
            let (g1, g2, g3, g4) = garbage;
            if pre {
                form.payment_type = "Pre".into();
                form.duration = duration;
                form.auto_renew = renew;
                if renew {
                    form.auto_renew_period = period;
                } else {
                    form.auto_renew_period = g3;
                    form.auto_renew_period_unit = g4;
                }
            } else {
                form.duration = g1;
                form.payment_duration_unit = g2;
                form.auto_renew = renew;
                form.auto_renew_period = g3;
                form.auto_renew_period_unit = g4;
            }
            form.ram_role_name = role;
            form.resource_group_id = group;
            // Keys start with their index and a hyphen, so they are distinct and never reserved.
            form.tags = tags
                .into_iter()
                .enumerate()
                .map(|(i, (k, v))| TagRow::new(format!("{i}-{k}"), v))
                .collect();
            form.release_type = release.into();
            form.auto_start_session_cluster = start;
            form.client_token = token;
            form
        },
    )
}

/// A valid form with one field replaced by anything (or one list row added): often still valid, often not.
fn mutated_form() -> impl Strategy<Value = FormState> {
    (valid_form(), 0..FIELDS.len(), text(), text()).prop_map(|(mut form, i, t1, t2)| {
        let field = &FIELDS[i];
        match field.control {
            Control::Checkbox => {
                let on = form.flag(field.key) == Some(true);
                form.set_flag(field.key, !on);
            }
            Control::TagList => form.tags.push(TagRow::new(t1, t2)),
            Control::TextList => form.gpu_spec.push(t1),
            _ => {
                form.set_text(field.key, &t1);
            }
        }
        form
    })
}

/// Any JSON value, with the request's own keys common among object keys.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        text().prop_map(Value::String),
        choice_or_text(&["Pre", "true", "false", "MONTH", "8", "oss://my-bucket/"])
            .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..8).prop_map(Value::Array),
            vec((key(), inner), 0..8).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

const KEYS: &[&str] = &[
    "regionId",
    "workspaceName",
    "resourceSpec",
    "cu",
    "gpu",
    "gpuSpec",
    "ossBucket",
    "dlfType",
    "dlfCatalogId",
    "paymentType",
    "duration",
    "paymentDurationUnit",
    "autoRenew",
    "autoRenewPeriod",
    "autoRenewPeriodUnit",
    "ramRoleName",
    "resourceGroupId",
    "tag",
    "key",
    "value",
    "releaseType",
    "autoStartSessionCluster",
    "clientToken",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![3 => select(KEYS).prop_map(String::from), 1 => any::<String>()]
}

/// Bodies shaped like requests: the request's keys, each with any JSON value, plus a resourceSpec object.
fn shaped_body() -> impl Strategy<Value = Value> {
    (
        vec((select(KEYS), json_value()), 0..16),
        proptest::option::of(vec((select(&["cu", "gpu", "x"][..]), json_value()), 0..3)),
    )
        .prop_map(|(pairs, spec)| {
            let mut obj: serde_json::Map<String, Value> =
                pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            if let Some(spec) = spec {
                let spec = spec.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                obj.insert("resourceSpec".into(), Value::Object(spec));
            }
            Value::Object(obj)
        })
}

fn no_nulls_or_empty_strings(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => items.iter().all(no_nulls_or_empty_strings),
        Value::Object(obj) => obj.values().all(no_nulls_or_empty_strings),
        Value::Bool(_) | Value::Number(_) => true,
    }
}

/// Checks an accepted request: JSON round trip, the server's reader, and that only what applies is sent.
fn check_accepted(form: &FormState, valid: &Valid) -> Result<(), TestCaseError> {
    let json = valid.body.to_json();
    // Typed round trip.
    let parsed: CreateWorkspaceRequest =
        serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{json}: {e}")))?;
    prop_assert_eq!(&parsed, &valid.body);
    prop_assert_eq!(parsed.to_json(), json.clone());
    // Untyped: compact, no nulls or empty strings, the same text when written again.
    let value: Value = serde_json::from_str(&json).unwrap();
    prop_assert!(no_nulls_or_empty_strings(&value), "{}", json);
    prop_assert_eq!(serde_json::to_string(&value).unwrap(), json.clone());
    // The server's reader gives back a form that validates to the same request.
    let read = from_wire(Some(&valid.region_id), &value)
        .map_err(|e| TestCaseError::fail(format!("from_wire refused {json}: {e:?}")))?;
    let again = validate(&read);
    prop_assert_eq!(again.as_ref(), Ok(valid));
    // What does not apply is not sent.
    let sub = form.is_subscription();
    let renew = sub && form.auto_renew;
    let obj = value.as_object().unwrap();
    for (key, applies) in [
        ("duration", sub),
        ("paymentDurationUnit", sub),
        ("autoRenew", sub),
        ("autoRenewPeriod", renew),
        ("autoRenewPeriodUnit", renew),
    ] {
        prop_assert_eq!(obj.contains_key(key), applies, "{} in {}", key, json);
    }
    prop_assert_eq!(&valid.region_id, &form.region_id);
    Ok(())
}

/// Checks any form: no panic, the errors are the per-field errors in form order, warnings do not panic.
fn check_any(form: &FormState) -> Result<Option<Valid>, TestCaseError> {
    let before = form.clone();
    let result = validate(form);
    let _ = warnings(form);
    prop_assert_eq!(form, &before);
    let per_field: Vec<_> = FIELDS
        .iter()
        .flat_map(|f| field_errors(form, f.key))
        .collect();
    match &result {
        Ok(_) => prop_assert!(per_field.is_empty()),
        Err(errors) => {
            prop_assert!(!errors.is_empty());
            prop_assert_eq!(errors, &per_field);
            let mut last = 0;
            for e in errors {
                let key = e.field();
                prop_assert!(key.is_some(), "unknown path {}", e.path);
                let index = key.unwrap() as usize;
                prop_assert!(index >= last, "out of order: {}", e.path);
                last = index;
                let _ = (e.api_code(), e.api_message());
            }
        }
    }
    Ok(result.ok())
}

/// Checks any body: from_wire does not panic, its errors name the body, a nested object or a parameter, and a
/// body it accepts and that validates survives the round trip.
fn check_body(region: Option<&str>, body: &Value) -> Result<bool, TestCaseError> {
    match from_wire(region, body) {
        Err(e) => {
            prop_assert!(
                e.field().is_some() || e.path == "body" || e.path == "resourceSpec",
                "unexpected path {}",
                e.path
            );
            Ok(false)
        }
        Ok(form) => {
            prop_assert_eq!(form.region_id.as_str(), region.unwrap_or(""));
            match check_any(&form)? {
                Some(valid) => {
                    check_accepted(&form, &valid)?;
                    Ok(true)
                }
                None => Ok(false),
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn validate_never_panics_on_any_form(form in any_form()) {
        if let Some(valid) = check_any(&form)? {
            check_accepted(&form, &valid)?;
        }
    }

    #[test]
    fn field_errors_never_panic_on_any_form(form in any_form()) {
        for f in &FIELDS {
            for e in field_errors(&form, f.key) {
                prop_assert_eq!(e.field(), Some(f.key));
            }
        }
    }

    #[test]
    fn generated_valid_forms_are_accepted_and_round_trip(form in valid_form()) {
        let valid = validate(&form);
        prop_assert!(valid.is_ok(), "{:?}\n{:?}", form, valid);
        check_accepted(&form, &valid.unwrap())?;
    }

    #[test]
    fn mutated_valid_forms_never_panic_and_accepted_ones_round_trip(form in mutated_form()) {
        if let Some(valid) = check_any(&form)? {
            check_accepted(&form, &valid)?;
        }
    }

    #[test]
    fn from_wire_never_panics_on_any_json(region in proptest::option::of(text()), body in json_value()) {
        check_body(region.as_deref(), &body)?;
    }

    #[test]
    fn from_wire_never_panics_on_request_shaped_json(body in shaped_body()) {
        check_body(Some("cn-hangzhou"), &body)?;
    }

    #[test]
    fn from_wire_reads_every_valid_request_back(form in valid_form()) {
        let valid = validate(&form).unwrap();
        let value = serde_json::to_value(&valid.body).unwrap();
        prop_assert!(check_body(Some(&valid.region_id), &value)?);
    }

    #[test]
    fn warnings_never_panic(form in any_form(), cu in text()) {
        let _ = warnings(&form);
        let mut form = form;
        form.cu = cu;
        for w in warnings(&form) {
            prop_assert_eq!(w.field(), Some(FieldKey::Cu));
            prop_assert_eq!(w.api_code(), "QuotaExceeded.resourceSpec.cu");
        }
    }
}

/// The strategies must actually produce accepted requests, or the round-trip properties would test nothing.
#[test]
fn the_strategies_yield_accepted_requests() {
    fn accepted_share<S: Strategy<Value = FormState>>(strategy: S, n: usize) -> usize {
        let mut runner = TestRunner::deterministic();
        (0..n)
            .filter(|_| {
                let form = strategy.new_tree(&mut runner).unwrap().current();
                validate(&form).is_ok()
            })
            .count()
    }
    assert_eq!(accepted_share(valid_form(), 300), 300);
    let mutated = accepted_share(mutated_form(), 300);
    assert!(
        mutated > 30 && mutated < 300,
        "{mutated} of 300 mutated forms accepted"
    );
    let any = accepted_share(any_form(), 300);
    assert!(any < 300, "{any} of 300 arbitrary forms accepted");

    let mut runner = TestRunner::deterministic();
    let shaped = shaped_body();
    let read = (0..300)
        .filter(|_| {
            let body = shaped.new_tree(&mut runner).unwrap().current();
            from_wire(Some("cn-hangzhou"), &body).is_ok()
        })
        .count();
    assert!(read > 0, "no request-shaped body was read");
}
