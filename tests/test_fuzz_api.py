"""Fuzz the dashboard's JSON API from its own OpenAPI schema (schemathesis, in-process
ASGI, no network): no 5xx for any input, every 4xx is JSON ``{"error": …}`` naming the
problem, every response conforms to the schema; after a burst of bad requests the app
still answers ``/api/health`` and a good ``/api/view``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode, checks

from viscarbon.web.app import create_app


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The app over an empty store (the demo dataset only)."""
    return create_app(allowed_hosts=("testserver",), store_path=tmp_path_factory.mktemp("fuzz_api") / "store.duckdb")


@pytest.fixture(scope="module")
def api_schema(app: Any) -> Any:
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance]
ENDPOINTS = ("/api/health", "/api/meta", "/api/view", "/api/network", "/api/sectors", "/api/flows", "/api/cities",
             "/api/city-view",
             "/api/provinces", "/api/trade", "/api/trends", "/api/inventory-trend", "/api/inventory", "/api/compare",
             "/api/roadmap", "/api/headline", "/api/supply-chains", "/api/sda", "/api/city-pathway")
#: the routes that also take a POST (a JSON body)
POSTS = ("/api/roadmap",)


def assert_error_body(status: int, content_type: str, body: bytes) -> None:
    """A 4xx answer is JSON ``{"error": <non-empty text>}``."""
    if 400 <= status < 500:
        assert content_type.startswith("application/json"), content_type
        data = json.loads(body)
        assert isinstance(data, dict) and isinstance(data.get("error"), str), data
        assert data["error"].strip(), data


def test_every_endpoint_is_fuzzed(api_schema: Any) -> None:
    ops = sorted((op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations())
    assert ops == sorted([("GET", p) for p in ENDPOINTS] + [("POST", p) for p in POSTS])


CASES = [(p, m) for p in ENDPOINTS for m in ("positive", "negative")
         if not (p == "/api/health" and m == "negative")]  # health takes no parameter to get wrong


def _fuzz(api_schema: Any, method: str, path: str, mode: str) -> None:
    op = api_schema.find_operation_by_path(method, path)

    @given(case=op.as_strategy(generation_mode=GenerationMode(mode)))
    @settings(max_examples=8, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        response = case.call()
        case.validate_response(response, checks=CHECKS)
        ctype = response.headers.get("content-type") or [""]
        assert_error_body(response.status_code, ctype if isinstance(ctype, str) else ctype[0],
                          response.content)

    run()


@pytest.mark.parametrize(("path", "mode"), CASES)
def test_api_fuzz(api_schema: Any, path: str, mode: str) -> None:
    _fuzz(api_schema, "GET", path, mode)


@pytest.mark.parametrize(("path", "mode"), [(p, m) for p in POSTS for m in ("positive", "negative")])
def test_api_fuzz_post(api_schema: Any, path: str, mode: str) -> None:
    _fuzz(api_schema, "POST", path, mode)


BAD_REQUESTS = [
    "/api/view?dataset=nope", "/api/view?year=abc", "/api/view?year=1900", "/api/view?region=ZZ",
    "/api/view?region=%00", "/api/view?lang=xx", "/api/network?mode=heat", "/api/network?top=-5",
    "/api/network?top=nan", "/api/network?top=inf", "/api/network?keep=1e99", "/api/flows?limit=-1",
    "/api/flows?min=abc", "/api/flows?from=99&to=%FF", "/api/flows?intra=maybe", "/api/provinces?indicator=x",
    "/api/trends?top=99999999999999999999", "/api/inventory-trend?region=XZ&dataset=demo",
    "/api/compare?a=demo:2012&b=::", "/api/compare?a=demo:2099:GD&b=demo:2012:GD",
    "/api/download?table=secrets&format=exe", "/api/download?format=xlsx&table=sectors&year=2013",
    "/api/nothing-here", "/api/view?" + "x=1&" * 500, "/api/view?year=" + "9" * 5000,
]


def test_burst_of_bad_requests_then_health_and_a_good_view(app: Any) -> None:
    client = TestClient(app, raise_server_exceptions=False)
    statuses = []
    for url in BAD_REQUESTS * 2:
        r = client.get(url)
        statuses.append(r.status_code)
        assert r.status_code < 500, (url, r.status_code, r.text[:300])
        assert_error_body(r.status_code, r.headers.get("content-type", ""), r.content)
    assert sum(400 <= s < 500 for s in statuses) >= len(BAD_REQUESTS)  # most of them are refused
    health = client.get("/api/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    r = client.get("/api/view?dataset=demo&year=2017&region=GD")
    assert r.status_code == 200
    view = r.json()
    assert isinstance(view, dict) and view


def test_error_names_the_bad_value(app: Any) -> None:
    client = TestClient(app, raise_server_exceptions=False)
    r = client.get("/api/view?region=ZZ")
    assert r.status_code == 400 and "ZZ" in r.json()["error"]
    r = client.get("/api/network?mode=heat")
    assert r.status_code == 400 and "heat" in r.json()["error"] and "money" in r.json()["error"]
    r = client.get("/api/view?dataset=nope")
    assert r.status_code in (400, 404) and "nope" in r.json()["error"]
