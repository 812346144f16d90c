"""Regenerate ``src/viscarbon/roadmap/data/definitions/region/cities.yaml`` (the city
regions of the shipped IAMC codelist) from the city concordance:
``python scripts/city_regions.py`` (tests/roadmap/test_city_outputs.py checks it is current)."""

from __future__ import annotations

from pathlib import Path

from viscarbon.roadmap.city_iamc import city_regions_yaml

OUT = Path(__file__).resolve().parents[1] / "src/viscarbon/roadmap/data/definitions/region/cities.yaml"

if __name__ == "__main__":
    OUT.write_text(city_regions_yaml(), encoding="utf-8")
    print(f"wrote {OUT}")
