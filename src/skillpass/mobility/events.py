"""Recording platform mobility events: a credential issued in one country verified or recognised
by an organisation in another, and a person's activity in a country (the population).

Events are individual-level and stay in the store. The person is kept only as a keyed pseudonym
(:func:`person_key`) whose sole use is to bound each person's contribution to a released table.

Verification and recognition call these through :class:`skillpass.mobility.platform.PlatformEvents`,
which derives the countries, capability area, EQF level and subject from the credential and the
organisation. Recording never fails the caller's action for a missing area or a same-country
check: such events are simply not mobility and are skipped (the method returns ``False``). With
``once`` (e.g. the credential id and the organisation), an event is recorded at most once: the
key is stored only as an HMAC under the instance secret.
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
        once: str | None = None,
        synthetic: bool = False,
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
            synthetic=synthetic,
        )
        if once is not None:
            key = hmac.new(
                self._secret, f"mobility-once:{kind.value}:{once}".encode(), hashlib.sha256
            ).hexdigest()
            return self._repository.add_event_once(event, PLATFORM_SOURCE, key)
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
        once: str | None = None,
        synthetic: bool = False,
    ) -> bool:
        """Record that a credential issued in one country was verified from another.

        Args:
            subject: Stable identifier of the credential's holder (e.g. its learner key).
            issuer_country: ISO country of the issuer.
            verifier_country: ISO country of the verifying organisation.
            area_id: The credential's capability area (skipped when none).
            eqf: The credential's EQF level, when known.
            at: When (now when omitted).
            once: What makes the event unique (e.g. ``credential id|organisation id``): a second
                event with the same key is not recorded. None: always recorded.
            synthetic: The event comes from demo data (a synthetic organisation acted): releases
                that include it are labelled synthetic.

        Returns:
            Whether an event was recorded (not for same-country checks, a missing area, or a
            ``once`` key recorded before).

        Raises:
            InvalidInput: A country code no release can place.
        """
        return self._record(
            EventKind.VERIFICATION,
            subject,
            issuer_country,
            verifier_country,
            area_id,
            eqf,
            at,
            once,
            synthetic,
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
        once: str | None = None,
        synthetic: bool = False,
    ) -> bool:
        """Record that an organisation in one country recognised a credential from another.

        Args and return as :meth:`record_verification`.
        """
        return self._record(
            EventKind.RECOGNITION,
            subject,
            issuer_country,
            recognising_country,
            area_id,
            eqf,
            at,
            once,
            synthetic,
        )

    def record_activity(
        self,
        *,
        subject: str,
        country: str,
        area_id: str | None,
        eqf: int | None = None,
        at: datetime | None = None,
        once: str | None = None,
        synthetic: bool = False,
    ) -> bool:
        """Record that a person was active in a country's STEM population (e.g. was issued a
        credential there); the population table counts each person once per period.

        Args:
            subject: Stable identifier of the person (e.g. their learner key).
            country: ISO country where they are active.
            area_id: The capability area (skipped when none).
            eqf: The EQF level of what made them active, when known (kept with the event; the
                population table does not use it).
            at: When (now when omitted): the period the activity counts in.
            once: What makes the event unique (e.g. the credential id). None: always recorded.
            synthetic: The event comes from demo data (a synthetic issuer).

        Returns:
            Whether an event was recorded (not for a missing area or a ``once`` key recorded
            before).

        Raises:
            InvalidInput: A country code no release can place.
        """
        return self._record(
            EventKind.ACTIVE, subject, country, country, area_id, eqf, at, once, synthetic
        )
