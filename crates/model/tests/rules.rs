//! Every rule of the CreateWorkspace contract (`crates/model/RULES.md`), table driven: each row
//! changes a valid base form and states every finding it must produce, in order: its path, code and tier
//! (A api and C console refuse; H hint only warns), or none. One row per line (`rustfmt::skip`), so they read
//! as tables.

use workspace_model::{
    Code, FIELDS, FieldKey as K, FieldPath, Finding, FormState, REGIONS, Tier, Values,
    catalogue::{DEFAULT_RAM_ROLE, MAX_TAGS},
    rules::tidy_oss_bucket,
    validate::{check_all, check_field, first_error, validate, warnings},
};

const A: Tier = Tier::Api;
const C: Tier = Tier::Console;
const H: Tier = Tier::Hint;

type Mutate = fn(&mut FormState);
type Expect = &'static [(&'static str, Code, Tier)];

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
    FormState::new()
        .with(K::WorkspaceName, "spark-etl")
        .with(K::Cu, "8")
        .with(K::OssBucket, "oss://my-bucket/")
}

/// Subscription billing with the defaults (1 month, no auto-renew).
fn pre(f: &mut FormState) {
    f.set(K::PaymentType, "Pre");
}

/// Subscription billing with auto-renew on (defaults: 1 month, renew for 1 month).
fn pre_renew(f: &mut FormState) {
    pre(f);
    f.set_flag(K::AutoRenew, true);
}

fn tags(f: &mut FormState, n: usize) {
    *f.rows_mut(K::Tag) = (0..n)
        .map(|i| vec![format!("k{i}"), format!("v{i}")])
        .collect();
}

fn one_tag(f: &mut FormState, key: &str, value: &str) {
    *f.rows_mut(K::Tag) = vec![vec![key.into(), value.into()]];
}

fn triples(findings: &[Finding]) -> Vec<(String, Code, Tier)> {
    findings
        .iter()
        .map(|e| (e.path.to_string(), e.code, e.tier))
        .collect()
}

fn owned(want: Expect) -> Vec<(String, Code, Tier)> {
    want.iter()
        .map(|(p, c, t)| (p.to_string(), *c, *t))
        .collect()
}

/// Invariants for every form: every finding has words in both languages and a path that reads back, and findings
/// come in form order (a form-wide rule reports only at its own field).
fn check_consistency(desc: &str, form: &FormState) {
    let all = check_all(form);
    for e in &all {
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
        assert_eq!(
            e.path.to_string().parse::<FieldPath>(),
            Ok(e.path),
            "{desc}: {}",
            e.path
        );
    }
    let order: Vec<usize> = all.iter().map(|e| e.path.key as usize).collect();
    assert!(
        order.windows(2).all(|w| w[0] <= w[1]),
        "{desc}: out of form order: {order:?}"
    );
}

/// What `validate`, `first_error` and `warnings` must say, worked out from the row's own expectations (not from
/// `check_all`, which they are built on): errors are the api and console findings, warnings the hints.
fn check_entry_points(form: &FormState, want: &[(String, Code, Tier)]) -> Vec<String> {
    let (errors, hints): (Vec<_>, Vec<_>) = want.iter().cloned().partition(|(_, _, t)| *t != H);
    let mut out = Vec::new();
    let validated = match validate(form) {
        Ok(_) => Vec::new(),
        Err(e) => triples(&e),
    };
    if validated != errors {
        out.push(format!("validate: want {errors:?}, got {validated:?}"));
    }
    let first = first_error(form).map(|e| triples(&[e]).remove(0));
    if first.as_ref() != errors.first() {
        out.push(format!(
            "first_error: want {:?}, got {first:?}",
            errors.first()
        ));
    }
    let warned = triples(&warnings(form));
    if warned != hints {
        out.push(format!("warnings: want {hints:?}, got {warned:?}"));
    }
    out
}

fn run(table: &[Row]) {
    let mut failures = Vec::new();
    for r in table {
        let mut form = base();
        (r.mutate)(&mut form);
        let got = triples(&check_all(&form));
        let want = owned(r.expect);
        if got != want {
            failures.push(format!(
                "  {}:\n    want {want:?}\n    got  {got:?}",
                r.desc
            ));
        }
        for failure in check_entry_points(&form, &want) {
            failures.push(format!("  {}: {failure}", r.desc));
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
    let want: Expect = &[
        ("workspaceName", Code::Required, C),
        ("resourceSpec.cu", Code::Required, C),
        ("ossBucket", Code::Required, C),
    ];
    assert_eq!(triples(&check_all(&FormState::new())), owned(want));
    // What a server reads from `{}` without a region: no paymentType (PayAsYouGo) and no role are fine.
    let mut want = vec![("regionId".to_owned(), Code::Required, A)];
    want.extend(owned(&[
        ("workspaceName", Code::Required, C),
        ("resourceSpec.cu", Code::Required, C),
        ("ossBucket", Code::Required, C),
    ]));
    assert_eq!(triples(&check_all(&FormState::default())), want);
}

#[test]
#[rustfmt::skip]
fn region_id_rules() {
    run(&[
        row("empty", |f| f.set(K::RegionId, ""), &[("regionId", Code::Required, A)]),
        row("blank", |f| f.set(K::RegionId, "  "), &[("regionId", Code::UnknownRegion, A)]),
        row("leading space", |f| f.set(K::RegionId, " cn-hangzhou"), &[("regionId", Code::UnknownRegion, A)]),
        row("unknown", |f| f.set(K::RegionId, "cn-nowhere"), &[("regionId", Code::UnknownRegion, A)]),
        row("upper case", |f| f.set(K::RegionId, "CN-HANGZHOU"), &[("regionId", Code::UnknownRegion, A)]),
        row("suffix", |f| f.set(K::RegionId, "cn-hangzhou.evil.com"), &[("regionId", Code::UnknownRegion, A)]),
        row("a real region not served", |f| f.set(K::RegionId, "cn-qingdao"), &[("regionId", Code::UnknownRegion, A)]),
        row("cn-shanghai", |f| f.set(K::RegionId, "cn-shanghai"), OK),
        row("na-south-1", |f| f.set(K::RegionId, "na-south-1"), OK),
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
        let valid =
            validate(&base().with(K::RegionId, id)).unwrap_or_else(|e| panic!("{id}: {e:?}"));
        assert_eq!(
            workspace_model::request::create_workspace_url(&valid.region_id),
            format!("/api/v1/workspaces?regionId={id}")
        );
    }
}

#[test]
#[rustfmt::skip]
fn workspace_name_rules() {
    const N: &str = "workspaceName";
    run(&[
        row("1 char", |f| f.set(K::WorkspaceName, "a"), OK),
        row("64 chars", |f| f.set(K::WorkspaceName, "a".repeat(64)), OK),
        row("65 chars", |f| f.set(K::WorkspaceName, "a".repeat(65)), &[(N, Code::TooLong, C)]),
        row("66 chars with bad chars: only too long", |f| f.set(K::WorkspaceName, "a b".repeat(22)), &[(N, Code::TooLong, C)]),
        row("letters digits _ -", |f| f.set(K::WorkspaceName, "Ab_9-zZ0"), OK),
        row("only _", |f| f.set(K::WorkspaceName, "_"), OK),
        row("U+4E00", |f| f.set(K::WorkspaceName, "\u{4E00}"), OK),
        row("U+9FA5", |f| f.set(K::WorkspaceName, "\u{9FA5}"), OK),
        row("U+9FA6", |f| f.set(K::WorkspaceName, "\u{9FA6}"), &[(N, Code::InvalidChars, C)]),
        row("U+4DFF (below the CJK range)", |f| f.set(K::WorkspaceName, "\u{4DFF}"), &[(N, Code::InvalidChars, C)]),
        row("CJK extension B U+20000", |f| f.set(K::WorkspaceName, "\u{20000}"), &[(N, Code::InvalidChars, C)]),
        row("mixed CJK", |f| f.set(K::WorkspaceName, "数据湖_分析-01"), OK),
        row("64 CJK chars (192 bytes)", |f| f.set(K::WorkspaceName, "数".repeat(64)), OK),
        row("65 CJK chars", |f| f.set(K::WorkspaceName, "数".repeat(65)), &[(N, Code::TooLong, C)]),
        row("empty", |f| f.set(K::WorkspaceName, ""), &[(N, Code::Required, C)]),
        row("only spaces", |f| f.set(K::WorkspaceName, "   "), &[(N, Code::InvalidChars, C)]),
        row("only a tab", |f| f.set(K::WorkspaceName, "\t"), &[(N, Code::InvalidChars, C)]),
        row("leading space", |f| f.set(K::WorkspaceName, " abc"), &[(N, Code::InvalidChars, C)]),
        row("trailing newline", |f| f.set(K::WorkspaceName, "abc\n"), &[(N, Code::InvalidChars, C)]),
        row("period", |f| f.set(K::WorkspaceName, "a.b"), &[(N, Code::InvalidChars, C)]),
        row("emoji", |f| f.set(K::WorkspaceName, "spark😀"), &[(N, Code::InvalidChars, C)]),
        row("accented letter", |f| f.set(K::WorkspaceName, "café"), &[(N, Code::InvalidChars, C)]),
        row("full-width letter", |f| f.set(K::WorkspaceName, "Ａ"), &[(N, Code::InvalidChars, C)]),
        row("Chinese punctuation", |f| f.set(K::WorkspaceName, "数据，湖"), &[(N, Code::InvalidChars, C)]),
        row("NUL", |f| f.set(K::WorkspaceName, "a\0b"), &[(N, Code::InvalidChars, C)]),
        row("zero-width space", |f| f.set(K::WorkspaceName, "a\u{200B}b"), &[(N, Code::InvalidChars, C)]),
    ]);
}

#[test]
#[rustfmt::skip]
fn cu_rules() {
    const P: &str = "resourceSpec.cu";
    run(&[
        row("1", |f| f.set(K::Cu, "1"), OK),
        row("10", |f| f.set(K::Cu, "10"), OK),
        row("5000", |f| f.set(K::Cu, "5000"), OK),
        row("5001: a hint", |f| f.set(K::Cu, "5001"), &[(P, Code::AboveQuota, H)]),
        row("30 digits: a hint", |f| f.set(K::Cu, "9".repeat(30)), &[(P, Code::AboveQuota, H)]),
        row("subscription 1000", |f| { pre(f); f.set(K::Cu, "1000"); }, OK),
        row("subscription 1001: a hint", |f| { pre(f); f.set(K::Cu, "1001"); }, &[(P, Code::AboveQuota, H)]),
        row("01", |f| f.set(K::Cu, "01"), &[(P, Code::NotPositiveInteger, C)]),
        row("0", |f| f.set(K::Cu, "0"), &[(P, Code::NotPositiveInteger, C)]),
        row("-1", |f| f.set(K::Cu, "-1"), &[(P, Code::NotPositiveInteger, C)]),
        row("-6000: no quota hint on an error", |f| f.set(K::Cu, "-6000"), &[(P, Code::NotPositiveInteger, C)]),
        row("+8", |f| f.set(K::Cu, "+8"), &[(P, Code::NotPositiveInteger, C)]),
        row("1.5", |f| f.set(K::Cu, "1.5"), &[(P, Code::NotPositiveInteger, C)]),
        row("8.0", |f| f.set(K::Cu, "8.0"), &[(P, Code::NotPositiveInteger, C)]),
        row("1e3", |f| f.set(K::Cu, "1e3"), &[(P, Code::NotPositiveInteger, C)]),
        row("8cu", |f| f.set(K::Cu, "8cu"), &[(P, Code::NotPositiveInteger, C)]),
        row("full-width digit", |f| f.set(K::Cu, "８"), &[(P, Code::NotPositiveInteger, C)]),
        row("leading space", |f| f.set(K::Cu, " 8"), &[(P, Code::NotPositiveInteger, C)]),
        row("empty", |f| f.set(K::Cu, ""), &[(P, Code::Required, C)]),
    ]);
}

#[test]
fn quota_hints_quote_the_value_and_the_quota_and_never_refuse() {
    let form = base().with(K::Cu, "5001");
    let w = &warnings(&form)[0];
    assert!(
        w.message.en.contains("5001") && w.message.en.contains("5,000"),
        "{}",
        w.message.en
    );
    assert!(w.message.en.contains("pay-as-you-go"));
    assert!(w.message.zh.contains("5001") && w.message.zh.contains("5,000"));
    assert!(!w.refuses());
    let valid = validate(&form).expect("a hint is not an error");
    assert!(
        valid
            .body
            .to_json()
            .contains(r#""resourceSpec":{"cu":"5001"}"#)
    );
    let mut form = form.with(K::Cu, "1001");
    pre(&mut form);
    let w = &warnings(&form)[0];
    assert!(w.message.en.contains("1,000") && w.message.en.contains("subscription"));
}

#[test]
#[rustfmt::skip]
fn gpu_rules() {
    const P: &str = "resourceSpec.gpu";
    run(&[
        row("empty (absent)", |f| f.set(K::Gpu, ""), OK),
        row("0", |f| f.set(K::Gpu, "0"), OK),
        row("1", |f| f.set(K::Gpu, "1"), OK),
        row("i32::MAX + 1 (the SDK's int is unbounded)", |f| f.set(K::Gpu, "2147483648"), OK),
        row("i64::MAX", |f| f.set(K::Gpu, i64::MAX.to_string()), OK),
        row("i64::MAX + 1: not a JSON integer we can send", |f| f.set(K::Gpu, "9223372036854775808"), &[(P, Code::OutOfRange, A)]),
        row("-1", |f| f.set(K::Gpu, "-1"), &[(P, Code::NotWholeNumber, A)]),
        row("01", |f| f.set(K::Gpu, "01"), &[(P, Code::NotWholeNumber, A)]),
        row("1.0", |f| f.set(K::Gpu, "1.0"), &[(P, Code::NotWholeNumber, A)]),
        row("x", |f| f.set(K::Gpu, "x"), &[(P, Code::NotWholeNumber, A)]),
        row("blank", |f| f.set(K::Gpu, "  "), &[(P, Code::NotWholeNumber, A)]),
    ]);
}

const SPEC: &str = "ecs.gn7i-c8g1.2xlarge";

fn gpu1(f: &mut FormState, specs: &[&str]) {
    f.set(K::Gpu, "1");
    *f.rows_mut(K::GpuSpec) = specs.iter().map(|s| vec![s.to_string()]).collect();
}

#[test]
#[rustfmt::skip]
fn gpu_spec_hints() {
    run(&[
        row("one valid spec with gpu 1", |f| gpu1(f, &[SPEC]), OK),
        row("two valid specs", |f| gpu1(f, &[SPEC, "ecs.gn6v-c8g1.8xlarge"]), OK),
        row("simple family", |f| gpu1(f, &["ecs.gn5.large"]), OK),
        row("64 chars", |f| gpu1(f, &[&format!("ecs.{}.x", "a".repeat(58))]), OK),
        row("65 chars", |f| gpu1(f, &[&format!("ecs.{}.x", "a".repeat(59))]), &[("gpuSpec[0]", Code::Pattern, H)]),
        row("spec without gpu", |f| { gpu1(f, &[SPEC]); f.set(K::Gpu, ""); }, &[("gpuSpec", Code::NeedsGpu, H)]),
        row("spec with gpu 0", |f| { gpu1(f, &[SPEC]); f.set(K::Gpu, "0"); }, &[("gpuSpec", Code::NeedsGpu, H)]),
        row("spec with an invalid gpu: the gpu error and the hint", |f| { gpu1(f, &[SPEC]); f.set(K::Gpu, "-1"); }, &[("resourceSpec.gpu", Code::NotWholeNumber, A), ("gpuSpec", Code::NeedsGpu, H)]),
        row("empty row", |f| gpu1(f, &[""]), &[("gpuSpec[0]", Code::EmptyRow, H)]),
        row("only empty rows need no gpu", |f| { gpu1(f, &["", ""]); f.set(K::Gpu, ""); }, &[("gpuSpec[0]", Code::EmptyRow, H), ("gpuSpec[1]", Code::EmptyRow, H)]),
        row("upper case", |f| gpu1(f, &["ECS.gn7i-c8g1.2xlarge"]), &[("gpuSpec[0]", Code::Pattern, H)]),
        row("no size", |f| gpu1(f, &["ecs.gn7i"]), &[("gpuSpec[0]", Code::Pattern, H)]),
        row("four parts", |f| gpu1(f, &["ecs.gn7i.c8g1.2xlarge"]), &[("gpuSpec[0]", Code::Pattern, H)]),
        row("family with double hyphen", |f| gpu1(f, &["ecs.gn7i--c8.large"]), &[("gpuSpec[0]", Code::Pattern, H)]),
        row("not ecs", |f| gpu1(f, &["gn7i-c8g1.2xlarge"]), &[("gpuSpec[0]", Code::Pattern, H)]),
        row("leading space", |f| gpu1(f, &[" ecs.gn5.large"]), &[("gpuSpec[0]", Code::Pattern, H)]),
        row("duplicate: on the later row", |f| gpu1(f, &[SPEC, "ecs.gn5.large", SPEC]), &[("gpuSpec[2]", Code::Duplicate, H)]),
        row("three times: two duplicates", |f| gpu1(f, &[SPEC, SPEC, SPEC]), &[("gpuSpec[1]", Code::Duplicate, H), ("gpuSpec[2]", Code::Duplicate, H)]),
        row("one hint per row, the first rule's", |f| gpu1(f, &["bad", "", "bad"]), &[("gpuSpec[1]", Code::EmptyRow, H), ("gpuSpec[0]", Code::Pattern, H), ("gpuSpec[2]", Code::Pattern, H)]),
    ]);
}

#[test]
#[rustfmt::skip]
fn oss_bucket_rules() {
    const P: &str = "ossBucket";
    run(&[
        row("3-char bucket", |f| f.set(K::OssBucket, "oss://abc/"), OK),
        row("without the trailing slash", |f| f.set(K::OssBucket, "oss://my-bucket"), OK),
        row("2-char bucket", |f| f.set(K::OssBucket, "oss://ab/"), &[(P, Code::BucketName, C)]),
        row("63-char bucket", |f| f.set(K::OssBucket, format!("oss://{}/", "a".repeat(63))), OK),
        row("64-char bucket", |f| f.set(K::OssBucket, format!("oss://{}/", "a".repeat(64))), &[(P, Code::BucketName, C)]),
        row("64-char bucket without slash", |f| f.set(K::OssBucket, format!("oss://{}", "a".repeat(64))), &[(P, Code::BucketName, C)]),
        row("digits and hyphens", |f| f.set(K::OssBucket, "oss://0-9-a/"), OK),
        row("upper case", |f| f.set(K::OssBucket, "oss://My-Bucket/"), &[(P, Code::BucketName, C)]),
        row("underscore", |f| f.set(K::OssBucket, "oss://my_bucket/"), &[(P, Code::BucketName, C)]),
        row("period", |f| f.set(K::OssBucket, "oss://my.bucket/"), &[(P, Code::BucketName, C)]),
        row("leading hyphen", |f| f.set(K::OssBucket, "oss://-bucket/"), &[(P, Code::BucketName, C)]),
        row("trailing hyphen", |f| f.set(K::OssBucket, "oss://bucket-/"), &[(P, Code::BucketName, C)]),
        row("empty bucket", |f| f.set(K::OssBucket, "oss:///"), &[(P, Code::BucketName, C)]),
        row("only the scheme", |f| f.set(K::OssBucket, "oss://"), &[(P, Code::BucketName, C)]),
        row("non-ASCII bucket", |f| f.set(K::OssBucket, "oss://bücket/"), &[(P, Code::BucketName, C)]),
        row("missing oss://", |f| f.set(K::OssBucket, "my-bucket/"), &[(P, Code::OssFormat, C)]),
        row("other scheme", |f| f.set(K::OssBucket, "s3://my-bucket/"), &[(P, Code::OssFormat, C)]),
        row("upper-case scheme", |f| f.set(K::OssBucket, "OSS://my-bucket/"), &[(P, Code::OssFormat, C)]),
        row("leading space", |f| f.set(K::OssBucket, " oss://my-bucket/"), &[(P, Code::OssFormat, C)]),
        row("with a path", |f| f.set(K::OssBucket, "oss://my-bucket/spark/warehouse/"), OK),
        row("path without trailing slash", |f| f.set(K::OssBucket, "oss://my-bucket/spark"), OK),
        row("path with inner space and CJK", |f| f.set(K::OssBucket, "oss://my-bucket/数据 仓库/"), OK),
        row("path of 1023 bytes", |f| f.set(K::OssBucket, format!("oss://my-bucket/{}", "a".repeat(1023))), OK),
        row("path of 1024 bytes: a hint", |f| f.set(K::OssBucket, format!("oss://my-bucket/{}", "a".repeat(1024))), &[(P, Code::OssPath, H)]),
        row("bucket followed by //: a hint", |f| f.set(K::OssBucket, "oss://my-bucket//"), &[(P, Code::OssPath, H)]),
        row("path with a control char: a hint", |f| f.set(K::OssBucket, "oss://my-bucket/a\u{1}b/"), &[(P, Code::OssPath, H)]),
        row("path with a backslash: a hint", |f| f.set(K::OssBucket, "oss://my-bucket/a\\b/"), &[(P, Code::OssPath, H)]),
        row("empty", |f| f.set(K::OssBucket, ""), &[(P, Code::Required, C)]),
    ]);
}

#[test]
fn a_bucket_without_its_slash_is_tidied_to_the_api_pages_form() {
    for (typed, tidied) in [
        ("oss://my-bucket", Some("oss://my-bucket/")),
        ("oss://abc", Some("oss://abc/")),
        ("oss://my-bucket/", None),
        ("oss://my-bucket/path", None),
        ("oss://My-Bucket", None),
        ("oss://ab", None),
        ("oss://", None),
        ("my-bucket", None),
        ("", None),
    ] {
        assert_eq!(tidy_oss_bucket(typed).as_deref(), tidied, "{typed}");
    }
    assert!(K::OssBucket.field().tidy.is_some());
    assert_eq!(FIELDS.iter().filter(|f| f.tidy.is_some()).count(), 1);
}

#[test]
#[rustfmt::skip]
fn dlf_type_and_release_type_hints() {
    run(&[
        row("dlf1.0", |f| f.set(K::DlfType, "dlf1.0"), OK),
        row("1.0 (the metadata's default)", |f| f.set(K::DlfType, "1.0"), OK),
        row("dlf2.0", |f| f.set(K::DlfType, "dlf2.0"), OK),
        row("empty (omitted)", |f| f.set(K::DlfType, ""), OK),
        row("dlf3.0: a hint", |f| f.set(K::DlfType, "dlf3.0"), &[("dlfType", Code::Unknown, H)]),
        row("upper case: a hint", |f| f.set(K::DlfType, "DLF1.0"), &[("dlfType", Code::Unknown, H)]),
        row("release pro", |f| f.set(K::ReleaseType, "pro"), OK),
        row("release empty (omitted)", |f| f.set(K::ReleaseType, ""), OK),
        row("release basic: a hint", |f| f.set(K::ReleaseType, "basic"), &[("releaseType", Code::Unknown, H)]),
        row("release SERVICE_RELEASE (the list example): a hint", |f| f.set(K::ReleaseType, "SERVICE_RELEASE"), &[("releaseType", Code::Unknown, H)]),
    ]);
}

#[test]
#[rustfmt::skip]
fn dlf_catalog_id_hints() {
    const P: &str = "dlfCatalogId";
    run(&[
        row("empty (omitted)", |f| f.set(K::DlfCatalogId, ""), OK),
        row("digits", |f| f.set(K::DlfCatalogId, "1234567890"), OK),
        row("punctuation and CJK", |f| f.set(K::DlfCatalogId, "cat:a/b_目录"), OK),
        row("1000 chars (no published limit)", |f| f.set(K::DlfCatalogId, "c".repeat(1000)), OK),
        row("inner space: a hint", |f| f.set(K::DlfCatalogId, "12 34"), &[(P, Code::InvalidChars, H)]),
        row("inner tab: a hint", |f| f.set(K::DlfCatalogId, "12\t34"), &[(P, Code::InvalidChars, H)]),
        row("inner NUL: a hint", |f| f.set(K::DlfCatalogId, "12\u{0}34"), &[(P, Code::InvalidChars, H)]),
        row("leading space: a hint", |f| f.set(K::DlfCatalogId, " 1234"), &[(P, Code::InvalidChars, H)]),
    ]);
}

#[test]
#[rustfmt::skip]
fn payment_type_rules() {
    run(&[
        row("PayAsYouGo", |f| f.set(K::PaymentType, "PayAsYouGo"), OK),
        row("Pre", |f| f.set(K::PaymentType, "Pre"), OK),
        row("absent: pay-as-you-go", |f| f.set(K::PaymentType, ""), OK),
        row("lower case pre", |f| f.set(K::PaymentType, "pre"), &[("paymentType", Code::NotAllowed, A)]),
        row("Subscription", |f| f.set(K::PaymentType, "Subscription"), &[("paymentType", Code::NotAllowed, A)]),
        row("leading space: not a subscription either", |f| { f.set(K::PaymentType, " Pre"); f.set(K::Duration, "garbage"); }, &[("paymentType", Code::NotAllowed, A)]),
    ]);
}

#[test]
#[rustfmt::skip]
fn subscription_rules() {
    run(&[
        row("defaults", pre, OK),
        row("duration 0", |f| { pre(f); f.set(K::Duration, "0"); }, &[("duration", Code::OutOfRange, C)]),
        row("duration 1", |f| { pre(f); f.set(K::Duration, "1"); }, OK),
        row("duration 9", |f| { pre(f); f.set(K::Duration, "9"); }, OK),
        row("duration 10", |f| { pre(f); f.set(K::Duration, "10"); }, &[("duration", Code::OutOfRange, C)]),
        row("duration 01", |f| { pre(f); f.set(K::Duration, "01"); }, &[("duration", Code::OutOfRange, C)]),
        row("duration huge", |f| { pre(f); f.set(K::Duration, "9".repeat(40)); }, &[("duration", Code::OutOfRange, C)]),
        row("duration text", |f| { pre(f); f.set(K::Duration, "one"); }, &[("duration", Code::OutOfRange, C)]),
        row("duration empty", |f| { pre(f); f.set(K::Duration, ""); }, &[("duration", Code::Required, A)]),
        row("duration unit month (the API page's example)", |f| { pre(f); f.set(K::PaymentDurationUnit, "month"); }, OK),
        row("duration unit Month", |f| { pre(f); f.set(K::PaymentDurationUnit, "Month"); }, OK),
        row("duration unit YEAR", |f| { pre(f); f.set(K::PaymentDurationUnit, "YEAR"); }, &[("paymentDurationUnit", Code::NotAllowed, C)]),
        row("duration unit empty", |f| { pre(f); f.set(K::PaymentDurationUnit, ""); }, &[("paymentDurationUnit", Code::Required, A)]),
        row("autoRenew absent (a server's reading)", |f| { pre(f); f.set(K::AutoRenew, ""); }, &[("autoRenew", Code::Required, A)]),
        row("auto-renew defaults", pre_renew, OK),
        row("renew period 0", |f| { pre_renew(f); f.set(K::AutoRenewPeriod, "0"); }, &[("autoRenewPeriod", Code::NotPositiveInteger, C)]),
        row("renew period 12", |f| { pre_renew(f); f.set(K::AutoRenewPeriod, "12"); }, OK),
        row("renew period 13 (no upper bound)", |f| { pre_renew(f); f.set(K::AutoRenewPeriod, "13"); }, OK),
        row("renew period 100 (the API page's example)", |f| { pre_renew(f); f.set(K::AutoRenewPeriod, "100"); }, OK),
        row("renew period 012", |f| { pre_renew(f); f.set(K::AutoRenewPeriod, "012"); }, &[("autoRenewPeriod", Code::NotPositiveInteger, C)]),
        row("renew period empty", |f| { pre_renew(f); f.set(K::AutoRenewPeriod, ""); }, &[("autoRenewPeriod", Code::Required, A)]),
        row("renew unit month", |f| { pre_renew(f); f.set(K::AutoRenewPeriodUnit, "month"); }, OK),
        row("renew unit YEAR", |f| { pre_renew(f); f.set(K::AutoRenewPeriodUnit, "YEAR"); }, &[("autoRenewPeriodUnit", Code::NotAllowed, C)]),
        row("renew unit empty", |f| { pre_renew(f); f.set(K::AutoRenewPeriodUnit, ""); }, &[("autoRenewPeriodUnit", Code::Required, A)]),
        row("renew period and unit ignored with auto-renew off", |f| { pre(f); f.set(K::AutoRenewPeriod, "x"); f.set(K::AutoRenewPeriodUnit, "YEAR"); }, OK),
        row("every subscription field wrong, in form order", |f| {
            pre_renew(f);
            f.set(K::Duration, "10");
            f.set(K::PaymentDurationUnit, "YEAR");
            f.set(K::AutoRenewPeriod, "0");
            f.set(K::AutoRenewPeriodUnit, "");
        }, &[
            ("duration", Code::OutOfRange, C),
            ("paymentDurationUnit", Code::NotAllowed, C),
            ("autoRenewPeriod", Code::NotPositiveInteger, C),
            ("autoRenewPeriodUnit", Code::Required, A),
        ]),
        row("garbage in every subscription field is ignored for pay-as-you-go", |f| {
            f.set(K::Duration, "garbage");
            f.set(K::PaymentDurationUnit, "YEAR");
            f.set(K::AutoRenew, "");
            f.set(K::AutoRenewPeriod, "-5");
            f.set(K::AutoRenewPeriodUnit, " ");
        }, OK),
    ]);
}

#[test]
fn inactive_subscription_fields_are_neither_checked_nor_sent_but_kept_in_the_form() {
    let mut form = base();
    form.set(K::Duration, "garbage");
    form.set(K::PaymentDurationUnit, "YEAR");
    form.set_flag(K::AutoRenew, true);
    form.set(K::AutoRenewPeriod, "99");
    form.set(K::AutoRenewPeriodUnit, "DAY");
    let kept = form.clone();
    let json = validate(&form)
        .expect("pay-as-you-go ignores subscription fields")
        .body
        .to_json();
    for word in [
        "duration",
        "paymentDurationUnit",
        "autoRenew",
        "garbage",
        "YEAR",
        "DAY",
        "99",
    ] {
        assert!(!json.contains(word), "{word} leaked into {json}");
    }
    assert_eq!(form, kept, "validate changed the form");

    // Switching to subscription brings the kept values back into play.
    pre(&mut form);
    assert_eq!(
        triples(&check_all(&form)),
        owned(&[
            ("duration", Code::OutOfRange, C),
            ("paymentDurationUnit", Code::NotAllowed, C),
            ("autoRenewPeriodUnit", Code::NotAllowed, C),
        ])
    );

    // Subscription with auto-renew off: renewal fields are kept but not sent; autoRenew itself is, as a string.
    let mut form = base();
    pre(&mut form);
    form.set(K::AutoRenewPeriod, "abc");
    let json = validate(&form).unwrap().body.to_json();
    assert!(
        json.starts_with(r#"{"autoRenew":"false","dlfType""#),
        "{json}"
    );
    assert!(
        json.contains(r#""duration":"1","ossBucket""#)
            && json.contains(r#""paymentDurationUnit":"MONTH""#),
        "{json}"
    );
    assert!(!json.contains("autoRenewPeriod"), "{json}");
    form.set_flag(K::AutoRenew, true);
    form.set(K::AutoRenewPeriod, "6");
    form.set(K::AutoRenewPeriodUnit, "month");
    let json = validate(&form).unwrap().body.to_json();
    assert!(
        json.starts_with(
            r#"{"autoRenew":"true","autoRenewPeriod":"6","autoRenewPeriodUnit":"month","#
        ),
        "{json}"
    );
}

#[test]
#[rustfmt::skip]
fn client_token_rules() {
    const P: &str = "clientToken";
    run(&[
        row("empty (omitted)", |f| f.set(K::ClientToken, ""), OK),
        row("uuid", |f| f.set(K::ClientToken, "0f8fad5b-d9cb-469f-a165-70867728950e"), OK),
        row("64 chars", |f| f.set(K::ClientToken, "t".repeat(64)), OK),
        row("65 chars", |f| f.set(K::ClientToken, "t".repeat(65)), &[(P, Code::TooLong, C)]),
        row("every kind of printable ASCII", |f| f.set(K::ClientToken, "!\"#$%&'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~"), OK),
        row("spaces are ASCII", |f| f.set(K::ClientToken, " a b "), OK),
        row("a tab is ASCII", |f| f.set(K::ClientToken, "a\tb"), OK),
        row("non-ASCII", |f| f.set(K::ClientToken, "tökén"), &[(P, Code::NotAscii, C)]),
        row("CJK", |f| f.set(K::ClientToken, "令牌"), &[(P, Code::NotAscii, C)]),
        row("65 chars, one non-ASCII: only that", |f| f.set(K::ClientToken, format!("{}é", "t".repeat(64))), &[(P, Code::NotAscii, C)]),
    ]);
}

#[test]
#[rustfmt::skip]
fn ram_role_name_rules() {
    const P: &str = "ramRoleName";
    run(&[
        row("default", |f| f.set(K::RamRoleName, DEFAULT_RAM_ROLE), OK),
        row("absent: the default role", |f| f.set(K::RamRoleName, ""), OK),
        row("1 char", |f| f.set(K::RamRoleName, "r"), OK),
        row("letters digits . - _", |f| f.set(K::RamRoleName, "My.Role-1_x"), OK),
        row("64 chars", |f| f.set(K::RamRoleName, "r".repeat(64)), OK),
        row("65 chars", |f| f.set(K::RamRoleName, "r".repeat(65)), &[(P, Code::TooLong, C)]),
        row("blank", |f| f.set(K::RamRoleName, "  "), &[(P, Code::InvalidChars, C)]),
        row("inner space", |f| f.set(K::RamRoleName, "my role"), &[(P, Code::InvalidChars, C)]),
        row("ARN-like", |f| f.set(K::RamRoleName, "acs:ram::123:role/x"), &[(P, Code::InvalidChars, C)]),
        row("CJK", |f| f.set(K::RamRoleName, "角色"), &[(P, Code::InvalidChars, C)]),
    ]);
}

#[test]
#[rustfmt::skip]
fn resource_group_id_hints() {
    const P: &str = "resourceGroupId";
    run(&[
        row("empty (omitted)", |f| f.set(K::ResourceGroupId, ""), OK),
        row("example", |f| f.set(K::ResourceGroupId, "rg-acfmwpi66knkxny"), OK),
        row("digits only", |f| f.set(K::ResourceGroupId, "rg-123"), OK),
        row("only the prefix", |f| f.set(K::ResourceGroupId, "rg-"), &[(P, Code::Pattern, H)]),
        row("no prefix", |f| f.set(K::ResourceGroupId, "acfmwpi66knkxny"), &[(P, Code::Pattern, H)]),
        row("upper case", |f| f.set(K::ResourceGroupId, "rg-ABC"), &[(P, Code::Pattern, H)]),
        row("second hyphen", |f| f.set(K::ResourceGroupId, "rg-abc-def"), &[(P, Code::Pattern, H)]),
    ]);
}

#[test]
#[rustfmt::skip]
fn tag_rules() {
    run(&[
        row("none", |f| tags(f, 0), OK),
        row("20 tags", |f| tags(f, 20), OK),
        row("21 tags: one error at tag", |f| tags(f, 21), &[("tag", Code::TooMany, A)]),
        row("21 tags and a bad row: the count stops the checks", |f| { tags(f, 21); f.rows_mut(K::Tag)[5][0] = "acs:x".into(); }, &[("tag", Code::TooMany, A)]),
        row("key of 128 chars", |f| one_tag(f, &"k".repeat(128), "v"), OK),
        row("key of 129 chars", |f| one_tag(f, &"k".repeat(129), "v"), &[("tag[0].key", Code::TooLong, C)]),
        row("key of 128 CJK chars", |f| one_tag(f, &"键".repeat(128), "v"), OK),
        row("value of 128 chars", |f| one_tag(f, "k", &"v".repeat(128)), OK),
        row("value of 129 chars", |f| one_tag(f, "k", &"v".repeat(129)), &[("tag[0].value", Code::TooLong, C)]),
        row("empty value", |f| one_tag(f, "k", ""), OK),
        row("empty key", |f| one_tag(f, "", "v"), &[("tag[0].key", Code::Required, C)]),
        row("blank key: a hint", |f| one_tag(f, "  ", "v"), &[("tag[0].key", Code::Whitespace, H)]),
        row("key with leading space: a hint", |f| one_tag(f, " k", "v"), &[("tag[0].key", Code::Whitespace, H)]),
        row("value with trailing space: a hint", |f| one_tag(f, "k", "v "), &[("tag[0].value", Code::Whitespace, H)]),
        row("inner spaces and punctuation", |f| one_tag(f, "cost center", "cc:42/a b"), OK),
        row("CJK", |f| one_tag(f, "团队", "数据平台"), OK),
        row("key with NUL: a hint", |f| one_tag(f, "a\u{0}b", "v"), &[("tag[0].key", Code::InvalidChars, H)]),
        row("value with a tab: a hint", |f| one_tag(f, "k", "a\tb"), &[("tag[0].value", Code::InvalidChars, H)]),
        row("duplicate key: on the later row", |f| { tags(f, 3); f.rows_mut(K::Tag).push(vec!["k1".into(), "other".into()]); }, &[("tag[3].key", Code::Duplicate, C)]),
        row("keys differing in case are distinct", |f| *f.rows_mut(K::Tag) = vec![vec!["env".into(), String::new()], vec!["Env".into(), String::new()]], OK),
        row("duplicate values are fine", |f| *f.rows_mut(K::Tag) = vec![vec!["a".into(), "x".into()], vec!["b".into(), "x".into()]], OK),
        row("key aliyun", |f| one_tag(f, "aliyun", "v"), &[("tag[0].key", Code::ReservedPrefix, C)]),
        row("key Aliyun-owner", |f| one_tag(f, "Aliyun-owner", "v"), &[("tag[0].key", Code::ReservedPrefix, C)]),
        row("key acs:x", |f| one_tag(f, "acs:x", "v"), &[("tag[0].key", Code::ReservedPrefix, C)]),
        row("key ACS:x", |f| one_tag(f, "ACS:x", "v"), &[("tag[0].key", Code::ReservedPrefix, C)]),
        row("key acs without colon", |f| one_tag(f, "acsx", "v"), OK),
        row("key with aliyun inside", |f| one_tag(f, "my-aliyun", "v"), OK),
        row("key starting with a multibyte char", |f| one_tag(f, "é-aliyun", "v"), OK),
        row("value aliyun is allowed", |f| one_tag(f, "k", "aliyun"), OK),
        row("value acs:x", |f| one_tag(f, "k", "acs:x"), &[("tag[0].value", Code::ReservedPrefix, C)]),
        row("key https://", |f| one_tag(f, "https://x", "v"), &[("tag[0].key", Code::Url, C)]),
        row("key HTTP://", |f| one_tag(f, "HTTP://x", "v"), &[("tag[0].key", Code::Url, C)]),
        row("value http://", |f| one_tag(f, "k", "http://example.com"), &[("tag[0].value", Code::Url, C)]),
        row("http without // is fine", |f| one_tag(f, "http", "http:/x"), OK),
        row("reserved key with a URL: reserved only", |f| one_tag(f, "aliyun http://x", "v"), &[("tag[0].key", Code::ReservedPrefix, C)]),
        row("key and value errors in one row", |f| one_tag(f, "", "acs:x"), &[("tag[0].key", Code::Required, C), ("tag[0].value", Code::ReservedPrefix, C)]),
        row("findings come rule by rule", |f| *f.rows_mut(K::Tag) = vec![
            vec!["ok".into(), String::new()],
            vec!["k".repeat(129), "v".repeat(129)],
            vec!["ok".into(), "https://x".into()],
        ], &[
            ("tag[1].key", Code::TooLong, C),
            ("tag[2].key", Code::Duplicate, C),
            ("tag[1].value", Code::TooLong, C),
            ("tag[2].value", Code::Url, C),
        ]),
    ]);
    assert_eq!(MAX_TAGS, 20);
}

#[test]
fn optional_values_are_omitted_from_the_body() {
    let mut form = base().with(K::DlfType, "");
    *form.rows_mut(K::Tag) = vec![
        vec!["a".into(), String::new()],
        vec!["b".into(), "x".into()],
    ];
    assert_eq!(
        validate(&form).unwrap().body.to_json(),
        r#"{"ossBucket":"oss://my-bucket/","paymentType":"PayAsYouGo","ramRoleName":"AliyunEMRSparkJobRunDefaultRole","resourceSpec":{"cu":"8"},"tag":[{"key":"a"},{"key":"b","value":"x"}],"workspaceName":"spark-etl"}"#
    );
    // A ticked box is sent as a JSON boolean, an unticked one not at all; the GPU quota as an integer, 0 too.
    form.set_flag(K::AutoStartSessionCluster, true);
    form.set(K::Gpu, "0");
    let json = validate(&form).unwrap().body.to_json();
    assert!(
        json.starts_with(r#"{"autoStartSessionCluster":true,"#),
        "{json}"
    );
    assert!(
        json.contains(r#""resourceSpec":{"cu":"8","gpu":0}"#),
        "{json}"
    );
    form.set_flag(K::AutoStartSessionCluster, false);
    assert!(
        !validate(&form)
            .unwrap()
            .body
            .to_json()
            .contains("autoStart")
    );
    // An empty GPU row is not sent (its hint says so), nor is a list of only empty rows.
    let form = base()
        .with(K::Gpu, "1")
        .with_rows(K::GpuSpec, &[[""], [SPEC], [""]]);
    assert!(
        validate(&form)
            .unwrap()
            .body
            .to_json()
            .contains(r#""gpuSpec":["ecs.gn7i-c8g1.2xlarge"]"#)
    );
    let form = base().with_rows(K::GpuSpec, &[[""]]);
    assert!(!validate(&form).unwrap().body.to_json().contains("gpuSpec"));
}

#[test]
fn errors_come_in_form_order() {
    let mut form = FormState::new()
        .with(K::RegionId, "mars-1")
        .with(K::WorkspaceName, "a b")
        .with(K::Cu, "0")
        .with(K::Gpu, "-1")
        .with_rows(K::GpuSpec, &[["bad"]])
        .with(K::OssBucket, "bucket")
        .with(K::DlfType, "dlf9")
        .with(K::DlfCatalogId, "a b")
        .with(K::PaymentType, "Pre")
        .with(K::Duration, "10")
        .with(K::PaymentDurationUnit, "YEAR")
        .with(K::AutoRenewPeriod, "0")
        .with(K::AutoRenewPeriodUnit, "YEAR")
        .with(K::RamRoleName, "a b")
        .with(K::ResourceGroupId, "rg")
        .with_rows(K::Tag, &[["aliyun", "acs:"]])
        .with(K::ReleaseType, "basic")
        .with(K::ClientToken, "é");
    form.set_flag(K::AutoRenew, true);
    assert_eq!(
        triples(&check_all(&form)),
        owned(&[
            ("regionId", Code::UnknownRegion, A),
            ("workspaceName", Code::InvalidChars, C),
            ("resourceSpec.cu", Code::NotPositiveInteger, C),
            ("resourceSpec.gpu", Code::NotWholeNumber, A),
            ("gpuSpec[0]", Code::Pattern, H),
            ("gpuSpec", Code::NeedsGpu, H),
            ("ossBucket", Code::OssFormat, C),
            ("dlfType", Code::Unknown, H),
            ("dlfCatalogId", Code::InvalidChars, H),
            ("duration", Code::OutOfRange, C),
            ("paymentDurationUnit", Code::NotAllowed, C),
            ("autoRenewPeriod", Code::NotPositiveInteger, C),
            ("autoRenewPeriodUnit", Code::NotAllowed, C),
            ("ramRoleName", Code::InvalidChars, C),
            ("resourceGroupId", Code::Pattern, H),
            ("tag[0].key", Code::ReservedPrefix, C),
            ("tag[0].value", Code::ReservedPrefix, C),
            ("releaseType", Code::Unknown, H),
            ("clientToken", Code::NotAscii, C),
        ])
    );
    check_consistency("every field wrong", &form);
    assert_eq!(
        first_error(&form).unwrap().path,
        FieldPath::field(K::RegionId)
    );
}

#[test]
fn check_field_returns_only_that_fields_findings_and_nothing_for_fields_that_do_not_apply() {
    let mut form = base()
        .with(K::WorkspaceName, "a b")
        .with(K::Cu, "x")
        .with_rows(K::Tag, &[["", ""], ["acs:x", "https://x"]]);
    let of = |form: &FormState, key| triples(&check_field(form, key));
    assert_eq!(
        of(&form, K::WorkspaceName),
        owned(&[("workspaceName", Code::InvalidChars, C)])
    );
    assert_eq!(
        of(&form, K::Tag),
        owned(&[
            ("tag[0].key", Code::Required, C),
            ("tag[1].key", Code::ReservedPrefix, C),
            ("tag[1].value", Code::Url, C)
        ])
    );
    for key in [
        K::RegionId,
        K::OssBucket,
        K::Gpu,
        K::RamRoleName,
        K::ClientToken,
    ] {
        assert!(of(&form, key).is_empty(), "{key:?}");
    }
    form.set(K::Duration, "0");
    assert!(of(&form, K::Duration).is_empty());
    assert!(!Values::applies(&form, K::Duration));
    pre(&mut form);
    assert_eq!(
        of(&form, K::Duration),
        owned(&[("duration", Code::OutOfRange, C)])
    );
}

#[test]
fn first_error_stops_at_the_first_limit_and_never_reports_a_hint() {
    // 10,000 tags: the count refuses at once, the rows are not examined.
    let mut form = base();
    tags(&mut form, 10_000);
    form.rows_mut(K::Tag)[9_999][0] = "acs:x".into();
    let first = first_error(&form).unwrap();
    assert_eq!(
        (first.path.to_string(), first.code),
        ("tag".to_owned(), Code::TooMany)
    );
    // Hints alone: no error.
    let form = base().with(K::Cu, "99999").with(K::ResourceGroupId, "nope");
    assert_eq!(warnings(&form).len(), 2);
    assert_eq!(first_error(&form), None);
}

#[test]
fn duplicate_checks_are_linear() {
    // 50,000 distinct GPU rows: a quadratic check would take minutes; this takes milliseconds.
    let rows: Vec<Vec<String>> = (0..50_000)
        .map(|i| vec![format!("ecs.gn{i}.large")])
        .collect();
    let mut form = base().with(K::Gpu, "1");
    *form.rows_mut(K::GpuSpec) = rows;
    let started = std::time::Instant::now();
    assert!(check_all(&form).is_empty());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn api_codes_and_messages() {
    let mut form = base().with(K::WorkspaceName, "").with(K::Cu, "0");
    tags(&mut form, 3);
    form.rows_mut(K::Tag).push(vec!["k1".into(), String::new()]);
    let errors = validate(&form).unwrap_err();
    let codes: Vec<String> = errors.iter().map(Finding::api_code).collect();
    assert_eq!(
        codes,
        [
            "MissingParameter.workspaceName",
            "InvalidParameter.resourceSpec.cu",
            "InvalidParameter.tag[3].key"
        ]
    );
    assert_eq!(
        errors[0].api_message(),
        "workspaceName: This field is required."
    );
    assert_eq!(
        errors[2].api_message(),
        "tag[3].key: “k1” is already listed above."
    );
    // The wire error names the same position again.
    for e in &errors {
        let api = workspace_model::ApiError::new(e.api_code(), e.api_message());
        assert_eq!(api.field_path(), Some(e.path));
        assert_eq!(api.field_message(), e.message.en);
    }
}

#[test]
fn codes_serialize_as_their_stable_names() {
    let all = [
        Code::Required,
        Code::Whitespace,
        Code::TooLong,
        Code::InvalidChars,
        Code::NotAllowed,
        Code::Unknown,
        Code::UnknownRegion,
        Code::NotPositiveInteger,
        Code::NotWholeNumber,
        Code::OutOfRange,
        Code::OssFormat,
        Code::BucketName,
        Code::OssPath,
        Code::NotAscii,
        Code::Pattern,
        Code::TooMany,
        Code::Duplicate,
        Code::ReservedPrefix,
        Code::Url,
        Code::NeedsGpu,
        Code::AboveQuota,
        Code::EmptyRow,
    ];
    for code in all {
        assert_eq!(
            serde_json::to_string(&code).unwrap(),
            format!("\"{}\"", code.as_str())
        );
    }
    let mut names: Vec<&str> = all.iter().map(|c| c.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), all.len());
}

#[test]
fn messages_quote_the_offending_character_or_value() {
    let form = base()
        .with(K::WorkspaceName, "a.b")
        .with(K::RamRoleName, "a b")
        .with(K::ClientToken, "a\u{3000}")
        .with(K::RegionId, "mars");
    let errors = validate(&form).unwrap_err();
    let en: Vec<&str> = errors.iter().map(|e| e.message.en.as_str()).collect();
    assert!(en[0].contains("“mars”"), "{}", en[0]);
    assert!(en[1].starts_with("“.”"), "{}", en[1]);
    assert!(en[2].starts_with("A space"), "{}", en[2]);
    assert!(en[3].contains("U+3000"), "{}", en[3]);
    assert!(errors[2].message.zh.contains("空格"));
}
