"""Credential formats built from an Annex I micro-credential definition (unsigned documents).

* :mod:`~skillpass.credentials.formats.openbadges` — Open Badges 3.0 ``OpenBadgeCredential``.
* :mod:`~skillpass.credentials.formats.elm` — European Learning Model v3 / Europass Digital
  Credential.

Each module takes the same inputs (an :class:`~skillpass.credentials.models.Achievement`, an
:class:`~skillpass.credentials.models.IssuerProfile`, a
:class:`~skillpass.credentials.models.LearnerRef`, ids, dates and a status entry) and returns a
JSON-ready ``dict``; proofs and seals are added by :mod:`skillpass.credentials.proofs`.
"""
