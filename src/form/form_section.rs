use leptos::{either::Either, prelude::*};
use workspace_model::{FieldKey, Section, catalogue::Control};

use super::{
    field_row::{FieldRow, FieldRowProps},
    list_field::ListField,
    state::FormCtx,
};
use crate::{
    form::new_client_token,
    i18n::{self, tr},
};

/// One section of the form with every catalogue field that belongs to it, in catalogue order.
#[component]
pub fn FormSection(
    /// Which section.
    section: Section,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let locale = ctx.locale;
    let heading_id = ctx.prefixed(&format!("section-{}", section.id()));
    let fields = section
        .fields()
        .map(|field| match field.control {
            Control::List(spec) => Either::Left(view! { <ListField field=field spec=spec /> }),
            _ => {
                let action = (field.key == FieldKey::ClientToken).then(|| {
                    let token = ctx.fields.text_signal(FieldKey::ClientToken);
                    (
                        i18n::NEW_TOKEN,
                        Callback::new(move |()| token.set(new_client_token())),
                    )
                });
                Either::Right(FieldRow(FieldRowProps { field, action }))
            }
        })
        .collect_view();
    let labelledby = heading_id.clone();
    view! {
        <section class="ws-section" aria-labelledby=labelledby data-section=section.id()>
            <h2 id=heading_id class="ws-section__title">{tr(locale, section.title())}</h2>
            <div class="ws-section__body">{fields}</div>
        </section>
    }
}
