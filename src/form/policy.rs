//! The server's policy in the form: fetched from the server the form posts to (`GET /api/policy`), with nothing
//! to configure, and applied to the form's values when it arrives. The form renders at once and works
//! meanwhile. What the fields show of the policy (narrowed choices, locked fields, locked tag rows) they read
//! when they are built, and the form builds its fields again when the policy changes (`form::sections`); the
//! policy's errors are the model's findings, like any rule's.

use leptos::{prelude::*, task::spawn_local};
use workspace_model::{FieldKey, FieldPath, FormState, Policy};

use super::{
    features,
    state::{FormCtx, Found},
};
use crate::{
    api::{self, CallError},
    i18n,
};

/// Fetches the policy and applies it when it arrives; asks again when the API's base changes, or after a failure
/// when a token is given (a 401 is what a gateway with `--auth-token` answers until then).
pub fn start(ctx: FormCtx, start: FormState, fresh: bool) {
    let start = StoredValue::new(start);
    // The first policy applied finds the form as it started; a later one (another base) finds a form in use.
    let fresh = StoredValue::new(fresh);
    let endpoint = ctx.endpoint();
    Effect::watch(
        move || (endpoint.base.get(), endpoint.token.get()),
        move |(base, _), before, _| {
            let moved = before.is_some_and(|(b, _)| b != base);
            if !(moved || before.is_none() || ctx.policy_failed().get_untracked()) {
                return;
            }
            // Another server: the last one's policy is not its, whatever this one answers.
            if moved && !ctx.policy().with_untracked(Policy::is_empty) {
                ctx.policy().set(Policy::NONE);
            }
            let config = ctx.api();
            spawn_local(async move {
                let answer = api::policy(&config).await;
                if !ctx.fields().is_disposed() {
                    arrived(ctx, answer, start, fresh);
                }
            });
        },
        true,
    );
}

fn arrived(
    ctx: FormCtx,
    answer: Result<Policy, CallError>,
    start: StoredValue<FormState>,
    fresh: StoredValue<bool>,
) {
    let failed = answer.is_err();
    if ctx.policy_failed().get_untracked() != failed {
        ctx.policy_failed().set(failed);
    }
    let Ok(policy) = answer else { return };
    // A form that started fresh takes the policy as a new form does where the person has not changed a value
    // since (its defaults in place of the catalogue's), as a draft does elsewhere (a default only fills an empty
    // field). A fixed value and `allowed` win either way.
    let fields = ctx.fields();
    let mut form = fields.snapshot();
    let replaced = if fresh.get_value() {
        start.with_value(|s| policy.apply_since(&mut form, s))
    } else {
        policy.apply_to_draft(&mut form)
    };
    fresh.set_value(false);
    let refused: Vec<_> = replaced
        .into_iter()
        .map(|key| (key, untrack(|| ctx.value_at(FieldPath::field(key)))))
        .collect();
    fields.load(&form);
    for (key, value) in refused {
        say_not_allowed(ctx, key, &value);
    }
    // The fields are built again only when there is a policy to show: none (`{}`) is the common answer.
    if !(policy.is_empty() && ctx.policy().with_untracked(Policy::is_empty)) {
        ctx.policy().set(policy);
    }
}

/// The note under a field whose value `refused` the policy does not allow, shown while the field holds the
/// allowed value it has now.
fn say_not_allowed(ctx: FormCtx, key: FieldKey, refused: &str) {
    ctx.found(key).set(Some(Found {
        about: untrack(|| features::about(ctx, key)),
        text: i18n::NOT_ALLOWED_TAKEN,
        arg: refused.to_owned(),
    }));
}

/// A value the host asks for (the page's region): taken if the policy allows it, else the field keeps its value
/// and says why.
pub fn offer(ctx: FormCtx, key: FieldKey, value: &str, set: impl FnOnce()) {
    let allowed = ctx
        .policy()
        .with_untracked(|p| p.allowed(key).is_none_or(|a| a.iter().any(|v| v == value)));
    if allowed {
        set();
    } else {
        say_not_allowed(ctx, key, value);
    }
}

/// A new form under the policy known now (after "create another").
pub fn new_form(ctx: FormCtx, mut form: FormState) -> FormState {
    ctx.policy().with_untracked(|p| p.apply_to_new(&mut form));
    form
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::state::{FormSignals, REGION, Slot};
    use workspace_model::Locale;

    const EXAMPLE: &str = include_str!("../../examples/policy-team-a.json");

    fn example() -> Policy {
        Policy::parse(EXAMPLE).unwrap()
    }

    /// A form that started as `start` (fresh or a restored draft), under an owner that lives as long as the test.
    fn form(start: &FormState) -> (Owner, FormCtx) {
        let owner = Owner::new();
        owner.set();
        let ctx = FormCtx::new(
            FormSignals::new(start),
            RwSignal::new(Locale::En),
            "t".to_owned(),
            api::Endpoint {
                base: Signal::stored(String::new()),
                token: RwSignal::new(None),
                timeout_ms: 1_000,
            },
        );
        (owner, ctx)
    }

    /// The policy arrives for a form that started as `start`.
    fn arrive(ctx: FormCtx, policy: Policy, start: &FormState, fresh: bool) -> FormState {
        arrived(
            ctx,
            Ok(policy),
            StoredValue::new(start.clone()),
            StoredValue::new(fresh),
        );
        ctx.fields().snapshot()
    }

    fn note(ctx: FormCtx, key: FieldKey) -> Option<String> {
        // Shown once revealed, as every finding is.
        ctx.show_all().set(true);
        features::warning_at(ctx, FieldPath::field(key))
    }

    fn tag_rows(form: &FormState) -> Vec<Vec<String>> {
        form.rows(FieldKey::Tag).to_vec()
    }

    #[test]
    fn a_fresh_form_takes_the_policy_as_a_new_form_and_says_which_value_it_replaced() {
        let start = FormState::new()
            .with(FieldKey::RegionId, "cn-beijing")
            .with(FieldKey::PaymentType, "Pre");
        let (_owner, ctx) = form(&start);
        let form = arrive(ctx, example(), &start, true);
        assert_eq!(form.get(FieldKey::RegionId), "cn-hangzhou");
        assert_eq!(form.get(FieldKey::PaymentType), "PayAsYouGo");
        assert_eq!(form.get(FieldKey::ResourceGroupId), "rg-acfmteama01");
        // The policy's default replaces the catalogue's in a new form.
        assert_eq!(form.get(FieldKey::DlfType), "dlf2.0");
        assert_eq!(
            tag_rows(&form),
            vec![
                vec!["team".to_owned(), "team-a".to_owned()],
                vec!["env".to_owned(), String::new()],
                vec!["cost-center".to_owned(), String::new()],
            ]
        );
        assert_eq!(ctx.policy().get_untracked(), example());
        // The region says what it replaced, while it holds what the policy took; a choice of the person's own
        // ends the note.
        let said = note(ctx, FieldKey::RegionId).expect("a note on the region");
        assert!(said.starts_with("cn-beijing is not allowed"), "{said}");
        ctx.fields().text(REGION).set("cn-shanghai".into());
        assert_eq!(note(ctx, FieldKey::RegionId), None);
    }

    #[test]
    fn what_was_typed_before_the_policy_arrived_is_kept_unless_fixed() {
        let start = FormState::new();
        let (_owner, ctx) = form(&start);
        ctx.fields().load(
            &start
                .clone()
                .with(FieldKey::WorkspaceName, "team-a-etl")
                .with(FieldKey::Cu, "8")
                .with(FieldKey::ResourceGroupId, "rg-mine")
                .with_rows(FieldKey::Tag, &[["owner", "ana"], ["env", "prod"]]),
        );
        let policy = Policy::parse(&EXAMPLE.replace(
            r#""resourceSpec.cu": {"max": 64}"#,
            r#""resourceSpec.cu": {"default": "16"}"#,
        ))
        .unwrap();
        let form = arrive(ctx, policy, &start, true);
        assert_eq!(form.get(FieldKey::WorkspaceName), "team-a-etl");
        // Typed by the person, not the form's start: the default does not override it; an untouched one takes it.
        assert_eq!(form.get(FieldKey::Cu), "8");
        assert_eq!(form.get(FieldKey::DlfType), "dlf2.0");
        assert_eq!(form.get(FieldKey::ResourceGroupId), "rg-acfmteama01");
        assert_eq!(
            note(ctx, FieldKey::RegionId),
            None,
            "the region was allowed"
        );
        assert_eq!(
            tag_rows(&form),
            vec![
                vec!["team".to_owned(), "team-a".to_owned()],
                vec!["env".to_owned(), "prod".to_owned()],
                vec!["cost-center".to_owned(), String::new()],
                vec!["owner".to_owned(), "ana".to_owned()],
            ]
        );
    }

    #[test]
    fn a_restored_draft_keeps_its_values_where_the_policy_only_suggests() {
        let draft = FormState::new()
            .with(FieldKey::DlfType, "dlf1.0")
            .with(FieldKey::RegionId, "cn-beijing")
            .with(FieldKey::PaymentType, "Pre");
        let (_owner, ctx) = form(&draft);
        let form = arrive(ctx, example(), &draft, false);
        assert_eq!(
            form.get(FieldKey::DlfType),
            "dlf1.0",
            "a default only fills"
        );
        assert_eq!(form.get(FieldKey::PaymentType), "PayAsYouGo", "fixed wins");
        assert_eq!(form.get(FieldKey::RegionId), "cn-hangzhou");
        assert!(note(ctx, FieldKey::RegionId).is_some());
    }

    #[test]
    fn no_policy_changes_nothing_and_builds_nothing_again() {
        let start = FormState::new().with(FieldKey::WorkspaceName, "etl");
        let (_owner, ctx) = form(&start);
        let policy = ctx.policy();
        let sets = Memo::new(move |runs: Option<&u32>| {
            policy.track();
            runs.map_or(0, |n| n + 1)
        });
        sets.get_untracked();
        assert_eq!(arrive(ctx, Policy::NONE, &start, true), start);
        assert_eq!(sets.get_untracked(), 0, "the policy was not set again");
        assert!(!ctx.policy_failed().get_untracked());
    }

    #[test]
    fn a_policy_that_cannot_be_fetched_is_said_and_the_form_is_left_alone() {
        let start = FormState::new().with(FieldKey::WorkspaceName, "etl");
        let (_owner, ctx) = form(&start);
        arrived(
            ctx,
            Err(CallError::Network("refused".into())),
            StoredValue::new(start.clone()),
            StoredValue::new(true),
        );
        assert!(ctx.policy_failed().get_untracked());
        assert_eq!(ctx.fields().snapshot(), start);
        assert_eq!(ctx.policy().get_untracked(), Policy::NONE);
    }

    #[test]
    fn loading_sets_only_what_differs_and_keeps_unchanged_rows() {
        let owner = Owner::new();
        owner.set();
        let start = FormState::new().with_rows(FieldKey::Tag, &[["a", "1"]]);
        let fields = FormSignals::new(&start);
        let Slot::Rows(rows) = fields.slot(FieldKey::Tag) else {
            panic!("tags are a list")
        };
        let before = rows.get_untracked()[0].id;
        fields.load(&start.clone().with(FieldKey::WorkspaceName, "x"));
        assert_eq!(rows.get_untracked()[0].id, before, "the same rows");
        assert_eq!(fields.snapshot().get(FieldKey::WorkspaceName), "x");
        fields.load(&start.clone().with_rows(FieldKey::Tag, &[["b", "2"]]));
        assert_eq!(
            fields.snapshot().rows(FieldKey::Tag),
            &[vec!["b".to_owned(), "2".to_owned()]]
        );
    }
}
