//! The form's reactive state, shared by its components through context.

use leptos::prelude::*;

use crate::{api::Endpoint, submission::Submission};
use workspace_model::{
    FIELDS, FieldKey, FieldPath, Finding, FormState, Locale, Values,
    catalogue::{Control, MAX_LIST_PARTS},
    check_field,
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

/// Where one field's value lives: the catalogue's control decides which.
#[derive(Clone, Copy)]
enum Slot {
    Text(RwSignal<String>),
    Flag(RwSignal<bool>),
    Rows(RwSignal<Vec<RowSignals>>),
}

/// A signal per field. Text, number and select values are strings (numbers are parsed by the model).
#[derive(Clone, Copy)]
pub struct FormSignals {
    slots: [Slot; N],
    next_row: StoredValue<u32>,
}

impl FormSignals {
    pub fn new(initial: &FormState) -> FormSignals {
        let signals = FormSignals {
            slots: std::array::from_fn(|i| match FIELDS[i].control {
                Control::Checkbox => Slot::Flag(RwSignal::new(false)),
                Control::List(_) => Slot::Rows(RwSignal::new(Vec::new())),
                _ => Slot::Text(RwSignal::new(String::new())),
            }),
            next_row: StoredValue::new(0),
        };
        signals.load(initial);
        signals
    }

    /// The signal of a text, number or select field. Other kinds get a detached signal nothing reads.
    pub fn text_signal(&self, key: FieldKey) -> RwSignal<String> {
        match self.slots[key as usize] {
            Slot::Text(s) => s,
            _ => RwSignal::new(String::new()),
        }
    }

    /// The signal of a checkbox field (a detached one for other kinds).
    pub fn flag_signal(&self, key: FieldKey) -> RwSignal<bool> {
        match self.slots[key as usize] {
            Slot::Flag(s) => s,
            _ => RwSignal::new(false),
        }
    }

    /// The rows of a list field (a detached list for other kinds).
    pub fn rows_signal(&self, key: FieldKey) -> RwSignal<Vec<RowSignals>> {
        match self.slots[key as usize] {
            Slot::Rows(s) => s,
            _ => RwSignal::new(Vec::new()),
        }
    }

    /// A row with its own signals, owned by the current owner: the list's (a row added with its button) or the
    /// form's (a loaded draft), both as long-lived as the form, which is what frees them at the latest. Holding an
    /// owner of our own for rows instead cost the bundle about 0.3 KB gzip (measured on the stable build).
    pub fn new_row(&self, cells: &[String]) -> RowSignals {
        let id = self.next_row.get_value();
        self.next_row.set_value(id + 1);
        RowSignals {
            id,
            cells: std::array::from_fn(|i| {
                RwSignal::new(cells.get(i).cloned().unwrap_or_default())
            }),
        }
    }

    /// Frees a row's signals when the current owner (the view that shows the row) is cleaned up and the row is
    /// no longer in its list: removed, or replaced by [`FormSignals::load`]. A row still listed is shown again
    /// by the next view, which keeps it the same way.
    pub fn release_when_gone(&self, key: FieldKey, row: RowSignals) {
        let rows = self.rows_signal(key);
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
        self.text_signal(FieldKey::RegionId).is_disposed()
    }

    /// What the form holds now, read without subscribing.
    pub fn snapshot(&self) -> FormState {
        untrack(|| {
            let mut form = FormState::default();
            for field in &FIELDS {
                match self.slots[field.key as usize] {
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
        for slot in &self.slots {
            match slot {
                Slot::Text(s) => s.track(),
                Slot::Flag(s) => s.track(),
                Slot::Rows(s) => {
                    s.with(|rows| rows.iter().flat_map(|r| r.cells).for_each(|c| c.track()))
                }
            }
        }
    }

    /// Replaces everything with `form` (defaults, a restored draft, or a fresh start). The rows it replaces are
    /// freed as their views go ([`FormSignals::release_when_gone`]).
    pub fn load(&self, form: &FormState) {
        for field in &FIELDS {
            match self.slots[field.key as usize] {
                Slot::Text(s) => s.set(form.get(field.key).to_owned()),
                Slot::Flag(s) => s.set(form.flag(field.key)),
                Slot::Rows(s) => s.set(
                    form.rows(field.key)
                        .iter()
                        .map(|r| self.new_row(r))
                        .collect(),
                ),
            }
        }
    }
}

/// Reading through this subscribes to exactly what a rule reads: a field's findings are recomputed only when a
/// value they depend on changes.
impl Values for FormSignals {
    fn text(&self, key: FieldKey) -> String {
        match self.slots[key as usize] {
            Slot::Text(s) => s.get(),
            Slot::Flag(s) => s.get().to_string(),
            Slot::Rows(_) => String::new(),
        }
    }

    fn rows(&self, key: FieldKey) -> usize {
        match self.slots[key as usize] {
            Slot::Rows(s) => s.with(Vec::len),
            _ => 0,
        }
    }

    fn cell(&self, key: FieldKey, row: usize, part: usize) -> String {
        match self.slots[key as usize] {
            Slot::Rows(s) => s
                .with(|rows| rows.get(row).and_then(|r| r.cells.get(part).copied()))
                .map(|c| c.get())
                .unwrap_or_default(),
            _ => String::new(),
        }
    }

    fn flag(&self, key: FieldKey) -> bool {
        match self.slots[key as usize] {
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

/// Everything the form's components share.
#[derive(Clone, Copy)]
pub struct FormCtx {
    pub fields: FormSignals,
    pub locale: RwSignal<Locale>,
    /// Positions that were left after a change: their findings show, then follow every keystroke.
    pub touched: RwSignal<Vec<FieldPath>>,
    /// After a submit attempt every error shows.
    pub show_all: RwSignal<bool>,
    /// Each field's findings (errors and hints), recomputed only when a value it reads changes.
    findings: [Memo<Vec<Finding>>; N],
    pub server_error: RwSignal<Option<ServerFieldError>>,
    /// Where the submission is (the state machine of [`crate::submission`]).
    pub submission: RwSignal<Submission>,
    /// The API, reactively.
    pub endpoint: Endpoint,
    /// A workspace name the region already has, as ListWorkspaces reported it: `(region, name)`.
    pub name_taken: RwSignal<Option<(String, String)>>,
    /// A role GetRole found wanting: `(name, whether it exists)` (it exists but Spark may not assume it).
    pub role_problem: RwSignal<Option<(String, bool)>>,
    prefix: StoredValue<String>,
}

impl FormCtx {
    pub fn new(
        fields: FormSignals,
        locale: RwSignal<Locale>,
        prefix: String,
        endpoint: Endpoint,
    ) -> FormCtx {
        FormCtx {
            fields,
            locale,
            touched: RwSignal::new(Vec::new()),
            show_all: RwSignal::new(false),
            findings: std::array::from_fn(|i| {
                let key = FIELDS[i].key;
                Memo::new(move |_| check_field(&fields, key))
            }),
            server_error: RwSignal::new(None),
            submission: RwSignal::new(Submission::default()),
            endpoint,
            name_taken: RwSignal::new(None),
            role_problem: RwSignal::new(None),
            prefix: StoredValue::new(prefix),
        }
    }

    /// What a call to the API needs now (read without subscribing).
    pub fn api(&self) -> crate::api::ApiConfig {
        self.endpoint.config()
    }

    /// The findings of one field (reactive).
    pub fn findings(&self, key: FieldKey) -> Memo<Vec<Finding>> {
        self.findings[key as usize]
    }

    /// Every error of the form, in form order (reactive).
    pub fn errors(&self) -> Vec<Finding> {
        self.findings
            .iter()
            .flat_map(|m| m.get().into_iter().filter(Finding::refuses))
            .collect()
    }

    /// Whether the form has any error (reactive).
    pub fn has_errors(&self) -> bool {
        self.findings
            .iter()
            .any(|m| m.with(|f| f.iter().any(Finding::refuses)))
    }

    /// The element id of a position: `tag[3].key` → `ws-tag-3-key`.
    pub fn dom_id(&self, path: FieldPath) -> String {
        format!("{}-{}", self.prefix.get_value(), path.id_fragment())
    }

    pub fn prefixed(&self, name: &str) -> String {
        format!("{}-{name}", self.prefix.get_value())
    }

    pub fn touch(&self, path: FieldPath) {
        // A handful of positions at most: a list beats a set, and costs the bundle less.
        if !self.touched.with_untracked(|t| t.contains(&path)) {
            self.touched.update(|t| t.push(path));
        }
    }

    /// Forgets a removed list row: positions below it move up one, as the rows do.
    pub fn forget_row(&self, key: FieldKey, row: usize) {
        self.touched.update(|t| {
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
        self.show_all.get()
            || self.touched.with(|t| {
                t.iter()
                    .any(|p| *p == path || (path.row.is_none() && p.key == path.key))
            })
    }

    /// The error to show at `path` (reactive), or `None`.
    pub fn message_at(&self, path: FieldPath) -> Option<String> {
        if let Some(server) = self.server_error.get()
            && server.path == path
            && self.value_at(path) == server.value
        {
            return Some(server.message);
        }
        self.finding_at(path, true)
    }

    /// The warning (a hint) to show at `path` (reactive), or `None`. For the name, that includes a name the
    /// region already has, said while it is typed; for the role, one the account lacks or Spark may not assume.
    pub fn warning_at(&self, path: FieldPath) -> Option<String> {
        if path == FieldPath::field(FieldKey::WorkspaceName)
            && let Some((region, name)) = self.name_taken.get()
            && Values::text(&self.fields, FieldKey::RegionId) == region
            && Values::text(&self.fields, FieldKey::WorkspaceName) == name
        {
            return Some(
                crate::i18n::NAME_TAKEN
                    .get(self.locale.get())
                    .replace("{}", &name),
            );
        }
        if path == FieldPath::field(FieldKey::RamRoleName)
            && let Some((role, exists)) = self.role_problem.get()
            && Values::text(&self.fields, FieldKey::RamRoleName) == role
        {
            let text = if exists {
                crate::i18n::ROLE_UNTRUSTED
            } else {
                crate::i18n::ROLE_MISSING
            };
            return Some(text.get(self.locale.get()).replace("{}", &role));
        }
        self.finding_at(path, false)
    }

    fn finding_at(&self, path: FieldPath, refusing: bool) -> Option<String> {
        if !self.revealed(path) {
            return None;
        }
        let locale = self.locale.get();
        self.findings(path.key).with(|findings| {
            findings
                .iter()
                .find(|f| f.path == path && f.refuses() == refusing)
                .map(|f| f.message.get(locale).to_owned())
        })
    }

    /// The text at a position (for matching a server error to what was sent).
    pub fn value_at(&self, path: FieldPath) -> String {
        match (path.row, path.part) {
            (Some(row), Some(part)) => self.fields.cell(path.key, row, part),
            (Some(_), None) => String::new(),
            (None, _) if path.key.field().list().is_some() => {
                self.fields.rows(path.key).to_string()
            }
            (None, _) => Values::text(&self.fields, path.key),
        }
    }

    /// Moves keyboard focus to the control of a position (the first invalid field, a summary link). A list as a
    /// whole focuses its first row, or the list when it has none.
    pub fn focus(&self, path: FieldPath) {
        let path = match (path.row, path.key.field().list()) {
            (None, Some(_))
                if self
                    .fields
                    .rows_signal(path.key)
                    .with_untracked(|r| !r.is_empty()) =>
            {
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

    /// Shows the rows of the tag list under a fresh owner, as the list view does on each render.
    fn show(fields: FormSignals) -> Owner {
        let view = Owner::new();
        view.with(|| {
            for row in fields.rows_signal(FieldKey::Tag).get_untracked() {
                fields.release_when_gone(FieldKey::Tag, row);
            }
        });
        view
    }

    #[test]
    fn a_removed_row_is_freed_when_its_view_goes_and_the_others_are_kept() {
        let form = Owner::new();
        form.set();
        let fields = FormSignals::new(&two_tags());
        let rows = fields.rows_signal(FieldKey::Tag);
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
