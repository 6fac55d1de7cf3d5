//! "Choose, don't type": a field with a listing in the features table (the OSS path, the DLF catalog, the
//! execution role, the resource group) offers what the account holds.
//!
//! A WAI-ARIA 1.2 combobox with list autocomplete, not `<datalist>`: a datalist cannot show an unavailable
//! catalog as such, its popup is the browser's own (no name and id side by side, no theming), and it cannot be
//! driven by keys in headless Chromium, where the end-to-end tests run. The input stays an ordinary text box:
//! the list only offers, so a listing that fails or is empty costs nothing but a note.

use leptos::{prelude::*, task::spawn_local};
use workspace_model::{FieldKey, Text};

use super::{
    features,
    state::{FormCtx, REGION},
};
use crate::{
    api::{self, CallError, Choice, Listing},
    i18n::{self, tr},
};

/// What the account holds, per scope, once asked: a region for regional listings, `""` for account-wide ones.
type Lists = Vec<(String, Result<Vec<Choice>, CallError>)>;

/// One field's chooser: a few handles, `Copy`, so the input's handlers and the listbox share it.
#[derive(Clone, Copy)]
pub struct Chooser {
    listing: Listing,
    key: FieldKey,
    ctx: FormCtx,
    value: RwSignal<String>,
    lists: RwSignal<Lists>,
    /// Scopes asked for and not yet answered, so that focusing again does not ask twice.
    asked: StoredValue<Vec<String>>,
    open: RwSignal<bool>,
    /// Typed since the list opened: then it offers only what matches; a fresh look offers everything.
    filtering: RwSignal<bool>,
    /// The highlighted option, an index into `shown`.
    active: RwSignal<Option<usize>>,
    /// The options for what the field holds, worked out once per change of what they depend on.
    shown: Memo<Vec<Choice>>,
    pub list_id: StoredValue<String>,
}

/// The scope a listing is asked for: the region chosen for a regional one, `""` for one of the whole account.
fn scope(ctx: FormCtx, listing: Listing) -> String {
    if listing.regional() {
        ctx.fields().text(REGION).get()
    } else {
        String::new()
    }
}

impl Chooser {
    /// The chooser of a text field (`value`) that offers `listing`; `id` is the input's element id.
    pub fn new(
        listing: Listing,
        key: FieldKey,
        value: RwSignal<String>,
        ctx: FormCtx,
        id: &str,
    ) -> Chooser {
        let lists = RwSignal::new(Lists::new());
        let filtering = RwSignal::new(false);
        let shown = Memo::new(move |_| {
            // ASCII only: Unicode case tables would cost the bundle several KB, and names here are ASCII.
            let typed = value.get().to_ascii_lowercase();
            let query = if filtering.get() {
                api::query(listing, &typed)
            } else {
                Some("")
            };
            let Some(query) = query else {
                return Vec::new();
            };
            let scope = scope(ctx, listing);
            lists.with(|l| match l.iter().find(|(s, _)| *s == scope) {
                Some((_, Ok(choices))) => choices
                    .iter()
                    .filter(|c| {
                        [&c.value, &c.label, &c.detail]
                            .iter()
                            .any(|t| t.to_ascii_lowercase().contains(query))
                    })
                    .cloned()
                    .collect(),
                _ => Vec::new(),
            })
        });
        Chooser {
            listing,
            key,
            ctx,
            value,
            lists,
            asked: StoredValue::new(Vec::new()),
            open: RwSignal::new(false),
            filtering,
            active: RwSignal::new(None),
            shown,
            list_id: StoredValue::new(format!("{id}-choices")),
        }
    }

    fn with_list<T>(&self, f: impl FnOnce(Option<&Result<Vec<Choice>, CallError>>) -> T) -> T {
        let scope = scope(self.ctx, self.listing);
        self.lists
            .with(|l| f(l.iter().find(|(s, _)| *s == scope).map(|(_, r)| r)))
    }

    /// Asks for the scope's listing unless it is known: the first use of the field, not the page load, pays
    /// for it. Only a network failure, a timeout or a 401 (the token prompt may have been answered since) is
    /// asked again; any other answer, a refusal included, is kept.
    pub fn load(&self) {
        let scope = untrack(|| scope(self.ctx, self.listing));
        let known = self.lists.with_untracked(|l| {
            l.iter().any(|(s, r)| {
                *s == scope
                    && !matches!(
                        r,
                        Err(CallError::Network(_)
                            | CallError::Timeout
                            | CallError::Api { status: 401, .. })
                    )
            })
        });
        if known || self.asked.with_value(|a| a.contains(&scope)) {
            return;
        }
        self.asked.update_value(|a| a.push(scope.clone()));
        let (this, config) = (*self, self.ctx.api());
        spawn_local(async move {
            let answer = api::list_account(&config, this.listing, &scope).await;
            this.asked.try_update_value(|a| a.retain(|s| *s != scope));
            this.lists.try_update(|l| {
                l.retain(|(s, _)| *s != scope);
                l.push((scope, answer));
            });
        });
    }

    pub fn expanded(&self) -> bool {
        self.open.get() && self.shown.with(|s| !s.is_empty())
    }

    fn option_id(&self, index: usize) -> String {
        format!("{}-{index}", self.list_id.get_value())
    }

    pub fn active_id(&self) -> Option<String> {
        self.expanded()
            .then(|| self.active.get().map(|i| self.option_id(i)))
            .flatten()
    }

    /// What the list says when it cannot offer anything (reactive): why, so that typing is the obvious way on.
    pub fn note(&self) -> Option<String> {
        let locale = self.ctx.locale().get();
        let what = i18n::listing_words(self.listing).get(locale);
        self.with_list(|l| {
            let why = match l? {
                Ok(c) if c.is_empty() => {
                    return Some(i18n::LIST_EMPTY.get(locale).replace("{what}", what));
                }
                Ok(_) => return None,
                Err(CallError::Api { error, .. }) if !error.code.is_empty() => error.code.clone(),
                Err(CallError::Api { status, .. } | CallError::Unexpected { status, .. }) => {
                    format!("HTTP {status}")
                }
                Err(CallError::Timeout) => "timeout".to_owned(),
                Err(CallError::Network(_)) => "network".to_owned(),
            };
            Some(
                i18n::LIST_FAILED
                    .get(locale)
                    .replace("{what}", what)
                    .replace("{why}", &why),
            )
        })
    }

    /// Typing: offer what matches (of the region now chosen: it may have changed since the field was focused).
    pub fn typed(&self) {
        self.load();
        self.filtering.set(true);
        self.open.set(true);
        self.active.set(None);
    }

    /// A click into the field: offer everything.
    pub fn show_all(&self) {
        self.load();
        self.filtering.set(false);
        self.open.set(true);
    }

    pub fn close(&self) {
        self.open.set(false);
        self.active.set(None);
    }

    /// The combobox keys of WAI-ARIA 1.2: arrows move through the options (skipping unavailable ones, and
    /// opening the list), Enter chooses, Escape closes. Everything else is typing.
    pub fn key(&self, ev: &web_sys::KeyboardEvent) {
        let key = ev.key();
        let open = self.open.get_untracked();
        match key.as_str() {
            "ArrowDown" | "ArrowUp" => {
                ev.prevent_default();
                self.load();
                if !open {
                    self.filtering.set(false);
                    self.open.set(true);
                }
                let shown = self.shown.get_untracked();
                let n = shown.len();
                let from = self.active.get_untracked().filter(|_| open);
                let down = key == "ArrowDown";
                let next = (1..=n)
                    .map(|k| match (from, down) {
                        (None, true) => k - 1,
                        (None, false) => n - k,
                        (Some(i), true) => (i + k) % n,
                        (Some(i), false) => (i + n - k) % n,
                    })
                    .find(|&i| shown[i].unavailable.is_empty());
                self.active.set(next);
                if let Some(el) =
                    next.and_then(|i| document().get_element_by_id(&self.option_id(i)))
                {
                    el.scroll_into_view_with_bool(false);
                }
            }
            "Enter" if open => {
                let chosen = self
                    .active
                    .get_untracked()
                    .and_then(|i| self.shown.with_untracked(|s| s.get(i).cloned()));
                if let Some(choice) = chosen {
                    ev.prevent_default();
                    self.choose(&choice);
                }
            }
            "Escape" if open => {
                ev.prevent_default();
                self.close();
            }
            _ => {}
        }
    }

    pub fn choose(&self, choice: &Choice) {
        self.value.set(choice.value.clone());
        self.close();
        features::left(self.ctx, self.key);
    }
}

/// The popup: a listbox of the options, each its label and detail (a catalog's id, a role's description); an
/// unavailable one says why and cannot be chosen. Options are picked on `mousedown`, before the input would
/// lose focus and close the list.
pub fn listbox(chooser: Chooser, label: Text) -> impl IntoView {
    let (active, list_id, locale) = (chooser.active, chooser.list_id, chooser.ctx.locale());
    // The highlight is read here, not per option: the list is rebuilt on each arrow key, which for a few dozen
    // options costs less than a reactive attribute on every option costs the bundle.
    let options = move || {
        let active = active.get();
        chooser
            .shown
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, choice)| {
                let unavailable = !choice.unavailable.is_empty();
                let mut detail = choice.detail.clone();
                if unavailable {
                    let why = i18n::UNAVAILABLE
                        .get(locale.get())
                        .replace("{}", &choice.unavailable);
                    detail = if detail.is_empty() {
                        why
                    } else {
                        format!("{detail} · {why}")
                    };
                }
                let words = choice.label.clone();
                view! {
                    <li
                        id=format!("{}-{i}", list_id.get_value())
                        role="option"
                        class="ws-chooser__option"
                        aria-selected=(active == Some(i)).to_string()
                        aria-disabled=unavailable.then_some("true")
                        on:mousedown=move |ev| {
                            ev.prevent_default();
                            if !unavailable {
                                chooser.choose(&choice);
                            }
                        }
                    >
                        {words}
                        " "
                        <span class="ws-chooser__detail">{detail}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <ul
            id=list_id.get_value()
            role="listbox"
            class="ws-chooser"
            aria-label=tr(locale, label)
            hidden=move || !chooser.expanded()
        >
            {options}
        </ul>
    }
}
