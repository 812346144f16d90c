"""The analysis layer's one cache: bounded, least recently used, built once per key."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

__all__ = ["BoundedCache", "Memo"]

T = TypeVar("T")


class BoundedCache:
    """At most ``size`` values, the least recently used dropped first.

    One lock discipline: the table lock is held only to look up, insert and evict; a
    missing value is built under a lock of its own key, so concurrent requests for the
    same key wait for one build (a year is factorised once, whoever asks first) while
    requests for other keys go on. Values must be immutable (shared between threads).
    ``builds`` counts the values built.
    """

    def __init__(self, size: int):
        if size < 1:
            raise ValueError("cache size must be at least 1")
        self.size = size
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}
        self.builds = 0

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The value of ``key``, built with ``build()`` on a miss."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return cast(T, self._data[key])
            klock = self._building.setdefault(key, threading.Lock())
        with klock:
            with self._lock:
                if key in self._data:
                    self._data.move_to_end(key)
                    return cast(T, self._data[key])
            value = build()
            with self._lock:
                self._data[key] = value
                self.builds += 1
                while len(self._data) > self.size:
                    self._data.popitem(last=False)
                self._building.pop(key, None)
            return value

    def keys(self) -> list[Hashable]:
        with self._lock:
            return list(self._data)

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)


class Memo:
    """The results one immutable analysis object has computed, kept for its lifetime (not a
    cache of its own: it goes when its owner leaves the :class:`BoundedCache`). Building
    is serialised per owner, so every result is computed once."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._values: dict[Hashable, Any] = {}

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            if key not in self._values:
                self._values[key] = build()
            return cast(T, self._values[key])

    def __getstate__(self) -> dict[str, Any]:
        return {"values": {}}  # results are recomputed in another process

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._lock = threading.RLock()
        self._values = {}
