"""The Network tab (and the province-year bundle that the Network, Sectors and Sankey tabs
draw from): ``/api/view`` and ``/api/network``.

:func:`gather` asks the analysis for one province-year (both link modes as
:class:`~viscarbon.analysis.Network` results, with every cell's rank and each node's
strongest link, the node indicators and the reconciliation); the payload functions shape
it into JSON and do no arithmetic beyond presentation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated

import numpy as np
from fastapi import APIRouter, Depends, Query

from viscarbon.analysis import Network, SectorIndicators, YearAnalysis
from viscarbon.analysis.indicators import Indicator
from viscarbon.analysis.results import IndicatorValues
from viscarbon.datasets import DatasetInfo
from viscarbon.harmonize import ReconciliationReport
from viscarbon.i18n import LANGS, normalize_lang, t
from viscarbon.web.deps import Ctx, JSONBytes, province_state
from viscarbon.web.views.common import (
    JSON,
    colour,
    honesty,
    indicator_specs,
    num,
    nums,
    reconciliation_block,
    region_label,
    sector_labels,
    status_note,
    unit_labels,
)
from viscarbon.web.views.headline import headline_block
from viscarbon.web.viewstate import ViewState

__all__ = ["COLUMN_FIELDS", "ProvinceYear", "compact_view", "gather", "header", "network_payload", "node_stats", "router", "view_payload"]


@dataclass(frozen=True, eq=False)
class ProvinceYear:
    """What the analysis computed for one province-year: the money network (its nodes
    carry every indicator), the carbon network (None when the region's CO2 is unknown),
    the reconciliation and the notes in each language."""

    info: DatasetInfo
    year: int
    region: str
    money: Network
    carbon: Network | None
    reconciliation: ReconciliationReport | None
    notes: Mapping[str, tuple[str, ...]]
    #: how the table treats imports (``IOTable.imports_treatment``): ``competitive`` (NBS
    #: 2015), ``noncompetitive_block`` (NBS 2017-2020) or ``noncompetitive_row`` (CEADs MRIO)
    imports_treatment: str = "noncompetitive_row"

    @property
    def nodes(self) -> SectorIndicators:
        return self.money.nodes

    @property
    def sectors(self) -> tuple[str, ...]:
        return tuple(self.money.sectors.codes)

    @property
    def sector_list(self) -> str:
        return self.money.sectors.list_id or self.info.sector_list

    @property
    def status(self) -> str:
        return str(self.money.nodes.status)

    @property
    def isolated(self) -> bool:
        return bool(self.money.isolated)

    def network(self, mode: str) -> Network | None:
        return self.money if mode == "money" else self.carbon


def gather(analysis: YearAnalysis, region: str) -> ProvinceYear:
    """Ask ``analysis`` for everything one province-year view shows."""
    money = analysis.network(region, mode="money")
    carbon = None if money.nodes.status == "missing" else analysis.network(region, mode="carbon")
    notes = {lang: tuple(money.nodes.meta.note_texts(lang)) for lang in LANGS}
    return ProvinceYear(info=analysis.resolved.dataset, year=analysis.year, region=region, money=money,
                        carbon=carbon, reconciliation=analysis.resolved.reconciliation, notes=notes,
                        imports_treatment=analysis.table.imports_treatment)


def header(py: ProvinceYear, lang: str, key: str) -> JSON:
    """The block every province-year payload starts with."""
    out: JSON = {"key": key, "year": py.year, "region": py.region}
    out.update(honesty(py.info, lang))
    out["title"] = {"region": region_label(py.region, lang), "region_code": py.region,
                    "year": py.year, "dataset": py.info.name}
    out["status"] = py.status
    out["status_note"] = status_note(py.status, py.region, lang)
    out["isolated"] = py.isolated
    if py.isolated:
        out["isolated_note"] = t("api.isolated.note", lang)
    return out


def node_stats(values: Mapping[str, IndicatorValues], specs: Sequence[Indicator], i: int) -> JSON:
    """Value, share (additive indicators), rank and percentile of sector ``i``."""
    out: JSON = {}
    for spec in specs:
        iv = values.get(spec.code)
        if iv is None:
            continue
        value = num(iv.value[i])
        out[spec.code] = {
            "value": value,
            "share": num(iv.share[i]) if (spec.additive and value is not None) else None,
            "rank": int(iv.rank[i]) if value is not None else None,
            "percentile": num(iv.percentile[i]) if value is not None else None,
        }
    return out


def _emitter_ranks(py: ProvinceYear) -> list[int | None]:
    """1-based emitter rank of each sector (ties by position); None when CO2 is unknown."""
    co2 = py.nodes.values["co2"]
    if not np.isfinite(co2.value).all():
        return [None] * len(py.sectors)
    return [int(r) for r in co2.rank.tolist()]


def view_payload(py: ProvinceYear, specs: Sequence[Indicator], *, lang: str,
                 headline: JSON | None = None) -> JSON:
    """``/api/view``: one province-year bundle (nodes with every indicator; both link
    modes as flat row-major S² arrays with the rank of each cell) and, when given, the
    headline figures (:func:`viscarbon.web.views.headline.headline_block`)."""
    lang = normalize_lang(lang)
    out = header(py, lang, f"view/{py.info.name}/{py.year}/{py.region}")
    out["reconciliation"] = reconciliation_block(py.reconciliation, py.region, lang)
    out["notes"] = list(py.notes.get(lang, ()))
    S = len(py.sectors)
    out["S"] = S
    out["sectors"] = list(py.sectors)
    names = sector_labels(py.sector_list, py.sectors, lang)
    emitter = _emitter_ranks(py)
    links: JSON = {}
    for mode in ("money", "carbon"):
        net = py.network(mode)
        if net is None:
            links[mode] = None
            continue
        flat = np.asarray(net.block, dtype=np.float64).ravel()
        links[mode] = {"unit": net.unit, "values": nums(flat), "rank": np.asarray(net.rank).ravel().tolist(),
                       "total": num(np.nansum(flat))}
    carbon_values = ({code: iv for code, iv in py.carbon.nodes.values.items()
                      if any(s.code == code and s.network for s in specs)} if py.carbon is not None else {})
    nodes = []
    for i, code in enumerate(py.sectors):
        name, short, fam = names[code]
        node: JSON = {"code": code, "label": name, "short": short, "family": fam, "colour": colour(fam)}
        node["indicators"] = node_stats(py.nodes.values, specs, i)
        node["by_mode"] = {"carbon": node_stats(carbon_values, specs, i)}
        node["empty"] = num(py.nodes.values["output"].value[i]) == 0.0
        node["emitter_rank"] = emitter[i]
        node["strongest"] = {}
        for mode in ("money", "carbon"):
            net = py.network(mode)
            c = int(net.strongest[i]) if net is not None else -1
            if net is None or c < 0:
                node["strongest"][mode] = None
            else:
                node["strongest"][mode] = {"source": py.sectors[c // S], "target": py.sectors[c % S],
                                           "value": num(net.block.ravel()[c]), "cell": c}
        nodes.append(node)
    out["nodes"] = nodes
    out["links"] = links
    out["units"] = unit_labels([*(s.unit for s in specs), "10k_yuan", "mt"], lang)
    out["headline"] = headline
    return out


def network_payload(py: ProvinceYear, pruned: Network | None, *, mode: str, top: float, keep: int,
                    lang: str) -> JSON:
    """``/api/network``: the edges the analysis kept (top p % of the block + the strongest
    link of each top-k emitter, flagged); none for carbon links of a region without CO2."""
    lang = normalize_lang(lang)
    S = len(py.sectors)
    out = header(py, lang, f"network/{py.info.name}/{py.year}/{py.region}/{mode}/{top:g}/{keep}")
    unit = pruned.unit if pruned is not None else ("mt" if mode == "carbon" else "10k_yuan")
    edges = pruned.edges if pruned is not None else ()
    out.update({
        "mode": mode, "top": top, "keep": keep, "n_top": math.floor(top * S * S / 100.0 + 1e-9),
        "unit": unit, "units": unit_labels([unit], lang), "nodes": list(py.sectors),
        "edges": [{"source": e.source, "target": e.target, "value": num(e.value), "share": num(e.share),
                   "rank": e.rank, "percentile": num(e.percentile), "kept_for_emitter": e.kept_for_emitter}
                  for e in edges],
    })
    out["edge_count"] = len(out["edges"])
    return out


# --------------------------------------------------------------------------- routes
router = APIRouter()


class NetworkQuery:
    """The decoded parameters of ``/api/network``: a province-year, the link mode, the edge
    share p (0 < p ≤ 100) and the number of top emitters kept visible."""

    def __init__(self, ctx: Ctx, st: Annotated[ViewState, Depends(province_state)],
                 mode: Annotated[str | None, Query(description="money or carbon.")] = None,
                 top: Annotated[str | None, Query(description="Edge share p in percent, 0 < p ≤ 100 (default 5).")] = None,
                 keep: Annotated[str | None, Query(description="Keep the top-k emitters visible (default 0).")] = None):
        self.state = ViewState.decode({**st.query(), **{k: v for k, v in (("mode", mode), ("top", top),
                                                                           ("keep", keep)) if v}},
                                      ctx.choices)


@router.get("/view", response_class=JSONBytes)
def view(ctx: Ctx, st: Annotated[ViewState, Depends(province_state)]) -> JSONBytes:
    """One province-year bundle: nodes with every indicator, both link modes in full."""
    def make() -> JSON:
        py = gather(ctx.workspace.year(st.dataset, st.year, state=ctx.state), st.region)
        return view_payload(py, indicator_specs(), lang=st.lang,
                            headline=headline_block(ctx.workspace.headline(st.dataset, st.year, st.region)))

    return ctx.respond("view", make, st.dataset, st.year, st.region, st.lang)


@router.get("/network", response_class=JSONBytes)
def network(ctx: Ctx, q: Annotated[NetworkQuery, Depends()]) -> JSONBytes:
    """The pruned network (top p % of cells + strongest links of the top-k emitters)."""
    st = q.state

    def make() -> JSON:
        ya = ctx.workspace.year(st.dataset, st.year, state=ctx.state)
        py = gather(ya, st.region)
        keep = 0 if py.status == "missing" else st.keep  # emitters unknown: nothing to keep visible
        pruned = (None if py.network(st.mode) is None
                  else ya.network(st.region, mode=st.mode, top_percent=st.top, keep_top_emitters=keep))
        return network_payload(py, pruned, mode=st.mode, top=st.top, keep=st.keep, lang=st.lang)

    return ctx.respond("network", make, st.dataset, st.year, st.region, st.mode, st.top, st.keep, st.lang)


#: the fields of a node indicator, in the columns of a compact bundle
COLUMN_FIELDS = ("value", "share", "rank", "percentile")


def compact_view(payload: JSON) -> JSON:
    """The province-year bundle in its compact, columnar form (the static export's): the
    node indicators and the per-mode network metrics as one array per field instead of
    one object per node, marked ``"compact": 1``. ``frontend/src/core/compact.js`` expands
    it back into the API's shape; nothing else changes. Pure."""
    nodes = payload["nodes"]

    def columns(get: Callable[[JSON], JSON]) -> JSON:
        codes: list[str] = list(dict.fromkeys(c for n in nodes for c in get(n)))
        return {c: {f: [get(n).get(c, {}).get(f) for n in nodes] for f in COLUMN_FIELDS} for c in codes}

    modes = list(dict.fromkeys(m for n in nodes for m in n.get("by_mode", {})))
    out = {k: v for k, v in payload.items() if k != "nodes"}
    out["compact"] = 1
    out["nodes"] = [{k: v for k, v in n.items() if k not in ("indicators", "by_mode")} for n in nodes]
    def mode_getter(mode: str) -> Callable[[JSON], JSON]:
        return lambda n: n.get("by_mode", {}).get(mode, {})

    out["columns"] = {"indicators": columns(lambda n: n["indicators"]),
                      "by_mode": {m: columns(mode_getter(m)) for m in modes}}
    return out
