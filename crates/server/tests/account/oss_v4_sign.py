"""The official OSS SDK (alibabacloud-oss-v2 1.4.1) signs and reads ListBuckets, for tests/server/account_signatures.rs.

Reads {"signer": [...], "client": [...]} as JSON on stdin and writes the SDK's results as JSON on stdout:

- signer: SignerV4 itself signs GET / with the case's keys, region, time and query (put in the URL as the client
  does, urlencode(quote_via=quote)) and the two content headers ListBuckets carries; out come its headers.
- client: the whole client calls list_buckets against a local HTTP server that records the request and answers
  with the case's status, headers and body; out come the recorded request and what the SDK made of the answer
  (the page, or the ServiceError's fields).

Exit status 2 with a pip hint when the SDK is missing, so the Rust side can say what to install.
"""

import datetime
import http.server
import json
import sys
import threading
from urllib.parse import quote, urlencode

try:
    import alibabacloud_oss_v2 as oss
    from alibabacloud_oss_v2.signer import SignerV4
except ImportError as e:
    print(f"{e}: pip install alibabacloud-oss-v2==1.4.1", file=sys.stderr)
    sys.exit(2)


def signer_case(case):
    url = f"https://{case['host']}/"
    query = urlencode([tuple(p) for p in case["query"]], quote_via=quote)
    if query:
        url += "?" + query
    request = oss.HttpRequest(
        method="GET",
        url=url,
        headers={"Content-Type": "application/octet-stream", "Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg=="},
    )
    SignerV4().sign(
        oss.SigningContext(
            product="oss",
            region=case["region"],
            request=request,
            credentials=oss.credentials.Credentials(case["ak"], case["sk"], case.get("token")),
            signing_time=datetime.datetime.fromtimestamp(case["unix"], datetime.timezone.utc),
        )
    )
    return {"url": request.url, "headers": dict(request.headers.items())}


class Recorder(http.server.BaseHTTPRequestHandler):
    answer = None
    seen = None

    def do_GET(self):
        Recorder.seen = {"path": self.path, "headers": [[k, v] for k, v in self.headers.items()]}
        body = Recorder.answer["body"].encode()
        self.send_response(Recorder.answer["status"])
        for name, value in Recorder.answer.get("headers", {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def client_case(case, port):
    Recorder.answer = case["answer"]
    Recorder.seen = None
    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(case["ak"], case["sk"], case.get("token"))
    cfg.region = case["region"]
    cfg.endpoint = f"http://127.0.0.1:{port}"
    cfg.retry_max_attempts = 1
    args = {"prefix": case.get("prefix"), "marker": case.get("marker"), "max_keys": case.get("max_keys")}
    out = {}
    try:
        result = oss.Client(cfg).list_buckets(oss.ListBucketsRequest(**args))
        out["page"] = {
            "buckets": [
                {"name": b.name, "region": b.region, "location": b.location} for b in (result.buckets or [])
            ],
            "is_truncated": bool(result.is_truncated),
            "next_marker": result.next_marker,
        }
    except oss.exceptions.OperationError as e:
        error = e.unwrap()
        if not isinstance(error, oss.exceptions.ServiceError):
            raise
        out["error"] = {"code": error.code, "message": error.message, "request_id": error.request_id, "ec": error.ec}
    out["request"] = Recorder.seen
    return out


def main():
    cases = json.load(sys.stdin)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        json.dump(
            {
                "signer": [signer_case(c) for c in cases["signer"]],
                "client": [client_case(c, server.server_address[1]) for c in cases["client"]],
            },
            sys.stdout,
        )
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
