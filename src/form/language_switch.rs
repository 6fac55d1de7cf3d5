use leptos::prelude::*;
use workspace_model::Locale;

use super::state::FormCtx;
use crate::i18n::{self, tr};

/// Switches the form between English and Chinese.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let locale = ctx.locale();
    let id = ctx.prefixed("language");
    view! {
        <div class="ws-lang">
            <label for=id.clone() class="ws-lang__label">{tr(locale, i18n::LANGUAGE)}</label>
            <select
                id=id
                class="ws-select ws-select--compact"
                prop:value=move || locale.get().tag()
                on:change:target=move |ev| locale.set(Locale::from_tag(&ev.target().value()))
            >
                <option value=Locale::En.tag() lang="en">"English"</option>
                <option value=Locale::Zh.tag() lang="zh-CN">"中文"</option>
            </select>
        </div>
    }
}
