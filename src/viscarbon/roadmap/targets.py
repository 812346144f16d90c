"""Climate targets as data (``data/targets.toml``, or a user's file, or a scenario's
``[[target]]`` tables): parsed and validated with the file, line and field of every error.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

from viscarbon.classification import region_codes
from viscarbon.errors import ScenarioError

__all__ = [
    "KINDS",
    "STATUSES",
    "ScenarioError",
    "Target",
    "default_targets",
    "load_targets",
    "parse_targets",
    "table_line",
]

#: From strongest to weakest: the priority when a scenario makes targets binding.
STATUSES: Final = ("user", "law", "plan", "announced", "assumption")
KINDS: Final = ("peak", "neutrality", "intensity_cut", "emissions_cut", "non_fossil_share")
#: Fields each kind needs (beyond id, region, kind, year, status, source).
_KIND_FIELDS: Final = {
    "peak": (),
    "neutrality": ("base_year", "gross_cut"),
    "intensity_cut": ("base_year", "cut"),
    "emissions_cut": ("cut",),
    "non_fossil_share": ("share",),
}
_ALLOWED: Final = frozenset({"id", "region", "kind", "year", "status", "source", "source_zh_hans", "mapping", "base_year",
                             "gross_cut", "cut", "cut_low", "from_peak", "share", "sector", "note"})


def table_line(text: str, header: str, index: int, key: str | None = None) -> int | None:
    """The 1-based line of the ``index``-th ``[[header]]`` table of ``text`` (or of its
    ``key = …`` line when given and present). TOML parsers give no positions for values,
    so errors find them again in the text."""
    count = -1
    start = None
    lines = text.splitlines()
    for i, raw in enumerate(lines):
        s = raw.strip()
        if s.replace(" ", "") == f"[[{header}]]":
            count += 1
            if count == index:
                start = i
                break
    if start is None:
        return None
    if key is None:
        return start + 1
    for j in range(start + 1, len(lines)):
        s = lines[j].strip()
        if s.startswith("["):
            break
        if s.split("=", 1)[0].strip() == key and "=" in s:
            return j + 1
    return start + 1


@dataclass(frozen=True, slots=True)
class Target:
    """One target. ``region`` is ``CN`` (the nation), a province code or ``*`` (every
    province); ``sector`` (user targets only) narrows it to one sector of the province.
    Fractions: ``cut`` 0.18 = −18 %; ``cut_low`` the weak end of a range; ``share`` a
    share of primary energy. ``mapping`` says how a target not stated for CO2 is read."""

    id: str
    region: str
    kind: str
    year: int
    status: str
    source: str
    base_year: int | None = None
    gross_cut: float | None = None
    cut: float | None = None
    cut_low: float | None = None
    from_peak: bool = False
    share: float | None = None
    sector: str | None = None
    mapping: str = ""
    source_zh_hans: str = ""

    def source_text(self, lang: str | None = None) -> str:
        """The source in ``lang`` (zh-Hans when given, else English); the English text when
        the Chinese one is not given (targets of a user's file)."""
        if lang == "zh-Hans" and self.source_zh_hans:
            return self.source_zh_hans
        return self.source

    @property
    def priority(self) -> int:
        return STATUSES.index(self.status)

    def applies_to(self, region: str) -> bool:
        if region == "CN":
            return self.region == "CN"
        return self.region in ("*", region)

    def as_record(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__slots__ if getattr(self, k) not in (None, "")}


def _fraction(v: Any, name: str, err: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float) or not 0.0 <= float(v) <= 1.0:
        raise err(f"{name} must be a fraction between 0 and 1 (0.18 = 18 %), got {v!r}", name, "0 … 1")
    return float(v)


def _year(v: Any, name: str, err: Any, lo: int = 1990, hi: int = 2100) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise err(f"{name} must be a year between {lo} and {hi}, got {v!r}", name, f"{lo} … {hi}")
    return int(v)


def parse_targets(entries: Iterable[Mapping[str, Any]], *, text: str, file: str, header: str = "target",
                  force_status: str | None = None, sectors: Iterable[str] | None = None) -> tuple[Target, ...]:
    """Validate ``[[header]]`` tables into targets; the first error raises
    :class:`ScenarioError` naming the line and field."""
    out: list[Target] = []
    seen: set[str] = set()
    regions = set(region_codes())
    sector_set = set(sectors) if sectors is not None else None
    for i, e in enumerate(entries):
        def err(msg: str, fld: str | None = None, allowed: str | None = None, _i: int = i) -> ScenarioError:
            return ScenarioError(f"{header} {_i + 1}: {msg}", file=file, line=table_line(text, header, _i, fld),
                                 field=fld, allowed=allowed)
        unknown = sorted(set(e) - _ALLOWED)
        if unknown:
            raise err(f"unknown field {unknown[0]!r}", unknown[0], ", ".join(sorted(_ALLOWED)))
        for f in ("id", "region", "kind", "year"):
            if f not in e:
                raise err(f"missing field {f!r}", f)
        tid = e["id"]
        if not isinstance(tid, str) or not tid or tid in seen:
            raise err(f"id must be a unique non-empty text, got {tid!r}", "id")
        seen.add(tid)
        kind = e["kind"]
        if kind not in KINDS:
            raise err(f"unknown kind {kind!r}", "kind", ", ".join(KINDS))
        region = e["region"]
        if region not in regions | {"CN", "*"}:
            raise err(f"unknown region {region!r}", "region", "CN, * or a province code such as GD")
        status = force_status or e.get("status")
        if status not in STATUSES:
            raise err(f"unknown status {status!r}", "status", ", ".join(STATUSES))
        if force_status is None and status == "user":
            raise err("status 'user' is for targets set in a scenario", "status", ", ".join(STATUSES[1:]))
        if force_status is None and not e.get("source"):
            raise err("every shipped target needs a source", "source")
        for f in _KIND_FIELDS[kind]:
            if f not in e:
                raise err(f"kind {kind!r} needs field {f!r}", f)
        year = _year(e["year"], "year", err)
        base_year = _year(e["base_year"], "base_year", err) if "base_year" in e else None
        if base_year is not None and base_year >= year:
            raise err(f"base_year {base_year} must be before year {year}", "base_year")
        sector = e.get("sector")
        if sector is not None:
            if region in ("CN", "*") and force_status is None:
                raise err("a sector target needs one province", "sector")
            if kind not in ("peak", "emissions_cut"):
                raise err(f"kind {kind!r} cannot be set per sector", "sector", "peak, emissions_cut")
            if sector_set is not None and str(sector) not in sector_set:
                raise err(f"unknown sector {sector!r}", "sector", "a sector code such as 25")
        cut = _fraction(e["cut"], "cut", err) if "cut" in e else None
        cut_low = _fraction(e["cut_low"], "cut_low", err) if "cut_low" in e else None
        if cut is not None and cut_low is not None and cut_low > cut:
            raise err(f"cut_low {cut_low} is above cut {cut}", "cut_low")
        from_peak = e.get("from_peak", False)
        if not isinstance(from_peak, bool):
            raise err(f"from_peak must be true or false, got {from_peak!r}", "from_peak", "true, false")
        if kind == "emissions_cut" and not from_peak and base_year is None:
            raise err("an emissions_cut needs base_year or from_peak = true", "base_year")
        out.append(Target(
            id=tid, region=region, kind=kind, year=year, status=status, source=str(e.get("source", "")),
            base_year=base_year,
            gross_cut=_fraction(e["gross_cut"], "gross_cut", err) if "gross_cut" in e else None,
            cut=cut, cut_low=cut_low, from_peak=from_peak,
            share=_fraction(e["share"], "share", err) if "share" in e else None,
            sector=None if sector is None else str(sector), mapping=str(e.get("mapping", "")),
            source_zh_hans=str(e.get("source_zh_hans", "")),
        ))
    return tuple(out)


def load_targets(path: str | Path) -> tuple[Target, ...]:
    """Read a targets file in the format of the shipped ``targets.toml``."""
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"not valid TOML: {exc}", file=str(p)) from exc
    return parse_targets(raw.get("target", []), text=text, file=str(p))


@cache
def default_targets() -> tuple[Target, ...]:
    """The shipped targets (``viscarbon/roadmap/data/targets.toml``)."""
    text = resources.files("viscarbon.roadmap").joinpath("data/targets.toml").read_text(encoding="utf-8")
    return parse_targets(tomllib.loads(text).get("target", []), text=text, file="targets.toml (shipped)")
