//! The JSON body must be byte for byte what the official Python SDK (`alibabacloud-emr-serverless-spark20230808`
//! 2.3.0) sends for the same input. The fixtures in `tests/golden/` were captured from the real SDK by
//! `tests/golden/capture.py` (`python3 capture.py --check` proves they still match it); each case here builds the
//! form that corresponds to the SDK input of the same name.

mod common;

use std::{collections::BTreeSet, fs, path::PathBuf};

use common::sdk_cases as cases;

use serde_json::Value;
use workspace_model::{
    request::create_workspace_url,
    validate::{first_error, validate, warnings},
    wire::from_wire,
};

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn fixture(name: &str, ext: &str) -> Vec<u8> {
    let path = golden_dir().join(format!("{name}.{ext}"));
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
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
        // As a server reads it: JSON value → form → the same rules → the same body, byte for byte.
        let value: Value = serde_json::from_str(text).unwrap();
        let read =
            from_wire(Some(&valid.region_id), &value).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(first_error(&read), None, "{name}");
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
