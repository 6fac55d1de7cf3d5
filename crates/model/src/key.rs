//! Which parameter: the one enum every other module indexes by.

/// Identifies one request parameter. The order is the order of [`crate::FIELDS`] (a test keeps them in step), so
/// a key is also an index into per-field arrays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldKey {
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

impl FieldKey {
    /// How many parameters there are: the length of every per-field array.
    pub const COUNT: usize = FieldKey::ClientToken as usize + 1;

    /// The catalogue entry of this parameter.
    pub fn field(self) -> &'static crate::catalogue::Field {
        &crate::catalogue::FIELDS[self as usize]
    }

    /// The wire path, such as `resourceSpec.cu`.
    pub fn path(self) -> &'static str {
        self.field().path
    }

    /// The parameter whose wire path is exactly `path` (`resourceSpec.cu`); `None` for anything else.
    pub fn from_wire_path(path: &str) -> Option<FieldKey> {
        crate::catalogue::FIELDS
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.key)
    }
}
