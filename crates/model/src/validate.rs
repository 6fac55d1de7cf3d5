//! Running the rules, and building the request body. Shared by the browser and both server backends.
//!
//! [`check_field`] runs one parameter's rules over any [`Values`] and returns its findings: errors (api and
//! console tiers) and warnings (hints). At most one finding per position, the first rule's: a value that is not
//! a number is not also "above the quota". A field that does not apply is not checked at all.
//!
//! The `_under` variants also run a [`Policy`]'s rules (the policy tier) after each field's api and console
//! rules and before its hints; the others run under [`Policy::NONE`].

use std::collections::BTreeSet;

use crate::{
    catalogue::{Control, FIELDS, Field, Wire},
    form::FormState,
    json::Json,
    key::FieldKey,
    path::FieldPath,
    policy::Policy,
    rule::{Check, Code, Problem, Tier},
    text::Message,
    values::Values,
};

/// A problem with one value: where, why (a stable [`Code`]), how binding ([`Tier`]) and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub path: FieldPath,
    pub code: Code,
    pub tier: Tier,
    pub message: Message,
    /// For a policy finding about a tag, the tag's key: the server's code names the tag
    /// (`PolicyViolation.tag.env`), whose row may differ between the form and a request.
    pub policy_tag: Option<String>,
}

impl Finding {
    /// Whether this finding refuses the request (an api, console or policy rule), rather than warning (a hint).
    pub fn refuses(&self) -> bool {
        self.tier.refuses()
    }

    /// Whether a policy, rather than the API, refuses this (a server answers 403 rather than 400).
    pub fn is_policy(&self) -> bool {
        self.tier == Tier::Policy
    }

    /// The Alibaba-style error code a server answers with: `MissingParameter.<path>` for a missing value,
    /// `InvalidParameter.<path>` otherwise, `PolicyViolation.<path>` (`PolicyViolation.tag.<key>`) for a policy's.
    pub fn api_code(&self) -> String {
        let prefix = match (self.tier, self.code) {
            (Tier::Policy, _) => "PolicyViolation",
            (_, Code::Required) => "MissingParameter",
            _ => "InvalidParameter",
        };
        format!("{prefix}.{}", self.api_path())
    }

    /// The English message prefixed with what the code names, as a server's `Message` names the field.
    pub fn api_message(&self) -> String {
        format!("{}: {}", self.api_path(), self.message.en)
    }

    /// What the code names after its prefix: the path, or `tag.<key>` for a policy tag.
    fn api_path(&self) -> String {
        match &self.policy_tag {
            Some(key) => format!("tag.{key}"),
            None => self.path.to_string(),
        }
    }
}

/// A request that passed every api and console rule: the region for the query string and the JSON body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Valid {
    pub region_id: String,
    pub body: Json,
}

/// The findings of one parameter, errors and warnings, in rule order. Empty when it does not apply.
pub fn check_field(values: &dyn Values, key: FieldKey) -> Vec<Finding> {
    check_field_under(values, key, &Policy::NONE)
}

/// [`check_field`] with a policy's rules too.
pub fn check_field_under(values: &dyn Values, key: FieldKey, policy: &Policy) -> Vec<Finding> {
    let mut out = Vec::new();
    run(values, key.field(), policy, &mut out, false);
    out
}

/// The findings of every parameter, in form order.
pub fn check_all(values: &dyn Values) -> Vec<Finding> {
    check_all_under(values, &Policy::NONE)
}

/// [`check_all`] with a policy's rules too.
pub fn check_all_under(values: &dyn Values, policy: &Policy) -> Vec<Finding> {
    let mut out = Vec::new();
    for field in &FIELDS {
        run(values, field, policy, &mut out, false);
    }
    out
}

/// The first error in form order, or `None`. Stops there: a server answers one error at a time, and a body
/// over a limit (21 tags, say) is not examined further.
pub fn first_error(values: &dyn Values) -> Option<Finding> {
    first_error_under(values, &Policy::NONE)
}

/// [`first_error`] with a policy's rules too: within a field, its api and console rules speak first.
pub fn first_error_under(values: &dyn Values, policy: &Policy) -> Option<Finding> {
    let mut out = Vec::new();
    for field in &FIELDS {
        if run(values, field, policy, &mut out, true) {
            return out.into_iter().find(Finding::refuses);
        }
    }
    None
}

/// Checks the whole form. `Ok` holds exactly what to send; `Err` holds every error (not the warnings), in form
/// order.
pub fn validate(form: &FormState) -> Result<Valid, Vec<Finding>> {
    validate_under(form, &Policy::NONE)
}

/// [`validate`] with a policy's rules too.
pub fn validate_under(form: &FormState, policy: &Policy) -> Result<Valid, Vec<Finding>> {
    let errors: Vec<Finding> = check_all_under(form, policy)
        .into_iter()
        .filter(Finding::refuses)
        .collect();
    if errors.is_empty() {
        Ok(Valid {
            region_id: form.get(FieldKey::RegionId).to_owned(),
            body: body(form),
        })
    } else {
        Err(errors)
    }
}

/// The warnings (hints) of the whole form.
pub fn warnings(values: &dyn Values) -> Vec<Finding> {
    check_all(values)
        .into_iter()
        .filter(|f| !f.refuses())
        .collect()
}

/// What one rule found: where, what, and the tag key a policy finding's code names.
type Found = Vec<(FieldPath, Problem, Option<String>)>;

/// Runs one field's rules into `out`: its api and console rules, the policy's, then its hints. Returns true when
/// it found an error and `stop_at_error` asked to stop.
fn run(
    values: &dyn Values,
    field: &Field,
    policy: &Policy,
    out: &mut Vec<Finding>,
    stop_at_error: bool,
) -> bool {
    let key = field.key;
    if !values.applies(key) {
        return false;
    }
    // Positions that already have a finding: the first rule to speak about a position is the one shown.
    let mut taken = BTreeSet::new();
    let whole = FieldPath::field(key);
    // Refusing rules come before hints in every table (a test holds them to it): the policy goes between.
    let hints = field
        .rules
        .iter()
        .position(|r| !r.tier.refuses())
        .unwrap_or(field.rules.len());
    // Step `hints` is the policy's; the rules take the others, in their order.
    for step in 0..=field.rules.len() {
        let mut found: Found = Vec::new();
        let tier = if step == hints {
            policy.check(values, key, &mut |path, problem, tag| {
                found.push((path, problem, tag))
            });
            Tier::Policy
        } else {
            let rule = &field.rules[if step < hints { step } else { step - 1 }];
            check_rule(values, key, rule.check, &taken, &mut found);
            rule.tier
        };
        let mut refused_whole = false;
        let mut refused = false;
        for (path, problem, policy_tag) in found {
            if taken.insert(path) {
                refused |= tier.refuses();
                refused_whole |= tier.refuses() && path == whole;
                out.push(Finding {
                    path,
                    code: problem.code,
                    tier,
                    message: problem.message,
                    policy_tag,
                });
            }
        }
        if refused && stop_at_error {
            return true;
        }
        // A limit on the field as a whole (too many tags) ends its checks: its rows are not examined.
        if refused_whole {
            break;
        }
    }
    false
}

/// Runs one rule's check, skipping positions an earlier rule already spoke about.
fn check_rule(
    values: &dyn Values,
    key: FieldKey,
    check: Check,
    taken: &BTreeSet<FieldPath>,
    found: &mut Found,
) {
    let whole = FieldPath::field(key);
    match check {
        Check::Required => {
            if values.text(key).is_empty() {
                found.push((whole, required(), None));
            }
        }
        Check::Text(check) => {
            if !taken.contains(&whole) {
                let text = values.text(key);
                if let Some(problem) = (!text.is_empty()).then(|| check(&text)).flatten() {
                    found.push((whole, problem, None));
                }
            }
        }
        Check::CellRequired(part) => {
            for row in 0..values.rows(key) {
                if values.cell(key, row, part).is_empty() {
                    found.push((FieldPath::cell(key, row, part), required(), None));
                }
            }
        }
        Check::Cell(part, check) => {
            for row in 0..values.rows(key) {
                let path = FieldPath::cell(key, row, part);
                if taken.contains(&path) {
                    continue;
                }
                let text = values.cell(key, row, part);
                if let Some(problem) = (!text.is_empty()).then(|| check(&text)).flatten() {
                    found.push((path, problem, None));
                }
            }
        }
        Check::Form(check) => check(values, key, &mut |path, problem| {
            found.push((path, problem, None))
        }),
    }
}

fn required() -> Problem {
    Problem::new(Code::Required, "This field is required.", "此项为必填项。")
}

/// The JSON body for these values, exactly as it will be sent: what applies and is not empty, in the SDK's
/// types and key order. Built whether or not the values are valid, so a preview can show it live.
pub fn body(values: &dyn Values) -> Json {
    let mut body = Json::object();
    for field in &FIELDS {
        if let Some(value) = wire_value(values, field) {
            body.insert(field.path, value);
        }
    }
    body
}

fn wire_value(values: &dyn Values, field: &Field) -> Option<Json> {
    let key = field.key;
    if field.wire == Wire::Query || !values.applies(key) {
        return None;
    }
    if let Control::List(list) = field.control {
        let items: Vec<Json> = (0..values.rows(key))
            .filter_map(|row| {
                if list.is_strings() {
                    let v = values.cell(key, row, 0);
                    return (!v.is_empty()).then_some(Json::Str(v));
                }
                let members: Vec<(&'static str, Json)> = list
                    .parts
                    .iter()
                    .enumerate()
                    .filter_map(|(i, part)| {
                        let v = values.cell(key, row, i);
                        (!v.is_empty()).then_some((part.name, Json::Str(v)))
                    })
                    .collect();
                // Parts are declared in wire order, so the members are too.
                (!members.is_empty()).then_some(Json::Obj(members))
            })
            .collect();
        return (!items.is_empty()).then_some(Json::Arr(items));
    }
    let text = values.text(key);
    if text.is_empty() {
        return None;
    }
    Some(match field.wire {
        // Only a valid integer is sent as a number; anything else cannot be valid, and stays readable.
        Wire::Int if text.parse::<i64>().is_ok() => Json::Int(text),
        Wire::Bool if text == "true" => Json::Bool(true),
        // Unticked: the API's default, so not sent.
        Wire::Bool => return None,
        _ => Json::Str(text),
    })
}
