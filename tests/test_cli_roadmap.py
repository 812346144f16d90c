"""``viscarbon roadmap``: each format, ``--region all``, saved scenarios, clear errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import absent
from viscarbon.cli.app import app
from viscarbon.roadmap.report import chromium_path

pytestmark = pytest.mark.xdist_group("roadmap")
runner = CliRunner()


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_iamc_all_regions(tmp_path: Path, store_path: Path) -> None:
    out = tmp_path / "all.csv"
    r = invoke("roadmap", "--dataset", "demo", "--region", "all", "--format", "iamc", "--out", str(out))
    assert r.exit_code == 0, r.output
    assert str(out) in r.output
    df = pd.read_csv(out)
    plain = {x for x in df.region if ">" not in x}
    assert len(plain) == 32 and "China" in plain and "Guangdong" in plain
    trade = {x for x in df.region if ">" in x}
    assert len(trade) > 31 * 20  # directional pairs between provinces with CO2
    assert all(a in plain and b in plain for a, b in (x.split(">") for x in trade))
    assert (tmp_path / "all.meta.csv").is_file()


def test_xlsx_and_html_and_languages(tmp_path: Path, store_path: Path) -> None:
    x = tmp_path / "gd.xlsx"
    r = invoke("roadmap", "--dataset", "demo", "--region", "gd", "--scenario", "clean-power", "--format", "xlsx",
               "--out", str(x))
    assert r.exit_code == 0, r.output
    assert set(pd.read_excel(x, sheet_name="data", engine="openpyxl").scenario) == {
        "baseline", "clean-power", "clean-power-secda"}
    for lang, needle in (("en", "Decarbonization roadmap to 2060: Guangdong"), ("zh", "广东2060年脱碳路线图")):
        h = tmp_path / f"gd.{lang}.html"
        r = invoke("roadmap", "--dataset", "demo", "--region", "GD", "--format", "html", "--lang", lang,
                   "--out", str(h))
        assert r.exit_code == 0, r.output
        text = h.read_text(encoding="utf-8")
        assert needle in text and "<svg" in text and "<script" not in text
        assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "https://" not in text


def test_pdf(tmp_path: Path, store_path: Path) -> None:
    if chromium_path() is None:
        absent("Debian's chromium")
    p = tmp_path / "cn.pdf"
    r = invoke("roadmap", "--dataset", "demo", "--region", "CN", "--format", "pdf", "--out", str(p))
    assert r.exit_code == 0, r.output
    assert p.read_bytes()[:5] == b"%PDF-"


def test_saved_scenario_resolves_first(tmp_path: Path, store_path: Path) -> None:
    src = Path(__file__).parents[1] / "src/viscarbon/roadmap/data/scenarios/coal-belt.toml"
    r = invoke("scenario", "save", str(src), "--name", "mine")
    assert r.exit_code == 0, r.output
    out = tmp_path / "m.csv"
    r = invoke("roadmap", "--dataset", "demo", "--region", "SX", "--scenario", "mine", "--out", str(out))
    assert r.exit_code == 0, r.output
    assert set(pd.read_csv(out).scenario) == {"baseline", "mine", "mine-secda"}


@pytest.mark.parametrize(("args", "needle", "code"), [
    (["--region", "XX"], "unknown region 'XX'", 1),
    (["--region", "GD", "--scenario", "nope"], "unknown scenario 'nope'", 1),
    (["--region", "GD,SX", "--format", "html"], "the report is of one region", 2),
    (["--region", "all", "--format", "pdf"], "the report is of one region", 2),
    (["--region", "GD", "--lang", "fr"], "unknown --lang 'fr'", 2),
])
def test_errors(tmp_path: Path, store_path: Path, args: list[str], needle: str, code: int) -> None:
    out = tmp_path / "x.out"
    r = invoke("roadmap", "--dataset", "demo", "--out", str(out), *args)
    assert r.exit_code == code
    assert needle in r.output
    assert "Traceback" not in r.output
    assert not out.exists()


def test_bad_scenario_file_names_file_line_field(tmp_path: Path, store_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nid = "x"\ntitle_en = "X"\ntitle_zh_hans = "X"\n\n[[lever]]\nkind = "intensty"\n',
                   encoding="utf-8")
    out = tmp_path / "x.csv"
    r = invoke("roadmap", "--dataset", "demo", "--region", "GD", "--scenario", str(bad), "--out", str(out))
    assert r.exit_code == 1
    assert f"{bad}, line 7, field 'kind'" in r.output
    assert "allowed: intensity" in r.output
    assert not out.exists()


def test_unknown_dataset(tmp_path: Path, store_path: Path) -> None:
    r = invoke("roadmap", "--dataset", "nodata", "--region", "GD", "--out", str(tmp_path / "x.csv"))
    assert r.exit_code == 1
    assert "unknown dataset 'nodata'" in r.output


def test_several_regions(tmp_path: Path, store_path: Path) -> None:
    out = tmp_path / "two.csv"
    r = invoke("roadmap", "--dataset", "demo", "--region", "GD,sx", "--out", str(out))
    assert r.exit_code == 0, r.output
    df = pd.read_csv(out)
    assert {x for x in df.region if ">" not in x} == {"Guangdong", "Shanxi"}
    trade = {x for x in df.region if ">" in x}
    assert {"Shanxi>Guangdong", "Guangdong>Shanxi"} <= trade
    assert all("Guangdong" in x.split(">") or "Shanxi" in x.split(">") for x in trade)
