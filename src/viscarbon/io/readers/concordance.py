"""Reader of a user concordance (CEADs 47 inventory sectors → the 42 IO sectors), CSV.

The layout is the packaged one (``classification/data/concordance_inv47_io42_v1.csv``,
from ``shared/reference/concordance_inv47_io42.csv``): one row per inventory sector with
the columns ``inv_index`` (1-47), ``inventory_sector``, the targets of the sector list
(``io42_2012`` and/or ``io42_2017``, codes separated by ``;``, ``FD:<category>`` for
household rows; or one column ``targets``), ``allocation`` (``whole``, ``by_output``,
``equal``, ``household``) and optionally ``note``. Edit a copy of the packaged file to
change a rule; every row is checked and an error names the line and the column.
"""

from __future__ import annotations

import csv
from pathlib import Path

from viscarbon.classification import (
    ALLOCATION_RULES,
    SECTOR_LISTS,
    Concordance,
    ConcordanceRow,
    sector_codes,
)
from viscarbon.errors import DataError, LayoutError, ViscarbonError
from viscarbon.io.files import sha256_file

__all__ = ["N_INVENTORY_SECTORS", "read_concordance"]

N_INVENTORY_SECTORS = 47


def read_concordance(path: str | Path, *, list_id: str) -> Concordance:
    """The concordance in ``path`` for the IO sector list ``list_id`` (``io42_2012`` or
    ``io42_2017``). Its version is ``user:<file name>:<first 8 hex digits of SHA-256>``,
    so every result harmonized with it names the file it came from."""
    p = Path(path).expanduser()
    if list_id not in SECTOR_LISTS:
        raise DataError(f"unknown sector list {list_id!r}", hint="use " + " or ".join(SECTOR_LISTS))
    if not p.is_file():
        raise LayoutError("concordance file not found", where=f"file {p}", hint="check the path")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LayoutError("the concordance is not UTF-8 text", where=f"file {p}",
                          hint="save it as CSV UTF-8") from exc
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in (reader.fieldnames or [])]
    target_col = list_id if list_id in header else "targets" if "targets" in header else None
    missing = [c for c in ("inv_index", "inventory_sector", "allocation") if c not in header]
    if target_col is None:
        missing.append(f"{list_id} (or targets)")
    if missing:
        raise LayoutError("the concordance lacks the column(s) " + ", ".join(missing),
                          where=f"file {p}, line 1",
                          hint="columns: inv_index, inventory_sector, io42_2012 and/or io42_2017 "
                               "(or targets), allocation, note")
    valid = set(sector_codes(list_id))
    rows: list[ConcordanceRow] = []
    seen: dict[int, int] = {}
    for line, raw in enumerate(reader, start=2):
        rec = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        where = f"file {p}, line {line}"
        try:
            idx = int(rec["inv_index"])
        except ValueError:
            raise DataError(f"inv_index must be a whole number 1-47, got {rec['inv_index']!r}",
                            where=where + ", column inv_index") from None
        if not 1 <= idx <= N_INVENTORY_SECTORS:
            raise DataError(f"inv_index must be 1-47, got {idx}", where=where + ", column inv_index")
        if idx in seen:
            raise DataError(f"inventory sector {idx} appears twice (lines {seen[idx]} and {line})",
                            where=where + ", column inv_index")
        seen[idx] = line
        rule = rec["allocation"]
        if rule not in ALLOCATION_RULES:
            raise DataError(f"unknown allocation rule {rule!r}", where=where + ", column allocation",
                            hint="use one of: " + ", ".join(ALLOCATION_RULES))
        targets = tuple(t.strip() for t in rec[target_col].split(";") if t.strip())
        if not targets:
            raise DataError(f"inventory sector {idx} has no target", where=f"{where}, column {target_col}")
        for code in targets:
            if not code.startswith("FD:") and code not in valid:
                raise DataError(f"unknown IO sector {code!r} of list {list_id}",
                                where=f"{where}, column {target_col}",
                                hint="sector codes 01-42 (two digits) or FD:<category> for households")
        try:
            rows.append(ConcordanceRow(inv_index=idx, inventory_sector=rec["inventory_sector"],
                                       targets=targets, rule=rule, note=rec.get("note", "")))
        except ViscarbonError as exc:
            raise DataError(exc.message, where=f"{where}, column {target_col}", hint=exc.hint) from None
    absent = [i for i in range(1, N_INVENTORY_SECTORS + 1) if i not in seen]
    if absent:
        raise DataError("the concordance does not cover inventory sector(s) " + ", ".join(map(str, absent)),
                        where=f"file {p}", hint="give one row for each of the 47 inventory sectors")
    version = f"user:{p.name}:{sha256_file(p)[:8]}"
    return Concordance(version=version, list_id=list_id,
                       rows=tuple(sorted(rows, key=lambda r: r.inv_index)))
