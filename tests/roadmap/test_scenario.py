"""Scenarios, targets and assumptions as data: the shipped files are valid and sourced;
bad specs are rejected naming the file, line, field and allowed values."""

from __future__ import annotations

import pytest

from viscarbon.errors import ScenarioError
from viscarbon.roadmap import (
    STATUSES,
    default_assumptions,
    default_targets,
    gdp_table,
    parse_scenario,
    shipped_scenarios,
)
from viscarbon.roadmap.assistant import QUESTIONS
from viscarbon.roadmap.targets import parse_targets

GOOD = """[scenario]
id = "test"
title_en = "Test"

[[lever]]
kind = "intensity"
sectors = ["14"]
regions = ["GD"]
from = 2021
to = 2030
rate = -0.03
"""


def test_shipped_targets_have_a_source_and_a_status() -> None:
    targets = default_targets()
    assert len(targets) >= 12
    for t in targets:
        assert t.source and t.status in STATUSES and t.status != "user"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in t.source_zh_hans), t.id
        assert t.source_text("zh-Hans") == t.source_zh_hans and t.source_text("en") == t.source
    kinds = {t.kind for t in targets}
    assert kinds == {"peak", "neutrality", "intensity_cut", "emissions_cut", "non_fossil_share"}
    ndc = next(t for t in targets if t.id == "cn-ndc-2035")
    assert ndc.mapping, "a GHG target says how it is read for CO2"
    gd = [t for t in targets if t.region == "GD"]
    assert {t.share for t in gd} == {0.32, 0.35}


def test_shipped_scenarios_parse_and_include_a_baseline_and_three_examples() -> None:
    scs = shipped_scenarios()
    assert scs[0].id == "baseline" and scs[0].is_baseline
    assert len([s for s in scs if not s.is_baseline]) >= 3
    for s in scs:
        assert s.title_en and s.title_zh_hans and s.description_en and s.description_zh_hans


def test_assumptions_and_gdp() -> None:
    a = default_assumptions()
    assert a.anchor_years[0] == a.base_year
    for g in a.groups.values():
        assert g.ratio[0] == 1.0 and all(0 <= r <= 1 for r in g.ratio)
    assert a.labelled()["status"] == "assumption"
    gdp = gdp_table()
    assert gdp.growth[2017] == pytest.approx(0.069)
    # deflator of 2012 prices relative to 2017: nominal ratio over the real index
    d = gdp.deflator(2012, 2017)
    assert d is not None and d == pytest.approx((538580 / 832036) / gdp.real_index(2012, 2017))  # type: ignore[operator]
    assert gdp.real_index(2005, 2017) is not None and gdp.real_index(1990, 2017) is None


@pytest.mark.parametrize(
    ("text", "field", "line", "fragment"),
    [
        (GOOD.replace('kind = "intensity"', 'kind = "magic"'), "kind", 6, "intensity, final_demand"),
        (GOOD.replace("rate = -0.03", 'rate = "fast"'), "rate", 11, "-0.5"),
        (GOOD.replace("rate = -0.03", "rate = 0.9"), "rate", 11, "-0.5"),
        (GOOD.replace('regions = ["GD"]', 'regions = ["ZZ"]'), "regions", 8, "province codes"),
        (GOOD.replace('sectors = ["14"]', 'sectors = ["steel"]'), "sectors", 7, "two-digit"),
        (GOOD.replace("to = 2030", "to = 2010"), "to", 10, None),
        (GOOD.replace("from = 2021\n", ""), "from", None, None),
        (GOOD + "colour = 3\n", "colour", 12, "kind"),
        (GOOD.replace('id = "test"', 'id = "Test Scenario"'), "scenario.id", 2, "power-first"),
        (GOOD + '\n[binding]\ntargets = ["no-such-target"]\n', "binding.targets", 14, "kind"),
        (GOOD + '\n[uncertainty]\ndraws = 0\n', "uncertainty.draws", 14, "1"),
        (GOOD + '\n[assumptions]\nhouseholds_rate = 2\n', "assumptions.households_rate", 14, "-0.5"),
        (GOOD + '\n[assumptions]\nbenchmarks = { power = { ratio = [1, 0.5] } }\n', "assumptions.benchmarks.power.ratio",
         None, None),
        (GOOD + '\n[[target]]\nid = "mine"\nregion = "GD"\nkind = "peak"\n', "year", 13, None),
        (GOOD + '\n[[target]]\nid = "mine"\nregion = "GD"\nkind = "neutral"\nyear = 2050\n', "kind", 16, "peak"),
    ],
)
def test_bad_scenarios_name_the_field_and_line(text: str, field: str, line: int | None, fragment: str | None) -> None:
    with pytest.raises(ScenarioError) as exc:
        parse_scenario(text, file="my.toml")
    err = exc.value
    assert err.field == field
    assert err.file == "my.toml"
    if line is not None:
        assert err.line == line, str(err)
    msg = str(err)
    assert "my.toml" in msg and repr(field) in msg
    if fragment is not None:
        assert fragment in msg


def test_invalid_toml_names_the_line() -> None:
    with pytest.raises(ScenarioError) as exc:
        parse_scenario('[scenario]\nid = "x"\nbroken = \n', file="x.toml")
    assert exc.value.line == 3


def test_user_targets_get_the_user_status_and_bind_first() -> None:
    sc = parse_scenario(GOOD + '\n[[target]]\nid = "gd-steel"\nregion = "GD"\nsector = "14"\nkind = "emissions_cut"\n'
                        'base_year = 2020\nyear = 2030\ncut = 0.3\n\n[binding]\ntargets = ["gd-steel", "peak"]\n')
    (t,) = sc.targets
    assert t.status == "user" and t.priority == 0 and t.sector == "14"
    assert sc.binding.selects(t) and sc.binding.names == ("gd-steel", "peak")


def test_shipped_target_file_errors() -> None:
    text = '[[target]]\nid = "a"\nregion = "CN"\nkind = "peak"\nyear = 2030\nstatus = "plan"\n'
    with pytest.raises(ScenarioError) as exc:
        parse_targets([{"id": "a", "region": "CN", "kind": "peak", "year": 2030, "status": "plan"}], text=text,
                      file="t.toml")
    assert exc.value.field == "source"
    with pytest.raises(ScenarioError) as exc:
        parse_targets([{"id": "a", "region": "CN", "kind": "peak", "year": 2030, "status": "rumour", "source": "x"}],
                      text=text, file="t.toml")
    assert exc.value.field == "status" and "law" in str(exc.value)


def test_assistant_questions_are_declared() -> None:
    assert QUESTIONS == ("how_much", "levers", "joint", "imported", "targets")
