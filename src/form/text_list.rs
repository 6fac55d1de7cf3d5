use leptos::prelude::*;
use workspace_model::catalogue::Field;

use super::{
    row_input::RowInput,
    state::{FormCtx, ListRowSignals, focus_element},
};
use crate::i18n;

/// Editable rows of one string each, for `gpuSpec` (ECS instance types).
#[component]
pub fn TextList(
    /// The catalogue entry of the list parameter.
    field: &'static Field,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let locale = ctx.locale;
    let rows = ctx.fields.gpu_spec;
    let path = field.path;
    let list_id = ctx.dom_id(path);
    let help_id = format!("{list_id}-help");

    let add = move |_| {
        let row = ctx.fields.new_list_row("");
        rows.update(|r| r.push(row));
        let index = rows.with_untracked(Vec::len) - 1;
        let id = ctx.dom_id(&format!("{path}[{index}]"));
        request_animation_frame(move || focus_element(&id));
    };

    let row_view = move |row: ListRowSignals| {
        let index = Memo::new(move |_| {
            rows.with(|r| r.iter().position(|x| x.id == row.id))
                .unwrap_or(0)
        });
        let remove = move |_| {
            let i = index.get_untracked();
            rows.update(|r| r.retain(|x| x.id != row.id));
            let remaining = rows.with_untracked(Vec::len);
            let target = if remaining == 0 {
                ctx.dom_id(path)
            } else {
                ctx.dom_id(&format!("{path}[{}]", i.min(remaining - 1)))
            };
            request_animation_frame(move || focus_element(&target));
        };
        view! {
            <li class="ws-list__row">
                <RowInput
                    path=Signal::derive(move || format!("{path}[{}]", index.get()))
                    touch_key=format!("{path}#{}", row.id)
                    label=Signal::derive(move || format!("{} {}", i18n::GPU_TYPE.get(locale.get()), index.get() + 1))
                    value=row.value
                    placeholder=field.placeholder
                />
                <button
                    type="button"
                    class="ws-button ws-button--icon"
                    aria-label=move || format!("{} {}", i18n::REMOVE.get(locale.get()), index.get() + 1)
                    on:click=remove
                >
                    {move || i18n::REMOVE.get(locale.get())}
                </button>
            </li>
        }
    };

    let described_by = help_id.clone();
    view! {
        <fieldset class="ws-list" id=list_id tabindex="-1" aria-describedby=described_by>
            <legend class="ws-field__label">{move || field.label.get(locale.get())}</legend>
            <p id=help_id class="ws-field__help">{move || field.help.get(locale.get())}</p>
            <Show when=move || rows.with(Vec::is_empty)>
                <p class="ws-list__empty">{move || i18n::NO_ROWS_GPU.get(locale.get())}</p>
            </Show>
            <ol class="ws-list__rows">
                <For each=move || rows.get() key=|row| row.id children=row_view />
            </ol>
            <button type="button" class="ws-button ws-button--secondary" on:click=add>
                {move || i18n::ADD_GPU_TYPE.get(locale.get())}
            </button>
        </fieldset>
    }
}
