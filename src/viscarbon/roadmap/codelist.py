"""An offline checker of codelists in the ``nomenclature`` YAML format, and the codelist
viscarbon ships for its roadmaps (``data/definitions``).

The format (as the IAMC community's ``nomenclature`` package reads it; that package is
not used: it pins older pandas and fetches definitions over the network):

* ``variable/*.yaml``: a list of one-key mappings ``- <name>: {unit: <unit or list of
  units>, description: <text>, …}``;
* ``variable/tag_*.yaml``: tags, ``- <Tag>: [- <value>: {description: …}, …]``; a variable
  name containing ``{Tag}`` stands for one variable per value (the value also replaces
  ``{Tag}`` in its description);
* ``region/*.yaml``: groups, ``- <group>: [- <region> | - <region>: {attributes}, …]``.
  A directional region ``A>B`` (trade from A to B) is declared when both A and B are.

:func:`load_codelist` reads and validates a folder (:class:`CodelistError` names the file
and the entry); :meth:`Codelist.check` lists every (variable, unit) and region of a table
the codelist does not declare.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final

import yaml

from viscarbon.errors import ViscarbonError

__all__ = ["Codelist", "CodelistError", "Problem", "Variable", "default_codelist", "load_codelist"]

DIRECTION: Final = ">"
_TAG = re.compile(r"\{([A-Za-z][A-Za-z0-9_ ]*)\}")


class CodelistError(ViscarbonError):
    """A codelist file that does not follow the format: names the file and the entry."""

    def __init__(self, message: str, *, file: str, entry: str | None = None):
        self.file = file
        self.entry = entry
        super().__init__(message, where=file + (f", entry {entry!r}" if entry is not None else ""),
                         hint="see the nomenclature format in docs/roadmap.md (Outputs)")


@dataclass(frozen=True)
class Variable:
    """A declared variable: its allowed ``units`` and ``description``; ``file`` it came from."""

    name: str
    units: tuple[str, ...]
    description: str
    file: str


@dataclass(frozen=True)
class Problem:
    """One row kind of a table the codelist does not declare: ``kind`` is ``variable``,
    ``unit`` or ``region``; ``value`` what was found; ``allowed`` the declared units (for
    ``unit``)."""

    kind: str
    value: str
    allowed: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.kind == "unit":
            return f"undeclared unit {self.value} (allowed: {', '.join(self.allowed)})"
        return f"undeclared {self.kind} {self.value!r}"


@dataclass(frozen=True)
class Codelist:
    """Variables (tags expanded) and regions (name → group)."""

    variables: Mapping[str, Variable]
    regions: Mapping[str, str]

    def region_known(self, name: str) -> bool:
        """A declared region, or a directional ``A>B`` of two declared regions."""
        if name in self.regions:
            return True
        parts = name.split(DIRECTION)
        return len(parts) == 2 and all(p in self.regions for p in parts)

    def check(self, variables: Iterable[str], units: Iterable[str], regions: Iterable[str]) -> tuple[Problem, ...]:
        """Every undeclared variable, unit (of a declared variable) and region of a table
        given column-wise (``variables`` and ``units`` row by row, same length)."""
        out: dict[tuple[str, str], Problem] = {}
        for v, u in set(zip(variables, units, strict=True)):
            var = self.variables.get(v)
            if var is None:
                out.setdefault(("variable", v), Problem("variable", v))
            elif u not in var.units:
                out.setdefault(("unit", f"{v} [{u}]"), Problem("unit", f"{u!r} of {v!r}", var.units))
        for r in set(regions):
            if not self.region_known(r):
                out.setdefault(("region", r), Problem("region", r))
        return tuple(sorted(out.values(), key=lambda p: (p.kind, p.value)))


def _read(path: Path, label: str) -> list[Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CodelistError(f"cannot read the codelist file: {exc}", file=label) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        raise CodelistError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=label, entry=where) from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise CodelistError("a codelist file is a list of one-key mappings (- name: {...})", file=label)
    return data


def _one_key(item: Any, label: str, index: int) -> tuple[str, Any]:
    if isinstance(item, str):
        return item, {}
    if not isinstance(item, dict) or len(item) != 1:
        raise CodelistError("each entry is a one-key mapping (- name: {...})", file=label, entry=f"#{index + 1}")
    (name, attrs), = item.items()
    if not isinstance(name, str) or not name.strip():
        raise CodelistError("an entry name must be non-empty text", file=label, entry=f"#{index + 1}")
    if attrs is None:
        attrs = {}
    return name, attrs


def _tags(files: Sequence[tuple[Path, str]]) -> dict[str, list[tuple[str, str]]]:
    tags: dict[str, list[tuple[str, str]]] = {}
    for path, label in files:
        for i, item in enumerate(_read(path, label)):
            tag, values = _one_key(item, label, i)
            if not isinstance(values, list) or not values:
                raise CodelistError("a tag lists its values (- Tag: [- value: {description: ...}])",
                                    file=label, entry=tag)
            out = []
            for j, v in enumerate(values):
                name, attrs = _one_key(v, label, j)
                if not isinstance(attrs, dict):
                    raise CodelistError("tag value attributes must be a mapping", file=label, entry=f"{tag}/{name}")
                out.append((name, str(attrs.get("description", name))))
            if tag in tags:
                raise CodelistError("tag defined twice", file=label, entry=tag)
            tags[tag] = out
    return tags


def _expand(name: str, description: str, tags: Mapping[str, list[tuple[str, str]]], label: str
            ) -> list[tuple[str, str]]:
    used = _TAG.findall(name)
    if not used:
        return [(name, description)]
    tag = used[0]
    if tag not in tags:
        raise CodelistError(f"unknown tag {{{tag}}} (tags: {', '.join(sorted(tags)) or 'none'})",
                            file=label, entry=name)
    out = []
    for value, _desc in tags[tag]:
        out += _expand(name.replace("{" + tag + "}", value), description.replace("{" + tag + "}", value),
                       tags, label)
    return out


def _units(attrs: Mapping[str, Any], label: str, name: str) -> tuple[str, ...]:
    if "unit" not in attrs:
        raise CodelistError("a variable needs a unit (unit: ... or unit: [..., ...])", file=label, entry=name)
    u = attrs["unit"]
    units = u if isinstance(u, list) else [u]
    if not units or not all(isinstance(x, str) for x in units):
        raise CodelistError("unit must be text or a list of texts", file=label, entry=name)
    return tuple(units)


def load_codelist(folder: str | Path) -> Codelist:
    """Read and validate the codelist in ``folder`` (``variable/`` and ``region/``)."""
    root = Path(folder)
    vdir, rdir = root / "variable", root / "region"
    for sub in (vdir, rdir):
        if not sub.is_dir():
            raise CodelistError("a codelist folder has variable/ and region/ subfolders", file=str(sub))
    vfiles = sorted(vdir.glob("*.yaml"))
    tags = _tags([(p, f"variable/{p.name}") for p in vfiles if p.name.startswith("tag_")])
    variables: dict[str, Variable] = {}
    for p in vfiles:
        if p.name.startswith("tag_"):
            continue
        label = f"variable/{p.name}"
        for i, item in enumerate(_read(p, label)):
            name, attrs = _one_key(item, label, i)
            if not isinstance(attrs, dict):
                raise CodelistError("variable attributes must be a mapping (unit:, description:)",
                                    file=label, entry=name)
            units = _units(attrs, label, name)
            description = attrs.get("description", "")
            if not isinstance(description, str):
                raise CodelistError("description must be text", file=label, entry=name)
            for n, d in _expand(name, description, tags, label):
                if n in variables:
                    raise CodelistError(f"variable declared twice (first in {variables[n].file})",
                                        file=label, entry=n)
                variables[n] = Variable(name=n, units=units, description=d, file=label)
    regions: dict[str, str] = {}
    for p in sorted(rdir.glob("*.yaml")):
        label = f"region/{p.name}"
        for i, item in enumerate(_read(p, label)):
            group, members = _one_key(item, label, i)
            if not isinstance(members, list):
                raise CodelistError("a region group lists its regions (- Group: [- Region, ...])",
                                    file=label, entry=group)
            for j, m in enumerate(members):
                name, attrs = _one_key(m, label, j)
                if not isinstance(attrs, dict):
                    raise CodelistError("region attributes must be a mapping", file=label, entry=name)
                if DIRECTION in name:
                    raise CodelistError(f"a region name cannot contain {DIRECTION!r} (directional regions "
                                        "are implied)", file=label, entry=name)
                if name in regions:
                    raise CodelistError(f"region declared twice (first in group {regions[name]!r})",
                                        file=label, entry=name)
                regions[name] = group
    return Codelist(variables=variables, regions=regions)


def default_codelist() -> Codelist:
    """The codelist shipped with viscarbon (``roadmap/data/definitions``)."""
    folder = resources.files("viscarbon.roadmap").joinpath("data/definitions")
    return load_codelist(Path(str(folder)))
