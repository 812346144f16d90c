"""Core types, classification and catalogs."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

import viscarbon
from viscarbon import classification as cls
from viscarbon.errors import BalanceError, DataError, UnknownRegion
from viscarbon.i18n import LANGS, catalog, normalize_lang, t
from viscarbon.model import Axis, IOTable


def test_public_api_is_explicit() -> None:
    for name in viscarbon.__all__:
        assert hasattr(viscarbon, name)


def test_catalogs_have_the_same_keys() -> None:
    en, zh = catalog("en"), catalog("zh-Hans")
    assert set(en) == set(zh), sorted(set(en) ^ set(zh))
    assert all(isinstance(v, str) and v for v in [*en.values(), *zh.values()])


def test_catalog_files_are_flat_json() -> None:
    base = resources.files("viscarbon.i18n").joinpath("catalogs")
    for entry in base.iterdir():
        if entry.name.endswith(".json"):
            data = json.loads(entry.read_text(encoding="utf-8"))
            assert all(isinstance(v, str) for v in data.values()), entry.name


def test_language_aliases() -> None:
    assert normalize_lang("zh") == "zh-Hans"
    assert normalize_lang("zh-CN") == "zh-Hans"
    assert normalize_lang(None) == "en"
    assert LANGS == ("en", "zh-Hans")
    assert t("common.unit.10k_yuan", "zh") == "万元"
    with pytest.raises(KeyError):
        normalize_lang("fr")


def test_regions_and_sectors() -> None:
    assert len(cls.regions()) == 31
    assert cls.region_codes()[0] == "BJ" and cls.region_codes()[-1] == "XJ"
    assert cls.region("xz").inventory_sheet_prefix is None
    assert cls.region("GD").name("zh") == "广东"
    with pytest.raises(UnknownRegion, match="unknown province code 'QQ'"):
        cls.region("QQ")
    fams = {f.code for f in cls.families()}
    for list_id in cls.SECTOR_LISTS:
        ss = cls.sectors(list_id)
        assert len(ss) == 42
        assert [s.code for s in ss] == [f"{i:02d}" for i in range(1, 43)]
        for s in ss:
            assert len(s.short_zh_hans) <= 6, s
            assert len(s.short_en) <= 24, s
            assert s.family in fams
    assert cls.sector("io42_2017", "35").short_en == "R&D"
    assert len(cls.inventory_sectors()) == 47
    assert cls.fuels()[0].column == "B"


def test_concordance_is_versioned_and_switchable() -> None:
    c = cls.concordance("io42_2012")
    assert len(c.rows) == 47
    assert c.row(44).rule == "by_output" and c.row(44).targets == ("29", "31")
    assert c.row(46).rule == "household"
    c2 = c.with_rule(44, "equal")
    assert c2.row(44).rule == "equal" and c.row(44).rule == "by_output"
    assert c2.label != c.label
    c3 = c.with_rule(43, "by_output", targets=["30", "32"])
    assert c3.row(43).targets == ("30", "32")
    with pytest.raises(KeyError):
        c.with_rule(43, "whole", targets=["99"])
    with pytest.raises(KeyError):
        c.with_rule(43, "magic")


def _textbook() -> IOTable:
    Z = np.array([[150.0, 500.0], [200.0, 100.0]])
    return IOTable(
        year=2009,
        regions=Axis("region", ("R1",)),
        sectors=Axis("sector", ("1", "2")),
        Z=Z,
        Y=np.array([[350.0], [1700.0]]),
        fd_categories=Axis("fd_category", ("FD",)),
        EX=np.zeros(2),
        IM=np.zeros(2),
        V=np.array([[650.0, 1400.0]]),
        va_rows=Axis("va_row", ("VA",)),
        x=np.array([1000.0, 2000.0]),
    )


def test_iotable_is_frozen_and_checked() -> None:
    tab = _textbook()
    assert not tab.Z.flags.writeable
    with pytest.raises(ValueError):
        tab.Z[0, 0] = 1.0
    assert tab.label(1) == "R1/2"
    with pytest.raises(BalanceError, match="row balance fails at R1/2"):
        IOTable(**{**tab.__dict__, "Y": np.array([[350.0], [1600.0]])})
    with pytest.raises(BalanceError, match="negative gross output"):
        IOTable(**{**tab.__dict__, "x": np.array([-1.0, 2000.0])})
    with pytest.raises(DataError, match="non-finite"):
        IOTable(**{**tab.__dict__, "Z": np.array([[np.nan, 500.0], [200.0, 100.0]])})


def test_cli_prints_its_version() -> None:
    from typer.testing import CliRunner

    from viscarbon.cli.app import app

    r = CliRunner().invoke(app, ["--version"])
    assert r.exit_code == 0 and r.stdout.strip() == f"viscarbon {viscarbon.__version__}"
