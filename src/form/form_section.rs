use leptos::{either::Either, prelude::*};
use workspace_model::{Section, catalogue::Control};

use super::{
    features,
    field_row::{FieldRow, FieldRowProps},
    list_field::ListField,
    state::{FormCtx, Slot},
};
use crate::i18n::tr;

/// One section of the form with every catalogue field that belongs to it, in catalogue order.
#[component]
pub fn FormSection(
    /// Which section.
    section: Section,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let locale = ctx.locale();
    let heading_id = ctx.prefixed(&format!("section-{}", section.id()));
    let fields = section
        .fields()
        .map(
            |field| match (field.control, ctx.fields().slot(field.key)) {
                (Control::List(spec), Slot::Rows(rows)) => {
                    Either::Left(view! { <ListField field=field spec=spec rows=rows /> })
                }
                _ => {
                    let action = features::of(field.key)
                        .action
                        .map(|(words, run)| (words, Callback::new(move |()| run(ctx))));
                    Either::Right(FieldRow(FieldRowProps { field, action }))
                }
            },
        )
        .collect_view();
    let labelledby = heading_id.clone();
    view! {
        <section class="ws-section" aria-labelledby=labelledby data-section=section.id()>
            <h2 id=heading_id class="ws-section__title">{tr(locale, section.title())}</h2>
            <div class="ws-section__body">{fields}</div>
        </section>
    }
}
