//! OSS's XML answers to ListBuckets: `ListAllMyBucketsResult` and `<Error>`, the latter also as the base64
//! `x-oss-err` header that carries it when the body is empty (HEAD-like answers, some proxies).
//!
//! The documents are read with quick-xml into a small tree of local names, then picked apart; a document that is
//! not well-formed XML is an error, never a partial result.
//!
//! Namespaces: the SDK (1.4.1, `serde.deserialize_xml`) strips the namespace of the root element only, so from a
//! document with a default `xmlns` it would read the root and no child (an empty, untruncated page). OSS's answers
//! evidently carry no default namespace (or the SDK's own ListBuckets would never list anything); should one come,
//! reading every element by its local name here lists the buckets instead of quietly showing none.
//! `tests/server/account_signatures.rs` pins both behaviours.

use std::fmt;

use base64::Engine;
use quick_xml::{Reader, escape::resolve_predefined_entity, events::Event};

/// One bucket of a ListBuckets page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bucket {
    pub name: String,
    /// The region id, e.g. `cn-hangzhou`.
    pub region: String,
    /// The OSS location, e.g. `oss-cn-hangzhou`.
    pub location: String,
    /// As sent, e.g. `2014-05-14T11:18:32.000Z`; empty when left out.
    pub creation_date: String,
}

/// One page of ListBuckets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BucketPage {
    pub buckets: Vec<Bucket>,
    pub is_truncated: bool,
    /// The `marker` of the next page; always `Some` when `is_truncated`.
    pub next_marker: Option<String>,
}

/// OSS's error document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OssError {
    pub code: String,
    pub message: String,
    pub request_id: String,
    /// OSS's finer error code (`0003-00000001`), for its troubleshooting pages; empty when left out.
    pub ec: String,
}

/// Why an answer could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum XmlError {
    /// Not well-formed XML (or not UTF-8, or not base64 in `x-oss-err`).
    Malformed(String),
    /// Well-formed, but another document than the one expected.
    UnexpectedRoot {
        expected: &'static str,
        found: String,
    },
    /// A required element is left out or empty.
    Missing(&'static str),
    /// An element holds a value of the wrong kind.
    BadValue {
        element: &'static str,
        value: String,
    },
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XmlError::Malformed(why) => write!(f, "malformed XML: {why}"),
            XmlError::UnexpectedRoot { expected, found } => {
                write!(f, "expected <{expected}>, found <{found}>")
            }
            XmlError::Missing(element) => write!(f, "<{element}> is missing"),
            XmlError::BadValue { element, value } => write!(f, "<{element}> holds {value:?}"),
        }
    }
}

impl std::error::Error for XmlError {}

/// An element by its local name, with its text and child elements; enough for OSS's attribute-free answers.
#[derive(Debug, Default)]
struct Element {
    name: String,
    text: String,
    children: Vec<Element>,
}

impl Element {
    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of a child, `None` when it is left out or empty (the SDK reads both as unset).
    fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
    }
}

fn malformed(e: impl fmt::Display) -> XmlError {
    XmlError::Malformed(e.to_string())
}

fn parse_tree(xml: &[u8]) -> Result<Element, XmlError> {
    let mut reader = Reader::from_reader(xml);
    // quick-xml checks that end tags match their start tags by default; keep it explicit, a mismatched document
    // must be refused rather than read as something else.
    reader.config_mut().check_end_names = true;
    let mut open: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(malformed)?;
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() => {
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                return Err(malformed(format!("<{name}> after the root element")));
            }
            Event::Start(start) => open.push(Element {
                name: std::str::from_utf8(start.local_name().as_ref())
                    .map_err(malformed)?
                    .to_owned(),
                ..Element::default()
            }),
            Event::Empty(start) => {
                let element = Element {
                    name: std::str::from_utf8(start.local_name().as_ref())
                        .map_err(malformed)?
                        .to_owned(),
                    ..Element::default()
                };
                match open.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::End(_) => {
                let done = open.pop().ok_or_else(|| malformed("unmatched end tag"))?;
                match open.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(text) => {
                let text = text.decode().map_err(malformed)?;
                match open.last_mut() {
                    Some(element) => element.text.push_str(&text),
                    None if text.trim().is_empty() => {}
                    None => return Err(malformed("text outside the root element")),
                }
            }
            Event::CData(data) => {
                let text = data.decode().map_err(malformed)?;
                let element = open
                    .last_mut()
                    .ok_or_else(|| malformed("CDATA outside the root element"))?;
                element.text.push_str(&text);
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref().map_err(malformed)? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = reference.decode().map_err(malformed)?;
                        resolve_predefined_entity(&name)
                            .ok_or_else(|| malformed(format!("unknown entity &{name};")))?
                            .to_owned()
                    }
                };
                let element = open
                    .last_mut()
                    .ok_or_else(|| malformed("a reference outside the root element"))?;
                element.text.push_str(&resolved);
            }
            Event::Eof if !open.is_empty() => {
                return Err(malformed(format!(
                    "<{}> is not closed",
                    open[open.len() - 1].name
                )));
            }
            Event::Eof => return root.ok_or_else(|| malformed("no root element")),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
        buf.clear();
    }
}

fn expect_root(root: &Element, expected: &'static str) -> Result<(), XmlError> {
    if root.name == expected {
        Ok(())
    } else {
        Err(XmlError::UnexpectedRoot {
            expected,
            found: root.name.clone(),
        })
    }
}

/// `true`/`false` in any case, as the SDK reads booleans. The SDK takes anything else for `false`, which on
/// `IsTruncated` would quietly drop the rest of the list; here it is an error instead.
fn boolean(element: &'static str, value: Option<&str>) -> Result<bool, XmlError> {
    match value {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(v) => Err(XmlError::BadValue {
            element,
            value: v.to_owned(),
        }),
    }
}

/// Reads a ListBuckets answer (`ListAllMyBucketsResult`, with or without its namespace).
///
/// A bucket without `Region` (older answers) takes it from `Location` (`oss-cn-hangzhou` → `cn-hangzhou`). A
/// truncated page without `NextMarker` is an error: asking again from the start would never end.
pub fn parse_list_buckets(xml: &[u8]) -> Result<BucketPage, XmlError> {
    let root = parse_tree(xml)?;
    expect_root(&root, "ListAllMyBucketsResult")?;
    let buckets = root
        .child("Buckets")
        .into_iter()
        .flat_map(|b| b.children("Bucket"))
        .map(|bucket| {
            let name = bucket.text_of("Name").ok_or(XmlError::Missing("Name"))?;
            let location = bucket.text_of("Location").unwrap_or_default();
            let region = bucket
                .text_of("Region")
                .or_else(|| location.strip_prefix("oss-"))
                .ok_or(XmlError::Missing("Region"))?;
            Ok(Bucket {
                name: name.to_owned(),
                region: region.to_owned(),
                location: location.to_owned(),
                creation_date: bucket
                    .text_of("CreationDate")
                    .unwrap_or_default()
                    .to_owned(),
            })
        })
        .collect::<Result<Vec<_>, XmlError>>()?;
    let is_truncated = boolean("IsTruncated", root.text_of("IsTruncated"))?;
    let next_marker = root.text_of("NextMarker").map(str::to_owned);
    if is_truncated && next_marker.is_none() {
        return Err(XmlError::Missing("NextMarker"));
    }
    Ok(BucketPage {
        buckets,
        is_truncated,
        next_marker,
    })
}

/// Reads an OSS error from its body or, when the body is empty, from the base64 `x-oss-err` header.
pub fn parse_error(body: &[u8], x_oss_err: Option<&str>) -> Result<OssError, XmlError> {
    let decoded;
    let xml = if body.iter().all(u8::is_ascii_whitespace) {
        let header = x_oss_err.ok_or_else(|| malformed("empty body and no x-oss-err header"))?;
        decoded = base64::engine::general_purpose::STANDARD
            .decode(header.trim())
            .map_err(|e| malformed(format!("x-oss-err is not base64: {e}")))?;
        decoded.as_slice()
    } else {
        body
    };
    let root = parse_tree(xml)?;
    expect_root(&root, "Error")?;
    let text = |name| root.text_of(name).unwrap_or_default().to_owned();
    let code = root.text_of("Code").ok_or(XmlError::Missing("Code"))?;
    Ok(OssError {
        code: code.to_owned(),
        message: text("Message"),
        request_id: text("RequestId"),
        ec: text("EC"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListAllMyBucketsResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">
  <Prefix>my</Prefix>
  <Marker>mybucket</Marker>
  <MaxKeys>10</MaxKeys>
  <IsTruncated>true</IsTruncated>
  <NextMarker>mybucket10</NextMarker>
  <Owner><ID>512**</ID><DisplayName>51264</DisplayName></Owner>
  <Buckets>
    <Bucket>
      <CreationDate>2014-02-07T18:12:43.000Z</CreationDate>
      <ExtranetEndpoint>oss-cn-shanghai.aliyuncs.com</ExtranetEndpoint>
      <IntranetEndpoint>oss-cn-shanghai-internal.aliyuncs.com</IntranetEndpoint>
      <Location>oss-cn-shanghai</Location>
      <Name>app-base-oss</Name>
      <Region>cn-shanghai</Region>
      <StorageClass>Standard</StorageClass>
    </Bucket>
    <Bucket>
      <CreationDate>2014-02-05T11:21:04.000Z</CreationDate>
      <Location>oss-cn-hangzhou</Location>
      <Name>logs&amp;more&#x2d;hz</Name>
    </Bucket>
  </Buckets>
</ListAllMyBucketsResult>"#;

    fn bucket(name: &str, region: &str, location: &str, created: &str) -> Bucket {
        Bucket {
            name: name.into(),
            region: region.into(),
            location: location.into(),
            creation_date: created.into(),
        }
    }

    #[test]
    fn pages_that_read() {
        let one = |name: &str| bucket(name, "cn-hangzhou", "oss-cn-hangzhou", "");
        for (xml, expected) in [
            (
                PAGE,
                BucketPage {
                    buckets: vec![
                        bucket(
                            "app-base-oss",
                            "cn-shanghai",
                            "oss-cn-shanghai",
                            "2014-02-07T18:12:43.000Z",
                        ),
                        // Region from Location; entity and character references resolved.
                        bucket(
                            "logs&more-hz",
                            "cn-hangzhou",
                            "oss-cn-hangzhou",
                            "2014-02-05T11:21:04.000Z",
                        ),
                    ],
                    is_truncated: true,
                    next_marker: Some("mybucket10".into()),
                },
            ),
            // Everything on one page: the paging elements are left out.
            (
                "<ListAllMyBucketsResult><Buckets><Bucket><Name>a</Name><Location>oss-cn-hangzhou</Location>\
                 </Bucket></Buckets></ListAllMyBucketsResult>",
                BucketPage {
                    buckets: vec![one("a")],
                    is_truncated: false,
                    next_marker: None,
                },
            ),
            // No buckets at all: `<Buckets/>`, or no `Buckets`.
            (
                "<ListAllMyBucketsResult><Buckets/></ListAllMyBucketsResult>",
                BucketPage {
                    buckets: vec![],
                    is_truncated: false,
                    next_marker: None,
                },
            ),
            (
                "<ListAllMyBucketsResult><Owner><ID>1</ID></Owner></ListAllMyBucketsResult>",
                BucketPage {
                    buckets: vec![],
                    is_truncated: false,
                    next_marker: None,
                },
            ),
            // A prefixed namespace, CDATA, and booleans in any case.
            (
                "<s:ListAllMyBucketsResult xmlns:s=\"urn:x\"><s:IsTruncated>FALSE</s:IsTruncated><s:Buckets>\
                 <s:Bucket><s:Name><![CDATA[a]]></s:Name><s:Region>cn-hangzhou</s:Region>\
                 <s:Location>oss-cn-hangzhou</s:Location></s:Bucket></s:Buckets></s:ListAllMyBucketsResult>",
                BucketPage {
                    buckets: vec![one("a")],
                    is_truncated: false,
                    next_marker: None,
                },
            ),
        ] {
            assert_eq!(parse_list_buckets(xml.as_bytes()), Ok(expected), "{xml}");
        }
    }

    #[test]
    fn pages_that_do_not_read() {
        let malformed = |e: &Result<BucketPage, XmlError>| matches!(e, Err(XmlError::Malformed(_)));
        for (xml, check) in [
            ("", &malformed as &dyn Fn(&_) -> bool),
            ("not xml", &malformed),
            ("<ListAllMyBucketsResult>", &malformed),
            ("<ListAllMyBucketsResult></Other>", &malformed),
            (
                "<ListAllMyBucketsResult></ListAllMyBucketsResult><x/>",
                &malformed,
            ),
            (
                "<ListAllMyBucketsResult>&nbsp;</ListAllMyBucketsResult>",
                &malformed,
            ),
            (
                "<ListAllMyBucketsResult><Buckets><Bucket><Name>a</Buckets></ListAllMyBucketsResult>",
                &malformed,
            ),
            ("<Error><Code>AccessDenied</Code></Error>", &|e| {
                *e == Err(XmlError::UnexpectedRoot {
                    expected: "ListAllMyBucketsResult",
                    found: "Error".into(),
                })
            }),
            (
                "<ListAllMyBucketsResult><Buckets><Bucket><Region>cn-hangzhou</Region></Bucket></Buckets>\
                 </ListAllMyBucketsResult>",
                &|e| *e == Err(XmlError::Missing("Name")),
            ),
            (
                "<ListAllMyBucketsResult><Buckets><Bucket><Name>a</Name></Bucket></Buckets>\
                 </ListAllMyBucketsResult>",
                &|e| *e == Err(XmlError::Missing("Region")),
            ),
            (
                "<ListAllMyBucketsResult><IsTruncated>true</IsTruncated></ListAllMyBucketsResult>",
                &|e| *e == Err(XmlError::Missing("NextMarker")),
            ),
            (
                "<ListAllMyBucketsResult><IsTruncated>yes</IsTruncated></ListAllMyBucketsResult>",
                &|e| {
                    *e == Err(XmlError::BadValue {
                        element: "IsTruncated",
                        value: "yes".into(),
                    })
                },
            ),
        ] {
            let result = parse_list_buckets(xml.as_bytes());
            assert!(check(&result), "{xml}: {result:?}");
        }
    }

    const ACCESS_DENIED: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  \
        <Code>AccessDenied</Code>\n  <Message>You have no right to access this object.</Message>\n  \
        <RequestId>5C3D9175B6FC201293AD****</RequestId>\n  <HostId>oss-cn-hangzhou.aliyuncs.com</HostId>\n  \
        <EC>0003-00000001</EC>\n</Error>";

    #[test]
    fn errors_from_body_or_header() {
        let denied = OssError {
            code: "AccessDenied".into(),
            message: "You have no right to access this object.".into(),
            request_id: "5C3D9175B6FC201293AD****".into(),
            ec: "0003-00000001".into(),
        };
        let b64 = base64::engine::general_purpose::STANDARD.encode(ACCESS_DENIED);
        for (body, header, expected) in [
            (ACCESS_DENIED, None, Ok(denied.clone())),
            // The body wins over the header.
            (ACCESS_DENIED, Some("garbage"), Ok(denied.clone())),
            ("", Some(b64.as_str()), Ok(denied.clone())),
            ("\n", Some(b64.as_str()), Ok(denied.clone())),
            (
                "<Error><Code>NoSuchBucket</Code></Error>",
                None,
                Ok(OssError {
                    code: "NoSuchBucket".into(),
                    message: String::new(),
                    request_id: String::new(),
                    ec: String::new(),
                }),
            ),
            (
                "<Error><Message>m</Message></Error>",
                None,
                Err(XmlError::Missing("Code")),
            ),
            (
                "<ListAllMyBucketsResult/>",
                None,
                Err(XmlError::UnexpectedRoot {
                    expected: "Error",
                    found: "ListAllMyBucketsResult".into(),
                }),
            ),
        ] {
            assert_eq!(
                parse_error(body.as_bytes(), header),
                expected,
                "{body:?} {header:?}"
            );
        }
        for (body, header) in [
            ("", None),
            ("", Some("!!not base64!!")),
            ("", Some("PEVycm9yPg==")), // "<Error>", unclosed
            ("<Error><Code>x</Code>", None),
            ("<html>", None),
        ] {
            let result = parse_error(body.as_bytes(), header);
            assert!(
                matches!(result, Err(XmlError::Malformed(_))),
                "{body:?} {header:?}: {result:?}"
            );
        }
    }
}
