"""Real data first, in the browser: with a real dataset imported (hand-made tables from
``tests/store_fixtures.py``, not synthetic, no inventory, one year) the dashboard opens on it
without the demo banner and says in one line what else to import; the headline says the CO2 is
unknown (no inventory) instead of showing zeros."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from store_fixtures import make_mrio
from viscarbon.io.store import Store

from .conftest import screenshot, served, wait_graph, wait_tab

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def real_server(built_frontend: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("real_first")
    store = Store(folder / "store.duckdb")
    with store.transaction() as tx:
        ds = tx.add_dataset("my-mrio", kind="ceads-mrio", years=[2017], citation="my tables")
        tx.put_table(ds, make_mrio(year=2017, n_regions=3, seed=5))
    with served(folder / "store.duckdb", folder / "serve.log") as base:
        yield base


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_opens_on_the_imported_dataset_with_a_hint(page: Any, real_server: str, lang: str) -> None:
    page.goto(f"{real_server}/?lang={lang}")
    wait_graph(page)
    assert page.input_value("#vc-dataset") == "my-mrio"
    assert not page.is_visible(".vc-banner")  # not synthetic: no demo banner
    notices = " ".join(page.locator(".vc-notice.vc-info").all_inner_texts())
    assert "my-mrio" in notices and "ceads-inventory" in notices, notices
    tiles = page.locator("#vc-headline .vc-tile")
    assert tiles.count() == 5
    first = page.inner_text("#vc-headline [data-tile=production]")
    assert ("missing, not zero" in first) if lang == "en" else ("缺失" in first), first
    screenshot(page, f"real-data-first-{lang}")
    # the Supply chains tab says why there is nothing to trace, without an error
    page.click("#vc-tab-supply_chains")
    wait_tab(page, "supply_chains")
    assert not page.locator(".vc-notice.vc-error").count(), page.locator(".vc-notice.vc-error").all_inner_texts()
    assert ("no CO2 inventory" in page.inner_text("[data-box=sc-paths] .vc-box-note")) if lang == "en" \
        else ("没有二氧化碳排放清单" in page.inner_text("[data-box=sc-paths] .vc-box-note"))
    screenshot(page, f"real-data-first-supply_chains-{lang}")
