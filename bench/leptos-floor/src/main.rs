//! One text input with the console's name rule, checked on every key: the least a Leptos 0.8 page does per
//! keystroke. Same element ids as the console, so bench/speed.py drives both alike.

use leptos::prelude::*;

fn main() {
    mount_to_body(Floor);
}

/// The name rule of the console: 1–64 letters, digits, CJK, `_` and `-`.
fn check(v: &str) -> Option<String> {
    if v.is_empty() {
        return Some("This field is required.".into());
    }
    let n = v.chars().count();
    if n > 64 {
        return Some(format!("Use at most 64 characters (now {n})."));
    }
    let ok = |c: char| {
        c.is_ascii_alphanumeric() || c == '_' || c == '-' || ('\u{4E00}'..='\u{9FA5}').contains(&c)
    };
    v.chars()
        .find(|&c| !ok(c))
        .map(|c| format!("“{c}” is not allowed. Use letters, digits, Chinese characters, _ and -."))
}

#[component]
fn Floor() -> impl IntoView {
    let value = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let error = Memo::new(move |_| {
        if touched.get() {
            value.with(|v| check(v))
        } else {
            None
        }
    });
    view! {
        <main>
            <label for="ws-workspaceName">"Workspace name"</label>
            <input
                id="ws-workspaceName"
                type="text"
                autocomplete="off"
                aria-invalid=move || error.with(Option::is_some).to_string()
                bind:value=value
                on:blur=move |_| touched.set(true)
            />
            {move || error.get().map(|e| view! { <p id="ws-workspaceName-error">{e}</p> })}
        </main>
    }
}
