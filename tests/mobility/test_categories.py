"""Release-domain categories: places and periods."""

from __future__ import annotations

import pytest

from skillpass.errors import InvalidInput
from skillpass.mobility.categories import PLACES, parse_period, place_of


def test_eu_countries_stay_and_others_become_regions() -> None:
    assert place_of("de") == "DE"
    assert place_of("EL") == "GR"
    assert place_of("IN") == "XA"
    assert place_of("GB") == "XE"
    assert place_of("US") == "XM"
    assert place_of("XF") == "XF"
    assert len(PLACES) == 32


@pytest.mark.parametrize("code", ["D", "D1", "QQ"])
def test_unplaceable_codes_are_refused(code: str) -> None:
    with pytest.raises(InvalidInput):
        place_of(code)


def test_periods_cover_their_quarters() -> None:
    assert parse_period("2026q3").quarters == ("2026Q3",)
    assert parse_period("2026H2").quarters == ("2026Q3", "2026Q4")
    assert parse_period("2026").code == "2026"
    assert parse_period("2026H1").overlaps(parse_period("2026Q2"))
    assert not parse_period("2026H1").overlaps(parse_period("2026Q3"))
    assert [p.code for p in parse_period("2026Q1").previous_quarters(3)] == [
        "2025Q3",
        "2025Q4",
        "2026Q1",
    ]


@pytest.mark.parametrize("text", ["2026Q5", "2026H3", "26Q1", "Q1 2026"])
def test_bad_periods_say_what_to_write(text: str) -> None:
    with pytest.raises(InvalidInput, match="2026Q3"):
        parse_period(text)
