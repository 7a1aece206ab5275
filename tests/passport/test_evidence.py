"""Evidence files: type-checked by content and bounded in size (``check_evidence``), attached
only to self-declared items, and readable only by their owner, an admin or the assessor of the
RPL case they belong to."""

from __future__ import annotations

import io
import zipfile

import pytest

from skillpass.app import SkillPass
from skillpass.auth.models import Role
from skillpass.errors import InvalidInput, NotFound
from skillpass.passport.evidence import check_evidence
from skillpass.passport.service import MAX_EVIDENCE_PER_ITEM, ExperienceCreate

from ._core import definition, issue_to, learner

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 16


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "media_type"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (WEBP, "image/webp"),
        ("Ich habe geschweißt.".encode(), "text/plain"),
        (_docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_accepted_types_are_recognised_by_content(content: bytes, media_type: str) -> None:
    checked = check_evidence("whatever.bin", content, 10_000)
    assert checked.media_type == media_type
    assert checked.size == len(content)
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "not an accepted evidence type"),  # a Windows program
        (_zip(), "not an accepted evidence type"),
        (b"\x7fELF\x02\x01\x01\x00", "not an accepted evidence type"),
        (b"x" * 1001, "limit is 1,000 bytes"),
    ],
)
def test_bad_files_are_refused_with_a_reason(content: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        check_evidence("report.pdf", content, 1000)  # the name does not make it a PDF


def test_filenames_lose_their_path_and_odd_characters() -> None:
    checked = check_evidence("../../etc/<script>passwd.txt", b"plain", 100)
    assert checked.filename == "script_passwd.txt"
    assert check_evidence("C:\\Users\\ana\\cv.txt", b"plain", 100).filename == "cv.txt"


def test_add_evidence_to_self_declared_item(skillpass: SkillPass) -> None:
    ana = learner(skillpass)
    item = skillpass.passport.declare(
        ana, ExperienceCreate(category="project", title="Solar charge controller")
    )
    file = skillpass.passport.add_evidence(ana, item.id, "schematic.pdf", PDF)
    assert file.media_type == "application/pdf"
    assert file.filename == "schematic.pdf"
    assert [e.id for e in skillpass.passport.get_item(ana, item.id).evidence] == [file.id]
    found, content = skillpass.passport.evidence_content(ana, file.id)
    assert found == file
    assert content == PDF


def test_wrong_type_or_oversized_evidence_changes_nothing(skillpass: SkillPass) -> None:
    ana = learner(skillpass)
    item = skillpass.passport.declare(ana, ExperienceCreate(category="work", title="Night shifts"))
    limit = skillpass.settings.max_upload_bytes
    with pytest.raises(InvalidInput, match="not an accepted evidence type"):
        skillpass.passport.add_evidence(ana, item.id, "cv.pdf", b"MZ\x90\x00binary")
    with pytest.raises(InvalidInput, match="limit"):
        skillpass.passport.add_evidence(ana, item.id, "big.txt", b"a" * (limit + 1))
    assert skillpass.passport.get_item(ana, item.id).evidence == []


def test_evidence_only_on_self_declared_items_and_bounded_in_number(skillpass: SkillPass) -> None:
    ana = learner(skillpass)
    credential = skillpass.passport.claim(ana, issue_to(skillpass, ana).id)
    with pytest.raises(InvalidInput, match="self-declared"):
        skillpass.passport.add_evidence(ana, credential.id, "notes.txt", b"notes")
    item = skillpass.passport.declare(ana, ExperienceCreate(category="other", title="Many files"))
    for number in range(MAX_EVIDENCE_PER_ITEM):
        skillpass.passport.add_evidence(ana, item.id, f"{number}.txt", b"page")
    with pytest.raises(InvalidInput, match="already has"):
        skillpass.passport.add_evidence(ana, item.id, "one-more.txt", b"page")


def test_evidence_content_is_for_owner_admin_and_assigned_assessor_only(
    skillpass: SkillPass,
) -> None:
    ana, ben = learner(skillpass), learner(skillpass, "Ben Other")
    admin = learner(skillpass, "Ada Admin", Role.ADMIN)
    assessor = learner(skillpass, "Ines Assessor", Role.ASSESSOR)
    other_assessor = learner(skillpass, "Otto Assessor", Role.ASSESSOR)
    item = skillpass.passport.declare(ana, ExperienceCreate(category="work", title="Line lead"))
    own = skillpass.passport.add_evidence(ana, item.id, "reference.txt", b"she led the line")
    # an RPL case's evidence is for the assessor it is assigned to, not for any assessor
    record = definition(skillpass)
    skillpass.issuers.add_member(record.issuer_id, assessor.public_id)
    skillpass.issuers.add_member(record.issuer_id, other_assessor.public_id)
    case = skillpass.rpl.request(ana, record.id, [], "Five years of production data analysis.")
    rpl_file = skillpass.rpl.add_evidence(ana, case.id, "portfolio.pdf", PDF)
    with pytest.raises(NotFound):
        skillpass.passport.evidence_content(assessor, rpl_file.id)  # not assigned yet
    skillpass.rpl.take(assessor, case.id)

    assert skillpass.passport.evidence_content(ana, rpl_file.id)[1] == PDF
    assert skillpass.passport.evidence_content(assessor, rpl_file.id)[1] == PDF
    assert skillpass.passport.evidence_content(admin, own.id)[1] == b"she led the line"
    for outsider, file_id in [
        (ben, own.id),
        (ben, rpl_file.id),
        (other_assessor, rpl_file.id),
        (assessor, own.id),  # assessors see case evidence, not the learner's other files
    ]:
        with pytest.raises(NotFound):
            skillpass.passport.evidence_content(outsider, file_id)
    with pytest.raises(NotFound):
        skillpass.passport.evidence_content(ana, "no-such-file")
