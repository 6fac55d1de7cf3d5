"""Takes the server's policy out of the page, part by part, for bench/policy-cost.sh. Run in a copy of the tree:
`python3 no-policy.py [PART]` takes out the parts in the order of PARTS up to and including PART (all of them by
default), so that building after each part measures what that part costs. Every edit names the text it expects;
when the code has moved on it stops and says which file changed, so a measurement is never of a half-edited page.
Keep it in step with the policy's code (bench/README.md says how it is used).
"""

import re
import sys

# In the order they come out; each name says what the page no longer does after it.
PARTS = ["shown", "rebuilt", "applied", "read", "fetched", "checked"]


def sub(path, old, new):
    text = open(path).read()
    if old not in text:
        raise SystemExit(f"no-policy: {path} changed: {old[:70]!r}")
    open(path, "w").write(text.replace(old, new, 1))


def resub(path, pattern, new):
    text, n = re.subn(pattern, new, open(path).read(), count=1, flags=re.S)
    if n != 1:
        raise SystemExit(f"no-policy: {path} changed: {pattern[:70]!r}")
    open(path, "w").write(text)


def shown():
    """The fields read nothing of the policy: no lock, no narrowed options, no policy tag rows, no suggestions."""
    p = "src/form/field_row.rs"
    resub(p, r"    // The server's policy, read once.*?(    let slot = ctx\.fields\(\)\.slot)",
          "    let (locked, required, help) = (false, field.required(), field.help);\n\\1")
    resub(p, r"\n\s*\.filter\(\|choice\| \{\n\s*allowed.*?\}\)", "")
    resub(p, r"\n\s*disabled=locked", "")
    resub(p, r"\n\s*disabled=locked", "")
    resub(p, r"\n\s*readonly=locked", "")
    resub(p, r"\n            if locked \{\n\s*ids\.push\(policy_note_id\.as_str\(\)\);\n\s*\}", "")
    resub(p, r"\n\s*\{locked\.then\(\|\| view! \{\n.*?\n\s*\}\)\}", "")
    resub(p, r'\n    let policy_note_id = format!\("\{id\}-policy"\);', "")
    resub(p, r", policy_note_id\) = \(", ") = (")
    resub(p, r"\n\s*policy_note_id\.clone\(\),", "")
    resub(p, r"let choosing = move \|\| chooser\.filter\(\|_\| !locked\);", "let choosing = move || chooser;")
    p = "src/form/list_row.rs"
    resub(p, r"    // In a list the policy's tags govern.*?    let governed = rule\.is_some\(\);\n\n", "")
    resub(p, r"\n\s*// A policy tag's value is required[^\n]*\n\s*label=numbered\(if governed \{ p\.label\.required\(\) \} else \{ p\.label \}\)",
          "\n                    label=numbered(p.label)")
    resub(p, r"\n\s*locked=rule.*?\.map\(\|tag\| choices_id\(ctx, field, tag\)\)", "")
    resub(p, r"\n\s*hidden=governed", "")
    resub(p, r"\n/// The id of the suggestions for the value of a policy tag.*\n}\n", "\n")
    resub(p, r"\n    features,", "")
    p = "src/form/row_input.rs"
    resub(p, r"\n    /// Read-only: a value the server's policy sets\.\n    locked: bool,\n    /// The id of a `datalist`[^\n]*\n    list: Option<String>,", "")
    resub(p, r"\n\s*readonly=locked\n\s*list=list", "")
    p = "src/form/list_field.rs"
    resub(p, r"    // The values each policy tag allows.*?\n    \}\);\n", "")
    resub(p, r"\n\s*\{suggestions\}", "")
    sub(p, "    list_row::{ListRow, choices_id},", "    list_row::ListRow,")
    p = "src/form/chooser.rs"
    resub(p, r"            // What the server's policy allows, if it narrows the field\.\n\s*let allowed = ctx\n\s*\.policy\(\)\n\s*\.with\(\|p\| p\.allowed\(key\)\.map\(<\[String\]>::to_vec\)\);\n", "")
    resub(p, r"allowed\.as_ref\(\)\.is_none_or\(\|a\| a\.contains\(&c\.value\)\)\n\s*&& ", "")


def rebuilt():
    """The sections are built once, not again when a policy arrives."""
    p = "src/form.rs"
    sub(p, '                <div class="ws-form__sections" use:sections=ctx></div>',
        "                {Section::ALL.map(|section| view! { <FormSection section=section /> }).collect_view()}")
    resub(p, r"/// Builds the form's sections into `el`.*?\n}\n\n", "")
    sub(p, "use wasm_bindgen::JsCast;\n", "")
    sub(p, "use state::{FormCtx, FormSignals, REGION, focus_element};", "use state::{FormCtx, FormSignals, REGION};")


def applied():
    """An arriving policy is kept, not applied to the form's values."""
    resub("src/form/policy.rs", r"(    let Ok\(policy\) = answer else \{ return \};\n).*?(\n}\n\n/// The note under)",
          "\\1    let _ = (start, fresh);\n    ctx.policy().set(policy);\\2")


def read():
    """The answer is not read as a policy."""
    sub("src/api.rs", "    Ok(Policy::read(&js::Parsed(answer.json)))", "    Ok(Policy::NONE)")


def fetched():
    """No policy is asked for, and no notice says it could not be."""
    open("src/form/policy.rs", "w").write('''//! Without the server's policy (bench/policy-cost.sh).

use workspace_model::{FieldKey, FormState};

use super::state::FormCtx;

pub fn start(_ctx: FormCtx, _start: FormState, _fresh: bool) {}

pub fn offer(_ctx: FormCtx, _key: FieldKey, _value: &str, set: impl FnOnce()) {
    set()
}

pub fn new_form(_ctx: FormCtx, form: FormState) -> FormState {
    form
}
''')
    resub("src/api.rs", r"/// `GET \{base\}/api/policy`.*?\n}\n\n", "")
    resub("src/form.rs", r'\n                <p class="ws-notice ws-notice--policy".*?</p>', "")


def checked():
    """The model's validation runs no policy step, and the form holds no policy."""
    sub("crates/model/src/validate.rs", """        let tier = if step == hints {
            policy.check(values, key, &mut |path, problem, tag| {
                found.push((path, problem, tag))
            });
            Tier::Policy
        } else {""", """        let tier = if step == hints {
            let _ = policy;
            continue;
        } else {""")
    p = "src/form/state.rs"
    sub(p, "    policy: RwSignal<Policy>,\n    policy_failed: RwSignal<bool>,\n", "")
    sub(p, "        let policy = RwSignal::new(Policy::NONE);\n", "")
    sub(p, "            policy,\n            policy_failed: RwSignal::new(false),\n", "")
    sub(p, "Memo::new(move |_| policy.with(|p| check_field_under(&fields, key, p)))",
        "Memo::new(move |_| check_field_under(&fields, key, &Policy::NONE))")
    resub(p, r"    /// The server's guardrails:.*?\n    pub fn policy\(&self\).*?\n    }\n\n", "")
    resub(p, r"    /// Whether the policy could not be fetched.*?\n    pub fn policy_failed\(&self\).*?\n    }\n\n", "")
    sub("src/submission.rs", "match ctx.policy().with_untracked(|p| validate_under(&form, p))",
        "match validate_under(&form, &workspace_model::Policy::NONE)")


if __name__ == "__main__":
    upto = sys.argv[1] if len(sys.argv) > 1 else PARTS[-1]
    if upto not in PARTS:
        raise SystemExit(f"no-policy: no part {upto!r}; parts: {' '.join(PARTS)}")
    for part in PARTS[: PARTS.index(upto) + 1]:
        globals()[part]()
