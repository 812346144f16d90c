"""Closed to other sites: the Host check (DNS rebinding), the security headers on every
response, and the warning when the dashboard listens on every interface."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from viscarbon.cli.app import app as cli_app
from viscarbon.web.app import create_app
from viscarbon.web.security import CSP, host_name, server_names

runner = CliRunner()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return create_app(store_path=tmp_path_factory.mktemp("sec") / "store.duckdb")


def _get(app: Any, url: str, host: str) -> Any:
    return TestClient(app, base_url=f"http://{host}").get(url)


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8050", "127.0.0.1.evil.example", "testserver",
                                  "192.0.2.7:8050"])
def test_a_rebinding_host_is_refused(app: Any, host: str) -> None:
    for url in ("/api/meta", "/", "/api/view?dataset=demo&region=GD", "/static/api-docs.js", "/api/health"):
        r = _get(app, url, host)
        assert r.status_code == 400, (host, url)
        assert "does not answer to the host name" in r.json()["error"]
        assert r.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("host", ["127.0.0.1:8050", "localhost", "LOCALHOST:80", "[::1]:8050"])
def test_loopback_names_are_served(app: Any, host: str) -> None:
    assert _get(app, "/api/health", host).status_code == 200


def test_allowed_and_bound_names(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    named = create_app(store_path=store, allowed_hosts=("viscarbon.lan",), bind_host="10.1.2.3")
    assert _get(named, "/api/health", "viscarbon.lan:8050").status_code == 200
    assert _get(named, "/api/health", "10.1.2.3:8050").status_code == 200
    assert _get(named, "/api/health", "10.1.2.4:8050").status_code == 400
    everywhere = server_names("0.0.0.0")
    assert socket.gethostname().lower() in everywhere and "127.0.0.1" in everywhere
    assert server_names("::") >= {"::1", "localhost"}
    assert "10.9.9.9" not in server_names("127.0.0.1")


def test_host_names_are_parsed() -> None:
    assert host_name("[::1]:8050") == "::1" and host_name("LocalHost:80") == "localhost"
    assert host_name("example.org.") == "example.org" and host_name("") == ""
    assert host_name("fe80::1") == "fe80::1"


def test_security_headers_on_the_page_the_api_static_files_and_errors(app: Any) -> None:
    for url, status in (("/", 200), ("/boot.js?lang=zh", 200), ("/api/meta", 200), ("/api/docs", 200),
                        ("/static/api-docs.js", 200), ("/api/view?region=XX", 400), ("/nothing", 404)):
        r = _get(app, url, "127.0.0.1:8050")
        assert r.status_code == status, url
        assert r.headers["x-content-type-options"] == "nosniff", url
        assert r.headers["referrer-policy"] == "no-referrer", url
        assert r.headers["x-frame-options"] == "DENY", url
        csp = r.headers["content-security-policy"]
        assert csp == CSP, url
    assert "script-src 'self'" in CSP and "'unsafe-eval'" not in CSP and "frame-ancestors 'none'" in CSP
    assert "img-src 'self' data: blob:" in CSP


def test_serving_on_every_interface_warns(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import uvicorn

    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.append((app, kw)))
    res = runner.invoke(cli_app, ["serve", "--host", "0.0.0.0", "--port", "1", "--store", str(tmp_path / "s.duckdb"),
                                  "--allow-host", "viscarbon.lan"])
    assert res.exit_code == 0, res.output
    assert "has no login" in res.output
    app, kw = served[-1]
    assert kw["host"] == "0.0.0.0" and "viscarbon.lan" in app.state.host_names
    res = runner.invoke(cli_app, ["serve", "--port", "1", "--store", str(tmp_path / "s.duckdb")])
    assert "has no login" not in res.output
