//! The form's reactive state, shared by its components through context. Both shared types are handles of a few
//! bytes: what they stand for is stored once, in the reactive arena, so every closure that captures one copies
//! eight bytes, not the form. Each accessor copies out the one small signal it is asked for, so no signal is ever
//! read while the arena is borrowed.

use leptos::prelude::*;

use crate::{
    api::{ApiConfig, Endpoint},
    submission::machine::Submission,
};
use workspace_model::{
    FIELDS, FieldKey, FieldPath, Finding, FormState, Locale, Policy, Text, Values,
    catalogue::{Control, MAX_LIST_PARTS},
    validate::check_field_under,
};

const N: usize = FieldKey::COUNT;

/// One row of an editable list: a signal per part. The id is stable while rows are added and removed, so the
/// view can tell rows apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowSignals {
    pub id: u32,
    pub cells: [RwSignal<String>; MAX_LIST_PARTS],
}

impl RowSignals {
    fn dispose(self) {
        for cell in self.cells {
            cell.dispose();
        }
    }
}

/// Where one field's value lives: the catalogue's control decides which. A field whose kind is not known where
/// it is read is matched on this, so it is only ever read as what it is.
#[derive(Clone, Copy)]
pub enum Slot {
    Text(RwSignal<String>),
    Flag(RwSignal<bool>),
    Rows(RwSignal<Vec<RowSignals>>),
}

/// A text, number or select field, named where its kind is known. Built in a `const`, where a field of another
/// kind is a compile error: [`FormSignals::text`] cannot be asked for a checkbox or a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextKey(FieldKey);

impl TextKey {
    pub const fn new(key: FieldKey) -> TextKey {
        assert!(
            matches!(
                FIELDS[key as usize].control,
                Control::Text | Control::Integer | Control::Select(_)
            ),
            "not a text field"
        );
        TextKey(key)
    }

    pub const fn key(self) -> FieldKey {
        self.0
    }
}

pub const REGION: TextKey = TextKey::new(FieldKey::RegionId);
pub const NAME: TextKey = TextKey::new(FieldKey::WorkspaceName);
pub const CLIENT_TOKEN: TextKey = TextKey::new(FieldKey::ClientToken);

struct Slots {
    slots: [Slot; N],
    next_row: u32,
}

/// A signal per field, behind a handle. Text, number and select values are strings (numbers are parsed by the
/// model).
#[derive(Clone, Copy)]
pub struct FormSignals(StoredValue<Slots>);

impl FormSignals {
    pub fn new(initial: &FormState) -> FormSignals {
        let signals = FormSignals(StoredValue::new(Slots {
            slots: std::array::from_fn(|i| match FIELDS[i].control {
                Control::Checkbox => Slot::Flag(RwSignal::new(false)),
                Control::List(_) => Slot::Rows(RwSignal::new(Vec::new())),
                _ => Slot::Text(RwSignal::new(String::new())),
            }),
            next_row: 0,
        }));
        signals.load(initial);
        signals
    }

    /// Where a field's value lives.
    pub fn slot(&self, key: FieldKey) -> Slot {
        self.0.with_value(|s| s.slots[key as usize])
    }

    /// The signal of a text, number or select field.
    pub fn text(&self, key: TextKey) -> RwSignal<String> {
        match self.slot(key.0) {
            Slot::Text(s) => s,
            // TextKey::new admits text fields only, and the slots follow the same catalogue.
            _ => unreachable!(),
        }
    }

    /// A row with its own signals, owned by the current owner: the list's (a row added with its button) or the
    /// form's (a loaded draft), both as long-lived as the form, which is what frees them at the latest. Holding an
    /// owner of our own for rows instead cost the bundle about 0.3 KB gzip (measured on the stable build).
    pub fn new_row(&self, cells: &[String]) -> RowSignals {
        let id = self
            .0
            .try_update_value(|s| {
                s.next_row += 1;
                s.next_row
            })
            .unwrap_or_default();
        RowSignals {
            id,
            cells: std::array::from_fn(|i| {
                RwSignal::new(cells.get(i).cloned().unwrap_or_default())
            }),
        }
    }

    /// Frees a row's signals when the current owner (the view that shows the row) is cleaned up and the row is
    /// no longer in its list (`rows`): removed, or replaced by [`FormSignals::load`]. A row still listed is shown
    /// again by the next view, which keeps it the same way.
    pub fn release_when_gone(rows: RwSignal<Vec<RowSignals>>, row: RowSignals) {
        on_cleanup(move || {
            // The form itself may be going, its lists first; then the row goes with it either way.
            let listed = rows
                .try_with_untracked(|r| r.iter().any(|x| x.id == row.id))
                .unwrap_or(false);
            if !listed {
                row.dispose();
            }
        });
    }

    /// Whether the form that owned these signals is gone.
    pub fn is_disposed(&self) -> bool {
        self.0.is_disposed()
    }

    /// What the form holds now, read without subscribing.
    pub fn snapshot(&self) -> FormState {
        untrack(|| {
            let mut form = FormState::default();
            for field in &FIELDS {
                match self.slot(field.key) {
                    Slot::Text(s) => form.set(field.key, s.get()),
                    Slot::Flag(s) => form.set_flag(field.key, s.get()),
                    Slot::Rows(s) => {
                        let parts = field.list().map_or(1, |l| l.parts.len());
                        *form.rows_mut(field.key) = s.with(|rows| {
                            rows.iter()
                                .map(|r| r.cells[..parts].iter().map(|c| c.get()).collect())
                                .collect()
                        });
                    }
                }
            }
            form
        })
    }

    /// Reads every value, so the caller reruns whenever anything changes (and does nothing else).
    pub fn track_all(&self) {
        for key in FieldKey::ALL {
            match self.slot(key) {
                Slot::Text(s) => s.track(),
                Slot::Flag(s) => s.track(),
                Slot::Rows(s) => {
                    s.with(|rows| rows.iter().flat_map(|r| r.cells).for_each(|c| c.track()))
                }
            }
        }
    }

    /// Brings every value to `form`'s (defaults, a restored draft, a fresh start, a policy that arrived): only
    /// what differs is set, so a list whose rows are unchanged keeps its rows (and the focus in them) and
    /// nothing reruns for a value that is already there. The rows it replaces are freed as their views go
    /// ([`FormSignals::release_when_gone`]).
    pub fn load(&self, form: &FormState) {
        let now = self.snapshot();
        for key in FieldKey::ALL {
            match self.slot(key) {
                Slot::Text(s) if now.get(key) != form.get(key) => s.set(form.get(key).to_owned()),
                Slot::Flag(s) if now.get(key) != form.get(key) => s.set(form.flag(key)),
                Slot::Rows(s) if now.rows(key) != form.rows(key) => {
                    s.set(form.rows(key).iter().map(|r| self.new_row(r)).collect())
                }
                _ => {}
            }
        }
    }
}

/// Reading through this subscribes to exactly what a rule reads: a field's findings are recomputed only when a
/// value they depend on changes.
impl Values for FormSignals {
    fn text(&self, key: FieldKey) -> String {
        match self.slot(key) {
            Slot::Text(s) => s.get(),
            Slot::Flag(s) => s.get().to_string(),
            Slot::Rows(_) => String::new(),
        }
    }

    fn rows(&self, key: FieldKey) -> usize {
        match self.slot(key) {
            Slot::Rows(s) => s.with(Vec::len),
            _ => 0,
        }
    }

    fn cell(&self, key: FieldKey, row: usize, part: usize) -> String {
        match self.slot(key) {
            Slot::Rows(s) => s
                .with(|rows| rows.get(row).and_then(|r| r.cells.get(part).copied()))
                .map(|c| c.get())
                .unwrap_or_default(),
            _ => String::new(),
        }
    }

    fn flag(&self, key: FieldKey) -> bool {
        match self.slot(key) {
            Slot::Flag(s) => s.get(),
            _ => false,
        }
    }
}

/// An error the API reported for a position, shown until the user changes the value there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerFieldError {
    pub path: FieldPath,
    pub message: String,
    /// The value when the error came back; editing it hides the error.
    pub value: String,
}

/// What was found about a field: by its own check (a name the region already has, a role Spark may not assume;
/// see `features`), or by the policy (a value it did not allow, replaced). What it is about, so it shows only
/// while the form still holds that (`features::about`), and what to say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub about: String,
    /// The words, with `{}` for `arg`.
    pub text: Text,
    pub arg: String,
}

/// A field's check of its own, named in the features table (`features`). It keeps what it finds in the form's
/// [`FormCtx::found`] slot of the field; the form shows that as the field's warning (a hint, never a refusal)
/// while the form still holds what the finding is about.
pub struct Warning {
    /// What a finding is about, as the form holds it now (reactive).
    pub about: fn(FormCtx) -> String,
    /// Sets the check up when the form is made (a check that follows typing starts watching).
    pub start: fn(FormCtx),
    /// Runs when the field is left, or a choice is made in it.
    pub left: fn(FormCtx),
}

struct FormInner {
    fields: FormSignals,
    policy: RwSignal<Policy>,
    policy_failed: RwSignal<bool>,
    locale: RwSignal<Locale>,
    touched: RwSignal<Vec<FieldPath>>,
    show_all: RwSignal<bool>,
    findings: [Memo<Vec<Finding>>; N],
    found: [RwSignal<Option<Found>>; N],
    server_error: RwSignal<Option<ServerFieldError>>,
    submission: RwSignal<Submission>,
    endpoint: Endpoint,
    prefix: String,
}

/// Everything the form's components share, behind a handle.
#[derive(Clone, Copy)]
pub struct FormCtx(StoredValue<FormInner>);

impl FormCtx {
    pub fn new(
        fields: FormSignals,
        locale: RwSignal<Locale>,
        prefix: String,
        endpoint: Endpoint,
    ) -> FormCtx {
        // No policy until the server's arrives: the form works meanwhile, under the api and console rules.
        let policy = RwSignal::new(Policy::NONE);
        FormCtx(StoredValue::new(FormInner {
            fields,
            policy,
            policy_failed: RwSignal::new(false),
            locale,
            touched: RwSignal::new(Vec::new()),
            show_all: RwSignal::new(false),
            findings: std::array::from_fn(|i| {
                let key = FIELDS[i].key;
                Memo::new(move |_| policy.with(|p| check_field_under(&fields, key, p)))
            }),
            found: std::array::from_fn(|_| RwSignal::new(None)),
            server_error: RwSignal::new(None),
            submission: RwSignal::new(Submission::default()),
            endpoint,
            prefix,
        }))
    }

    pub fn fields(&self) -> FormSignals {
        self.0.with_value(|i| i.fields)
    }

    /// The server's guardrails: [`Policy::NONE`] until they arrive (see `policy`). The fields' views read it
    /// untracked when they are built, and are built again when it changes (see `form::sections`).
    pub fn policy(&self) -> RwSignal<Policy> {
        self.0.with_value(|i| i.policy)
    }

    /// Whether the policy could not be fetched: the form says so and works without it (the server still
    /// enforces it).
    pub fn policy_failed(&self) -> RwSignal<bool> {
        self.0.with_value(|i| i.policy_failed)
    }

    pub fn locale(&self) -> RwSignal<Locale> {
        self.0.with_value(|i| i.locale)
    }

    /// Positions that were left after a change: their findings show, then follow every keystroke.
    pub fn touched(&self) -> RwSignal<Vec<FieldPath>> {
        self.0.with_value(|i| i.touched)
    }

    /// After a submit attempt every error shows.
    pub fn show_all(&self) -> RwSignal<bool> {
        self.0.with_value(|i| i.show_all)
    }

    pub fn server_error(&self) -> RwSignal<Option<ServerFieldError>> {
        self.0.with_value(|i| i.server_error)
    }

    /// Where the submission is (the state machine of [`crate::submission::machine`]).
    pub fn submission(&self) -> RwSignal<Submission> {
        self.0.with_value(|i| i.submission)
    }

    /// The submission, unless the form is gone (an answer that arrives after it was removed).
    pub fn try_submission(&self) -> Option<RwSignal<Submission>> {
        self.0.try_with_value(|i| i.submission)
    }

    /// The API, reactively.
    pub fn endpoint(&self) -> Endpoint {
        self.0.with_value(|i| i.endpoint)
    }

    /// What was found about the field (see [`Found`]).
    pub fn found(&self, key: FieldKey) -> RwSignal<Option<Found>> {
        self.0.with_value(|i| i.found[key as usize])
    }

    /// What a call to the API needs now (read without subscribing). Safe after the form is gone (a timer that
    /// fires late): it then describes the page's origin without a token.
    pub fn api(&self) -> ApiConfig {
        self.0
            .try_with_value(|i| i.endpoint)
            .map(|e| e.config())
            .unwrap_or_default()
    }

    /// The findings of one field (reactive).
    pub fn findings(&self, key: FieldKey) -> Memo<Vec<Finding>> {
        self.0.with_value(|i| i.findings[key as usize])
    }

    /// Every error of the form, in form order (reactive).
    pub fn errors(&self) -> Vec<Finding> {
        FieldKey::ALL
            .iter()
            .flat_map(|k| self.findings(*k).get().into_iter().filter(Finding::refuses))
            .collect()
    }

    /// Whether the form has any error (reactive).
    pub fn has_errors(&self) -> bool {
        FieldKey::ALL
            .iter()
            .any(|k| self.findings(*k).with(|f| f.iter().any(Finding::refuses)))
    }

    /// The element id of a position: `tag[3].key` → `ws-tag-3-key`.
    pub fn dom_id(&self, path: FieldPath) -> String {
        self.prefixed(&path.id_fragment())
    }

    pub fn prefixed(&self, name: &str) -> String {
        self.0.with_value(|i| format!("{}-{name}", i.prefix))
    }

    pub fn touch(&self, path: FieldPath) {
        // A handful of positions at most: a list beats a set, and costs the bundle less.
        let touched = self.touched();
        if !touched.with_untracked(|t| t.contains(&path)) {
            touched.update(|t| t.push(path));
        }
    }

    /// Forgets a removed list row: positions below it move up one, as the rows do.
    pub fn forget_row(&self, key: FieldKey, row: usize) {
        self.touched().update(|t| {
            t.retain(|p| !(p.key == key && p.row == Some(row)));
            for p in t.iter_mut().filter(|p| p.key == key) {
                if let Some(r) = p.row.filter(|r| *r > row) {
                    p.row = Some(r - 1);
                }
            }
        });
    }

    /// Whether findings at `path` are shown: after a submit attempt, or once the position (for a list as a
    /// whole: any of its rows) was left.
    fn revealed(&self, path: FieldPath) -> bool {
        self.show_all().get()
            || self.touched().with(|t| {
                t.iter()
                    .any(|p| *p == path || (path.row.is_none() && p.key == path.key))
            })
    }

    /// The error to show at `path` (reactive), or `None`.
    pub fn message_at(&self, path: FieldPath) -> Option<String> {
        if let Some(server) = self.server_error().get()
            && server.path == path
            && self.value_at(path) == server.value
        {
            return Some(server.message);
        }
        self.finding_at(path, true)
    }

    /// The warning to show at `path` (reactive), or `None`: what was found about the field (by its own check,
    /// or the policy's note on a value it replaced) while the form still holds what that was `about`, else a
    /// hint of the rules.
    pub fn warning_at(&self, path: FieldPath, about: impl Fn() -> String) -> Option<String> {
        if path.row.is_none()
            && let Some(found) = self.found(path.key).get()
            && about() == found.about
        {
            return Some(
                found
                    .text
                    .get(self.locale().get())
                    .replace("{}", &found.arg),
            );
        }
        self.finding_at(path, false)
    }

    fn finding_at(&self, path: FieldPath, refusing: bool) -> Option<String> {
        if !self.revealed(path) {
            return None;
        }
        let locale = self.locale().get();
        self.findings(path.key).with(|findings| {
            findings
                .iter()
                .find(|f| f.path == path && f.refuses() == refusing)
                .map(|f| f.message.get(locale).to_owned())
        })
    }

    /// The text at a position (for matching a server error to what was sent).
    pub fn value_at(&self, path: FieldPath) -> String {
        let fields = self.fields();
        match (path.row, path.part) {
            (Some(row), Some(part)) => fields.cell(path.key, row, part),
            (Some(_), None) => String::new(),
            (None, _) if path.key.field().list().is_some() => fields.rows(path.key).to_string(),
            (None, _) => Values::text(&fields, path.key),
        }
    }

    /// Moves keyboard focus to the control of a position (the first invalid field, a summary link). A list as a
    /// whole focuses its first row, or the list when it has none.
    pub fn focus(&self, path: FieldPath) {
        let path = match (path.row, self.fields().slot(path.key)) {
            (None, Slot::Rows(rows)) if rows.with_untracked(|r| !r.is_empty()) => {
                FieldPath::cell(path.key, 0, 0)
            }
            _ => path,
        };
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

#[cfg(test)]
mod tests {
    use super::*;

    fn two_tags() -> FormState {
        FormState::new().with_rows(FieldKey::Tag, &[["a", "1"], ["b", "2"]])
    }

    fn tags(fields: FormSignals) -> RwSignal<Vec<RowSignals>> {
        match fields.slot(FieldKey::Tag) {
            Slot::Rows(rows) => rows,
            _ => panic!("the tags are a list"),
        }
    }

    /// Shows the rows of the tag list under a fresh owner, as the list view does on each render.
    fn show(fields: FormSignals) -> Owner {
        let view = Owner::new();
        view.with(|| {
            let rows = tags(fields);
            for row in rows.get_untracked() {
                FormSignals::release_when_gone(rows, row);
            }
        });
        view
    }

    #[test]
    fn a_text_key_admits_text_fields_only() {
        assert_eq!(TextKey::new(FieldKey::Cu).key(), FieldKey::Cu);
        for other in [FieldKey::Tag, FieldKey::AutoRenew] {
            let refused = std::panic::catch_unwind(|| TextKey::new(other));
            assert!(refused.is_err(), "{other:?} taken for text");
        }
    }

    #[test]
    fn each_field_is_kept_as_its_kind_and_read_back() {
        let owner = Owner::new();
        owner.set();
        let fields = FormSignals::new(&two_tags().with(FieldKey::WorkspaceName, "etl"));
        assert!(matches!(fields.slot(FieldKey::AutoRenew), Slot::Flag(_)));
        assert!(matches!(fields.slot(FieldKey::RegionId), Slot::Text(_)));
        assert_eq!(fields.text(NAME).get_untracked(), "etl");
        fields.text(NAME).set("etl-2".into());
        let snap = fields.snapshot();
        assert_eq!(snap.get(FieldKey::WorkspaceName), "etl-2");
        assert_eq!(snap.rows(FieldKey::Tag).len(), 2);
    }

    #[test]
    fn a_removed_row_is_freed_when_its_view_goes_and_the_others_are_kept() {
        let form = Owner::new();
        form.set();
        let fields = FormSignals::new(&two_tags());
        let rows = tags(fields);
        let [a, b] = rows.get_untracked()[..] else {
            panic!("two rows")
        };
        let view = show(fields);
        rows.update(|r| r.retain(|x| x.id != a.id));
        assert!(
            !a.cells[0].is_disposed(),
            "freed while its view may still read it"
        );
        view.cleanup();
        assert!(a.cells.iter().all(|c| c.is_disposed()));
        assert!(b.cells.iter().all(|c| !c.is_disposed()));
        assert_eq!(b.cells[0].get_untracked(), "b");

        // Replacing the draft frees the rows it replaced, once their views go.
        let view = show(fields);
        fields.load(&FormState::new().with_rows(FieldKey::Tag, &[["c", ""]]));
        view.cleanup();
        assert!(b.cells.iter().all(|c| c.is_disposed()));
        assert_eq!(fields.cell(FieldKey::Tag, 0, 0), "c");
    }
}
