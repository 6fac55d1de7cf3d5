//! The emulator's account: what `--fixtures FILE` declares (or [`Account::demo`]), and the queries and paging
//! the emulator's listing routes answer from.
//!
//! The file is read whole and checked whole before anything is used, so a mistake in it stops the server with a
//! message naming the file and the fault instead of leaving half an account behind.

use std::{
    fmt,
    path::{Path, PathBuf},
};

use serde::Deserialize;
use workspace_model::{
    FieldKey, FormState, Listing, REGIONS, check_field,
    listing::{BucketItem, CatalogItem, ResourceGroupItem, RoleItem},
};

use crate::aliyun::{
    dlf, oss_xml,
    ram::{self, SPARK_SERVICE},
    resourcemanager,
};

/// A bucket: its name and the region it is in.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountBucket {
    pub name: String,
    pub region: String,
}

/// A DLF 2.0 catalog.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountCatalog {
    /// `clg-paimon-…`, what `dlfCatalogId` takes.
    pub id: String,
    pub name: String,
    pub region: String,
    /// One of DLF's statuses; `RUNNING` when left out.
    #[serde(default = "running")]
    pub status: String,
}

fn running() -> String {
    dlf::RUNNING.to_owned()
}

/// A RAM role.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AccountRole {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The services its trust policy lets assume it; the Spark service when left out.
    #[serde(default = "spark_only")]
    pub trusted_services: Vec<String>,
}

fn spark_only() -> Vec<String> {
    vec![SPARK_SERVICE.to_owned()]
}

impl AccountRole {
    /// The trust policy RAM's GetRole would show for it.
    pub fn assume_role_policy_document(&self) -> String {
        ram::trust_policy_for(&self.trusted_services)
    }

    /// Whether EMR Serverless Spark may assume it, read from that policy by the same evaluator that reads real
    /// accounts' policies.
    pub fn trusts_spark(&self) -> bool {
        ram::trusts_service(&self.assume_role_policy_document(), SPARK_SERVICE).unwrap_or(false)
    }
}

/// A ResourceManager resource group.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AccountResourceGroup {
    /// `rg-…`, what `resourceGroupId` takes: held to the model's rule for it (its hint too), so that every listed
    /// group is one the form and CreateWorkspace take without a word.
    pub id: String,
    pub name: String,
    /// The name when left out.
    #[serde(default)]
    pub display_name: Option<String>,
    /// One of ResourceManager's statuses; `OK` when left out.
    #[serde(default = "resource_group_ok")]
    pub status: String,
}

fn resource_group_ok() -> String {
    resourcemanager::OK.to_owned()
}

impl AccountResourceGroup {
    /// What the console shows: the display name, else the name.
    pub fn display_name(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.name)
    }
}

/// The file's shape: a key left out means none of that kind.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct File {
    #[serde(default)]
    buckets: Vec<AccountBucket>,
    #[serde(default)]
    catalogs: Vec<AccountCatalog>,
    #[serde(default)]
    roles: Vec<AccountRole>,
    #[serde(default)]
    resource_groups: Vec<AccountResourceGroup>,
    #[serde(default)]
    deny: Vec<String>,
}

/// The listings a fixtures file can refuse with `"deny": [...]`, by their replies' keys ([`Listing::items_key`]),
/// as an account without the permission is refused (OSS `AccessDenied`, DLF `AccessDenied`, RAM and
/// ResourceManager `NoPermission`, all 403): for testing how a client shows it.
pub const LISTINGS: [&str; 4] = [
    Listing::ALL[0].items_key(),
    Listing::ALL[1].items_key(),
    Listing::ALL[2].items_key(),
    Listing::ALL[3].items_key(),
];

/// What an emulated account holds. Each list is sorted by the key its upstream listing pages by (bucket name,
/// catalog id, role name, resource group id), so the paging of [`page_after`] matches upstream order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Account {
    buckets: Vec<AccountBucket>,
    catalogs: Vec<AccountCatalog>,
    roles: Vec<AccountRole>,
    resource_groups: Vec<AccountResourceGroup>,
    /// Listings (of [`LISTINGS`]) answered 403 instead; `roles` covers the single-role route too.
    deny: Vec<String>,
}

/// Why a fixtures file was refused.
#[derive(Debug)]
pub struct FixtureError {
    pub path: PathBuf,
    /// What is wrong, including serde_json's line and column for a syntax or shape error.
    pub what: String,
}

impl fmt::Display for FixtureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fixtures file {}: {}", self.path.display(), self.what)
    }
}

impl std::error::Error for FixtureError {}

/// The demo account, written as a fixtures file so that it is checked like one (and shows the format).
pub const DEMO_FIXTURES: &str = r#"{
  "buckets": [
    {"name": "spark-demo-hz", "region": "cn-hangzhou"},
    {"name": "spark-logs-hz", "region": "cn-hangzhou"},
    {"name": "spark-demo-sh", "region": "cn-shanghai"}
  ],
  "catalogs": [
    {"id": "clg-paimon-demo0001", "name": "lakehouse", "region": "cn-hangzhou"},
    {"id": "clg-paimon-demo0002", "name": "staging", "region": "cn-hangzhou", "status": "INITIALIZING"},
    {"id": "clg-paimon-demo0003", "name": "lakehouse-sh", "region": "cn-shanghai"}
  ],
  "roles": [
    {"name": "AliyunEMRSparkJobRunDefaultRole", "description": "Default execution role of EMR Serverless Spark jobs"},
    {"name": "AliyunECSInstanceRole", "description": "Instance role of ECS", "trustedServices": ["ecs.aliyuncs.com"]}
  ],
  "resourceGroups": [
    {"id": "rg-acfmwpi66knkxny", "name": "default", "displayName": "default resource group"},
    {"id": "rg-aek2data7team01", "name": "data-platform", "displayName": "Data platform team"},
    {"id": "rg-aek2sandbox0002", "name": "sandbox", "status": "Creating"}
  ]
}"#;

impl Account {
    /// A small account for trying the choosers out: buckets in cn-hangzhou and cn-shanghai, a running catalog
    /// and one still initializing, the default execution role and a role Spark cannot assume, the default
    /// resource group, a team's and one still being created.
    pub fn demo() -> Account {
        Account::from_json(DEMO_FIXTURES).expect("the demo fixtures are valid")
    }

    /// Reads and checks a fixtures file.
    pub fn load(path: &Path) -> Result<Account, FixtureError> {
        let error = |what: String| FixtureError {
            path: path.to_owned(),
            what,
        };
        let text =
            std::fs::read_to_string(path).map_err(|e| error(format!("cannot read it: {e}")))?;
        Account::from_json(&text).map_err(error)
    }

    /// Parses and checks fixtures JSON; the error says what is wrong and where.
    pub fn from_json(text: &str) -> Result<Account, String> {
        // serde reads a struct from an array as well (`[]` would be an empty account); parsing to a value first
        // refuses that, and parsing the text again keeps serde_json's line and column for every other fault.
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if !value.is_object() {
            return Err(
                "the file must hold a JSON object with buckets, catalogs, roles and resourceGroups"
                    .to_owned(),
            );
        }
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let known_region = |what: &str, name: &str, region: &str| {
            if REGIONS.iter().any(|r| r.id == region) {
                Ok(())
            } else {
                Err(format!(
                    "{what} {name:?}: unknown region {region:?} (one of {})",
                    REGIONS.map(|r| r.id).join(", ")
                ))
            }
        };
        let named = |what: &str, name: &str| {
            if name.trim().is_empty() {
                Err(format!("a {what} with an empty name"))
            } else {
                Ok(())
            }
        };
        for b in &file.buckets {
            named("bucket", &b.name)?;
            known_region("bucket", &b.name, &b.region)?;
        }
        for c in &file.catalogs {
            named("catalog id", &c.id)?;
            named("catalog", &c.name)?;
            known_region("catalog", &c.id, &c.region)?;
            if !dlf::STATUSES.contains(&c.status.as_str()) {
                return Err(format!(
                    "catalog {:?}: unknown status {:?} (one of {})",
                    c.id,
                    c.status,
                    dlf::STATUSES.join(", ")
                ));
            }
        }
        for r in &file.roles {
            named("role", &r.name)?;
        }
        for g in &file.resource_groups {
            named("resource group id", &g.id)?;
            named("resource group", &g.name)?;
            // Held to every finding of the model's rule, its hint too: a listed group is one the form takes
            // without a word.
            let mut form = FormState::default();
            form.set(FieldKey::ResourceGroupId, &g.id);
            if let Some(finding) = check_field(&form, FieldKey::ResourceGroupId).first() {
                return Err(format!(
                    "resource group {:?}: id {:?} is not a resource group id ({})",
                    g.name, g.id, finding.message.en
                ));
            }
            if g.display_name
                .as_deref()
                .is_some_and(|d| d.trim().is_empty())
            {
                return Err(format!(
                    "resource group {:?}: an empty displayName (leave it out to show the name)",
                    g.id
                ));
            }
            if !resourcemanager::STATUSES.contains(&g.status.as_str()) {
                return Err(format!(
                    "resource group {:?}: unknown status {:?} (one of {})",
                    g.id,
                    g.status,
                    resourcemanager::STATUSES.join(", ")
                ));
            }
        }
        if let Some(bad) = file.deny.iter().find(|d| !LISTINGS.contains(&d.as_str())) {
            return Err(format!(
                "deny: unknown listing {bad:?} (one of {})",
                LISTINGS.join(", ")
            ));
        }
        let mut account = Account {
            buckets: file.buckets,
            catalogs: file.catalogs,
            roles: file.roles,
            resource_groups: file.resource_groups,
            deny: file.deny,
        };
        account.buckets.sort_by(|a, b| a.name.cmp(&b.name));
        account.catalogs.sort_by(|a, b| a.id.cmp(&b.id));
        account.roles.sort_by(|a, b| a.name.cmp(&b.name));
        account.resource_groups.sort_by(|a, b| a.id.cmp(&b.id));
        // Names are what upstream pages by and what a choice refers to; two of one name would make both ambiguous.
        duplicate("bucket", account.buckets.iter().map(|b| b.name.as_str()))?;
        duplicate("catalog id", account.catalogs.iter().map(|c| c.id.as_str()))?;
        duplicate("role", account.roles.iter().map(|r| r.name.as_str()))?;
        duplicate(
            "resource group id",
            account.resource_groups.iter().map(|g| g.id.as_str()),
        )?;
        Ok(account)
    }

    /// Every bucket, by name: OSS's ListBuckets has no region filter.
    pub fn buckets(&self) -> &[AccountBucket] {
        &self.buckets
    }

    /// The buckets in `region`, by name.
    pub fn buckets_in(&self, region: &str) -> Vec<&AccountBucket> {
        self.buckets.iter().filter(|b| b.region == region).collect()
    }

    /// The catalogs in `region` (DLF is regional), by id.
    pub fn catalogs_in(&self, region: &str) -> Vec<&AccountCatalog> {
        self.catalogs
            .iter()
            .filter(|c| c.region == region)
            .collect()
    }

    /// Every role (RAM is global), by name; each says [`AccountRole::trusts_spark`].
    pub fn roles(&self) -> Vec<&AccountRole> {
        self.roles.iter().collect()
    }

    /// Every resource group (ResourceManager is account-wide), by id, every status.
    pub fn resource_groups(&self) -> Vec<&AccountResourceGroup> {
        self.resource_groups.iter().collect()
    }

    /// Whether the file asked for this listing (one of [`LISTINGS`]) to be refused.
    pub fn denies(&self, listing: &str) -> bool {
        self.deny.iter().any(|d| d == listing)
    }

    /// The role of exactly this name (what GetRole answers), `None` for RAM's `EntityNotExist.Role`.
    pub fn role(&self, name: &str) -> Option<&AccountRole> {
        self.roles.iter().find(|r| r.name == name)
    }
}

fn duplicate<'a>(what: &str, sorted: impl Iterator<Item = &'a str>) -> Result<(), String> {
    let mut previous: Option<&str> = None;
    for name in sorted {
        if previous == Some(name) {
            return Err(format!("{what} {name:?} appears twice"));
        }
        previous = Some(name);
    }
    Ok(())
}

/// One page of a listing, and the marker (OSS `NextMarker`, RAM `Marker`, DLF `nextPageToken`) of the next.
#[derive(Debug, PartialEq, Eq)]
pub struct Page<'a, T> {
    pub items: Vec<&'a T>,
    /// `Some` exactly when more items follow: the key of the last item on this page.
    pub next: Option<String>,
}

/// The page of at most `size` items (at least one) whose keys come after `marker`, from items sorted by `key`.
///
/// This is OSS's `marker` semantics (names alphabetically after it), and the emulator uses it for RAM's `Marker`
/// and DLF's `pageToken` too: those are opaque to clients, so any token that resumes the listing will do, and the
/// last key is one that stays right when items are added or removed between pages. An empty marker is the start.
pub fn page_after<'a, T>(
    sorted: &[&'a T],
    key: impl Fn(&T) -> &str,
    marker: Option<&str>,
    size: usize,
) -> Page<'a, T> {
    let start = match marker.filter(|m| !m.is_empty()) {
        Some(marker) => sorted.partition_point(|item| key(item) <= marker),
        None => 0,
    };
    let rest = &sorted[start..];
    let items: Vec<&'a T> = rest.iter().take(size.max(1)).copied().collect();
    let next = (rest.len() > items.len())
        .then(|| items.last().map(|item| key(item).to_owned()))
        .flatten();
    Page { items, next }
}

impl From<&AccountBucket> for BucketItem {
    fn from(b: &AccountBucket) -> BucketItem {
        BucketItem {
            name: b.name.clone(),
            region: b.region.clone(),
        }
    }
}

impl From<&oss_xml::Bucket> for BucketItem {
    fn from(b: &oss_xml::Bucket) -> BucketItem {
        BucketItem {
            name: b.name.clone(),
            region: b.region.clone(),
        }
    }
}

impl From<&AccountCatalog> for CatalogItem {
    fn from(c: &AccountCatalog) -> CatalogItem {
        CatalogItem {
            id: c.id.clone(),
            name: c.name.clone(),
            status: c.status.clone(),
        }
    }
}

impl From<&dlf::Catalog> for CatalogItem {
    fn from(c: &dlf::Catalog) -> CatalogItem {
        CatalogItem {
            id: c.id.clone(),
            name: c.name.clone(),
            status: c.status.clone().unwrap_or_default(),
        }
    }
}

impl From<&AccountRole> for RoleItem {
    fn from(r: &AccountRole) -> RoleItem {
        RoleItem {
            name: r.name.clone(),
            description: r.description.clone(),
            trusts_spark: Some(r.trusts_spark()),
        }
    }
}

impl From<&AccountResourceGroup> for ResourceGroupItem {
    fn from(g: &AccountResourceGroup) -> ResourceGroupItem {
        ResourceGroupItem {
            id: g.id.clone(),
            name: g.name.clone(),
            display_name: g.display_name().to_owned(),
            status: g.status.clone(),
        }
    }
}

impl From<&resourcemanager::ResourceGroup> for ResourceGroupItem {
    /// A group without a display name shows its name, as the console does; one without a status says nothing
    /// against it (`OK`), as ResourceManager lists only groups that exist.
    fn from(g: &resourcemanager::ResourceGroup) -> ResourceGroupItem {
        ResourceGroupItem {
            id: g.id.clone(),
            name: g.name.clone(),
            display_name: g
                .display_name
                .clone()
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| g.name.clone()),
            status: g
                .status
                .clone()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| resourcemanager::OK.to_owned()),
        }
    }
}

impl From<&ram::Role> for RoleItem {
    /// `trusts_spark` from the role's `AssumeRolePolicyDocument`: unknown without one (ListRoles), `false` when
    /// it cannot be read (a policy we cannot read is not one to promise Spark can use).
    fn from(r: &ram::Role) -> RoleItem {
        RoleItem {
            name: r.role_name.clone(),
            description: r.description.clone().unwrap_or_default(),
            trusts_spark: r
                .assume_role_policy_document
                .as_deref()
                .map(|p| ram::trusts_service(p, SPARK_SERVICE).unwrap_or(false)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use workspace_model::listing::{BucketsReply, CatalogsReply, RoleReply, RolesReply};

    fn names<T>(items: &[&T], key: impl Fn(&T) -> &str) -> Vec<String> {
        items.iter().map(|i| key(i).to_owned()).collect()
    }

    #[test]
    fn files_that_load() {
        // The example of the brief, as written there.
        let example = r#"{
          "buckets":  [{"name": "logs-hz", "region": "cn-hangzhou"}],
          "catalogs": [{"id": "clg-paimon-0a1b2c", "name": "lakehouse", "region": "cn-hangzhou", "status": "RUNNING"}],
          "roles":    [{"name": "AliyunEMRSparkJobRunDefaultRole"},
                       {"name": "EtlRole", "description": "nightly ETL", "trustedServices": ["ecs.aliyuncs.com"]}]
        }"#;
        let account = Account::from_json(example).unwrap();
        assert_eq!(
            account.buckets_in("cn-hangzhou"),
            [&AccountBucket {
                name: "logs-hz".into(),
                region: "cn-hangzhou".into()
            }]
        );
        assert!(account.buckets_in("cn-shanghai").is_empty());
        assert_eq!(
            account.catalogs_in("cn-hangzhou"),
            [&AccountCatalog {
                id: "clg-paimon-0a1b2c".into(),
                name: "lakehouse".into(),
                region: "cn-hangzhou".into(),
                status: "RUNNING".into()
            }]
        );
        let roles: Vec<(&str, &str, bool)> = account
            .roles()
            .iter()
            .map(|r| (r.name.as_str(), r.description.as_str(), r.trusts_spark()))
            .collect();
        assert_eq!(
            roles,
            [
                ("AliyunEMRSparkJobRunDefaultRole", "", true),
                ("EtlRole", "nightly ETL", false)
            ]
        );
        assert_eq!(
            account
                .role("AliyunEMRSparkJobRunDefaultRole")
                .unwrap()
                .trusted_services,
            [SPARK_SERVICE]
        );
        assert!(account.role("aliyunemrsparkjobrundefaultrole").is_none());
        assert!(account.role("Missing").is_none());

        // Left-out keys mean none of that kind; defaults fill status and trustedServices; lists come out sorted.
        for (json, buckets, catalogs, roles) in [
            ("{}", 0, 0, 0),
            (r#"{"roles": []}"#, 0, 0, 0),
            (
                r#"{"buckets": [{"name": "b", "region": "us-east-1"}]}"#,
                1,
                0,
                0,
            ),
            (
                r#"{"catalogs": [{"id": "c2", "name": "n", "region": "cn-beijing", "status": "DELETING"},
                                 {"id": "c1", "name": "n", "region": "cn-beijing"}]}"#,
                0,
                2,
                0,
            ),
            (
                r#"{"roles": [{"name": "B", "trustedServices": []}, {"name": "A"}]}"#,
                0,
                0,
                2,
            ),
        ] {
            let account = Account::from_json(json).unwrap();
            assert_eq!(account.buckets().len(), buckets, "{json}");
            let all_catalogs: Vec<&AccountCatalog> = REGIONS
                .iter()
                .flat_map(|r| account.catalogs_in(r.id))
                .collect();
            assert_eq!(all_catalogs.len(), catalogs, "{json}");
            assert_eq!(account.roles().len(), roles, "{json}");
        }
        let account = Account::from_json(
            r#"{"catalogs": [{"id": "c2", "name": "n", "region": "cn-beijing", "status": "DELETING"},
                             {"id": "c1", "name": "n", "region": "cn-beijing"}],
                "roles": [{"name": "B", "trustedServices": []}, {"name": "A"}]}"#,
        )
        .unwrap();
        let catalogs = account.catalogs_in("cn-beijing");
        assert_eq!(names(&catalogs, |c| &c.id), ["c1", "c2"]);
        assert_eq!(catalogs[0].status, "RUNNING");
        let roles = account.roles();
        assert_eq!(names(&roles, |r| &r.name), ["A", "B"]);
        assert!(roles[0].trusts_spark() && !roles[1].trusts_spark());
    }

    #[test]
    fn files_that_are_refused() {
        for (json, says) in [
            ("", "EOF while parsing a value at line 1 column 0"),
            ("{", "EOF while parsing an object at line 1 column 1"),
            ("[]", "the file must hold a JSON object"),
            ("null", "the file must hold a JSON object"),
            (
                "{\n  \"buckets\": [],\n  \"bucket\": []\n}",
                "unknown field `bucket`, expected one of `buckets`, `catalogs`, `roles`, `resourceGroups`, `deny` at line 3 \
                 column 10",
            ),
            (
                r#"{"buckets": [{"name": "b", "region": "cn-hangzhou", "acl": "private"}]}"#,
                "unknown field `acl`",
            ),
            (
                r#"{"roles": [{"name": "r", "trusted_services": []}]}"#,
                "unknown field `trusted_services`",
            ),
            (
                r#"{"buckets": [{"name": "b"}]}"#,
                "missing field `region` at line 1 column 26",
            ),
            (
                r#"{"buckets": [{"name": "b", "region": "cn-hangzhou"}], "roles": [{"name": 7}]}"#,
                "invalid type: integer `7`, expected a string at line 1 column 74",
            ),
            (
                r#"{"buckets": {}}"#,
                "invalid type: map, expected a sequence",
            ),
            (
                r#"{"deny": ["buckets", "workspaces"]}"#,
                "deny: unknown listing \"workspaces\" (one of buckets, catalogs, roles, resourceGroups)",
            ),
            (
                r#"{"roles": [{"name": "r", "trustedServices": "ecs.aliyuncs.com"}]}"#,
                "expected a sequence",
            ),
            (
                r#"{"buckets": [{"name": "b", "region": "cn-nowhere"}]}"#,
                "bucket \"b\": unknown region \"cn-nowhere\" (one of cn-beijing,",
            ),
            (
                r#"{"catalogs": [{"id": "c", "name": "n", "region": "oss-cn-hangzhou"}]}"#,
                "catalog \"c\": unknown region \"oss-cn-hangzhou\"",
            ),
            (
                r#"{"catalogs": [{"id": "c", "name": "n", "region": "cn-hangzhou", "status": "running"}]}"#,
                "catalog \"c\": unknown status \"running\" (one of NEW,",
            ),
            (
                r#"{"buckets": [{"name": " ", "region": "cn-hangzhou"}]}"#,
                "a bucket with an empty name",
            ),
            (
                r#"{"catalogs": [{"id": "", "name": "n", "region": "cn-hangzhou"}]}"#,
                "a catalog id with an empty name",
            ),
            (r#"{"roles": [{"name": ""}]}"#, "a role with an empty name"),
            (
                r#"{"buckets": [{"name": "b", "region": "cn-hangzhou"}, {"name": "b", "region": "cn-shanghai"}]}"#,
                "bucket \"b\" appears twice",
            ),
            (
                r#"{"catalogs": [{"id": "c", "name": "a", "region": "cn-hangzhou"},
                                 {"id": "c", "name": "b", "region": "cn-shanghai"}]}"#,
                "catalog id \"c\" appears twice",
            ),
            (
                r#"{"roles": [{"name": "r"}, {"name": "r"}]}"#,
                "role \"r\" appears twice",
            ),
            (
                r#"{"resource_groups": []}"#,
                "unknown field `resource_groups`",
            ),
            (
                r#"{"resourceGroups": [{"id": "rg-a1", "name": "g", "display_name": "G"}]}"#,
                "unknown field `display_name`",
            ),
            (
                r#"{"resourceGroups": [{"id": "rg-a1"}]}"#,
                "missing field `name`",
            ),
            (
                r#"{"resourceGroups": [{"id": "rg-a1", "name": "g", "status": "ok"}]}"#,
                "resource group \"rg-a1\": unknown status \"ok\" (one of Creating, OK, PendingDelete, Deleting)",
            ),
            (
                r#"{"resourceGroups": [{"id": "RG-A1", "name": "g"}]}"#,
                "resource group \"g\": id \"RG-A1\" is not a resource group id (Resource group IDs look like",
            ),
            (
                r#"{"resourceGroups": [{"id": "", "name": "g"}]}"#,
                "a resource group id with an empty name",
            ),
            (
                r#"{"resourceGroups": [{"id": "rg-a1", "name": " "}]}"#,
                "a resource group with an empty name",
            ),
            (
                r#"{"resourceGroups": [{"id": "rg-a1", "name": "g", "displayName": ""}]}"#,
                "resource group \"rg-a1\": an empty displayName",
            ),
            (
                r#"{"resourceGroups": [{"id": "rg-a1", "name": "g"}, {"id": "rg-a1", "name": "h"}]}"#,
                "resource group id \"rg-a1\" appears twice",
            ),
        ] {
            let error = Account::from_json(json).unwrap_err();
            assert!(
                error.contains(says),
                "{json}\n  said: {error}\n  want: {says}"
            );
        }
    }

    #[test]
    fn files_on_disk() {
        let dir = std::env::temp_dir().join(format!("account-fixtures-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good.json");
        std::fs::write(&good, DEMO_FIXTURES).unwrap();
        assert_eq!(Account::load(&good).unwrap(), Account::demo());

        let bad = dir.join("bad.json");
        std::fs::write(
            &bad,
            "{\"buckets\": [\n  {\"name\": \"b\", \"region\": 3}\n]}",
        )
        .unwrap();
        let error = Account::load(&bad).unwrap_err().to_string();
        assert!(
            error.starts_with(&format!("fixtures file {}: ", bad.display())),
            "{error}"
        );
        assert!(error.contains("line 2 column"), "{error}");

        let missing = dir.join("missing.json");
        let error = Account::load(&missing).unwrap_err().to_string();
        assert!(
            error.starts_with(&format!(
                "fixtures file {}: cannot read it: ",
                missing.display()
            )),
            "{error}"
        );
        // A directory is there but cannot be read as a file.
        let error = Account::load(&dir).unwrap_err().to_string();
        assert!(error.contains("cannot read it"), "{error}");

        let not_utf8 = dir.join("latin1.json");
        std::fs::write(&not_utf8, b"{\"roles\": [{\"name\": \"\xe9\"}]}").unwrap();
        assert!(Account::load(&not_utf8).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_demo_account() {
        let demo = Account::demo();
        assert!(!demo.buckets_in("cn-hangzhou").is_empty());
        assert!(!demo.buckets_in("cn-shanghai").is_empty());
        let hz = demo.catalogs_in("cn-hangzhou");
        assert!(hz.iter().any(|c| c.status == dlf::RUNNING));
        assert!(hz.iter().any(|c| c.status != dlf::RUNNING));
        let default = demo
            .role(workspace_model::catalogue::DEFAULT_RAM_ROLE)
            .unwrap();
        assert!(default.trusts_spark());
        assert!(demo.roles().iter().any(|r| !r.trusts_spark()));
        let groups = demo.resource_groups();
        assert!(groups.len() >= 3);
        assert!(groups.iter().any(
            |g| g.status == resourcemanager::OK && g.display_name() == "default resource group"
        ));
        assert!(groups.iter().any(|g| g.status != resourcemanager::OK));
        assert!(LISTINGS.iter().all(|l| !demo.denies(l)));
        let denying = Account::from_json(r#"{"deny": ["catalogs"]}"#).unwrap();
        assert!(
            denying.denies("catalogs") && !denying.denies("buckets") && !denying.denies("roles")
        );
        assert_eq!(LISTINGS, ["buckets", "catalogs", "roles", "resourceGroups"]);
        assert!(
            Account::from_json(r#"{"deny": ["resourceGroups"]}"#)
                .unwrap()
                .denies("resourceGroups")
        );
    }

    #[test]
    fn paging() {
        let keys = ["a", "b", "b0", "c", "d"].map(str::to_owned);
        let sorted: Vec<&String> = keys.iter().collect();
        let page = |marker: Option<&str>, size| {
            let p = page_after(&sorted, |s| s.as_str(), marker, size);
            (
                p.items.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                p.next,
            )
        };
        let next = |s: &str| Some(s.to_owned());
        for (marker, size, items, next_marker) in [
            (None, 2, vec!["a", "b"], next("b")),
            (Some("b"), 2, vec!["b0", "c"], next("c")),
            (Some("c"), 2, vec!["d"], None),
            (Some("d"), 2, vec![], None),
            (Some("zzz"), 2, vec![], None),
            (None, 5, vec!["a", "b", "b0", "c", "d"], None),
            (None, 1000, vec!["a", "b", "b0", "c", "d"], None),
            (Some(""), 4, vec!["a", "b", "b0", "c"], next("c")),
            // A marker between keys (an item removed since) resumes after it.
            (Some("a5"), 1, vec!["b"], next("b")),
            (Some("0"), 1, vec!["a"], next("a")),
            // Size 0 would never advance: it counts as 1.
            (None, 0, vec!["a"], next("a")),
        ] {
            let (got, got_next) = page(marker, size);
            assert_eq!(
                (got, got_next),
                (items.iter().map(|s| s.to_string()).collect(), next_marker),
                "{marker:?} {size}"
            );
        }
        // Following `next` visits every item exactly once, for every page size.
        for size in 1..=6 {
            let mut seen = Vec::new();
            let mut marker: Option<String> = None;
            loop {
                let (items, next) = page(marker.as_deref(), size);
                seen.extend(items);
                match next {
                    Some(m) => marker = Some(m),
                    None => break,
                }
            }
            assert_eq!(seen, ["a", "b", "b0", "c", "d"], "size {size}");
        }
        let empty: Vec<&String> = vec![];
        assert_eq!(
            page_after(&empty, |s| s.as_str(), None, 10),
            Page {
                items: vec![],
                next: None
            }
        );
    }

    #[test]
    fn reply_shapes() {
        let demo = Account::demo();
        let buckets = BucketsReply {
            buckets: demo
                .buckets_in("cn-shanghai")
                .into_iter()
                .map(BucketItem::from)
                .collect(),
            truncated: false,
        };
        assert_eq!(
            serde_json::to_value(&buckets).unwrap(),
            serde_json::json!({"buckets": [{"name": "spark-demo-sh", "region": "cn-shanghai"}], "truncated": false})
        );
        let catalogs = CatalogsReply {
            catalogs: demo
                .catalogs_in("cn-hangzhou")
                .into_iter()
                .map(CatalogItem::from)
                .collect(),
            truncated: true,
        };
        assert_eq!(
            serde_json::to_value(&catalogs).unwrap(),
            serde_json::json!({"catalogs": [
                {"id": "clg-paimon-demo0001", "name": "lakehouse", "status": "RUNNING"},
                {"id": "clg-paimon-demo0002", "name": "staging", "status": "INITIALIZING"}
            ], "truncated": true})
        );
        let roles = RolesReply {
            roles: demo.roles().into_iter().map(RoleItem::from).collect(),
            truncated: false,
        };
        assert_eq!(
            serde_json::to_value(&roles).unwrap()["roles"][0],
            serde_json::json!({"name": "AliyunECSInstanceRole", "description": "Instance role of ECS", "trustsSpark": false})
        );
        let role = RoleReply {
            role: RoleItem::from(demo.role("AliyunEMRSparkJobRunDefaultRole").unwrap()),
        };
        assert_eq!(
            serde_json::to_value(&role).unwrap(),
            serde_json::json!({"role": {"name": "AliyunEMRSparkJobRunDefaultRole",
                "description": "Default execution role of EMR Serverless Spark jobs", "trustsSpark": true}})
        );
    }

    #[test]
    fn upstream_items_convert() {
        let role = |policy: Option<&str>| ram::Role {
            role_name: "R".into(),
            role_id: None,
            arn: None,
            description: None,
            assume_role_policy_document: policy.map(str::to_owned),
        };
        let spark = ram::trust_policy_for(&[SPARK_SERVICE.to_owned()]);
        for (policy, trusts) in [
            (None, None),
            (Some(spark.as_str()), Some(true)),
            (Some("{"), Some(false)),
        ] {
            let item = RoleItem::from(&role(policy));
            assert_eq!(item.trusts_spark, trusts, "{policy:?}");
            assert_eq!((item.name.as_str(), item.description.as_str()), ("R", ""));
        }
        let catalog = dlf::Catalog {
            id: "clg-paimon-1".into(),
            name: "n".into(),
            kind: None,
            status: None,
            owner: None,
            created_at: None,
        };
        assert_eq!(
            CatalogItem::from(&catalog),
            CatalogItem {
                id: "clg-paimon-1".into(),
                name: "n".into(),
                status: String::new()
            }
        );
    }

    #[test]
    fn resource_groups_and_their_defaults() {
        // Files without the key keep working: no groups.
        assert!(
            Account::from_json(r#"{"roles": [{"name": "r"}]}"#)
                .unwrap()
                .resource_groups()
                .is_empty()
        );
        let account = Account::from_json(
            r#"{"resourceGroups": [
                {"id": "rg-b2", "name": "team"},
                {"id": "rg-a1", "name": "default", "displayName": "default resource group", "status": "PendingDelete"}
            ]}"#,
        )
        .unwrap();
        let groups = account.resource_groups();
        // By id, as ResourceManager pages them here; status OK and the name for a display name when left out.
        let items: Vec<ResourceGroupItem> = groups.into_iter().map(Into::into).collect();
        assert_eq!(
            items,
            [
                ResourceGroupItem {
                    id: "rg-a1".into(),
                    name: "default".into(),
                    display_name: "default resource group".into(),
                    status: "PendingDelete".into()
                },
                ResourceGroupItem {
                    id: "rg-b2".into(),
                    name: "team".into(),
                    display_name: "team".into(),
                    status: "OK".into()
                },
            ]
        );
        // What the gateway reads gets the same defaults.
        let upstream = resourcemanager::ResourceGroup {
            id: "rg-c3".into(),
            name: "n".into(),
            display_name: Some(String::new()),
            status: None,
            account_id: None,
            create_date: None,
        };
        assert_eq!(
            ResourceGroupItem::from(&upstream),
            ResourceGroupItem {
                id: "rg-c3".into(),
                name: "n".into(),
                display_name: "n".into(),
                status: "OK".into()
            }
        );
        let named = resourcemanager::ResourceGroup {
            display_name: Some("N".into()),
            status: Some("Deleting".into()),
            ..upstream
        };
        let item = ResourceGroupItem::from(&named);
        assert_eq!(
            (item.display_name.as_str(), item.status.as_str()),
            ("N", "Deleting")
        );
    }

    /// Every group the demo lists is one the form takes without a word (the model's rule for the id, its hint
    /// too).
    #[test]
    fn demo_groups_are_valid_ids() {
        for g in Account::demo().resource_groups() {
            let mut form = FormState::default();
            form.set(FieldKey::ResourceGroupId, &g.id);
            assert!(
                check_field(&form, FieldKey::ResourceGroupId).is_empty(),
                "{}",
                g.id
            );
        }
    }
}
