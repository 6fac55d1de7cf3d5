use leptos::{
    either::{Either, EitherOf3},
    prelude::*,
};
use workspace_model::{
    FieldPath, Text, Values,
    catalogue::{Control, Field},
};

use super::{
    chooser::{self, Chooser},
    features,
    note::Note,
    state::{FormCtx, Slot},
};
use crate::i18n::{self, tr};

/// One scalar parameter (text, number, select or checkbox) with its label, help, warning and error, wired for
/// assistive technology. Hidden, not removed, when the parameter does not apply, so its value survives.
#[component]
pub fn FieldRow(
    /// The catalogue entry to render.
    field: &'static Field,
    /// A button after the input, with its words and what it does (the client token's "New token"). A plain
    /// value rather than children: one view shape for every row, no type-erased view in the bundle.
    #[prop(optional)]
    action: Option<(Text, Callback<()>)>,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let path = FieldPath::field(field.key);
    let id = ctx.dom_id(path);
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let warning_id = format!("{id}-warning");
    let locale = ctx.locale();
    let features = features::of(field.key);
    let message = Memo::new(move |_| ctx.message_at(path));
    // Said once: while the field shows an error (the API's refusal, say), its warning stays quiet.
    let warning = Memo::new(move |_| {
        message
            .with(Option::is_none)
            .then(|| features::warning_at(ctx, path))
            .flatten()
    });
    let invalid = move || message.with(Option::is_some);
    let key = field.key;
    // The server's policy, read once: the sections are built again when it changes (see `form::sections`).
    // A fixed value locks the control and says who set it; a field the policy requires is no longer optional.
    let (locked, required, allowed) = ctx.policy().with_untracked(|p| {
        (
            p.fixed(key).is_some(),
            field.required() || p.required(key),
            p.allowed(key).map(<[String]>::to_vec),
        )
    });
    // A value the policy requires or fixes is not optional.
    let help = if required || locked {
        field.help.required()
    } else {
        field.help
    };
    let slot = ctx.fields().slot(field.key);
    let chooser = match (features.chooser, slot) {
        (Some(listing), Slot::Text(value)) => {
            Some(Chooser::new(listing, field.key, value, ctx, &id))
        }
        _ => None,
    };
    let list_id = chooser.map(|c| c.list_id.get_value());
    // A locked field offers nothing to choose.
    let choosing = move || chooser.filter(|_| !locked);
    let list_note_id = format!("{id}-list-note");
    let policy_note_id = format!("{id}-policy");
    let described_by = {
        let (help_id, error_id, warning_id, list_note_id, policy_note_id) = (
            help_id.clone(),
            error_id.clone(),
            warning_id.clone(),
            list_note_id.clone(),
            policy_note_id.clone(),
        );
        move || {
            let mut ids = Vec::new();
            if invalid() {
                ids.push(error_id.as_str());
            }
            if warning.with(Option::is_some) {
                ids.push(warning_id.as_str());
            }
            if chooser.and_then(|c| c.note()).is_some() {
                ids.push(list_note_id.as_str());
            }
            if locked {
                ids.push(policy_note_id.as_str());
            }
            ids.push(help_id.as_str());
            ids.join(" ")
        }
    };
    let touch = move || ctx.touch(path);
    // Said in a live region when leaving the field tidied its value, so the change is never silent.
    let note = RwSignal::new(None::<String>);
    let note_id = format!("{id}-note");
    let is_checkbox = field.control == Control::Checkbox;

    // Either, not `into_any()`: each type-erased view costs the bundle about 1 KB gzip.
    let control = match slot {
        Slot::Flag(checked) => EitherOf3::B(view! {
            <input
                type="checkbox"
                id=id.clone()
                class="ws-checkbox"
                aria-describedby=described_by.clone()
                bind:checked=checked
                disabled=locked
                on:change=move |_| touch()
            />
        }),
        Slot::Text(value) => match field.control {
            Control::Select(choices) => {
                let option_words = features.option_words;
                // The options the policy allows (a fixed value allows itself alone).
                let options = choices
                    .iter()
                    .filter(|choice| {
                        allowed
                            .as_ref()
                            .is_none_or(|a| a.iter().any(|v| v == choice.value))
                    })
                    .map(|choice| {
                        let label = move || {
                            let l = locale.get();
                            option_words
                                .and_then(|words| words(choice.value, l))
                                .unwrap_or_else(|| choice.label.get(l).to_owned())
                        };
                        view! { <option value=choice.value>{label}</option> }
                    })
                    .collect_view();
                EitherOf3::A(view! {
                    <select
                        id=id.clone()
                        class="ws-select"
                        aria-required=required.to_string()
                        aria-invalid=move || invalid().to_string()
                        aria-describedby=described_by.clone()
                        disabled=locked
                        prop:value=move || value.get()
                        on:change:target=move |ev| {
                            value.set(ev.target().value());
                            touch();
                        }
                        on:blur=move |_| touch()
                    >
                        {options}
                    </select>
                })
            }
            // Text and numbers; a field with a listing is also a combobox (see `chooser`).
            _ => {
                // Tabbing through a field that still holds what it started with does not flag it; a changed
                // one is checked when left (and everything is checked on submit).
                let start = StoredValue::new(value.get_untracked());
                let leave = move || {
                    if let Some(tidied) = field
                        .tidy
                        .and_then(|tidy| value.with_untracked(|v| tidy(v)))
                    {
                        note.set(Some(tidied.clone()));
                        value.set(tidied);
                    }
                    if start.with_value(|s| value.with_untracked(|v| v != s)) {
                        touch();
                    }
                };
                EitherOf3::C(view! {
                    <input
                        type="text"
                        id=id.clone()
                        class="ws-input"
                        inputmode=if field.control == Control::Integer { "numeric" } else { "text" }
                        autocomplete="off"
                        spellcheck="false"
                        placeholder=field.placeholder
                        aria-required=required.to_string()
                        aria-invalid=move || invalid().to_string()
                        aria-describedby=described_by.clone()
                        readonly=locked
                        role=list_id.as_ref().map(|_| "combobox")
                        aria-autocomplete=list_id.as_ref().map(|_| "list")
                        aria-controls=list_id.clone()
                        aria-expanded=move || chooser.map(|c| c.expanded().to_string())
                        aria-activedescendant=move || chooser.and_then(|c| c.active_id())
                        bind:value=value
                        on:input=move |_| {
                            note.set(None);
                            if let Some(c) = chooser {
                                c.typed();
                            }
                        }
                        on:focus=move |_| {
                            if let Some(c) = choosing() {
                                c.load();
                            }
                        }
                        on:click=move |_| {
                            if let Some(c) = choosing() {
                                c.show_all();
                            }
                        }
                        on:keydown=move |ev| {
                            if let Some(c) = choosing() {
                                c.key(&ev);
                            }
                        }
                        on:blur=move |_| {
                            leave();
                            if let Some(c) = chooser {
                                c.close();
                            }
                            features::left(ctx, field.key);
                        }
                    />
                    {chooser.map(|c| chooser::listbox(c, field.label))}
                })
            }
        },
        // Lists are `ListField`s; the section never gives one to a row.
        Slot::Rows(_) => unreachable!(),
    };

    let action = action.map(|(words, run)| {
        view! {
            <button type="button" class="ws-button ws-button--secondary" on:click=move |_| run.run(())>
                {tr(locale, words)}
            </button>
        }
    });
    let label = view! {
        <label for=id.clone() class="ws-field__label">
            {tr(locale, field.label)}
            {(!is_checkbox).then(|| view! {
                <span class="ws-field__required" title=tr(locale, i18n::REQUIRED)>" *"</span>
            }).filter(|_| required)}
        </label>
    };

    view! {
        <div
            class="ws-field"
            class:ws-field--checkbox=is_checkbox
            class:ws-field--invalid=invalid
            data-path=field.path
            hidden=move || !ctx.fields().applies(field.key)
        >
            {if is_checkbox {
                Either::Left(view! { <div class="ws-field__check">{control}{label}</div> })
            } else {
                Either::Right(view! { {label}<div class="ws-field__control">{control}{action}</div> })
            }}
            <Note id=Signal::stored(error_id) text=message />
            <Note id=Signal::stored(warning_id) text=warning warning=true />
            {list_id.map(|_| view! {
                <p id=list_note_id class="ws-field__help ws-chooser__note" role="status">
                    {move || chooser.and_then(|c| c.note())}
                </p>
            })}
            {locked.then(|| view! {
                <p id=policy_note_id class="ws-field__help ws-field__policy">{tr(locale, i18n::SET_BY_ADMIN)}</p>
            })}
            <p id=note_id class="ws-field__note" role="status">
                {move || note.get().map(|v| i18n::TIDIED.get(locale.get()).replace("{}", &v))}
            </p>
            <p id=help_id class="ws-field__help">{tr(locale, help)}</p>
        </div>
    }
}
