"""Closed to other sites: the ``Host`` check (against DNS rebinding) and the security
headers of every response.

A page on another site can make a browser send requests to ``http://127.0.0.1:8050`` only
under its own name (DNS rebinding: ``evil.example`` resolving to 127.0.0.1), so a request
whose ``Host`` is not one of this server's names is refused with 400 before any data is
read. The names: ``localhost``, ``127.0.0.1``, ``::1``, the address the server is bound
to, the machine's own names and addresses when it is bound to every interface (0.0.0.0 or
``::``), and the names given with ``--allow-host``.

Every response carries ``X-Content-Type-Options: nosniff``, ``Referrer-Policy:
no-referrer``, ``X-Frame-Options: DENY`` and a Content-Security-Policy that allows only
the app's own scripts, styles, fonts and connections (``'self'``), images also from
``data:`` and ``blob:`` (the PNG/SVG downloads), style attributes (ECharts and Tabulator
position their elements with them) but no inline script, no ``eval`` and no framing
(``frame-ancestors 'none'``).
"""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Iterable
from typing import Any, Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from viscarbon.i18n import t

__all__ = ["CSP", "LOOPBACK_NAMES", "SECURITY_HEADERS", "HostCheck", "SecurityHeaders", "host_name",
           "server_names"]

LOOPBACK_NAMES: Final = ("localhost", "127.0.0.1", "::1")
WILDCARDS: Final = ("0.0.0.0", "::", "")

CSP: Final = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

SECURITY_HEADERS: Final[tuple[tuple[bytes, bytes], ...]] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", CSP.encode()),
)


def host_name(header: str) -> str:
    """The name of a ``Host`` header value without its port, lower case: ``"[::1]:8050"``
    → ``"::1"``, ``"LocalHost:80"`` → ``"localhost"``."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value[1:]
    if value.count(":") == 1:
        return value.split(":", 1)[0]
    return value.rstrip(".")


def _own_addresses() -> set[str]:
    """The machine's host names and the addresses they resolve to, and the address it
    would use to reach other hosts (no packet is sent)."""
    names: set[str] = set()
    with contextlib.suppress(OSError):
        hostname = socket.gethostname()
        names |= {hostname.lower(), socket.getfqdn().lower()}
        for info in socket.getaddrinfo(hostname, None):
            names.add(str(info[4][0]).lower())
    for family, probe in ((socket.AF_INET, ("10.255.255.255", 1)), (socket.AF_INET6, ("fd00::1", 1))):
        with contextlib.suppress(OSError), socket.socket(family, socket.SOCK_DGRAM) as s:
            s.connect(probe)
            names.add(str(s.getsockname()[0]).lower())
    return names


def server_names(bind_host: str, allowed: Iterable[str] = ()) -> frozenset[str]:
    """Every name a request's ``Host`` may carry for a server bound to ``bind_host``."""
    names = set(LOOPBACK_NAMES)
    bound = host_name(bind_host) if bind_host.startswith("[") else bind_host.strip().lower()
    if bound in WILDCARDS:
        names |= _own_addresses()
    else:
        names.add(bound)
    names |= {host_name(a) for a in allowed if a.strip()}
    return frozenset(names)


class HostCheck:
    """ASGI middleware: 400 (JSON ``{"error": …}``) for a request whose ``Host`` is not
    one of ``names``; everything else passes through untouched."""

    def __init__(self, app: ASGIApp, *, names: frozenset[str], lang: str = "en"):
        self.app = app
        self.names = names
        self.lang = lang

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = ""
        for key, value in scope.get("headers", ()):
            if key == b"host":
                host = value.decode("latin-1")
                break
        if host_name(host) in self.names:
            await self.app(scope, receive, send)
            return
        body = json.dumps({"error": t("api.error.host", self.lang, host=host or "-")},
                          ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": 400,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]})
        await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every HTTP response."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[Any] = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
