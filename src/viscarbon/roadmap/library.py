"""Scenarios saved in the store (``viscarbon scenario save|list|show|delete``) and how a
``--scenario`` value is resolved: a saved scenario first, then a shipped one, then a TOML
file.

A file is validated (:func:`~viscarbon.roadmap.scenario.parse_scenario`) before anything
is written; a rejected file raises :class:`~viscarbon.errors.ScenarioError` (file, line,
field, allowed values) and the store is not touched. The store keeps the TOML text exactly
as read; a saved scenario is parsed again when used, under its saved name.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Final

from viscarbon.datasets import open_store
from viscarbon.errors import NotFound, ScenarioError
from viscarbon.io.store import Store, StoredScenario
from viscarbon.roadmap.scenario import Scenario, load_scenario, shipped_scenarios, stored_scenario
from viscarbon.roadmap.service import fingerprint

__all__ = [
    "STORE_PREFIX",
    "delete_scenario",
    "resolve_scenario",
    "save_scenario",
    "saved_scenario",
    "saved_scenarios",
]

#: ``Scenario.file`` of a scenario read from the store: ``store:<name>``.
STORE_PREFIX: Final = "store:"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ScenarioError(f"bad scenario name {name!r}", file="--name", field="name",
                            allowed="lower case letters, digits, - or _ (up to 64, starting with a letter or digit)")
    return name


def _from_stored(row: StoredScenario) -> Scenario:
    return stored_scenario(row.name, row.toml)


def save_scenario(store: Store, path: str | Path, *, name: str | None = None) -> StoredScenario:
    """Validate the scenario file ``path`` and save it in ``store`` as ``name`` (default:
    its ``[scenario] id``; an existing one of that name is replaced). Nothing is written
    when the file is rejected."""
    sc = load_scenario(path)
    key = _check_name(name or sc.id)
    if any(s.id == key for s in shipped_scenarios()):
        raise ScenarioError(f"{key!r} is the name of a shipped scenario", file=str(path), field="name",
                            allowed="another name (--name): shipped are " + ", ".join(s.id for s in shipped_scenarios()))
    named = replace(sc, id=key)
    with store.transaction() as tx:
        return tx.put_scenario(key, toml=sc.source_text, fingerprint=fingerprint(named))


def saved_scenarios(store: Store) -> list[StoredScenario]:
    """The saved scenarios, by name."""
    return store.scenarios()


def saved_scenario(store: Store, name: str) -> Scenario:
    """The saved scenario ``name``, parsed (:class:`NotFound` listing the saved names)."""
    return _from_stored(store.scenario(name))


def delete_scenario(store: Store, name: str) -> None:
    """Delete the saved scenario ``name`` (:class:`NotFound` when there is none)."""
    store.scenario(name)  # NotFound (with the saved names) before any write
    with store.transaction() as tx:
        tx.delete_scenario(name)


def resolve_scenario(value: str | None, *, store_path: Path | None) -> Scenario:
    """A ``--scenario`` value: none → the baseline; a saved scenario of that name; a
    shipped one; else a TOML file (an existing path, or a value ending in ``.toml``)."""
    shipped = shipped_scenarios()
    if not value:
        return next(s for s in shipped if s.id == "baseline")
    if store_path is not None and store_path.exists():
        store = open_store(store_path)
        for row in store.scenarios():
            if row.name == value:
                return _from_stored(row)
    for s in shipped:
        if s.id == value:
            return s
    p = Path(value)
    if p.exists() or value.endswith(".toml"):
        return load_scenario(p)
    saved = [r.name for r in open_store(store_path).scenarios()] if store_path is not None and store_path.exists() else []
    raise NotFound(f"unknown scenario {value!r}",
                   hint="saved: " + (", ".join(saved) or "none") + "; shipped: "
                   + ", ".join(s.id for s in shipped) + "; or pass a TOML file")
