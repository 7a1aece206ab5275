"""The "what skills are in this text?" page, and a job-title normaliser, over the matching engine.

* ``GET /match`` — the page: a form to paste a job advert, a CV section or a course
  description, and a small form to normalise a job title.
* ``POST /match`` — extraction (:meth:`skillpass.matching.MatchingService.extract_now`): the
  skills present, each with its calibrated score in words and per cent, linked to its ESCO page,
  with the evidence highlighted in the text.
* ``GET /match/occupations?title=&lang=`` — the ESCO occupations closest to a job title in any
  EU language (:meth:`~skillpass.matching.MatchingService.match_occupations_now`).

Both forms work without JavaScript (whole pages); with htmx only the results are swapped in and a
one-line summary is announced through a polite live region (an out-of-band swap), so a screen
reader does not read the whole result list aloud.

The matching engine builds its index on first use (seconds without the ``ml`` extra, minutes with
it); the server starts that work at startup (``SKILLPASS_WARM_UP_ON_START``). A page never waits
minutes for it: :func:`lexical_matching_ready` starts the service's background warm-up if needed
and waits a little for its first stage, the lexical index (ready seconds into a warm-up), which
ranks alone while the embeddings are built; the results then carry a note saying so. Until even
the lexical index is ready the page answers 503 and says the engine is being prepared; the skill
picker of the definition form uses the label search instead. :func:`matching_ready` waits for
the whole engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response

from skillpass.app import SkillPass
from skillpass.errors import InvalidInput, TaxonomyNotLoaded
from skillpass.matching import ExtractionResult, OccupationMatch
from skillpass.matching.text import EU_LANGUAGES
from skillpass.web._common import HtmlRoute, WebApp, is_fragment_request, render, templates

__all__ = [
    "LANGUAGE_NAMES",
    "MAX_TEXT_CHARS",
    "MAX_TITLE_CHARS",
    "OCCUPATION_LIMIT",
    "Segment",
    "confidence_band",
    "highlight",
    "lexical_matching_ready",
    "matching_ready",
    "router",
]

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

#: Longest text the page reads (about six pages); the CLI and the API take up to 100,000.
MAX_TEXT_CHARS = 20_000
#: Longest job title the page reads.
MAX_TITLE_CHARS = 200
#: Occupations suggested for a job title.
OCCUPATION_LIMIT = 5
#: Seconds a page waits for the lexical index (the warm-up's first stage) before it says
#: "being prepared".
PAGE_WAIT_SECONDS = 10.0
#: Added to the announced summary when the lexical index alone ranked the results.
_LEXICAL_STATUS = "Ranked by the lexical index while the semantic index is being prepared."

#: The 24 official EU languages, by English name (for the language selects).
LANGUAGE_NAMES: dict[str, str] = {
    "bg": "Bulgarian",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "et": "Estonian",
    "fi": "Finnish",
    "fr": "French",
    "ga": "Irish",
    "hr": "Croatian",
    "hu": "Hungarian",
    "it": "Italian",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "mt": "Maltese",
    "nl": "Dutch",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sv": "Swedish",
}
_LANGUAGE_CHOICES = sorted(
    ((code, LANGUAGE_NAMES.get(code, code)) for code in EU_LANGUAGES), key=lambda c: c[1]
)

# --- warming the engine up ----------------------------------------------------------------------


def matching_ready(skillpass: SkillPass, wait: float) -> bool:
    """Whether a page may call the matching engine now without waiting minutes for its index.

    The first call starts :meth:`~skillpass.matching.MatchingService.warm_up_in_background`
    (which loads the cached index or builds it, in a daemon thread the service owns and stops
    when the app closes) and waits up to ``wait`` seconds for it. A warm-up that failed (no
    ESCO imported yet, say) is started again on the next call, so importing ESCO later just
    works.

    Args:
        skillpass: The application whose ``matching`` service is asked.
        wait: Seconds to wait for a warm-up still running.

    Returns:
        True when the engine is warm, or when the warm-up finished with an error (the caller's
        own call then raises that error, quickly); False while the index is still being built.
    """
    return skillpass.matching.warm_up_in_background().wait(wait)


def lexical_matching_ready(skillpass: SkillPass, wait: float) -> bool:
    """Whether the service's ``*_now`` methods can answer now, from the lexical index at least.

    Starts the background warm-up like :func:`matching_ready` (the server usually started it at
    startup), but waits only for its first stage, the lexical indexes (full ESCO: about 3 s from
    the cache, about 15 s to build); the embeddings then take minutes more.

    Args:
        skillpass: The application whose ``matching`` service is asked.
        wait: Seconds to wait for the lexical indexes still being loaded or built.

    Returns:
        True when the lexical indexes are in memory, or when the warm-up ended early with an
        error (the caller's own call then raises it, quickly); False while they are being built.
    """
    skillpass.matching.warm_up_in_background()
    return skillpass.matching.lexical_ready(wait)


# --- presenting results ---------------------------------------------------------------------


def confidence_band(score: float) -> str:
    """A calibrated skill score in plain words.

    Skill scores are calibrated (a score of 0.6 was right about 60 % of the time on held-out
    job-advert sentences, see ``docs/matching.md``), so the bands are read as odds.

    Args:
        score: The calibrated score in [0, 1].

    Returns:
        ``very likely`` (≥ 0.6), ``likely`` (≥ 0.4), ``possible`` (≥ 0.2) or ``unlikely``.
    """
    if score >= 0.6:
        return "very likely"
    if score >= 0.4:
        return "likely"
    if score >= 0.2:
        return "possible"
    return "unlikely"


templates.env.globals["confidence_band"] = confidence_band


@dataclass(frozen=True)
class Segment:
    """A piece of the submitted text; ``number`` is set when it is evidence (1-based)."""

    text: str
    number: int | None = None
    skills: tuple[str, ...] = ()


def highlight(text: str, result: ExtractionResult) -> tuple[list[Segment], dict[int, int]]:
    """Cut the text into plain and evidence segments, for highlighting in a template.

    Evidence spans come from one split of the text, so they do not overlap; a span that
    overlaps an earlier one or falls outside the text is left unmarked rather than trusted.
    The template escapes every segment (the text is never inserted as HTML).

    Args:
        text: The text exactly as given to :meth:`~skillpass.matching.MatchingService.extract`.
        result: Its extraction result.

    Returns:
        The segments in order, and the evidence number of each span start (for links from the
        skill list to the highlighted span).
    """
    labels: dict[tuple[int, int], list[str]] = {}
    for skill in result.skills:
        for span in skill.evidence:
            if 0 <= span.start < span.end <= len(text):
                labels.setdefault((span.start, span.end), []).append(skill.label)
    segments: list[Segment] = []
    numbers: dict[int, int] = {}
    cursor = 0
    for start, end in sorted(labels):
        if start < cursor:
            continue
        if start > cursor:
            segments.append(Segment(text[cursor:start]))
        numbers[start] = len(numbers) + 1
        segments.append(Segment(text[start:end], numbers[start], tuple(labels[(start, end)])))
        cursor = end
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments, numbers


def _language_name(code: str | None) -> str:
    if not code or code == "und":
        return "not recognised"
    return LANGUAGE_NAMES.get(code, code)


def _language(raw: str) -> str | None:
    """The chosen language, or None for "detect"; an unknown code is refused by the service."""
    code = raw.strip().lower()
    return code or None


def _page(
    request: Request,
    context: dict[str, Any],
    fragment: str,
    *,
    status_code: int = 200,
) -> Response:
    """The whole page, or (for htmx) one results fragment; htmx swaps only 2xx answers, so a
    fragment always answers 200 and carries its problem inside."""
    full: dict[str, Any] = {
        "title": "What skills are in this text?",
        "languages": _LANGUAGE_CHOICES,
        "max_text": MAX_TEXT_CHARS,
        "max_title": MAX_TITLE_CHARS,
        "text": "",
        "lang": "",
        "title_text": "",
        "title_lang": "",
        "extraction": None,
        "occupations": None,
        "problem": None,
        "title_problem": None,
        "not_ready": False,
        "no_taxonomy": False,
        "semantic_pending": False,
        "status": "",
        "language_name": _language_name,
    }
    full.update(context)
    if is_fragment_request(request):
        response = render(request, fragment, full | {"fragment": True})
    else:
        response = render(request, "match.html", full, status_code=status_code)
    response.headers["Vary"] = "HX-Request"
    return response


# --- routes ---------------------------------------------------------------------------------


@router.get("/match")
def match_form(request: Request) -> Response:
    """The page: paste a text to find its skills; normalise a job title."""
    return _page(request, {}, "match_results.html")


@router.post("/match")
def match_text(
    request: Request,
    skillpass: WebApp,
    text: Annotated[str, Form()] = "",
    lang: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """The skills present in a pasted text, with scores and highlighted evidence.

    Texts over :data:`MAX_TEXT_CHARS` are refused (413) with the length and what to do; empty
    text, binary junk and an unknown language get a plain-words problem (422). No CSRF token:
    nothing is stored or changed.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    language = _language(lang)
    context: dict[str, Any] = {"text": text, "lang": language or ""}
    if len(text) > MAX_TEXT_CHARS:
        context["text"] = ""
        context["problem"] = (
            f"The text is {len(text):,} characters long; this page reads at most "
            f"{MAX_TEXT_CHARS:,} (about six pages). Paste the part that describes the work or "
            "the learning, or use `skillpass match extract FILE` or POST /api/v1/match/extract "
            "for texts up to 100,000 characters."
        )
        context["status"] = "The text is too long."
        return _page(request, context, "match_results.html", status_code=413)
    if not text.strip():
        context["problem"] = (
            "Paste a job advert, a CV section or a course description first, then press "
            "“Find skills”."
        )
        context["status"] = "No text was given."
        return _page(request, context, "match_results.html", status_code=422)
    if not lexical_matching_ready(skillpass, PAGE_WAIT_SECONDS):
        context["not_ready"] = True
        context["status"] = "The matching engine is still being prepared."
        response = _page(request, context, "match_results.html", status_code=503)
        response.headers["Retry-After"] = "60"
        return response
    try:
        found = skillpass.matching.extract_now(text, language)
    except TaxonomyNotLoaded:
        context["no_taxonomy"] = True
        context["status"] = "No ESCO taxonomy is imported yet."
        return _page(request, context, "match_results.html", status_code=409)
    except InvalidInput as error:
        context["problem"] = error.message
        context["status"] = "The text could not be read."
        return _page(request, context, "match_results.html", status_code=422)
    result = found.result
    segments, numbers = highlight(text, result)
    count = len(result.skills)
    context |= {
        "extraction": result,
        "semantic_pending": found.semantic_pending,
        "segments": segments,
        "evidence_numbers": numbers,
        "language_given": language is not None,
        "status": (
            f"{count} skill{'' if count == 1 else 's'} found in {result.spans} "
            f"sentence{'' if result.spans == 1 else 's'}; language: "
            f"{_language_name(result.lang)}."
            + (f" {_LEXICAL_STATUS}" if found.semantic_pending else "")
        ),
    }
    return _page(request, context, "match_results.html")


@router.get("/match/occupations")
def match_title(
    request: Request,
    skillpass: WebApp,
    title: Annotated[str, Query(max_length=MAX_TITLE_CHARS)] = "",
    lang: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    """The ESCO occupations closest to a job title in any EU language, best first."""
    title = title.strip()
    language = _language(lang)
    context: dict[str, Any] = {"title_text": title, "title_lang": language or ""}
    if not title:
        context["title_problem"] = "Type a job title first, e.g. “Krankenpflegerin”."
        context["status"] = "No job title was given."
        return _page(request, context, "match_occupations.html", status_code=422)
    if not lexical_matching_ready(skillpass, PAGE_WAIT_SECONDS):
        context["not_ready"] = True
        context["status"] = "The matching engine is still being prepared."
        response = _page(request, context, "match_occupations.html", status_code=503)
        response.headers["Retry-After"] = "60"
        return response
    try:
        detected = None if language else skillpass.matching.detect_language(title)
        found = skillpass.matching.match_occupations_now(
            title, language or detected, top=OCCUPATION_LIMIT
        )
    except TaxonomyNotLoaded:
        context["no_taxonomy"] = True
        context["status"] = "No ESCO taxonomy is imported yet."
        return _page(request, context, "match_occupations.html", status_code=409)
    except InvalidInput as error:
        context["title_problem"] = error.message
        context["status"] = "The job title could not be read."
        return _page(request, context, "match_occupations.html", status_code=422)
    matches: list[OccupationMatch] = found.matches
    context |= {
        "occupations": matches,
        "semantic_pending": found.semantic_pending,
        "title_detected": detected,
        "status": f"{len(matches)} occupations suggested for “{title}”."
        + (f" {_LEXICAL_STATUS}" if found.semantic_pending else ""),
    }
    return _page(request, context, "match_occupations.html")
