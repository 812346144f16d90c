"""Bad imports lose nothing: the store's content and every dataset stay exactly as they
were after a failed import (library and CLI), after a crash in the middle of a write
(an exception in a write step, or the importing process killed with SIGKILL), and no
stale lock blocks the next import.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from fuzz_helpers import FUZZ, apply_byte_op, apply_grid_ops, byte_op, cell_ops
from inventory_fixtures import (
    province_values,
    release2021_sheets,
    write_release2021,
    write_workbook,
)
from mrio_fixtures import random_mrio, write_fixture
from viscarbon.errors import ViscarbonError
from viscarbon.ingest import import_files
from viscarbon.io.store import Store, StoreTransaction

KINDS = ("ceads-inventory", "ceads-mrio", "nbs-io", "pymrio")
INV_2017 = "Emission_Inventories_for_30_Provinces_2017.xlsx"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Valid files and a store holding an inventory (2015) and a linked MRIO (2015),
    built once; each test works on a copy of the store file."""
    d = tmp_path_factory.mktemp("robust_store")
    inv15, _ = write_release2021(d / "inv15", 2015, seed=5)
    inv17, _ = write_release2021(d / "inv17", 2017, seed=7)
    (d / "mrio").mkdir()
    mrio17 = write_fixture(random_mrio(year=2017, seed=17), d / "mrio", layout="2012-2017")
    mrio15 = write_fixture(random_mrio(year=2015, seed=15), d / "mrio", layout="2012-2017")
    store = d / "template.duckdb"
    import_files(store, "ceads-inventory", [inv15], name="inv")
    import_files(store, "ceads-mrio", [mrio15], name="mrio")
    return {"dir": d, "store": store, "inv17": inv17, "mrio17": mrio17,
            "inv_sheets": release2021_sheets(2017, province_values(7))}


def _fresh_store(base: dict[str, Any]) -> Path:
    d = base["dir"] / uuid.uuid4().hex[:10]
    d.mkdir()
    p = d / "store.duckdb"
    shutil.copyfile(base["store"], p)
    return p


def snapshot(path: Path, *, arrays: bool = True) -> tuple[str, list[Any], dict[str, float]]:
    """Content digest, dataset records, and (``arrays``) checksums of the stored arrays,
    loaded back (so the store is not only unchanged but readable)."""
    s = Store(path)
    recs = s.datasets()
    sums = {"inv/2015": float(s.load_inventory("inv", 2015).values.sum()),
            "mrio/2015": float(s.load_table("mrio", 2015).Z.sum())} if arrays else {}
    return s.content_digest(), recs, sums


def _leftovers(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f".{path.name}.*.tmp*"))


# --------------------------------------------------------------------------- bad imports
bad_file = st.one_of(
    st.tuples(st.just("inv_bytes"), byte_op),
    st.tuples(st.just("mrio_bytes"), byte_op),
    st.tuples(st.just("inv_cells"), cell_ops),
    st.tuples(st.just("wrong_kind"), st.sampled_from(["inv17", "mrio17"])),
    st.tuples(st.just("empty"), st.sampled_from([INV_2017, "china_2017_42.csv", "mrio_2017.xlsx"])),
)


def _make_bad(base: dict[str, Any], spec: tuple[Any, ...], kind: str, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    what = spec[0]
    if what == "inv_bytes":
        p = folder / INV_2017
        p.write_bytes(apply_byte_op(base["inv17"].read_bytes(), spec[1]))
    elif what == "mrio_bytes":
        p = folder / base["mrio17"].name
        p.write_bytes(apply_byte_op(base["mrio17"].read_bytes(), spec[1]))
    elif what == "inv_cells":
        p = write_workbook(folder / INV_2017, apply_grid_ops(base["inv_sheets"], spec[1], only="Beijing2017"))
    elif what == "wrong_kind":
        p = Path(shutil.copy(base[spec[1]], folder / base[spec[1]].name))
    else:
        p = folder / spec[1]
        p.write_bytes(b"")
    if kind == "pymrio":  # a folder holding the damaged file
        return folder
    return p


@settings(FUZZ, max_examples=10)
@given(spec=bad_file, kind=st.sampled_from(KINDS))
def test_failed_import_changes_nothing(base: dict[str, Any], spec: Any, kind: str) -> None:
    store = _fresh_store(base)
    before = snapshot(store, arrays=False)
    bad = _make_bad(base, spec, kind, store.parent / "in")
    try:
        res = import_files(store, kind, [bad], name="new", lock_timeout=1.0)
    except ViscarbonError as exc:
        assert str(exc).strip()
        event(f"{type(exc).__name__}: {exc.message[:30]}")
        assert snapshot(store, arrays=False) == before
    else:  # the damage left a valid file of this kind: it lands as a new dataset, nothing else moves
        assert res.changed and res.name == "new"
        event("imported")
        after = snapshot(store, arrays=False)
        assert [r.name for r in after[1]] == ["inv", "mrio", "new"]
        assert after[1][:2] == before[1] and after[2] == before[2]
    assert not _leftovers(store)


runner = CliRunner()


@settings(FUZZ, max_examples=6)
@given(spec=bad_file, kind=st.sampled_from(KINDS))
def test_failed_cli_import_is_one_line_and_changes_nothing(base: dict[str, Any], spec: Any, kind: str) -> None:
    from viscarbon.cli.app import app

    store = _fresh_store(base)
    before = snapshot(store, arrays=False)
    bad = _make_bad(base, spec, kind, store.parent / "in")
    r = runner.invoke(app, ["import", kind, str(bad), "--name", "new", "--store", str(store)],
                      env={"VISCARBON_DEBUG": ""})
    if r.exit_code == 0:
        assert [x.name for x in Store(store).datasets()] == ["inv", "mrio", "new"]
        return
    assert r.exit_code == 1, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in r.output
    assert r.output.count("error:") == 1, r.output
    assert snapshot(store, arrays=False) == before


# --------------------------------------------------------------------------- crashes
@pytest.mark.parametrize("step", ["put_inventory", "add_dataset", "replace", "interrupt"])
def test_crash_in_a_write_step_leaves_the_store_intact(base: dict[str, Any], step: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    store = _fresh_store(base)
    before = snapshot(store)
    boom: type[BaseException] = KeyboardInterrupt if step == "interrupt" else RuntimeError

    def explode(*args: Any, **kwargs: Any) -> Any:
        raise boom("simulated crash")

    with monkeypatch.context() as m:
        if step == "replace":
            import viscarbon.io.store.store as store_mod

            m.setattr(store_mod.os, "replace", explode)
        else:
            m.setattr(StoreTransaction, "put_inventory" if step == "interrupt" else step, explode)
        with pytest.raises(boom, match="simulated crash"):
            import_files(store, "ceads-inventory", [base["inv17"]], name="new", lock_timeout=1.0)
    assert snapshot(store) == before
    assert not _leftovers(store)
    # no stale lock: the next write goes through at once
    with Store(store).transaction(timeout=0.2) as tx:
        tx.rename_dataset("mrio", "mrio2")
    assert [r.name for r in Store(store).datasets()] == ["inv", "mrio2"]


_KILLED_IMPORTER = textwrap.dedent("""
    import sys, time
    from viscarbon.io.store import StoreTransaction
    from viscarbon.ingest import import_files

    orig = StoreTransaction.put_inventory
    def slow(self, ds, inv):
        orig(self, ds, inv)
        print("writing", flush=True)
        time.sleep(60)
    StoreTransaction.put_inventory = slow
    import_files(sys.argv[1], "ceads-inventory", [sys.argv[2]], name="new")
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX only: SIGKILL")
def test_sigkill_mid_write_leaves_the_store_intact_and_unlocked(base: dict[str, Any]) -> None:
    store = _fresh_store(base)
    before = snapshot(store)
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_IMPORTER, str(store), str(base["inv17"])],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line == "writing", proc.stderr.read() if proc.stderr else line
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(store) == before  # the killed write never reached the store file
    assert list(store.parent.glob(f".{store.name}.*.tmp*"))  # the killed importer's copy is left over
    res = import_files(store, "ceads-inventory", [base["inv17"]], name="new", lock_timeout=0.5)
    assert res.changed and res.years == (2017,)
    assert not list(store.parent.glob(f".{store.name}.*.tmp*"))  # and the next import removed it
    after = Store(store)
    assert [r.name for r in after.datasets()] == ["inv", "mrio", "new"]
    np.testing.assert_array_equal(after.load_inventory("inv", 2015).values,
                                  Store(base["store"]).load_inventory("inv", 2015).values)
