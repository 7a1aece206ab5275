"""``skillpass match skills|occupations|extract``: text → ESCO skills and occupations.

Wire into the root CLI with ``app.add_typer(matching.match_app, name="match")``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from skillpass.cli._common import RichProgress, console, err_console, open_app, print_json
from skillpass.errors import InvalidInput
from skillpass.matching.models import MatchMode, OccupationMatch, SkillMatch
from skillpass.matching.service import BatchItem, MatchingService

__all__ = ["match_app"]

match_app = typer.Typer(
    help="Match free text to ESCO skills and occupations (single, batch, extraction).",
    no_args_is_help=True,
)

_Lang = Annotated[
    str | None,
    typer.Option("--lang", help="ISO 639-1 language of the text (e.g. de); detected if omitted."),
]
_Top = Annotated[int, typer.Option("--top", min=1, max=100, help="How many matches.")]
_Json = Annotated[bool, typer.Option("--json", help="JSON on stdout.")]
_Input = Annotated[
    Path | None,
    typer.Option("--input", help='JSONL file, one {"id": ..., "text": ...} per line (batch mode).'),
]
_Output = Annotated[
    Path | None,
    typer.Option("--output", help="JSONL file to write (batch mode); resumed if it exists."),
]
_Fast = Annotated[bool, typer.Option("--fast", help="Fast mode for bulk work (less accurate).")]


def _service() -> MatchingService:
    return open_app().matching


def _print_matches(title: str, matches: list[SkillMatch] | list[OccupationMatch]) -> None:
    if not matches:
        console.print("No match.")
        return
    table = Table(title=title)
    for column in ("score", "label", "matched label", "id"):
        table.add_column(column, overflow="fold")
    for m in matches:
        matched = "" if m.matched_label == m.label else m.matched_label
        table.add_row(f"{m.score:.3f}", m.label, matched[:80], m.uri.rsplit("/", 1)[-1])
    console.print(table)


def _done_ids(output: Path) -> set[str]:
    """Ids already answered in ``output``; drops a half-written last line first."""
    if not output.exists():
        return set()
    data = output.read_bytes()
    if data and not data.endswith(b"\n"):
        data = data[: data.rfind(b"\n") + 1]
        output.write_bytes(data)
    done: set[str] = set()
    for line in data.decode("utf-8", errors="replace").splitlines():
        try:
            done.add(str(json.loads(line)["id"]))
        except (ValueError, KeyError, TypeError):
            continue
    return done


def _read_items(path: Path, done: set[str], bad: list[str]) -> Iterator[BatchItem]:
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                item_id, text = str(record["id"]), record["text"]
            except (ValueError, KeyError, TypeError):
                bad.append(f"line {number}")
                continue
            if item_id in done:
                continue
            done.add(item_id)
            yield BatchItem(item_id, text if isinstance(text, str) else "")


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def _run_batch(
    kind: str, source: Path, output: Path, lang: str | None, top: int, fast: bool
) -> None:
    if not source.is_file():
        raise InvalidInput(f"Input file {source} does not exist; give a JSONL file.")
    service = _service()
    done = _done_ids(output)
    total = _count_lines(source)
    bad: list[str] = []
    items = _read_items(source, set(done), bad)
    mode = MatchMode.FAST if fast else MatchMode.DEFAULT
    stream = (
        service.match_skills_batch(items, lang=lang, top=top, mode=mode)
        if kind == "skill"
        else service.match_occupations_batch(items, lang=lang, top=top, mode=mode)
    )
    written = 0
    output.parent.mkdir(parents=True, exist_ok=True)
    with RichProgress() as progress, output.open("a", encoding="utf-8") as sink:
        progress.stage(f"Matching {kind}s", total=total)
        progress.advance(len(done))
        for item_id, matches in stream:
            record: dict[str, Any] = {
                "id": item_id,
                "matches": [
                    {"uri": m.uri, "label": m.label, "score": m.score} for m in matches or []
                ],
            }
            if matches is None:
                record["error"] = "no words to match"
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            sink.flush()
            written += 1
            progress.advance()
    err_console.print(
        f"Wrote {written} lines to {output} ({len(done)} already there)"
        + (f"; skipped unreadable {', '.join(bad[:5])}" if bad else "")
        + "."
    )


def _single_or_batch(
    kind: str,
    text: str | None,
    source: Path | None,
    output: Path | None,
    lang: str | None,
    top: int,
    as_json: bool,
    fast: bool,
) -> None:
    if source is not None or output is not None:
        if source is None or output is None or text is not None:
            raise typer.BadParameter("Batch mode needs both --input and --output and no TEXT.")
        _run_batch(kind, source, output, lang, top, fast)
        return
    if text is None:
        raise typer.BadParameter("Give the TEXT to match, or --input and --output.")
    service = _service()
    mode = MatchMode.FAST if fast else MatchMode.DEFAULT
    matches: list[SkillMatch] | list[OccupationMatch] = (
        service.match_skills(text, lang=lang, top=top, mode=mode)
        if kind == "skill"
        else service.match_occupations(text, lang=lang, top=top, mode=mode)
    )
    if as_json:
        print_json(matches)
    else:
        _print_matches(f"{kind.title()}s for: {text[:60]}", matches)


@match_app.command("skills")
def skills(
    text: Annotated[str | None, typer.Argument(help="A phrase or sentence.")] = None,
    lang: _Lang = None,
    top: _Top = 10,
    as_json: _Json = False,
    source: _Input = None,
    output: _Output = None,
    fast: _Fast = False,
) -> None:
    """Match a phrase or sentence to ESCO skills, best first; or a JSONL file in batch.

    Batch output lines are {"id", "matches": [{"uri", "label", "score"}]}; an existing output
    file is resumed (ids already in it are skipped).

    Example: skillpass match skills "we need someone who can program in Python" --top 5
    """
    _single_or_batch("skill", text, source, output, lang, top, as_json, fast)


@match_app.command("occupations")
def occupations(
    title: Annotated[str | None, typer.Argument(help="A job title, in any EU language.")] = None,
    lang: _Lang = None,
    top: _Top = 10,
    as_json: _Json = False,
    source: _Input = None,
    output: _Output = None,
    fast: _Fast = False,
) -> None:
    """Match a job title to ESCO occupations, best first; or a JSONL file in batch.

    Batch output lines are {"id", "matches": [{"uri", "label", "score"}]}; resumable.

    Example: skillpass match occupations "Krankenpfleger" --lang de --top 5
    """
    _single_or_batch("occupation", title, source, output, lang, top, as_json, fast)


@match_app.command("extract")
def extract(
    source: Annotated[str, typer.Argument(help="A text file, or the text itself.")],
    lang: _Lang = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            min=0.0,
            max=1.0,
            help="Calibrated score needed; by default the one of the scoring path the text's "
            "language takes (docs/matching.md). The output states the one used.",
        ),
    ] = None,
    as_json: _Json = False,
) -> None:
    """List the ESCO skills present in a longer text, with scores and evidence spans.

    Example: skillpass match extract job-advert.txt --json
    """
    path = Path(source)
    try:
        is_file = len(source) < 4096 and path.is_file()
    except OSError:
        is_file = False
    text = path.read_text(encoding="utf-8", errors="replace") if is_file else source
    service = _service()
    result = service.extract(text, lang=lang, threshold=threshold)
    if as_json:
        print_json(result)
        return
    if not result.skills:
        console.print(f"No skill reached the threshold {result.threshold} in {result.spans} spans.")
        return
    table = Table(
        title=f"Skills found ({result.lang}, threshold {result.threshold}, {result.spans} spans)"
    )
    for column in ("score", "skill", "evidence"):
        table.add_column(column, overflow="fold")
    for skill in result.skills:
        table.add_row(f"{skill.score:.2f}", skill.label, skill.evidence[0].text[:100])
    console.print(table)
