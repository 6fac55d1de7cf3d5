//! The console's account listings: what the form's choosers ask the server for, and what it answers.
//!
//! One definition for both sides: the server's route table and access log take their paths and operation names
//! from [`Listing`], and the page asks for [`Listing::path`] and reads [`Listing::items_key`]. The page reads the
//! replies by key through the browser's own `JSON.parse` (no serde in the bundle), so the reply types here are
//! `Serialize` only, and a test pins the keys the page reads.
//!
//! Every listing is the whole list (the server follows upstream pages); [`TRUNCATED_KEY`] is `true` when the
//! server stopped at its cap before the last page.
//!
//! ```json
//! {"buckets":  [{"name": "spark-demo-hz", "region": "cn-hangzhou"}], "truncated": false}
//! {"catalogs": [{"id": "clg-paimon-demo0001", "name": "lakehouse", "status": "RUNNING"}], "truncated": false}
//! {"roles":    [{"name": "AliyunEMRSparkJobRunDefaultRole", "description": "…", "trustsSpark": true}],
//!  "truncated": false}
//! {"resourceGroups": [{"id": "rg-acfm…", "name": "default", "displayName": "default resource group",
//!                      "status": "OK"}], "truncated": false}
//! {"role":     {"name": "AliyunEMRSparkJobRunDefaultRole", "description": "…", "trustsSpark": true}}
//! ```
//!
//! - Buckets: OSS lists every region's buckets at once; the route keeps those whose `region` is the form's.
//! - Catalogs: DLF is regional; every status is listed, and only `RUNNING` ones can back a workspace.
//! - Roles: RAM is global. ListRoles carries no trust policy, so `trustsSpark` comes from GetRole
//!   ([`role_path`]); a missing role is RAM's `EntityNotExist.Role` (404).
//! - Resource groups: ResourceManager is account-wide; every status is listed, and only `OK` ones can hold a
//!   workspace.

use serde::Serialize;

use crate::request::percent_encode;

/// One of the account listings the form's choosers offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    Buckets,
    Catalogs,
    Roles,
    ResourceGroups,
}

impl Listing {
    pub const ALL: [Listing; 4] = [
        Listing::Buckets,
        Listing::Catalogs,
        Listing::Roles,
        Listing::ResourceGroups,
    ];

    /// The route: `GET` it, with `?regionId=` when [`Listing::regional`].
    pub const fn path(self) -> &'static str {
        match self {
            Listing::Buckets => "/api/account/buckets",
            Listing::Catalogs => "/api/account/catalogs",
            Listing::Roles => ROLES_PATH,
            Listing::ResourceGroups => "/api/account/resource-groups",
        }
    }

    /// The reply's member that holds the items.
    pub const fn items_key(self) -> &'static str {
        match self {
            Listing::Buckets => "buckets",
            Listing::Catalogs => "catalogs",
            Listing::Roles => "roles",
            Listing::ResourceGroups => "resourceGroups",
        }
    }

    /// Whether the form's `regionId` is sent. RAM and ResourceManager are account-wide: their routes take a
    /// `regionId` too, but only check that it is a known region.
    pub const fn regional(self) -> bool {
        matches!(self, Listing::Buckets | Listing::Catalogs)
    }

    /// The operation's name in the access log: the upstream call it stands for.
    pub const fn operation(self) -> &'static str {
        match self {
            Listing::Buckets => "ListBuckets",
            Listing::Catalogs => "ListCatalogs",
            Listing::Roles => "ListRoles",
            Listing::ResourceGroups => "ListResourceGroups",
        }
    }
}

/// The roles' path, written once for both constants below (`concat!` takes only literals).
macro_rules! roles_path {
    () => {
        "/api/account/roles"
    };
}

const ROLES_PATH: &str = roles_path!();

/// The route's pattern for one role, `{role_name}` being the path parameter (the server's route table).
pub const ROLE_ROUTE: &str = concat!(roles_path!(), "/{role_name}");

/// The access log's operation name for one role.
pub const GET_ROLE: &str = "GetRole";

/// `GET /api/account/roles/{name}` (GetRole): one role, `{"role": …}`, with `trustsSpark` from its trust policy.
pub fn role_path(name: &str) -> String {
    format!("{ROLES_PATH}/{}", percent_encode(name))
}

/// The member of every listing's reply that says the server stopped at its cap.
pub const TRUNCATED_KEY: &str = "truncated";

/// `{"buckets": [{"name", "region"}], "truncated": false}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BucketsReply {
    pub buckets: Vec<BucketItem>,
    /// The listing stopped at the server's cap before the account's last item.
    pub truncated: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BucketItem {
    pub name: String,
    pub region: String,
}

/// `{"catalogs": [...], "truncated": false}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CatalogsReply {
    pub catalogs: Vec<CatalogItem>,
    pub truncated: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CatalogItem {
    pub id: String,
    pub name: String,
    /// DLF's status; only `RUNNING` catalogs can back a workspace.
    pub status: String,
}

/// `{"roles": [...], "truncated": false}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RolesReply {
    pub roles: Vec<RoleItem>,
    pub truncated: bool,
}

/// `{"role": {...}}`: one role, with its trust policy read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoleReply {
    pub role: RoleItem,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleItem {
    pub name: String,
    pub description: String,
    /// Whether EMR Serverless Spark may assume it. Left out (`None`) where it is not known: the gateway's list,
    /// because ListRoles carries no trust policy and a GetRole per role would cost one call each; the single-role
    /// route (GetRole) always says it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trusts_spark: Option<bool>,
}

/// `{"resourceGroups": [...], "truncated": false}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceGroupsReply {
    pub resource_groups: Vec<ResourceGroupItem>,
    pub truncated: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceGroupItem {
    /// `rg-…`, what `resourceGroupId` takes.
    pub id: String,
    pub name: String,
    pub display_name: String,
    /// ResourceManager's status; only `OK` groups can hold a workspace.
    pub status: String,
}

/// ResourceManager's status of a group that can hold resources.
pub const RESOURCE_GROUP_OK: &str = "OK";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// The replies as the page reads them: the items under `items_key()`, each item's members by these names.
    #[test]
    fn replies_carry_the_keys_the_page_reads() {
        let s = |v: &str| v.to_owned();
        let replies: [(Listing, Value, &[&str]); 4] = [
            (
                Listing::Buckets,
                serde_json::to_value(BucketsReply {
                    buckets: vec![BucketItem {
                        name: s("b"),
                        region: s("cn-hangzhou"),
                    }],
                    truncated: false,
                })
                .unwrap(),
                &["name", "region"],
            ),
            (
                Listing::Catalogs,
                serde_json::to_value(CatalogsReply {
                    catalogs: vec![CatalogItem {
                        id: s("clg-paimon-1"),
                        name: s("c"),
                        status: s("RUNNING"),
                    }],
                    truncated: false,
                })
                .unwrap(),
                &["id", "name", "status"],
            ),
            (
                Listing::Roles,
                serde_json::to_value(RolesReply {
                    roles: vec![RoleItem {
                        name: s("r"),
                        description: s("d"),
                        trusts_spark: Some(true),
                    }],
                    truncated: true,
                })
                .unwrap(),
                &["name", "description", "trustsSpark"],
            ),
            (
                Listing::ResourceGroups,
                serde_json::to_value(ResourceGroupsReply {
                    resource_groups: vec![ResourceGroupItem {
                        id: s("rg-1"),
                        name: s("g"),
                        display_name: s("G"),
                        status: s(RESOURCE_GROUP_OK),
                    }],
                    truncated: false,
                })
                .unwrap(),
                &["id", "name", "displayName", "status"],
            ),
        ];
        for ((listing, reply, item_keys), all) in replies.iter().zip(Listing::ALL) {
            assert_eq!(*listing, all, "ALL lists every listing, in order");
            let object = reply.as_object().unwrap();
            let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
            keys.sort();
            let mut want = vec![listing.items_key(), TRUNCATED_KEY];
            want.sort();
            assert_eq!(keys, want, "{listing:?}");
            assert!(reply[TRUNCATED_KEY].is_boolean(), "{listing:?}");
            let item = reply[listing.items_key()][0].as_object().unwrap();
            let mut got: Vec<&str> = item.keys().map(String::as_str).collect();
            got.sort();
            let mut want = item_keys.to_vec();
            want.sort();
            assert_eq!(got, want, "{listing:?}");
        }
        // Not known (the gateway's list): left out, not null.
        let unknown = RoleItem {
            name: s("r"),
            description: s(""),
            trusts_spark: None,
        };
        assert_eq!(
            serde_json::to_value(RoleReply { role: unknown }).unwrap(),
            json!({"role": {"name": "r", "description": ""}})
        );
    }

    #[test]
    fn paths_and_names() {
        let paths: Vec<&str> = Listing::ALL.iter().map(|l| l.path()).collect();
        assert_eq!(
            paths,
            [
                "/api/account/buckets",
                "/api/account/catalogs",
                "/api/account/roles",
                "/api/account/resource-groups"
            ]
        );
        let operations: Vec<&str> = Listing::ALL.iter().map(|l| l.operation()).collect();
        assert_eq!(
            operations,
            [
                "ListBuckets",
                "ListCatalogs",
                "ListRoles",
                "ListResourceGroups"
            ]
        );
        let regional: Vec<bool> = Listing::ALL.iter().map(|l| l.regional()).collect();
        assert_eq!(regional, [true, true, false, false]);
        assert_eq!(
            role_path("AliyunEMRSparkJobRunDefaultRole"),
            "/api/account/roles/AliyunEMRSparkJobRunDefaultRole"
        );
        assert_eq!(
            role_path("a b/c?é"),
            "/api/account/roles/a%20b%2Fc%3F%C3%A9"
        );
        assert_eq!(
            ROLE_ROUTE.replace("{role_name}", "x"),
            role_path("x"),
            "the route's pattern and the page's path agree"
        );
    }
}
