"""CO2 inventory (47 CEADs sectors × fuels) → CO2 satellite account of an IO table.

The mapping follows a :class:`~viscarbon.classification.Concordance`: each inventory row
``s`` goes to its IO targets by a visible rule (see ``docs/harmonize.md``):

* ``whole``      ``F[:, (r, t)] += e_rs`` (one target);
* ``by_output``  ``F[:, (r, t)] += e_rs · x_rt / Σ_{t'∈T_s} x_rt'`` (gross output of the
  targets in the same region of the table; equal split, with a note, when every
  target has zero output);
* ``equal``      ``F[:, (r, t)] += e_rs / |T_s|``;
* ``household``  ``F_Y[:, (r, k)] += e_rs / |T_s|`` for the final-demand categories
  ``k`` of the targets ``FD:<k>`` (46 Urban → FU102, 47 Rural → FU101).

Tables without household categories: the NBS 2017-2020 national tables have only final
consumption ``TC`` (households and government together). When no target category of a
``household`` row exists in the table but ``TC`` does, the row is re-targeted to
``FD:TC`` with :meth:`~viscarbon.classification.Concordance.with_rule` before mapping
(:func:`adapt_concordance`), so the change is part of the concordance label
(``inv47-io42_2017-v1 + 46:household:FD:TC; 47:household:FD:TC``) and a note says so.
No inventory row targets ``IMP`` (competitive imports of the NBS 2015 table): imports
carry no domestic direct emissions.

Here ``e_rs`` (k,) is the inventory row of region ``r`` by column (17 fuels, Scope 2 /
other energy, Process), Mt CO2, ``x`` (n,) gross output in 10,000 yuan. Every rule
conserves the row: ``Σ_t F[:, (r, t)] + Σ_k F_Y[:, (r, k)] = Σ_s e_rs``, so the mapped
total of a region equals its inventory total (to float rounding). This is the usual
construction of an environmental extension ``F`` (Miller & Blair 2009, §10.2 and §13.1,
"environmentally extended input-output"), with the concordance playing the role of the
bridge matrix of §10.2.

Determinism: only element-wise IEEE operations and ordered sums (``math.fsum``) are
used (no BLAS), so the same objects give bit-identical arrays on every machine.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from viscarbon.classification import SECTOR_LISTS, Concordance, ConcordanceRow, concordance
from viscarbon.errors import DataError, NotFound
from viscarbon.i18n import t
from viscarbon.model import InventoryTable, IOTable, Provenance, SatelliteAccount

__all__ = [
    "HarmonizeNote",
    "ReconciliationReport",
    "ReconciliationRow",
    "adapt_concordance",
    "build_co2_satellite",
    "impute_missing_regions",
    "nearest_table_year",
    "report_from_json",
    "report_to_json",
]

Arr = NDArray[np.float64]
N_INVENTORY_ROWS = 47


# --------------------------------------------------------------------------- notes
@dataclass(frozen=True, slots=True)
class HarmonizeNote:
    """A note as catalog key + parameters, rendered in either language by :meth:`text`.

    ``key`` is relative to the ``harmonize.note.`` namespace of the i18n catalogs.
    """

    key: str
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, key: str, **params: object) -> HarmonizeNote:
        return cls(key, tuple((k, str(v)) for k, v in params.items()))

    def text(self, lang: str | None = "en") -> str:
        return t(f"harmonize.note.{self.key}", lang, **dict(self.params))


# --------------------------------------------------------------------------- report
@dataclass(frozen=True, slots=True)
class ReconciliationRow:
    """One region: inventory total vs what the mapping put into the table, Mt CO2.

    ``mapped_total = mapped_industries + mapped_households``; ``difference =
    mapped_total − inventory_total`` (None when the region has no inventory);
    ``mrio_co2_total`` is the table's own CO2 row (``extras["co2_row"]``) summed over the
    region's sectors, None when the table has none.
    """

    region: str
    status: str
    inventory_total: float | None
    mapped_industries: float
    mapped_households: float
    mrio_co2_total: float | None
    notes: tuple[HarmonizeNote, ...] = ()

    @property
    def mapped_total(self) -> float:
        return self.mapped_industries + self.mapped_households

    @property
    def difference(self) -> float | None:
        if self.inventory_total is None:
            return None
        return self.mapped_total - self.inventory_total

    @property
    def mrio_difference(self) -> float | None:
        """``mrio_co2_total − inventory_total`` (None if either is absent)."""
        if self.inventory_total is None or self.mrio_co2_total is None:
            return None
        return self.mrio_co2_total - self.inventory_total


@dataclass(frozen=True, slots=True)
class ReconciliationReport:
    """Per-region reconciliation of a harmonized CO2 satellite (all figures Mt CO2)."""

    inventory_year: int
    table_year: int
    concordance: str
    rows: tuple[ReconciliationRow, ...]
    notes: tuple[HarmonizeNote, ...] = field(default=())
    synthetic: bool = False

    def row(self, region: str) -> ReconciliationRow:
        for r in self.rows:
            if r.region == region:
                return r
        raise NotFound(f"no reconciliation row for region {region!r}",
                       hint="available: " + ", ".join(r.region for r in self.rows))

    @property
    def max_abs_difference(self) -> float:
        """Largest |mapped − inventory| over reported regions, Mt (0 if none)."""
        diffs = [abs(r.difference) for r in self.rows if r.difference is not None]
        return max(diffs, default=0.0)

    def notes_text(self, lang: str | None = "en") -> list[str]:
        return [n.text(lang) for n in self.notes]

    def as_records(self, lang: str | None = "en") -> list[dict[str, object]]:
        """One dict per region (codes as keys, Mt CO2), notes rendered in ``lang``."""
        return [
            {
                "region": r.region,
                "status": r.status,
                "inventory_year": self.inventory_year,
                "table_year": self.table_year,
                "inventory_total_mt": r.inventory_total,
                "mapped_industries_mt": r.mapped_industries,
                "mapped_households_mt": r.mapped_households,
                "mapped_total_mt": r.mapped_total,
                "difference_mt": r.difference,
                "mrio_co2_total_mt": r.mrio_co2_total,
                "mrio_difference_mt": r.mrio_difference,
                "notes": "; ".join(n.text(lang) for n in r.notes),
            }
            for r in self.rows
        ]


# --------------------------------------------------------------------------- years
def nearest_table_year(year: int, table_years: Iterable[int]) -> int:
    """The table year closest to ``year``; ties go to the earlier year.

    ``nearest_table_year(2016, (2012, 2015, 2017)) == 2015`` (|2016−2015| = |2016−2017|,
    the earlier wins: the inventory is mapped with a structure that existed at the
    time rather than one from its future). Raises :class:`NotFound` if there is none.
    """
    years = sorted({int(y) for y in table_years})
    if not years:
        raise NotFound(f"no table year to map inventory year {year} to",
                       hint="import an MRIO or IO table first")
    return min(years, key=lambda y: (abs(y - year), y))


# --------------------------------------------------------------------------- main
def _resolve_concordance(table: IOTable, conc: Concordance | None) -> Concordance:
    list_id = table.sectors.list_id
    if conc is None:
        if list_id not in SECTOR_LISTS:
            raise DataError(
                f"the table's sector axis has no known classification (list_id {list_id!r})",
                where=f"table {table.year}",
                hint="harmonize with a concordance written for this sector list (--concordance FILE; "
                     "the packaged ones cover the NBS lists io42_2012 and io42_2017)",
            )
        return concordance(list_id)
    if list_id and conc.list_id != list_id:
        raise DataError(
            f"concordance {conc.version} is for sector list {conc.list_id}, the table uses {list_id}",
            where=f"table {table.year}",
            hint=f"use classification.concordance({list_id!r})",
        )
    return conc


#: Final-demand category that takes household direct emissions when a table has no
#: urban/rural household categories (NBS 2017-2020: final consumption, not split).
FINAL_CONSUMPTION: str = "TC"


def adapt_concordance(conc: Concordance, table: IOTable) -> tuple[Concordance, tuple[HarmonizeNote, ...]]:
    """``conc`` fitted to the final-demand categories of ``table``, with notes.

    A ``household`` row none of whose ``FD:<k>`` targets is a category of ``table`` is
    re-targeted to ``FD:TC`` (final consumption) when the table has ``TC``, through
    :meth:`Concordance.with_rule`, so the concordance label records it. Every other row
    is unchanged; a table with FU101/FU102 (CEADs MRIO, NBS 2015) gets ``conc`` itself.
    Conservation is unaffected: the row still lands whole in the region's final demand,
    ``F_Y[:, (r, TC)] += e_rs`` (Miller & Blair 2009, §10.2).
    """
    cats = set(table.fd_categories.codes)
    if FINAL_CONSUMPTION not in cats:
        return conc, ()
    notes: list[HarmonizeNote] = []
    out = conc
    for row in sorted(conc.rows, key=lambda r: r.inv_index):
        if row.rule != "household" or any(tg[3:] in cats for tg in row.targets):
            continue
        out = out.with_rule(row.inv_index, "household", targets=(f"FD:{FINAL_CONSUMPTION}",))
        notes.append(HarmonizeNote.of("household_tc", inv_index=row.inv_index,
                                      sector=row.inventory_sector,
                                      targets="+".join(tg[3:] for tg in row.targets)))
    return out, tuple(notes)


def _targets(row: ConcordanceRow, table: IOTable) -> tuple[list[int], list[int]]:
    """Sector positions and final-demand category positions of a concordance row."""
    sectors: list[int] = []
    cats: list[int] = []
    for code in row.targets:
        if code.startswith("FD:"):
            if row.rule != "household":
                raise DataError(
                    f"inventory row {row.inv_index} sends CO2 to final demand {code} under rule "
                    f"{row.rule!r}", hint="use rule 'household' for FD:<category> targets")
            cat = code[3:]
            if cat not in table.fd_categories.codes:
                raise DataError(
                    f"household emissions of inventory row {row.inv_index} go to {cat}, which the "
                    f"table has no column for", where=f"table {table.year}",
                    hint="final-demand categories: " + ", ".join(table.fd_categories.codes))
            cats.append(table.fd_categories.index(cat))
        else:
            if row.rule == "household":
                raise DataError(f"rule 'household' needs FD:<category> targets "
                                f"(inventory row {row.inv_index})")
            sectors.append(table.sectors.index(code))
    return sectors, cats


def build_co2_satellite(
    inventory: InventoryTable,
    table: IOTable,
    *,
    concordance: Concordance | None = None,
    impute_missing: bool = False,
) -> tuple[SatelliteAccount, ReconciliationReport]:
    """Map a CEADs inventory onto the sectors of ``table``: the ``CO2`` satellite.

    Returns ``(account, report)``: ``account.F`` (k × n) by column of the inventory
    (k = ``len(inventory.columns)``, 21 for CEADs) and region-sector, ``account.F_Y``
    (k × R·K) households' direct emissions in the FU102 (urban) / FU101 (rural) columns
    of their own region (``TC`` final consumption for tables without them, see
    :func:`adapt_concordance`), Mt CO2 (Miller & Blair 2009, §10.2, §13.1). See the module
    docstring for the rules.

    Regions of the table without an inventory (Tibet) get ``region_status "missing"``
    and zeros that mean *unknown*. With ``impute_missing=True`` they are estimated:

    ``F[c, (m, j)] = (Σ_r F[c, (r, j)] / Σ_r x_(r, j)) · x_(m, j)``  (r over reported regions)

    i.e. the national average intensity of sector ``j`` for column ``c`` (Mt per 10,000
    yuan) times the region's gross output, which also carries the national fuel mix of
    each sector; households: ``F_Y[c, (m, k)] = (Σ_r F_Y[c, (r, k)] / Σ_r y_(r, k)) ·
    y_(m, k)`` with ``y_(r, k)`` the region's total final demand in category ``k``.
    Such regions get status ``"imputed"`` and a note.

    The inventory year may differ from the table year (pick the table with
    :func:`nearest_table_year`); the account takes the inventory year and the notes
    say which table was used.
    """
    conc, adapt_notes = adapt_concordance(_resolve_concordance(table, concordance), table)
    if len(inventory.sectors) != N_INVENTORY_ROWS:
        raise DataError(
            f"the inventory has {len(inventory.sectors)} sector rows, the concordance expects "
            f"{N_INVENTORY_ROWS} (CEADs IPCC sectoral layout)", where=f"inventory {inventory.year}")
    rows = sorted(conc.rows, key=lambda r: r.inv_index)
    if [r.inv_index for r in rows] != list(range(1, N_INVENTORY_ROWS + 1)):
        raise DataError(f"concordance {conc.version} does not cover inventory rows 1-47 once each")
    plan = [(r, *_targets(r, table)) for r in rows]

    R, S, K = table.n_regions, table.n_sectors, len(table.fd_categories)
    C = len(inventory.columns)
    x = table.x
    FT = np.zeros((R * S, C))  # transposed while filling: a row per region-sector
    FYT = np.zeros((R * K, C))
    inv_pos = {code: i for i, code in enumerate(inventory.regions.codes)}
    status: list[str] = []
    region_notes: list[list[HarmonizeNote]] = [[] for _ in range(R)]
    notes: list[HarmonizeNote] = [HarmonizeNote.of("concordance", label=conc.label), *adapt_notes]
    if inventory.year != table.year:
        notes.append(HarmonizeNote.of("year_mismatch", inventory_year=inventory.year,
                                      table_year=table.year))

    for r, code in enumerate(table.regions.codes):
        ri = inv_pos.get(code)
        if ri is None:
            status.append("missing")
            continue
        status.append("reported")
        vals = inventory.values[ri]
        base, fbase = r * S, r * K
        for s, (row, secs, cats) in enumerate(plan):
            e = vals[s]
            if row.rule == "household":
                share = 1.0 / len(cats)
                for k in cats:
                    FYT[fbase + k] += e * share if len(cats) > 1 else e
                continue
            if row.rule == "whole" or len(secs) == 1:
                FT[base + secs[0]] += e
                continue
            weights: Sequence[float]
            if row.rule == "by_output":
                xs = [float(x[base + j]) for j in secs]
                tot = math.fsum(xs)
                if tot > 0:
                    weights = [v / tot for v in xs]
                else:
                    weights = [1.0 / len(secs)] * len(secs)
                    if vals[s].any():
                        region_notes[r].append(HarmonizeNote.of(
                            "by_output_fallback", region=code, inv_index=row.inv_index,
                            targets="+".join(row.targets)))
            else:  # equal
                weights = [1.0 / len(secs)] * len(secs)
            for j, w in zip(secs, weights, strict=True):
                FT[base + j] += e * w

    for code in inventory.regions.codes:
        if code not in table.regions.codes:
            notes.append(HarmonizeNote.of(
                "extra_region", region=code,
                total=f"{float(inventory.totals[inv_pos[code]]):.6g}"))

    for r, st in enumerate(status):
        if st == "missing":
            region_notes[r].append(HarmonizeNote.of("missing", region=table.regions.codes[r]))

    co2_row = table.extras.get("co2_row")
    if co2_row is not None and co2_row.shape != (R * S,):
        notes.append(HarmonizeNote.of("co2_row_shape", shape=str(co2_row.shape)))
        co2_row = None
    recon: list[ReconciliationRow] = []
    for r, code in enumerate(table.regions.codes):
        ri = inv_pos.get(code)
        inv_total = float(inventory.totals[ri]) if ri is not None else None
        ind = math.fsum(FT[r * S:(r + 1) * S].ravel().tolist())
        hh = math.fsum(FYT[r * K:(r + 1) * K].ravel().tolist())
        mrio = (math.fsum(co2_row[r * S:(r + 1) * S].tolist())
                if co2_row is not None and np.isfinite(co2_row[r * S:(r + 1) * S]).all()
                else None)
        recon.append(ReconciliationRow(code, status[r], inv_total, ind, hh, mrio,
                                       tuple(region_notes[r])))

    prov = (*inventory.provenance,
            Provenance(source="viscarbon", product="harmonized CO2 satellite",
                       vintage=conc.label, notes=f"inventory {inventory.year}, table {table.year}",
                       synthetic=inventory.synthetic, citation=t("common.citation.inventory", "en")))
    all_notes = (*notes, *(n for rn in region_notes for n in rn))
    account = SatelliteAccount(
        name="CO2",
        stressors=inventory.columns,
        F=np.ascontiguousarray(FT.T),
        F_Y=np.ascontiguousarray(FYT.T),
        unit="Mt",
        year=inventory.year,
        region_status=tuple(status),
        provenance=prov,
        notes=tuple(n.text("en") for n in all_notes),
    )
    report = ReconciliationReport(
        inventory_year=inventory.year,
        table_year=table.year,
        concordance=conc.label,
        rows=tuple(recon),
        notes=tuple(notes),
        synthetic=inventory.synthetic or table.synthetic,
    )
    if impute_missing:
        imputed, imputed_report = impute_missing_regions(account, report, table)
        assert imputed_report is not None
        return imputed, imputed_report
    return account, report


def impute_missing_regions(account: SatelliteAccount, report: ReconciliationReport | None, table: IOTable
                           ) -> tuple[SatelliteAccount, ReconciliationReport | None]:
    """The imputation overlay: ``account`` and ``report`` with the regions of status
    ``missing`` estimated (status ``imputed``), everything else unchanged.

    ``F[c, (m, j)] = (Σ_r F[c, (r, j)] / Σ_r x_(r, j)) · x_(m, j)`` over the reported regions
    r (the national average intensity of sector j for column c, Mt per 10,000 yuan, times
    the region's gross output, 10,000 yuan); households: ``F_Y[c, (m, k)] = (Σ_r F_Y[c, (r,
    k)] / Σ_r y_(r, k)) · max(y_(m, k), 0)`` with ``y_(r, k)`` the region's total final
    demand in category k. The region's note ``missing`` becomes ``imputed``. Applied on the
    stored harmonized account, so that imputation is an explicit, labelled layer over the
    data (see :func:`build_co2_satellite`); regions without ``missing`` status return the
    inputs as they are.
    """
    status = list(account.region_status)
    missing = [r for r, st in enumerate(status) if st == "missing"]
    if not missing or "reported" not in status:
        return account, report  # nothing to estimate, or nothing to estimate it from
    R, S, K = table.n_regions, table.n_sectors, len(table.fd_categories)
    if account.F.shape[1] != R * S or (report is not None and len(report.rows) != R):
        raise DataError(f"the CO2 account does not fit the table ({account.F.shape[1]} columns for "
                        f"{R}×{S} region-sectors)", where=f"table {table.year}")
    FT = np.array(account.F.T, order="C")
    FYT = np.array(account.F_Y.T, order="C")
    _impute(FT, FYT, table, status)
    rows = list(report.rows) if report is not None else []
    for r in missing:
        status[r] = "imputed"
        if report is None:
            continue
        code = table.regions.codes[r]
        old = rows[r]
        notes = tuple(HarmonizeNote.of("imputed", region=code) if n.key == "missing" else n for n in old.notes)
        rows[r] = ReconciliationRow(old.region, "imputed", old.inventory_total,
                                    math.fsum(FT[r * S:(r + 1) * S].ravel().tolist()),
                                    math.fsum(FYT[r * K:(r + 1) * K].ravel().tolist()),
                                    old.mrio_co2_total, notes)
    if report is None:
        imputed_note = tuple(HarmonizeNote.of("imputed", region=table.regions.codes[r]).text("en") for r in missing)
        return replace(account, F=np.ascontiguousarray(FT.T), F_Y=np.ascontiguousarray(FYT.T),
                       region_status=tuple(status), notes=(*account.notes, *imputed_note)), None
    all_notes = (*report.notes, *(n for row in rows for n in row.notes))
    imputed = replace(account, F=np.ascontiguousarray(FT.T), F_Y=np.ascontiguousarray(FYT.T),
                      region_status=tuple(status), notes=tuple(n.text("en") for n in all_notes))
    return imputed, replace(report, rows=tuple(rows))


# --------------------------------------------------------------------------- JSON
def report_to_json(report: ReconciliationReport) -> str:
    """The whole report as JSON (notes as catalog keys and parameters), for the store."""
    def notes(ns: Sequence[HarmonizeNote]) -> list[object]:
        return [[n.key, [list(p) for p in n.params]] for n in ns]

    return json.dumps({
        "inventory_year": report.inventory_year, "table_year": report.table_year,
        "concordance": report.concordance, "synthetic": report.synthetic, "notes": notes(report.notes),
        "rows": [{"region": r.region, "status": r.status, "inventory_total": r.inventory_total,
                  "mapped_industries": r.mapped_industries, "mapped_households": r.mapped_households,
                  "mrio_co2_total": r.mrio_co2_total, "notes": notes(r.notes)} for r in report.rows],
    }, ensure_ascii=False)


def report_from_json(text: str) -> ReconciliationReport:
    """The report :func:`report_to_json` wrote (floats come back bit for bit)."""
    d = json.loads(text)

    def notes(ns: list[list[Any]]) -> tuple[HarmonizeNote, ...]:
        return tuple(HarmonizeNote(str(k), tuple((str(a), str(b)) for a, b in ps))
                     for k, ps in ns)

    def opt(v: object) -> float | None:
        return None if v is None else float(v)  # type: ignore[arg-type]

    rows = tuple(ReconciliationRow(str(r["region"]), str(r["status"]), opt(r["inventory_total"]),
                                   float(r["mapped_industries"]), float(r["mapped_households"]),
                                   opt(r["mrio_co2_total"]), notes(r["notes"])) for r in d["rows"])
    return ReconciliationReport(inventory_year=int(d["inventory_year"]), table_year=int(d["table_year"]),
                                concordance=str(d["concordance"]), rows=rows, notes=notes(d["notes"]),
                                synthetic=bool(d["synthetic"]))


def _impute(FT: Arr, FYT: Arr, table: IOTable, status: list[str]) -> None:
    """Fill the rows of ``missing`` regions in place (national average intensities).

    ``FT`` is (n × k), ``FYT`` (R·K × k); see :func:`build_co2_satellite` for the formula.
    """
    R, S, K = table.n_regions, table.n_sectors, len(table.fd_categories)
    C = FT.shape[1]
    rep = [r for r, st in enumerate(status) if st == "reported"]
    if not rep:
        return
    F3 = FT.reshape(R, S, C)
    x2 = table.x.reshape(R, S)
    num = F3[rep].sum(axis=0)  # (S, C) Mt
    den = x2[rep].sum(axis=0)  # (S,) 10,000 yuan
    with np.errstate(divide="ignore", invalid="ignore"):
        intensity = np.where(den[:, None] > 0, num / den[:, None], 0.0)
    FY3 = FYT.reshape(R, K, C)
    ycat = table.Y.sum(axis=0).reshape(R, K)  # total final demand per region and category
    hnum = FY3[rep].sum(axis=0)  # (K, C)
    hden = ycat[rep].sum(axis=0)  # (K,)
    with np.errstate(divide="ignore", invalid="ignore"):
        hint = np.where(hden[:, None] > 0, hnum / hden[:, None], 0.0)
    for m, st in enumerate(status):
        if st != "missing":
            continue
        F3[m] = intensity * x2[m][:, None]
        FY3[m] = hint * np.maximum(ycat[m], 0.0)[:, None]
