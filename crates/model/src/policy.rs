//! The fourth tier: a platform team's guardrails, beside the api, console and hint rules.
//!
//! A [`Policy`] is read from JSON ([`Policy::parse`]): `fields` keys are the catalogue's parameter paths
//! (`resourceSpec.cu`) with the [`OPERATORS`] that fit each; `tags` lists tag keys every workspace must carry.
//! Parsing refuses anything a platform team would not mean (an unknown parameter or operator, an operator that
//! does not fit the field, a value the parameter's own api or console rules refuse, `min` above `max`, more than
//! 20 tags), naming the offending key, so a server does not start with a policy it would misapply.
//!
//! Its checks run in [`mod@crate::validate`] as the rules of [`Tier::Policy`] (after a field's api and console rules,
//! before its hints): the same code in the browser and in both backends. A finding's code on the wire is
//! `PolicyViolation.<path>` (`PolicyViolation.tag.env` for a tag); its message states the rule in words.
//!
//! [`Tier::Policy`]: crate::rule::Tier::Policy

use std::fmt;

use crate::{
    catalogue::{Control, Field, MAX_TAGS, Wire},
    form::FormState,
    json::{self, Node, Read, string_literal},
    key::FieldKey,
    path::FieldPath,
    rule::{Check, Code, Problem},
    rules::is_positive_integer,
    values::Values,
};

/// Where a server answers its policy as JSON (`{}` for none): the form reads it from the server it posts to.
pub const POLICY_PATH: &str = "/api/policy";

/// What one operator does and which parameters it fits, for `RULES.md`.
#[derive(Clone, Copy, Debug)]
pub struct Operator {
    pub name: &'static str,
    /// Which parameters it fits, in words.
    #[cfg(feature = "rule-table")]
    pub fits: &'static str,
    /// What it does, in words.
    #[cfg(feature = "rule-table")]
    pub says: &'static str,
}

const fn op(name: &'static str, fits: &'static str, says: &'static str) -> Operator {
    #[cfg(not(feature = "rule-table"))]
    let _ = (fits, says);
    Operator {
        name,
        #[cfg(feature = "rule-table")]
        fits,
        #[cfg(feature = "rule-table")]
        says,
    }
}

/// Every operator of `fields`, in the order a policy's JSON writes them.
pub const OPERATORS: [Operator; 7] = [
    op(
        "fixed",
        "any parameter but lists and clientToken",
        "this value and no other; the form shows it read-only. Absent counts as a different value (a checkbox's absence as false)",
    ),
    op(
        "default",
        "as fixed",
        "prefilled in the form, may be changed; never checked by a server",
    ),
    op(
        "allowed",
        "as fixed",
        "one of these values (a non-empty list); the form offers only these",
    ),
    op(
        "min",
        "whole-number parameters",
        "at least this (an integer, or its digits as a string)",
    ),
    op("max", "whole-number parameters", "at most this"),
    op(
        "prefix",
        "free-text parameters",
        "the value starts with this text",
    ),
    op(
        "required",
        "as fixed, but not checkboxes",
        "true: an optional parameter must have a value (false: no effect)",
    ),
];

/// The operators of one `tags` entry; `{}` asks only for a non-empty value.
pub const TAG_OPERATORS: [Operator; 2] = [
    op(
        "fixed",
        "tags",
        "the tag's value is this one; the form locks it",
    ),
    op(
        "allowed",
        "tags",
        "the tag's value is one of these; the form offers them as choices",
    ),
];

/// A policy's operators on one parameter. Values are the form's text (`"64"`, `"true"`), however the JSON wrote
/// them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldRule {
    pub fixed: Option<String>,
    pub default: Option<String>,
    /// Empty: any value.
    pub allowed: Vec<String>,
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub prefix: Option<String>,
    pub required: bool,
}

/// A tag every workspace must carry, and what its value may be. Neither `fixed` nor `allowed`: any non-empty
/// value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagRule {
    pub key: String,
    pub fixed: Option<String>,
    /// Empty: any non-empty value (or the fixed one).
    pub allowed: Vec<String>,
}

/// A platform team's guardrails. [`Policy::default`] (or [`Policy::NONE`]) is no policy: it allows everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// In form order, one entry per governed parameter.
    fields: Vec<(FieldKey, FieldRule)>,
    /// In the policy's order.
    tags: Vec<TagRule>,
}

/// Why a policy was refused: where (`fields.resourceSpec.cu.max`, `tags.env`; empty for the document as a
/// whole) and why, in English (it is for whoever wrote the file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    pub at: String,
    pub reason: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.at.is_empty() {
            f.write_str(&self.reason)
        } else {
            write!(f, "{}: {}", self.at, self.reason)
        }
    }
}

impl std::error::Error for PolicyError {}

/// `Err` of a refusal at `$at` for `$why`.
macro_rules! refuse {
    ($at:expr, $why:expr $(,)?) => {
        Err(refusal($at, $why))
    };
}

/// A refusal at `at` for `why`.
fn refusal(at: impl Into<String>, why: impl Into<String>) -> PolicyError {
    PolicyError {
        at: at.into(),
        reason: why.into(),
    }
}

impl Policy {
    /// No policy.
    pub const NONE: Policy = Policy {
        fields: Vec::new(),
        tags: Vec::new(),
    };

    /// Reads and checks a policy (see the module docs for what is refused).
    pub fn parse(text: &str) -> Result<Policy, PolicyError> {
        Policy::from_node(&json::parse(text).map_err(|why| refusal("", why))?)
    }

    /// [`Policy::parse`] of a document already parsed. A page can build the [`Node`] from the browser's own
    /// `JSON.parse` and leave the model's JSON reader out of its bundle (about 2.5 KB gzip).
    pub fn from_node(node: &Node) -> Result<Policy, PolicyError> {
        let Node::Obj(top) = node else {
            return refuse!("", "a policy is a JSON object");
        };
        let mut policy = Policy::NONE;
        for (name, node) in top {
            match name.as_str() {
                "fields" => policy.fields = parse_fields(node)?,
                "tags" => policy.tags = parse_tags(node)?,
                _ => return refuse!(name, "unknown key: a policy has fields and tags"),
            }
        }
        Ok(policy)
    }

    /// Reads a policy its server already checked (what `GET /api/policy` answers): the page's reader. It
    /// refuses nothing and ignores what it does not know, so it is a few lines rather than the checks of
    /// [`Policy::parse`]; for every policy `parse` accepts, it reads the same policy (a property test holds it to
    /// that).
    pub fn read<J: Read>(doc: &J) -> Policy {
        let mut policy = Policy::NONE;
        for (name, node) in doc.members() {
            match name.as_str() {
                "fields" => {
                    for (path, ops) in node.members() {
                        let Some(key) = FieldKey::from_wire_path(&path) else {
                            continue;
                        };
                        let mut rule = FieldRule::default();
                        for (op, value) in ops.members() {
                            let text = value.text();
                            let number = || text.as_deref().and_then(|t| t.parse().ok());
                            match op.as_str() {
                                "fixed" => rule.fixed = text,
                                "default" => rule.default = text,
                                "allowed" => rule.allowed = value.texts(),
                                "min" => rule.min = number(),
                                "max" => rule.max = number(),
                                "prefix" => rule.prefix = text,
                                "required" => rule.required = text.as_deref() == Some("true"),
                                _ => {}
                            }
                        }
                        in_form_order(&mut policy.fields, key, rule);
                    }
                }
                "tags" => {
                    for (key, ops) in node.members() {
                        let mut rule = TagRule {
                            key,
                            ..TagRule::default()
                        };
                        for (op, value) in ops.members() {
                            match op.as_str() {
                                "fixed" => rule.fixed = value.text(),
                                "allowed" => rule.allowed = value.texts(),
                                _ => {}
                            }
                        }
                        policy.tags.push(rule);
                    }
                }
                _ => {}
            }
        }
        policy
    }

    /// Whether this policy allows everything.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.tags.is_empty()
    }

    /// The policy's operators on a parameter, if it names it.
    pub fn field(&self, key: FieldKey) -> Option<&FieldRule> {
        self.fields.iter().find(|(k, _)| *k == key).map(|(_, r)| r)
    }

    /// The value the policy fixes for a parameter: the form shows it read-only.
    pub fn fixed(&self, key: FieldKey) -> Option<&str> {
        self.field(key)?.fixed.as_deref()
    }

    /// The value a new form starts with, in place of the catalogue's.
    pub fn default_value(&self, key: FieldKey) -> Option<&str> {
        self.field(key)?.default.as_deref()
    }

    /// The only values allowed; `None` when any value is (a fixed field allows its one value).
    pub fn allowed(&self, key: FieldKey) -> Option<&[String]> {
        let rule = self.field(key)?;
        if let Some(fixed) = &rule.fixed {
            return Some(std::slice::from_ref(fixed));
        }
        (!rule.allowed.is_empty()).then_some(rule.allowed.as_slice())
    }

    /// Whether the policy makes the parameter required (beyond its own rules).
    pub fn required(&self, key: FieldKey) -> bool {
        self.field(key).is_some_and(|r| r.required)
    }

    /// The tags every workspace must carry, in the policy's order: the form's first tag rows.
    pub fn tags(&self) -> &[TagRule] {
        &self.tags
    }

    /// The policy's rule for a tag key.
    pub fn tag(&self, key: &str) -> Option<&TagRule> {
        self.tags.iter().find(|t| t.key == key)
    }

    /// Prepares a new form: fixed values set, the policy's defaults in place of the catalogue's, a value the
    /// policy does not allow replaced by the first allowed one, and a row for every policy tag (its fixed value
    /// filled in) before any other. Returns the parameters whose value was replaced because it was not allowed
    /// (not those a fixed value or a default set), so the form can say why.
    pub fn apply_to_new(&self, form: &mut FormState) -> Vec<FieldKey> {
        self.apply(form, &|_, _| true)
    }

    /// Brings a saved draft under the policy. A fixed value always wins (the server would refuse anything
    /// else), and so does `allowed` (a value outside the list is replaced by the first allowed one, as
    /// [`Policy::apply_to_new`] does). A default only fills an empty field: the draft's value is the person's
    /// own, and a default is a suggestion, not a rule. Policy tag rows come first, with the draft's values kept
    /// unless fixed; the draft's other tags follow.
    pub fn apply_to_draft(&self, form: &mut FormState) -> Vec<FieldKey> {
        self.apply(form, &|_, _| false)
    }

    /// A new form `start` that the person has been filling in since, brought under a policy that arrived
    /// meanwhile: as [`Policy::apply_to_new`] where a value is still `start`'s, as
    /// [`Policy::apply_to_draft`] where the person changed it.
    pub fn apply_since(&self, form: &mut FormState, start: &FormState) -> Vec<FieldKey> {
        self.apply(form, &|key, value| start.get(key) == value)
    }

    /// `untouched`: whether a default may replace this (non-empty) value. One function behind a `dyn`, so the
    /// page carries one copy of it.
    fn apply(
        &self,
        form: &mut FormState,
        untouched: &dyn Fn(FieldKey, &str) -> bool,
    ) -> Vec<FieldKey> {
        let mut replaced = Vec::new();
        for (key, rule) in &self.fields {
            let key = *key;
            if let Some(fixed) = &rule.fixed {
                form.set(key, fixed.as_str());
                continue;
            }
            if let Some(default) = &rule.default
                && (form.get(key).is_empty() || untouched(key, form.get(key)))
            {
                form.set(key, default.as_str());
            }
            if !rule.allowed.is_empty() && !rule.allowed.iter().any(|a| a == form.get(key)) {
                form.set(key, rule.allowed[0].as_str());
                replaced.push(key);
            }
        }
        if !self.tags.is_empty() {
            let mut rest = std::mem::take(form.rows_mut(FieldKey::Tag));
            let mut rows = Vec::with_capacity(self.tags.len() + rest.len());
            for tag in &self.tags {
                let at = rest.iter().position(|r| r.first() == Some(&tag.key));
                let value = at
                    .map(|i| rest.remove(i).get(1).cloned().unwrap_or_default())
                    .unwrap_or_default();
                rows.push(vec![tag.key.clone(), tag.fixed.clone().unwrap_or(value)]);
            }
            rows.extend(rest);
            *form.rows_mut(FieldKey::Tag) = rows;
        }
        replaced
    }

    /// The policy's findings about one parameter, each with the tag key its code names (tags only). At most one
    /// per position; `values` are those of a parameter that applies.
    pub(crate) fn check(
        &self,
        values: &dyn Values,
        key: FieldKey,
        report: &mut dyn FnMut(FieldPath, Problem, Option<String>),
    ) {
        if key == FieldKey::Tag {
            return self.check_tags(values, report);
        }
        let Some(rule) = self.field(key) else { return };
        let mut value = values.text(key);
        if value.is_empty() && matches!(key.field().wire, Wire::Bool | Wire::BoolStr) {
            // A checkbox a request left out is unticked.
            value = "false".to_owned();
        }
        if let Some(problem) = rule.breaks(key, &value) {
            report(FieldPath::field(key), problem, None);
        }
    }

    fn check_tags(
        &self,
        values: &dyn Values,
        report: &mut dyn FnMut(FieldPath, Problem, Option<String>),
    ) {
        let key = FieldKey::Tag;
        let rows = values.rows(key);
        let mut missing: Vec<&str> = Vec::new();
        for tag in &self.tags {
            let Some(row) = (0..rows).find(|&r| values.cell(key, r, 0) == tag.key) else {
                missing.push(&tag.key);
                continue;
            };
            let value = values.cell(key, row, 1);
            let k = &tag.key;
            let problem = match (&tag.fixed, tag.allowed.as_slice()) {
                (Some(fixed), _) if value != *fixed => said(
                    Code::NotAllowed,
                    &["The tag ", k, " must be ", fixed],
                    &["标签 ", k, " 必须为 ", fixed],
                ),
                (None, []) if value.is_empty() => said(
                    Code::Required,
                    &["The tag ", k, " needs a value"],
                    &["标签 ", k, " 必须有值"],
                ),
                (None, allowed) if !allowed.is_empty() && !allowed.contains(&value) => said(
                    Code::NotAllowed,
                    &["The tag ", k, " must be one of ", &allowed.join(", ")],
                    &["标签 ", k, " 必须是以下之一：", &allowed.join("、")],
                ),
                _ => continue,
            };
            report(FieldPath::cell(key, row, 1), problem, Some(tag.key.clone()));
        }
        // One position for the list as a whole: one finding that names every missing tag; its code names the first.
        if let Some(first) = missing.first() {
            let (en, zh) = (missing.join(", "), missing.join("、"));
            let (these, are) = match missing.len() {
                1 => ("The tag ", " is required"),
                _ => ("The tags ", " are required"),
            };
            let problem = said(Code::Required, &[these, &en, are], &["必须添加标签 ", &zh]);
            report(FieldPath::field(key), problem, Some((*first).to_owned()));
        }
    }

    /// The policy as compact JSON, in form order: what `GET /api/policy` answers (`{}` for none), and what
    /// [`Policy::parse`] reads back to the same policy.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{");
        if !self.fields.is_empty() {
            out.push_str("\"fields\":{");
            for (i, (key, rule)) in self.fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&string_literal(key.path()));
                out.push_str(":{");
                let mut ops = Vec::new();
                let list = |items: &[String]| {
                    let items: Vec<String> = items.iter().map(|s| string_literal(s)).collect();
                    format!("[{}]", items.join(","))
                };
                if let Some(v) = &rule.fixed {
                    ops.push(format!("\"fixed\":{}", string_literal(v)));
                }
                if let Some(v) = &rule.default {
                    ops.push(format!("\"default\":{}", string_literal(v)));
                }
                if !rule.allowed.is_empty() {
                    ops.push(format!("\"allowed\":{}", list(&rule.allowed)));
                }
                if let Some(v) = rule.min {
                    ops.push(format!("\"min\":{v}"));
                }
                if let Some(v) = rule.max {
                    ops.push(format!("\"max\":{v}"));
                }
                if let Some(v) = &rule.prefix {
                    ops.push(format!("\"prefix\":{}", string_literal(v)));
                }
                if rule.required {
                    ops.push("\"required\":true".to_owned());
                }
                out.push_str(&ops.join(","));
                out.push('}');
            }
            out.push('}');
        }
        if !self.tags.is_empty() {
            if !self.fields.is_empty() {
                out.push(',');
            }
            out.push_str("\"tags\":{");
            for (i, tag) in self.tags.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&string_literal(&tag.key));
                out.push_str(":{");
                if let Some(v) = &tag.fixed {
                    out.push_str(&format!("\"fixed\":{}", string_literal(v)));
                }
                if !tag.allowed.is_empty() {
                    let items: Vec<String> =
                        tag.allowed.iter().map(|s| string_literal(s)).collect();
                    out.push_str(&format!("\"allowed\":[{}]", items.join(",")));
                }
                out.push('}');
            }
            out.push('}');
        }
        out.push('}');
        out
    }
}

/// What every policy message ends with: who set the rule.
const BY_EN: &str = " (set by your administrator).";
const BY_ZH: &str = "（管理员设定）。";

/// A policy finding's words: the parts in order, then who set the rule. Concatenation rather than `format!`:
/// this code ships in the page.
fn said(code: Code, en: &[&str], zh: &[&str]) -> Problem {
    Problem::new(
        code,
        [en, &[BY_EN]].concat().concat(),
        [zh, &[BY_ZH]].concat().concat(),
    )
}

impl FieldRule {
    /// What is wrong with a (non-optional) value under these operators, if anything. An empty value breaks
    /// `fixed`, `allowed` and `required`; `min` and `max` look only at whole numbers (anything else is for the
    /// parameter's own rules to refuse).
    fn breaks(&self, key: FieldKey, value: &str) -> Option<Problem> {
        if let Some(fixed) = &self.fixed
            && value != fixed
        {
            return Some(said(
                Code::NotAllowed,
                &["Must be ", fixed],
                &["必须为 ", fixed],
            ));
        }
        if !self.allowed.is_empty() && !self.allowed.iter().any(|a| a == value) {
            return Some(said(
                Code::NotAllowed,
                &["Must be one of ", &self.allowed.join(", ")],
                &["必须是以下之一：", &self.allowed.join("、")],
            ));
        }
        if value.is_empty() {
            return self
                .required
                .then(|| said(Code::Required, &["Required"], &["必填"]));
        }
        let number = (value == "0" || is_positive_integer(value))
            // Digits beyond u64 are above any limit a policy can write.
            .then(|| value.parse::<u64>().unwrap_or(u64::MAX));
        if let (Some(n), Some(min)) = (number, self.min)
            && n < min
        {
            let (en, zh) = unit(key, min);
            let min = &min.to_string();
            return Some(said(
                Code::OutOfRange,
                &["At least ", min, en],
                &["至少 ", min, zh],
            ));
        }
        if let (Some(n), Some(max)) = (number, self.max)
            && n > max
        {
            let (en, zh) = unit(key, max);
            let max = &max.to_string();
            return Some(said(
                Code::OutOfRange,
                &["At most ", max, en],
                &["最多 ", max, zh],
            ));
        }
        if let Some(prefix) = &self.prefix
            && !value.starts_with(prefix.as_str())
        {
            return Some(said(
                Code::Pattern,
                &["Must start with ", prefix],
                &["必须以 ", prefix, " 开头"],
            ));
        }
        None
    }
}

/// The unit a limit is stated in, where the parameter has one.
fn unit(key: FieldKey, n: u64) -> (&'static str, &'static str) {
    match key {
        FieldKey::Cu => (" CU", " CU"),
        FieldKey::Duration | FieldKey::AutoRenewPeriod if n == 1 => (" month", " 个月"),
        FieldKey::Duration | FieldKey::AutoRenewPeriod => (" months", " 个月"),
        _ => ("", ""),
    }
}

// --- reading ---------------------------------------------------------------------------------------------------

fn members<'a>(node: &'a Node, at: &str, what: &str) -> Result<&'a [(String, Node)], PolicyError> {
    match node {
        Node::Obj(members) => Ok(members),
        _ => refuse!(at, format!("must be an object of {what}")),
    }
}

/// Whether a policy may name a parameter under `fields`; `Err` says why not.
pub fn governable(key: FieldKey) -> Result<(), &'static str> {
    match key.field().control {
        Control::List(_) if key == FieldKey::Tag => Err("tags are governed under \"tags\""),
        Control::List(_) => Err("a list cannot be governed"),
        _ if key == FieldKey::ClientToken => Err("the client's retry token cannot be governed"),
        _ => Ok(()),
    }
}

/// Whether a `fields` operator fits a parameter; `Err` says why not.
pub fn fits(key: FieldKey, name: &str) -> Result<(), &'static str> {
    governable(key)?;
    match (name, key.field().control) {
        ("min" | "max", Control::Integer) => Ok(()),
        ("min" | "max", _) => Err("fits only whole-number parameters"),
        ("prefix", Control::Text) => Ok(()),
        ("prefix", _) => Err("fits only free-text parameters"),
        ("required", Control::Checkbox) => Err("a checkbox always has a value"),
        _ => Ok(()),
    }
}

fn parse_fields(node: &Node) -> Result<Vec<(FieldKey, FieldRule)>, PolicyError> {
    let mut out = Vec::new();
    for (path, ops) in members(node, "fields", "parameter paths")? {
        let at = format!("fields.{path}");
        let Some(key) = FieldKey::from_wire_path(path) else {
            return refuse!(
                at,
                "not a CreateWorkspace parameter (paths as in resourceSpec.cu)",
            );
        };
        governable(key).map_err(|why| refusal(&at, why))?;
        let field = key.field();
        let mut rule = FieldRule::default();
        for (name, value) in members(ops, &at, "operators")? {
            let at = format!("{at}.{name}");
            fits(key, name).map_err(|why| refusal(&at, why))?;
            match name.as_str() {
                "fixed" => rule.fixed = Some(field_value(field, value, &at)?),
                "default" => rule.default = Some(field_value(field, value, &at)?),
                "allowed" => rule.allowed = list(value, &at, |v| field_value(field, v, &at))?,
                "min" => rule.min = Some(limit(field, value, &at)?),
                "max" => rule.max = Some(limit(field, value, &at)?),
                "prefix" => match value {
                    Node::Str(s) if !s.is_empty() => rule.prefix = Some(s.clone()),
                    _ => return refuse!(at, "must be a non-empty string"),
                },
                "required" => match value {
                    Node::Bool(b) => rule.required = *b,
                    _ => return refuse!(at, "must be true or false"),
                },
                _ => {
                    return refuse!(
                        at,
                        "unknown operator (fixed, default, allowed, min, max, prefix, required)",
                    );
                }
            }
        }
        if let (Some(min), Some(max)) = (rule.min, rule.max)
            && min > max
        {
            return refuse!(format!("{at}.min"), format!("{min} is above max {max}"));
        }
        if rule.fixed.is_some() && (rule.default.is_some() || !rule.allowed.is_empty()) {
            return refuse!(
                format!("{at}.fixed"),
                "a fixed value leaves nothing to default or allow",
            );
        }
        // Each value the policy names must pass the policy's own other operators.
        let named = rule.fixed.iter().map(|v| ("fixed", v));
        let named = named.chain(rule.default.iter().map(|v| ("default", v)));
        for (name, v) in named.chain(rule.allowed.iter().map(|v| ("allowed", v))) {
            if let Some(problem) = rule.breaks(key, v) {
                return refuse!(
                    format!("{at}.{name}"),
                    format!("“{v}” breaks this policy: {}", problem.message.en),
                );
            }
        }
        in_form_order(&mut out, key, rule);
    }
    Ok(out)
}

/// Adds a parameter's rule where the form has the parameter, for both readers: inserted in place, as a sort
/// would cost the page kilobytes of std's sort code.
fn in_form_order(fields: &mut Vec<(FieldKey, FieldRule)>, key: FieldKey, rule: FieldRule) {
    let at = fields.iter().take_while(|(k, _)| *k < key).count();
    fields.insert(at, (key, rule));
}

/// A non-empty array, each item read by `item`.
fn list(
    node: &Node,
    at: &str,
    item: impl Fn(&Node) -> Result<String, PolicyError>,
) -> Result<Vec<String>, PolicyError> {
    match node {
        Node::Arr(items) if !items.is_empty() => items.iter().map(item).collect(),
        _ => refuse!(at, "must be a non-empty array"),
    }
}

/// A value of a parameter, read as leniently as a request's (`64` or `"64"`, `true` or `"true"`), then held to
/// the parameter's own api and console rules.
fn field_value(field: &Field, node: &Node, at: &str) -> Result<String, PolicyError> {
    let text = match (field.wire, node) {
        (_, Node::Str(s)) => s.clone(),
        (Wire::NumStr | Wire::Int, Node::Num(n)) => n.clone(),
        (Wire::Bool | Wire::BoolStr, Node::Bool(b)) => b.to_string(),
        (Wire::NumStr | Wire::Int, _) => {
            return refuse!(at, "must be a number or a numeric string");
        }
        (Wire::Bool | Wire::BoolStr, _) => return refuse!(at, "must be true or false"),
        _ => return refuse!(at, "must be a string"),
    };
    if text.is_empty() {
        return refuse!(at, "must not be empty");
    }
    for rule in field.rules.iter().filter(|r| r.tier.refuses()) {
        if let Check::Text(check) = rule.check
            && let Some(problem) = check(&text)
        {
            return refuse!(
                at,
                format!(
                    "“{text}” breaks {}'s own rule: {}",
                    field.path, problem.message.en
                ),
            );
        }
    }
    Ok(text)
}

/// A `min` or `max`: a whole number (or its digits as a string) the parameter itself accepts.
fn limit(field: &Field, node: &Node, at: &str) -> Result<u64, PolicyError> {
    let digits = match node {
        Node::Num(n) | Node::Str(n) => n.as_str(),
        _ => "",
    };
    let n = (digits == "0" || is_positive_integer(digits))
        .then(|| digits.parse::<u64>().ok())
        .flatten();
    let Some(n) = n else {
        return refuse!(at, "must be a whole number of 0 or more");
    };
    field_value(field, &Node::Str(digits.to_owned()), at)?;
    Ok(n)
}

fn parse_tags(node: &Node) -> Result<Vec<TagRule>, PolicyError> {
    let entries = members(node, "tags", "tag keys")?;
    if entries.len() > MAX_TAGS {
        return refuse!(
            "tags",
            format!(
                "{} tags; a workspace can have at most {MAX_TAGS}",
                entries.len()
            ),
        );
    }
    let tag = FieldKey::Tag.field();
    let mut out = Vec::new();
    for (key, ops) in entries {
        let at = format!("tags.{key}");
        tag_text(tag, 0, key, &at)?;
        let mut rule = TagRule {
            key: key.clone(),
            ..TagRule::default()
        };
        for (name, value) in members(ops, &at, "operators")? {
            let at = format!("{at}.{name}");
            let item = |v: &Node| match v {
                Node::Str(s) => tag_text(tag, 1, s, &at).map(|()| s.clone()),
                _ => refuse!(&at, "must be a string"),
            };
            match name.as_str() {
                "fixed" => rule.fixed = Some(item(value)?),
                "allowed" => rule.allowed = list(value, &at, item)?,
                _ => return refuse!(at, "unknown operator of a tag (fixed, allowed)"),
            }
        }
        if rule.fixed.is_some() && !rule.allowed.is_empty() {
            return refuse!(
                format!("{at}.fixed"),
                "a fixed value leaves nothing to allow",
            );
        }
        out.push(rule);
    }
    Ok(out)
}

/// A tag key (`part` 0) or value (1): not empty, and passing the tag rules that refuse.
fn tag_text(tag: &Field, part: usize, text: &str, at: &str) -> Result<(), PolicyError> {
    if text.is_empty() {
        return refuse!(at, "must not be empty");
    }
    for rule in tag.rules.iter().filter(|r| r.tier.refuses()) {
        if let Check::Cell(p, check) = rule.check
            && p == part
            && let Some(problem) = check(text)
        {
            return refuse!(at, format!("“{text}”: {}", problem.message.en));
        }
    }
    Ok(())
}
