"""The roadmap assistant: the questions a planner asks, answered from the computed numbers
only (templates of the message catalog over a :class:`~viscarbon.roadmap.run.Roadmap`; no
language model). Every sentence quotes its figures (kept beside the text in ``figures``)
and names the chart or table they come from (``link``: the anchor ids of the Roadmap tab
and of the report).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from viscarbon.classification import label
from viscarbon.i18n import normalize_lang, t
from viscarbon.roadmap.names import region_name, sector_name
from viscarbon.roadmap.priorities import joint_chains, lever_ranking, sector_reductions
from viscarbon.roadmap.run import NATION, Roadmap

__all__ = ["LINKS", "QUESTIONS", "Answer", "Sentence", "answer", "default_partner", "questions"]

#: The questions the assistant answers (catalog keys ``roadmap.q.<name>``).
QUESTIONS: Final = ("how_much", "levers", "joint", "imported", "targets")
#: Anchors of the charts and tables a sentence may link to.
LINKS: Final = ("rm-pathway", "rm-wedges", "rm-targets", "rm-sectors", "rm-levers", "rm-partners", "rm-chains")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its ``text``, the ``figures`` it quotes (name → value, in the units
    the text states) and the anchor of the chart or table they come from."""

    text: str
    link: str
    figures: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    """An answer: the question as asked (``title``), its name and parameters, sentences."""

    question: str
    title: str
    params: Mapping[str, object]
    sentences: tuple[Sentence, ...]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


def _mt(v: float) -> str:
    """Mt CO2 for a sentence: one decimal, thousands separated."""
    return f"{v:,.1f}"


def _pct(v: float) -> str:
    return f"{v:.0f}"


def _total(rm: Roadmap, name: str, region: str) -> np.ndarray:
    pba = rm.pba(name)
    return rm.nation(pba) if region == NATION else pba[:, rm.base.regions.index(region)]


def default_partner(rm: Roadmap, region: str, year: int = 2030) -> str:
    """The province with the largest two-way embodied CO2 flow with ``region`` in ``year``."""
    k = int(year - rm.years[0])
    r = rm.base.regions.index(region)
    T = rm.scenario.transfer[k][:, : rm.base.n_regions]
    both = T[r, :] + T[:, r]
    both[r] = -1.0
    both[~rm.base.reported] = -1.0
    return rm.base.regions.codes[int(np.argmax(both))]


def questions(rm: Roadmap, region: str, lang: str | None = None, *, year: int = 2030) -> tuple[Answer, ...]:
    """The assistant's questions for ``region`` with their answers (the nation gets the
    questions that make sense for it)."""
    names = ("how_much", "targets") if region == NATION else QUESTIONS
    return tuple(answer(rm, q, region=region, year=year, lang=lang) for q in names)


def answer(rm: Roadmap, question: str, *, region: str, year: int = 2030, partner: str | None = None,
           lang: str | None = None) -> Answer:
    """Answer ``question`` (one of :data:`QUESTIONS`) for ``region`` in ``year``."""
    lang = normalize_lang(lang)
    if question not in QUESTIONS:
        raise ValueError(f"unknown question {question!r}; one of {', '.join(QUESTIONS)}")
    if region != NATION and region not in rm.base.regions.codes:
        raise ValueError(f"unknown region {region!r}")
    if not rm.years[0] <= year <= rm.years[-1]:
        raise ValueError(f"year {year} outside {rm.years[0]}-{rm.years[-1]}")
    name = region_name(region, lang)
    params: dict[str, object] = {"region": region, "year": year}
    if question == "how_much":
        sentences = _how_much(rm, region, year, lang)
        title = t("roadmap.q.how_much", lang, region=name, year=year)
    elif question == "levers":
        sentences = _levers(rm, region, year, lang)
        title = t("roadmap.q.levers", lang, region=name, year=year)
    elif question == "joint":
        other = partner or default_partner(rm, region, year)
        params["partner"] = other
        sentences = _joint(rm, region, other, year, lang)
        title = t("roadmap.q.joint", lang, a=name, b=region_name(other, lang))
    elif question == "imported":
        sentences = _imported(rm, region, year, lang)
        title = t("roadmap.q.imported", lang, region=name, year=year)
    else:
        sentences = _targets(rm, region, lang)
        title = t("roadmap.q.targets", lang, region=name)
    return Answer(question=question, title=title, params=params, sentences=tuple(sentences))


def _how_much(rm: Roadmap, region: str, year: int, lang: str) -> list[Sentence]:
    k = int(year - rm.years[0])
    t0 = int(rm.years[0])
    name = region_name(region, lang)
    e0, bl, sc, tg = (float(_total(rm, p, region)[i]) for p, i in
                      (("scenario", 0), ("baseline", k), ("scenario", k), ("secda", k)))
    out = [Sentence(t("roadmap.a.how_much.levels", lang, region=name, t0=t0, e0=_mt(e0), year=year, baseline=_mt(bl),
                      scenario=_mt(sc)), "rm-pathway", {"e0": e0, "baseline": bl, "scenario": sc})]
    gap = sc - tg
    if gap > 0:
        out.append(Sentence(t("roadmap.a.how_much.gap", lang, year=year, target=_mt(tg), gap=_mt(gap),
                              pct=_pct(100.0 * gap / sc if sc else 0.0)), "rm-pathway",
                            {"target": tg, "gap": gap}))
    else:
        out.append(Sentence(t("roadmap.a.how_much.below", lang, year=year, target=_mt(tg), gap=_mt(-gap)),
                            "rm-pathway", {"target": tg, "below": -gap}))
    red = sector_reductions(rm, region, years=(year,))
    need = red.needed[:, 0]
    order = [int(i) for i in np.argsort(need)[::-1] if need[i] > 0][:3]
    if order:
        parts = t("roadmap.list.sep", lang).join(
            t("roadmap.a.item_mt", lang, name=sector_name(rm.base, red.sectors[i], lang), mt=_mt(float(need[i])))
            for i in order)
        share = float(need[order].sum() / need[need > 0].sum() * 100.0)
        figures = {red.sectors[i]: float(need[i]) for i in order}
        if gap > 0:
            out.append(Sentence(t("roadmap.a.how_much.where", lang, parts=parts, share=_pct(share)), "rm-sectors",
                                figures | {"share_pct": share}))
        else:
            out.append(Sentence(t("roadmap.a.how_much.above", lang, year=year, parts=parts), "rm-sectors", figures))
    peak = next((c for c in rm.checks if c.region == region and c.pathway == "scenario" and c.target.kind == "peak"),
                None)
    if peak is not None and peak.value is not None:
        key = "roadmap.a.peak.met" if peak.met else "roadmap.a.peak.missed"
        over = float(peak.excess_mt or 0.0)
        out.append(Sentence(t(key, lang, year=int(peak.value), mt=_mt(float(peak.params["peak_mt"])),  # type: ignore[arg-type]
                              target=peak.target.year, over=_mt(over)), "rm-targets",
                            {"peak_year": float(peak.value), "peak_mt": float(peak.params["peak_mt"]),  # type: ignore[arg-type]
                             "overshoot": over}))
    return out


def _levers(rm: Roadmap, region: str, year: int, lang: str) -> list[Sentence]:
    ranking = lever_ranking(rm, region, year=year, top=3)
    out = []
    for i, le in enumerate(ranking):
        if le.kind == "final_demand":
            what = t("roadmap.lever.final_demand", lang, category=label("fd", le.category, lang))
        elif le.kind == "coefficient":
            src_region, src_sector = le.input_sector.split(":")
            what = t("roadmap.lever.coefficient", lang, input=sector_name(rm.base, src_sector, lang),
                     input_region=region_name(src_region, lang), sector=sector_name(rm.base, le.sector, lang))
        else:
            what = t(f"roadmap.lever.{le.kind}", lang, sector=sector_name(rm.base, le.sector, lang))
        out.append(Sentence(t("roadmap.a.levers.item", lang, rank=i + 1, what=what, year=year, mt=f"{le.avoided:,.2f}",
                              inside=f"{le.inside:,.2f}", outside=f"{le.outside:,.2f}",
                              unit=t(f"roadmap.unit.{le.unit}", lang)), "rm-levers",
                            {"avoided": le.avoided, "inside": le.inside, "outside": le.outside}))
    if not out:
        out.append(Sentence(t("roadmap.a.levers.none", lang, region=region_name(region, lang)), "rm-levers"))
    return out


def _joint(rm: Roadmap, a: str, b: str, year: int, lang: str) -> list[Sentence]:
    jc = joint_chains(rm, a, b, year=year, top=3)
    na, nb = region_name(a, lang), region_name(b, lang)
    out = [Sentence(t("roadmap.a.joint.totals", lang, a=na, b=nb, year=year, ab=_mt(jc.total_ab), ba=_mt(jc.total_ba)),
                    "rm-chains", {"ab": jc.total_ab, "ba": jc.total_ba})]
    if jc.chains:
        parts = t("roadmap.list.sep", lang).join(
            t("roadmap.a.joint.chain", lang, src=region_name(c[0], lang), src_sector=sector_name(rm.base, c[1], lang),
              dst=region_name(c[2], lang), dst_sector=sector_name(rm.base, c[3], lang), mt=f"{c[4]:,.2f}") for c in jc.chains)
        out.append(Sentence(t("roadmap.a.joint.chains", lang, parts=parts), "rm-chains",
                            {f"{c[0]}:{c[1]}>{c[2]}:{c[3]}": c[4] for c in jc.chains}))
    return out


def _imported(rm: Roadmap, region: str, year: int, lang: str) -> list[Sentence]:
    k = int(year - rm.years[0])
    r = rm.base.regions.index(region)
    d = rm.decomposition
    own, imp, dem = float(d.own[k, r]), float(d.imported[k, r]), float(d.demand[k, r])
    total = own + imp + dem
    name = region_name(region, lang)
    if abs(total) < 1e-9 and abs(imp) < 1e-9:
        return [Sentence(t("roadmap.a.imported.none", lang, region=name, year=year), "rm-pathway", {"total": total})]
    share = 100.0 * imp / total if total > 0 else 0.0
    return [Sentence(t("roadmap.a.imported.split", lang, region=name, year=year, total=_mt(total), own=_mt(own),
                       imported=_mt(imp), demand=_mt(dem), share=_pct(share)), "rm-pathway",
                     {"total": total, "own": own, "imported": imp, "demand": dem, "share_pct": share})]


def _targets(rm: Roadmap, region: str, lang: str) -> list[Sentence]:
    mine = [c for c in rm.checks if c.region == region and c.pathway == "scenario"]
    met = [c for c in mine if c.status == "met"]
    missed = [c for c in mine if c.status == "missed"]
    other = [c for c in mine if c.status in ("not_checkable", "skipped")]
    out = [Sentence(t("roadmap.a.targets.count", lang, region=region_name(region, lang), met=len(met), missed=len(missed),
                      other=len(other)), "rm-targets",
                    {"met": float(len(met)), "missed": float(len(missed)), "other": float(len(other))})]
    worst = max(missed, key=lambda c: c.excess_mt or 0.0, default=None)
    if worst is not None:
        out.append(Sentence(t("roadmap.a.targets.worst", lang, target=t(f"roadmap.kind.{worst.target.kind}", lang),
                              year=worst.target.year, mt=_mt(float(worst.excess_mt or 0.0))), "rm-targets",
                            {"excess": float(worst.excess_mt or 0.0)}))
    return out
