"""Shared pieces of the fuzz tests: grid and byte corruptions, and the property that a
reader either returns a valid object or raises a :class:`ViscarbonError` naming the file.

A corruption is a small list of operations drawn by hypothesis and applied to a valid
workbook (sheet name → grid of cell values from A1) or to a file's bytes. Positions are
drawn as fractions so that one strategy fits grids of any size.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from viscarbon.errors import ViscarbonError

Grid = list[list[Any]]
Sheets = dict[str, Grid]

#: Derandomized, bounded, no deadline: stable in CI and cheap on 2 cores.
FUZZ = settings(max_examples=25, derandomize=True, deadline=None, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])

NEGATE = object()  # marker: replace a number by its negative
BAD_VALUES: list[Any] = [
    "abc", "nan", "NaN", "inf", "-inf", "", None, float("nan"), float("inf"), float("-inf"),
    -1.0, -1e-3, 0.0, 1e308, -1e308, True, "1,000", " 12 ", "#DIV/0!", "１２", "Ⅻ", NEGATE,
]

frac = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
cell_value = st.one_of(st.sampled_from(BAD_VALUES), st.text(max_size=6),
                       st.floats(allow_nan=True, allow_infinity=True))

grid_op = st.one_of(
    st.tuples(st.just("cell"), frac, frac, frac, cell_value),
    st.tuples(st.just("del_row"), frac, frac),
    st.tuples(st.just("ins_row"), frac, frac),
    st.tuples(st.just("dup_row"), frac, frac),
    st.tuples(st.just("del_col"), frac, frac),
    st.tuples(st.just("ins_col"), frac, frac),
    st.tuples(st.just("del_sheet"), frac),
    st.tuples(st.just("rename_sheet"), frac, st.one_of(
        st.sampled_from(["Sheet1", "NOTE", "Beijing", "Beijing2016", "Tianjin2017", "2017", "sum",
                         "Province", "Sector", "Table_2017_new", "Table_2012", "北京2017"]),
        st.text(alphabet="abcXYZ 0123456789_-北京", min_size=1, max_size=12).map(str.strip).filter(bool))),
    st.tuples(st.just("clear_sheet"), frac),
)
grid_ops = st.lists(grid_op, min_size=1, max_size=3)
cell_op = st.tuples(st.just("cell"), st.just(0.0), frac, frac, cell_value)
cell_ops = st.lists(cell_op, min_size=1, max_size=3)

byte_op = st.one_of(
    st.tuples(st.just("truncate"), frac),
    st.tuples(st.just("flip"), st.lists(st.tuples(frac, st.integers(1, 255)), min_size=1, max_size=8)),
    st.tuples(st.just("zero_run"), frac, st.integers(1, 4096)),
)


def _pick(n: int, f: float) -> int:
    return min(int(f * n), n - 1) if n else 0


def apply_grid_ops(sheets: Sheets, ops: list[tuple[Any, ...]], *, only: str | None = None) -> Sheets:
    """A damaged deep copy of ``sheets`` (grids are lists of rows from A1); ``only``
    restricts the damage to one sheet."""
    out: Sheets = {k: [list(r) for r in v] for k, v in sheets.items()}
    for op in ops:
        names = [only] if only is not None and only in out else list(out)
        if not names:
            break
        name = names[_pick(len(names), op[1])]
        grid = out[name]
        kind = op[0]
        if kind == "cell" and grid:
            r = _pick(len(grid), op[2])
            row = grid[r]
            if not row:
                continue
            c = _pick(len(row), op[3])
            v = op[4]
            if v is NEGATE:
                old = row[c]
                v = -old if isinstance(old, int | float) and not isinstance(old, bool) else -1.0
            row[c] = v
        elif kind in ("del_row", "ins_row", "dup_row") and grid:
            r = _pick(len(grid), op[2])
            if kind == "del_row":
                del grid[r]
            elif kind == "ins_row":
                grid.insert(r, [])
            else:
                grid.insert(r, list(grid[r]))
        elif kind in ("del_col", "ins_col"):
            width = max((len(r) for r in grid), default=0)
            if not width:
                continue
            c = _pick(width, op[2])
            for row in grid:
                if kind == "del_col" and c < len(row):
                    del row[c]
                elif kind == "ins_col" and c <= len(row):
                    row.insert(c, "")
        elif kind == "del_sheet":
            del out[name]
        elif kind == "rename_sheet":
            new = op[2]
            if new not in out:
                out = {(new if k == name else k): v for k, v in out.items()}
        elif kind == "clear_sheet":
            out[name] = []
    return out


def apply_byte_op(data: bytes, op: tuple[Any, ...]) -> bytes:
    """``data`` truncated, with bytes flipped (xor) or with a run of zero bytes."""
    n = len(data)
    if op[0] == "truncate":
        return data[:_pick(n, op[1])]
    buf = bytearray(data)
    if op[0] == "flip":
        for f, x in op[1]:
            buf[_pick(n, f)] ^= x
        return bytes(buf)
    start = _pick(n, op[1])
    end = min(n, start + op[2])
    buf[start:end] = bytes(end - start)
    return bytes(buf)


CELL_WORDS = ("where a number is required", "non-finite", "negative", "spreadsheet error",
              "Excel error")


def expect_clean(call: Callable[[], Any], *, names: tuple[str, ...], cell_word: str | None = "cell",
                 ) -> ViscarbonError | Any:
    """Run a reader: it returns an object, or raises a :class:`ViscarbonError` whose
    message names one of ``names`` (the file); a complaint about one value must also say
    where it is (``cell_word``: ``cell`` for workbooks, ``line``/``row`` for text files).
    Any other exception type propagates and fails the test."""
    try:
        out = call()
    except ViscarbonError as exc:
        _event(f"error {type(exc).__name__}: {exc.message[:40]}")
        msg = str(exc)
        assert msg.strip(), "empty error message"
        assert "\n" not in msg.strip() or len(msg) < 2000, msg
        assert any(n in msg for n in names), f"error does not name the file {names}: {msg}"
        if cell_word and any(w in msg for w in CELL_WORDS):
            assert cell_word in msg, f"value error without a {cell_word}: {msg}"
        return exc
    _event("read")
    return out


def _event(text: str) -> None:
    if currently_in_test_context():
        event(text)


def assert_valid_arrays(**arrays: np.ndarray) -> None:
    """Arrays of a returned object are float64 and finite (the readers refuse NaN/inf)."""
    for name, a in arrays.items():
        arr = np.asarray(a)
        assert arr.dtype == np.float64, name
        assert np.isfinite(arr).all(), f"{name} holds non-finite values"


def is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
