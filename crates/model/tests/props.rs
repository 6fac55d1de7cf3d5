//! Properties: nothing panics on any input, and every accepted request survives JSON and the server's reader
//! unchanged.

use proptest::{
    collection::vec, prelude::*, sample::select, strategy::ValueTree, test_runner::TestRunner,
};
use serde_json::{Number, Value};
use workspace_model::{
    FIELDS, FieldKey as K, FieldPath, FormState, REGIONS, Valid, Values,
    catalogue::{Control, DEFAULT_RAM_ROLE},
    validate::{check_all, check_field, first_error, validate},
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

/// Values that are often valid for a field, so that the subscription branches and lists are explored.
fn choices(key: K) -> &'static [&'static str] {
    match key {
        K::RegionId => &["cn-hangzhou", "us-east-1"],
        K::WorkspaceName => &["spark-etl", "数据"],
        K::Cu => &["8", "5001"],
        K::Gpu => &["", "0", "1"],
        K::OssBucket => &["oss://my-bucket/", "oss://my-bucket"],
        K::DlfType => &["dlf1.0", "1.0", ""],
        K::PaymentType => &["Pre", "PayAsYouGo", ""],
        K::Duration => &["1", "9"],
        K::PaymentDurationUnit | K::AutoRenewPeriodUnit => &["MONTH", "month"],
        K::AutoRenew | K::AutoStartSessionCluster => &["true", "false", ""],
        K::AutoRenewPeriod => &["1", "100"],
        K::RamRoleName => &[DEFAULT_RAM_ROLE, ""],
        K::ReleaseType => &["", "pro"],
        _ => &[""],
    }
}

/// Any form at all.
fn any_form() -> impl Strategy<Value = FormState> {
    let scalars: Vec<BoxedStrategy<String>> = FIELDS
        .iter()
        .map(|f| choice_or_text(choices(f.key)))
        .collect();
    (
        scalars,
        vec((text(), text()), 0..25),
        vec(choice_or_text(&["ecs.gn7i-c8g1.2xlarge", ""]), 0..5),
    )
        .prop_map(|(values, tags, specs)| {
            let mut form = FormState::default();
            for (field, v) in FIELDS.iter().zip(values) {
                form.set(field.key, v);
            }
            *form.rows_mut(K::Tag) = tags.into_iter().map(|(k, v)| vec![k, v]).collect();
            *form.rows_mut(K::GpuSpec) = specs.into_iter().map(|s| vec![s]).collect();
            form
        })
}

/// Forms that satisfy every api and console rule by construction (with garbage in the fields that do not
/// apply, and anything in fields that only have hints).
fn valid_form() -> impl Strategy<Value = FormState> {
    let regions: Vec<&'static str> = REGIONS.iter().map(|r| r.id).collect();
    let a = (
        select(regions),
        "[a-zA-Z0-9_\\-\u{4E00}-\u{9FA5}]{1,64}",
        prop_oneof![4 => "[1-9][0-9]{0,5}", 1 => "[1-9][0-9]{15,40}"],
        prop_oneof![
            Just(String::new()),
            Just("0".to_owned()),
            "[1-9][0-9]{0,17}"
        ],
        vec(text(), 0..4),
        "[a-z0-9][a-z0-9-]{1,61}[a-z0-9]",
        text(),
        any::<bool>(),
    );
    let b = (
        text(),
        text(),
        any::<bool>(),
        "[1-9]",
        any::<bool>(),
        "[1-9][0-9]{0,12}",
        (text(), text(), text(), text()),
        (
            select(&["MONTH", "month", "Month"][..]),
            select(&["MONTH", "month", "mOnTh"][..]),
        ),
    );
    let c = (
        prop_oneof![Just(String::new()), "[A-Za-z0-9._-]{1,64}"],
        text(),
        vec(
            (
                "[^:\\p{Cc}]{0,40}",
                prop_oneof![Just(String::new()), "[^:\\p{Cc}]{1,40}"],
            ),
            0..=20,
        ),
        text(),
        any::<bool>(),
        prop_oneof![Just(String::new()), "[\\x00-\\x7f]{1,64}"],
        select(&["", "PayAsYouGo"][..]),
    );
    (a, b, c).prop_map(
        |(
            (region, name, cu, gpu, specs, bucket, path, trailing_slash),
            (dlf_type, catalog, pre, duration, renew, period, garbage, units),
            (role, group, tags, release, start, token, payg),
        )| {
            let (g1, g2, g3, g4) = garbage;
            let mut form = FormState::default()
                .with(K::RegionId, region)
                .with(K::WorkspaceName, name)
                .with(K::Cu, cu)
                .with(K::Gpu, gpu)
                .with(K::DlfType, dlf_type)
                .with(K::DlfCatalogId, catalog)
                .with(K::RamRoleName, role)
                .with(K::ResourceGroupId, group)
                .with(K::ReleaseType, release)
                .with(K::ClientToken, token)
                .with(K::AutoStartSessionCluster, start.to_string())
                .with(K::Duration, g1)
                .with(K::PaymentDurationUnit, g2)
                .with(K::AutoRenewPeriod, g3)
                .with(K::AutoRenewPeriodUnit, g4)
                .with(K::PaymentType, payg);
            *form.rows_mut(K::GpuSpec) = specs.into_iter().map(|s| vec![s]).collect();
            let path = if path.is_empty() && !trailing_slash {
                String::new()
            } else {
                format!("/{path}")
            };
            form.set(K::OssBucket, format!("oss://{bucket}{path}"));
            if pre {
                form.set(K::PaymentType, "Pre");
                form.set(K::Duration, duration);
                form.set(K::PaymentDurationUnit, units.0);
                form.set_flag(K::AutoRenew, renew);
                if renew {
                    form.set(K::AutoRenewPeriod, period);
                    form.set(K::AutoRenewPeriodUnit, units.1);
                }
            }
            // Keys start with their index and a hyphen, so they are distinct and never reserved.
            *form.rows_mut(K::Tag) = tags
                .into_iter()
                .enumerate()
                .map(|(i, (k, v))| {
                    vec![
                        format!("{i}-{k}").replace("http", "ht"),
                        v.replace("http", "ht"),
                    ]
                })
                .collect();
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
                let on = form.flag(field.key);
                form.set_flag(field.key, !on);
            }
            Control::List(list) => {
                let row = if list.parts.len() == 2 {
                    vec![t1, t2]
                } else {
                    vec![t1]
                };
                form.rows_mut(field.key).push(row);
            }
            _ => form.set(field.key, t1),
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
        Value::Array(items) => !items.is_empty() && items.iter().all(no_nulls_or_empty_strings),
        Value::Object(obj) => obj.values().all(no_nulls_or_empty_strings),
        Value::Bool(_) | Value::Number(_) => true,
    }
}

/// Checks an accepted request: JSON round trip, the server's reader, and that only what applies is sent.
fn check_accepted(form: &FormState, valid: &Valid) -> Result<(), TestCaseError> {
    let json = valid.body.to_json();
    // Compact, no nulls or empty strings, the same text when serde_json writes it again.
    let value: Value =
        serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{json}: {e}")))?;
    prop_assert!(no_nulls_or_empty_strings(&value), "{}", json);
    prop_assert_eq!(serde_json::to_string(&value).unwrap(), json.clone());
    // The server's reader gives back a form that validates to the same request.
    let read = from_wire(Some(&valid.region_id), &value)
        .map_err(|e| TestCaseError::fail(format!("from_wire refused {json}: {e:?}")))?;
    let again = validate(&read);
    prop_assert_eq!(again.as_ref(), Ok(valid));
    // What does not apply is not sent.
    let sub = form.is_subscription();
    let renew = sub && form.flag(K::AutoRenew);
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
    prop_assert_eq!(valid.region_id.as_str(), form.get(K::RegionId));
    Ok(())
}

/// Checks any form: no panic; `validate` (every rule) and `first_error` (which stops at the first error) agree on
/// whether and where it fails; findings come in form order and their paths read back.
fn check_any(form: &FormState) -> Result<Option<Valid>, TestCaseError> {
    let result = validate(form);
    let first = first_error(form);
    match &result {
        Ok(_) => prop_assert_eq!(first, None),
        Err(errors) => prop_assert_eq!(first.as_ref(), errors.first()),
    }
    let all = check_all(form);
    let mut last = 0;
    for e in &all {
        let index = e.path.key as usize;
        prop_assert!(index >= last, "out of order: {}", e.path);
        last = index;
        prop_assert_eq!(e.path.to_string().parse::<FieldPath>(), Ok(e.path));
        let _ = (e.api_code(), e.api_message());
    }
    Ok(result.ok())
}

/// Checks any body: from_wire does not panic, its errors are InvalidParameter codes, and a body it accepts and
/// that validates survives the round trip.
fn check_body(region: Option<&str>, body: &Value) -> Result<bool, TestCaseError> {
    match from_wire(region, body) {
        Err(e) => {
            prop_assert!(
                e.api_code().starts_with("InvalidParameter."),
                "{}",
                e.api_code()
            );
            Ok(false)
        }
        Ok(form) => {
            prop_assert_eq!(form.get(K::RegionId), region.unwrap_or(""));
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
    fn check_field_reports_only_its_own_field(form in any_form()) {
        for f in &FIELDS {
            for e in check_field(&form, f.key) {
                prop_assert_eq!(e.path.key, f.key);
            }
            if !Values::applies(&form, f.key) {
                prop_assert!(check_field(&form, f.key).is_empty());
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
        let value: Value = serde_json::from_str(&valid.body.to_json()).unwrap();
        prop_assert!(check_body(Some(&valid.region_id), &value)?);
    }

    #[test]
    fn hints_never_refuse(form in valid_form(), cu in text(), group in text(), dlf in text()) {
        // Fields with only hints (and the CU quota hint) never make a valid form invalid.
        let mut form = form.with(K::ResourceGroupId, group).with(K::DlfType, dlf).with(K::ReleaseType, cu.clone());
        prop_assert!(validate(&form).is_ok());
        if cu.bytes().all(|b| b.is_ascii_digit()) && !cu.starts_with('0') && !cu.is_empty() {
            form.set(K::Cu, cu);
            prop_assert!(validate(&form).is_ok());
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

/// A new parameter needs its place in [`valid_form`] (and [`KEYS`]), or the round-trip properties never see it
/// sent: over a few hundred valid forms, every parameter must be in some body.
#[test]
fn the_valid_strategy_sends_every_parameter() {
    let mut runner = TestRunner::deterministic();
    let strategy = valid_form();
    let mut sent = std::collections::BTreeSet::from(["regionId".to_owned()]);
    for _ in 0..300 {
        let form = strategy.new_tree(&mut runner).unwrap().current();
        let body: Value = serde_json::from_str(&validate(&form).unwrap().body.to_json()).unwrap();
        for (key, value) in body.as_object().unwrap() {
            match value.as_object() {
                Some(inner) => sent.extend(inner.keys().map(|k| format!("{key}.{k}"))),
                None => {
                    sent.insert(key.clone());
                }
            }
        }
    }
    let never: Vec<&str> = FIELDS
        .iter()
        .map(|f| f.path)
        .filter(|p| !sent.contains(*p))
        .collect();
    assert!(
        never.is_empty(),
        "valid_form never sends {never:?}: give them valid values there"
    );
}

#[test]
fn keys_name_every_member_a_body_can_have() {
    for f in &FIELDS {
        let parts = f.list().map_or(&[][..], |l| l.parts);
        for name in f
            .path
            .split('.')
            .chain(parts.iter().map(|p| p.name).filter(|n| !n.is_empty()))
        {
            assert!(KEYS.contains(&name), "KEYS lacks {name} (of {})", f.path);
        }
    }
}
