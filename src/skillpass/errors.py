"""The one error tree of SkillPass.

Every error a user can see is a :class:`SkillPassError`. Each carries an HTTP status, a stable
machine-readable ``code`` and a message written for the person who has to act on it. The HTTP API
maps all of them to one JSON envelope (``{"error": {"code", "message", "details"}}``);
the CLI prints the message and exits non-zero.

::

    SkillPassError                      500  internal
    ├── ConfigurationError              500  configuration      settings missing or unsafe
    ├── InvalidInput                    422  invalid_input      the caller sent something wrong
    │   └── TaxonomyImportError         422  taxonomy_import    an ESCO file is missing or malformed
    ├── NotFound                        404  not_found          no such resource
    ├── Conflict                        409  conflict           clashes with what is stored
    ├── AuthenticationRequired          401  authentication     no or bad credentials
    ├── PermissionDenied                403  forbidden          authenticated, but the role may not
    └── TaxonomyNotLoaded               409  taxonomy_missing   no ESCO imported yet
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "AuthenticationRequired",
    "ConfigurationError",
    "Conflict",
    "InvalidInput",
    "NotFound",
    "PermissionDenied",
    "SkillPassError",
    "TaxonomyImportError",
    "TaxonomyNotLoaded",
]


class SkillPassError(Exception):
    """Root of every error SkillPass raises on purpose.

    Args:
        message: What went wrong and what to do about it, in plain words.
        details: Optional structured context (a file name, a field), safe to show to the caller.
    """

    status_code: ClassVar[int] = 500
    code: ClassVar[str] = "internal"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details or {}


class ConfigurationError(SkillPassError):
    """Settings are missing, contradictory or unsafe (e.g. a placeholder secret in production)."""

    code = "configuration"


class InvalidInput(SkillPassError):
    """The caller sent something that cannot be used as it is."""

    status_code = 422
    code = "invalid_input"


class TaxonomyImportError(InvalidInput):
    """An ESCO download is missing a file, has wrong columns, a bad encoding or is not ESCO."""

    code = "taxonomy_import"


class NotFound(SkillPassError):
    """The requested resource does not exist."""

    status_code = 404
    code = "not_found"


class Conflict(SkillPassError):
    """The request clashes with stored state (a duplicate, a stale version)."""

    status_code = 409
    code = "conflict"


class AuthenticationRequired(SkillPassError):
    """No credentials, or credentials that do not identify a user."""

    status_code = 401
    code = "authentication"


class PermissionDenied(SkillPassError):
    """The user is known but their roles do not allow this action."""

    status_code = 403
    code = "forbidden"


class TaxonomyNotLoaded(SkillPassError):
    """No ESCO taxonomy has been imported yet."""

    status_code = 409
    code = "taxonomy_missing"
