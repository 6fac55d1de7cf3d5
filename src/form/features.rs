//! What particular fields do beyond the catalogue's rules, declared in one table keyed by field: which offer a
//! chooser (and of which listing), which have a check of their own that may warn, which word their options
//! themselves, which have a button (the client token's "New token"). The generic components (the field row, the chooser, the warnings) read this table and name no
//! field; a field's own behaviour lives in its feature's module.

use leptos::prelude::Set;
use workspace_model::{FieldKey, FieldPath, Locale, REGIONS, Text};

use super::{
    name_taken, role_check,
    state::{CLIENT_TOKEN, FormCtx, Warning},
};
use crate::{api::Listing, i18n, submission::new_client_token};

/// What one field has beyond its catalogue entry.
#[derive(Clone, Copy)]
pub struct Features {
    /// Offers what the account holds, from this listing (see `chooser`).
    pub chooser: Option<Listing>,
    /// A check of its own that may warn.
    pub warning: Option<&'static Warning>,
    /// The words of a select's option, from its value, where the catalogue's label is not enough.
    pub option_words: Option<fn(&str, Locale) -> Option<String>>,
    /// A button after the input: its words and what it does.
    pub action: Option<(Text, fn(FormCtx))>,
    /// A list whose rows the policy's `tags` govern: the policy's rows come first, their keys locked.
    pub policy_tags: bool,
}

const NONE: Features = Features {
    chooser: None,
    warning: None,
    option_words: None,
    action: None,
    policy_tags: false,
};

const fn chooser(listing: Listing) -> Features {
    Features {
        chooser: Some(listing),
        ..NONE
    }
}

/// The table.
pub fn of(key: FieldKey) -> Features {
    match key {
        FieldKey::RegionId => Features {
            option_words: Some(region_words),
            ..NONE
        },
        FieldKey::WorkspaceName => Features {
            warning: Some(&name_taken::WARNING),
            ..NONE
        },
        FieldKey::OssBucket => chooser(Listing::Buckets),
        FieldKey::DlfCatalogId => chooser(Listing::Catalogs),
        FieldKey::RamRoleName => Features {
            warning: Some(&role_check::WARNING),
            ..chooser(Listing::Roles)
        },
        FieldKey::ResourceGroupId => chooser(Listing::ResourceGroups),
        FieldKey::ClientToken => Features {
            action: Some((i18n::NEW_TOKEN, |ctx| {
                ctx.fields().text(CLIENT_TOKEN).set(new_client_token())
            })),
            ..NONE
        },
        FieldKey::Tag => Features {
            policy_tags: true,
            ..NONE
        },
        _ => NONE,
    }
}

/// Sets up every field's own check, once per form.
pub fn start(ctx: FormCtx) {
    for key in FieldKey::ALL {
        if let Some(warning) = of(key).warning {
            (warning.start)(ctx);
        }
    }
}

/// The field was left or a choice made in it: its own check, if it has one, runs.
pub fn left(ctx: FormCtx, key: FieldKey) {
    if let Some(warning) = of(key).warning {
        (warning.left)(ctx);
    }
}

/// The warning to show at `path` (reactive): what was found about the field, else the rules' hint.
pub fn warning_at(ctx: FormCtx, path: FieldPath) -> Option<String> {
    ctx.warning_at(path, || about(ctx, path.key))
}

/// What a finding about a field is about, as the form holds it now (reactive): what its own check names, else
/// its value. A finding shows only while this is unchanged.
pub fn about(ctx: FormCtx, key: FieldKey) -> String {
    match of(key).warning {
        Some(warning) => (warning.about)(ctx),
        None => ctx.value_at(FieldPath::field(key)),
    }
}

/// A region as its name and id: "China (Hangzhou) · cn-hangzhou".
fn region_words(id: &str, locale: Locale) -> Option<String> {
    let region = REGIONS.iter().find(|r| r.id == id)?;
    Some(format!("{} · {}", region.name.get(locale), region.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listing_has_exactly_one_field() {
        for listing in Listing::ALL {
            let fields: Vec<_> = FieldKey::ALL
                .into_iter()
                .filter(|k| of(*k).chooser == Some(listing))
                .collect();
            assert_eq!(fields.len(), 1, "{listing:?}: {fields:?}");
        }
    }

    #[test]
    fn choosers_and_warnings_sit_on_text_fields() {
        for key in FieldKey::ALL {
            let f = of(key);
            if f.chooser.is_some() || f.warning.is_some() {
                // Panics for a field of another kind.
                super::super::state::TextKey::new(key);
            }
        }
        assert_eq!(
            of(FieldKey::ResourceGroupId).chooser,
            Some(Listing::ResourceGroups)
        );
        assert!(of(FieldKey::RamRoleName).warning.is_some());
        assert!(of(FieldKey::WorkspaceName).warning.is_some());
    }

    #[test]
    fn the_policy_governs_the_rows_of_the_tag_list_only() {
        let governed: Vec<_> = FieldKey::ALL
            .into_iter()
            .filter(|k| of(*k).policy_tags)
            .collect();
        assert_eq!(governed, [FieldKey::Tag]);
    }

    #[test]
    fn a_region_is_worded_with_its_name_and_id() {
        let words = region_words("cn-hangzhou", Locale::En).unwrap();
        assert!(
            words.ends_with(" · cn-hangzhou") && words.len() > 16,
            "{words}"
        );
        assert_eq!(region_words("nowhere", Locale::En), None);
    }
}
