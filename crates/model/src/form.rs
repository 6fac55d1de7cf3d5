//! What a person typed: strings and booleans, nothing parsed yet.
//!
//! Fields that do not apply (subscription fields under pay-as-you-go) keep their values here, so switching back
//! restores them; [`crate::validate`] leaves them out of the request.

use crate::catalogue::{Control, FIELDS, FieldKey};

/// One editable tag row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagRow {
    pub key: String,
    pub value: String,
}

impl TagRow {
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> TagRow {
        TagRow {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// The state of the form. Text and select values are strings; checkboxes are booleans; lists are rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormState {
    pub region_id: String,
    pub workspace_name: String,
    pub cu: String,
    pub gpu: String,
    pub gpu_spec: Vec<String>,
    pub oss_bucket: String,
    pub dlf_type: String,
    pub dlf_catalog_id: String,
    pub payment_type: String,
    pub duration: String,
    pub payment_duration_unit: String,
    pub auto_renew: bool,
    pub auto_renew_period: String,
    pub auto_renew_period_unit: String,
    pub ram_role_name: String,
    pub resource_group_id: String,
    pub tags: Vec<TagRow>,
    pub release_type: String,
    pub auto_start_session_cluster: bool,
    pub client_token: String,
}

impl FormState {
    /// A new form with the catalogue's defaults (region, billing, units, role, DLF version).
    pub fn new() -> FormState {
        let mut form = FormState::default();
        for f in &FIELDS {
            match f.control {
                Control::Checkbox => {
                    form.set_flag(f.key, f.default == "true");
                }
                Control::TagList | Control::TextList => {}
                _ => {
                    form.set_text(f.key, f.default);
                }
            }
        }
        form
    }

    /// Whether subscription billing is chosen, which brings in the subscription fields.
    pub fn is_subscription(&self) -> bool {
        self.payment_type == crate::catalogue::SUBSCRIPTION
    }

    /// The value of a text, number or select field; `None` for checkboxes and lists.
    pub fn text(&self, key: FieldKey) -> Option<&str> {
        self.text_slot(key).map(|s| s.as_str())
    }

    /// Sets a text, number or select field. Returns false (and changes nothing) for other kinds.
    pub fn set_text(&mut self, key: FieldKey, value: &str) -> bool {
        match self.text_slot_mut(key) {
            Some(slot) => {
                value.clone_into(slot);
                true
            }
            None => false,
        }
    }

    /// The value of a checkbox field; `None` for other kinds.
    pub fn flag(&self, key: FieldKey) -> Option<bool> {
        match key {
            FieldKey::AutoRenew => Some(self.auto_renew),
            FieldKey::AutoStartSessionCluster => Some(self.auto_start_session_cluster),
            _ => None,
        }
    }

    /// Sets a checkbox field. Returns false (and changes nothing) for other kinds.
    pub fn set_flag(&mut self, key: FieldKey, value: bool) -> bool {
        match key {
            FieldKey::AutoRenew => self.auto_renew = value,
            FieldKey::AutoStartSessionCluster => self.auto_start_session_cluster = value,
            _ => return false,
        }
        true
    }

    fn text_slot(&self, key: FieldKey) -> Option<&String> {
        Some(match key {
            FieldKey::RegionId => &self.region_id,
            FieldKey::WorkspaceName => &self.workspace_name,
            FieldKey::Cu => &self.cu,
            FieldKey::Gpu => &self.gpu,
            FieldKey::OssBucket => &self.oss_bucket,
            FieldKey::DlfType => &self.dlf_type,
            FieldKey::DlfCatalogId => &self.dlf_catalog_id,
            FieldKey::PaymentType => &self.payment_type,
            FieldKey::Duration => &self.duration,
            FieldKey::PaymentDurationUnit => &self.payment_duration_unit,
            FieldKey::AutoRenewPeriod => &self.auto_renew_period,
            FieldKey::AutoRenewPeriodUnit => &self.auto_renew_period_unit,
            FieldKey::RamRoleName => &self.ram_role_name,
            FieldKey::ResourceGroupId => &self.resource_group_id,
            FieldKey::ReleaseType => &self.release_type,
            FieldKey::ClientToken => &self.client_token,
            FieldKey::GpuSpec
            | FieldKey::AutoRenew
            | FieldKey::Tag
            | FieldKey::AutoStartSessionCluster => return None,
        })
    }

    fn text_slot_mut(&mut self, key: FieldKey) -> Option<&mut String> {
        Some(match key {
            FieldKey::RegionId => &mut self.region_id,
            FieldKey::WorkspaceName => &mut self.workspace_name,
            FieldKey::Cu => &mut self.cu,
            FieldKey::Gpu => &mut self.gpu,
            FieldKey::OssBucket => &mut self.oss_bucket,
            FieldKey::DlfType => &mut self.dlf_type,
            FieldKey::DlfCatalogId => &mut self.dlf_catalog_id,
            FieldKey::PaymentType => &mut self.payment_type,
            FieldKey::Duration => &mut self.duration,
            FieldKey::PaymentDurationUnit => &mut self.payment_duration_unit,
            FieldKey::AutoRenewPeriod => &mut self.auto_renew_period,
            FieldKey::AutoRenewPeriodUnit => &mut self.auto_renew_period_unit,
            FieldKey::RamRoleName => &mut self.ram_role_name,
            FieldKey::ResourceGroupId => &mut self.resource_group_id,
            FieldKey::ReleaseType => &mut self.release_type,
            FieldKey::ClientToken => &mut self.client_token,
            FieldKey::GpuSpec
            | FieldKey::AutoRenew
            | FieldKey::Tag
            | FieldKey::AutoStartSessionCluster => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::DEFAULT_RAM_ROLE;

    #[test]
    fn every_scalar_field_has_exactly_one_accessor() {
        for f in &FIELDS {
            let mut form = FormState::new();
            match f.control {
                Control::Checkbox => {
                    assert!(form.text(f.key).is_none() && form.set_flag(f.key, true));
                    assert_eq!(form.flag(f.key), Some(true), "{}", f.path);
                }
                Control::TagList | Control::TextList => {
                    assert!(form.text(f.key).is_none() && form.flag(f.key).is_none());
                    assert!(!form.set_text(f.key, "x") && !form.set_flag(f.key, true));
                }
                _ => {
                    assert!(form.flag(f.key).is_none() && form.set_text(f.key, "marker"));
                    assert_eq!(form.text(f.key), Some("marker"), "{}", f.path);
                    // The write landed in this field only.
                    let others = FIELDS
                        .iter()
                        .filter(|g| g.key != f.key)
                        .filter(|g| form.text(g.key) == Some("marker"))
                        .count();
                    assert_eq!(others, 0, "{} shares a slot", f.path);
                }
            }
        }
    }

    #[test]
    fn new_form_holds_the_catalogue_defaults() {
        let form = FormState::new();
        assert_eq!(form.region_id, "cn-hangzhou");
        assert_eq!(form.payment_type, "PayAsYouGo");
        assert_eq!(form.ram_role_name, DEFAULT_RAM_ROLE);
        assert_eq!(form.dlf_type, "dlf1.0");
        assert_eq!(form.payment_duration_unit, "MONTH");
        assert!(!form.auto_renew && !form.auto_start_session_cluster);
        assert!(form.tags.is_empty() && form.gpu_spec.is_empty());
        assert!(!form.is_subscription());
    }
}
