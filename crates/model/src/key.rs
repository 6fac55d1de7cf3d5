//! Which parameter: the one enum every other module indexes by.
//!
//! This module depends on nothing else in the crate. What a key stands for (its wire path, control, rules) is its
//! catalogue entry, [`FieldKey::field`], which the catalogue defines: modules below the catalogue reach an entry
//! only through that method, never by importing the catalogue.

/// Declares [`FieldKey`] and [`FieldKey::ALL`] from one list, so the enum, the count and the catalogue's order
/// cannot drift apart.
macro_rules! field_keys {
    ($($key:ident),+ $(,)?) => {
        /// Identifies one request parameter, in form order. [`crate::FIELDS`] is built from [`FieldKey::ALL`],
        /// so a key is also an index into it and into every other per-field array.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum FieldKey {
            $($key),+
        }

        impl FieldKey {
            /// Every parameter, in form order.
            pub const ALL: [FieldKey; FieldKey::COUNT] = [$(FieldKey::$key),+];
            /// How many parameters there are: the length of every per-field array.
            pub const COUNT: usize = [$(FieldKey::$key),+].len();
        }
    };
}

// A new parameter goes here, at its place in the form; the compiler then asks the catalogue for its entry.
field_keys! {
    RegionId,
    WorkspaceName,
    Cu,
    Gpu,
    GpuSpec,
    OssBucket,
    DlfType,
    DlfCatalogId,
    PaymentType,
    Duration,
    PaymentDurationUnit,
    AutoRenew,
    AutoRenewPeriod,
    AutoRenewPeriodUnit,
    RamRoleName,
    ResourceGroupId,
    Tag,
    ReleaseType,
    AutoStartSessionCluster,
    ClientToken,
}
