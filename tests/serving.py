"""Run ``viscarbon serve`` in a subprocess on a free loopback port, and launch Debian's
Chromium: shared by the server and browser tests and by ``bench/web.py`` and
``bench/load.py`` (which put ``tests/`` on ``sys.path``, as ``bench/engine.py`` does)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("VISCARBON_CHROMIUM", "/usr/bin/chromium")
# without the background-networking switches Chromium tries to reach Google's hosts
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def viscarbon_cli(*args: str) -> list[str]:
    """The command line running ``viscarbon ARGS`` with this interpreter."""
    return [sys.executable, "-c", "from viscarbon.cli import main; main()", *args]


def start_server(store: Path, log: Path, *, args: Sequence[str] = (), warm: bool = False,
                 timeout: float = 60.0) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``viscarbon serve --store STORE ARGS`` on a free loopback port, wait until
    ``/api/health`` answers, and return the process and the base URL. ``warm`` asks for one
    demo view so that the first page does not pay for the year's analysis. Raises
    ``RuntimeError`` with the end of the server's log when it exits or does not answer."""
    port = free_port()
    env = dict(os.environ, VISCARBON_STORE=str(store), OPENBLAS_NUM_THREADS="1")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            viscarbon_cli("serve", "--host", "127.0.0.1", "--port", str(port), "--no-open",
                          "--store", str(store), *args),
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"viscarbon serve exited with {proc.returncode}: {log.read_text()[-2000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/api/health", timeout=2).json() == {"status": "ok"}:
                break
        if time.monotonic() > deadline:
            stop_server(proc)
            raise RuntimeError(f"viscarbon serve did not answer within {timeout:.0f} s: {log.read_text()[-2000:]}")
        time.sleep(0.2)
    if warm:
        httpx.get(f"{base}/api/view", params={"dataset": "demo", "year": 2017, "region": "GD"}, timeout=120)
    return proc, base


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@contextlib.contextmanager
def serving(store: Path, log: Path, **options: Any) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """:func:`start_server` … :func:`stop_server` as a ``with`` block."""
    proc, base = start_server(store, log, **options)
    try:
        yield proc, base
    finally:
        stop_server(proc)


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium through Playwright (no downloaded browser)."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
