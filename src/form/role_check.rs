//! The execution role's own check: when the field is left or a role chosen, GetRole says whether the account
//! has the role and whether Spark may assume it. A role that fails is a warning (a hint), never a refusal: the
//! account may be about to be authorized. A failed check says nothing.

use leptos::{prelude::*, task::spawn_local};
use workspace_model::FieldKey;

use super::state::{FormCtx, Found, TextKey, Warning};
use crate::{api, i18n};

const ROLE: TextKey = TextKey::new(FieldKey::RamRoleName);

pub const WARNING: Warning = Warning {
    about: |ctx| ctx.fields().text(ROLE).get(),
    start: |_| {},
    left: check,
};

fn check(ctx: FormCtx) {
    let name = ctx.fields().text(ROLE).get_untracked();
    if name.is_empty() {
        return;
    }
    let (found, config) = (ctx.found(ROLE.key()), ctx.api());
    spawn_local(async move {
        match api::role_trusts_spark(&config, &name).await {
            Ok(Some(true)) => {
                found.try_update(|f| {
                    if f.as_ref().is_some_and(|f| f.about == name) {
                        *f = None;
                    }
                });
            }
            Ok(exists) => {
                let text = if exists.is_some() {
                    i18n::ROLE_UNTRUSTED
                } else {
                    i18n::ROLE_MISSING
                };
                found.try_set(Some(Found {
                    about: name.clone(),
                    text,
                    arg: name,
                }));
            }
            Err(_) => {}
        }
    });
}
