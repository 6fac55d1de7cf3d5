//! ResourceManager (2020-03-31) ListResourceGroups: the account's resource groups, for the form's
//! `resourceGroupId` chooser.
//!
//! RPC style, like RAM: the SDK sends `POST /` with the parameters in the query string, an empty body,
//! `x-acs-action` and `x-acs-version`, signed ACS3-HMAC-SHA256, to `resourcemanager.aliyuncs.com` whatever the
//! region (resource groups are account-wide). It pages by number (`PageNumber` from 1, `PageSize` up to 100) and
//! says how many there are in all (`TotalCount`).

use serde::Deserialize;
use serde_json::Value;

/// `x-acs-version` of ResourceManager.
pub const VERSION: &str = "2020-03-31";
/// ResourceManager's central endpoint, the one the SDK uses for every region.
pub const HOST: &str = "resourcemanager.aliyuncs.com";
/// `x-acs-action` of the listing.
pub const LIST_RESOURCE_GROUPS: &str = "ListResourceGroups";
/// The largest `PageSize` ListResourceGroups takes.
pub const MAX_PAGE_SIZE: u32 = 100;
/// The status of a group that can hold resources; the others are on their way in or out.
pub const OK: &str = "OK";
/// Every status the API documents.
pub const STATUSES: [&str; 4] = ["Creating", OK, "PendingDelete", "Deleting"];

/// The query of one ListResourceGroups call.
pub fn list_resource_groups_query(page_number: u32, page_size: u32) -> Vec<(String, String)> {
    vec![
        ("PageNumber".to_owned(), page_number.to_string()),
        ("PageSize".to_owned(), page_size.to_string()),
    ]
}

/// A resource group, as the API answers it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceGroup {
    /// `rg-…`: what `resourceGroupId` takes.
    pub id: String,
    /// The group's unique identifier (`my-project`).
    pub name: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub account_id: Option<String>,
    #[serde(default)]
    pub create_date: Option<String>,
}

/// One page of ListResourceGroups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceGroupPage {
    pub groups: Vec<ResourceGroup>,
    /// How many groups the account has in all, when the answer says.
    pub total_count: Option<u64>,
}

impl ResourceGroupPage {
    /// Whether the pages up to this one, `seen` groups in all, are the whole list: the total is reached, or
    /// (without a total) this page was not full. An empty page ends the list too, whatever the total says (groups
    /// deleted between pages), so that paging always ends.
    pub fn is_last(&self, seen: u64, page_size: u32) -> bool {
        self.groups.is_empty()
            || match self.total_count {
                Some(total) => seen >= total,
                None => self.groups.len() < page_size as usize,
            }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListWire {
    #[serde(default)]
    total_count: Option<u64>,
    #[serde(default)]
    resource_groups: Option<GroupsWire>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GroupsWire {
    #[serde(default)]
    resource_group: Vec<ResourceGroup>,
}

/// Reads a ListResourceGroups answer (`{TotalCount, PageNumber, PageSize, ResourceGroups: {ResourceGroup:
/// [...]}}`). An answer that is not a JSON object is not one (serde would read a struct from an array).
pub fn parse_list_resource_groups(body: &[u8]) -> Result<ResourceGroupPage, serde_json::Error> {
    let value: Value = serde_json::from_slice(body)?;
    if !value.is_object() {
        return Err(serde::de::Error::custom("the answer is not a JSON object"));
    }
    let wire: ListWire = serde_json::from_value(value)?;
    Ok(ResourceGroupPage {
        groups: wire
            .resource_groups
            .map(|g| g.resource_group)
            .unwrap_or_default(),
        total_count: wire.total_count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_that_read() {
        // The shape of the API reference's example answer.
        let page = parse_list_resource_groups(
            br#"{"PageSize": 10, "RequestId": "4B450CA1-36E8-4AA2-8461-86B42BF4CC4E", "PageNumber": 1,
                 "TotalCount": 2,
                 "ResourceGroups": {"ResourceGroup": [
                   {"DisplayName": "group1", "Status": "OK", "AccountId": "123456789****",
                    "Name": "my-project", "CreateDate": "2015-01-23T12:33:18+0800", "Id": "rg-acfmzawhxxc****",
                    "Tags": {"Tag": []}},
                   {"Id": "rg-2", "Name": "n2"}
                 ]}}"#,
        )
        .unwrap();
        assert_eq!(page.total_count, Some(2));
        assert_eq!(
            page.groups[0],
            ResourceGroup {
                id: "rg-acfmzawhxxc****".into(),
                name: "my-project".into(),
                display_name: Some("group1".into()),
                status: Some("OK".into()),
                account_id: Some("123456789****".into()),
                create_date: Some("2015-01-23T12:33:18+0800".into()),
            }
        );
        assert_eq!(
            (
                page.groups[1].display_name.as_deref(),
                page.groups[1].status.as_deref()
            ),
            (None, None)
        );
        let empty = parse_list_resource_groups(br#"{"TotalCount": 0}"#).unwrap();
        assert!(empty.groups.is_empty() && empty.is_last(0, 100));
    }

    #[test]
    fn pages_that_do_not_read() {
        for body in [
            &b"[]"[..],
            b"",
            b"{",
            br#"{"ResourceGroups": {"ResourceGroup": [{"Name": "no id"}]}}"#,
            br#"{"ResourceGroups": {"ResourceGroup": {"Id": "rg-1", "Name": "n"}}}"#,
            br#"{"TotalCount": "two"}"#,
        ] {
            assert!(
                parse_list_resource_groups(body).is_err(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn the_last_page() {
        let page = |n: usize, total: Option<u64>| ResourceGroupPage {
            groups: (0..n)
                .map(|i| ResourceGroup {
                    id: format!("rg-{i}"),
                    name: format!("g{i}"),
                    display_name: None,
                    status: None,
                    account_id: None,
                    create_date: None,
                })
                .collect(),
            total_count: total,
        };
        assert!(!page(2, Some(5)).is_last(2, 2));
        assert!(!page(2, Some(5)).is_last(4, 2));
        assert!(page(1, Some(5)).is_last(5, 2));
        // Fewer left than the total said: the empty page ends it.
        assert!(page(0, Some(5)).is_last(4, 2));
        // Without a total: a full page may have more behind it, a short one does not.
        assert!(!page(2, None).is_last(2, 2));
        assert!(page(1, None).is_last(3, 2));
    }

    #[test]
    fn queries() {
        assert_eq!(
            list_resource_groups_query(3, MAX_PAGE_SIZE),
            [
                ("PageNumber".to_owned(), "3".to_owned()),
                ("PageSize".to_owned(), "100".to_owned())
            ]
        );
    }
}
