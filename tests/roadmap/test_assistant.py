"""The assistant answers from the computed numbers only: every figure it quotes is in its
sentence as written, comes from the result it names, and both languages say the same."""

from __future__ import annotations

import re

import pytest

from viscarbon.analysis import Workspace
from viscarbon.roadmap import Roadmapper
from viscarbon.roadmap.assistant import LINKS, QUESTIONS, answer, default_partner, questions
from viscarbon.roadmap.priorities import joint_chains
from viscarbon.roadmap.run import NATION, Roadmap

pytestmark = pytest.mark.xdist_group("roadmap")


@pytest.fixture(scope="module")
def run() -> Roadmap:
    rm = Roadmapper(Workspace())
    return rm.run("demo", rm.scenario("clean-power"))


def _numbers(text: str) -> list[tuple[float, int]]:
    """Decimal figures in a text with their number of decimals."""
    return [(float(m.replace(",", "")), len(m.split(".")[1])) for m in re.findall(r"-?\d[\d,]*\.\d+", text)]


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
@pytest.mark.parametrize("region", ["GD", "SX", NATION])
def test_every_quoted_figure_is_a_computed_one(run: Roadmap, region: str, lang: str) -> None:
    for a in questions(run, region, lang):
        assert a.sentences and a.title
        for s in a.sentences:
            assert s.link in LINKS
            for v, decimals in _numbers(s.text):
                half = 0.5 * 10.0 ** -decimals + 1e-9
                assert any(abs(v - f) <= half for f in s.figures.values()), (v, s.text, s.figures)


def test_how_much_quotes_the_pathways(run: Roadmap) -> None:
    a = answer(run, "how_much", region="GD", year=2030, lang="en")
    k = 2030 - int(run.years[0])
    gd = run.base.regions.index("GD")
    first = a.sentences[0]
    assert first.figures["scenario"] == pytest.approx(run.scenario.pba[k, gd])
    assert f"{run.scenario.pba[k, gd]:,.1f}" in first.text
    assert f"{run.baseline.pba[k, gd]:,.1f}" in first.text
    second = a.sentences[1]
    assert second.figures["target"] == pytest.approx(run.secda.pba[k, gd])


def test_joint_chains_answer(run: Roadmap) -> None:
    a = answer(run, "joint", region="SX", partner="HE", lang="zh-Hans")
    jc = joint_chains(run, "SX", "HE", year=2030)
    assert a.sentences[0].figures == {"ab": jc.total_ab, "ba": jc.total_ba}
    assert "山西" in a.title and "河北" in a.title
    assert default_partner(run, "SX") in run.base.regions.codes


def test_both_languages_answer_the_same_figures(run: Roadmap) -> None:
    for q in QUESTIONS:
        en = answer(run, q, region="GD", lang="en")
        zh = answer(run, q, region="GD", lang="zh-Hans")
        assert [s.figures for s in en.sentences] == [s.figures for s in zh.sentences]
        assert [s.link for s in en.sentences] == [s.link for s in zh.sentences]


def test_bad_questions() -> None:
    rm = Roadmapper(Workspace())
    run = rm.run("demo")
    with pytest.raises(ValueError, match="unknown question"):
        answer(run, "weather", region="GD")
    with pytest.raises(ValueError, match="unknown region"):
        answer(run, "how_much", region="ZZ")
