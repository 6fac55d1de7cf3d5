//! The policy tier (`crates/model/src/policy.rs`), table driven: every operator's findings, every start-up
//! refusal, what a new form and a draft become under a policy, and a property that no text panics the parser.

use proptest::prelude::*;
use workspace_model::{
    ApiError, Code, FieldKey as K, FieldPath, FormState, Policy, Tier, json,
    policy::{FieldRule, TagRule},
    validate::{
        check_all_under, check_field_under, first_error, first_error_under, validate_under,
    },
    wire::from_wire,
};

/// The example of docs/platform-teams.md and the README, as a platform team would write it (one file for every
/// test that uses it).
const EXAMPLE: &str = include_str!("../../../examples/policy-team-a.json");

fn example() -> Policy {
    Policy::parse(EXAMPLE).expect("the example policy")
}

/// A form the example policy accepts.
fn base() -> FormState {
    FormState::new()
        .with(K::WorkspaceName, "team-a-etl")
        .with(K::Cu, "8")
        .with(K::OssBucket, "oss://my-bucket/")
        .with(K::ResourceGroupId, "rg-acfmteama01")
        .with(K::DlfCatalogId, "1234567890")
        .with_rows(
            K::Tag,
            &[["team", "team-a"], ["env", "dev"], ["cost-center", "cc-1"]],
        )
}

#[test]
fn the_example_reads_as_written() {
    let p = example();
    assert_eq!(
        p.allowed(K::RegionId),
        Some(&["cn-hangzhou".to_owned(), "cn-shanghai".to_owned()][..])
    );
    assert_eq!(p.fixed(K::PaymentType), Some("PayAsYouGo"));
    assert_eq!(
        p.allowed(K::PaymentType),
        Some(&["PayAsYouGo".to_owned()][..])
    );
    assert_eq!(p.fixed(K::ResourceGroupId), Some("rg-acfmteama01"));
    assert_eq!(p.default_value(K::DlfType), Some("dlf2.0"));
    assert_eq!(p.fixed(K::DlfType), None);
    assert_eq!(p.field(K::Cu).and_then(|r| r.max), Some(64));
    assert_eq!(
        p.field(K::WorkspaceName).and_then(|r| r.prefix.as_deref()),
        Some("team-a-")
    );
    assert!(p.required(K::DlfCatalogId) && !p.required(K::Cu));
    assert_eq!(p.field(K::OssBucket), None);
    assert_eq!(
        p.tags(),
        [
            TagRule {
                key: "team".into(),
                fixed: Some("team-a".into()),
                allowed: vec![]
            },
            TagRule {
                key: "env".into(),
                fixed: None,
                allowed: vec!["dev".into(), "prod".into()]
            },
            TagRule {
                key: "cost-center".into(),
                fixed: None,
                allowed: vec![]
            },
        ]
    );
    assert_eq!(p.tag("env").map(|t| t.allowed.len()), Some(2));
    assert!(p.tag("nope").is_none() && !p.is_empty());
    assert!(
        validate_under(&base(), &p).is_ok(),
        "{:?}",
        validate_under(&base(), &p)
    );
}

#[test]
fn no_policy_is_empty_and_allows_everything() {
    for text in ["{}", r#"{"fields":{},"tags":{}}"#, " {\n} "] {
        let p = Policy::parse(text).unwrap();
        assert!(p.is_empty() && p == Policy::NONE, "{text}");
        assert_eq!(p.to_json(), "{}");
    }
    let form = FormState::new().with(K::Cu, "100000");
    assert_eq!(
        check_all_under(&form, &Policy::NONE),
        workspace_model::validate::check_all(&form)
    );
}

#[test]
fn to_json_reads_back_to_the_same_policy() {
    let p = example();
    let text = p.to_json();
    assert_eq!(Policy::parse(&text), Ok(p.clone()), "{text}");
    // Form order, numbers as numbers, strings escaped.
    assert!(text.starts_with(r#"{"fields":{"regionId":{"allowed":["cn-hangzhou","cn-shanghai"]},"workspaceName":{"prefix":"team-a-"},"resourceSpec.cu":{"max":64}"#), "{text}");
    let odd = Policy::parse(r#"{"tags":{"a\"b":{"fixed":"x\\y"}},"fields":{"resourceSpec.gpu":{"min":"1","max":2,"fixed":"2"}}}"#).unwrap();
    assert_eq!(Policy::parse(&odd.to_json()), Ok(odd));
}

/// One request under a policy: the findings the policy tier adds, as (path, code, api code, English message).
struct Case {
    desc: &'static str,
    policy: &'static str,
    mutate: fn(&mut FormState),
    want: &'static [(&'static str, Code, &'static str, &'static str)],
}

fn case(
    desc: &'static str,
    policy: &'static str,
    mutate: fn(&mut FormState),
    want: &'static [(&'static str, Code, &'static str, &'static str)],
) -> Case {
    Case {
        desc,
        policy,
        mutate,
        want,
    }
}

const BY: &str = " (set by your administrator).";

fn run(cases: &[Case]) {
    let mut failures = Vec::new();
    for c in cases {
        let policy = if c.policy.is_empty() {
            example()
        } else {
            Policy::parse(c.policy).unwrap_or_else(|e| panic!("{}: {e}", c.desc))
        };
        let mut form = base();
        (c.mutate)(&mut form);
        let got: Vec<(String, Code, String, String)> = check_all_under(&form, &policy)
            .into_iter()
            .filter(|f| f.tier == Tier::Policy)
            .map(|f| {
                (
                    f.path.to_string(),
                    f.code,
                    f.api_code(),
                    f.message.en.clone(),
                )
            })
            .collect();
        let want: Vec<(String, Code, String, String)> = c
            .want
            .iter()
            .map(|(p, code, api, en)| (p.to_string(), *code, api.to_string(), format!("{en}{BY}")))
            .collect();
        if got != want {
            failures.push(format!(
                "  {}:\n    want {want:?}\n    got  {got:?}",
                c.desc
            ));
        }
        // Every policy finding has words in both languages, refuses, and its server message names what its
        // code names.
        for f in check_all_under(&form, &policy)
            .iter()
            .filter(|f| f.is_policy())
        {
            assert!(f.refuses() && !f.message.zh.is_empty() && f.message.zh != f.message.en);
            let code = f.api_code();
            let named = code.strip_prefix("PolicyViolation.").unwrap();
            assert!(
                f.api_message().starts_with(&format!("{named}: ")),
                "{}",
                f.api_message()
            );
            let reply = ApiError::new(code, f.api_message());
            assert_eq!(reply.position(&form), Some(f.path), "{}", c.desc);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
#[rustfmt::skip]
fn every_operator_on_fields() {
    use Code::{NotAllowed, OutOfRange, Pattern, Required};
    run(&[
        case("the base form", "", |_| {}, &[]),
        // allowed
        case("allowed: another allowed region", "", |f| f.set(K::RegionId, "cn-shanghai"), &[]),
        case("allowed: a region not allowed", "", |f| f.set(K::RegionId, "cn-beijing"),
            &[("regionId", NotAllowed, "PolicyViolation.regionId", "Must be one of cn-hangzhou, cn-shanghai")]),
        case("allowed: an unknown region is the api's to refuse", "", |f| f.set(K::RegionId, "cn-nowhere"), &[]),
        case("allowed: on an optional field, absence is not allowed", r#"{"fields":{"releaseType":{"allowed":["pro"]}}}"#, |_| {},
            &[("releaseType", NotAllowed, "PolicyViolation.releaseType", "Must be one of pro")]),
        // fixed
        case("fixed: subscription", "", |f| f.set(K::PaymentType, "Pre"),
            &[("paymentType", NotAllowed, "PolicyViolation.paymentType", "Must be PayAsYouGo")]),
        case("fixed: another resource group", "", |f| f.set(K::ResourceGroupId, "rg-other"),
            &[("resourceGroupId", NotAllowed, "PolicyViolation.resourceGroupId", "Must be rg-acfmteama01")]),
        case("fixed: absent", "", |f| f.set(K::ResourceGroupId, ""),
            &[("resourceGroupId", NotAllowed, "PolicyViolation.resourceGroupId", "Must be rg-acfmteama01")]),
        case("fixed: a checkbox left out counts as false", r#"{"fields":{"autoStartSessionCluster":{"fixed":false}}}"#,
            |f| f.set(K::AutoStartSessionCluster, ""), &[]),
        case("fixed: a checkbox ticked", r#"{"fields":{"autoStartSessionCluster":{"fixed":"false"}}}"#,
            |f| f.set_flag(K::AutoStartSessionCluster, true),
            &[("autoStartSessionCluster", NotAllowed, "PolicyViolation.autoStartSessionCluster", "Must be false")]),
        case("fixed: a subscription field is not checked under pay-as-you-go", r#"{"fields":{"duration":{"fixed":3}}}"#,
            |f| f.set(K::Duration, "1"), &[]),
        case("fixed: a subscription field under subscription", r#"{"fields":{"duration":{"fixed":3}}}"#,
            |f| { f.set(K::PaymentType, "Pre"); f.set(K::Duration, "1") },
            &[("duration", NotAllowed, "PolicyViolation.duration", "Must be 3")]),
        // default
        case("default: never checked", "", |f| f.set(K::DlfType, "dlf1.0"), &[]),
        // max and min
        case("max: at the limit", "", |f| f.set(K::Cu, "64"), &[]),
        case("max: above", "", |f| f.set(K::Cu, "65"),
            &[("resourceSpec.cu", OutOfRange, "PolicyViolation.resourceSpec.cu", "At most 64 CU")]),
        case("max: beyond u64", "", |f| f.set(K::Cu, "99999999999999999999999"),
            &[("resourceSpec.cu", OutOfRange, "PolicyViolation.resourceSpec.cu", "At most 64 CU")]),
        case("max: not a number is the api rule's", "", |f| f.set(K::Cu, "6.5"), &[]),
        case("max: empty is the api rule's", "", |f| f.set(K::Cu, ""), &[]),
        case("min: below", r#"{"fields":{"resourceSpec.cu":{"min":"16"}}}"#, |f| f.set(K::Cu, "15"),
            &[("resourceSpec.cu", OutOfRange, "PolicyViolation.resourceSpec.cu", "At least 16 CU")]),
        case("min: at the limit", r#"{"fields":{"resourceSpec.cu":{"min":16,"max":16}}}"#, |f| f.set(K::Cu, "16"), &[]),
        case("min: gpu 0 is a number", r#"{"fields":{"resourceSpec.gpu":{"min":1}}}"#, |f| f.set(K::Gpu, "0"),
            &[("resourceSpec.gpu", OutOfRange, "PolicyViolation.resourceSpec.gpu", "At least 1")]),
        case("max: months", r#"{"fields":{"duration":{"max":1}}}"#, |f| { f.set(K::PaymentType, "Pre"); f.set(K::Duration, "2") },
            &[("duration", OutOfRange, "PolicyViolation.duration", "At most 1 month")]),
        case("max: months, plural", r#"{"fields":{"autoRenewPeriod":{"max":3}}}"#,
            |f| { f.set(K::PaymentType, "Pre"); f.set_flag(K::AutoRenew, true); f.set(K::AutoRenewPeriod, "4") },
            &[("autoRenewPeriod", OutOfRange, "PolicyViolation.autoRenewPeriod", "At most 3 months")]),
        // prefix
        case("prefix: missing", "", |f| f.set(K::WorkspaceName, "etl"),
            &[("workspaceName", Pattern, "PolicyViolation.workspaceName", "Must start with team-a-")]),
        case("prefix: case matters", "", |f| f.set(K::WorkspaceName, "Team-a-etl"),
            &[("workspaceName", Pattern, "PolicyViolation.workspaceName", "Must start with team-a-")]),
        case("prefix: the prefix alone", "", |f| f.set(K::WorkspaceName, "team-a-"), &[]),
        case("prefix: empty is the required rule's", "", |f| f.set(K::WorkspaceName, ""), &[]),
        case("prefix: an optional field left empty", r#"{"fields":{"ramRoleName":{"prefix":"TeamA"}}}"#, |f| f.set(K::RamRoleName, ""), &[]),
        // required
        case("required: empty", "", |f| f.set(K::DlfCatalogId, ""),
            &[("dlfCatalogId", Required, "PolicyViolation.dlfCatalogId", "Required")]),
        case("required: false does nothing", r#"{"fields":{"dlfCatalogId":{"required":false}}}"#, |f| f.set(K::DlfCatalogId, ""), &[]),
        // several fields: form order, one finding each
        case("several", "", |f| { f.set(K::Cu, "100"); f.set(K::RegionId, "cn-beijing"); f.set(K::WorkspaceName, "x") },
            &[("regionId", NotAllowed, "PolicyViolation.regionId", "Must be one of cn-hangzhou, cn-shanghai"),
              ("workspaceName", Pattern, "PolicyViolation.workspaceName", "Must start with team-a-"),
              ("resourceSpec.cu", OutOfRange, "PolicyViolation.resourceSpec.cu", "At most 64 CU")]),
    ]);
}

#[test]
#[rustfmt::skip]
fn every_operator_on_tags() {
    use Code::{NotAllowed, Required};
    run(&[
        case("allowed: the other value", "", |f| f.rows_mut(K::Tag)[1][1] = "prod".into(), &[]),
        case("allowed: another value", "", |f| f.rows_mut(K::Tag)[1][1] = "qa".into(),
            &[("tag[1].value", NotAllowed, "PolicyViolation.tag.env", "The tag env must be one of dev, prod")]),
        case("allowed: empty", "", |f| f.rows_mut(K::Tag)[1][1] = "".into(),
            &[("tag[1].value", NotAllowed, "PolicyViolation.tag.env", "The tag env must be one of dev, prod")]),
        case("fixed: another value", "", |f| f.rows_mut(K::Tag)[0][1] = "team-b".into(),
            &[("tag[0].value", NotAllowed, "PolicyViolation.tag.team", "The tag team must be team-a")]),
        case("{}: empty value", "", |f| f.rows_mut(K::Tag)[2][1] = "".into(),
            &[("tag[2].value", Required, "PolicyViolation.tag.cost-center", "The tag cost-center needs a value")]),
        case("keys are matched exactly", "", |f| f.rows_mut(K::Tag)[2][0] = "Cost-Center".into(),
            &[("tag", Required, "PolicyViolation.tag.cost-center", "The tag cost-center is required")]),
        case("any row order, and tags of one's own", "", |f| {
                f.rows_mut(K::Tag).reverse();
                f.rows_mut(K::Tag).push(vec!["owner".into(), "ana".into()]);
            }, &[]),
        case("one missing", "", |f| { f.rows_mut(K::Tag).remove(1); },
            &[("tag", Required, "PolicyViolation.tag.env", "The tag env is required")]),
        case("all missing: one finding names them all, the code the first", "", |f| f.rows_mut(K::Tag).clear(),
            &[("tag", Required, "PolicyViolation.tag.team", "The tags team, env, cost-center are required")]),
        case("missing and wrong", "", |f| { f.rows_mut(K::Tag).remove(2); f.rows_mut(K::Tag)[1][1] = "qa".into(); },
            &[("tag[1].value", NotAllowed, "PolicyViolation.tag.env", "The tag env must be one of dev, prod"),
              ("tag", Required, "PolicyViolation.tag.cost-center", "The tag cost-center is required")]),
    ]);
}

#[test]
fn the_api_and_console_rules_speak_first() {
    let p = example();
    // An invalid name is the console rule's, not also the policy's.
    let form = base().with(K::WorkspaceName, "bad name");
    let name: Vec<_> = check_field_under(&form, K::WorkspaceName, &p);
    assert_eq!(name.len(), 1);
    assert_eq!(name[0].tier, Tier::Console);
    assert_eq!(name[0].api_code(), "InvalidParameter.workspaceName");
    // Form order across tiers: the region (policy) before the name (console).
    let form = base()
        .with(K::RegionId, "cn-beijing")
        .with(K::WorkspaceName, "bad name");
    assert_eq!(
        first_error_under(&form, &p).map(|f| f.api_code()),
        Some("PolicyViolation.regionId".to_owned())
    );
    assert_eq!(
        first_error(&form).map(|f| f.api_code()),
        Some("InvalidParameter.workspaceName".to_owned())
    );
    // Above the quota hint and above the policy's max: the policy's error, not the hint, holds the position.
    let form = base().with(K::Cu, "6000");
    let cu = check_field_under(&form, K::Cu, &p);
    assert_eq!(
        cu.iter().map(|f| f.tier).collect::<Vec<_>>(),
        [Tier::Policy]
    );
    // A duplicated policy tag is the console rule's (keys are unique); the first row is the one checked.
    let mut form = base();
    form.rows_mut(K::Tag).push(vec!["env".into(), "qa".into()]);
    let tags = check_field_under(&form, K::Tag, &p);
    assert_eq!(
        tags.iter()
            .map(|f| (f.path.to_string(), f.tier))
            .collect::<Vec<_>>(),
        [("tag[3].key".to_owned(), Tier::Console)]
    );
    // 21 tags: the limit ends the list's checks, the policy's too.
    let mut form = base();
    for i in 0..18 {
        form.rows_mut(K::Tag)
            .push(vec![format!("k{i}"), "v".into()]);
    }
    let tags = check_field_under(&form, K::Tag, &p);
    assert_eq!(
        tags.iter().map(|f| f.api_code()).collect::<Vec<_>>(),
        ["InvalidParameter.tag"]
    );
}

#[test]
fn lenient_reading_stays() {
    // A policy may write numbers as numbers or strings, and a request may send them either way.
    for policy in [
        r#"{"fields":{"resourceSpec.cu":{"max":64}}}"#,
        r#"{"fields":{"resourceSpec.cu":{"max":"64"}}}"#,
    ] {
        let p = Policy::parse(policy).unwrap();
        assert_eq!(p.field(K::Cu).and_then(|r| r.max), Some(64));
        for (cu, refused) in [
            (serde_json::json!(64), false),
            (serde_json::json!("64"), false),
            (serde_json::json!(65), true),
            (serde_json::json!("65"), true),
        ] {
            let body = serde_json::json!({"workspaceName":"w","ossBucket":"oss://my-bucket/","resourceSpec":{"cu":cu}});
            let form = from_wire(Some("cn-hangzhou"), &body).unwrap();
            let e = first_error_under(&form, &p);
            assert_eq!(e.is_some(), refused, "{policy} {cu}");
            if let Some(e) = e {
                assert_eq!(e.api_code(), "PolicyViolation.resourceSpec.cu");
                assert_eq!(
                    e.api_message(),
                    "resourceSpec.cu: At most 64 CU (set by your administrator)."
                );
                assert_eq!(e.message.zh, "最多 64 CU（管理员设定）。");
            }
        }
    }
    for policy in [
        r#"{"fields":{"resourceSpec.cu":{"fixed":64},"autoRenew":{"fixed":true}}}"#,
        r#"{"fields":{"resourceSpec.cu":{"fixed":"64"},"autoRenew":{"fixed":"true"}}}"#,
    ] {
        let p = Policy::parse(policy).unwrap();
        assert_eq!(p.fixed(K::Cu), Some("64"));
        assert_eq!(p.fixed(K::AutoRenew), Some("true"));
    }
}

#[test]
#[rustfmt::skip]
fn every_start_up_refusal_names_its_key() {
    let cases: &[(&str, &str, &str)] = &[
        // (policy, the key named, words in the reason)
        ("", "", "broken JSON at line 1, column 1"),
        ("{\"fields\": {", "", "broken JSON"),
        ("{\"fields\":{\"regionId\":{\"fixed\":\"cn-hangzhou\",}}}", "", "broken JSON at line 1, column 46: expected a string"),
        ("[]", "", "a JSON object"),
        ("{\"field\":{}}", "field", "unknown key"),
        ("{\"fields\":[]}", "fields", "an object"),
        ("{\"tags\":\"team\"}", "tags", "an object"),
        // unknown parameter, unknown operator
        ("{\"fields\":{\"cu\":{\"max\":64}}}", "fields.cu", "not a CreateWorkspace parameter"),
        ("{\"fields\":{\"resourceSpec\":{\"max\":64}}}", "fields.resourceSpec", "not a CreateWorkspace parameter"),
        ("{\"fields\":{\"RegionId\":{}}}", "fields.RegionId", "not a CreateWorkspace parameter"),
        ("{\"fields\":{\"resourceSpec.cu\":{\"maximum\":64}}}", "fields.resourceSpec.cu.maximum", "unknown operator"),
        ("{\"fields\":{\"resourceSpec.cu\":64}}", "fields.resourceSpec.cu", "an object of operators"),
        ("{\"tags\":{\"env\":{\"default\":\"dev\"}}}", "tags.env.default", "unknown operator of a tag"),
        ("{\"tags\":{\"env\":[\"dev\"]}}", "tags.env", "an object of operators"),
        // not governable
        ("{\"fields\":{\"tag\":{\"required\":true}}}", "fields.tag", "under \"tags\""),
        ("{\"fields\":{\"gpuSpec\":{}}}", "fields.gpuSpec", "a list"),
        ("{\"fields\":{\"clientToken\":{\"prefix\":\"a\"}}}", "fields.clientToken", "retry token"),
        // operator not fitting the field
        ("{\"fields\":{\"workspaceName\":{\"max\":64}}}", "fields.workspaceName.max", "whole-number"),
        ("{\"fields\":{\"regionId\":{\"min\":1}}}", "fields.regionId.min", "whole-number"),
        ("{\"fields\":{\"resourceSpec.cu\":{\"prefix\":\"6\"}}}", "fields.resourceSpec.cu.prefix", "free-text"),
        ("{\"fields\":{\"paymentType\":{\"prefix\":\"P\"}}}", "fields.paymentType.prefix", "free-text"),
        ("{\"fields\":{\"autoRenew\":{\"required\":true}}}", "fields.autoRenew.required", "checkbox"),
        // values the parameter's own rules refuse
        ("{\"fields\":{\"paymentType\":{\"fixed\":\"Monthly\"}}}", "fields.paymentType.fixed", "“Monthly” breaks paymentType's own rule"),
        ("{\"fields\":{\"regionId\":{\"allowed\":[\"cn-hangzhou\",\"cn-nowhere\"]}}}", "fields.regionId.allowed", "“cn-nowhere” breaks regionId's own rule"),
        ("{\"fields\":{\"resourceSpec.cu\":{\"default\":\"0\"}}}", "fields.resourceSpec.cu.default", "breaks resourceSpec.cu's own rule"),
        ("{\"fields\":{\"resourceSpec.cu\":{\"fixed\":8.5}}}", "fields.resourceSpec.cu.fixed", "breaks resourceSpec.cu's own rule"),
        ("{\"fields\":{\"duration\":{\"max\":12}}}", "fields.duration.max", "breaks duration's own rule"),
        ("{\"fields\":{\"resourceSpec.cu\":{\"min\":0}}}", "fields.resourceSpec.cu.min", "breaks resourceSpec.cu's own rule"),
        ("{\"fields\":{\"workspaceName\":{\"default\":\"a b\"}}}", "fields.workspaceName.default", "own rule"),
        ("{\"fields\":{\"autoRenew\":{\"fixed\":\"yes\"}}}", "fields.autoRenew.fixed", "true or false"),
        // JSON types
        ("{\"fields\":{\"paymentType\":{\"fixed\":1}}}", "fields.paymentType.fixed", "must be a string"),
        ("{\"fields\":{\"resourceSpec.cu\":{\"fixed\":true}}}", "fields.resourceSpec.cu.fixed", "number"),
        ("{\"fields\":{\"regionId\":{\"fixed\":\"\"}}}", "fields.regionId.fixed", "must not be empty"),
        ("{\"fields\":{\"regionId\":{\"allowed\":[]}}}", "fields.regionId.allowed", "non-empty array"),
        ("{\"fields\":{\"regionId\":{\"allowed\":\"cn-hangzhou\"}}}", "fields.regionId.allowed", "non-empty array"),
        ("{\"fields\":{\"resourceSpec.cu\":{\"max\":-1}}}", "fields.resourceSpec.cu.max", "whole number"),
        ("{\"fields\":{\"resourceSpec.cu\":{\"max\":6.4e1}}}", "fields.resourceSpec.cu.max", "whole number"),
        ("{\"fields\":{\"resourceSpec.cu\":{\"max\":99999999999999999999}}}", "fields.resourceSpec.cu.max", "whole number"),
        ("{\"fields\":{\"workspaceName\":{\"prefix\":\"\"}}}", "fields.workspaceName.prefix", "non-empty string"),
        ("{\"fields\":{\"dlfCatalogId\":{\"required\":\"yes\"}}}", "fields.dlfCatalogId.required", "true or false"),
        // the policy against itself
        ("{\"fields\":{\"resourceSpec.cu\":{\"min\":65,\"max\":64}}}", "fields.resourceSpec.cu.min", "65 is above max 64"),
        ("{\"fields\":{\"resourceSpec.cu\":{\"fixed\":128,\"max\":64}}}", "fields.resourceSpec.cu.fixed", "At most 64 CU"),
        ("{\"fields\":{\"resourceSpec.cu\":{\"allowed\":[8,128],\"max\":64}}}", "fields.resourceSpec.cu.allowed", "“128” breaks this policy"),
        ("{\"fields\":{\"workspaceName\":{\"default\":\"etl\",\"prefix\":\"team-a-\"}}}", "fields.workspaceName.default", "Must start with team-a-"),
        ("{\"fields\":{\"regionId\":{\"default\":\"cn-beijing\",\"allowed\":[\"cn-hangzhou\"]}}}", "fields.regionId.default", "Must be one of cn-hangzhou"),
        ("{\"fields\":{\"regionId\":{\"fixed\":\"cn-hangzhou\",\"default\":\"cn-hangzhou\"}}}", "fields.regionId.fixed", "nothing to default"),
        ("{\"fields\":{\"regionId\":{\"fixed\":\"cn-hangzhou\",\"allowed\":[\"cn-hangzhou\"]}}}", "fields.regionId.fixed", "nothing to default or allow"),
        ("{\"fields\":{\"regionId\":{},\"regionId\":{}}}", "", "“regionId” appears twice"),
        // tags
        ("{\"tags\":{\"\":{}}}", "tags.", "must not be empty"),
        ("{\"tags\":{\"aliyun:x\":{}}}", "tags.aliyun:x", "reserved"),
        ("{\"tags\":{\"env\":{\"fixed\":\"acs:x\"}}}", "tags.env.fixed", "reserved"),
        ("{\"tags\":{\"env\":{\"allowed\":[\"dev\",\"http://x\"]}}}", "tags.env.allowed", "http://"),
        ("{\"tags\":{\"env\":{\"allowed\":[\"dev\",\"\"]}}}", "tags.env.allowed", "must not be empty"),
        ("{\"tags\":{\"env\":{\"allowed\":[1]}}}", "tags.env.allowed", "must be a string"),
        ("{\"tags\":{\"env\":{\"fixed\":\"dev\",\"allowed\":[\"dev\"]}}}", "tags.env.fixed", "nothing to allow"),
        ("{\"tags\":{\"env\":{},\"env\":{}}}", "", "“env” appears twice"),
    ];
    let mut failures = Vec::new();
    for (text, at, words) in cases {
        match Policy::parse(text) {
            Ok(_) => failures.push(format!("  accepted {text}")),
            Err(e) => {
                let shown = e.to_string();
                if e.at != *at || !shown.contains(words) {
                    failures.push(format!("  {text}\n    want {at:?} … {words:?}\n    got  {:?} {shown:?}", e.at));
                }
                if !at.is_empty() && !shown.starts_with(&format!("{at}: ")) {
                    failures.push(format!("  {text}: the message does not start with the key: {shown}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} refusals wrong:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn at_most_twenty_tags() {
    let tags = |n: usize| {
        let entries: Vec<String> = (0..n).map(|i| format!("\"k{i}\":{{}}")).collect();
        format!("{{\"tags\":{{{}}}}}", entries.join(","))
    };
    assert_eq!(Policy::parse(&tags(20)).map(|p| p.tags().len()), Ok(20));
    let e = Policy::parse(&tags(21)).unwrap_err();
    assert_eq!(e.at, "tags");
    assert!(
        e.reason.contains("21 tags") && e.reason.contains("at most 20"),
        "{e}"
    );
}

#[test]
fn the_pages_reader_reads_the_example_as_the_servers_checks_do() {
    let node = json::parse(EXAMPLE).unwrap();
    assert_eq!(Policy::read(&&node), example());
    // And what the server answers for it (`GET /api/policy`) the same again.
    assert_eq!(
        Policy::read(&&json::parse(&example().to_json()).unwrap()),
        example()
    );
    // What it does not know it leaves out, rather than refusing: the server refused it at start-up.
    let odd = json::parse(
        r#"{"fields":{"nope":{"max":1},"resourceSpec.cu":{"max":"x","min":2,"y":1}},"z":[]}"#,
    );
    let read = Policy::read(&&odd.unwrap());
    assert_eq!(
        read.field(K::Cu).map(|r| (r.min, r.max)),
        Some((Some(2), None))
    );
}

#[test]
fn a_new_form_takes_the_policy() {
    let p = example();
    let mut form = FormState::new();
    let replaced = p.apply_to_new(&mut form);
    assert!(
        replaced.is_empty(),
        "cn-hangzhou, the catalogue's default, is allowed"
    );
    assert_eq!(form.get(K::PaymentType), "PayAsYouGo");
    assert_eq!(form.get(K::ResourceGroupId), "rg-acfmteama01");
    // The policy's default replaces the catalogue's in a new form.
    assert_eq!(form.get(K::DlfType), "dlf2.0");
    assert_eq!(
        form.rows(K::Tag),
        [
            vec!["team".to_owned(), "team-a".to_owned()],
            vec!["env".to_owned(), String::new()],
            vec!["cost-center".to_owned(), String::new()],
        ]
    );
    // A page whose region is not allowed: the first allowed one, and the form is told.
    let mut form = FormState::new().with(K::RegionId, "cn-beijing");
    assert_eq!(p.apply_to_new(&mut form), [K::RegionId]);
    assert_eq!(form.get(K::RegionId), "cn-hangzhou");
    // Filled in like this, the form meets the policy.
    let mut form = FormState::new()
        .with(K::WorkspaceName, "team-a-x")
        .with(K::Cu, "8")
        .with(K::OssBucket, "oss://b-1/")
        .with(K::DlfCatalogId, "c");
    p.apply_to_new(&mut form);
    form.rows_mut(K::Tag)[1][1] = "dev".into();
    form.rows_mut(K::Tag)[2][1] = "cc".into();
    let valid = validate_under(&form, &p).expect("valid under the policy");
    let body = valid.body.to_json();
    assert!(
        body.contains(r#""paymentType":"PayAsYouGo""#)
            && body.contains(r#""resourceGroupId":"rg-acfmteama01""#)
    );
    assert!(
        body.contains(r#"{"key":"team","value":"team-a"}"#),
        "{body}"
    );
}

#[test]
fn a_draft_keeps_its_values_but_not_against_a_fixed_one() {
    let p = example();
    let mut draft = FormState::new()
        .with(K::PaymentType, "Pre")
        .with(K::DlfType, "dlf1.0")
        .with(K::RegionId, "cn-shanghai")
        .with_rows(
            K::Tag,
            &[["owner", "ana"], ["env", "prod"], ["team", "team-b"]],
        );
    assert!(p.apply_to_draft(&mut draft).is_empty());
    // Fixed wins.
    assert_eq!(draft.get(K::PaymentType), "PayAsYouGo");
    assert_eq!(draft.get(K::ResourceGroupId), "rg-acfmteama01");
    // The draft's own choice stays against a default, and an allowed one stays.
    assert_eq!(draft.get(K::DlfType), "dlf1.0");
    assert_eq!(draft.get(K::RegionId), "cn-shanghai");
    // Policy tags first (a fixed value wins, the draft's value kept otherwise), the person's own after.
    assert_eq!(
        draft.rows(K::Tag),
        [
            vec!["team".to_owned(), "team-a".to_owned()],
            vec!["env".to_owned(), "prod".to_owned()],
            vec!["cost-center".to_owned(), String::new()],
            vec!["owner".to_owned(), "ana".to_owned()],
        ]
    );
    // A default fills an empty field; a value not allowed is replaced and reported.
    let mut draft = FormState::new()
        .with(K::DlfType, "")
        .with(K::RegionId, "cn-beijing");
    assert_eq!(p.apply_to_draft(&mut draft), [K::RegionId]);
    assert_eq!(draft.get(K::DlfType), "dlf2.0");
    assert_eq!(draft.get(K::RegionId), "cn-hangzhou");
    // No policy changes nothing.
    let before = FormState::new().with(K::Cu, "9");
    let mut after = before.clone();
    assert!(Policy::NONE.apply_to_draft(&mut after).is_empty());
    assert_eq!(after, before);
}

#[test]
fn a_new_form_in_use_when_the_policy_arrives_keeps_what_the_person_changed() {
    // The form appeared with a page's region and the catalogue's defaults; the person typed before the policy
    // came.
    let p = Policy::parse(&EXAMPLE.replace(
        r#""resourceSpec.cu": {"max": 64}"#,
        r#""resourceSpec.cu": {"default": "16"}"#,
    ))
    .unwrap();
    let start = FormState::new().with(K::RegionId, "cn-beijing");
    let mut now = start
        .clone()
        .with(K::Cu, "8")
        .with(K::ResourceGroupId, "rg-mine")
        .with_rows(K::Tag, &[["owner", "ana"], ["env", "prod"]]);
    assert_eq!(p.apply_since(&mut now, &start), [K::RegionId]);
    // Untouched since the start: taken as a new form takes it (the policy's default, the first allowed region).
    assert_eq!(now.get(K::DlfType), "dlf2.0");
    assert_eq!(now.get(K::RegionId), "cn-hangzhou");
    // Changed by the person: the default does not override it; a fixed value does.
    assert_eq!(now.get(K::Cu), "8");
    assert_eq!(now.get(K::ResourceGroupId), "rg-acfmteama01");
    assert_eq!(
        now.rows(K::Tag),
        [
            vec!["team".to_owned(), "team-a".to_owned()],
            vec!["env".to_owned(), "prod".to_owned()],
            vec!["cost-center".to_owned(), String::new()],
            vec!["owner".to_owned(), "ana".to_owned()],
        ]
    );
    // Cleared by the person: a default fills an empty field, as in a draft.
    let mut cleared = start.clone().with(K::DlfType, "");
    p.apply_since(&mut cleared, &start);
    assert_eq!(cleared.get(K::DlfType), "dlf2.0");
}

#[test]
fn field_rule_is_plain_data() {
    let p = Policy::parse(
        r#"{"fields":{"resourceSpec.cu":{"min":8,"max":64,"default":16,"required":true}}}"#,
    )
    .unwrap();
    assert_eq!(
        p.field(K::Cu),
        Some(&FieldRule {
            default: Some("16".into()),
            min: Some(8),
            max: Some(64),
            required: true,
            ..FieldRule::default()
        })
    );
    assert_eq!(p.allowed(K::Cu), None);
    assert_eq!(FieldPath::field(K::Cu).to_string(), "resourceSpec.cu");
}

/// Fragments of policies, to glue into texts that are nearly valid.
const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "\\u",
    "d83d",
    "\\ud83d",
    "fields",
    "tags",
    "\"fields\"",
    "\"tags\"",
    "\"resourceSpec.cu\"",
    "\"regionId\"",
    "\"tag\"",
    "\"max\"",
    "\"min\"",
    "\"fixed\"",
    "\"allowed\"",
    "\"prefix\"",
    "\"required\"",
    "\"default\"",
    "\"env\"",
    "64",
    "-1",
    "0",
    "1e400",
    "99999999999999999999",
    "1.5",
    "true",
    "false",
    "null",
    "\"\"",
    "\"cn-hangzhou\"",
    "\"Monthly\"",
    " ",
    "\n",
    "中",
    "\u{0}",
    "{}",
    "[]",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn no_text_panics_the_parser(text in any::<String>()) {
        let _ = Policy::parse(&text);
    }

    #[test]
    fn no_glued_policy_panics_the_parser(pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..40)) {
        let text = pieces.concat();
        if let Ok(p) = Policy::parse(&text) {
            // Whatever is accepted reads back the same, the page's trusting reader reads it the same, and it
            // checks any form without panicking.
            prop_assert_eq!(Policy::parse(&p.to_json()), Ok(p.clone()));
            prop_assert_eq!(Policy::read(&&json::parse(&text).unwrap()), p.clone());
            let _ = check_all_under(&base(), &p);
        }
    }

    #[test]
    fn a_policy_of_real_operators_never_panics(
        path in proptest::sample::select(vec!["regionId", "resourceSpec.cu", "workspaceName", "autoRenew", "duration", "tag", "nope"]),
        op in proptest::sample::select(vec!["fixed", "default", "allowed", "min", "max", "prefix", "required", "x"]),
        value in proptest::sample::select(vec!["64", "\"64\"", "\"team-a-\"", "true", "[\"cn-hangzhou\"]", "[64, 8]", "\"\"", "-3", "null", "{}"]),
        cu in "[0-9]{0,25}",
    ) {
        let text = format!("{{\"fields\":{{\"{path}\":{{\"{op}\":{value}}}}}}}");
        // The page's trusting reader never panics either, on what the checks refuse too.
        let _ = Policy::read(&&json::parse(&text).unwrap());
        if let Ok(p) = Policy::parse(&text) {
            prop_assert_eq!(Policy::read(&&json::parse(&text).unwrap()), p.clone());
            let mut form = base().with(K::Cu, cu);
            let _ = first_error_under(&form, &p);
            p.apply_to_draft(&mut form);
            p.apply_to_new(&mut FormState::new());
        }
    }
}
