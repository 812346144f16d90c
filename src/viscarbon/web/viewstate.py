"""The view state of the dashboard, decoded and validated from query parameters.

The page URL carries the whole view (``?dataset=demo&region=GD&year=2017&lang=zh-Hans
&mode=carbon&indicator=co2&top=5&keep=3``); the API takes the same parameters. Decoding is
pure: it needs only the parameters and a :class:`Choices` (what the repository offers
right now), so it is unit-tested without a server. Every invalid value raises
:class:`InvalidParameter`, which names the parameter and the allowed values; the web layer
turns it into a 400 answer ``{"error": …, "param": …, "allowed": […]}``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from viscarbon.datasets import DatasetInfo
from viscarbon.errors import NotFound, UnknownCode
from viscarbon.i18n import LANGS, normalize_lang

__all__ = [
    "DEFAULT_INDICATOR",
    "DEFAULT_KEEP",
    "DEFAULT_TOP",
    "INTRA",
    "MODES",
    "Choices",
    "InvalidParameter",
    "ViewState",
    "decode_inventory",
    "decode_lang",
    "parse_float",
    "parse_int",
    "parse_side",
]

MODES: Final = ("money", "carbon")
INTRA: Final = ("all", "exclude", "only")
DEFAULT_TOP: Final = 5.0
DEFAULT_KEEP: Final = 0
DEFAULT_INDICATOR: Final = "output"
DEFAULT_REGION: Final = "GD"


class InvalidParameter(UnknownCode):
    """A query parameter with a value the API does not accept.

    ``param`` is the parameter name, ``value`` what was given, ``allowed`` the accepted
    values (when they form a list) and ``kind`` the catalog key of the localised message
    (``api.error.unknown_value``, ``api.error.out_of_range`` …) with its ``params``.
    """

    def __init__(
        self,
        param: str,
        value: object,
        *,
        allowed: Sequence[str] = (),
        kind: str = "unknown_value",
        params: Mapping[str, object] | None = None,
    ):
        self.param = param
        self.value = "" if value is None else str(value)
        self.allowed = tuple(str(a) for a in allowed)
        self.kind = kind
        self.params = dict(params or {})
        if kind == "unknown_value":
            msg = f"unknown {param} {self.value!r}"
            hint = "use one of: " + ", ".join(self.allowed)
        elif kind == "out_of_range":
            msg = f"{param} must be between {self.params.get('low')} and {self.params.get('high')}, got {self.value!r}"
            hint = None
        elif kind == "no_inventory":
            msg = f"no CO2 inventory for {param} {self.value!r} (CEADs publishes none)"
            hint = "use one of: " + ", ".join(self.allowed)
        elif kind == "bad_compare":
            msg = f"{param} must be written dataset:year:region (e.g. demo:2017:GD), got {self.value!r}"
            hint = None
        else:
            msg = f"{param} must be a {'whole number' if kind == 'not_integer' else 'number'}, got {self.value!r}"
            hint = None
        super().__init__(msg, hint=hint)


@dataclass(frozen=True, slots=True)
class Choices:
    """The allowed values right now: the analysable datasets (first = default; their years,
    regions and sectors) and the indicator codes."""

    datasets: tuple[DatasetInfo, ...]
    indicators: tuple[str, ...]
    default_lang: str = "en"
    default_indicator: str = DEFAULT_INDICATOR

    def dataset(self, name: str) -> DatasetInfo:
        for d in self.datasets:
            if d.name == name:
                return d
        raise InvalidParameter("dataset", name, allowed=[d.name for d in self.datasets])

    @property
    def default_dataset(self) -> DatasetInfo:
        return self.datasets[0]


def _get(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def decode_lang(value: str | None, default: str = "en") -> str:
    """``en`` / ``zh-Hans`` from a query value (``zh`` and other aliases accepted)."""
    if value is None or not value.strip():
        return normalize_lang(default)
    try:
        return normalize_lang(value)
    except UnknownCode:
        raise InvalidParameter("lang", value, allowed=[*LANGS, "zh"]) from None


def parse_float(name: str, value: str | None, *, default: float, low: float, high: float,
                low_open: bool = False) -> float:
    """A finite number in ``[low, high]`` (``(low, high]`` when ``low_open``)."""
    if value is None:
        return default
    try:
        out = float(value)
    except ValueError:
        raise InvalidParameter(name, value, kind="not_number") from None
    if not math.isfinite(out) or out > high or out < low or (low_open and out == low):
        raise InvalidParameter(name, value, kind="out_of_range",
                               params={"low": f"{'>' if low_open else ''}{low:g}", "high": f"{high:g}"})
    return out


def parse_int(name: str, value: str | None, *, default: int, low: int, high: int) -> int:
    """A whole number in ``[low, high]``."""
    if value is None:
        return default
    try:
        out = int(value)
    except ValueError:
        raise InvalidParameter(name, value, kind="not_integer") from None
    if out < low or out > high:
        raise InvalidParameter(name, value, kind="out_of_range", params={"low": low, "high": high})
    return out


def _choose(name: str, value: str | None, allowed: Sequence[str], default: str,
            *, upper: bool = False) -> str:
    if value is None:
        return default
    key = value.upper() if upper else value
    if key in allowed:
        return key
    raise InvalidParameter(name, value, allowed=list(allowed))


@dataclass(frozen=True, slots=True)
class ViewState:
    """One province-year view: what to show and how.

    ``top`` is the edge share p in percent (0 < p ≤ 100): the network keeps the
    ``floor(p·S²/100)`` largest cells of the province's S × S block; ``keep`` keeps the
    top-k emitters visible with their strongest link.
    """

    dataset: str
    year: int
    region: str
    lang: str = "en"
    mode: str = "money"
    indicator: str = DEFAULT_INDICATOR
    top: float = DEFAULT_TOP
    keep: int = DEFAULT_KEEP

    @classmethod
    def decode(cls, params: Mapping[str, str], choices: Choices) -> ViewState:
        """Validate ``params`` against ``choices``; absent parameters take defaults
        (first dataset, its last year, GD or its first region, ``output``, money, 5 %, 0)."""
        lang = decode_lang(_get(params, "lang"), choices.default_lang)
        ds_name = _get(params, "dataset")
        ds = choices.dataset(ds_name) if ds_name is not None else choices.default_dataset
        year_text = _get(params, "year")
        if year_text is None:
            year = ds.years[-1]
        else:
            allowed_years = [str(y) for y in ds.years]
            if year_text not in allowed_years:
                raise InvalidParameter("year", year_text, allowed=allowed_years)
            year = int(year_text)
        default_region = DEFAULT_REGION if DEFAULT_REGION in ds.regions else ds.regions[0]
        region = _choose("region", _get(params, "region"), ds.regions, default_region, upper=True)
        mode = _choose("mode", _get(params, "mode"), MODES, "money")
        indicator = _choose("indicator", _get(params, "indicator"), choices.indicators,
                            choices.default_indicator)
        top = parse_float("top", _get(params, "top"), default=DEFAULT_TOP, low=0.0, high=100.0,
                          low_open=True)
        n_sectors = len(ds.sectors) or 42
        keep = parse_int("keep", _get(params, "keep"), default=DEFAULT_KEEP, low=0, high=n_sectors)
        return cls(dataset=ds.name, year=year, region=region, lang=lang, mode=mode,
                   indicator=indicator, top=top, keep=keep)

    def query(self) -> dict[str, str]:
        """The URL parameters of this view (inverse of :meth:`decode`)."""
        return {
            "dataset": self.dataset, "year": str(self.year), "region": self.region,
            "lang": self.lang, "mode": self.mode, "indicator": self.indicator,
            "top": f"{self.top:g}", "keep": str(self.keep),
        }


def parse_side(name: str, value: str | None, choices: Choices, *, lang: str) -> ViewState:
    """A comparison side written ``dataset:year:region`` (e.g. ``demo:2017:GD``)."""
    if value is None or value.count(":") != 2:
        raise InvalidParameter(name, value, kind="bad_compare")
    dataset, year, region = (p.strip() for p in value.split(":"))
    if not (dataset and year and region):
        raise InvalidParameter(name, value, kind="bad_compare")
    try:
        return ViewState.decode({"dataset": dataset, "year": year, "region": region, "lang": lang},
                                choices)
    except InvalidParameter as exc:
        # name the side (a / b) as well as the part that failed
        raise InvalidParameter(f"{name}.{exc.param}", exc.value, allowed=exc.allowed,
                               kind=exc.kind, params=exc.params) from None


def decode_inventory(params: Mapping[str, str], datasets: Sequence[tuple[str, Sequence[str]]],
                     *, known_regions: Sequence[str] = ()) -> tuple[str, str]:
    """``(dataset, region)`` of an inventory view from query parameters.

    ``datasets``: ``(name, region codes present)`` of each inventory dataset (first =
    default). The region defaults to GD (else the dataset's first region). A region of
    ``known_regions`` that the inventory lacks (Tibet, XZ) raises :class:`InvalidParameter`
    of kind ``no_inventory``; any other unknown value one of kind ``unknown_value``."""
    names = [name for name, _ in datasets]
    wanted = _get(params, "dataset")
    if not datasets:
        raise NotFound("no inventory dataset is imported",
                       hint="import one: viscarbon import ceads-inventory <workbooks>")
    chosen = datasets[0] if wanted is None else next((d for d in datasets if d[0] == wanted), None)
    if chosen is None:
        raise InvalidParameter("dataset", wanted, allowed=names)
    regions = tuple(chosen[1])
    raw = _get(params, "region")
    if raw is None:
        return chosen[0], DEFAULT_REGION if DEFAULT_REGION in regions else regions[0]
    code = raw.upper()
    if code in regions:
        return chosen[0], code
    if code in known_regions:
        raise InvalidParameter("region", code, allowed=regions, kind="no_inventory",
                               params={"allowed": ", ".join(regions)})
    raise InvalidParameter("region", raw, allowed=regions)
