"""Column schemas: one place defines every exported column.

A :class:`Schema` lists the columns of one tidy table as :class:`Field` s: name, type
(``string``, ``number``, ``integer``, ``boolean``), unit code and a description in
English and 简体中文 (catalog keys of the ``schema`` namespace). Everything a writer
says about columns is rendered from it: the CSV cells (codes such as ``01`` are
``string`` fields, floats in their shortest round-trip form), the Frictionless
``datapackage.json`` beside CSV files (:mod:`.datapackage`), the ``schema`` block of a
JSON file, the ``columns`` sheet of an XLSX workbook and the ``schema`` key of the
Parquet key-value metadata.

Descriptions are looked up as ``schema.<schema name>.<column>`` first (a column whose
meaning is particular to one table, e.g. ``share`` of a network edge), then
``schema.column.<column>`` (a column that means the same everywhere, e.g. ``region``);
a :class:`Field` may name its own :class:`Text` instead (indicator columns, whose text
is built from the indicator's name and definition). Frictionless Table Schema:
https://specs.frictionlessdata.io/table-schema/ (``unit`` and ``unitLabel`` are
viscarbon's own field properties, which the specification allows).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from viscarbon.errors import DataError
from viscarbon.i18n import has_key, t

__all__ = [
    "FIELD_TYPES",
    "NOTE_SEPARATOR",
    "UNIT_CODES",
    "Field",
    "Schema",
    "Text",
    "cast_column",
    "infer_schema",
    "unit_code",
    "unit_label",
]

#: Frictionless field types used by viscarbon.
FIELD_TYPES: Final = ("string", "number", "integer", "boolean")
#: Unit codes of exported columns (labels: ``common.unit.<code>``).
UNIT_CODES: Final = ("10k_yuan", "mt_co2", "t_per_10k_yuan", "dimensionless", "fraction", "percent")
_UNIT_ALIASES: Final = {"mt": "mt_co2", "Mt": "mt_co2", "Mt CO2": "mt_co2", "10k yuan": "10k_yuan"}
#: How several notes are joined into one metadata value (CSV sidecar, XLSX, Parquet, JSON ``meta``).
NOTE_SEPARATOR: Final = " | "


def unit_code(unit: str) -> str:
    """The unit code of ``unit`` (``"Mt"`` and ``"mt"`` → ``"mt_co2"``); a
    :class:`DataError` for a unit viscarbon does not know."""
    code = _UNIT_ALIASES.get(unit, unit)
    if code not in UNIT_CODES:
        raise DataError(f"unknown unit {unit!r}", hint="use one of: " + ", ".join(UNIT_CODES))
    return code


def unit_label(unit: str, lang: str | None = None) -> str:
    """The localised label of a unit (``mt_co2`` → "Mt CO2" / "百万吨 CO2")."""
    return t(f"common.unit.{unit_code(unit)}", lang)


@dataclass(frozen=True, slots=True)
class Text:
    """A catalog message and its parameters, rendered per language; a parameter may itself
    be a :class:`Text` (e.g. an indicator's name inside a column description)."""

    key: str
    params: tuple[tuple[str, str | Text], ...] = ()

    @classmethod
    def of(cls, key: str, **params: str | Text) -> Text:
        return cls(key, tuple(params.items()))

    def render(self, lang: str | None = None) -> str:
        values = {k: v.render(lang) if isinstance(v, Text) else v for k, v in self.params}
        return t(self.key, lang, **values)


@dataclass(frozen=True, slots=True)
class Field:
    """One column: ``name``, ``type`` (one of :data:`FIELD_TYPES`), ``unit`` (a unit code
    of :data:`UNIT_CODES`, or ``None`` for codes, labels, counts and flags),
    ``description`` (a :class:`Text`; default: looked up by the schema) and ``title``."""

    name: str
    type: str
    unit: str | None = None
    description: Text | None = None
    title: Text | None = None

    def __post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise DataError(f"unknown field type {self.type!r} for column {self.name!r}",
                            hint="use one of: " + ", ".join(FIELD_TYPES))
        if self.unit is not None:
            object.__setattr__(self, "unit", unit_code(self.unit))


@dataclass(frozen=True)
class Schema:
    """The columns of one table, in order. ``name`` names the table for the description
    look-up (``schema.<name>.<column>``, then ``schema.column.<column>``)."""

    name: str
    fields: tuple[Field, ...]

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise DataError(f"schema {self.name!r} has duplicate columns: {', '.join(dup)}")

    @classmethod
    def of(cls, name: str, *fields: Field | tuple[str, str] | tuple[str, str, str | None]) -> Schema:
        """``Schema.of("trade", ("from_region", "string"), ("co2_mt", "number", "mt"))``."""
        out = []
        for f in fields:
            out.append(f if isinstance(f, Field) else Field(*f))
        return cls(name, tuple(out))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise DataError(f"schema {self.name!r} has no column {name!r}", hint="columns: " + ", ".join(self.names))

    def description_key(self, f: Field) -> str | None:
        """The catalog key of ``f``'s description (``None`` when ``f`` carries a Text or
        no key exists)."""
        for key in (f"schema.{self.name}.{f.name}", f"schema.column.{f.name}"):
            if has_key(key):
                return key
        return None

    def description(self, f: Field, lang: str | None = None) -> str:
        """``f``'s description in ``lang`` ("" when none is defined)."""
        if f.description is not None:
            return f.description.render(lang)
        key = self.description_key(f)
        return t(key, lang) if key else ""

    def undefined(self) -> list[str]:
        """Columns without a description (a test keeps this empty for every schema viscarbon writes)."""
        return [f.name for f in self.fields if f.description is None and self.description_key(f) is None]

    def descriptor(self, lang: str | None = None) -> dict[str, Any]:
        """The Frictionless Table Schema of the table (``missingValues``: the empty field)."""
        fields = []
        for f in self.fields:
            d: dict[str, Any] = {"name": f.name, "type": f.type}
            if f.title is not None:
                d["title"] = f.title.render(lang)
            text = self.description(f, lang)
            if text:
                d["description"] = text
            if f.unit is not None:
                d["unit"] = f.unit
                d["unitLabel"] = unit_label(f.unit, lang)
            fields.append(d)
        return {"fields": fields, "missingValues": [""]}

    def select(self, names: Iterable[str]) -> Schema:
        """The fields named ``names``, in that order."""
        return Schema(self.name, tuple(self.field(n) for n in names))

    def check(self, columns: Sequence[str]) -> None:
        """A :class:`DataError` unless ``columns`` are exactly the schema's, in order."""
        if tuple(columns) != self.names:
            extra = [c for c in columns if c not in self.names]
            absent = [c for c in self.names if c not in columns]
            raise DataError(f"the columns of table {self.name!r} do not match its schema"
                            + (f"; not in the schema: {', '.join(extra)}" if extra else "")
                            + (f"; missing: {', '.join(absent)}" if absent else "")
                            + ("" if extra or absent else "; the order differs"))

    def units(self) -> dict[str, str]:
        """Column → unit code of the columns with a unit."""
        return {f.name: f.unit for f in self.fields if f.unit is not None}


def _infer_type(col: NDArray[Any]) -> str:
    kind = col.dtype.kind
    if kind == "b":
        return "boolean"
    if kind in "iu":
        return "integer"
    if kind == "f":
        return "number"
    return "string"


def infer_schema(columns: Mapping[str, NDArray[Any]], *, name: str = "table") -> Schema:
    """A schema from typed columns (for callers that pass none: the descriptions then come
    from ``schema.column.<name>`` where one exists)."""
    return Schema(name, tuple(Field(k, _infer_type(v)) for k, v in columns.items()))


def cast_column(f: Field, values: NDArray[Any]) -> NDArray[Any]:
    """``values`` as the numpy type of ``f`` (float64, int64, bool, or object text with
    ``None`` for missing); a :class:`DataError` naming the column when they do not fit."""
    try:
        if f.type == "number":
            if values.dtype.kind in "fiub":
                return values.astype(np.float64, copy=False)
            return np.asarray([np.nan if v is None else float(v) for v in values.tolist()], dtype=np.float64)
        if f.type == "integer":
            if values.dtype.kind in "iub":
                return values.astype(np.int64, copy=False)
            ints = [None if v is None or (isinstance(v, float) and math.isnan(v)) else int(v)
                    for v in values.tolist()]
            if any(v is None for v in ints):
                return np.asarray(ints, dtype=object)
            return np.asarray(ints, dtype=np.int64)
        if f.type == "boolean":
            if values.dtype.kind == "b":
                return values
            vals = values.tolist()
            return np.asarray([None if v is None else bool(v) for v in vals], dtype=object)
        if values.dtype.kind == "O":
            return np.asarray([None if v is None else str(v) for v in values.tolist()], dtype=object)
        return np.asarray([str(v) for v in values.tolist()], dtype=object)
    except (TypeError, ValueError) as exc:
        raise DataError(f"column {f.name!r} does not hold {f.type} values: {exc}") from None
