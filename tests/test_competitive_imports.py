"""Node indicators of a competitive-imports table (NBS 2015): imports come from the
negative final-demand category IMP, not from the (empty) imports row."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from viscarbon.analysis import Workspace
from viscarbon.ingest import import_files
from viscarbon.io.readers.nbs import read_nbs_io


@pytest.mark.realdata
def test_imports_and_final_use_of_the_2015_competitive_table(nbs_dir: Path, tmp_path: Path) -> None:
    path = nbs_dir / "china_2015_42.csv"
    table = read_nbs_io(path)
    assert table.imports_treatment == "competitive" and not table.IM.any()
    store = tmp_path / "s.duckdb"
    import_files(store, "nbs-io", [path], name="n15")
    si = Workspace(store).year("n15", 2015).sector_indicators("CN")
    imp = table.fd_categories.index("IMP")
    expected_imports = -table.Y[:, imp]
    np.testing.assert_allclose(si["imports"].value, expected_imports, rtol=1e-12)
    assert si["imports"].value.sum() > 1e9  # > 10 trillion yuan (10,000 yuan units)
    # final use = domestic final use (IMP excluded): x = Z1 + final use − imports + EX
    np.testing.assert_allclose(
        si["final_use"].value - si["imports"].value + table.EX + table.Z.sum(axis=1), table.x, rtol=1e-9
    )
