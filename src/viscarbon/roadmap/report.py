"""The roadmap report: one self-contained HTML page per language (every string from the
message catalogs, ``report.*``), printable on A4 (print CSS, page breaks), its pathway chart
an inline SVG drawn here (no script, no web font, no request to anywhere), and a PDF of it
printed by Debian's Chromium.

What it shows for a region (a province or CN, the nation): headline numbers, the pathways
(history before t0, baseline, scenario, the secda target and the scenario's net CO2 after
Carbon Removal), the targets with their gaps, sector targets by milestone, the wedges, the
levers, the key emitters' partners and the joint chains with the main partner province,
the assistant's answers, the assumptions (labelled as assumptions), sources and units.

Numbers are written for people: Mt CO2 with one decimal, money in 亿元 (zh) or ¥ billion
(en) with one decimal (the model's 10,000 yuan at t0 prices divided by 10⁴ or 10⁵),
intensities in t CO2 per 10,000 yuan with two decimals; never exponents.
"""

from __future__ import annotations

import html
import math
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import numpy as np
from numpy.typing import NDArray

from viscarbon._version import __version__
from viscarbon.classification import label
from viscarbon.errors import ViscarbonError
from viscarbon.i18n import normalize_lang, t
from viscarbon.roadmap.assistant import default_partner, questions
from viscarbon.roadmap.engine import T_PER_MT
from viscarbon.roadmap.names import region_name, sector_name
from viscarbon.roadmap.priorities import (
    MILESTONES,
    joint_chains,
    lever_ranking,
    partners,
    sector_reductions,
    wedges,
)
from viscarbon.roadmap.run import NATION, Roadmap

__all__ = ["CHROMIUM_FLAGS", "ReportError", "chromium_path", "fmt_money", "fmt_mt", "render_html",
           "write_html", "write_pdf"]

Arr = NDArray[np.float64]

#: Flags of the PDF print: headless, no GPU, no network (as the browser-test fixtures use).
CHROMIUM_FLAGS: Final = (
    "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
    "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
    "--disable-sync", "--no-first-run", "--disable-extensions", "--metrics-recording-only",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost", "--proxy-server=127.0.0.1:9",
    "--run-all-compositor-stages-before-draw", "--virtual-time-budget=5000",
)
PDF_TIMEOUT_S: Final = 120
_COLOURS: Final = {"history": "#777777", "baseline": "#E69F00", "scenario": "#0072B2", "secda": "#009E73",
                   "net": "#0072B2"}


class ReportError(ViscarbonError):
    """The report cannot be made (no Chromium for the PDF, the print failed)."""


# ---------------------------------------------------------------------------- formatting
def fmt_mt(v: float | None, *, decimals: int = 1, signed: bool = False) -> str:
    """Mt CO2 for people: fixed decimals, thousands separated, "–" when unknown."""
    if v is None or not math.isfinite(v):
        return "–"
    return f"{v:+,.{decimals}f}" if signed else f"{v:,.{decimals}f}"


def fmt_money(v_10k_yuan: float, lang: str) -> str:
    """Money given in 10,000 yuan: ``1,234.5 亿元`` (÷10⁴; 万亿元 ÷10⁸ from 10⁴ 亿元 on) or
    ``¥123.5 billion`` (÷10⁵), one decimal."""
    if not math.isfinite(v_10k_yuan):
        return "–"
    if normalize_lang(lang) == "zh-Hans":
        yi = v_10k_yuan / 1e4
        if abs(yi) >= 1e4:
            return t("report.unit.wanyi", lang, value=f"{yi / 1e4:,.1f}")
        return t("report.unit.yi", lang, value=f"{yi:,.1f}")
    return t("report.unit.bn", lang, value=f"{v_10k_yuan / 1e5:,.1f}")


def _e(s: object) -> str:
    return html.escape(str(s), quote=True)


def _total(rm: Roadmap, a: Arr, region: str) -> Arr:
    if region == NATION:
        out: Arr = a[:, rm.base.reported].sum(axis=1)
        return out
    return a[:, rm.base.regions.index(region)]


def _k(rm: Roadmap, year: int) -> int:
    return int(year - rm.years[0])


def _history(rm: Roadmap, region: str) -> tuple[list[int], Arr]:
    """The inventory years before t0 and the region's production-based CO2 in them (Mt)."""
    base = rm.base
    hist_years = [y for y in base.history.years if y < base.t0]
    if not hist_years:
        return [], np.zeros(0)
    idx = [base.history.years.index(y) for y in hist_years]
    by_region = base.history.by_region
    h: Arr = (np.nansum(by_region[:, base.reported], axis=1) if region == NATION
              else by_region[:, base.regions.index(region)])[idx]
    return hist_years, h


# ---------------------------------------------------------------------------- the chart
def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    span = max(hi - lo, 1e-9)
    raw = span / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    out = []
    v = start
    while v <= hi + 1e-9 * step:
        out.append(round(v, 10))
        v += step
    return out


def pathway_svg(rm: Roadmap, region: str, lang: str, *, width: int = 720, height: int = 380) -> str:
    """The pathway chart as inline SVG: production-based CO2 (Mt) of the history (before
    t0), the baseline, the scenario, the secda target and the scenario's net CO2 (after
    Carbon Removal), 2060 on the right."""
    base = rm.base
    years = rm.years.astype(np.float64)
    hist_years, h = _history(rm, region)
    series: list[tuple[str, NDArray[np.float64], Arr, bool]] = []
    if len(h):
        hx = np.array([*hist_years, base.t0], dtype=np.float64)
        hy = np.concatenate([h, _total(rm, rm.pba("baseline"), region)[:1]])
        series.append(("history", hx, hy, False))
    for name in ("baseline", "scenario", "secda"):
        series.append((name, years, _total(rm, rm.pba(name), region), False))
    net = _total(rm, rm.pba("scenario") - rm.removal["scenario"], region)
    series.append(("net", years, net, True))
    all_x = np.concatenate([s[1] for s in series])
    all_y = np.concatenate([s[2][np.isfinite(s[2])] for s in series])
    x0, x1 = float(all_x.min()), float(all_x.max())
    y_hi = float(max(all_y.max(), 1e-6)) * 1.05
    y_lo = min(0.0, float(all_y.min()))
    left, right, top, bottom = 64, 16, 16, 78
    pw, ph = width - left - right, height - top - bottom

    def X(v: float) -> float:
        return left + (v - x0) / max(x1 - x0, 1) * pw

    def Y(v: float) -> float:
        return top + (1 - (v - y_lo) / max(y_hi - y_lo, 1e-9)) * ph

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'class="chart" aria-label="{_e(t("report.chart.title", lang, region=region_name(region, lang)))}">']
    for v in _ticks(y_lo, y_hi):
        if v > y_hi:
            continue
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{Y(v):.1f}" y2="{Y(v):.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{Y(v) + 4:.1f}" text-anchor="end" class="tick">{_e(fmt_mt(v, decimals=0))}</text>')
    for yv in range(int(math.ceil(x0 / 10) * 10), int(x1) + 1, 10):
        parts.append(f'<text x="{X(yv):.1f}" y="{height - bottom + 16}" text-anchor="middle" class="tick">{yv}</text>')
        parts.append(f'<line x1="{X(yv):.1f}" x2="{X(yv):.1f}" y1="{top + ph}" y2="{top + ph + 4}" class="axis"/>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{Y(0):.1f}" y2="{Y(0):.1f}" class="axis"/>')
    parts.append(f'<text x="14" y="{top + ph / 2:.0f}" transform="rotate(-90 14 {top + ph / 2:.0f})" '
                 f'text-anchor="middle" class="tick">{_e(t("report.chart.axis", lang))}</text>')
    for name, xs, ys, dashed in series:
        ok = np.isfinite(ys)
        pts = " ".join(f"{X(float(a)):.1f},{Y(float(b)):.1f}" for a, b in zip(xs[ok], ys[ok], strict=True))
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{_COLOURS[name]}" stroke-width="2"{dash} '
                     f'class="line-{name}"/>')
    for i, (name, _xs, _ys, dashed) in enumerate(series):
        lx = left + (i % 3) * (pw / 3)
        ly = top + ph + 34 + (i // 3) * 16
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        parts.append(f'<line x1="{lx}" x2="{lx + 22}" y1="{ly}" y2="{ly}" stroke="{_COLOURS[name]}" stroke-width="2"{dash}/>')
        parts.append(f'<text x="{lx + 28}" y="{ly + 4}" class="legend">{_e(t("report.series." + name, lang))}</text>')
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------------------- sections
def _table(head: Sequence[str], rows: Sequence[Sequence[str]], *, numeric_from: int = 1, cls: str = "") -> str:
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = []
    for r in rows:
        cells = "".join(f'<td class="num">{_e(c)}</td>' if i >= numeric_from else f"<td>{_e(c)}</td>"
                        for i, c in enumerate(r))
        body.append(f"<tr>{cells}</tr>")
    return f'<table class="{cls}"><thead><tr>{th}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _section(anchor: str, title: str, body: str, *, note: str = "", brk: bool = False) -> str:
    cls = ' class="page-break"' if brk else ""
    n = f'<p class="note">{_e(note)}</p>' if note else ""
    return f'<section id="{anchor}"{cls}><h2>{_e(title)}</h2>{n}{body}</section>'


def _headline(rm: Roadmap, region: str, lang: str) -> str:
    t0 = rm.base.t0
    pba = _total(rm, rm.pba("scenario"), region)
    bl = _total(rm, rm.pba("baseline"), region)
    sd = _total(rm, rm.pba("secda"), region)
    cba = _total(rm, rm.scenario.cba, region)
    va = _total(rm, rm.scenario.va, region)
    k30, k60 = _k(rm, 2030), _k(rm, 2060)
    # the peak over the known history before t0 and the scenario's pathway
    h_years, h = _history(rm, region)
    all_years = np.concatenate([np.array(h_years, dtype=np.int64), rm.years])
    all_co2 = np.concatenate([h, pba])
    peak = int(all_years[int(np.nanargmax(np.where(np.isfinite(all_co2), all_co2, -np.inf)))])
    mt = t("report.unit.mt", lang)
    tiles = [
        (t("report.head.pba_t0", lang, year=t0), fmt_mt(pba[0]) + " " + mt),
        (t("report.head.pba", lang, year=2030), fmt_mt(pba[k30]) + " " + mt),
        (t("report.head.baseline", lang, year=2030), fmt_mt(bl[k30]) + " " + mt),
        (t("report.head.secda", lang, year=2030), fmt_mt(sd[k30]) + " " + mt),
        (t("report.head.pba", lang, year=2060), fmt_mt(pba[k60]) + " " + mt),
        (t("report.head.peak", lang), str(peak)),
        (t("report.head.cba", lang, year=2030), fmt_mt(cba[k30]) + " " + mt),
        (t("report.head.gdp", lang, year=t0), fmt_money(float(va[0]), lang)),
        (t("report.head.intensity", lang, year=t0),
         t("report.unit.intensity", lang, value=f"{pba[0] * T_PER_MT / va[0]:,.2f}") if va[0] > 0 else "–"),
    ]
    cells = "".join(f'<div class="tile"><div class="tile-label">{_e(a)}</div><div class="tile-value">{_e(b)}</div></div>'
                    for a, b in tiles)
    return f'<section id="rm-headline"><h2>{_e(t("report.section.headline", lang))}</h2><div class="tiles">{cells}</div></section>'


def _targets(rm: Roadmap, region: str, lang: str) -> str:
    rows = []
    for c in rm.checks:
        if c.region != region:
            continue
        tg = c.target
        kind = t("roadmap.kind." + tg.kind, lang)
        if c.status in ("met", "missed"):
            if c.unit == "year":
                value, req, gap = str(int(c.value or 0)), str(int(c.required or 0)), fmt_mt(c.gap, decimals=0, signed=True)
            elif c.unit == "fraction":
                value = f"{100 * (c.value or 0):+.1f} %"
                req = f"{100 * (c.required or 0):+.1f} %"
                gap = f"{100 * (c.gap or 0):+.1f} pp"
            else:
                value, req, gap = fmt_mt(c.value), fmt_mt(c.required), fmt_mt(c.gap, signed=True)
            note = ""
        else:
            value = req = gap = "–"
            note = t("report.reason." + (c.reason or "unknown"), lang)
        status = t("report.status." + c.status, lang) + (f" ({note})" if note else "")
        rows.append([f"{kind} {tg.year} · {tg.id}", t("report.series." + c.pathway, lang), status,
                     value, req, gap, fmt_mt(c.excess_mt)])
    head = [t(f"report.targets.{k}", lang) for k in ("target", "pathway", "status", "value", "required", "gap",
                                                      "excess")]
    if not rows:
        return _section("rm-targets", t("report.section.targets", lang), f'<p>{_e(t("report.none", lang))}</p>')
    return _section("rm-targets", t("report.section.targets", lang), _table(head, rows, numeric_from=3, cls="small"),
                    note=t("report.targets.explain", lang), brk=True)


def _sectors(rm: Roadmap, region: str, lang: str, top: int = 15) -> str:
    sr = sector_reductions(rm, region)
    order = np.argsort(-sr.t0)[:top]
    head = [t("report.sectors.sector", lang), t("report.sectors.t0", lang, year=rm.base.t0)]
    head += [t("report.sectors.target", lang, year=y) for y in sr.years]
    head += [t("report.sectors.needed", lang, year=y) for y in sr.years if y in (2030, 2060)]
    cols_needed = [i for i, y in enumerate(sr.years) if y in (2030, 2060)]
    rows = []
    for i in order:
        row = [sector_name(rm.base, sr.sectors[i], lang), fmt_mt(sr.t0[i])]
        row += [fmt_mt(v) for v in sr.target[i]]
        row += [fmt_mt(sr.needed[i, j], signed=True) for j in cols_needed]
        rows.append(row)
    return _section("rm-sectors", t("report.section.sectors", lang), _table(head, rows, cls="small"),
                    note=t("report.sectors.explain", lang, top=min(top, len(sr.t0))), brk=True)


def _wedges(rm: Roadmap, region: str, lang: str) -> str:
    w = wedges(rm, region)
    if not w.labels:
        return _section("rm-wedges", t("report.section.wedges", lang), f'<p>{_e(t("report.wedges.none", lang))}</p>')
    years = [y for y in MILESTONES if rm.years[0] <= y <= rm.years[-1]]
    head = [t("report.wedges.lever", lang)] + [str(y) for y in years]
    rows = []
    for j, (lab, kind) in enumerate(zip(w.labels, w.kinds, strict=True)):
        name = t("report.wedges.binding", lang) if kind == "binding" else f"{lab} ({t('report.lever.' + kind, lang)})"
        rows.append([name] + [fmt_mt(w.values[_k(rm, y), j]) for y in years])
    rows.append([t("report.wedges.total", lang)] + [fmt_mt(w.values[_k(rm, y)].sum()) for y in years])
    return _section("rm-wedges", t("report.section.wedges", lang), _table(head, rows),
                    note=t("report.wedges.explain", lang))


def _levers(rm: Roadmap, region: str, lang: str) -> str:
    effects = lever_ranking(rm, region, year=2030, top=10)
    head = [t(f"report.levers.{k}", lang) for k in ("lever", "sector", "unit", "avoided", "inside", "outside")]
    rows = [[t("report.lever." + e.kind, lang), sector_name(rm.base, e.sector, lang) if e.sector else _fd(e.category, lang),
             t("roadmap.unit." + e.unit, lang), fmt_mt(e.avoided, decimals=3), fmt_mt(e.inside, decimals=3),
             fmt_mt(e.outside, decimals=3)] for e in effects]
    return _section("rm-levers", t("report.section.levers", lang), _table(head, rows, numeric_from=3),
                    note=t("report.levers.explain", lang, year=2030))


def _fd(code: str, lang: str) -> str:
    try:
        return label("fd", code, lang)
    except ViscarbonError:
        return code


def _partners(rm: Roadmap, region: str, lang: str) -> str:
    ems = partners(rm, region, year=2030, emitters=5, top=3)
    head = [t(f"report.partners.{k}", lang) for k in ("emitter", "direction", "partner", "mt")]
    rows = []
    for e in ems:
        first = f"{sector_name(rm.base, e.sector, lang)} ({fmt_mt(e.co2)} Mt)"
        for direction, ps in (("upstream", e.upstream), ("downstream", e.downstream)):
            for p in ps:
                rows.append([first, t("report.partners." + direction, lang),
                             f"{region_name(p.region, lang)} · {sector_name(rm.base, p.sector, lang)}", fmt_mt(p.mt, decimals=2)])
                first = ""
    return _section("rm-partners", t("report.section.partners", lang), _table(head, rows, numeric_from=3, cls="small"),
                    note=t("report.partners.explain", lang, year=2030), brk=True)


def _chains(rm: Roadmap, region: str, lang: str) -> str:
    other = default_partner(rm, region, 2030)
    jc = joint_chains(rm, region, other, year=2030, top=8)
    head = [t(f"report.chains.{k}", lang) for k in ("emitter", "for", "mt")]
    rows = [[f"{region_name(a, lang)} · {sector_name(rm.base, s, lang)}", f"{region_name(b, lang)} · {sector_name(rm.base, d, lang)}",
             fmt_mt(v, decimals=2)] for a, s, b, d, v in jc.chains]
    note = t("report.chains.explain", lang, a=region_name(region, lang), b=region_name(other, lang), year=2030,
             ab=fmt_mt(jc.total_ab, decimals=2), ba=fmt_mt(jc.total_ba, decimals=2))
    return _section("rm-chains", t("report.section.chains", lang), _table(head, rows, numeric_from=2), note=note)


def _assistant(rm: Roadmap, region: str, lang: str) -> str:
    items = []
    for a in questions(rm, region, lang):
        sent = " ".join(f'{_e(s.text)} <a href="#{_e(s.link)}" class="ref">↗</a>' for s in a.sentences)
        items.append(f"<dt>{_e(a.title)}</dt><dd>{sent}</dd>")
    return _section("rm-assistant", t("report.section.assistant", lang), f'<dl class="qa">{"".join(items)}</dl>',
                    note=t("report.assistant.explain", lang))


def _assumptions(rm: Roadmap, lang: str) -> str:
    a = rm.base.assumptions
    growth = "; ".join(t("report.assume.growth_item", lang, year=y, rate=f"{100 * r:.1f}")
                       for y, r in zip(a.gdp_from, a.gdp_rate, strict=True))
    rows = [
        [t("report.assume.gdp", lang), growth],
        [t("report.assume.trend", lang), t("report.assume.trend_value", lang, lo=f"{100 * a.trend_min:.1f}",
                                           hi=f"{100 * a.trend_max:.1f}", fallback=f"{100 * a.trend_fallback:.1f}")],
        [t("report.assume.households", lang), f"{100 * a.households_rate:+.1f} %"],
        [t("report.assume.removal", lang), str(a.removal_start)],
        [t("report.assume.electricity", lang), f"{a.electricity_per_fuel:.2f}"],
        [t("report.assume.secda_base", lang), str(a.base_year)],
        [t("report.assume.overridden", lang), ", ".join(a.overridden) or t("report.none", lang)],
    ]
    head = [t("report.assume.name", lang), t("report.assume.value", lang)]
    src = "".join(f"<li><b>{_e(k)}</b>: {_e(v)}</li>" for k, v in a.sources.items() if str(v).strip())
    body = _table(head, rows, numeric_from=9) + f'<h3>{_e(t("report.assume.sources", lang))}</h3><ul>{src}</ul>'
    return _section("rm-assumptions", t("report.section.assumptions", lang), body,
                    note=t("report.assume.explain", lang), brk=True)


def _sources(rm: Roadmap, lang: str) -> str:
    ds = rm.base.dataset
    items = [
        t("report.sources.dataset", lang, name=ds.name, citation=ds.citation),
        t("report.sources.units", lang, t0=rm.base.t0),
        t("report.sources.targets", lang),
        t("report.sources.model", lang, version=__version__),
    ]
    notes = "".join(f"<li>{_e(n)}</li>" for n in rm.notes)
    extra = f'<h3>{_e(t("report.sources.notes", lang))}</h3><ul>{notes}</ul>' if notes else ""
    return _section("rm-sources", t("report.section.sources", lang),
                    "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>" + extra)


_CSS: Final = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
:root { --ink: #1b1b1b; --muted: #555; --rule: #d0d0d0; --accent: #0072B2; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "PingFang SC",
       "Microsoft YaHei", sans-serif; color: var(--ink); margin: 0 auto; max-width: 190mm; padding: 8mm 4mm;
       font-size: 10.5pt; line-height: 1.45; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; border-bottom: 2px solid var(--accent); padding-bottom: 1mm; margin: 7mm 0 3mm; }
h3 { font-size: 11pt; margin: 4mm 0 2mm; }
.sub { color: var(--muted); margin: 0 0 3mm; }
.banner { border: 1px solid #c77; background: #fff3f0; padding: 2mm 3mm; margin: 3mm 0; }
.tiles { display: grid; grid-template-columns: repeat(3, 1fr); gap: 2.5mm; }
.tile { border: 1px solid var(--rule); border-radius: 2mm; padding: 2mm 3mm; break-inside: avoid; }
.tile-label { color: var(--muted); font-size: 9pt; }
.tile-value { font-size: 14pt; font-weight: 600; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: 2mm 0; }
table.small { font-size: 8.5pt; }
th, td { border-bottom: 1px solid var(--rule); padding: 1mm 1.5mm; text-align: left; vertical-align: top;
         overflow-wrap: break-word; }
th { background: #f2f4f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.note { color: var(--muted); font-size: 9pt; }
.chart { width: 100%; height: auto; }
.chart .grid { stroke: #e5e5e5; } .chart .axis { stroke: #999; }
.chart .tick, .chart .legend { font-size: 11px; fill: #333; }
dl.qa dt { font-weight: 600; margin-top: 2mm; } dl.qa dd { margin: 0.5mm 0 0 4mm; }
a.ref { text-decoration: none; color: var(--accent); }
footer { color: var(--muted); font-size: 8.5pt; border-top: 1px solid var(--rule); margin-top: 8mm; padding-top: 2mm; }
@media screen and (max-width: 560px) {
  .tiles { grid-template-columns: repeat(2, 1fr); }
  .tile-value { font-size: 12pt; }
  table { display: block; overflow-x: auto; }
}
@media print {
  body { max-width: none; padding: 0; }
  .page-break { break-before: page; }
  section { break-inside: auto; }
  h2, h3, dl.qa dt { break-after: avoid; }
  dl.qa dd, li { break-inside: avoid; }
  .chart, .tiles { break-inside: avoid; }
  #rm-headline, #rm-pathway, #rm-wedges, #rm-levers, #rm-chains, #rm-assumptions table { break-inside: avoid; }
  a { color: inherit; }
}
"""


def render_html(rm: Roadmap, region: str, *, lang: str = "en") -> str:
    """The report of ``region`` (a province code or ``CN``) as one self-contained HTML
    page in ``lang`` (``en`` or ``zh-Hans``)."""
    lang = normalize_lang(lang)
    if region != NATION and region not in rm.regions:
        raise ViscarbonError(f"unknown region {region!r}", hint="use CN or one of: " + ", ".join(rm.regions))
    ds = rm.base.dataset
    name = region_name(region, lang)
    sc = rm.scenario_def
    title = t("report.title", lang, region=name)
    sub = t("report.subtitle", lang, scenario=sc.title(lang) or sc.id, id=sc.id, dataset=ds.name, t0=rm.base.t0)
    banner = f'<p class="banner">{_e(t("report.synthetic", lang))}</p>' if ds.synthetic else ""
    chart = _section("rm-pathway", t("report.section.pathway", lang), pathway_svg(rm, region, lang),
                     note=t("report.chart.explain", lang, t0=rm.base.t0))
    parts = [_headline(rm, region, lang), chart, _targets(rm, region, lang), _sectors(rm, region, lang),
             _wedges(rm, region, lang)]
    if region != NATION:
        parts += [_levers(rm, region, lang), _partners(rm, region, lang), _chains(rm, region, lang)]
    parts += [_assistant(rm, region, lang), _assumptions(rm, lang), _sources(rm, lang)]
    html_lang = "zh-Hans" if lang == "zh-Hans" else "en"
    foot = t("report.footer", lang, version=__version__, dataset=ds.name)
    return (f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
            f"<header><h1>{_e(title)}</h1><p class=\"sub\">{_e(sub)}</p>{banner}</header>"
            + "".join(parts) + f"<footer>{_e(foot)}</footer></body></html>")


def write_html(rm: Roadmap, region: str, path: str | Path, *, lang: str = "en") -> Path:
    """Write :func:`render_html` to ``path`` (UTF-8)."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(rm, region, lang=lang), encoding="utf-8")
    return out


def chromium_path() -> str | None:
    """Debian's Chromium (``$VISCARBON_CHROMIUM`` first, then ``chromium`` on PATH)."""
    env = os.environ.get("VISCARBON_CHROMIUM")
    if env:
        return env if Path(env).exists() else shutil.which(env)
    return shutil.which("chromium") or shutil.which("chromium-browser")


def write_pdf(rm: Roadmap, region: str, path: str | Path, *, lang: str = "en") -> Path:
    """Print the report to a PDF (A4) with headless Chromium, offline (every host but
    localhost unresolvable, a dead proxy). :class:`ReportError` when Chromium is missing
    or the print fails."""
    exe = chromium_path()
    if exe is None:
        raise ReportError("the PDF report needs Chromium, which was not found",
                          hint="install Debian's chromium (apt-get install chromium) or set VISCARBON_CHROMIUM; "
                               "--format html writes the same report without it")
    out = Path(path).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="viscarbon-report-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(render_html(rm, region, lang=lang), encoding="utf-8")
        cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}", page.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=PDF_TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ReportError(f"Chromium could not print the report: {exc}", where=exe) from exc
    if proc.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        tail = (proc.stderr or "").strip().splitlines()[-3:]
        raise ReportError(f"Chromium could not print the report (exit {proc.returncode})", where=exe,
                          hint=" | ".join(tail) or None)
    return out
