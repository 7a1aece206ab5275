"""Text handling for matching: cleaning, bounded length, span splitting, language detection.

Everything here is pure Python and cheap; the language detector (``langdetect``, which ships its
language profiles inside the wheel) is loaded on first use only.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from skillpass.errors import InvalidInput

__all__ = [
    "EU_LANGUAGES",
    "MAX_EXTRACT_CHARS",
    "MAX_QUERY_CHARS",
    "CompoundSplitter",
    "Span",
    "clean_query",
    "detect_language",
    "fold_capitals",
    "normalise_job_title",
    "split_pieces",
    "split_spans",
]

#: Longest text matched as one query (longer ones are cut at a word boundary).
MAX_QUERY_CHARS = 1_000
#: Longest text accepted by extraction mode; the rest is ignored and reported as truncated.
MAX_EXTRACT_CHARS = 100_000
#: Longest span matched in extraction mode; longer sentences are cut at commas or words.
MAX_SPAN_CHARS = 300
#: The 24 official EU languages (ISO 639-1).
EU_LANGUAGES = frozenset(
    [
        "bg",
        "cs",
        "da",
        "de",
        "el",
        "en",
        "es",
        "et",
        "fi",
        "fr",
        "ga",
        "hr",
        "hu",
        "it",
        "lt",
        "lv",
        "mt",
        "nl",
        "pl",
        "pt",
        "ro",
        "sk",
        "sl",
        "sv",
    ]
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+|\s*[•·▪●◦‣∙|]\s*|\s+[-–*]\s+(?=[A-ZÀ-Ý])")
_SOFT_BREAK = re.compile(r",\s+|\s+(?:and|und|et|y|e|en|i|oraz)\s+")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+")
#: Where a sentence listing several skills breaks into one piece per skill: commas, slashes,
#: conjunctions and the prepositions that introduce a tool ("ETL processes in Python").
_PIECE_BREAK = re.compile(
    r"\s*[,/;()]\s*|\s+(?:and|or|as well as|including|in|with|using|und|oder|sowie|mit|"
    r"et|ou|avec|y|o|con|e|ed|con|en|of|met|i|oraz|lub|z|w)\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Span:
    """A piece of the input text with its character offsets (end exclusive)."""

    start: int
    end: int
    text: str


def _letters_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_LETTER.findall(text)) / len(text)


def clean_query(text: str, *, limit: int = MAX_QUERY_CHARS) -> str:
    """Normalise a query: NFC, no control characters, single spaces, at most ``limit`` chars.

    Args:
        text: What the user sent.
        limit: Longest text kept; longer text is cut at the last space before the limit.

    Returns:
        The cleaned text.

    Raises:
        InvalidInput: The text is empty or holds no letters (binary junk, only digits).
    """
    if not isinstance(text, str):
        raise InvalidInput("Send the text to match as a string.")
    junk = len(_CONTROL.findall(text[:10_000]))
    if junk > 8 and junk > 0.1 * min(len(text), 10_000):
        raise InvalidInput(
            "The text looks like binary data (control or undecodable characters). "
            "Send plain text in a European language."
        )
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text))
    text = _SPACE.sub(" ", text).strip()
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > limit // 2 else limit]
    if not text:
        raise InvalidInput("The text to match is empty: send a word, a job title or a sentence.")
    if not _LETTER.search(text) or _letters_share(text) < 0.3:
        raise InvalidInput(
            "The text holds no words to match (only digits, symbols or binary data). "
            "Send plain text in a European language."
        )
    return text


def _hard_chunks(text: str, start: int, limit: int) -> list[Span]:
    """Cut a long piece at soft breaks (commas, 'and'), then at spaces, keeping offsets."""
    pieces: list[Span] = []
    cursor = 0
    for match in _SOFT_BREAK.finditer(text):
        if match.start() > cursor:
            pieces.append(Span(start + cursor, start + match.start(), text[cursor : match.start()]))
        cursor = match.end()
    if cursor < len(text):
        pieces.append(Span(start + cursor, start + len(text), text[cursor:]))
    out: list[Span] = []
    for piece in pieces:
        body = piece.text
        offset = piece.start
        while len(body) > limit:
            cut = body.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            out.append(Span(offset, offset + cut, body[:cut]))
            rest = body[cut:]
            stripped = rest.lstrip()
            offset += cut + (len(rest) - len(stripped))
            body = stripped
        if body:
            out.append(Span(offset, offset + len(body), body))
    return out


def split_spans(text: str, *, max_span: int = MAX_SPAN_CHARS) -> list[Span]:
    """Split a longer text into sentence-like spans with their offsets in ``text``.

    Sentences end at ``. ! ? ; :``, line breaks and bullet characters; a sentence longer than
    ``max_span`` is further cut at commas and conjunctions, then at spaces. Spans without
    letters are dropped.

    Args:
        text: The text (already bounded in size by the caller).
        max_span: Longest span returned.

    Returns:
        The spans, in order.
    """
    spans: list[Span] = []
    cursor = 0
    bounds = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(text)]
    bounds.append((len(text), len(text)))
    for sep_start, sep_end in bounds:
        raw = text[cursor:sep_start]
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body and _LETTER.search(body):
            start = cursor + lead
            if len(body) <= max_span:
                spans.append(Span(start, start + len(body), body))
            else:
                spans.extend(_hard_chunks(body, start, max_span))
        cursor = sep_end
    return [s for s in spans if _LETTER.search(s.text)]


def split_pieces(text: str, lang: str | None = None) -> list[str]:
    """The parts of one span that may each name a skill, when it lists several.

    ``Develop ETL processes in Python and SQL`` gives ``Develop ETL processes``, ``Python`` and
    ``SQL``: a sentence naming three skills is far from each skill's label as a whole, each
    piece is close to one. Pieces without letters are dropped; a span with no break gives ``[]``.

    Args:
        text: One span.
        lang: Its language, if known (a capitalised lone word is a name only in English).

    Returns:
        The pieces, or an empty list when the span does not break in two or more.
    """
    pieces = [p.strip(" .:!?-–") for p in _PIECE_BREAK.split(text)]
    pieces = [p for p in pieces if len(p) >= 2 and _LETTER.search(p)]
    if len(pieces) < 2:
        return []
    # a lone word is a piece only when it is a name (Python, SQL, JavaScript, Excel): lone
    # common words ("customers", German "Patienten") match generic skills and add noise
    return [p for p in pieces if " " in p or _is_name(p, lang, first=p is pieces[0])]


def _is_name(word: str, lang: str | None, *, first: bool) -> bool:
    if any(c.isupper() for c in word[1:]) or any(c.isdigit() for c in word):
        return True  # SQL, JavaScript, ISO9001
    return lang == "en" and word[:1].isupper() and not first  # English capitalises only names


#: Gender markers of job adverts: "(m/w/d)", "(w/m/d)", "m/w/d", "(H/F)", "(M/V)", "(k/m)",
#: "(all genders)", "(gn)" -- a group of single letters joined by slashes, or a fixed phrase.
_GENDER_MARKER = re.compile(
    r"\(\s*(?:[a-zäöüßéèê]\s*[/|,]\s*){1,3}[a-zäöüßéèê]\s*\)"
    r"|(?<!\w)(?:[a-zäöüß]\s*/\s*){2,3}[a-zäöüß](?!\w)"
    r"|(?<!\w)[HFhf]\s*/\s*[HFhf](?!\w)"
    r"|\(\s*(?:all genders|alle geschlechter|gn|genderneutral|divers)\s*\)",
    re.IGNORECASE,
)
#: German short feminine forms: "Pfleger/in", "Pfleger/-in", "Pfleger*in", "Pfleger:in",
#: "Pfleger_in", "PflegerIn" (and the plural "-innen" likewise).
_GERMAN_SHORT_FEMININE = re.compile(
    r"(\w+?)(?:\s*/\s*-?|[*:_])(in|innen)\b|(\w*(?:er|or|ent|ant|ist|eur|at|og|ph|wirt))(In|Innen)\b"
)
#: Romance short feminine forms: "infirmier/e", "infirmier(e)", "infirmier·e", "enfermero/a",
#: "impiegato/a", "enfermero(a)".
_ROMANCE_SHORT_FEMININE = re.compile(r"(\w+?)(o)?(?:\s*/\s*-?|\(|·|\.)(e|a)\)?(?!\w)")


def normalise_job_title(text: str, lang: str | None) -> str:
    """A job title as ESCO writes it: no gender markers, short feminine forms reduced.

    Job adverts write "Krankenpfleger (m/w/d)", "Krankenpfleger/in", "Pfleger*in",
    "infirmier/e (H/F)" or "enfermero/a"; ESCO labels name each form in full
    ("Krankenpfleger/Krankenpflegerin", "Krankenpfleger"). The markers carry no meaning for
    matching and the short forms break both the word pieces and the character n-grams, so
    markers are removed and short forms give the masculine form, ESCO's first form (on held-out
    ESCO labels this did better than spelling out both forms or the feminine one). A title
    without such forms is returned unchanged.

    Args:
        text: A cleaned job title.
        lang: Its language, if known. Gender markers are removed in any language; German short
            forms are reduced for German and unknown languages, Romance ones ("/e", "(e)",
            "·e", "o/a") for French, Spanish and Italian.

    Returns:
        The normalised title (the original when nothing would be left).
    """
    out = _GENDER_MARKER.sub(" ", text)
    if lang in (None, "de"):
        out = _GERMAN_SHORT_FEMININE.sub(lambda m: m.group(1) or m.group(3), out)
    if lang in ("fr", "es", "it"):
        out = _ROMANCE_SHORT_FEMININE.sub(lambda m: m.group(1) + (m.group(2) or ""), out)
    out = _SPACE.sub(" ", out).strip(" -–,;|")
    return out if _LETTER.search(out) else text


_LONG_WORD = re.compile(r"[^\W\d_]{5,}", re.UNICODE)


def fold_capitals(text: str) -> str:
    """Text written in capitals, in sentence case: ``DIRECTORES DE MARKETING`` -> ``Directores
    de marketing``.

    National classifications, forms and CV headings write titles in capitals. The character
    n-grams ignore case, but the multilingual sentence encoder does not: on held-out ESCO
    occupation labels written in capitals, MRR fell from 0.762 to 0.661 (six languages); in
    sentence case it was 0.758 (all lower case 0.755). Text with any lower-case letter, or with no
    word of five letters or more (``HTML5 CSS``, ``SAP``: acronyms), is returned unchanged.

    Args:
        text: A cleaned query.

    Returns:
        The query in sentence case when it was all capitals, else unchanged.
    """
    if any(c.islower() for c in text) or not _LONG_WORD.search(text):
        return text
    lowered = text.lower()
    return lowered[:1].upper() + lowered[1:]


class CompoundSplitter:
    """Splits German compounds into two words that the labels use on their own.

    ESCO writes "Personalmanager" in one label and "Manager für Personal" in another; a job
    title "Kulturbetriebsmanagerin" shares few character n-grams and word pieces with "Managerin
    im Kulturbetrieb". A word of at least 8 letters that the labels use fewer than 3 times is cut
    where both halves are label words (a linking "s", "n", "en", "es", "er" or "e" may sit
    between them); of several cuts the one with the most frequent halves wins. On held-out ESCO
    German labels, averaging the scores of the title and its split form beat using either alone
    (see docs/matching.md).

    Args:
        labels: The labels whose words form the vocabulary (German occupation labels).
    """

    MIN_WORD = 8
    MIN_HEAD = 3
    MIN_TAIL = 4
    KNOWN = 3
    LINKS = ("", "s", "n", "en", "es", "er", "e")

    def __init__(self, labels: Iterable[str]) -> None:
        self._counts: Counter[str] = Counter(
            word for label in labels for word in _WORD.findall(label.casefold())
        )

    def split_word(self, word: str) -> tuple[str, str] | None:
        """The two halves of ``word`` (original case), or ``None`` when it is not cut."""
        lower = word.casefold()
        counts = self._counts
        if len(lower) < self.MIN_WORD or counts[lower] >= self.KNOWN:
            return None
        best: tuple[str, str] | None = None
        best_score = 0.0
        for cut in range(self.MIN_HEAD, len(lower) - self.MIN_TAIL + 1):
            if counts[lower[cut:]] < 2:
                continue
            for link in self.LINKS:
                head_end = cut - len(link)
                if head_end < self.MIN_HEAD or lower[head_end:cut] != link:
                    continue
                if counts[lower[:head_end]] < 2:
                    continue
                score = math.sqrt(counts[lower[:head_end]] * counts[lower[cut:]])
                if score > best_score:
                    best, best_score = (word[:head_end], word[cut:]), score
        return best

    def split(self, text: str) -> str:
        """``text`` with each compound written as two words ("Personal Manager")."""
        words = []
        for token in text.split(" "):
            halves = self.split_word(token) if token.isalpha() else None
            words.append(f"{halves[0]} {halves[1].capitalize()}" if halves else token)
        return " ".join(words)


_detector_lock = threading.Lock()
_detector_ready = False


def _detect_probabilities(text: str) -> list[Any]:
    global _detector_ready
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    with _detector_lock:
        if not _detector_ready:
            DetectorFactory.seed = 0
            _detector_ready = True
        try:
            return list(detect_langs(text))
        except LangDetectException:
            return []


def detect_language(text: str, *, candidates: frozenset[str] = EU_LANGUAGES) -> str | None:
    """Guess the language of ``text`` among ``candidates``; ``None`` when unsure.

    Short texts (a job title) are often ambiguous; the detector then answers ``None`` and the
    engine searches labels of every imported language.

    Args:
        text: The text.
        candidates: Languages that may be answered (ISO 639-1).

    Returns:
        An ISO 639-1 code, or ``None``.
    """
    if len(text) < 3 or not _LETTER.search(text):
        return None
    minimum = 0.9 if len(text) < 40 else 0.7
    for guess in _detect_probabilities(text[:2000]):
        lang = str(guess.lang).split("-")[0]
        if lang in candidates and float(guess.prob) >= minimum:
            return lang
    return None
