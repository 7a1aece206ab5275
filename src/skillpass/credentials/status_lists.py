"""W3C Bitstring Status List v1.0: the bitstring codec and the signed status list credential.

Spec: https://www.w3.org/TR/vc-bitstring-status-list/

* Each issuer has lists per purpose (``revocation``; ``suspension`` reserved) of
  :data:`STATUS_LIST_SIZE` = 131,072 bits (16 KB, the spec's minimum for group privacy, §6.1).
* A credential's bit is picked at random among the unused ones (§6.1: sequential allocation
  would leak issuance order); :mod:`skillpass.credentials.issuance` makes the pick safe under
  concurrency.
* ``encodedList`` is the GZIP-compressed bitstring, base64url without padding, with the multibase
  prefix ``u`` (§2.1, "encodedList"). Index 0 is the left-most (most significant) bit of the
  first byte.
* The status list credential is computed from the store on every request (so a revocation shows
  at once), signed by the issuer's active key: Data Integrity ``eddsa-rdfc-2022`` for Ed25519
  keys, a VC-JWT (ES256) for P-256 keys.
"""

from __future__ import annotations

import base64
import gzip
import io
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from skillpass.credentials.limits import b64url_decode
from skillpass.credentials.proofs.data_integrity import sign_data_integrity
from skillpass.credentials.proofs.jwt import sign_vc_jwt
from skillpass.credentials.signer import Signer
from skillpass.errors import InvalidInput

__all__ = [
    "MAX_FILL",
    "STATUS_LIST_SIZE",
    "build_status_list_credential",
    "decode_status_list",
    "encode_status_list",
    "sign_status_list_credential",
    "status_bit",
]

#: Bits per list (16 KB).
STATUS_LIST_SIZE = 131_072
#: A list takes new credentials until this share of its bits is used; then a new list starts
#: (random picks stay cheap: at 75 % fill a pick needs four tries on average).
MAX_FILL = 0.75
#: Largest decompressed list accepted from elsewhere (16 MB = 134 million bits).
_MAX_DECODED_BYTES = 16 * 1024 * 1024


def encode_status_list(set_indices: Iterable[int], size: int = STATUS_LIST_SIZE) -> str:
    """Encode the set bits as an ``encodedList`` value.

    Args:
        set_indices: Indices whose bit is 1 (revoked / suspended).
        size: Length of the list in bits (a multiple of 8).

    Returns:
        ``u`` + base64url(GZIP(bitstring)), no padding.

    Raises:
        InvalidInput: An index outside the list.
    """
    bits = bytearray(size // 8)
    for index in set_indices:
        if not 0 <= index < size:
            raise InvalidInput(f"Status index {index} is outside a list of {size} bits.")
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode_status_list(encoded: str) -> bytes:
    """Decode an ``encodedList`` into the raw bitstring.

    Accepts the multibase ``u`` prefix and, for lists made before the spec added it, plain
    base64url.

    Raises:
        InvalidInput: Not base64url, not GZIP, or a bomb that inflates past 16 MB.
    """
    body = encoded[1:] if encoded.startswith("u") else encoded
    compressed = b64url_decode(body, "status list encodedList")
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(compressed)) as stream:
            data = stream.read(_MAX_DECODED_BYTES + 1)
    except (OSError, EOFError) as exc:
        raise InvalidInput(f"The status list is not GZIP-compressed ({exc}).") from None
    if len(data) > _MAX_DECODED_BYTES:
        raise InvalidInput("The status list inflates past 16 MB; refusing it.")
    return data


def status_bit(bitstring: bytes, index: int) -> bool:
    """Whether bit ``index`` is set (left-most bit of the first byte is index 0).

    Raises:
        InvalidInput: The index is outside the list.
    """
    if not 0 <= index < len(bitstring) * 8:
        raise InvalidInput(
            f"Status index {index} is outside the status list ({len(bitstring) * 8} bits)."
        )
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def build_status_list_credential(
    *,
    url: str,
    issuer: str,
    purpose: str,
    set_indices: Iterable[int],
    size: int = STATUS_LIST_SIZE,
    valid_from: datetime | None = None,
) -> dict[str, Any]:
    """The unsigned ``BitstringStatusListCredential`` (spec §2.2).

    Args:
        url: Where the list is served; the credential's ``id``.
        issuer: The issuer's DID.
        purpose: ``revocation`` or ``suspension``.
        set_indices: The set bits.
        size: Bits in the list.
        valid_from: Defaults to now.

    Returns:
        The credential, VC Data Model 2.0.
    """
    moment = (valid_from or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode_status_list(set_indices, size),
        },
    }


def sign_status_list_credential(credential: dict[str, Any], signer: Signer) -> dict[str, Any] | str:
    """Sign a status list credential with the issuer's key.

    Returns:
        The credential with a Data Integrity ``eddsa-rdfc-2022`` proof (Ed25519 keys), or a
        compact VC-JWT (P-256 keys).
    """
    if signer.algorithm == "Ed25519":
        return sign_data_integrity(credential, signer, cryptosuite="eddsa-rdfc-2022")
    return sign_vc_jwt(credential, signer)
