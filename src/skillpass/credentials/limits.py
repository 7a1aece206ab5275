"""Safe parsing of untrusted credential input: JSON within size and depth bounds, base encodings.

Everything a verifier receives comes from strangers. Before any JSON-LD or cryptographic work the
input is held to a byte limit (``Settings.max_credential_bytes``, 1 MB by default) and a nesting
limit (``Settings.max_json_depth``, 64), checked *iteratively* so a hostile document cannot blow
the Python stack. Duplicate object keys are refused (two readers could otherwise see different
values), as are ``NaN``/``Infinity``. Every failure is an :class:`~skillpass.errors.InvalidInput`
whose message says what was wrong.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

import base58

from skillpass.errors import InvalidInput

__all__ = [
    "DEFAULT_LIMITS",
    "JsonLimits",
    "b64decode",
    "b64url_decode",
    "b64url_encode",
    "check_depth",
    "multibase_decode",
    "multibase_encode",
    "parse_json",
]


@dataclass(frozen=True)
class JsonLimits:
    """Bounds applied to untrusted JSON.

    Attributes:
        max_bytes: Largest accepted input, in bytes of UTF-8.
        max_depth: Deepest accepted nesting of objects and arrays.
    """

    max_bytes: int = 1024 * 1024
    max_depth: int = 64


DEFAULT_LIMITS = JsonLimits()


def _refuse_constant(name: str) -> Any:
    raise InvalidInput(f"The JSON contains {name}, which is not valid JSON; remove it.")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise InvalidInput(
                f"The JSON repeats the key {key!r} in one object; a credential must name each "
                "member once."
            )
        result[key] = value
    return result


def check_depth(value: Any, max_depth: int) -> None:
    """Refuse a parsed JSON value nested deeper than ``max_depth`` (iterative, no recursion).

    Args:
        value: A JSON value (dict, list, str, number, bool or None).
        max_depth: Deepest accepted nesting of objects and arrays.

    Raises:
        InvalidInput: The value is nested too deeply or holds a non-JSON type.
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list | tuple):
            children = item
        elif item is None or isinstance(item, str | int | float | bool):
            continue
        else:
            raise InvalidInput(
                f"A credential may only hold JSON values, not {type(item).__name__}."
            )
        if depth + 1 > max_depth:
            raise InvalidInput(
                f"The JSON is nested deeper than {max_depth} levels; credentials are never this "
                "deep (limit: SKILLPASS_MAX_JSON_DEPTH)."
            )
        stack.extend((child, depth + 1) for child in children)


def parse_json(data: bytes | str, limits: JsonLimits = DEFAULT_LIMITS) -> Any:
    """Parse untrusted JSON within the size and depth limits.

    Args:
        data: Raw bytes (UTF-8, a BOM is tolerated) or text.
        limits: The bounds to apply.

    Returns:
        The parsed JSON value.

    Raises:
        InvalidInput: Too large, too deep, not UTF-8, not JSON, duplicate keys, NaN/Infinity.
    """
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise InvalidInput(
            f"The input is {size} bytes, over the {limits.max_bytes}-byte limit for credentials "
            "(SKILLPASS_MAX_CREDENTIAL_BYTES)."
        )
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"The input is not UTF-8 text (bad byte at position {exc.start})."
            ) from None
    else:
        text = data
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"The input is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    except RecursionError:
        # The C parser guards its own recursion; anything this deep is far past the limit.
        raise InvalidInput(
            f"The JSON is nested deeper than {limits.max_depth} levels; credentials are never "
            "this deep (limit: SKILLPASS_MAX_JSON_DEPTH)."
        ) from None
    check_depth(value, limits.max_depth)
    return value


def b64url_encode(data: bytes) -> str:
    """Base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str, what: str = "value") -> bytes:
    """Decode base64url (padding optional), refusing other alphabets.

    Args:
        text: The encoded text.
        what: Names the value in the error message (e.g. ``"JWT header"``).

    Returns:
        The decoded bytes.

    Raises:
        InvalidInput: The text is not base64url.
    """
    stripped = text.rstrip("=")
    if any(c not in _B64URL_ALPHABET for c in stripped) or len(stripped) % 4 == 1:
        raise InvalidInput(f"The {what} is not valid base64url.")
    return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))


def b64decode(text: str, what: str = "value") -> bytes:
    """Decode standard base64 (as in an X.509 ``x5c`` entry).

    Raises:
        InvalidInput: The text is not base64.
    """
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(f"The {what} is not valid base64.") from None


_B64URL_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def multibase_encode(data: bytes) -> str:
    """Multibase base58btc (prefix ``z``)."""
    return "z" + base58.b58encode(data).decode("ascii")


def multibase_decode(text: str, what: str = "value") -> bytes:
    """Decode a multibase string: base58btc (``z``) or base64url (``u``).

    Args:
        text: The multibase text.
        what: Names the value in the error message.

    Returns:
        The decoded bytes.

    Raises:
        InvalidInput: Unknown multibase prefix or bad characters.
    """
    if not isinstance(text, str) or not text:
        raise InvalidInput(f"The {what} must be a multibase string such as 'z…'.")
    prefix, body = text[0], text[1:]
    if prefix == "z":
        try:
            return base58.b58decode(body.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise InvalidInput(f"The {what} is not valid base58btc multibase.") from None
    if prefix == "u":
        return b64url_decode(body, what)
    raise InvalidInput(
        f"The {what} uses multibase prefix {prefix!r}; only 'z' (base58btc) and 'u' "
        "(base64url) are supported."
    )
