"""QualificationService: EQF levels, frameworks, comparison through EQF, ECTS, errors."""

from __future__ import annotations

import pytest

from skillpass.errors import ConfigurationError, InvalidInput, NotFound
from skillpass.qualifications import _data
from skillpass.qualifications.service import QualificationService


@pytest.fixture(scope="module")
def service() -> QualificationService:
    return QualificationService()


def test_constructing_the_service_reads_no_data(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = _data.load_qualification_data

    def counting() -> _data.QualificationData:
        calls.append(1)
        return real()

    monkeypatch.setattr("skillpass.qualifications.service.load_qualification_data", counting)
    fresh = QualificationService()
    assert calls == []
    fresh.eqf_level(3)
    fresh.frameworks()
    assert calls == [1]


def test_eqf_levels_are_one_to_eight_in_order(service: QualificationService) -> None:
    levels = service.eqf_levels()
    assert [level.level for level in levels] == list(range(1, 9))
    assert levels[5].qf_ehea_cycle is not None
    assert "first cycle" in levels[5].qf_ehea_cycle


@pytest.mark.parametrize("level", [0, 9, -1])
def test_eqf_level_outside_1_to_8_is_invalid_input(
    service: QualificationService, level: int
) -> None:
    with pytest.raises(InvalidInput, match="1 to 8"):
        service.eqf_level(level)


@pytest.mark.parametrize("query", ["SE", "se", "Sweden", " sweden ", "SeQF"])
def test_framework_accepts_code_name_and_acronym(service: QualificationService, query: str) -> None:
    framework = service.framework(query)
    assert framework.framework_id == "SE"
    assert framework.acronym == "SeQF"
    assert [level.nqf_level for level in framework.levels] == [str(n) for n in range(1, 9)]


def test_unknown_country_is_not_found_and_lists_valid_codes(
    service: QualificationService,
) -> None:
    with pytest.raises(NotFound) as caught:
        service.framework("XX")
    assert "SE" in caught.value.message
    assert "BE-fl" in caught.value.message
    assert "SE" in caught.value.details["valid"]


def test_country_with_two_frameworks_and_no_default_asks_for_a_framework_id(
    service: QualificationService,
) -> None:
    with pytest.raises(InvalidInput, match="BE-fl") as caught:
        service.framework("BE")
    assert caught.value.details["frameworks"] == ["BE-fl", "BE-fr"]
    assert service.framework("be-fr").acronym == "CFC"


def test_country_with_a_default_framework_gives_it(service: QualificationService) -> None:
    assert service.framework("FR").framework_id == "FR-CNCP"
    assert service.framework("ES").framework_id == "ES-MECU"
    assert service.framework("ES-MECES").acronym == "MECES"


def test_country_aliases_uk_and_el_resolve(service: QualificationService) -> None:
    assert service.framework("EL").country_code == "GR"
    assert service.framework("GB-SCQF").country == "United Kingdom"
    with pytest.raises(InvalidInput, match="GB-RQF"):
        service.framework("UK")


def test_frameworks_lists_every_country_with_status(service: QualificationService) -> None:
    countries = service.frameworks()
    codes = {c.country_code for c in countries}
    assert {"SE", "DE", "IS", "LI", "NO"} <= codes
    partial = {c.country_code for c in countries if c.status == "partial"}
    assert {"LI", "NO", "ES"} <= partial


def test_to_eqf_maps_irish_nfq_8_to_eqf_6(service: QualificationService) -> None:
    reference = service.to_eqf("IE", "8")
    assert reference.eqf.level == 6
    assert reference.framework.acronym == "NFQ"
    assert "http" in reference.level.source


def test_to_eqf_matches_levels_ignoring_case_and_a_level_prefix(
    service: QualificationService,
) -> None:
    assert service.to_eqf("CY", "5A").level.nqf_level == "5a"
    assert service.to_eqf("GB-RQF", "entry 3").eqf.level == 1
    assert service.to_eqf("SE", "Level 5").eqf.level == 5


def test_unknown_national_level_lists_the_framework_levels(
    service: QualificationService,
) -> None:
    with pytest.raises(InvalidInput, match=r"no level '9'.*1, 2, 3") as caught:
        service.to_eqf("SE", "9")
    assert caught.value.details["levels"][0] == "1"


def test_compare_seqf_5_with_dqr_5_through_eqf_5(service: QualificationService) -> None:
    comparison = service.compare("SE", "5", ["DE"])
    assert comparison.origin.framework.acronym == "SeQF"
    assert comparison.origin.level.nqf_level == "5"
    assert comparison.eqf.level == 5
    [germany] = comparison.counterparts
    assert germany.framework.acronym == "DQR"
    assert [level.nqf_level for level in germany.levels] == ["5"]
    assert "translation device" in comparison.method
    assert "not automatic recognition" in comparison.method
    assert any("myh.se" in source for source in comparison.sources)
    assert any("cedefop" in source for source in comparison.sources)


def test_compare_without_targets_covers_every_other_framework(
    service: QualificationService,
) -> None:
    comparison = service.compare("SE", "5")
    ids = [part.framework.framework_id for part in comparison.counterparts]
    assert "SE" not in ids
    assert {"DE", "IE", "GB-SCQF", "BE-fl", "BE-fr"} <= set(ids)
    ireland = next(p for p in comparison.counterparts if p.framework.framework_id == "IE")
    assert [level.nqf_level for level in ireland.levels] == ["6"]
    scotland = next(p for p in comparison.counterparts if p.framework.framework_id == "GB-SCQF")
    assert [level.nqf_level for level in scotland.levels] == ["7", "8"]
    assert any("SCQF (United Kingdom): levels 7, 8" in c for c in comparison.caveats)
    assert any("historic" in c for c in comparison.caveats)


def test_compare_flags_uncertain_rows_in_caveats(service: QualificationService) -> None:
    comparison = service.compare("SE", "5", ["NO", "HR"])
    norway = next(p for p in comparison.counterparts if p.framework.country_code == "NO")
    assert [level.nqf_level for level in norway.levels] == ["5.1", "5.2"]
    assert any("NKR (Norway) 5.1 -> EQF 5 is inferred" in c for c in comparison.caveats)
    assert any("Data for Croatia is partial" in c for c in comparison.caveats)


def test_compare_from_an_uncertain_origin_says_so(service: QualificationService) -> None:
    comparison = service.compare("SK", "5", ["DE"])
    assert any(c.startswith("SKQF 5 -> EQF 5 is inferred") for c in comparison.caveats)


def test_compare_reports_a_target_without_a_level_at_that_eqf_level(
    service: QualificationService,
) -> None:
    comparison = service.compare("DE", "1", ["NO"])
    [norway] = comparison.counterparts
    assert norway.levels == ()
    assert any("NKR (Norway) has no level referenced to EQF 1" in c for c in comparison.caveats)


def test_compare_with_an_unknown_target_is_not_found(service: QualificationService) -> None:
    with pytest.raises(NotFound, match="ZZ"):
        service.compare("SE", "5", ["ZZ"])


def test_ects_to_hours_is_a_25_to_30_hour_range_marked_approximate(
    service: QualificationService,
) -> None:
    workload = service.ects_to_hours(60)
    assert (workload.hours_min, workload.hours_max) == (1500, 1800)
    assert workload.approximate is True
    assert "Approximation" in workload.note


def test_hours_to_ects_divides_by_30_and_25(service: QualificationService) -> None:
    workload = service.hours_to_ects(150)
    assert (workload.credits_min, workload.credits_max) == (5, 6)


def test_negative_credits_are_invalid(service: QualificationService) -> None:
    with pytest.raises(InvalidInput, match="negative"):
        service.ects_to_hours(-1)
    with pytest.raises(InvalidInput, match="negative"):
        service.hours_to_ects(-1)


def test_a_row_without_source_is_refused_naming_the_file_and_line() -> None:
    header = ",".join(_data.REFERENCING_COLUMNS)
    text = f"{header}\nSE,1,1,stated,a note,,\n"
    with pytest.raises(ConfigurationError, match=r"nqf_eqf_referencing.csv.*line 2 has no source"):
        _data._load_rows(text)


def test_a_row_with_an_eqf_level_outside_1_to_8_is_refused() -> None:
    header = ",".join(_data.REFERENCING_COLUMNS)
    text = f"{header}\nSE,9,9,stated,a note,https://example.org,\n"
    with pytest.raises(ConfigurationError, match="line 2"):
        _data._load_rows(text)
