"""Recording platform mobility events: a credential issued in one country verified or recognised
by an organisation in another, and a person's activity in a country (the population).

Events are individual-level and stay in the store. The person is kept only as a keyed pseudonym
(:func:`person_key`) whose sole use is to bound each person's contribution to a released table.

Hooks (for the owners of verification and recognition): call
:meth:`EventRecorder.record_verification` after a successful cross-border verification, and
:meth:`EventRecorder.record_recognition` from ``RecognitionService.decide`` when a decision of
recognition is recorded, with the credential's issuer country, the deciding organisation's
country, the credential's capability area and EQF level, and a stable subject for the learner
(e.g. the credential's ``learner_key``). They are reachable as ``skillpass.mobility.events``.
Recording never fails the caller's action for a missing area or a same-country check: such events
are simply not mobility and are skipped (the method returns ``False``).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from skillpass.mobility.categories import AREAS, place_of
from skillpass.mobility.models import EventKind, MobilityEvent
from skillpass.mobility.repository import MobilityRepository

__all__ = ["EventRecorder", "person_key"]

PLATFORM_SOURCE = "platform"


def person_key(secret: bytes, subject: str) -> str:
    """A keyed pseudonym of a person for contribution bounding (HMAC-SHA256, hex).

    Args:
        secret: The instance's secret key: without it the pseudonym cannot be recomputed.
        subject: A stable identifier of the person (user public id, credential learner key).
    """
    return hmac.new(
        secret, b"mobility-person:" + subject.encode("utf-8"), hashlib.sha256
    ).hexdigest()


class EventRecorder:
    """Records platform mobility events.

    Args:
        repository: Where events are stored.
        secret: The key of the person pseudonyms.
    """

    def __init__(self, repository: MobilityRepository, secret: bytes) -> None:
        self._repository = repository
        self._secret = secret

    def _record(
        self,
        kind: EventKind,
        subject: str,
        origin: str,
        destination: str,
        area_id: str | None,
        eqf: int | None,
        at: datetime | None,
    ) -> bool:
        if area_id not in AREAS:
            return False
        origin, destination = origin.strip().upper(), destination.strip().upper()
        place_of(origin)  # refuses codes no release could place
        place_of(destination)
        if kind is not EventKind.ACTIVE and origin == destination:
            return False
        event = MobilityEvent(
            kind=kind,
            person_key=person_key(self._secret, subject),
            origin=origin,
            destination=destination,
            area_id=area_id,
            eqf=eqf,
            occurred_at=at or datetime.now(UTC),
        )
        self._repository.add_events([event], PLATFORM_SOURCE)
        return True

    def record_verification(
        self,
        *,
        subject: str,
        issuer_country: str,
        verifier_country: str,
        area_id: str | None,
        eqf: int | None = None,
        at: datetime | None = None,
    ) -> bool:
        """Record that a credential issued in one country was verified from another.

        Args:
            subject: Stable identifier of the credential's holder (e.g. its learner key).
            issuer_country: ISO country of the issuer.
            verifier_country: ISO country of the verifying organisation.
            area_id: The credential's capability area (skipped when none).
            eqf: The credential's EQF level, when known.
            at: When (now when omitted).

        Returns:
            Whether an event was recorded (not for same-country checks or a missing area).

        Raises:
            InvalidInput: A country code no release can place.
        """
        return self._record(
            EventKind.VERIFICATION, subject, issuer_country, verifier_country, area_id, eqf, at
        )

    def record_recognition(
        self,
        *,
        subject: str,
        issuer_country: str,
        recognising_country: str,
        area_id: str | None,
        eqf: int | None = None,
        at: datetime | None = None,
    ) -> bool:
        """Record that an organisation in one country recognised a credential from another.

        Args and return as :meth:`record_verification`.
        """
        return self._record(
            EventKind.RECOGNITION, subject, issuer_country, recognising_country, area_id, eqf, at
        )

    def record_activity(
        self, *, subject: str, country: str, area_id: str | None, at: datetime | None = None
    ) -> bool:
        """Record that a person was active in a country's STEM population (e.g. was issued a
        credential there); the population table counts each person once per period."""
        return self._record(EventKind.ACTIVE, subject, country, country, area_id, None, at)
