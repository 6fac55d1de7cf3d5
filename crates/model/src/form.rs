//! What a person typed, or a server read: the text of every scalar field and the rows of every list, nothing
//! parsed yet.
//!
//! Values are held per [`FieldKey`], so a new parameter needs no new member here. Fields that do not apply
//! (subscription fields under pay-as-you-go) keep their values, so switching back restores them; validation and
//! the request body leave them out.

use crate::{
    catalogue::{Control, FIELDS, SUBSCRIPTION},
    key::FieldKey,
    values::Values,
};

/// One row of a list parameter: one string per part of its [`crate::catalogue::ListSpec`].
pub type Row = Vec<String>;

/// The state of a form. Checkboxes hold `"true"`/`"false"` (`""` when a server received none).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormState {
    text: [String; FieldKey::COUNT],
    rows: [Vec<Row>; FieldKey::COUNT],
}

impl FormState {
    /// A new form with the catalogue's defaults (region, billing, units, role, DLF version, unticked boxes).
    pub fn new() -> FormState {
        let mut form = FormState::default();
        for f in &FIELDS {
            if !matches!(f.control, Control::List(_)) {
                form.set(f.key, f.default);
            }
        }
        form
    }

    /// The text of a scalar field.
    pub fn get(&self, key: FieldKey) -> &str {
        &self.text[key as usize]
    }

    pub fn set(&mut self, key: FieldKey, value: impl Into<String>) {
        self.text[key as usize] = value.into();
    }

    /// Sets a field and returns the form, for building forms in one expression.
    pub fn with(mut self, key: FieldKey, value: impl Into<String>) -> FormState {
        self.set(key, value);
        self
    }

    /// Whether a checkbox field is ticked.
    pub fn flag(&self, key: FieldKey) -> bool {
        self.get(key) == "true"
    }

    pub fn set_flag(&mut self, key: FieldKey, value: bool) {
        self.set(key, if value { "true" } else { "false" });
    }

    /// The rows of a list field.
    pub fn rows(&self, key: FieldKey) -> &[Row] {
        &self.rows[key as usize]
    }

    pub fn rows_mut(&mut self, key: FieldKey) -> &mut Vec<Row> {
        &mut self.rows[key as usize]
    }

    /// Replaces the rows of a list field, for building forms in one expression.
    pub fn with_rows<const N: usize>(mut self, key: FieldKey, rows: &[[&str; N]]) -> FormState {
        self.rows[key as usize] = rows
            .iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect();
        self
    }

    /// Whether subscription billing is chosen, which brings in the subscription fields.
    pub fn is_subscription(&self) -> bool {
        self.get(FieldKey::PaymentType) == SUBSCRIPTION
    }
}

impl Values for FormState {
    fn text(&self, key: FieldKey) -> String {
        self.get(key).to_owned()
    }

    fn rows(&self, key: FieldKey) -> usize {
        self.rows[key as usize].len()
    }

    fn cell(&self, key: FieldKey, row: usize, part: usize) -> String {
        self.rows[key as usize]
            .get(row)
            .and_then(|r| r.get(part))
            .cloned()
            .unwrap_or_default()
    }

    fn flag(&self, key: FieldKey) -> bool {
        FormState::flag(self, key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::DEFAULT_RAM_ROLE;

    #[test]
    fn new_form_holds_the_catalogue_defaults() {
        let form = FormState::new();
        assert_eq!(form.get(FieldKey::RegionId), "cn-hangzhou");
        assert_eq!(form.get(FieldKey::PaymentType), "PayAsYouGo");
        assert_eq!(form.get(FieldKey::RamRoleName), DEFAULT_RAM_ROLE);
        assert_eq!(form.get(FieldKey::DlfType), "dlf1.0");
        assert_eq!(form.get(FieldKey::PaymentDurationUnit), "MONTH");
        assert!(!form.flag(FieldKey::AutoRenew) && !form.flag(FieldKey::AutoStartSessionCluster));
        assert_eq!(form.get(FieldKey::AutoRenew), "false");
        assert!(form.rows(FieldKey::Tag).is_empty() && form.rows(FieldKey::GpuSpec).is_empty());
        assert!(!form.is_subscription());
    }

    #[test]
    fn cells_beyond_a_row_or_the_rows_read_as_empty() {
        let form = FormState::new().with_rows(FieldKey::GpuSpec, &[["ecs.gn7i-c8g1.2xlarge"]]);
        assert_eq!(
            Values::cell(&form, FieldKey::GpuSpec, 0, 0),
            "ecs.gn7i-c8g1.2xlarge"
        );
        assert_eq!(Values::cell(&form, FieldKey::GpuSpec, 0, 1), "");
        assert_eq!(Values::cell(&form, FieldKey::GpuSpec, 1, 0), "");
        assert_eq!(Values::rows(&form, FieldKey::Tag), 0);
    }
}
