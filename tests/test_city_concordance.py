"""The packaged city concordance (``classification/data/cities.csv``): every
prefecture-level division of GB/T 2260 (2020) plus the four municipalities."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from viscarbon.classification import (
    City,
    cities,
    city,
    match_city,
    province_cities,
    region_codes,
    regions,
)
from viscarbon.errors import UnknownRegion

# first two digits of the GB/T 2260 codes of each province
GBT_PREFIX = {"BJ": "11", "TJ": "12", "HE": "13", "SX": "14", "NM": "15", "LN": "21", "JL": "22",
              "HL": "23", "SH": "31", "JS": "32", "ZJ": "33", "AH": "34", "FJ": "35", "JX": "36",
              "SD": "37", "HA": "41", "HB": "42", "HN": "43", "GD": "44", "GX": "45", "HI": "46",
              "CQ": "50", "SC": "51", "GZ": "52", "YN": "53", "XZ": "54", "SN": "61", "GS": "62",
              "QH": "63", "NX": "64", "XJ": "65"}

# prefecture-level divisions per province, GB/T 2260 (2020); municipalities count as one
COUNTS = {"BJ": 1, "TJ": 1, "HE": 11, "SX": 11, "NM": 12, "LN": 14, "JL": 9, "HL": 13, "SH": 1,
          "JS": 13, "ZJ": 11, "AH": 16, "FJ": 9, "JX": 11, "SD": 16, "HA": 17, "HB": 13, "HN": 14,
          "GD": 21, "GX": 14, "HI": 4, "CQ": 1, "SC": 21, "GZ": 9, "YN": 16, "XZ": 7, "SN": 10,
          "GS": 14, "QH": 8, "NX": 5, "XJ": 14}

# romanisations two cities share: they match no city
AMBIGUOUS = {"suzhou", "fuzhou", "taizhou", "yichun", "yulin"}


def test_every_province_has_its_prefecture_level_divisions() -> None:
    assert set(GBT_PREFIX) == set(COUNTS) == set(region_codes())
    got = Counter(c.province for c in cities())
    assert dict(got) == COUNTS
    assert len(cities()) == sum(COUNTS.values()) == 337
    assert all(got[r.code] >= 1 for r in regions())


def test_codes_are_unique_six_digits_in_order_under_their_province_prefix() -> None:
    codes = [c.code for c in cities()]
    assert len(set(codes)) == len(codes) and codes == sorted(codes)
    for c in cities():
        assert re.fullmatch(r"\d{6}", c.code), c
        assert c.code[:2] == GBT_PREFIX[c.province], c
        assert c.code.endswith("00"), c  # prefecture level, never a county
    # the municipalities are single cities at province level
    assert [c.code for c in cities() if c.province in {"BJ", "TJ", "SH", "CQ"}] == [
        "110000", "120000", "310000", "500000"]
    # the fixtures take the first n cities
    assert codes[:4] == ["110000", "120000", "130100", "130200"]


def test_names_unique_within_a_province_and_pinyin_ascii_lower_case() -> None:
    for p in region_codes():
        cs = province_cities(p)
        for attr in ("name_zh_hans", "name_en", "pinyin"):
            names = [getattr(c, attr) for c in cs]
            assert len(set(names)) == len(names), (p, attr)
    assert len({c.name_zh_hans for c in cities()}) == len(cities())  # unique nationwide too
    for c in cities():
        assert re.fullmatch(r"[a-z]+", c.pinyin), c
        assert c.name_en.isascii() and c.name_en.strip() == c.name_en, c
        assert not c.name_zh_hans.endswith("市"), c


def test_autonomous_prefectures_and_leagues_keep_their_full_names() -> None:
    aba = city("513200")
    assert (aba.name_zh_hans, aba.name_en, aba.pinyin, aba.province) == (
        "阿坝藏族羌族自治州", "Ngawa Tibetan and Qiang Autonomous Prefecture", "abazangzuqiangzuzizhizhou", "SC")
    alxa = city("152900")
    assert (alxa.name_zh_hans, alxa.name_en, alxa.pinyin) == ("阿拉善盟", "Alxa League", "alashanmeng")
    for c in cities():
        if c.name_zh_hans.endswith("自治州"):
            assert c.name_en.endswith(" Autonomous Prefecture") and c.pinyin.endswith("zizhizhou"), c
        if c.name_zh_hans.endswith("地区"):
            assert c.name_en.endswith(" Prefecture") and c.pinyin.endswith("diqu"), c
        if c.name_zh_hans.endswith("盟"):
            assert c.name_en.endswith(" League") and c.pinyin.endswith("meng"), c


def test_match_city_on_chinese_english_pinyin_and_code() -> None:
    gz = city("440100")
    for text in ("广州", "广州市", " 广州 市", "Guangzhou", "GUANGZHOU city", "guangzhou", "Guang Zhou",
                 "guang-zhou", "440100"):
        assert match_city(text) == gz, text
    assert match_city("haerbin") == match_city("Harbin") == match_city("哈尔滨市") == city("230100")
    assert match_city("Wu-Lu-Mu-Qi") == match_city("Urumqi") == city("650100")
    assert match_city("Xi'an") == match_city("xian") == match_city("西安市") == city("610100")
    assert match_city("lvliang") == match_city("Luliang") == city("141100")
    assert match_city("Atlantis") is None and match_city("") is None


def test_every_city_matches_by_each_of_its_spellings() -> None:
    for c in cities():
        for text in (c.code, c.name_zh_hans, c.name_zh_hans + "市"):
            assert match_city(text) == c, (c, text)
        for text in (c.name_en, c.name_en + " City", c.pinyin):
            assert match_city(text) == (None if c.pinyin in AMBIGUOUS else c), (c, text)


def test_shared_romanisations_match_no_city_but_the_chinese_names_do() -> None:
    assert Counter(c.pinyin for c in cities() if c.pinyin in AMBIGUOUS) == dict.fromkeys(AMBIGUOUS, 2)
    assert match_city("Suzhou") is None and match_city("suzhou shi") is None
    assert match_city("苏州") == city("320500") and match_city("宿州市") == city("341300")
    assert match_city("福州") == city("350100") and match_city("抚州") == city("361000")


def test_province_cities_in_file_order() -> None:
    gd = province_cities("GD")
    assert len(gd) == 21 and all(isinstance(c, City) and c.province == "GD" for c in gd)
    assert [c.code for c in gd] == sorted(c.code for c in gd)
    assert gd[0].name_en == "Guangzhou" and gd[-1].name_en == "Yunfu"
    assert province_cities("sh") == (city("310000"),)
    assert [c.name_zh_hans for c in province_cities("HI")] == ["海口", "三亚", "三沙", "儋州"]
    order = [c for p in region_codes() for c in province_cities(p)]
    assert sorted(order, key=lambda c: c.code) == list(cities())


def test_unknown_province_is_an_unknown_region_error() -> None:
    with pytest.raises(UnknownRegion, match="XX"):
        province_cities("XX")
