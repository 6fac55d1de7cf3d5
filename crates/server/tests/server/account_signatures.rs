//! `aliyun::oss_v4` and `aliyun::oss_xml` against Alibaba's official OSS SDK (`alibabacloud-oss-v2` 1.4.1):
//! `tests/account/oss_v4_sign.py` has the SDK's `SignerV4` sign the same ListBuckets requests (same keys, region,
//! time and query) and runs its whole client against a local recorder, and this test compares every header, the
//! request the client really sent, and what the SDK read from each answer, with ours.
//!
//! Needs a Python with the SDK installed (`common::python`: `$PYTHON`, else the project's venv `target/py`, else
//! `python3`). A missing SDK fails the test (the script names the pip command), it is never skipped.

use serde_json::{Value, json};
use time::{PrimitiveDateTime, macros::format_description};
use workspace_server::aliyun::{
    acs3::{self, Credentials},
    oss_v4, oss_xml,
};

fn key(id: &str, secret: &str, token: Option<&str>) -> Credentials {
    Credentials {
        access_key_id: id.into(),
        access_key_secret: secret.into(),
        security_token: token.map(str::to_owned),
    }
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Lower-cased names, sorted, so two header lists compare regardless of order and case.
fn normalized(headers: impl IntoIterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = headers
        .into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect();
    out.sort();
    out
}

fn unix_of_oss_date(oss_date: &str) -> u64 {
    let format = format_description!("[year][month][day]T[hour][minute][second]Z");
    let parsed = PrimitiveDateTime::parse(oss_date, format).expect("x-oss-date");
    u64::try_from(parsed.assume_utc().unix_timestamp()).unwrap()
}

const JAN_2_2024: u64 = 1_704_164_645;
const STS_TOKEN: &str = "CAIS+token/with=padding==";

/// `SignerV4` and `sign_list_buckets` give the same headers, `Authorization` included, for the same request.
#[test]
fn signer_v4_and_ours_sign_alike() {
    struct Case {
        name: &'static str,
        credentials: Credentials,
        region: &'static str,
        unix: u64,
        query: Vec<(String, String)>,
    }
    let plain = key("LTAI5tOssKey", "oss-test-secret", None);
    let cases = [
        Case {
            name: "no query",
            credentials: plain.clone(),
            region: "cn-hangzhou",
            unix: JAN_2_2024,
            query: vec![],
        },
        Case {
            name: "marker, max-keys and a prefix with / and a space",
            credentials: plain.clone(),
            region: "cn-shanghai",
            unix: 1_767_225_599,
            query: pairs(&[
                ("prefix", "team a/logs"),
                ("marker", "logs/2024 01"),
                ("max-keys", "100"),
            ]),
        },
        Case {
            name: "STS token",
            credentials: key("STS.NUx", "sts-secret", Some(STS_TOKEN)),
            region: "ap-southeast-1",
            unix: JAN_2_2024,
            query: pairs(&[("max-keys", "2")]),
        },
        Case {
            name: "empty value, non-ASCII, reserved characters, order that changes when encoded",
            credentials: plain.clone(),
            region: "eu-central-1",
            unix: 951_782_400,
            query: pairs(&[
                ("tagging", ""),
                ("prefix", "日志+*~!'()"),
                // Decoded, `~` sorts before `é`; encoded, `%C3%A9` sorts before `~`.
                ("tag-key", "~"),
                ("tag-key", "é"),
                ("tag-value", "c d"),
            ]),
        },
    ];
    let input: Vec<Value> = cases
        .iter()
        .map(|c| {
            json!({
                "host": oss_v4::service_host(c.region),
                "region": c.region,
                "ak": c.credentials.access_key_id,
                "sk": c.credentials.access_key_secret,
                "token": c.credentials.security_token,
                "unix": c.unix,
                "query": c.query,
            })
        })
        .collect();
    let answer = crate::common::run_account_script(
        "oss_v4_sign.py",
        &json!({ "signer": input, "client": [] }),
    );
    let signed = answer["signer"].as_array().unwrap();
    assert_eq!(signed.len(), cases.len());
    for (case, sdk) in cases.iter().zip(signed) {
        let ours =
            oss_v4::sign_list_buckets(&case.credentials, case.region, &case.query, case.unix);
        let theirs: Vec<(String, String)> = sdk["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        let auth = |h: &[(String, String)]| {
            h.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
                .map(|(_, v)| v.clone())
        };
        assert_eq!(auth(&ours), auth(&theirs), "{}", case.name);
        assert_eq!(normalized(ours), normalized(theirs), "{}", case.name);
        // The URL the SDK built carries exactly the query we would send.
        let query = oss_v4::encode_query(&case.query);
        let url = format!("https://{}/", oss_v4::service_host(case.region));
        let expected = if query.is_empty() {
            url
        } else {
            format!("{url}?{query}")
        };
        assert_eq!(sdk["url"], expected, "{}", case.name);
    }
}

const TRUNCATED_PAGE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListAllMyBucketsResult>
  <Prefix></Prefix><Marker></Marker><MaxKeys>2</MaxKeys>
  <IsTruncated>true</IsTruncated><NextMarker>logs-sh</NextMarker>
  <Owner><ID>1234</ID><DisplayName>1234</DisplayName></Owner>
  <Buckets>
    <Bucket><CreationDate>2014-02-07T18:12:43.000Z</CreationDate><Location>oss-cn-hangzhou</Location>
      <Name>logs-hz</Name><Region>cn-hangzhou</Region><StorageClass>Standard</StorageClass></Bucket>
    <Bucket><CreationDate>2015-02-07T18:12:43.000Z</CreationDate><Location>oss-cn-shanghai</Location>
      <Name>logs&amp;sh</Name><Region>cn-shanghai</Region><StorageClass>IA</StorageClass></Bucket>
  </Buckets>
</ListAllMyBucketsResult>"#;

const LAST_PAGE: &str = "<ListAllMyBucketsResult><Owner><ID>1</ID></Owner><Buckets><Bucket>\
    <Location>oss-us-east-1</Location><Name>zz</Name><Region>us-east-1</Region></Bucket></Buckets>\
    </ListAllMyBucketsResult>";

const DENIED: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>\
    <Message>You are forbidden to list buckets.</Message><RequestId>65A1B2C3D4E5F6</RequestId>\
    <HostId>oss-cn-hangzhou.aliyuncs.com</HostId><EC>0003-00000001</EC></Error>";

/// The SDK's whole client, against a recorder: the request it sends is the one we would sign, and what it reads
/// from each answer is what we read.
#[test]
fn the_sdk_client_sends_what_we_sign_and_reads_what_we_read() {
    use base64::Engine;
    let denied_b64 = base64::engine::general_purpose::STANDARD.encode(DENIED);
    let sts = key("STS.NUx", "sts-secret", Some(STS_TOKEN));
    let plain = key("LTAI5tOssKey", "oss-test-secret", None);
    let cases = [
        (
            &plain,
            "cn-hangzhou",
            json!({"max_keys": 2}),
            json!({"status": 200, "headers": {"Content-Type": "application/xml"}, "body": TRUNCATED_PAGE}),
        ),
        (
            &sts,
            "cn-shanghai",
            json!({"marker": "logs-sh", "prefix": "a b/c", "max_keys": 2}),
            json!({"status": 200, "headers": {"Content-Type": "application/xml"}, "body": LAST_PAGE}),
        ),
        (
            &plain,
            "cn-hangzhou",
            json!({}),
            json!({"status": 403, "headers": {"Content-Type": "application/xml"}, "body": DENIED}),
        ),
        (
            &sts,
            "cn-beijing",
            json!({}),
            json!({"status": 403, "headers": {"x-oss-err": denied_b64}, "body": ""}),
        ),
    ];
    let input: Vec<Value> = cases
        .iter()
        .map(|(credentials, region, args, answer)| {
            let mut case = json!({
                "region": region,
                "ak": credentials.access_key_id,
                "sk": credentials.access_key_secret,
                "token": credentials.security_token,
                "answer": answer,
            });
            case.as_object_mut()
                .unwrap()
                .extend(args.as_object().unwrap().clone());
            case
        })
        .collect();
    let answer = crate::common::run_account_script(
        "oss_v4_sign.py",
        &json!({ "signer": [], "client": input }),
    );
    let results = answer["client"].as_array().unwrap();
    assert_eq!(results.len(), cases.len());
    // Added by the HTTP library, not by the signer, and not signed.
    let transport = [
        "host",
        "accept",
        "accept-encoding",
        "connection",
        "user-agent",
    ];
    for ((credentials, region, args, response), sdk) in cases.iter().zip(results) {
        let request = &sdk["request"];
        let path = request["path"].as_str().unwrap();
        let (route, raw_query) = path.split_once('?').unwrap_or((path, ""));
        assert_eq!(route, "/", "{args}");
        let query = acs3::decode_query(raw_query).unwrap();
        let sent: Vec<(String, String)> = request["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h[0].as_str().unwrap().into(), h[1].as_str().unwrap().into()))
            .filter(|(k, _): &(String, String)| {
                !transport.contains(&k.to_ascii_lowercase().as_str())
            })
            .collect();
        let oss_date = &sent
            .iter()
            .find(|(k, _)| k == "x-oss-date")
            .expect("x-oss-date sent")
            .1;
        let ours =
            oss_v4::sign_list_buckets(credentials, region, &query, unix_of_oss_date(oss_date));
        assert_eq!(normalized(ours), normalized(sent.clone()), "{args}");
        // The same, as a server checking a received request would recompute it.
        let authorization = oss_v4::authorization("GET", credentials, region, &query, &sent);
        assert!(
            sent.contains(&("Authorization".into(), authorization)),
            "{args}"
        );

        let body = response["body"].as_str().unwrap().as_bytes();
        if let Some(page) = sdk.get("page") {
            let ours = oss_xml::parse_list_buckets(body).unwrap();
            let buckets: Vec<Value> = ours
                .buckets
                .iter()
                .map(|b| json!({"name": b.name, "region": b.region, "location": b.location}))
                .collect();
            assert_eq!(page["buckets"], json!(buckets), "{args}");
            assert_eq!(page["is_truncated"], ours.is_truncated, "{args}");
            assert_eq!(page["next_marker"], json!(ours.next_marker), "{args}");
        } else {
            let header = response["headers"]["x-oss-err"].as_str();
            let ours = oss_xml::parse_error(body, header).unwrap();
            assert_eq!(
                sdk["error"],
                json!({"code": ours.code, "message": ours.message, "request_id": ours.request_id, "ec": ours.ec}),
                "{args}"
            );
        }
    }
    // Both pages and both ways of carrying an error were exercised.
    assert_eq!(
        results.iter().filter(|r| r.get("page").is_some()).count(),
        2
    );
    assert_eq!(
        results.iter().filter(|r| r.get("error").is_some()).count(),
        2
    );
}

/// Where we read more than the SDK, on purpose: with a default namespace on the root, SDK 1.4.1 strips it from the
/// root alone and then finds no `Buckets` child, an empty untruncated page; we read local names and list the bucket
/// (see `aliyun::oss_xml`). If the SDK starts reading such documents, this test says the note is out of date.
#[test]
fn a_default_namespace_is_where_we_read_more_than_the_sdk() {
    let namespaced = TRUNCATED_PAGE.replace(
        "<ListAllMyBucketsResult>",
        r#"<ListAllMyBucketsResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">"#,
    );
    let plain = key("LTAI5tOssKey", "oss-test-secret", None);
    let answer = crate::common::run_account_script(
        "oss_v4_sign.py",
        &json!({ "signer": [], "client": [{
            "region": "cn-hangzhou",
            "ak": plain.access_key_id,
            "sk": plain.access_key_secret,
            "answer": {"status": 200, "headers": {"Content-Type": "application/xml"}, "body": namespaced},
        }]}),
    );
    assert_eq!(
        answer["client"][0]["page"],
        json!({"buckets": [], "is_truncated": false, "next_marker": null})
    );
    let ours = oss_xml::parse_list_buckets(namespaced.as_bytes()).unwrap();
    assert_eq!(
        ours,
        oss_xml::parse_list_buckets(TRUNCATED_PAGE.as_bytes()).unwrap()
    );
    assert_eq!(ours.buckets.len(), 2);
    assert_eq!(ours.next_marker.as_deref(), Some("logs-sh"));
}
