"""Takes the server's policy out of the page, for bench/policy-cost.sh: run in a copy of the tree, it edits the
sources so the page neither fetches, reads, applies nor shows a policy, and the model's validation runs no policy
step. Every edit names the text it expects; when the code has moved on, it stops and says which file changed, so
the measurement is never of a half-edited page. Keep it in step with the policy's code (docs/architecture.md).
"""
import re, sys
def sub(p, old, new):
    s=open(p).read()
    if old not in s: raise SystemExit(f"no-policy: {p} changed: {old[:70]!r}")
    s=s.replace(old,new,1); open(p,'w').write(s)
def resub(p, pat, new):
    s=open(p).read()
    s2,n=re.subn(pat,new,s,count=1,flags=re.S)
    if n!=1: raise SystemExit(f"no-policy: {p} changed: {pat[:70]!r}")
    open(p,'w').write(s2)

# The model: no policy step in validation.
sub('crates/model/src/validate.rs','''        let tier = if step == hints {
            policy.check(values, key, &mut |path, problem, tag| {
                found.push((path, problem, tag))
            });
            Tier::Policy
        } else {''','''        let tier = if step == hints {
            let _ = policy;
            continue;
        } else {''')
open('src/form/policy.rs','w').write('''//! Without the server's policy (bench/policy-cost.sh measures the page without it).

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
p='src/form/state.rs'
sub(p,'''    policy: RwSignal<Policy>,
    policy_failed: RwSignal<bool>,
''','')
sub(p,'''        let policy = RwSignal::new(Policy::NONE);
''','')
sub(p,'''            policy,
            policy_failed: RwSignal::new(false),
''','')
sub(p,'''Memo::new(move |_| policy.with(|p| check_field_under(&fields, key, p)))''','''Memo::new(move |_| check_field_under(&fields, key, &Policy::NONE))''')
resub(p,r"    /// The server's guardrails:.*?\n    pub fn policy\(&self\).*?\n    }\n\n",'')
resub(p,r"    /// Whether the policy could not be fetched.*?\n    pub fn policy_failed\(&self\).*?\n    }\n\n",'')
sub('src/submission.rs','match ctx.policy().with_untracked(|p| validate_under(&form, p))','match validate_under(&form, &workspace_model::Policy::NONE)')
p='src/form.rs'
resub(p,r'\n                <p class="ws-notice ws-notice--policy".*?</p>','')
sub(p,'''                <div class="ws-form__sections" use:sections=ctx></div>''','''                {Section::ALL.map(|section| view! { <FormSection section=section /> }).collect_view()}''')
resub(p,r"/// Builds the form's sections into `el`.*?\n}\n\n",'')
sub(p,'use wasm_bindgen::JsCast;\n','')
sub(p,'use state::{FormCtx, FormSignals, REGION, focus_element};','use state::{FormCtx, FormSignals, REGION};')
p='src/form/field_row.rs'
resub(p,r"    // The server's policy, read once.*?(    let slot = ctx\.fields\(\)\.slot)","    let (locked, required, help) = (false, field.required(), field.help);\n\\1")
resub(p,r"\n\s*\.filter\(\|choice\| \{\n\s*allowed.*?\}\)",'')
resub(p,r'\n\s*disabled=locked','')
resub(p,r'\n\s*disabled=locked','')
resub(p,r'\n\s*readonly=locked','')
resub(p,r'\n            if locked \{\n\s*ids\.push\(policy_note_id\.as_str\(\)\);\n\s*\}','')
resub(p,r'\n\s*\{locked\.then\(\|\| view! \{\n.*?\n\s*\}\)\}','')
resub(p,r'\n    let policy_note_id = format!\("\{id\}-policy"\);','')
resub(p,r', policy_note_id\) = \(',') = (')
resub(p,r'\n\s*policy_note_id\.clone\(\),','')
resub(p,r'let choosing = move \|\| chooser\.filter\(\|_\| !locked\);','let choosing = move || chooser;')
p='src/form/list_row.rs'
resub(p,r"    // In a list the policy's tags govern.*?    let governed = rule\.is_some\(\);\n\n",'')
resub(p,r'\n\s*// A policy tag\'s value is required[^\n]*\n\s*label=numbered\(if governed \{ p\.label\.required\(\) \} else \{ p\.label \}\)','\n                    label=numbered(p.label)')
resub(p,r'\n\s*locked=rule.*?\.map\(\|tag\| choices_id\(ctx, field, tag\)\)','')
resub(p,r'\n\s*hidden=governed','')
resub(p,r'\n/// The id of the suggestions for the value of a policy tag.*\n}\n','\n')
resub(p,r'\n    features,','')
p='src/form/row_input.rs'
resub(p,r'\n    /// Read-only: a value the server\'s policy sets\.\n    locked: bool,\n    /// The id of a `datalist`[^\n]*\n    list: Option<String>,','')
resub(p,r'\n\s*readonly=locked\n\s*list=list','')
p='src/form/list_field.rs'
resub(p,r"    // The values each policy tag allows.*?\n    \}\);\n",'')
resub(p,r'\n\s*\{suggestions\}','')
sub(p,'''    list_row::{ListRow, choices_id},''','''    list_row::ListRow,''')
p='src/form/chooser.rs'
resub(p,r"            // What the server's policy allows, if it narrows the field\.\n\s*let allowed = ctx\n\s*\.policy\(\)\n\s*\.with\(\|p\| p\.allowed\(key\)\.map\(<\[String\]>::to_vec\)\);\n",'')
resub(p,r'allowed\.as_ref\(\)\.is_none_or\(\|a\| a\.contains\(&c\.value\)\)\n\s*&& ','')
p='src/api.rs'
resub(p,r"/// `GET \{base\}/api/policy`.*?\n}\n\n",'')
