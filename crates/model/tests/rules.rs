//! Every rule of the CreateWorkspace contract (`shared/reference/create-workspace.md` and `validate.rs`), table
//! driven: each row mutates a valid base form and states the exact errors (path, code) it must produce, in order,
//! or none. The tables are kept one row per line (`rustfmt::skip`) so they read as tables.

use workspace_model::{
    FIELDS, FieldError, FieldKey, FormState, REGIONS, TagRow,
    catalogue::{DEFAULT_RAM_ROLE, MAX_TAGS},
    text::{Locale, Message},
    validate::{Code, field_errors, validate, warnings},
};

type Mutate = fn(&mut FormState);
type Expect = &'static [(&'static str, Code)];

const OK: Expect = &[];

struct Row {
    desc: &'static str,
    mutate: Mutate,
    expect: Expect,
}

fn row(desc: &'static str, mutate: Mutate, expect: Expect) -> Row {
    Row {
        desc,
        mutate,
        expect,
    }
}

/// The valid form every row starts from: the defaults plus a name, a CU quota and a bucket.
fn base() -> FormState {
    let mut form = FormState::new();
    form.workspace_name = "spark-etl".into();
    form.cu = "8".into();
    form.oss_bucket = "oss://my-bucket/".into();
    form
}

/// Subscription billing with the defaults (1 month, no auto-renew).
fn pre(f: &mut FormState) {
    f.payment_type = "Pre".into();
}

/// Subscription billing with auto-renew on (defaults: 1 month, renew for 1 month).
fn pre_renew(f: &mut FormState) {
    pre(f);
    f.auto_renew = true;
}

/// `n` valid, distinct tags.
fn tags(n: usize) -> Vec<TagRow> {
    (0..n)
        .map(|i| TagRow::new(format!("k{i}"), format!("v{i}")))
        .collect()
}

fn pairs(errors: Vec<FieldError>) -> Vec<(String, Code)> {
    errors.into_iter().map(|e| (e.path, e.code)).collect()
}

fn owned(want: &[(&str, Code)]) -> Vec<(String, Code)> {
    want.iter().map(|(p, c)| (p.to_string(), *c)).collect()
}

fn got(form: &FormState) -> Vec<(String, Code)> {
    match validate(form) {
        Ok(_) => Vec::new(),
        Err(errors) => {
            assert!(!errors.is_empty(), "validate returned Err(vec![])");
            pairs(errors)
        }
    }
}

fn errors_of(form: &FormState, key: FieldKey) -> Vec<(String, Code)> {
    pairs(field_errors(form, key))
}

/// Invariants that hold for every form: the errors are exactly the per-field errors in catalogue order, every
/// error names a known parameter and has words in both languages.
fn check_consistency(desc: &str, form: &FormState) {
    let all = validate(form).err().unwrap_or_default();
    let per_field: Vec<FieldError> = FIELDS
        .iter()
        .flat_map(|f| field_errors(form, f.key))
        .collect();
    assert_eq!(all, per_field, "{desc}: validate and field_errors disagree");
    for e in &all {
        assert!(e.field().is_some(), "{desc}: unknown path {}", e.path);
        assert!(
            !e.message.en.is_empty() && !e.message.zh.is_empty(),
            "{desc}: {} has no message",
            e.path
        );
        assert_ne!(
            e.message.en, e.message.zh,
            "{desc}: {} untranslated",
            e.path
        );
    }
    let order: Vec<usize> = all.iter().map(|e| e.field().unwrap() as usize).collect();
    assert!(
        order.windows(2).all(|w| w[0] <= w[1]),
        "{desc}: errors out of form order: {order:?}"
    );
}

fn run(table: &[Row]) {
    let mut failures = Vec::new();
    for r in table {
        let mut form = base();
        (r.mutate)(&mut form);
        let got = got(&form);
        let want = owned(r.expect);
        if got != want {
            failures.push(format!(
                "  {}:\n    want {want:?}\n    got  {got:?}",
                r.desc
            ));
        }
        check_consistency(r.desc, &form);
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}

#[test]
fn the_base_form_is_valid() {
    let valid = validate(&base()).expect("base form");
    assert_eq!(valid.region_id, "cn-hangzhou");
    assert_eq!(
        valid.body.to_json(),
        r#"{"dlfType":"dlf1.0","ossBucket":"oss://my-bucket/","paymentType":"PayAsYouGo","ramRoleName":"AliyunEMRSparkJobRunDefaultRole","resourceSpec":{"cu":"8"},"workspaceName":"spark-etl"}"#
    );
    assert!(warnings(&base()).is_empty());
}

#[test]
fn a_new_form_needs_a_name_a_cu_quota_and_a_bucket() {
    assert_eq!(
        got(&FormState::new()),
        owned(&[
            ("workspaceName", Code::Required),
            ("resourceSpec.cu", Code::Required),
            ("ossBucket", Code::Required),
        ])
    );
    // A default (not new) form lacks the catalogue defaults too.
    assert_eq!(
        got(&FormState::default()),
        owned(&[
            ("regionId", Code::Required),
            ("workspaceName", Code::Required),
            ("resourceSpec.cu", Code::Required),
            ("ossBucket", Code::Required),
            ("paymentType", Code::Required),
            ("ramRoleName", Code::Required),
        ])
    );
}

#[test]
#[rustfmt::skip]
fn region_id_rules() {
    run(&[
        row("empty", |f| f.region_id.clear(), &[("regionId", Code::Required)]),
        row("blank", |f| f.region_id = "  ".into(), &[("regionId", Code::Required)]),
        row("leading space", |f| f.region_id = " cn-hangzhou".into(), &[("regionId", Code::Whitespace)]),
        row("trailing newline", |f| f.region_id = "cn-hangzhou\n".into(), &[("regionId", Code::Whitespace)]),
        row("unknown", |f| f.region_id = "cn-nowhere".into(), &[("regionId", Code::UnknownRegion)]),
        row("upper case", |f| f.region_id = "CN-HANGZHOU".into(), &[("regionId", Code::UnknownRegion)]),
        row("suffix", |f| f.region_id = "cn-hangzhou.evil.com".into(), &[("regionId", Code::UnknownRegion)]),
        row("prefix of a region", |f| f.region_id = "cn-hang".into(), &[("regionId", Code::UnknownRegion)]),
        row("a real region not served", |f| f.region_id = "cn-qingdao".into(), &[("regionId", Code::UnknownRegion)]),
        row("cn-shanghai", |f| f.region_id = "cn-shanghai".into(), OK),
        row("na-south-1", |f| f.region_id = "na-south-1".into(), OK),
    ]);
}

#[test]
fn all_fifteen_documented_regions_are_valid() {
    let documented = [
        "cn-beijing",
        "cn-zhangjiakou",
        "cn-wulanchabu",
        "cn-hangzhou",
        "cn-shanghai",
        "cn-shenzhen",
        "cn-chengdu",
        "cn-hongkong",
        "ap-northeast-1",
        "ap-southeast-1",
        "ap-southeast-5",
        "us-east-1",
        "us-west-1",
        "eu-central-1",
        "na-south-1",
    ];
    assert_eq!(REGIONS.map(|r| r.id), documented);
    for id in documented {
        let mut form = base();
        form.region_id = id.into();
        let valid = validate(&form).unwrap_or_else(|e| panic!("{id}: {e:?}"));
        assert_eq!(valid.region_id, id);
        assert_eq!(
            workspace_model::request::create_workspace_url(&valid.region_id),
            format!("/api/v1/workspaces?regionId={id}")
        );
    }
}

#[test]
#[rustfmt::skip]
fn workspace_name_rules() {
    run(&[
        row("1 char", |f| f.workspace_name = "a".into(), OK),
        row("64 chars", |f| f.workspace_name = "a".repeat(64), OK),
        row("65 chars", |f| f.workspace_name = "a".repeat(65), &[("workspaceName", Code::TooLong)]),
        row("66 chars with bad chars: only too long", |f| f.workspace_name = "a b".repeat(22), &[("workspaceName", Code::TooLong)]),
        row("letters digits _ -", |f| f.workspace_name = "Ab_9-zZ0".into(), OK),
        row("only _", |f| f.workspace_name = "_".into(), OK),
        row("only -", |f| f.workspace_name = "-".into(), OK),
        row("U+4E00", |f| f.workspace_name = "\u{4E00}".into(), OK),
        row("U+9FA5", |f| f.workspace_name = "\u{9FA5}".into(), OK),
        row("U+9FA6", |f| f.workspace_name = "\u{9FA6}".into(), &[("workspaceName", Code::InvalidChars)]),
        row("U+4DFF (below the CJK range)", |f| f.workspace_name = "\u{4DFF}".into(), &[("workspaceName", Code::InvalidChars)]),
        row("CJK extension A U+3400", |f| f.workspace_name = "\u{3400}".into(), &[("workspaceName", Code::InvalidChars)]),
        row("CJK extension B U+20000", |f| f.workspace_name = "\u{20000}".into(), &[("workspaceName", Code::InvalidChars)]),
        row("mixed CJK", |f| f.workspace_name = "数据湖_分析-01".into(), OK),
        row("64 CJK chars (192 bytes)", |f| f.workspace_name = "数".repeat(64), OK),
        row("65 CJK chars", |f| f.workspace_name = "数".repeat(65), &[("workspaceName", Code::TooLong)]),
        row("empty", |f| f.workspace_name.clear(), &[("workspaceName", Code::Required)]),
        row("only spaces", |f| f.workspace_name = "   ".into(), &[("workspaceName", Code::Required)]),
        row("only a tab", |f| f.workspace_name = "\t".into(), &[("workspaceName", Code::Required)]),
        row("only ideographic space", |f| f.workspace_name = "\u{3000}".into(), &[("workspaceName", Code::Required)]),
        row("leading space", |f| f.workspace_name = " abc".into(), &[("workspaceName", Code::Whitespace)]),
        row("trailing space", |f| f.workspace_name = "abc ".into(), &[("workspaceName", Code::Whitespace)]),
        row("trailing newline", |f| f.workspace_name = "abc\n".into(), &[("workspaceName", Code::Whitespace)]),
        row("inner space", |f| f.workspace_name = "a b".into(), &[("workspaceName", Code::InvalidChars)]),
        row("period", |f| f.workspace_name = "a.b".into(), &[("workspaceName", Code::InvalidChars)]),
        row("emoji", |f| f.workspace_name = "spark😀".into(), &[("workspaceName", Code::InvalidChars)]),
        row("slash", |f| f.workspace_name = "a/b".into(), &[("workspaceName", Code::InvalidChars)]),
        row("accented letter", |f| f.workspace_name = "café".into(), &[("workspaceName", Code::InvalidChars)]),
        row("full-width letter", |f| f.workspace_name = "Ａ".into(), &[("workspaceName", Code::InvalidChars)]),
        row("full-width digit", |f| f.workspace_name = "１".into(), &[("workspaceName", Code::InvalidChars)]),
        row("Chinese punctuation", |f| f.workspace_name = "数据，湖".into(), &[("workspaceName", Code::InvalidChars)]),
        row("NUL", |f| f.workspace_name = "a\0b".into(), &[("workspaceName", Code::InvalidChars)]),
        row("inner tab", |f| f.workspace_name = "a\tb".into(), &[("workspaceName", Code::InvalidChars)]),
        row("zero-width space", |f| f.workspace_name = "a\u{200B}b".into(), &[("workspaceName", Code::InvalidChars)]),
    ]);
}

#[test]
#[rustfmt::skip]
fn cu_rules() {
    run(&[
        row("1", |f| f.cu = "1".into(), OK),
        row("8", |f| f.cu = "8".into(), OK),
        row("10", |f| f.cu = "10".into(), OK),
        row("5000", |f| f.cu = "5000".into(), OK),
        row("5001 is only a warning", |f| f.cu = "5001".into(), OK),
        row("u64::MAX", |f| f.cu = u64::MAX.to_string(), OK),
        row("above u64::MAX", |f| f.cu = "18446744073709551616".into(), OK),
        row("30 digits", |f| f.cu = "9".repeat(30), OK),
        row("01", |f| f.cu = "01".into(), &[("resourceSpec.cu", Code::NotPositiveInteger)]),
        row("0", |f| f.cu = "0".into(), &[("resourceSpec.cu", Code::NotPositiveInteger)]),
        row("00", |f| f.cu = "00".into(), &[("resourceSpec.cu", Code::NotPositiveInteger)]),
        row("-1", |f| f.cu = "-1".into(), &[("resourceSpec.cu", Code::NotPositiveInteger)]),
        row("+8", |f| f.cu = "+8".into(), &[("resourceSpec.cu", Code::NotPositiveInteger)]),
        row("1.5", |f| f.cu = "1.5".into(), &[("resourceSpec.cu", Code::NotPositiveInteger)]),
        row("8.0", |f| f.cu = "8.0".into(), &[("resourceSpec.cu", Code::NotPositiveInteger)]),
        row("1e3", |f| f.cu = "1e3".into(), &[("resourceSpec.cu", Code::NotPositiveInteger)]),
        row("0x10", |f| f.cu = "0x10".into(), &[("resourceSpec.cu", Code::NotPositiveInteger)]),
        row("1,000", |f| f.cu = "1,000".into(), &[("resourceSpec.cu", Code::NotPositiveInteger)]),
        row("8cu", |f| f.cu = "8cu".into(), &[("resourceSpec.cu", Code::NotPositiveInteger)]),
        row("inner space", |f| f.cu = "1 0".into(), &[("resourceSpec.cu", Code::NotPositiveInteger)]),
        row("full-width digit", |f| f.cu = "８".into(), &[("resourceSpec.cu", Code::NotPositiveInteger)]),
        row("Arabic-Indic digit", |f| f.cu = "\u{0668}".into(), &[("resourceSpec.cu", Code::NotPositiveInteger)]),
        row("leading space", |f| f.cu = " 8".into(), &[("resourceSpec.cu", Code::Whitespace)]),
        row("trailing space", |f| f.cu = "8 ".into(), &[("resourceSpec.cu", Code::Whitespace)]),
        row("empty", |f| f.cu.clear(), &[("resourceSpec.cu", Code::Required)]),
        row("blank", |f| f.cu = " ".into(), &[("resourceSpec.cu", Code::Required)]),
        row("subscription 1001 is only a warning", |f| { pre(f); f.cu = "1001".into(); }, OK),
    ]);
}

#[test]
fn cu_above_the_documented_quota_is_a_warning_not_an_error() {
    // (cu, subscription, warns)
    let cases: &[(&str, bool, bool)] = &[
        ("1", false, false),
        ("5000", false, false),
        ("5001", false, true),
        ("18446744073709551615", false, true),
        ("99999999999999999999999999", false, true),
        ("1", true, false),
        ("1000", true, false),
        ("1001", true, true),
        ("5000", true, true),
        // No advice on a value that is not a number: the error says enough.
        ("abc", false, false),
        ("0", false, false),
        ("-6000", false, false),
        (" 6000", false, false),
        ("06000", false, false),
        ("", true, false),
    ];
    for &(cu, subscription, warns) in cases {
        let mut form = base();
        form.cu = cu.into();
        if subscription {
            pre(&mut form);
        }
        let want = if warns {
            owned(&[("resourceSpec.cu", Code::AboveQuota)])
        } else {
            Vec::new()
        };
        assert_eq!(
            pairs(warnings(&form)),
            want,
            "cu {cu:?} subscription {subscription}"
        );
        if warns {
            let valid = validate(&form).expect("a warning is not an error");
            assert_eq!(valid.body.resource_spec.unwrap().cu.as_deref(), Some(cu));
        }
    }
    assert_eq!(workspace_model::validate::cu_quota(&base()), 5_000);
    let mut form = base();
    pre(&mut form);
    assert_eq!(workspace_model::validate::cu_quota(&form), 1_000);
}

#[test]
fn quota_warnings_quote_the_value_and_the_quota_and_map_to_quota_exceeded() {
    let mut form = base();
    form.cu = "5001".into();
    let w = &warnings(&form)[0];
    assert!(
        w.message.en.contains("5001") && w.message.en.contains("5,000"),
        "{}",
        w.message.en
    );
    assert!(w.message.en.contains("pay-as-you-go"));
    assert!(w.message.zh.contains("5001") && w.message.zh.contains("5,000"));
    assert_eq!(w.api_code(), "QuotaExceeded.resourceSpec.cu");
    assert_eq!(w.field(), Some(FieldKey::Cu));
    pre(&mut form);
    form.cu = "1001".into();
    let w = &warnings(&form)[0];
    assert!(w.message.en.contains("1,000") && w.message.en.contains("subscription"));
}

#[test]
#[rustfmt::skip]
fn gpu_rules() {
    run(&[
        row("empty (absent)", |f| f.gpu.clear(), OK),
        row("0", |f| f.gpu = "0".into(), OK),
        row("1", |f| f.gpu = "1".into(), OK),
        row("i32::MAX", |f| f.gpu = "2147483647".into(), OK),
        row("i32::MAX + 1", |f| f.gpu = "2147483648".into(), &[("resourceSpec.gpu", Code::OutOfRange)]),
        row("20 digits", |f| f.gpu = "99999999999999999999".into(), &[("resourceSpec.gpu", Code::OutOfRange)]),
        row("-1", |f| f.gpu = "-1".into(), &[("resourceSpec.gpu", Code::NotWholeNumber)]),
        row("01", |f| f.gpu = "01".into(), &[("resourceSpec.gpu", Code::NotWholeNumber)]),
        row("00", |f| f.gpu = "00".into(), &[("resourceSpec.gpu", Code::NotWholeNumber)]),
        row("+1", |f| f.gpu = "+1".into(), &[("resourceSpec.gpu", Code::NotWholeNumber)]),
        row("1.0", |f| f.gpu = "1.0".into(), &[("resourceSpec.gpu", Code::NotWholeNumber)]),
        row("x", |f| f.gpu = "x".into(), &[("resourceSpec.gpu", Code::NotWholeNumber)]),
        row("blank", |f| f.gpu = "  ".into(), &[("resourceSpec.gpu", Code::Whitespace)]),
        row("leading space", |f| f.gpu = " 1".into(), &[("resourceSpec.gpu", Code::Whitespace)]),
    ]);
}

const SPEC: &str = "ecs.gn7i-c8g1.2xlarge";

fn gpu1(f: &mut FormState, specs: &[&str]) {
    f.gpu = "1".into();
    f.gpu_spec = specs.iter().map(|s| s.to_string()).collect();
}

#[test]
#[rustfmt::skip]
fn gpu_spec_rules() {
    run(&[
        row("one valid spec with gpu 1", |f| gpu1(f, &[SPEC]), OK),
        row("two valid specs", |f| gpu1(f, &[SPEC, "ecs.gn6v-c8g1.8xlarge"]), OK),
        row("simple family", |f| gpu1(f, &["ecs.gn5.large"]), OK),
        row("64 chars", |f| gpu1(f, &[&format!("ecs.{}.x", "a".repeat(58))]), OK),
        row("65 chars", |f| gpu1(f, &[&format!("ecs.{}.x", "a".repeat(59))]), &[("gpuSpec[0]", Code::Pattern)]),
        row("spec without gpu", |f| f.gpu_spec = vec![SPEC.into()], &[("resourceSpec.gpu", Code::NeedsGpu)]),
        row("spec with gpu 0", |f| { gpu1(f, &[SPEC]); f.gpu = "0".into(); }, &[("resourceSpec.gpu", Code::NeedsGpu)]),
        row("spec with invalid gpu: only the gpu error", |f| { gpu1(f, &[SPEC]); f.gpu = "-1".into(); }, &[("resourceSpec.gpu", Code::NotWholeNumber)]),
        row("spec with too large gpu: only the range error", |f| { gpu1(f, &[SPEC]); f.gpu = "2147483648".into(); }, &[("resourceSpec.gpu", Code::OutOfRange)]),
        row("spec with blank gpu: only the whitespace error", |f| { gpu1(f, &[SPEC]); f.gpu = " ".into(); }, &[("resourceSpec.gpu", Code::Whitespace)]),
        row("empty row", |f| gpu1(f, &[""]), &[("gpuSpec[0]", Code::Required)]),
        row("blank row", |f| gpu1(f, &[SPEC, "  "]), &[("gpuSpec[1]", Code::Required)]),
        row("empty row without gpu: both, gpu first", |f| f.gpu_spec = vec![String::new()], &[("resourceSpec.gpu", Code::NeedsGpu), ("gpuSpec[0]", Code::Required)]),
        row("leading space", |f| gpu1(f, &[" ecs.gn7i-c8g1.2xlarge"]), &[("gpuSpec[0]", Code::Whitespace)]),
        row("upper case", |f| gpu1(f, &["ECS.gn7i-c8g1.2xlarge"]), &[("gpuSpec[0]", Code::Pattern)]),
        row("upper case family", |f| gpu1(f, &["ecs.GN7i.2xlarge"]), &[("gpuSpec[0]", Code::Pattern)]),
        row("no size", |f| gpu1(f, &["ecs.gn7i"]), &[("gpuSpec[0]", Code::Pattern)]),
        row("four parts", |f| gpu1(f, &["ecs.gn7i.c8g1.2xlarge"]), &[("gpuSpec[0]", Code::Pattern)]),
        row("empty family", |f| gpu1(f, &["ecs..large"]), &[("gpuSpec[0]", Code::Pattern)]),
        row("empty size", |f| gpu1(f, &["ecs.gn7i."]), &[("gpuSpec[0]", Code::Pattern)]),
        row("family with trailing hyphen", |f| gpu1(f, &["ecs.gn7i-.large"]), &[("gpuSpec[0]", Code::Pattern)]),
        row("family with double hyphen", |f| gpu1(f, &["ecs.gn7i--c8.large"]), &[("gpuSpec[0]", Code::Pattern)]),
        row("hyphen in size", |f| gpu1(f, &["ecs.gn7i.2x-large"]), &[("gpuSpec[0]", Code::Pattern)]),
        row("not ecs", |f| gpu1(f, &["gn7i-c8g1.2xlarge"]), &[("gpuSpec[0]", Code::Pattern)]),
        row("inner space", |f| gpu1(f, &["ecs.gn7i c8g1.2xlarge"]), &[("gpuSpec[0]", Code::Pattern)]),
        row("duplicate: error on the later row", |f| gpu1(f, &[SPEC, "ecs.gn5.large", SPEC]), &[("gpuSpec[2]", Code::Duplicate)]),
        row("three times: two duplicates", |f| gpu1(f, &[SPEC, SPEC, SPEC]), &[("gpuSpec[1]", Code::Duplicate), ("gpuSpec[2]", Code::Duplicate)]),
        row("every row is checked", |f| gpu1(f, &["bad", "", " x", SPEC]), &[("gpuSpec[0]", Code::Pattern), ("gpuSpec[1]", Code::Required), ("gpuSpec[2]", Code::Whitespace)]),
    ]);
}

#[test]
#[rustfmt::skip]
fn oss_bucket_rules() {
    run(&[
        row("3-char bucket", |f| f.oss_bucket = "oss://abc/".into(), OK),
        row("2-char bucket", |f| f.oss_bucket = "oss://ab/".into(), &[("ossBucket", Code::BucketName)]),
        row("63-char bucket", |f| f.oss_bucket = format!("oss://{}/", "a".repeat(63)), OK),
        row("64-char bucket", |f| f.oss_bucket = format!("oss://{}/", "a".repeat(64)), &[("ossBucket", Code::BucketName)]),
        row("digits and hyphens", |f| f.oss_bucket = "oss://0-9-a/".into(), OK),
        row("upper case", |f| f.oss_bucket = "oss://My-Bucket/".into(), &[("ossBucket", Code::BucketName)]),
        row("underscore", |f| f.oss_bucket = "oss://my_bucket/".into(), &[("ossBucket", Code::BucketName)]),
        row("period", |f| f.oss_bucket = "oss://my.bucket/".into(), &[("ossBucket", Code::BucketName)]),
        row("leading hyphen", |f| f.oss_bucket = "oss://-bucket/".into(), &[("ossBucket", Code::BucketName)]),
        row("trailing hyphen", |f| f.oss_bucket = "oss://bucket-/".into(), &[("ossBucket", Code::BucketName)]),
        row("empty bucket", |f| f.oss_bucket = "oss:///".into(), &[("ossBucket", Code::BucketName)]),
        row("non-ASCII bucket", |f| f.oss_bucket = "oss://bücket/".into(), &[("ossBucket", Code::BucketName)]),
        row("missing oss://", |f| f.oss_bucket = "my-bucket/".into(), &[("ossBucket", Code::OssFormat)]),
        row("other scheme", |f| f.oss_bucket = "s3://my-bucket/".into(), &[("ossBucket", Code::OssFormat)]),
        row("upper-case scheme", |f| f.oss_bucket = "OSS://my-bucket/".into(), &[("ossBucket", Code::OssFormat)]),
        row("oss:/ (one slash)", |f| f.oss_bucket = "oss:/my-bucket/".into(), &[("ossBucket", Code::OssFormat)]),
        row("missing trailing slash", |f| f.oss_bucket = "oss://my-bucket".into(), &[("ossBucket", Code::OssFormat)]),
        row("only the scheme", |f| f.oss_bucket = "oss://".into(), &[("ossBucket", Code::OssFormat)]),
        row("with a path", |f| f.oss_bucket = "oss://my-bucket/spark/warehouse/".into(), OK),
        row("with a path without trailing slash", |f| f.oss_bucket = "oss://my-bucket/spark".into(), OK),
        row("path with inner space and CJK", |f| f.oss_bucket = "oss://my-bucket/数据 仓库/".into(), OK),
        row("path of 1023 bytes", |f| f.oss_bucket = format!("oss://my-bucket/{}", "a".repeat(1023)), OK),
        row("path of 1024 bytes", |f| f.oss_bucket = format!("oss://my-bucket/{}", "a".repeat(1024)), &[("ossBucket", Code::OssPath)]),
        row("path of 1024 bytes in 342 chars", |f| f.oss_bucket = format!("oss://my-bucket/{}a", "数".repeat(341)), &[("ossBucket", Code::OssPath)]),
        row("bucket followed by //", |f| f.oss_bucket = "oss://my-bucket//".into(), &[("ossBucket", Code::OssPath)]),
        row("path with //", |f| f.oss_bucket = "oss://my-bucket/a//b/".into(), &[("ossBucket", Code::OssPath)]),
        row("path with a control char", |f| f.oss_bucket = "oss://my-bucket/a\u{1}b/".into(), &[("ossBucket", Code::OssPath)]),
        row("path with an inner tab", |f| f.oss_bucket = "oss://my-bucket/a\tb/".into(), &[("ossBucket", Code::OssPath)]),
        row("path with DEL", |f| f.oss_bucket = "oss://my-bucket/a\u{7F}/".into(), &[("ossBucket", Code::OssPath)]),
        row("path with a backslash", |f| f.oss_bucket = "oss://my-bucket/a\\b/".into(), &[("ossBucket", Code::OssPath)]),
        row("empty", |f| f.oss_bucket.clear(), &[("ossBucket", Code::Required)]),
        row("blank", |f| f.oss_bucket = "  ".into(), &[("ossBucket", Code::Required)]),
        row("leading space", |f| f.oss_bucket = " oss://my-bucket/".into(), &[("ossBucket", Code::Whitespace)]),
        row("trailing space", |f| f.oss_bucket = "oss://my-bucket/ ".into(), &[("ossBucket", Code::Whitespace)]),
    ]);
}

#[test]
#[rustfmt::skip]
fn dlf_type_rules() {
    run(&[
        row("dlf1.0", |f| f.dlf_type = "dlf1.0".into(), OK),
        row("dlf2.0", |f| f.dlf_type = "dlf2.0".into(), OK),
        row("empty (omitted)", |f| f.dlf_type.clear(), OK),
        row("dlf3.0", |f| f.dlf_type = "dlf3.0".into(), &[("dlfType", Code::NotAllowed)]),
        row("upper case", |f| f.dlf_type = "DLF1.0".into(), &[("dlfType", Code::NotAllowed)]),
        row("metadata spelling 1.0", |f| f.dlf_type = "1.0".into(), &[("dlfType", Code::NotAllowed)]),
        row("blank", |f| f.dlf_type = " ".into(), &[("dlfType", Code::Whitespace)]),
        row("trailing space", |f| f.dlf_type = "dlf1.0 ".into(), &[("dlfType", Code::Whitespace)]),
    ]);
}

#[test]
#[rustfmt::skip]
fn dlf_catalog_id_rules() {
    run(&[
        row("empty (omitted)", |f| f.dlf_catalog_id.clear(), OK),
        row("digits", |f| f.dlf_catalog_id = "1234567890".into(), OK),
        row("punctuation and CJK", |f| f.dlf_catalog_id = "cat:a/b_目录".into(), OK),
        row("128 chars", |f| f.dlf_catalog_id = "c".repeat(128), OK),
        row("129 chars", |f| f.dlf_catalog_id = "c".repeat(129), &[("dlfCatalogId", Code::TooLong)]),
        row("128 CJK chars", |f| f.dlf_catalog_id = "目".repeat(128), OK),
        row("inner space", |f| f.dlf_catalog_id = "12 34".into(), &[("dlfCatalogId", Code::InvalidChars)]),
        row("inner tab", |f| f.dlf_catalog_id = "12\t34".into(), &[("dlfCatalogId", Code::InvalidChars)]),
        row("inner ideographic space", |f| f.dlf_catalog_id = "12\u{3000}34".into(), &[("dlfCatalogId", Code::InvalidChars)]),
        // Regression: NUL and DEL are not whitespace, yet have no place in an ID.
        row("inner NUL", |f| f.dlf_catalog_id = "12\u{0}34".into(), &[("dlfCatalogId", Code::InvalidChars)]),
        row("inner DEL", |f| f.dlf_catalog_id = "12\u{7f}34".into(), &[("dlfCatalogId", Code::InvalidChars)]),
        row("129 chars with a space: only the space", |f| f.dlf_catalog_id = format!("{} x", "c".repeat(127)), &[("dlfCatalogId", Code::InvalidChars)]),
        row("leading space", |f| f.dlf_catalog_id = " 1234".into(), &[("dlfCatalogId", Code::Whitespace)]),
        row("blank", |f| f.dlf_catalog_id = "   ".into(), &[("dlfCatalogId", Code::Whitespace)]),
    ]);
}

#[test]
#[rustfmt::skip]
fn payment_type_rules() {
    run(&[
        row("PayAsYouGo", |f| f.payment_type = "PayAsYouGo".into(), OK),
        row("Pre", |f| f.payment_type = "Pre".into(), OK),
        row("empty", |f| f.payment_type.clear(), &[("paymentType", Code::Required)]),
        row("blank", |f| f.payment_type = " ".into(), &[("paymentType", Code::Required)]),
        row("lower case pre", |f| f.payment_type = "pre".into(), &[("paymentType", Code::NotAllowed)]),
        row("Subscription", |f| f.payment_type = "Subscription".into(), &[("paymentType", Code::NotAllowed)]),
        row("PostPaid", |f| f.payment_type = "PostPaid".into(), &[("paymentType", Code::NotAllowed)]),
        row("leading space: not a subscription either", |f| { f.payment_type = " Pre".into(); f.duration = "garbage".into(); }, &[("paymentType", Code::Whitespace)]),
    ]);
}

#[test]
#[rustfmt::skip]
fn subscription_rules() {
    run(&[
        row("defaults", pre, OK),
        row("duration 0", |f| { pre(f); f.duration = "0".into(); }, &[("duration", Code::OutOfRange)]),
        row("duration 1", |f| { pre(f); f.duration = "1".into(); }, OK),
        row("duration 9", |f| { pre(f); f.duration = "9".into(); }, OK),
        row("duration 10", |f| { pre(f); f.duration = "10".into(); }, &[("duration", Code::OutOfRange)]),
        row("duration 12", |f| { pre(f); f.duration = "12".into(); }, &[("duration", Code::OutOfRange)]),
        row("duration 01", |f| { pre(f); f.duration = "01".into(); }, &[("duration", Code::OutOfRange)]),
        row("duration -1", |f| { pre(f); f.duration = "-1".into(); }, &[("duration", Code::OutOfRange)]),
        row("duration 1.5", |f| { pre(f); f.duration = "1.5".into(); }, &[("duration", Code::OutOfRange)]),
        row("duration huge", |f| { pre(f); f.duration = "9".repeat(40); }, &[("duration", Code::OutOfRange)]),
        row("duration text", |f| { pre(f); f.duration = "one".into(); }, &[("duration", Code::OutOfRange)]),
        row("duration empty", |f| { pre(f); f.duration.clear(); }, &[("duration", Code::Required)]),
        row("duration blank", |f| { pre(f); f.duration = " ".into(); }, &[("duration", Code::Required)]),
        row("duration leading space", |f| { pre(f); f.duration = " 3".into(); }, &[("duration", Code::Whitespace)]),
        row("duration unit YEAR", |f| { pre(f); f.payment_duration_unit = "YEAR".into(); }, &[("paymentDurationUnit", Code::NotAllowed)]),
        row("duration unit Month", |f| { pre(f); f.payment_duration_unit = "Month".into(); }, &[("paymentDurationUnit", Code::NotAllowed)]),
        row("duration unit WEEK", |f| { pre(f); f.payment_duration_unit = "WEEK".into(); }, &[("paymentDurationUnit", Code::NotAllowed)]),
        row("duration unit empty", |f| { pre(f); f.payment_duration_unit.clear(); }, &[("paymentDurationUnit", Code::Required)]),
        row("auto-renew defaults", pre_renew, OK),
        row("renew period 0", |f| { pre_renew(f); f.auto_renew_period = "0".into(); }, &[("autoRenewPeriod", Code::OutOfRange)]),
        row("renew period 1", |f| { pre_renew(f); f.auto_renew_period = "1".into(); }, OK),
        row("renew period 12", |f| { pre_renew(f); f.auto_renew_period = "12".into(); }, OK),
        row("renew period 13", |f| { pre_renew(f); f.auto_renew_period = "13".into(); }, &[("autoRenewPeriod", Code::OutOfRange)]),
        row("renew period 012", |f| { pre_renew(f); f.auto_renew_period = "012".into(); }, &[("autoRenewPeriod", Code::OutOfRange)]),
        row("renew period empty", |f| { pre_renew(f); f.auto_renew_period.clear(); }, &[("autoRenewPeriod", Code::Required)]),
        row("renew period trailing space", |f| { pre_renew(f); f.auto_renew_period = "1 ".into(); }, &[("autoRenewPeriod", Code::Whitespace)]),
        row("renew unit YEAR", |f| { pre_renew(f); f.auto_renew_period_unit = "YEAR".into(); }, &[("autoRenewPeriodUnit", Code::NotAllowed)]),
        row("renew unit empty", |f| { pre_renew(f); f.auto_renew_period_unit.clear(); }, &[("autoRenewPeriodUnit", Code::Required)]),
        row("renew period and unit ignored with auto-renew off", |f| { pre(f); f.auto_renew_period = "13".into(); f.auto_renew_period_unit = "YEAR".into(); }, OK),
        row("every subscription field wrong, in form order", |f| {
            pre_renew(f);
            f.duration = "10".into();
            f.payment_duration_unit = "YEAR".into();
            f.auto_renew_period = "0".into();
            f.auto_renew_period_unit = String::new();
        }, &[
            ("duration", Code::OutOfRange),
            ("paymentDurationUnit", Code::NotAllowed),
            ("autoRenewPeriod", Code::OutOfRange),
            ("autoRenewPeriodUnit", Code::Required),
        ]),
        row("garbage in every subscription field is ignored for pay-as-you-go", |f| {
            f.duration = "garbage".into();
            f.payment_duration_unit = "YEAR".into();
            f.auto_renew = true;
            f.auto_renew_period = "-5".into();
            f.auto_renew_period_unit = " ".into();
        }, OK),
    ]);
}

#[test]
fn inactive_subscription_fields_are_neither_checked_nor_sent_but_kept_in_the_form() {
    let mut form = base();
    form.duration = "garbage".into();
    form.payment_duration_unit = "YEAR".into();
    form.auto_renew = true;
    form.auto_renew_period = "99".into();
    form.auto_renew_period_unit = "DAY".into();
    let kept = form.clone();
    let valid = validate(&form).expect("pay-as-you-go ignores subscription fields");
    let body = &valid.body;
    assert_eq!(
        (
            &body.duration,
            &body.payment_duration_unit,
            &body.auto_renew,
            &body.auto_renew_period,
            &body.auto_renew_period_unit
        ),
        (&None, &None, &None, &None, &None)
    );
    let json = body.to_json();
    for key in [
        "duration",
        "paymentDurationUnit",
        "autoRenew",
        "garbage",
        "YEAR",
        "DAY",
        "99",
    ] {
        assert!(!json.contains(key), "{key} leaked into {json}");
    }
    assert_eq!(form, kept, "validate changed the form");
    assert_eq!(form.duration, "garbage");
    for key in [
        FieldKey::Duration,
        FieldKey::PaymentDurationUnit,
        FieldKey::AutoRenew,
        FieldKey::AutoRenewPeriod,
        FieldKey::AutoRenewPeriodUnit,
    ] {
        assert!(field_errors(&form, key).is_empty(), "{key:?}");
    }

    // Switching to subscription brings the kept values back into play.
    form.payment_type = "Pre".into();
    assert_eq!(
        got(&form),
        owned(&[
            ("duration", Code::OutOfRange),
            ("paymentDurationUnit", Code::NotAllowed),
            ("autoRenewPeriod", Code::OutOfRange),
            ("autoRenewPeriodUnit", Code::NotAllowed),
        ])
    );

    // Subscription with auto-renew off: renewal fields are kept but not sent; autoRenew itself is sent.
    let mut form = base();
    pre(&mut form);
    form.auto_renew_period = "abc".into();
    form.auto_renew_period_unit = "DAY".into();
    let body = validate(&form).unwrap().body;
    assert_eq!(body.auto_renew.as_deref(), Some("false"));
    assert_eq!(body.duration.as_deref(), Some("1"));
    assert_eq!(body.payment_duration_unit.as_deref(), Some("MONTH"));
    assert_eq!(
        (body.auto_renew_period, body.auto_renew_period_unit),
        (None, None)
    );
    assert_eq!(form.auto_renew_period, "abc");

    form.auto_renew = true;
    form.auto_renew_period = "6".into();
    form.auto_renew_period_unit = "MONTH".into();
    let body = validate(&form).unwrap().body;
    assert_eq!(body.auto_renew.as_deref(), Some("true"));
    assert_eq!(body.auto_renew_period.as_deref(), Some("6"));
    assert_eq!(body.auto_renew_period_unit.as_deref(), Some("MONTH"));
}

#[test]
#[rustfmt::skip]
fn client_token_rules() {
    run(&[
        row("empty (omitted)", |f| f.client_token.clear(), OK),
        row("uuid", |f| f.client_token = "0f8fad5b-d9cb-469f-a165-70867728950e".into(), OK),
        row("64 chars", |f| f.client_token = "t".repeat(64), OK),
        row("65 chars", |f| f.client_token = "t".repeat(65), &[("clientToken", Code::TooLong)]),
        row("every kind of printable ASCII", |f| f.client_token = "!\"#$%&'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~".into(), OK),
        row("inner space is printable", |f| f.client_token = "a b".into(), OK),
        row("non-ASCII", |f| f.client_token = "tökén".into(), &[("clientToken", Code::NotPrintableAscii)]),
        row("CJK", |f| f.client_token = "令牌".into(), &[("clientToken", Code::NotPrintableAscii)]),
        row("65 chars, one non-ASCII: only that", |f| f.client_token = format!("{}é", "t".repeat(64)), &[("clientToken", Code::NotPrintableAscii)]),
        row("inner tab", |f| f.client_token = "a\tb".into(), &[("clientToken", Code::NotPrintableAscii)]),
        row("inner newline", |f| f.client_token = "a\nb".into(), &[("clientToken", Code::NotPrintableAscii)]),
        row("NUL", |f| f.client_token = "a\0b".into(), &[("clientToken", Code::NotPrintableAscii)]),
        row("DEL", |f| f.client_token = "a\u{7F}".into(), &[("clientToken", Code::NotPrintableAscii)]),
        row("leading space", |f| f.client_token = " abc".into(), &[("clientToken", Code::Whitespace)]),
        row("blank", |f| f.client_token = " ".into(), &[("clientToken", Code::Whitespace)]),
        row("only a newline", |f| f.client_token = "\n".into(), &[("clientToken", Code::Whitespace)]),
    ]);
}

#[test]
#[rustfmt::skip]
fn ram_role_name_rules() {
    run(&[
        row("default", |f| f.ram_role_name = DEFAULT_RAM_ROLE.into(), OK),
        row("1 char", |f| f.ram_role_name = "r".into(), OK),
        row("letters digits . - _", |f| f.ram_role_name = "My.Role-1_x".into(), OK),
        row("64 chars", |f| f.ram_role_name = "r".repeat(64), OK),
        row("65 chars", |f| f.ram_role_name = "r".repeat(65), &[("ramRoleName", Code::TooLong)]),
        row("empty", |f| f.ram_role_name.clear(), &[("ramRoleName", Code::Required)]),
        row("blank", |f| f.ram_role_name = "  ".into(), &[("ramRoleName", Code::Required)]),
        row("leading space", |f| f.ram_role_name = " role".into(), &[("ramRoleName", Code::Whitespace)]),
        row("inner space", |f| f.ram_role_name = "my role".into(), &[("ramRoleName", Code::InvalidChars)]),
        row("slash", |f| f.ram_role_name = "a/b".into(), &[("ramRoleName", Code::InvalidChars)]),
        row("ARN-like", |f| f.ram_role_name = "acs:ram::123:role/x".into(), &[("ramRoleName", Code::InvalidChars)]),
        row("at sign", |f| f.ram_role_name = "a@b".into(), &[("ramRoleName", Code::InvalidChars)]),
        row("CJK", |f| f.ram_role_name = "角色".into(), &[("ramRoleName", Code::InvalidChars)]),
        row("accented", |f| f.ram_role_name = "rôle".into(), &[("ramRoleName", Code::InvalidChars)]),
    ]);
}

#[test]
#[rustfmt::skip]
fn release_type_rules() {
    run(&[
        row("empty (omitted)", |f| f.release_type.clear(), OK),
        row("pro", |f| f.release_type = "pro".into(), OK),
        row("Pro", |f| f.release_type = "Pro".into(), &[("releaseType", Code::NotAllowed)]),
        row("basic", |f| f.release_type = "basic".into(), &[("releaseType", Code::NotAllowed)]),
        row("blank", |f| f.release_type = " ".into(), &[("releaseType", Code::Whitespace)]),
        row("leading space", |f| f.release_type = " pro".into(), &[("releaseType", Code::Whitespace)]),
    ]);
}

#[test]
#[rustfmt::skip]
fn resource_group_id_rules() {
    run(&[
        row("empty (omitted)", |f| f.resource_group_id.clear(), OK),
        row("example", |f| f.resource_group_id = "rg-acfmwpi66knkxny".into(), OK),
        row("digits only", |f| f.resource_group_id = "rg-123".into(), OK),
        row("one char", |f| f.resource_group_id = "rg-a".into(), OK),
        row("only the prefix", |f| f.resource_group_id = "rg-".into(), &[("resourceGroupId", Code::Pattern)]),
        row("no prefix", |f| f.resource_group_id = "acfmwpi66knkxny".into(), &[("resourceGroupId", Code::Pattern)]),
        row("upper-case prefix", |f| f.resource_group_id = "RG-abc".into(), &[("resourceGroupId", Code::Pattern)]),
        row("upper case", |f| f.resource_group_id = "rg-ABC".into(), &[("resourceGroupId", Code::Pattern)]),
        row("underscore", |f| f.resource_group_id = "rg_abc".into(), &[("resourceGroupId", Code::Pattern)]),
        row("second hyphen", |f| f.resource_group_id = "rg-abc-def".into(), &[("resourceGroupId", Code::Pattern)]),
        row("something before", |f| f.resource_group_id = "xrg-abc".into(), &[("resourceGroupId", Code::Pattern)]),
        row("non-ASCII", |f| f.resource_group_id = "rg-äbc".into(), &[("resourceGroupId", Code::Pattern)]),
        row("trailing space", |f| f.resource_group_id = "rg-abc ".into(), &[("resourceGroupId", Code::Whitespace)]),
        row("blank", |f| f.resource_group_id = "  ".into(), &[("resourceGroupId", Code::Whitespace)]),
    ]);
}

fn one_tag(f: &mut FormState, key: &str, value: &str) {
    f.tags = vec![TagRow::new(key, value)];
}

#[test]
#[rustfmt::skip]
fn tag_rules() {
    run(&[
        row("none", |f| f.tags.clear(), OK),
        row("20 tags", |f| f.tags = tags(20), OK),
        row("21 tags: one error at tag", |f| f.tags = tags(21), &[("tag", Code::TooMany)]),
        row("21 tags and a bad row: count first", |f| { f.tags = tags(21); f.tags[5].key = "acs:x".into(); }, &[("tag", Code::TooMany), ("tag[5].key", Code::ReservedPrefix)]),
        row("key of 128 chars", |f| one_tag(f, &"k".repeat(128), "v"), OK),
        row("key of 129 chars", |f| one_tag(f, &"k".repeat(129), "v"), &[("tag[0].key", Code::TooLong)]),
        row("key of 128 CJK chars", |f| one_tag(f, &"键".repeat(128), "v"), OK),
        row("value of 128 chars", |f| one_tag(f, "k", &"v".repeat(128)), OK),
        row("value of 129 chars", |f| one_tag(f, "k", &"v".repeat(129)), &[("tag[0].value", Code::TooLong)]),
        row("empty value", |f| one_tag(f, "k", ""), OK),
        row("empty key", |f| one_tag(f, "", "v"), &[("tag[0].key", Code::Required)]),
        row("empty row", |f| f.tags = vec![TagRow::default()], &[("tag[0].key", Code::Required)]),
        row("blank key", |f| one_tag(f, "  ", "v"), &[("tag[0].key", Code::Required)]),
        row("key with leading space", |f| one_tag(f, " k", "v"), &[("tag[0].key", Code::Whitespace)]),
        row("value with trailing space", |f| one_tag(f, "k", "v "), &[("tag[0].value", Code::Whitespace)]),
        row("blank value", |f| one_tag(f, "k", "   "), &[("tag[0].value", Code::Whitespace)]),
        row("inner spaces and punctuation", |f| one_tag(f, "cost center", "cc:42/a b"), OK),
        row("CJK", |f| one_tag(f, "团队", "数据平台"), OK),
        // Regression: control characters used to pass in tags.
        row("key with NUL", |f| one_tag(f, "a\u{0}b", "v"), &[("tag[0].key", Code::InvalidChars)]),
        row("key with a line break", |f| one_tag(f, "a\nb", "v"), &[("tag[0].key", Code::InvalidChars)]),
        row("value with DEL", |f| one_tag(f, "k", "a\u{7f}b"), &[("tag[0].value", Code::InvalidChars)]),
        row("value with a tab", |f| one_tag(f, "k", "a\tb"), &[("tag[0].value", Code::InvalidChars)]),
        row("duplicate key: error on the later index", |f| { f.tags = tags(3); f.tags.push(TagRow::new("k1", "other")); }, &[("tag[3].key", Code::Duplicate)]),
        row("duplicate key and value", |f| f.tags = vec![TagRow::new("a", "b"), TagRow::new("a", "b")], &[("tag[1].key", Code::Duplicate)]),
        row("keys differing in case are distinct", |f| f.tags = vec![TagRow::new("env", ""), TagRow::new("Env", "")], OK),
        row("duplicate values are fine", |f| f.tags = vec![TagRow::new("a", "x"), TagRow::new("b", "x")], OK),
        row("key aliyun", |f| one_tag(f, "aliyun", "v"), &[("tag[0].key", Code::ReservedPrefix)]),
        row("key aliyunx", |f| one_tag(f, "aliyunx", "v"), &[("tag[0].key", Code::ReservedPrefix)]),
        row("key Aliyun-owner", |f| one_tag(f, "Aliyun-owner", "v"), &[("tag[0].key", Code::ReservedPrefix)]),
        row("key ALIYUN", |f| one_tag(f, "ALIYUN", "v"), &[("tag[0].key", Code::ReservedPrefix)]),
        row("key acs:x", |f| one_tag(f, "acs:x", "v"), &[("tag[0].key", Code::ReservedPrefix)]),
        row("key ACS:x", |f| one_tag(f, "ACS:x", "v"), &[("tag[0].key", Code::ReservedPrefix)]),
        row("key Acs:", |f| one_tag(f, "Acs:", "v"), &[("tag[0].key", Code::ReservedPrefix)]),
        row("key acs without colon", |f| one_tag(f, "acsx", "v"), OK),
        row("key aliyu (shorter)", |f| one_tag(f, "aliyu", "v"), OK),
        row("key with aliyun inside", |f| one_tag(f, "my-aliyun", "v"), OK),
        row("key with acs: inside", |f| one_tag(f, "x-acs:y", "v"), OK),
        row("key starting with a multibyte char", |f| one_tag(f, "é-aliyun", "v"), OK),
        row("value aliyun is allowed", |f| one_tag(f, "k", "aliyun"), OK),
        row("value acs:x", |f| one_tag(f, "k", "acs:x"), &[("tag[0].value", Code::ReservedPrefix)]),
        row("value ACS:x", |f| one_tag(f, "k", "ACS:x"), &[("tag[0].value", Code::ReservedPrefix)]),
        row("value with acs: inside", |f| one_tag(f, "k", "x acs:y"), OK),
        row("key http://", |f| one_tag(f, "see http://x", "v"), &[("tag[0].key", Code::Url)]),
        row("key https://", |f| one_tag(f, "https://x", "v"), &[("tag[0].key", Code::Url)]),
        row("key HTTP://", |f| one_tag(f, "HTTP://x", "v"), &[("tag[0].key", Code::Url)]),
        row("value http://", |f| one_tag(f, "k", "http://example.com"), &[("tag[0].value", Code::Url)]),
        row("value https:// inside", |f| one_tag(f, "k", "see https://x"), &[("tag[0].value", Code::Url)]),
        row("value HtTpS://", |f| one_tag(f, "k", "HtTpS://x"), &[("tag[0].value", Code::Url)]),
        row("http without // is fine", |f| one_tag(f, "http", "http:/x"), OK),
        row("reserved key with a URL: reserved only", |f| one_tag(f, "aliyun http://x", "v"), &[("tag[0].key", Code::ReservedPrefix)]),
        row("reserved duplicate: reserved only", |f| f.tags = vec![TagRow::new("acs:a", ""), TagRow::new("acs:a", "")], &[("tag[0].key", Code::ReservedPrefix), ("tag[1].key", Code::ReservedPrefix)]),
        row("key and value errors in one row", |f| one_tag(f, "", "acs:x"), &[("tag[0].key", Code::Required), ("tag[0].value", Code::ReservedPrefix)]),
        row("rows in order", |f| f.tags = vec![
            TagRow::new("ok", ""),
            TagRow::new("k".repeat(129), "v".repeat(129)),
            TagRow::new("ok", "https://x"),
        ], &[
            ("tag[1].key", Code::TooLong),
            ("tag[1].value", Code::TooLong),
            ("tag[2].key", Code::Duplicate),
            ("tag[2].value", Code::Url),
        ]),
    ]);
    assert_eq!(MAX_TAGS, 20);
}

#[test]
fn optional_values_are_omitted_from_the_body() {
    let mut form = base();
    form.dlf_type.clear();
    form.tags = vec![TagRow::new("a", ""), TagRow::new("b", "x")];
    let body = validate(&form).unwrap().body;
    assert_eq!(
        body.to_json(),
        r#"{"ossBucket":"oss://my-bucket/","paymentType":"PayAsYouGo","ramRoleName":"AliyunEMRSparkJobRunDefaultRole","resourceSpec":{"cu":"8"},"tag":[{"key":"a"},{"key":"b","value":"x"}],"workspaceName":"spark-etl"}"#
    );
    // A ticked box is sent as a JSON boolean; GPU quota as an integer, 0 included.
    form.auto_start_session_cluster = true;
    form.gpu = "0".into();
    let json = validate(&form).unwrap().body.to_json();
    assert!(json.contains(r#""autoStartSessionCluster":true"#), "{json}");
    assert!(
        json.contains(r#""resourceSpec":{"cu":"8","gpu":0}"#),
        "{json}"
    );
}

#[test]
fn errors_come_in_form_order() {
    let mut form = FormState::new();
    form.region_id = "mars-1".into();
    form.workspace_name = "a b".into();
    form.cu = "0".into();
    form.gpu = "-1".into();
    form.gpu_spec = vec!["bad".into()];
    form.oss_bucket = "bucket".into();
    form.dlf_type = "dlf9".into();
    form.dlf_catalog_id = "a b".into();
    form.payment_type = "Pre".into();
    form.duration = "10".into();
    form.payment_duration_unit = "YEAR".into();
    form.auto_renew = true;
    form.auto_renew_period = "13".into();
    form.auto_renew_period_unit = "YEAR".into();
    form.ram_role_name = "a b".into();
    form.resource_group_id = "rg".into();
    form.tags = vec![TagRow::new("aliyun", "acs:")];
    form.release_type = "basic".into();
    form.client_token = "é".into();
    assert_eq!(
        got(&form),
        owned(&[
            ("regionId", Code::UnknownRegion),
            ("workspaceName", Code::InvalidChars),
            ("resourceSpec.cu", Code::NotPositiveInteger),
            ("resourceSpec.gpu", Code::NotWholeNumber),
            ("gpuSpec[0]", Code::Pattern),
            ("ossBucket", Code::OssFormat),
            ("dlfType", Code::NotAllowed),
            ("dlfCatalogId", Code::InvalidChars),
            ("duration", Code::OutOfRange),
            ("paymentDurationUnit", Code::NotAllowed),
            ("autoRenewPeriod", Code::OutOfRange),
            ("autoRenewPeriodUnit", Code::NotAllowed),
            ("ramRoleName", Code::InvalidChars),
            ("resourceGroupId", Code::Pattern),
            ("tag[0].key", Code::ReservedPrefix),
            ("tag[0].value", Code::ReservedPrefix),
            ("releaseType", Code::NotAllowed),
            ("clientToken", Code::NotPrintableAscii),
        ])
    );
    check_consistency("every field wrong", &form);
    // The first error is the topmost field of the form.
    let first = &validate(&form).unwrap_err()[0];
    assert_eq!(first.field(), Some(FIELDS[0].key));
}

#[test]
fn field_errors_returns_only_that_fields_errors() {
    let mut form = base();
    form.workspace_name = "a b".into();
    form.cu = "x".into();
    form.tags = vec![TagRow::new("", ""), TagRow::new("acs:x", "https://x")];
    assert_eq!(
        errors_of(&form, FieldKey::WorkspaceName),
        owned(&[("workspaceName", Code::InvalidChars)])
    );
    assert_eq!(
        errors_of(&form, FieldKey::Cu),
        owned(&[("resourceSpec.cu", Code::NotPositiveInteger)])
    );
    assert_eq!(
        errors_of(&form, FieldKey::Tag),
        owned(&[
            ("tag[0].key", Code::Required),
            ("tag[1].key", Code::ReservedPrefix),
            ("tag[1].value", Code::Url),
        ])
    );
    for key in [
        FieldKey::RegionId,
        FieldKey::OssBucket,
        FieldKey::Gpu,
        FieldKey::RamRoleName,
        FieldKey::ClientToken,
    ] {
        assert!(errors_of(&form, key).is_empty(), "{key:?}");
    }
    // The GPU-spec rule that needs a quota reports on the quota, not on the list.
    form.gpu_spec = vec![SPEC.into()];
    assert_eq!(
        errors_of(&form, FieldKey::Gpu),
        owned(&[("resourceSpec.gpu", Code::NeedsGpu)])
    );
    assert!(errors_of(&form, FieldKey::GpuSpec).is_empty());
    // Fields that do not apply have no errors.
    form.duration = "0".into();
    assert!(errors_of(&form, FieldKey::Duration).is_empty());
    form.payment_type = "Pre".into();
    assert_eq!(
        errors_of(&form, FieldKey::Duration),
        owned(&[("duration", Code::OutOfRange)])
    );
    check_consistency("field_errors", &form);
}

#[test]
fn api_codes_and_messages() {
    let mut form = base();
    form.workspace_name.clear();
    form.cu = "0".into();
    form.tags = tags(3);
    form.tags.push(TagRow::new("k1", ""));
    let errors = validate(&form).unwrap_err();
    let codes: Vec<String> = errors.iter().map(FieldError::api_code).collect();
    assert_eq!(
        codes,
        [
            "MissingParameter.workspaceName",
            "InvalidParameter.resourceSpec.cu",
            "InvalidParameter.tag[3].key",
        ]
    );
    assert_eq!(
        errors[0].api_message(),
        "workspaceName: This field is required."
    );
    assert_eq!(
        errors[1].api_message(),
        format!("resourceSpec.cu: {}", errors[1].message.en)
    );
    assert_eq!(
        errors[2].api_message(),
        "tag[3].key: “k1” is already listed above."
    );
    assert_eq!(errors[2].field(), Some(FieldKey::Tag));
    assert_eq!(errors[1].field(), Some(FieldKey::Cu));

    let required_tag_key = FieldError::new("tag[0].key", Code::Required, Message::new("e", "z"));
    assert_eq!(required_tag_key.api_code(), "MissingParameter.tag[0].key");
    assert_eq!(required_tag_key.api_message(), "tag[0].key: e");
    let quota = FieldError::new("resourceSpec.cu", Code::AboveQuota, Message::new("e", "z"));
    assert_eq!(quota.api_code(), "QuotaExceeded.resourceSpec.cu");
    for code in ALL_CODES {
        let e = FieldError::new("ossBucket", code, Message::new("m", "z"));
        let want = match code {
            Code::Required => "MissingParameter.ossBucket",
            Code::AboveQuota => "QuotaExceeded.ossBucket",
            _ => "InvalidParameter.ossBucket",
        };
        assert_eq!(e.api_code(), want, "{code:?}");
        // The wire error parses back to the same parameter.
        let api = workspace_model::ApiError::new(e.api_code(), e.api_message());
        assert_eq!(api.field(), Some(FieldKey::OssBucket));
        assert_eq!(api.field_path(), Some("ossBucket"));
    }
    let api = workspace_model::ApiError::new(errors[2].api_code(), errors[2].api_message());
    assert_eq!(api.field_path(), Some("tag[3].key"));
}

const ALL_CODES: [Code; 22] = [
    Code::Required,
    Code::Whitespace,
    Code::TooLong,
    Code::InvalidChars,
    Code::NotAllowed,
    Code::UnknownRegion,
    Code::NotPositiveInteger,
    Code::NotWholeNumber,
    Code::OutOfRange,
    Code::OssFormat,
    Code::BucketName,
    Code::OssPath,
    Code::NotPrintableAscii,
    Code::Pattern,
    Code::TooMany,
    Code::Duplicate,
    Code::ReservedPrefix,
    Code::Url,
    Code::NeedsGpu,
    Code::NotApplicable,
    Code::WrongType,
    Code::AboveQuota,
];

#[test]
fn codes_serialize_as_their_stable_names() {
    for code in ALL_CODES {
        assert_eq!(
            serde_json::to_string(&code).unwrap(),
            format!("\"{}\"", code.as_str())
        );
        let back: Code = serde_json::from_str(&format!("\"{}\"", code.as_str())).unwrap();
        assert_eq!(back, code);
    }
    let mut names: Vec<&str> = ALL_CODES.iter().map(|c| c.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), ALL_CODES.len());
}

#[test]
fn field_errors_serialize_for_the_server() {
    let mut form = base();
    form.cu.clear();
    let e = &validate(&form).unwrap_err()[0];
    let json = serde_json::to_value(e).unwrap();
    assert_eq!(json["path"], "resourceSpec.cu");
    assert_eq!(json["code"], "required");
    assert_eq!(json["message"]["en"], "This field is required.");
    assert_eq!(json["message"]["zh"], "此项为必填项。");
    assert_eq!(e.message.get(Locale::Zh), "此项为必填项。");
}

#[test]
fn messages_quote_the_offending_character_or_value() {
    let mut form = base();
    form.workspace_name = "a.b".into();
    form.ram_role_name = "a b".into();
    form.client_token = "a\u{7}".into();
    form.region_id = "mars".into();
    let errors = validate(&form).unwrap_err();
    let en: Vec<&str> = errors.iter().map(|e| e.message.en.as_str()).collect();
    assert!(en[0].contains("“mars”"), "{}", en[0]);
    assert!(en[1].starts_with("“.”"), "{}", en[1]);
    assert!(en[2].starts_with("A space"), "{}", en[2]);
    assert!(en[3].contains("U+0007"), "{}", en[3]);
    assert!(errors[2].message.zh.contains("空格"));
}
