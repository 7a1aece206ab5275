"""Bitstring Status List codec (W3C): bit order, size, multibase GZIP, bounds."""

from __future__ import annotations

import base64
import gzip

import pytest

from skillpass.credentials.status_lists import (
    STATUS_LIST_SIZE,
    build_status_list_credential,
    decode_status_list,
    encode_status_list,
    status_bit,
)
from skillpass.errors import InvalidInput


def test_index_zero_is_the_leftmost_bit_of_the_first_byte() -> None:
    bits = decode_status_list(encode_status_list([0, 9, STATUS_LIST_SIZE - 1]))
    assert len(bits) == 16 * 1024
    assert bits[0] == 0x80
    assert bits[1] == 0x40
    assert bits[-1] == 0x01
    assert status_bit(bits, 0)
    assert status_bit(bits, 9)
    assert not status_bit(bits, 1)


def test_encoded_list_is_multibase_base64url_gzip_without_padding() -> None:
    encoded = encode_status_list([3])
    assert encoded.startswith("u")
    assert "=" not in encoded
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert raw[0] == 0x10


def test_index_outside_the_list_is_refused() -> None:
    with pytest.raises(InvalidInput):
        encode_status_list([STATUS_LIST_SIZE])
    with pytest.raises(InvalidInput):
        status_bit(bytes(2), 16)


def test_gzip_bomb_and_bad_encodings_are_refused() -> None:
    bomb = gzip.compress(bytes(17 * 1024 * 1024))
    with pytest.raises(InvalidInput, match="16 MB"):
        decode_status_list("u" + base64.urlsafe_b64encode(bomb).decode().rstrip("="))
    with pytest.raises(InvalidInput):
        decode_status_list("u!!!")
    with pytest.raises(InvalidInput, match="GZIP"):
        decode_status_list("u" + base64.urlsafe_b64encode(b"plain").decode().rstrip("="))


def test_status_list_credential_shape() -> None:
    credential = build_status_list_credential(
        url="https://x.example/api/v1/status-lists/a",
        issuer="did:web:x.example",
        purpose="revocation",
        set_indices=[5],
    )
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = credential["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    assert status_bit(decode_status_list(subject["encodedList"]), 5)
