//! Read access to a form's values, whatever holds them.
//!
//! Rules read values through this trait, so the same rule code runs over a [`crate::FormState`] (servers, a
//! submit) and over the browser's reactive signals, where reading through it subscribes to exactly the values a
//! rule looked at: a keystroke re-checks only the fields that depend on what changed.

use crate::key::FieldKey;

/// The `paymentType` of subscription billing, which brings in the subscription fields.
pub const SUBSCRIPTION: &str = "Pre";

pub trait Values {
    /// The text of a scalar field (`"true"`/`"false"` for a checkbox, `""` when absent). `""` for lists.
    fn text(&self, key: FieldKey) -> String;
    /// How many rows a list field has (0 for scalars).
    fn rows(&self, key: FieldKey) -> usize;
    /// The text of part `part` of row `row` of a list field (`""` when there is none).
    fn cell(&self, key: FieldKey, row: usize, part: usize) -> String;

    /// Whether a checkbox field is ticked.
    fn flag(&self, key: FieldKey) -> bool {
        self.text(key) == "true"
    }

    /// Whether a field is part of the request: subscription fields only for `Pre`, renewal fields only with
    /// auto-renew on. Reads only the values the condition needs.
    fn applies(&self, key: FieldKey) -> bool {
        key.field().applies.holds(
            || self.text(FieldKey::PaymentType) == SUBSCRIPTION,
            || self.flag(FieldKey::AutoRenew),
        )
    }
}
