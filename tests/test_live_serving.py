"""Fresh reads under load: while 10 clients hammer a running ``viscarbon serve``, a dataset
is removed, imported from another file, removed and imported again; every answer to a
request sent after an import (or removal) finished lists the datasets of the new store and
carries the numbers of the new file, never the old ones.

(The failure this guards against: DuckDB hands a process one database instance per path
while any connection to it is open, so a busy server kept reading the renamed-away file.)"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from mrio_fixtures import random_mrio, write_fixture
from serving import serving
from viscarbon.ingest import import_files, remove_dataset
from viscarbon.io.readers import read_ceads_mrio

pytestmark = pytest.mark.xdist_group("live_serving")

CLIENTS = 10
REGIONS = ("BJ", "TJ", "HE")


@dataclass(frozen=True)
class Answer:
    kind: str  # "meta" or "view"
    sent: float  # monotonic time the request was sent
    received: float  # ... and answered
    listed: bool | None  # meta: "live" in the datasets
    output: float | None  # view: output of BJ/01 of "live" (None: refused)
    status: int


def _hammer(base: str, stop: threading.Event, out: list[Answer], errors: list[str]) -> None:
    with httpx.Client(base_url=base, timeout=30) as c:
        while not stop.is_set():
            try:
                sent = time.monotonic()
                meta = c.get("/api/meta")
                got = time.monotonic()
                listed = any(d["name"] == "live" for d in meta.json()["datasets"])
                out.append(Answer("meta", sent, got, listed, None, meta.status_code))
                sent = time.monotonic()
                view = c.get("/api/view", params={"dataset": "live", "year": 2017, "region": "BJ"})
                got = time.monotonic()
            except httpx.HTTPError as exc:
                errors.append(repr(exc))
                continue
            if meta.status_code >= 500 or view.status_code >= 500:
                errors.append(f"{meta.status_code} {view.status_code}: {view.text[:200]}")
                continue
            output = view.json()["nodes"][0]["indicators"]["output"]["value"] if view.status_code == 200 else None
            out.append(Answer("view", sent, got, None, output, view.status_code))


def test_imports_and_removals_are_seen_at_once_under_load(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
    a_file = write_fixture(random_mrio(REGIONS, year=2017, seed=21), tmp_path / "a", layout="2012-2017",
                           name="mrio_a_2017.xlsx")
    b_file = write_fixture(random_mrio(REGIONS, year=2017, seed=22), tmp_path / "b", layout="2012-2017",
                           name="mrio_b_2017.xlsx")
    a_out = float(read_ceads_mrio(a_file).x[0])
    b_out = float(read_ceads_mrio(b_file).x[0])
    assert a_out != b_out
    store = tmp_path / "store.duckdb"
    import_files(store, "ceads-mrio", [a_file], name="live")
    answers: list[Answer] = []
    errors: list[str] = []
    stop = threading.Event()
    with serving(store, tmp_path / "serve.log", warm=True) as (_, base):
        threads = [threading.Thread(target=_hammer, args=(base, stop, answers, errors)) for _ in range(CLIENTS)]
        for th in threads:
            th.start()
        try:
            time.sleep(1.5)
            steps: list[tuple[float, float, str]] = []  # (began, finished, what the store holds after)
            for step in ("remove", "b", "remove", "a"):
                began = time.monotonic()
                if step == "remove":
                    remove_dataset(store, "live")
                else:
                    import_files(store, "ceads-mrio", [b_file if step == "b" else a_file], name="live",
                                 lock_timeout=30)
                steps.append((began, time.monotonic(), step))
                time.sleep(2.0)
        finally:
            stop.set()
            for th in threads:
                th.join(timeout=60)
    assert not errors, errors[:5]

    def holds(ans: Answer) -> str | None:
        """What the store held for the whole life of a request sent after a step had finished
        and answered before the next one began (None: in flight across a change, not judged)."""
        for k, (_, finished, step) in enumerate(steps):
            nxt = steps[k + 1][0] if k + 1 < len(steps) else float("inf")
            if finished <= ans.sent and ans.received < nxt:
                return step
        return None

    judged: dict[str, int] = {}
    for ans in answers:
        state = holds(ans)
        if state is None:
            continue
        judged[state] = judged.get(state, 0) + 1
        if ans.kind == "meta":
            assert ans.listed is (state != "remove"), (state, ans)
        elif state == "remove":
            assert ans.output is None and ans.status == 400, (state, ans)
        else:
            assert ans.output == (a_out if state == "a" else b_out), (state, ans)
    assert set(judged) == {"remove", "a", "b"} and sum(judged.values()) > 8 * CLIENTS, judged
