"""European Learning Model v3: conformance with the official EDC SHACL shapes, content, golden."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import rdflib
from pyld import jsonld

from skillpass.credentials.formats.elm import build_elm_credential
from skillpass.credentials.models import (
    Achievement,
    IssuerProfile,
    LearnerRef,
    LearningSetting,
    StatusEntry,
    Supervision,
)

from .conftest import assert_matches_golden, fixed_args

ELM = rdflib.Namespace("http://data.europa.eu/snb/model/elm/")


def _graph(document: dict[str, Any], loader: Any) -> rdflib.Graph:
    nquads = jsonld.to_rdf(document, {"documentLoader": loader, "format": "application/n-quads"})
    graph = rdflib.Graph()
    graph.parse(data=nquads, format="nt")  # no named graphs in a credential
    return graph


def _conforms(document: dict[str, Any], loader: Any, shapes: rdflib.Graph) -> tuple[bool, str]:
    import pyshacl

    conforms, _, text = pyshacl.validate(
        _graph(document, loader), shacl_graph=shapes, inference="none", advanced=True
    )
    return bool(conforms), str(text)


@pytest.fixture
def credential(
    example: Achievement, issuer: IssuerProfile, learner: LearnerRef, status: StatusEntry
) -> dict[str, Any]:
    return build_elm_credential(example, issuer, learner, **fixed_args(status), grade="1.3")


def test_conforms_to_the_edc_shacl_shapes(
    credential: dict[str, Any], document_loader: Any, edc_shapes: rdflib.Graph
) -> None:
    conforms, report = _conforms(credential, document_loader, edc_shapes)
    assert conforms, report


def test_shapes_are_really_applied(
    credential: dict[str, Any], document_loader: Any, edc_shapes: rdflib.Graph
) -> None:
    broken = copy.deepcopy(credential)
    del broken["issued"]
    del broken["issuer"]["eIDASIdentifier"]
    conforms, report = _conforms(broken, document_loader, edc_shapes)
    assert not conforms
    assert "cred:issued" in report
    assert "elm:eidasLegalIdentifier" in report


def test_graph_has_the_annex_i_structure(credential: dict[str, Any], document_loader: Any) -> None:
    graph = _graph(credential, document_loader)
    types = set(graph.objects(None, rdflib.RDF.type))
    assert {
        ELM.EuropeanDigitalCredential,
        ELM.Person,
        ELM.LearningAchievement,
        ELM.Qualification,
        ELM.LearningOutcome,
        ELM.LearningAssessment,
        ELM.AwardingProcess,
        ELM.CreditPoint,
    } <= types
    skills = set(graph.objects(None, ELM.relatedESCOSkill))
    assert len(skills) == 8
    assert rdflib.URIRef("http://data.europa.eu/snb/eqf/6") in set(
        graph.objects(None, ELM.EQFLevel)
    )


def test_workload_setting_and_mode_use_eu_vocabularies(credential: dict[str, Any]) -> None:
    spec = credential["credentialSubject"]["hasClaim"][0]["specifiedBy"]
    assert spec["creditPoint"][0]["point"] == "5"
    assert spec["creditPoint"][0]["framework"]["id"].endswith("education-credit/6fcec5c5af")
    assert spec["volumeOfLearning"] == "PT125H"
    assert spec["learningSetting"]["id"] == "http://data.europa.eu/snb/learning-setting/e207a81fc7"
    assert spec["mode"][0]["id"] == "http://data.europa.eu/snb/learning-assessment/e92d221e4d"
    subjects = {note["subject"]["prefLabel"]["en"] for note in spec["additionalNote"]}
    assert {"Type of quality assurance", "Integration/stackability options"} <= subjects


def test_supervised_assessment_travels_as_a_note(credential: dict[str, Any]) -> None:
    assessment = credential["credentialSubject"]["hasClaim"][0]["provenBy"][0]
    assert "idVerification" not in assessment
    (note,) = assessment["additionalNote"]
    assert note["noteLiteral"] == {"en": "supervised online or onsite with identity verification"}
    assert assessment["grade"]["noteLiteral"] == {"en": "1.3"}


def test_informal_unsupervised_variant_still_conforms(
    example: Achievement,
    issuer: IssuerProfile,
    document_loader: Any,
    edc_shapes: rdflib.Graph,
) -> None:
    variant = example.model_copy(
        update={
            "participation": example.participation.model_copy(
                update={"setting": LearningSetting.INFORMAL}
            ),
            "supervision": Supervision.UNSUPERVISED_NO_IDENTITY_VERIFICATION,
            "integration": None,
            "level": example.level.model_copy(update={"nqf": None, "qf_ehea_cycle": None}),
        }
    )
    learner = LearnerRef(did="did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH")
    document = build_elm_credential(variant, issuer, learner, **fixed_args())
    assessment = document["credentialSubject"]["hasClaim"][0]["provenBy"][0]
    assert assessment["idVerification"]["id"].endswith("supervision-verification/c598449d64")
    assert assessment["grade"]["noteLiteral"] == {"en": "Passed"}
    conforms, report = _conforms(document, document_loader, edc_shapes)
    assert conforms, report


def test_issuer_without_identifiers_is_identified_by_its_did(
    credential: dict[str, Any],
    example: Achievement,
    learner: LearnerRef,
    document_loader: Any,
    edc_shapes: rdflib.Graph,
) -> None:
    issuer = IssuerProfile(id="did:web:example.org", name="Example VET", country="PL")
    document = build_elm_credential(example, issuer, learner, **fixed_args())
    legal = document["issuer"]["eIDASIdentifier"]
    assert legal["notation"] == "did:web:example.org"
    assert legal["spatial"]["id"].endswith("/POL")
    assert _conforms(document, document_loader, edc_shapes)[0]


def test_learner_email_never_appears(credential: dict[str, Any]) -> None:
    assert "ana.example@example.org" not in str(credential)


def test_matches_golden_file(credential: dict[str, Any]) -> None:
    assert_matches_golden(credential, "elm-example.json")
