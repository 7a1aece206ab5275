"""Platform mobility events: what issuing, verifying and recognising credentials on SkillPass adds
to the mobility statistics.

* **Issuance (activity).** A credential issued here makes its learner part of the issuer
  country's active STEM population (the ``population`` table, the denominator of net migration
  per 10,000 and of retention) in the quarter of its issuance date: one ``active`` event per
  credential, in the capability area most of its skills fall in. Nothing is recorded when the
  issuer states no country a release can place or the credential has no capability area.
* **Verification.** When a signed-in user who acts for exactly one organisation (role verifier,
  issuer, assessor or admin, and one ``organisation_members`` row) verifies a credential — or a
  presentation, each credential inside — and it verifies, an event *issuer country → the
  organisation's country* is recorded, once per (credential, organisation): refreshing the page
  or verifying again adds nothing. Anonymous verification has no verifier country and records
  nothing; nor does a same-country check, a credential without a capability area, or an issuer
  country that cannot be told.
* **Recognition.** When a recognition officer records a full or partial recognition, each
  verified piece of evidence from another country than the recognising organisation's gives an
  event, once per (credential, organisation). The organisation is the one the decision is issued
  as, else the officer's only organisation.

What is taken from the credential: the **issuer country** (our own issuer's, the trusted-issuer
registry's, else the ISO code the signed credential states); the **capability area** the most of
its ESCO skills fall in as core members (framework order breaks ties; enabling members only when
no skill is core); the **EQF level** it states. The **subject** bounds each person's
contribution: the learner key of a credential issued here (the same for all of one learner's
credentials), the learner key of the holder's DID (``credentialSubject.id``), the named learner's
key for recognition — and, for a foreign credential that names no holder, the credential itself,
so such a person may count once per credential (documented in ``docs/mobility.md``).

Demo data: an event is marked **synthetic** when the organisation that acted — the issuer, the
verifying or the recognising organisation — is a synthetic (demo) one, so releases that include
it carry the synthetic label like the generator's data.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from skillpass.auth.models import Role, User
from skillpass.errors import InvalidInput, NotFound
from skillpass.mobility.categories import AREAS, place_of
from skillpass.mobility.events import EventRecorder

if TYPE_CHECKING:
    from skillpass.credentials.issuance import IssuanceService
    from skillpass.credentials.issuers import IssuerService
    from skillpass.credentials.models import Achievement
    from skillpass.credentials.records import IssuedCredential, Issuer
    from skillpass.credentials.verify import VerificationReport
    from skillpass.recognition.models import DecisionKind, RecognitionReport
    from skillpass.taxonomy.capabilities import CapabilityService

__all__ = ["ORGANISATION_ROLES", "PlatformEvents"]

#: Roles of accounts that verify or recognise for an organisation (a learner checking their own
#: credential is not a mobility event).
ORGANISATION_ROLES = frozenset({Role.VERIFIER, Role.ISSUER, Role.ASSESSOR, Role.ADMIN})
_ISO2 = re.compile(r"^[A-Z]{2}$")


def _country(code: str | None) -> str | None:
    """An ISO code a release can place, else None (labels such as "Germany" are not guessed)."""
    if code is None or not _ISO2.match(code.strip().upper()):
        return None
    try:
        place_of(code.strip().upper())
    except InvalidInput:
        return None
    return code.strip().upper()


def _credential_key(credential: dict[str, Any]) -> str:
    """The credential's id, else a hash of its content (for the once-only key)."""
    identifier = credential.get("id")
    if isinstance(identifier, str) and identifier.strip():
        return identifier.strip()
    canonical = json.dumps(credential, sort_keys=True, ensure_ascii=False, default=str)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class PlatformEvents:
    """Records the mobility events of issuances, verifications and recognition decisions.

    Args:
        recorder: Where events go.
        issuers: Organisations (their country) and memberships.
        credentials: Our issued credentials (their learner keys).
        capabilities: Maps ESCO skills to capability areas.
    """

    def __init__(
        self,
        recorder: EventRecorder,
        issuers: IssuerService,
        credentials: IssuanceService,
        capabilities: CapabilityService,
    ) -> None:
        self._recorder = recorder
        self._issuers = issuers
        self._credentials = credentials
        self._capabilities = capabilities

    def organisation_of(self, user: User) -> Issuer | None:
        """The organisation a user verifies or recognises for: their only membership.

        None for accounts without an organisational role, without a membership, or with several
        (it cannot be told which one acted).
        """
        if not user.roles & ORGANISATION_ROLES:
            return None
        organisations = self._issuers.memberships.issuer_ids_for(user.public_id)
        if len(organisations) != 1:
            return None
        try:
            return self._issuers.get(organisations[0])
        except NotFound:
            return None

    def capability_area(self, skill_uris: Iterable[str]) -> str | None:
        """The capability area most of the skills belong to (core members first; framework order
        breaks ties); None when none belongs to an area of the release domain."""
        core: Counter[str] = Counter()
        enabling: Counter[str] = Counter()
        for uri in dict.fromkeys(skill_uris):
            for ref in self._capabilities.areas_for(uri):
                if ref.id in AREAS:
                    (core if ref.tier == "core" else enabling)[ref.id] += 1
        counts = core or enabling
        if not counts:
            return None
        best = max(counts.values())
        return next(area for area in AREAS if counts.get(area) == best)

    def _subject(self, credential: dict[str, Any], key: str) -> str:
        local = self._credentials.learner_key(key)
        if local is not None:
            return f"learner:{local}"
        subjects = credential.get("credentialSubject")
        holder = subjects[0] if isinstance(subjects, list) and subjects else subjects
        did = holder.get("id") if isinstance(holder, dict) else None
        if isinstance(did, str) and did.startswith("did:"):
            return f"learner:{self._credentials.learner_key_for(did=did)}"
        return f"credential:{key}"

    def credential_issued(
        self, credential: IssuedCredential, *, issuer: Issuer, achievement: Achievement
    ) -> bool:
        """Record that a credential issued here makes its learner active in the issuer's country.

        Called for every credential :class:`~skillpass.credentials.issuance.IssuanceService`
        returns, new or an idempotent repeat: the event is keyed by the credential id, so it is
        recorded once per credential, and a repeat records it if an earlier attempt did not.

        Args:
            credential: The stored credential (its id, and its issuance date as the period).
            issuer: The issuing organisation (its country).
            achievement: The definition issued (its ESCO skills and EQF level).

        Returns:
            Whether an event was recorded (not when the issuer has no country a release can
            place, the credential no capability area, or it was recorded before).
        """
        country = _country(issuer.country)
        area = self.capability_area(skill.uri for skill in achievement.esco_skills)
        if country is None or area is None:
            return False
        learner = self._credentials.learner_key(credential.id)
        if learner is None:
            return False
        eqf = achievement.level.eqf
        return self._recorder.record_activity(
            subject=f"learner:{learner}",
            country=country,
            area_id=area,
            eqf=eqf if eqf in range(1, 9) else None,
            at=credential.issued_at,
            once=credential.id,
            synthetic=issuer.synthetic,
        )

    def credential_verified(
        self,
        report: VerificationReport,
        verifier: User | None,
        issuer_country: Callable[[str | None], str | None],
    ) -> int:
        """Record the verification of a credential (each one of a presentation) by the
        verifier's organisation.

        Args:
            report: The verification report.
            verifier: The signed-in user; None (anonymous) records nothing.
            issuer_country: The country of an issuer id known to the operator (own issuers,
                trusted-issuer registry), else None.

        Returns:
            How many events were recorded.
        """
        if verifier is None or not report.verified:
            return 0
        organisation = self.organisation_of(verifier)
        if organisation is None:
            return 0
        recorded = 0
        for inner in report.presented or [report]:
            if not inner.verified or inner.summary is None:
                continue
            summary = inner.summary
            origin = _country(issuer_country(inner.issuer_id)) or _country(summary.issuer_country)
            destination = _country(organisation.country)
            if origin is None or destination is None:
                continue
            key = _credential_key(inner.credential)
            recorded += self._recorder.record_verification(
                subject=self._subject(inner.credential, key),
                issuer_country=origin,
                verifier_country=destination,
                area_id=self.capability_area(skill.uri for skill in summary.skills),
                eqf=summary.eqf if summary.eqf in range(1, 9) else None,
                once=f"{key}|{organisation.id}",
                synthetic=organisation.synthetic,
            )
        return recorded

    def recognition_decided(
        self,
        officer: User,
        report: RecognitionReport,
        decision: DecisionKind,
        *,
        organisation_id: str | None = None,
        learner_email: str | None = None,
    ) -> int:
        """Record a recognition decision: each verified piece of evidence from another country.

        Args:
            officer: The recognition officer.
            report: The report decided on (its evidence carries issuer country, area and EQF).
            decision: Only ``full`` and ``partial`` recognise anything.
            organisation_id: The organisation the decision is issued as; else the officer's only
                organisation.
            learner_email: The named learner's e-mail (their learner key is the subject).

        Returns:
            How many events were recorded.
        """
        if decision.value == "none":
            return 0
        organisation = (
            self._issuers.get(organisation_id)
            if organisation_id is not None
            else self.organisation_of(officer)
        )
        destination = _country(organisation.country) if organisation else None
        if organisation is None or destination is None:
            return 0
        learner = (
            f"learner:{self._credentials.learner_key_for(email=learner_email)}"
            if learner_email
            else None
        )
        recorded = 0
        for number, piece in enumerate(report.evidence, start=1):
            origin = _country(piece.issuer_country)
            if piece.verified is not True or origin is None:
                continue
            key = piece.credential_id or f"report:{report.id}:{number}"
            recorded += self._recorder.record_recognition(
                subject=learner or f"credential:{key}",
                issuer_country=origin,
                recognising_country=destination,
                area_id=piece.capability_area,
                eqf=piece.eqf,
                once=f"{key}|{organisation.id}",
                synthetic=organisation.synthetic,
            )
        return recorded
