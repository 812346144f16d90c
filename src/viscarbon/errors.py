"""One error tree for the whole library.

Every error says *what* went wrong and *where* (file, sheet, cell, region/sector)
and, where it can, how to fix it. The CLI prints ``str(error)`` on one line and
exits non-zero; the web layer maps them to 4xx answers.
"""

from __future__ import annotations

__all__ = [
    "BalanceError",
    "DataError",
    "LayoutError",
    "MemoryLimitError",
    "NotFound",
    "ScenarioError",
    "StoreError",
    "UnknownCode",
    "UnknownRegion",
    "UnknownSector",
    "ViscarbonError",
]


class ViscarbonError(Exception):
    """Base of every error raised on purpose by viscarbon."""

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        text = self.message
        if self.where:
            text += f" ({self.where})"
        if self.hint:
            text += f"; {self.hint}"
        return text


class LayoutError(ViscarbonError):
    """A file does not have the layout its reader expects (missing sheet, shifted block, bad header)."""


class DataError(ViscarbonError):
    """A value is not acceptable: text in a number cell, NaN, a negative gross output, a wrong year."""


class BalanceError(DataError):
    """An accounting identity fails (row/column balance of an IO table, fuels + process != total)."""


class MemoryLimitError(ViscarbonError, MemoryError):
    """A computation would need more memory than is available: refused up front, naming
    the memory needed (and its parts) and the memory available."""


class UnknownCode(ViscarbonError, KeyError):
    """A code that is not in its classification (region, sector, indicator, language...)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return ViscarbonError.__str__(self)


class UnknownRegion(UnknownCode):
    """A region code that is not one of the 31 provincial regions (or of the dataset)."""


class UnknownSector(UnknownCode):
    """A sector code that is not in the sector list in use."""


class NotFound(ViscarbonError, LookupError):
    """A dataset, year or object that does not exist in the store."""


class StoreError(ViscarbonError):
    """The store cannot be opened, migrated or written."""


class ScenarioError(ViscarbonError):
    """A scenario, target or assumption file that cannot be used: names the file, line,
    field and the values allowed. Nothing is saved when it is raised."""

    def __init__(self, message: str, *, file: str, line: int | None = None, field: str | None = None,
                 allowed: str | None = None):
        self.file = file
        self.line = line
        self.field = field
        self.allowed = allowed
        where = file + (f", line {line}" if line else "") + (f", field {field!r}" if field else "")
        super().__init__(message, where=where, hint=f"allowed: {allowed}" if allowed else None)
