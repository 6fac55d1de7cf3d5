//! The form's reactive state, shared by its components through context.

use leptos::prelude::*;
use workspace_model::{
    FIELDS, FieldError, FieldKey, FormState, Locale, TagRow,
    catalogue::{Control, Field, SUBSCRIPTION},
    validate, warnings,
};

const N: usize = FIELDS.len();

/// One row of an editable list. Tags use both strings; one-string lists (GPU instance types) use `value`.
/// The id is stable while rows are added and removed, so a row keeps its touched state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowSignals {
    pub id: u32,
    pub key: RwSignal<String>,
    pub value: RwSignal<String>,
}

/// A signal per field. Text, number and select values are strings (numbers are parsed by the model).
#[derive(Clone, Copy)]
pub struct FormSignals {
    text: [RwSignal<String>; N],
    flag: [RwSignal<bool>; N],
    tags: RwSignal<Vec<RowSignals>>,
    gpu_spec: RwSignal<Vec<RowSignals>>,
    next_row: StoredValue<u32>,
}

impl FormSignals {
    pub fn new(initial: &FormState) -> FormSignals {
        let signals = FormSignals {
            text: std::array::from_fn(|_| RwSignal::new(String::new())),
            flag: std::array::from_fn(|_| RwSignal::new(false)),
            tags: RwSignal::new(Vec::new()),
            gpu_spec: RwSignal::new(Vec::new()),
            next_row: StoredValue::new(0),
        };
        signals.load(initial);
        signals
    }

    pub fn text(&self, key: FieldKey) -> RwSignal<String> {
        self.text[key as usize]
    }

    pub fn flag(&self, key: FieldKey) -> RwSignal<bool> {
        self.flag[key as usize]
    }

    fn row_id(&self) -> u32 {
        let id = self.next_row.get_value();
        self.next_row.set_value(id + 1);
        id
    }

    /// The rows of a list parameter (`tag` or `gpuSpec`).
    pub fn rows(&self, key: FieldKey) -> RwSignal<Vec<RowSignals>> {
        if key == FieldKey::Tag {
            self.tags
        } else {
            self.gpu_spec
        }
    }

    pub fn new_row(&self, key: &str, value: &str) -> RowSignals {
        RowSignals {
            id: self.row_id(),
            key: RwSignal::new(key.to_owned()),
            value: RwSignal::new(value.to_owned()),
        }
    }

    /// What the form holds now (tracked: a memo over this reruns on any change).
    pub fn snapshot(&self) -> FormState {
        let mut form = FormState::default();
        for field in &FIELDS {
            match field.control {
                Control::Checkbox => {
                    form.set_flag(field.key, self.flag(field.key).get());
                }
                Control::TagList | Control::TextList => {}
                _ => {
                    form.set_text(field.key, &self.text(field.key).get());
                }
            }
        }
        form.tags = self
            .tags
            .get()
            .iter()
            .map(|r| TagRow::new(r.key.get(), r.value.get()))
            .collect();
        form.gpu_spec = self.gpu_spec.get().iter().map(|r| r.value.get()).collect();
        form
    }

    /// Replaces everything with `form` (defaults, a restored draft, or a fresh start).
    pub fn load(&self, form: &FormState) {
        for field in &FIELDS {
            match field.control {
                Control::Checkbox => self
                    .flag(field.key)
                    .set(form.flag(field.key).unwrap_or(false)),
                Control::TagList | Control::TextList => {}
                _ => self
                    .text(field.key)
                    .set(form.text(field.key).unwrap_or_default().to_owned()),
            }
        }
        let rows =
            |pairs: Vec<(&str, &str)>| pairs.into_iter().map(|(k, v)| self.new_row(k, v)).collect();
        self.tags.set(rows(
            form.tags
                .iter()
                .map(|t| (t.key.as_str(), t.value.as_str()))
                .collect(),
        ));
        self.gpu_spec.set(rows(
            form.gpu_spec.iter().map(|v| ("", v.as_str())).collect(),
        ));
    }

    /// Whether a field is part of the request; reads only the two signals that decide it.
    pub fn applies(&self, field: &Field) -> bool {
        field.applies.holds(
            || self.text(FieldKey::PaymentType).with(|p| p == SUBSCRIPTION),
            || self.flag(FieldKey::AutoRenew).get(),
        )
    }
}

/// An error the API reported for a field, shown until the user changes that field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerFieldError {
    pub path: String,
    pub message: String,
    /// The field's value when the error came back; editing it hides the error.
    pub value: String,
}

/// Everything the form's components share.
#[derive(Clone, Copy)]
pub struct FormCtx {
    pub fields: FormSignals,
    pub locale: RwSignal<Locale>,
    /// Touch keys of fields that lost focus: their errors show, then follow every keystroke.
    pub touched: RwSignal<Vec<String>>,
    /// After a submit attempt every error shows.
    pub show_all: RwSignal<bool>,
    pub snapshot: Memo<FormState>,
    pub errors: Memo<Vec<FieldError>>,
    pub warnings: Memo<Vec<FieldError>>,
    pub server_error: RwSignal<Option<ServerFieldError>>,
    prefix: StoredValue<String>,
}

impl FormCtx {
    pub fn new(fields: FormSignals, locale: RwSignal<Locale>, prefix: String) -> FormCtx {
        let snapshot = Memo::new(move |_| fields.snapshot());
        FormCtx {
            fields,
            locale,
            touched: RwSignal::new(Vec::new()),
            show_all: RwSignal::new(false),
            snapshot,
            errors: Memo::new(move |_| snapshot.with(|f| validate(f).err().unwrap_or_default())),
            warnings: Memo::new(move |_| snapshot.with(warnings)),
            server_error: RwSignal::new(None),
            prefix: StoredValue::new(prefix),
        }
    }

    /// The element id of a request path: `tag[3].key` → `ws-tag-3-key`.
    pub fn dom_id(&self, path: &str) -> String {
        let mut id = self.prefix.get_value();
        id.push('-');
        for c in path.chars() {
            match c {
                '.' | '[' => id.push('-'),
                ']' => {}
                c => id.push(c),
            }
        }
        id
    }

    pub fn prefixed(&self, name: &str) -> String {
        format!("{}-{name}", self.prefix.get_value())
    }

    pub fn touch(&self, key: &str) {
        // A handful of keys at most: a list beats a hash set, and costs the bundle less.
        if !self.touched.with_untracked(|t| t.iter().any(|k| k == key)) {
            self.touched.update(|t| t.push(key.to_owned()));
        }
    }

    /// The message to show at `path` (reactive), or `None`. `touch_key` says which blur reveals it.
    pub fn message_at(&self, path: &str, touch_key: &str) -> Option<String> {
        let locale = self.locale.get();
        if let Some(server) = self.server_error.get()
            && server.path == path
            && self.value_at(path) == server.value
        {
            return Some(server.message);
        }
        let revealed =
            self.show_all.get() || self.touched.with(|t| t.iter().any(|k| k == touch_key));
        if !revealed {
            return None;
        }
        self.errors.with(|errors| {
            errors
                .iter()
                .find(|e| e.path == path)
                .map(|e| e.message.get(locale).to_owned())
        })
    }

    /// The warning for a field, if any (shown at once: it is advice, not a mistake).
    pub fn warning_at(&self, path: &str) -> Option<String> {
        let locale = self.locale.get();
        self.warnings.with(|w| {
            w.iter()
                .find(|e| e.path == path)
                .map(|e| e.message.get(locale).to_owned())
        })
    }

    /// The current text at a request path (for matching a server error to what was sent).
    pub fn value_at(&self, path: &str) -> String {
        let Some(key) = FieldKey::from_path(path) else {
            return String::new();
        };
        let index = path
            .split_once('[')
            .and_then(|(_, rest)| rest.split(']').next())
            .and_then(|i| i.parse::<usize>().ok());
        match (key, index) {
            (FieldKey::Tag | FieldKey::GpuSpec, Some(i)) => self.fields.rows(key).with(|rows| {
                rows.get(i)
                    .map(|r| {
                        if path.ends_with(".key") {
                            r.key.get()
                        } else {
                            r.value.get()
                        }
                    })
                    .unwrap_or_default()
            }),
            (FieldKey::Tag | FieldKey::GpuSpec, None) => {
                self.fields.rows(key).with(|rows| rows.len().to_string())
            }
            (key, _) => match key.field().control {
                Control::Checkbox => self.fields.flag(key).get().to_string(),
                _ => self.fields.text(key).get(),
            },
        }
    }

    /// Moves keyboard focus to the control of a path (the first invalid field, a summary link).
    pub fn focus(&self, path: &str) {
        focus_element(&self.dom_id(path));
    }
}

/// Focuses an element by id, if it exists and can take focus.
pub fn focus_element(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}
