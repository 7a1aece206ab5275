"""Recognition of prior learning (RPL).

A learner asks for the skills of a micro-credential definition to be validated from their prior
learning, with a statement and evidence files. The case goes to the definition's issuer: an
assessor who is a member of that organisation takes it (or a manager/admin assigns one), reviews,
may ask for more, records the assessment method and decides. Approval issues the micro-credential
with assessment type ``recognition_of_prior_learning`` into the learner's passport. Every step is
an :class:`~skillpass.passport.models.RplEvent` (who, when, what). An assessor sees only cases
assigned to them and the unassigned cases of their organisations.

Who may do what (``organisation`` = the issuer of the definition; membership is
``organisation_members``, kept with ``skillpass issuer add-member``):

=================  ===================================================================
learner            request, add evidence, respond, withdraw, see their own cases
assessor           (role ``assessor`` and a member) see and take unassigned cases of the
                   organisation; see, ask for more and decide the cases assigned to them
manager            (member with ``manager`` role in the organisation) see its cases, assign
admin              everything
=================  ===================================================================

Someone else's case id is reported as not found; a role that is wrong for the step is refused
(403); nobody assesses their own case. Approval issues through
:meth:`~skillpass.credentials.issuance.IssuanceService.issue` as the platform on the
organisation's behalf (the decision is the authorisation), idempotently per case.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from skillpass.auth.models import Role
from skillpass.credentials.models import Assessment, AssessmentType
from skillpass.credentials.records import MemberRole
from skillpass.errors import Conflict, InvalidInput, NotFound, PermissionDenied, SkillPassError
from skillpass.ids import new_public_id
from skillpass.passport.evidence import check_evidence
from skillpass.passport.models import (
    AssessmentMethod,
    EvidenceFile,
    ItemSource,
    RplCase,
    RplStatus,
    SkillRef,
)
from skillpass.passport.rpl_repository import (
    OPEN_STATUSES,
    CaseChange,
    NewCase,
    NewEvent,
    RplRepository,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from skillpass.auth.models import User
    from skillpass.config import Settings
    from skillpass.credentials.achievements import AchievementService
    from skillpass.credentials.issuance import IssuanceService
    from skillpass.credentials.issuers import IssuerService
    from skillpass.credentials.records import IssuedCredential
    from skillpass.passport.service import PassportService

__all__ = ["MAX_STATEMENT_CHARS", "RplService", "rpl_assessment"]

#: Longest statement and note accepted.
MAX_STATEMENT_CHARS = 20_000
MAX_NOTE_CHARS = 5_000

_METHOD_WORDS = {
    AssessmentMethod.INTERVIEW: "an interview",
    AssessmentMethod.TEST: "a test",
    AssessmentMethod.SIMULATION: "a simulation",
    AssessmentMethod.PORTFOLIO: "a portfolio review",
    AssessmentMethod.OBSERVATION: "observation at work",
}


def rpl_assessment(method: AssessmentMethod, skills: list[SkillRef] | None = None) -> Assessment:
    """The Annex I assessment of a credential issued after recognition of prior learning.

    Args:
        method: How the assessor assessed.
        skills: The skills validated, when only some of the definition's were asked for.

    Returns:
        Type ``recognition_of_prior_learning`` with a description naming the method.
    """
    text = (
        f"Recognition of prior learning: the learner's prior learning was assessed by "
        f"{_METHOD_WORDS[method]} (method: {method.value}) against the learning outcomes of "
        "this micro-credential."
    )
    if skills:
        text += " Skills validated: " + "; ".join(skill.label for skill in skills) + "."
    return Assessment(type=AssessmentType.RECOGNITION_OF_PRIOR_LEARNING, description=text)


def _now() -> datetime:
    return datetime.now(UTC)


def _text(value: str | None, what: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"Write the {what}; it cannot be empty.", details={"field": what})
    if len(text) > limit:
        raise InvalidInput(f"The {what} is longer than {limit:,} characters.")
    return text


def _not_open(case: RplCase) -> Conflict:
    return Conflict(
        f"This RPL case is {case.status.value.replace('_', ' ')}; it cannot change any more.",
        details={"case": case.id, "status": case.status.value},
    )


class RplService:
    """The RPL workflow."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        issuers: IssuerService,
        achievements: AchievementService,
        credentials: IssuanceService,
        passport: PassportService,
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._issuers = issuers
        self._achievements = achievements
        self._credentials = credentials
        self._passport = passport
        self._repo = RplRepository(engine)

    @property
    def repository(self) -> RplRepository:
        """The storage behind this service."""
        return self._repo

    # --- who may do what --------------------------------------------------------------------

    def _member_of(self, user: User, organisation_id: str) -> MemberRole | None:
        member = self._issuers.memberships.get(organisation_id, user.public_id)
        return member.role_in_org if member is not None else None

    def _assessor_of(self, user: User, organisation_id: str) -> bool:
        if Role.ASSESSOR not in user.roles:
            return False
        return Role.ADMIN in user.roles or self._member_of(user, organisation_id) is not None

    def _manager_of(self, user: User, organisation_id: str) -> bool:
        return (
            Role.ADMIN in user.roles or self._member_of(user, organisation_id) is MemberRole.MANAGER
        )

    def _visible(self, actor: User, case: RplCase) -> bool:
        if Role.ADMIN in actor.roles or actor.public_id in (case.learner_id, case.assessor_id):
            return True
        if case.assessor_id is None and self._assessor_of(actor, case.issuer_id):
            return True
        return self._manager_of(actor, case.issuer_id)

    def _case(self, actor: User, case_id: str) -> RplCase:
        case = self._repo.get(case_id)
        if case is None or not self._visible(actor, case):
            raise NotFound(f"No RPL case {case_id!r} that you can see.", details={"case": case_id})
        return case

    def _own_case(self, learner: User, case_id: str) -> RplCase:
        case = self._repo.get(case_id)
        if case is None or case.learner_id != learner.public_id:
            raise NotFound(f"You have no RPL case {case_id!r}.", details={"case": case_id})
        return case

    def _as_assessor(self, actor: User, case: RplCase) -> str:
        """The role the actor assesses this case in; refused unless it is theirs (or admin)."""
        if actor.public_id == case.learner_id:
            raise PermissionDenied(
                "You cannot assess your own RPL case.", details={"case": case.id}
            )
        if case.assessor_id == actor.public_id:
            return "assessor"
        if Role.ADMIN in actor.roles:
            return "admin"
        raise PermissionDenied(
            "Only the assessor assigned to this case (or an admin) may do this"
            + ("; take the case first." if case.assessor_id is None else "."),
            details={"case": case.id},
        )

    def _change(self, case: RplCase, change: CaseChange) -> RplCase:
        if not self._repo.change(case.id, change, _now()):
            raise Conflict(
                "This RPL case changed a moment ago; reload it and try again.",
                details={"case": case.id},
            )
        changed = self._repo.get(case.id)
        assert changed is not None
        return changed

    # --- the learner's side -------------------------------------------------------------------

    def request(
        self, learner: User, achievement_id: str, skills: list[str], statement: str
    ) -> RplCase:
        """Open a case for a definition. ``skills`` are ESCO URIs among the definition's outcome
        skills (empty: all of them).

        Raises:
            NotFound: No such definition.
            InvalidInput: Empty statement; skills not in the definition.
            Conflict: The learner already has an open case for this definition.
            PermissionDenied: The user does not have the learner role.
        """
        if Role.LEARNER not in learner.roles:
            raise PermissionDenied(
                "Asking for recognition of prior learning needs the learner role; ask an "
                f"administrator (`skillpass admin set-roles {learner.email} --role learner`).",
                details={"needed": ["learner"]},
            )
        achievement = self._achievements.achievement(achievement_id)  # NotFound
        text = _text(statement, "statement", MAX_STATEMENT_CHARS)
        offered = {skill.uri: skill.label for skill in achievement.esco_skills}
        wanted = list(dict.fromkeys(uri.strip() for uri in skills if uri and uri.strip()))
        outside = [uri for uri in wanted if uri not in offered]
        if outside:
            raise InvalidInput(
                f"These skills are not learning outcomes of {achievement.title!r}: "
                f"{', '.join(outside)}. Choose among its skills.",
                details={"field": "skills", "not_in_definition": outside},
            )
        chosen = [SkillRef(uri=uri, label=offered[uri]) for uri in (wanted or offered)]
        if self._repo.has_open_case(learner.public_id, achievement_id):
            raise Conflict(
                f"You already have an open RPL case for {achievement.title!r}; add evidence "
                "to it or withdraw it first.",
                details={"achievement": achievement_id},
            )
        now = _now()
        return self._repo.add(
            NewCase(
                public_id=new_public_id(),
                learner_id=learner.public_id,
                achievement_id=achievement_id,
                skills=chosen,
                statement=text,
                created_at=now,
            ),
            NewEvent("submitted", learner.public_id, "learner", None, now),
        )

    def add_evidence(
        self, learner: User, case_id: str, filename: str, content: bytes
    ) -> EvidenceFile:
        """Attach evidence to an open case (checked like passport evidence).

        Raises:
            NotFound: Not the learner's case. Conflict: the case is decided.
            InvalidInput: Empty, too large or not an accepted type.
        """
        case = self._own_case(learner, case_id)
        if case.status not in OPEN_STATUSES:
            raise _not_open(case)
        checked = check_evidence(filename, content, self._settings.max_upload_bytes)
        stored = self._repo.add_evidence(
            case_id,
            case.status,
            new_public_id(),
            checked,
            NewEvent("evidence_added", learner.public_id, "learner", checked.filename, _now()),
        )
        if stored is None:
            raise Conflict(
                "This RPL case changed a moment ago; reload it and try again.",
                details={"case": case_id},
            )
        return stored

    def for_learner(self, learner: User) -> list[RplCase]:
        """The learner's cases, newest first."""
        return self._repo.for_learner(learner.public_id)

    def respond(self, learner: User, case_id: str, note: str) -> RplCase:
        """The learner answers a request for more (status back to ``in_review``).

        Raises:
            NotFound: Not the learner's case.
            Conflict: Nobody asked for more.
            InvalidInput: Empty answer.
        """
        case = self._own_case(learner, case_id)
        if case.status is not RplStatus.MORE_INFO_REQUESTED:
            if case.status not in OPEN_STATUSES:
                raise _not_open(case)
            raise Conflict(
                "The assessor has not asked for more on this case; add evidence instead.",
                details={"case": case_id, "status": case.status.value},
            )
        text = _text(note, "answer", MAX_NOTE_CHARS)
        return self._change(
            case,
            CaseChange(
                expect_status=case.status,
                expect_assessor=case.assessor_id,
                status=RplStatus.IN_REVIEW,
                events=[NewEvent("responded", learner.public_id, "learner", text, _now())],
            ),
        )

    def withdraw(self, learner: User, case_id: str) -> RplCase:
        """The learner withdraws an open case.

        Raises:
            NotFound: Not the learner's case. Conflict: decided or withdrawn already.
        """
        case = self._own_case(learner, case_id)
        if case.status not in OPEN_STATUSES:
            raise _not_open(case)
        return self._change(
            case,
            CaseChange(
                expect_status=case.status,
                expect_assessor=case.assessor_id,
                status=RplStatus.WITHDRAWN,
                events=[NewEvent("withdrawn", learner.public_id, "learner", None, _now())],
            ),
        )

    # --- the assessor's side ------------------------------------------------------------------

    def queue(self, assessor: User) -> list[RplCase]:
        """Open cases assigned to the assessor plus unassigned open cases of the organisations
        they are a member of (all open cases for an admin).

        Raises:
            PermissionDenied: Neither an assessor nor an admin.
        """
        if Role.ADMIN in assessor.roles:
            return self._repo.open_cases()
        if Role.ASSESSOR not in assessor.roles:
            raise PermissionDenied(
                "The RPL queue is for assessors; ask an administrator for the assessor role "
                f"(`skillpass admin set-roles {assessor.email} --role assessor`).",
                details={"needed": ["assessor", "admin"]},
            )
        organisations = self._issuers.memberships.issuer_ids_for(assessor.public_id)
        return self._repo.open_cases(assessor_id=assessor.public_id, organisation_ids=organisations)

    def get(self, actor: User, case_id: str) -> RplCase:
        """One case, for its learner, its assessor, a member of the issuer who may take it, or an
        admin.

        Raises:
            NotFound: No such case visible to the actor.
        """
        return self._case(actor, case_id)

    def evidence_content(
        self, actor: User, case_id: str, evidence_id: str
    ) -> tuple[EvidenceFile, bytes]:
        """An evidence file of a case and its bytes, for whoever may see the case.

        Raises:
            NotFound: No such case or file visible to the actor.
        """
        self._case(actor, case_id)
        found = self._repo.evidence_content(case_id, evidence_id)
        if found is None:
            raise NotFound(
                f"No evidence file {evidence_id!r} in this case.",
                details={"case": case_id, "evidence": evidence_id},
            )
        return found

    def take(self, assessor: User, case_id: str) -> RplCase:
        """An assessor who is a member of the issuer takes an unassigned case.

        Raises:
            NotFound: No such case.
            PermissionDenied: Not an assessor of the issuer, or the learner of the case.
            Conflict: already assigned, or decided.
        """
        if Role.ASSESSOR not in assessor.roles:
            raise PermissionDenied(
                "Taking an RPL case needs the assessor role.",
                details={"needed": ["assessor"]},
            )
        case = self._repo.get(case_id)
        if case is None:
            raise NotFound(f"No RPL case {case_id!r}.", details={"case": case_id})
        if not self._assessor_of(assessor, case.issuer_id):
            raise PermissionDenied(
                "Only assessors who are members of the awarding organisation may take this "
                f"case; ask an admin to run `skillpass issuer add-member {case.issuer_id} "
                f"{assessor.email}`.",
                details={"case": case_id, "issuer": case.issuer_id},
            )
        if case.learner_id == assessor.public_id:
            raise PermissionDenied("You cannot assess your own RPL case.")
        if case.status not in OPEN_STATUSES:
            raise _not_open(case)
        if case.assessor_id is not None:
            raise Conflict(
                "This case already has an assessor.",
                details={"case": case_id},
            )
        return self._change(
            case,
            CaseChange(
                expect_status=case.status,
                expect_assessor=None,
                assessor_id=assessor.public_id,
                status=RplStatus.IN_REVIEW if case.status is RplStatus.SUBMITTED else None,
                events=[NewEvent("taken", assessor.public_id, "assessor", None, _now())],
            ),
        )

    def assign(self, actor: User, case_id: str, assessor_id: str) -> RplCase:
        """A manager of the issuer or an admin assigns an assessor (a user with the assessor
        role who is a member of the issuer).

        Raises:
            NotFound: No such case visible to the actor.
            PermissionDenied: The actor may not assign. InvalidInput: not a suitable assessor.
            Conflict: The case is decided or withdrawn.
        """
        case = self._case(actor, case_id)
        if not self._manager_of(actor, case.issuer_id):
            raise PermissionDenied(
                "Only a manager of the awarding organisation or an admin assigns assessors.",
                details={"case": case_id, "issuer": case.issuer_id},
            )
        if case.status not in OPEN_STATUSES:
            raise _not_open(case)
        target = self._repo.user_roles(assessor_id)
        if target is None:
            raise InvalidInput(f"No active user {assessor_id!r}.", details={"field": "assessor_id"})
        name, roles = target
        if Role.ASSESSOR.value not in roles:
            raise InvalidInput(
                f"{name} does not have the assessor role.", details={"field": "assessor_id"}
            )
        if self._issuers.memberships.get(case.issuer_id, assessor_id) is None:
            raise InvalidInput(
                f"{name} is not a member of the awarding organisation; add them first "
                f"(`skillpass issuer add-member {case.issuer_id} …`).",
                details={"field": "assessor_id"},
            )
        if assessor_id == case.learner_id:
            raise InvalidInput(
                "The learner cannot assess their own case.", details={"field": "assessor_id"}
            )
        role = "admin" if Role.ADMIN in actor.roles else "manager"
        return self._change(
            case,
            CaseChange(
                expect_status=case.status,
                expect_assessor=case.assessor_id,
                assessor_id=assessor_id,
                status=RplStatus.IN_REVIEW if case.status is RplStatus.SUBMITTED else None,
                events=[
                    NewEvent("assigned", actor.public_id, role, f"{name} ({assessor_id})", _now())
                ],
            ),
        )

    def request_more(self, assessor: User, case_id: str, note: str) -> RplCase:
        """The assessor asks the learner for more (status ``more_info_requested``).

        Raises:
            NotFound: No such case visible to the actor.
            PermissionDenied: Not the case's assessor (or an admin).
            Conflict: Decided, withdrawn, or already waiting for the learner.
            InvalidInput: Empty note.
        """
        case = self._case(assessor, case_id)
        role = self._as_assessor(assessor, case)
        if case.status is RplStatus.MORE_INFO_REQUESTED:
            raise Conflict(
                "The learner has been asked for more already; wait for their answer.",
                details={"case": case_id},
            )
        if case.status not in OPEN_STATUSES:
            raise _not_open(case)
        text = _text(note, "note", MAX_NOTE_CHARS)
        return self._change(
            case,
            CaseChange(
                expect_status=case.status,
                expect_assessor=case.assessor_id,
                status=RplStatus.MORE_INFO_REQUESTED,
                events=[NewEvent("more_info_requested", assessor.public_id, role, text, _now())],
            ),
        )

    def decide(
        self,
        assessor: User,
        case_id: str,
        approve: bool,
        method: AssessmentMethod,
        note: str,
    ) -> RplCase:
        """Record the assessment method and the decision. Approval issues the micro-credential
        (assessment type ``recognition_of_prior_learning``, described with the method) to the
        learner and adds it to their passport.

        The credential is issued first (idempotently for the case: ``external_id`` is
        ``rpl:<case id>``), then the decision is recorded with it; if the case changed meanwhile
        the credential is revoked again and :class:`Conflict` raised. Should adding it to the
        passport fail, the decision stands, the failure is an event of the case, and the learner
        can still claim the credential (it is issued to their e-mail).

        Raises:
            NotFound: No such case visible to the actor.
            PermissionDenied: Not the case's assessor (or an admin).
            Conflict: Already decided or withdrawn.
            InvalidInput: Empty note, unknown method.
        """
        case = self._case(assessor, case_id)
        role = self._as_assessor(assessor, case)
        if case.status not in OPEN_STATUSES:
            raise _not_open(case)
        try:
            how = AssessmentMethod(method)
        except ValueError:
            raise InvalidInput(
                f"Unknown assessment method {method!r}; use one of: "
                f"{', '.join(m.value for m in AssessmentMethod)}.",
                details={"field": "method"},
            ) from None
        text = _text(note, "note", MAX_NOTE_CHARS)
        assessor_after = case.assessor_id or assessor.public_id
        if not approve:
            return self._change(
                case,
                CaseChange(
                    expect_status=case.status,
                    expect_assessor=case.assessor_id,
                    status=RplStatus.REJECTED,
                    assessor_id=assessor_after,
                    method=how,
                    decision_note=text,
                    events=[NewEvent("rejected", assessor.public_id, role, text, _now())],
                ),
            )
        issued = self._issue(case, how)
        at = _now()
        change = CaseChange(
            expect_status=case.status,
            expect_assessor=case.assessor_id,
            status=RplStatus.APPROVED,
            assessor_id=assessor_after,
            method=how,
            decision_note=text,
            issued_credential_id=issued.id,
            events=[
                NewEvent("approved", assessor.public_id, role, text, at),
                NewEvent(
                    "credential_issued",
                    None,
                    "system",
                    f"{issued.id}: {case.achievement_title}, assessment type "
                    f"recognition_of_prior_learning ({how.value})",
                    at,
                ),
            ],
        )
        if not self._repo.change(case.id, change, at):
            now = self._repo.get(case.id)
            if now is None or now.credential_id != issued.id:  # not approved with it by a twin
                self._credentials.revoke(
                    issued.id, f"RPL case {case.id} was decided otherwise at the same moment."
                )
            raise Conflict(
                "This RPL case changed a moment ago (another decision or a withdrawal); reload it.",
                details={"case": case.id},
            )
        self._to_passport(case, issued)
        decided = self._repo.get(case.id)
        assert decided is not None
        return decided

    def _issue(self, case: RplCase, method: AssessmentMethod) -> IssuedCredential:
        email, name = self._repo.learner_contact(case.id)
        issuer = self._issuers.get(case.issuer_id)
        key = issuer.active_key
        fmt = "ob3-jwt" if key is not None and key.algorithm != "Ed25519" else "ob3"
        achievement = self._achievements.achievement(case.achievement_id)
        all_skills = {skill.uri for skill in achievement.esco_skills}
        subset = case.skills if {s.uri for s in case.skills} != all_skills else None
        return self._credentials.issue(
            case.achievement_id,
            email,
            name,
            format=fmt,
            external_id=f"rpl:{case.id}",
            assessment=rpl_assessment(method, subset),
        )

    def _to_passport(self, case: RplCase, issued: IssuedCredential) -> None:
        try:
            item = self._passport.add_document(
                case.learner_id, issued.document, ItemSource.RPL, issued_credential=issued.id
            )
        except SkillPassError as error:
            self._repo.record(
                case.id,
                NewEvent(
                    "passport_failed",
                    None,
                    "system",
                    f"Not added to the passport ({error.message}); the learner can claim "
                    f"{issued.id}.",
                    _now(),
                ),
            )
            return
        self._repo.record(
            case.id, NewEvent("added_to_passport", None, "system", f"item {item.id}", _now())
        )
