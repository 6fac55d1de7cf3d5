"""Recomputes ACS3-HMAC-SHA256 Authorization headers with the official Tea OpenAPI utility
(alibabacloud-tea-openapi's Utils.get_authorization, what every product SDK signs with), for
tests/server/account_gateway.rs.

Reads a JSON list of received requests on stdin, each {method, path, query: [[k, v]] (decoded), headers: {name:
value} (the ones its SignedHeaders lists), ak, sk}, and writes the list of Authorization values the SDK computes.

Exit status 2 with a pip hint when the SDK is missing, so the Rust side can say what to install.
"""

import json
import sys
from types import SimpleNamespace

try:
    from alibabacloud_tea_openapi.utils import Utils
except ImportError as e:
    print(f"{e}: pip install alibabacloud-emr-serverless-spark20230808==2.3.0", file=sys.stderr)
    sys.exit(2)


def authorization(case):
    request = SimpleNamespace(
        method=case["method"],
        pathname=case["path"],
        query=dict(case["query"]),
        headers=case["headers"],
    )
    payload = case["headers"]["x-acs-content-sha256"]
    return Utils.get_authorization(request, "ACS3-HMAC-SHA256", payload, case["ak"], case["sk"])


def main():
    json.dump([authorization(c) for c in json.load(sys.stdin)], sys.stdout)


if __name__ == "__main__":
    main()
