//! Fails when a parameter is added incompletely (see the crate docs, "Adding a parameter"), and keeps `RULES.md`,
//! the table of every rule with its tier and source, generated from the catalogue.

mod common;

use std::collections::BTreeSet;

use serde_json::Value;
use workspace_model::{
    FIELDS, Tier,
    catalogue::Control,
    policy::{self, OPERATORS, TAG_OPERATORS},
    validate::validate,
};

/// The dotted paths of every member of a body (`resourceSpec.cu`, `tag`).
fn paths(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    if let Value::Object(members) = value {
        for (k, v) in members {
            let path = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            if v.is_object() {
                paths(v, &path, out);
            } else {
                out.insert(path);
            }
        }
    }
}

#[test]
fn every_parameter_is_sent_in_some_golden_case() {
    let mut sent = BTreeSet::from(["regionId".to_owned()]);
    for (name, form) in common::sdk_cases() {
        let valid = validate(&form).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        paths(
            &serde_json::from_str(&valid.body.to_json()).unwrap(),
            "",
            &mut sent,
        );
    }
    let all: BTreeSet<String> = FIELDS.iter().map(|f| f.path.to_owned()).collect();
    assert_eq!(
        all.difference(&sent).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "parameters no golden case sends: give them a value in tests/common/mod.rs and golden/capture.py"
    );
    assert_eq!(
        sent.difference(&all).count(),
        0,
        "golden bodies send unknown members"
    );
}

/// `autoStartSessionCluster` → `auto_start_session_cluster`: the SDK's argument names.
fn snake(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The golden fixtures come from `capture.py`, so a value the Rust case sends but the script never gives the SDK
/// would only be caught where the SDK is installed (`capture.py --check`). This catches it everywhere: each case
/// of the script names, by the SDK's argument name, every parameter its Rust twin (`tests/common`) sends.
#[test]
fn capture_py_gives_the_sdk_what_each_case_sends() {
    let script = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/capture.py"
    ))
    .unwrap();
    let mut missing = Vec::new();
    for (name, form) in common::sdk_cases() {
        let start = script
            .find(&format!("    \"{name}\": ("))
            .unwrap_or_else(|| panic!("capture.py has no case {name}"));
        // A case runs to the next, which starts at the same indentation (or to a comment before it).
        let rest = &script[start + 1..];
        let end = ["\n    \"", "\n    #", "\n}"]
            .iter()
            .filter_map(|next| rest.find(next))
            .min()
            .unwrap_or(rest.len());
        let case = &rest[..end];
        let valid = validate(&form).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let mut sent = BTreeSet::new();
        paths(
            &serde_json::from_str(&valid.body.to_json()).unwrap(),
            "",
            &mut sent,
        );
        for path in sent {
            let named = match path.split_once('.') {
                // resource_spec={"cu": "5000", "gpu": 4}
                Some((outer, inner)) => {
                    case.contains(&format!("{}=", snake(outer)))
                        && case.contains(&format!("\"{inner}\":"))
                }
                None => case.contains(&format!("{}=", snake(&path))),
            };
            if !named {
                missing.push(format!("{name}: {path}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "capture.py does not give the SDK {missing:?}: add them there, then run capture.py"
    );
}

#[test]
fn every_entry_is_whole() {
    for f in &FIELDS {
        assert!(!f.rules.is_empty(), "{}: no rules", f.path);
        for r in f.rules {
            assert!(!r.says.is_empty(), "{}: a rule says nothing", f.path);
        }
        // Refusing rules first: a hint never hides an error at the same position.
        let tiers: Vec<bool> = f.rules.iter().map(|r| r.tier == Tier::Hint).collect();
        assert!(
            tiers.windows(2).all(|w| w[0] <= w[1]),
            "{}: a hint before an error",
            f.path
        );
        if let Control::List(list) = f.control {
            assert!(!list.parts.is_empty(), "{}", f.path);
        }
    }
}

#[test]
fn an_optional_parameters_help_says_so_in_both_languages_and_a_policy_can_take_it_back() {
    let optional = workspace_model::text::OPTIONAL;
    for f in &FIELDS {
        let (en, zh) = (
            f.help.en.starts_with(optional.en),
            f.help.zh.starts_with(optional.zh),
        );
        assert_eq!(en, zh, "{}: optional in one language only", f.path);
        assert!(
            !(en && f.required()),
            "{}: required, yet its help says optional",
            f.path
        );
        let required = f.help.required();
        assert!(!required.en.starts_with(optional.en) && !required.zh.starts_with(optional.zh));
        if en {
            assert_eq!(required.en, &f.help.en[optional.en.len()..], "{}", f.path);
            assert!(
                !required.en.is_empty() && !required.zh.is_empty(),
                "{}",
                f.path
            );
        } else {
            assert_eq!(required, f.help, "{}: changed though not optional", f.path);
        }
        // A list's optional part (a tag's value) says so in its label, in both languages.
        let mark = workspace_model::text::OPTIONAL_MARK;
        for part in f.list().map_or(&[][..], |l| l.parts) {
            let (en, zh) = (
                part.label.en.ends_with(mark.en),
                part.label.zh.ends_with(mark.zh),
            );
            assert_eq!(en, zh, "{}: a part optional in one language only", f.path);
            if en {
                let required = part.label.required();
                assert!(!required.en.contains("optional") && !required.zh.contains("可选"));
                assert!(!required.en.is_empty() && !required.zh.is_empty());
            }
        }
    }
}

fn rule_table() -> String {
    let mut out = String::from(
        "# The rules of CreateWorkspace\n\n\
         Generated from `crates/model/src/rules.rs` by `tests/completeness.rs` (run `UPDATE_RULES=1 cargo test -p \
         workspace-model --test completeness` after changing a rule). api and console rules refuse a request in the \
         form, the emulator and the gateway; a hint only warns in the form.\n\n\
         | parameter | tier | rule | source |\n|---|---|---|---|\n",
    );
    for f in &FIELDS {
        for r in f.rules {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                f.path,
                r.tier.as_str(),
                r.says.replace('|', "\\|"),
                r.source.as_str()
            ));
        }
    }
    out.push_str(
        "\n## The policy tier\n\n\
         A platform team's guardrails, from the server's `--policy FILE` (see `crates/model/src/policy.rs`): they \
         refuse in the form and in both backends (HTTP 403, `PolicyViolation.<path>`, `PolicyViolation.tag.<key>` \
         for a tag), checked after a parameter's api and console rules and before its hints. A policy that names \
         an unknown parameter or operator, an operator that does not fit, a value the parameter's own api or \
         console rules refuse, `min` above `max` or more than 20 tags is refused at start-up.\n\n\
         | `fields` operator | fits | what it does |\n|---|---|---|\n",
    );
    for o in &OPERATORS {
        out.push_str(&format!("| `{}` | {} | {} |\n", o.name, o.fits, o.says));
    }
    out.push_str("\n| `tags` operator | what it does |\n|---|---|\n");
    out.push_str("| `{}` | the tag is on every workspace, with a non-empty value |\n");
    for o in &TAG_OPERATORS {
        out.push_str(&format!("| `{}` | {} |\n", o.name, o.says));
    }
    out.push_str("\n| parameter | operators that fit |\n|---|---|\n");
    for f in &FIELDS {
        let names: Vec<String> = OPERATORS
            .iter()
            .filter(|o| policy::fits(f.key, o.name).is_ok())
            .map(|o| format!("`{}`", o.name))
            .collect();
        let fit = match policy::governable(f.key) {
            Ok(()) => names.join(", "),
            Err(why) => format!("none: {}", why.replace('"', "`")),
        };
        out.push_str(&format!("| `{}` | {fit} |\n", f.path));
    }
    out
}

#[test]
fn rules_md_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/RULES.md");
    let want = rule_table();
    if std::env::var_os("UPDATE_RULES").is_some() {
        std::fs::write(path, &want).unwrap();
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "RULES.md is stale: run UPDATE_RULES=1 cargo test -p workspace-model --test completeness"
    );
}
