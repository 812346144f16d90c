"""Ordered, labelled axes of codes (regions, sectors, final-demand categories, stressors)."""

from __future__ import annotations

from dataclasses import dataclass, field

from viscarbon.classification import FD_CATEGORIES, region, region_codes, sectors
from viscarbon.errors import DataError, UnknownCode
from viscarbon.i18n import normalize_lang

__all__ = ["Axis"]


@dataclass(frozen=True, slots=True)
class Axis:
    """An ordered tuple of stable ASCII codes with optional en / zh-Hans labels.

    ``dimension`` names what the codes are ("region", "sector", "fd_category",
    "va_row", "stressor" ...). ``list_id`` names the classification the codes belong to
    (``io42_2012``, ``io42_2017``, ``inv47`` ...) or is empty for a custom axis (e.g. a
    pymrio import). Labels default to the codes.
    """

    dimension: str
    codes: tuple[str, ...]
    labels_en: tuple[str, ...] = field(default=())
    labels_zh: tuple[str, ...] = field(default=())
    list_id: str = ""

    def __post_init__(self) -> None:
        codes = tuple(str(c) for c in self.codes)
        object.__setattr__(self, "codes", codes)
        if len(set(codes)) != len(codes):
            dup = next(c for c in codes if codes.count(c) > 1)
            raise DataError(f"{self.dimension} axis has a duplicate code {dup!r}")
        for name in ("labels_en", "labels_zh"):
            labels = tuple(getattr(self, name)) or codes
            if len(labels) != len(codes):
                raise DataError(f"{self.dimension} axis: {name} has {len(labels)} entries for {len(codes)} codes")
            object.__setattr__(self, name, labels)

    def __len__(self) -> int:
        return len(self.codes)

    def index(self, code: str) -> int:
        """Position of ``code``; :class:`UnknownCode` names the allowed values."""
        try:
            return self.codes.index(code)
        except ValueError:
            shown = ", ".join(self.codes[:50]) + (" …" if len(self.codes) > 50 else "")
            raise UnknownCode(f"unknown {self.dimension} code {code!r}", hint=f"use one of: {shown}") from None

    def labels(self, lang: str | None = None) -> tuple[str, ...]:
        return self.labels_zh if normalize_lang(lang) == "zh-Hans" else self.labels_en

    @classmethod
    def regions(cls, codes: tuple[str, ...] | None = None) -> Axis:
        """An axis of provincial regions (all 31 in NBS order by default)."""
        codes = codes if codes is not None else region_codes()
        regs = [region(c) for c in codes]
        return cls("region", tuple(r.code for r in regs), tuple(r.name_en for r in regs),
                   tuple(r.name_zh_hans for r in regs), list_id="cn31")

    @classmethod
    def sectors(cls, list_id: str = "io42_2012") -> Axis:
        """An axis of the 42 IO sectors of ``list_id``."""
        ss = sectors(list_id)
        return cls("sector", tuple(s.code for s in ss), tuple(s.name_en for s in ss),
                   tuple(s.name_zh_hans for s in ss), list_id=list_id)

    @classmethod
    def fd_categories(cls, codes: tuple[str, ...] | None = None) -> Axis:
        """The CEADs final-demand categories FU101-FU202 plus ``Other`` (ERR)."""
        cats = [c for c in FD_CATEGORIES if codes is None or c.code in codes]
        if codes is not None and len(cats) != len(codes):
            # keep custom categories (pymrio imports) as they are
            return cls("fd_category", tuple(codes))
        return cls("fd_category", tuple(c.code for c in cats), tuple(c.name_en for c in cats),
                   tuple(c.name_zh_hans for c in cats), list_id="ceads_fd")
