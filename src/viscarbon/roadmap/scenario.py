"""Named scenarios as TOML files: levers, user targets, binding targets, assumption
overrides and the uncertainty of the Monte Carlo, validated with the file, line, field and
allowed values of every error (``docs/roadmap.md`` has the format).

A scenario with no levers is the baseline: its pathway is the baseline's, exactly.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

from viscarbon.classification import FD_CATEGORIES, region_codes
from viscarbon.errors import ScenarioError
from viscarbon.roadmap.assumptions import (
    Assumptions,
    default_assumptions,
    uncertainty_defaults,
    with_overrides,
)
from viscarbon.roadmap.targets import KINDS, Target, default_targets, parse_targets, table_line

__all__ = [
    "BINDING_ADJUSTMENTS",
    "HOUSEHOLDS",
    "LEVER_KINDS",
    "Binding",
    "Lever",
    "Scenario",
    "Uncertainty",
    "baseline_scenario",
    "load_scenario",
    "parse_levers",
    "parse_scenario",
    "shipped_scenarios",
    "stored_scenario",
]

LEVER_KINDS: Final = ("intensity", "final_demand", "coefficient", "power", "electrification")
#: The code of households' direct CO2 in an intensity lever's ``sectors``.
HOUSEHOLDS: Final = "HH"
#: The code of foreign exports in a final-demand lever's ``categories``.
EXPORTS: Final = "EX"
BINDING_ADJUSTMENTS: Final = ("uniform_intensity_cut",)
_FIRST_YEAR, _LAST_YEAR = 2000, 2100
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_SECTOR = re.compile(r"^(\d{2}|group:[a-z_]+|HH)$")
_CODE_OR_GROUP = re.compile(r"^(\d{2}|group:[a-z_]+)$")

#: Fields per lever kind: (required, optional) beyond kind/regions/from/to/label.
_LEVER_FIELDS: Final = {
    "intensity": (("sectors", "rate"), ()),
    "final_demand": (("categories", "rate"), ()),
    "coefficient": (("inputs", "users", "rate"), ("input_regions",)),
    "power": (("cut",), ()),
    "electrification": (("sectors", "share"), ()),
}
_COMMON: Final = ("kind", "regions", "from", "to", "label")


@dataclass(frozen=True, slots=True)
class Lever:
    """One lever, in effect over the years ``start … end`` for ``regions`` (None = all).

    * ``intensity``: the direct CO2 intensity of ``sectors`` (codes, ``group:<benchmark
      group>``, ``HH`` for households' direct CO2) changes by ``rate`` per year on top of the
      baseline (−0.03 = 3 % lower each year).
    * ``final_demand``: the growth of the final-demand ``categories`` (FU101 … FU202,
      ``EX`` foreign exports) of ``regions`` changes by ``rate`` per year (−0.01 = one point
      slower).
    * ``coefficient``: the input coefficients ``a_ij`` of ``inputs`` (supplying sectors, in
      ``input_regions``) into ``users`` (using sectors in ``regions``) change by ``rate``
      per year (efficiency, substitution).
    * ``power``: the power sector's intensity falls linearly to ``cut`` below the baseline
      by ``end`` (0.9 = 90 % lower), lowering everyone's upstream CO2.
    * ``electrification``: a share of the fuel combustion of ``sectors`` moves to
      electricity, rising linearly to ``share`` by ``end``: their direct intensity falls by
      share × combustion share, their fossil-fuel inputs by ``share``, and their purchases
      of power rise by share × fuel inputs × ``electricity_per_fuel`` (assumption).
    """

    kind: str
    start: int
    end: int
    regions: tuple[str, ...] | None = None
    sectors: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None
    inputs: tuple[str, ...] | None = None
    users: tuple[str, ...] | None = None
    input_regions: tuple[str, ...] | None = None
    rate: float = 0.0
    cut: float = 0.0
    share: float = 0.0
    label: str = ""
    line: int | None = None

    @property
    def changes_coefficients(self) -> bool:
        return self.kind in ("coefficient", "electrification")


@dataclass(frozen=True, slots=True)
class Binding:
    """Targets made binding: every applicable target (``all``) or those named by id or
    kind, closed by ``adjustment`` in the priority order of :data:`STATUSES`."""

    all: bool = False
    names: tuple[str, ...] = ()
    adjustment: str = "uniform_intensity_cut"

    def selects(self, target: Target) -> bool:
        return self.all or target.id in self.names or target.kind in self.names

    @property
    def active(self) -> bool:
        return self.all or bool(self.names)


@dataclass(frozen=True, slots=True)
class Uncertainty:
    """The Monte Carlo of a scenario: coefficients of variation (lognormal, mean 1) of the
    province-sector intensities, of the power sector's intensity (shared by every region)
    and of the input coefficients (0: not varied); ``growth_sd`` the standard deviation of
    the annual GDP growth rate (absolute, 0.005 = half a point), drawn once per draw and
    held over the years; ``regional_growth_sd`` the same for each destination region's own
    demand (on top; 0: off); ``draws``, ``seed`` and ``block`` (draws per block). A parsed
    scenario takes what its ``[uncertainty]`` leaves out from ``[uncertainty]`` of
    ``data/assumptions.toml`` (a test keeps these class defaults equal to that file)."""

    draws: int = 1000
    seed: int = 20260
    block: int = 100
    intensity_cv: float = 0.10
    power_cv: float = 0.10
    growth_sd: float = 0.005
    coefficient_cv: float = 0.0
    regional_growth_sd: float = 0.0


@dataclass(frozen=True)
class Scenario:
    """A named scenario. ``source_text`` is the TOML it was read from (what the store
    saves), ``file`` where it came from."""

    id: str
    title_en: str
    title_zh_hans: str
    description_en: str = ""
    description_zh_hans: str = ""
    levers: tuple[Lever, ...] = ()
    targets: tuple[Target, ...] = ()
    binding: Binding = field(default_factory=Binding)
    uncertainty: Uncertainty = field(default_factory=Uncertainty)
    overrides: Mapping[str, Any] = field(default_factory=dict)
    source_text: str = ""
    file: str = ""

    def title(self, lang: str | None = None) -> str:
        return self.title_zh_hans if (lang or "").startswith("zh") else self.title_en

    def description(self, lang: str | None = None) -> str:
        return self.description_zh_hans if (lang or "").startswith("zh") else self.description_en

    @property
    def is_baseline(self) -> bool:
        return not self.levers and not self.binding.active and not self.overrides

    def assumptions(self, base: Assumptions | None = None) -> Assumptions:
        """The assumptions with this scenario's overrides applied."""
        return with_overrides(base or default_assumptions(), **dict(self.overrides))

    def with_levers(self, levers: tuple[Lever, ...], *, suffix: str = "edited") -> Scenario:
        """A copy with other levers (the dashboard's sliders)."""
        return Scenario(id=f"{self.id}-{suffix}" if suffix else self.id, title_en=self.title_en,
                        title_zh_hans=self.title_zh_hans, description_en=self.description_en,
                        description_zh_hans=self.description_zh_hans, levers=levers, targets=self.targets,
                        binding=self.binding, uncertainty=self.uncertainty, overrides=self.overrides,
                        source_text="", file=self.file)


class _Ctx:
    def __init__(self, text: str, file: str):
        self.text = text
        self.file = file

    def err(self, msg: str, *, header: str | None = None, index: int = 0, fld: str | None = None,
            allowed: str | None = None) -> ScenarioError:
        line = None
        if header is not None:
            line = table_line(self.text, header, index, fld)
        elif fld is not None:
            line = _key_line(self.text, fld)
        return ScenarioError(msg, file=self.file, line=line, field=fld, allowed=allowed)


def _key_line(text: str, dotted: str) -> int | None:
    """The line of ``key = …`` in table ``[a.b]`` for ``a.b.key`` (or a top-level table)."""
    *tables, key = dotted.split(".")
    want = ".".join(tables)
    current = ""
    for i, raw in enumerate(text.splitlines()):
        s = raw.strip()
        if s.startswith("[") and not s.startswith("[["):
            current = s.strip("[] ")
            if current == dotted:
                return i + 1
            continue
        if current == want and "=" in s and s.split("=", 1)[0].strip() == key:
            return i + 1
    return None


def _codes(v: Any, name: str, fail: Any, pattern: re.Pattern[str] | None = None,
           allowed: set[str] | None = None, allowed_text: str = "") -> tuple[str, ...] | None:
    if v == "*":
        return None
    items = [v] if isinstance(v, str) else v
    if not isinstance(items, list) or not items or not all(isinstance(c, str) for c in items):
        raise fail(f"{name} must be \"*\" or a list of codes, got {v!r}", name, allowed_text)
    for c in items:
        if (pattern is not None and not pattern.match(c)) or (allowed is not None and c not in allowed):
            raise fail(f"unknown code {c!r} in {name}", name, allowed_text)
    return tuple(items)


def _num(v: Any, name: str, fail: Any, lo: float, hi: float) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float) or not lo <= float(v) <= hi:
        raise fail(f"{name} must be a number between {lo} and {hi}, got {v!r}", name, f"{lo} … {hi}")
    return float(v)


def _lever(i: int, e: Mapping[str, Any], ctx: _Ctx) -> Lever:
    def fail(msg: str, fld: str | None = None, allowed: str | None = None) -> ScenarioError:
        return ctx.err(f"lever {i + 1}: {msg}", header="lever", index=i, fld=fld, allowed=allowed)
    kind = e.get("kind")
    if kind not in LEVER_KINDS:
        raise fail(f"unknown kind {kind!r}", "kind", ", ".join(LEVER_KINDS))
    required, optional = _LEVER_FIELDS[kind]
    allowed_fields = set(_COMMON) | set(required) | set(optional)
    for k in e:
        if k not in allowed_fields:
            raise fail(f"field {k!r} is not used by a {kind} lever", k, ", ".join(sorted(allowed_fields)))
    for k in (*required, "from", "to"):
        if k not in e:
            raise fail(f"a {kind} lever needs {k!r}", k)
    for k in ("from", "to"):
        if isinstance(e[k], bool) or not isinstance(e[k], int) or not _FIRST_YEAR <= e[k] <= _LAST_YEAR:
            raise fail(f"{k} must be a year between {_FIRST_YEAR} and {_LAST_YEAR}, got {e[k]!r}", k,
                       f"{_FIRST_YEAR} … {_LAST_YEAR}")
    if e["to"] < e["from"]:
        raise fail(f"to ({e['to']}) is before from ({e['from']})", "to")
    regions = set(region_codes())
    region_text = "\"*\" or province codes such as GD, SX"
    sector_text = "\"*\", two-digit sector codes (25), group:<benchmark group> or HH (households)"
    kw: dict[str, Any] = {
        "kind": kind, "start": int(e["from"]), "end": int(e["to"]), "label": str(e.get("label", "")),
        "regions": _codes(e.get("regions", "*"), "regions", fail, allowed=regions, allowed_text=region_text),
        "line": table_line(ctx.text, "lever", i),
    }
    if kind in ("intensity", "electrification"):
        kw["sectors"] = _codes(e["sectors"], "sectors", fail, pattern=_SECTOR, allowed_text=sector_text)
    if kind == "electrification" and kw["sectors"] and any(c == HOUSEHOLDS for c in kw["sectors"]):
        raise fail("households cannot be electrified by this lever", "sectors", sector_text)
    if kind == "final_demand":
        cats = {c.code for c in FD_CATEGORIES} | {EXPORTS}
        kw["categories"] = _codes(e["categories"], "categories", fail, allowed=cats,
                                  allowed_text="\"*\", " + ", ".join(sorted(cats)))
    if kind == "coefficient":
        kw["inputs"] = _codes(e["inputs"], "inputs", fail, pattern=_CODE_OR_GROUP,
                              allowed_text="two-digit sector codes or group:<benchmark group>")
        kw["users"] = _codes(e["users"], "users", fail, pattern=_CODE_OR_GROUP,
                             allowed_text="\"*\", two-digit sector codes or group:<benchmark group>")
        kw["input_regions"] = _codes(e.get("input_regions", "*"), "input_regions", fail, allowed=regions,
                                     allowed_text=region_text)
        if kw["inputs"] is None:
            raise fail("inputs must name the supplying sectors", "inputs", "two-digit sector codes")
    if "rate" in required:
        kw["rate"] = _num(e["rate"], "rate", fail, -0.5, 0.5)
    if kind == "power":
        kw["cut"] = _num(e["cut"], "cut", fail, 0.0, 1.0)
    if kind == "electrification":
        kw["share"] = _num(e["share"], "share", fail, 0.0, 1.0)
    return Lever(**kw)


_OVERRIDES: Final = {
    # name in [assumptions] → (field of Assumptions, lo, hi)
    "households_rate": ("households_rate", -0.5, 0.5),
    "removal_start": ("removal_start", 2020, 2100),
    "electricity_per_fuel": ("electricity_per_fuel", 0.0, 5.0),
    "trend_min": ("trend_min", -0.5, 0.0),
    "trend_max": ("trend_max", -0.5, 0.5),
    "trend_fallback": ("trend_fallback", -0.5, 0.5),
}


def _overrides(raw: Mapping[str, Any], ctx: _Ctx) -> dict[str, Any]:
    out: dict[str, Any] = {}
    base = default_assumptions()
    for k, v in raw.items():
        if k in _OVERRIDES:
            fld, lo, hi = _OVERRIDES[k]
            if fld == "removal_start":
                if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                    raise ctx.err(f"assumptions.{k} must be a year, got {v!r}", fld=f"assumptions.{k}",
                                  allowed=f"{lo} … {hi}")
                out[fld] = int(v)
            else:
                out[fld] = _num(v, f"assumptions.{k}", lambda m, f, a: ctx.err(m, fld=f, allowed=a), lo, hi)
        elif k == "gdp_growth":
            if not isinstance(v, dict) or "from_year" not in v or "rate" not in v:
                raise ctx.err("assumptions.gdp_growth needs from_year and rate lists",
                              fld="assumptions.gdp_growth", allowed="from_year = [...], rate = [...]")
            fy, rt = v["from_year"], v["rate"]
            if (not isinstance(fy, list) or not isinstance(rt, list) or len(fy) != len(rt) or not fy
                    or any(isinstance(y, bool) or not isinstance(y, int) for y in fy) or fy != sorted(fy)):
                raise ctx.err("assumptions.gdp_growth: from_year must be increasing years, as many as rate",
                              fld="assumptions.gdp_growth.from_year")
            out["gdp_from"] = tuple(int(y) for y in fy)
            out["gdp_rate"] = tuple(_num(r, "assumptions.gdp_growth.rate",
                                         lambda m, f, a: ctx.err(m, fld=f, allowed=a), -0.2, 0.3) for r in rt)
        elif k == "benchmarks":
            if not isinstance(v, dict):
                raise ctx.err("assumptions.benchmarks must be a table of groups", fld="assumptions.benchmarks")
            groups = dict(base.groups)
            for g, spec in v.items():
                if g not in groups:
                    raise ctx.err(f"unknown benchmark group {g!r}", fld=f"assumptions.benchmarks.{g}",
                                  allowed=", ".join(groups))
                ratio = spec.get("ratio") if isinstance(spec, dict) else None
                if not isinstance(ratio, list) or len(ratio) != len(base.anchor_years):
                    raise ctx.err(f"assumptions.benchmarks.{g}.ratio needs {len(base.anchor_years)} values "
                                  f"(anchor years {', '.join(map(str, base.anchor_years))})",
                                  fld=f"assumptions.benchmarks.{g}.ratio")
                vals = tuple(_num(r, f"assumptions.benchmarks.{g}.ratio",
                                  lambda m, f, a: ctx.err(m, fld=f, allowed=a), 0.0, 10.0) for r in ratio)
                old = groups[g]
                groups[g] = type(old)(old.code, old.label_en, old.label_zh_hans, vals)
            out["groups"] = groups
        else:
            allowed = ", ".join(sorted((*_OVERRIDES, "gdp_growth", "benchmarks")))
            raise ctx.err(f"unknown assumption {k!r}", fld=f"assumptions.{k}", allowed=allowed)
    return out


def parse_scenario(text: str, *, file: str = "<scenario>") -> Scenario:
    """Validate a scenario's TOML text (see :class:`Lever`, :class:`Binding`,
    :class:`Uncertainty`); raises :class:`~viscarbon.errors.ScenarioError` at the first
    problem, naming the file, line, field and the allowed values."""
    ctx = _Ctx(text, file)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ScenarioError(f"not valid TOML: {exc}", file=file, line=int(m.group(1)) if m else None) from exc
    known = {"scenario", "lever", "target", "binding", "uncertainty", "assumptions"}
    for k in raw:
        if k not in known:
            raise ctx.err(f"unknown table {k!r}", fld=k, allowed=", ".join(sorted(known)))
    head = raw.get("scenario")
    if not isinstance(head, dict):
        raise ScenarioError("a scenario needs a [scenario] table with id and title_en", file=file, line=1,
                            field="scenario")
    sid = head.get("id")
    if not isinstance(sid, str) or not _ID.match(sid):
        raise ctx.err(f"scenario.id must be lower-case letters, digits, - or _, got {sid!r}", fld="scenario.id",
                      allowed="e.g. power-first")
    for k in head:
        if k not in ("id", "title_en", "title_zh_hans", "description_en", "description_zh_hans"):
            raise ctx.err(f"unknown field scenario.{k}", fld=f"scenario.{k}",
                          allowed="id, title_en, title_zh_hans, description_en, description_zh_hans")
    title_en = str(head.get("title_en") or sid)
    levers_raw = raw.get("lever", [])
    if not isinstance(levers_raw, list):
        raise ctx.err("levers are written as [[lever]] tables", fld="lever")
    levers = tuple(_lever(i, e, ctx) for i, e in enumerate(levers_raw))
    targets = parse_targets(raw.get("target", []), text=text, file=file, force_status="user")
    b = raw.get("binding", {})
    binding = Binding()
    if b:
        tg = b.get("targets", [])
        adj = b.get("adjustment", "uniform_intensity_cut")
        if adj not in BINDING_ADJUSTMENTS:
            raise ctx.err(f"unknown adjustment {adj!r}", fld="binding.adjustment", allowed=", ".join(BINDING_ADJUSTMENTS))
        if tg is True:
            binding = Binding(all=True, adjustment=adj)
        elif isinstance(tg, list) and all(isinstance(t, str) for t in tg):
            binding = Binding(names=tuple(tg), adjustment=adj)
        else:
            raise ctx.err("binding.targets must be true or a list of target ids or kinds", fld="binding.targets",
                          allowed="true, [" + ", ".join(f'"{k}"' for k in KINDS) + "]")
        for k in b:
            if k not in ("targets", "adjustment"):
                raise ctx.err(f"unknown field binding.{k}", fld=f"binding.{k}", allowed="targets, adjustment")
    u = raw.get("uncertainty", {})
    unc = Uncertainty(**uncertainty_defaults())  # type: ignore[arg-type]
    if u:
        fields = {"draws": (1, 10_000_000), "seed": (0, 2**63 - 1), "block": (1, 1_000_000)}
        floats = {"intensity_cv": (0.0, 2.0), "power_cv": (0.0, 2.0), "growth_sd": (0.0, 0.1),
                  "coefficient_cv": (0.0, 1.0), "regional_growth_sd": (0.0, 0.1)}
        kw: dict[str, Any] = {}
        for k, v in u.items():
            if k in fields:
                lo, hi = fields[k]
                if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                    raise ctx.err(f"uncertainty.{k} must be a whole number between {lo} and {hi}, got {v!r}",
                                  fld=f"uncertainty.{k}", allowed=f"{lo} … {hi}")
                kw[k] = int(v)
            elif k in floats:
                lo2, hi2 = floats[k]
                kw[k] = _num(v, f"uncertainty.{k}", lambda m, f, a: ctx.err(m, fld=f, allowed=a), lo2, hi2)
            else:
                raise ctx.err(f"unknown field uncertainty.{k}", fld=f"uncertainty.{k}",
                              allowed=", ".join((*fields, *floats)))
        unc = Uncertainty(**{**uncertainty_defaults(), **kw})
    overrides = _overrides(raw.get("assumptions", {}), ctx)
    if binding.names:
        ids = {t.id for t in targets}
        ids |= {t.id for t in default_targets()}
        for name in binding.names:
            if name not in ids and name not in KINDS:
                raise ctx.err(f"binding names unknown target {name!r}", fld="binding.targets",
                              allowed="a target id of targets.toml or the scenario, or a kind: " + ", ".join(KINDS))
    return Scenario(id=sid, title_en=title_en, title_zh_hans=str(head.get("title_zh_hans") or title_en),
                    description_en=str(head.get("description_en", "")),
                    description_zh_hans=str(head.get("description_zh_hans", "")),
                    levers=levers, targets=targets, binding=binding, uncertainty=unc, overrides=overrides,
                    source_text=text, file=file)


#: JSON spellings of the levers of a request (``parse_levers``) → the TOML field.
_JSON_ALIASES: Final = {"sector": "sectors", "region": "regions", "category": "categories",
                        "input": "inputs", "user": "users"}


def _json_lever(i: int, raw: Any) -> dict[str, Any]:
    """A lever of a JSON request as the TOML fields :func:`_lever` reads: ``sector``,
    ``region`` … are the singular spellings of ``sectors``, ``regions`` …; ``group``
    names a benchmark group (``"industry"`` → ``sectors = ["group:industry"]``)."""
    if not isinstance(raw, Mapping):
        raise ScenarioError(f"lever {i + 1} must be an object with kind, from, to …, got {raw!r}",
                            file="<request>", field=f"levers[{i}]",
                            allowed="{kind, sector|group, region, rate|cut|share, from, to}")
    out: dict[str, Any] = {}
    for k, v in raw.items():
        key = str(k)
        if key == "group":
            if not isinstance(v, str) or not v:
                raise ScenarioError(f"lever {i + 1}: group must be a benchmark group name, got {v!r}",
                                    file="<request>", field=f"levers[{i}].group",
                                    allowed=", ".join(default_assumptions().groups))
            target, value = "sectors", [f"group:{v}"]
        else:
            target, value = _JSON_ALIASES.get(key, key), v
        if target in out:
            raise ScenarioError(f"lever {i + 1}: {key!r} repeats {target!r}", file="<request>",
                                field=f"levers[{i}].{key}")
        out[target] = value
    return out


def parse_levers(obj: object) -> tuple[Lever, ...]:
    """Validate the levers of a JSON request (the dashboard's sliders, ``POST
    /api/roadmap``): a list of objects ``{kind, sector|sectors|group, region|regions,
    rate|cut|share, from, to, …}`` with the fields of :class:`Lever` as a scenario file
    writes them, checked by the same rules as :func:`parse_scenario`. Raises
    :class:`~viscarbon.errors.ScenarioError` whose ``field`` is ``levers[i].<field>``
    (file ``<request>``, no line)."""
    if not isinstance(obj, list):
        raise ScenarioError(f"levers must be a list of lever objects, got {obj!r}", file="<request>",
                            field="levers", allowed="[{kind, sector|group, region, rate|cut|share, from, to}]")
    ctx = _Ctx("", "<request>")
    out: list[Lever] = []
    for i, raw in enumerate(obj):
        entry = _json_lever(i, raw)
        try:
            out.append(_lever(i, entry, ctx))
        except ScenarioError as exc:
            fld = f"levers[{i}]" + (f".{exc.field}" if exc.field else "")
            raise ScenarioError(exc.message, file="<request>", field=fld, allowed=exc.allowed) from exc
    groups = default_assumptions().groups
    for i, lv in enumerate(out):
        for name in ("sectors", "inputs", "users"):
            for code in getattr(lv, name) or ():
                if code.startswith("group:") and code[6:] not in groups:
                    raise ScenarioError(f"lever {i + 1}: unknown benchmark group {code!r} in {name}",
                                        file="<request>", field=f"levers[{i}].{name}",
                                        allowed=", ".join(f"group:{g}" for g in groups))
    return tuple(out)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file (see :func:`parse_scenario`)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read the scenario: {exc}", file=str(p)) from exc
    return parse_scenario(text, file=str(p))


@cache
def shipped_scenarios() -> tuple[Scenario, ...]:
    """The baseline and the example scenarios shipped in ``roadmap/data/scenarios``."""
    folder = resources.files("viscarbon.roadmap").joinpath("data/scenarios")
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            out.append(parse_scenario(entry.read_text(encoding="utf-8"), file=f"scenarios/{entry.name}"))
    out.sort(key=lambda s: (s.id != "baseline", s.id))
    return tuple(out)


def stored_scenario(name: str, toml: str) -> Scenario:
    """A scenario saved in the store under ``name``: its TOML parsed again (file
    ``store:<name>``) and its id set to the saved name."""
    sc = parse_scenario(toml, file=f"store:{name}")
    return sc if sc.id == name else replace(sc, id=name)


def baseline_scenario() -> Scenario:
    """The shipped baseline (no levers)."""
    return next(s for s in shipped_scenarios() if s.id == "baseline")
