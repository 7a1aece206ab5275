"""Opaque public identifiers for stored things (users, tokens, organisations, definitions…).

Database keys never leave storage; these ids do. They are random, URL-safe, 16 characters of
lower-case base32 (``[a-z2-7]``): no leading ``-`` that a command line would take for an option,
no characters that need escaping in a URL or a file name.
"""

from __future__ import annotations

import base64
import secrets

__all__ = ["new_public_id"]


def new_public_id() -> str:
    """A fresh random public id (80 bits), e.g. ``"k3v7q2mzx4d5a6bp"``."""
    return base64.b32encode(secrets.token_bytes(10)).decode("ascii").lower()
