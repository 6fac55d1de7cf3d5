//! DLF 2.0 (DlfNext 2025-03-10) ListCatalogs: `GET /dlf/v1/catalogs` on `dlfnext.<region>.aliyuncs.com`, ROA,
//! signed ACS3-HMAC-SHA256 like CreateWorkspace, paged by `pageToken` → `nextPageToken`.
//!
//! Only the members the chooser shows are read; the rest (`options`, `prepayResource`, …) and members DLF adds
//! later are ignored, as the Tea SDK ignores them.

use serde::Deserialize;

/// `x-acs-version` of DlfNext.
pub const VERSION: &str = "2025-03-10";
/// `x-acs-action` of the listing.
pub const LIST_CATALOGS_ACTION: &str = "ListCatalogs";
/// The listing's path.
pub const LIST_CATALOGS_PATH: &str = "/dlf/v1/catalogs";
/// The status of a catalog a workspace can use.
pub const RUNNING: &str = "RUNNING";
/// Every status DLF documents for a catalog.
pub const STATUSES: [&str; 9] = [
    "NEW",
    "INITIALIZING",
    "INITIALIZE_FAILED",
    RUNNING,
    "TERMINATED",
    "DELETING",
    "DELETE_FAILED",
    "DELETED",
    "STORAGE_RESTRICTED",
];

/// The regional endpoint.
pub fn host(region: &str) -> String {
    format!("dlfnext.{region}.aliyuncs.com")
}

/// The query of one ListCatalogs call: `pageToken` only after the first page (the SDK sends none then),
/// `maxResults` when given.
pub fn list_catalogs_query(
    page_token: Option<&str>,
    max_results: Option<u32>,
) -> Vec<(String, String)> {
    let mut query = Vec::new();
    if let Some(n) = max_results {
        query.push(("maxResults".to_owned(), n.to_string()));
    }
    if let Some(token) = page_token.filter(|t| !t.is_empty()) {
        query.push(("pageToken".to_owned(), token.to_owned()));
    }
    query
}

/// One catalog, as much of it as the chooser needs.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    /// `clg-paimon-…`: what `dlfCatalogId` takes.
    pub id: String,
    pub name: String,
    /// e.g. `paimon`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// One of [`STATUSES`] (kept as sent: a status DLF adds later must not make the list unreadable).
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    /// Epoch milliseconds.
    #[serde(default)]
    pub created_at: Option<i64>,
}

impl Catalog {
    /// Whether a workspace can be created on it now.
    pub fn is_running(&self) -> bool {
        self.status.as_deref() == Some(RUNNING)
    }
}

/// One page of ListCatalogs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogPage {
    pub catalogs: Vec<Catalog>,
    /// `pageToken` of the next call; `None` on the last page (sent as `null`, empty or left out).
    pub next_page_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wire {
    #[serde(default)]
    catalogs: Option<Vec<Catalog>>,
    #[serde(default)]
    next_page_token: Option<String>,
}

/// Reads a ListCatalogs answer body.
pub fn parse_list_catalogs(body: &[u8]) -> Result<CatalogPage, serde_json::Error> {
    // serde reads a struct from an array too (`[]` would be an empty page); an answer that is not an object is
    // not a ListCatalogs answer.
    let value: serde_json::Value = serde_json::from_slice(body)?;
    if !value.is_object() {
        return Err(serde::de::Error::custom("the answer is not a JSON object"));
    }
    let wire: Wire = serde_json::from_value(value)?;
    Ok(CatalogPage {
        catalogs: wire.catalogs.unwrap_or_default(),
        next_page_token: wire.next_page_token.filter(|t| !t.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(id: &str, name: &str, status: Option<&str>) -> Catalog {
        Catalog {
            id: id.into(),
            name: name.into(),
            kind: None,
            status: status.map(str::to_owned),
            owner: None,
            created_at: None,
        }
    }

    #[test]
    fn answers_that_read() {
        let full = Catalog {
            id: "clg-paimon-0a1b2c".into(),
            name: "lakehouse".into(),
            kind: Some("paimon".into()),
            status: Some("RUNNING".into()),
            owner: Some("1234567890".into()),
            created_at: Some(1_735_689_600_000),
        };
        for (body, catalogs, token) in [
            (
                r#"{"catalogs":[{"id":"clg-paimon-0a1b2c","name":"lakehouse","type":"paimon","status":"RUNNING",
                    "owner":"1234567890","createdAt":1735689600000,"updatedAt":1735689600000,"createdBy":"x",
                    "updatedBy":"x","options":{"storage.type":"oss"},"isShared":false,"shareId":null}],
                    "nextPageToken":"tok-2","prepayResource":[]}"#,
                vec![full.clone()],
                Some("tok-2"),
            ),
            (
                r#"{"catalogs":[{"id":"c1","name":"a","status":"INITIALIZING"},{"id":"c2","name":"b"}],
                    "nextPageToken":null}"#,
                vec![
                    catalog("c1", "a", Some("INITIALIZING")),
                    catalog("c2", "b", None),
                ],
                None,
            ),
            (r#"{"catalogs":[],"nextPageToken":""}"#, vec![], None),
            (r#"{"catalogs":null}"#, vec![], None),
            (r#"{"requestId":"r"}"#, vec![], None),
        ] {
            let page = parse_list_catalogs(body.as_bytes()).unwrap();
            assert_eq!(page.catalogs, catalogs, "{body}");
            assert_eq!(page.next_page_token.as_deref(), token, "{body}");
        }
        assert!(full.is_running());
        assert!(!catalog("c", "n", Some("DELETING")).is_running());
        assert!(!catalog("c", "n", None).is_running());
    }

    #[test]
    fn answers_that_do_not_read() {
        for body in [
            "",
            "<html>",
            "[]",
            r#"{"catalogs":{}}"#,
            r#"{"catalogs":[{"name":"no id"}]}"#,
            r#"{"catalogs":[{"id":"c","name":7}]}"#,
            r#"{"catalogs":[],"nextPageToken":3}"#,
            r#"{"catalogs":[{"id":"c","name":"n","createdAt":"yesterday"}]}"#,
        ] {
            assert!(parse_list_catalogs(body.as_bytes()).is_err(), "{body}");
        }
    }

    #[test]
    fn queries() {
        let q = |t, n| list_catalogs_query(t, n);
        assert_eq!(q(None, None), vec![]);
        assert_eq!(q(Some(""), None), vec![]);
        assert_eq!(
            q(Some("tok/2"), Some(100)),
            vec![
                ("maxResults".to_owned(), "100".to_owned()),
                ("pageToken".to_owned(), "tok/2".to_owned())
            ]
        );
        assert_eq!(host("cn-hangzhou"), "dlfnext.cn-hangzhou.aliyuncs.com");
    }
}
