"""Evidence files: bounded in size and type-checked by their content, not by their name.

Accepted types are what learners and assessors actually exchange and what a browser can show
safely: PDF, PNG, JPEG, WebP, plain text (UTF-8) and OpenDocument/Office Open XML documents (ZIP
containers, recognised by their manifest entries). Anything else is refused with a message that
names the accepted types.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass

from skillpass.errors import InvalidInput

__all__ = ["ACCEPTED_TYPES", "CheckedEvidence", "check_evidence"]

#: Media type -> what a user knows it as.
ACCEPTED_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/webp": "WebP image",
    "text/plain": "plain text (UTF-8)",
    "application/vnd.oasis.opendocument.text": "OpenDocument text (.odt)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
}

_SAFE_NAME = re.compile(r"[^\w.\- ()]+", re.UNICODE)


@dataclass(frozen=True)
class CheckedEvidence:
    """An evidence file that passed the checks."""

    filename: str
    media_type: str
    size: int
    sha256: str
    content: bytes


def _sniff(content: bytes) -> str | None:
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content.startswith(b"PK\x03\x04"):
        return _sniff_zip(content)
    if b"\x00" in content:
        return None
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain"


def _sniff_zip(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                kind = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if kind == "application/vnd.oasis.opendocument.text":
                    return kind
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None


def check_evidence(filename: str, content: bytes, max_bytes: int) -> CheckedEvidence:
    """Check an uploaded evidence file.

    Args:
        filename: The name the user gave (cleaned; path parts dropped).
        content: The bytes.
        max_bytes: Largest accepted size.

    Returns:
        The file with its detected media type and SHA-256.

    Raises:
        InvalidInput: Empty, too large, or not one of :data:`ACCEPTED_TYPES` (by content).
    """
    if not content:
        raise InvalidInput("The evidence file is empty; choose the file again.")
    if len(content) > max_bytes:
        raise InvalidInput(
            f"The evidence file is {len(content):,} bytes; the limit is {max_bytes:,} bytes. "
            "Upload a smaller file (e.g. a PDF export or a compressed image)."
        )
    media_type = _sniff(content)
    if media_type is None:
        accepted = ", ".join(ACCEPTED_TYPES.values())
        raise InvalidInput(
            f"{filename or 'The file'} is not an accepted evidence type. Accepted: {accepted}."
        )
    base = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    clean = _SAFE_NAME.sub("_", base)[:200].strip("._ ") or "evidence"
    return CheckedEvidence(
        filename=clean,
        media_type=media_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )
