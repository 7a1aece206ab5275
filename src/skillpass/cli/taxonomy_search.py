"""``skillpass taxonomy search`` and ``skillpass taxonomy show``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from skillpass.cli._common import console, open_app, print_json
from skillpass.cli.taxonomy import taxonomy_app
from skillpass.taxonomy.models import Concept, ConceptType

__all__ = ["taxonomy_app"]


@taxonomy_app.command("search")
def search(
    query: Annotated[str, typer.Argument(help="Words to look for; typos are tolerated.")],
    concept_type: Annotated[
        ConceptType | None,
        typer.Option("--type", help="Only 'skill' or only 'occupation'."),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Only labels in this language, e.g. de.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100, help="Most hits.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="JSON list on stdout.")] = False,
) -> None:
    """Search ESCO skills and occupations by label, alternative label and description.

    JSON output is a list of objects with uri, label, type, score, matched_label, lang.

    Example: skillpass taxonomy search "pyhton programing" --type skill --limit 5
    """
    if concept_type not in (None, ConceptType.SKILL, ConceptType.OCCUPATION):
        raise typer.BadParameter("--type must be 'skill' or 'occupation'.")
    app = open_app()
    hits = app.taxonomy.search(query, concept_type=concept_type, lang=lang, limit=limit)
    if as_json:
        print_json(hits)
        return
    if not hits:
        console.print(f"No concept matches '{query}'. Try fewer or other words.")
        return
    table = Table(title=f"Search: {query}", caption="Show one: skillpass taxonomy show ID")
    for column in ("score", "type", "label", "matched label", "lang"):
        table.add_column(column, overflow="fold")
    table.add_column("id", no_wrap=True)
    for hit in hits:
        matched = "" if hit.matched_label == hit.label else hit.matched_label
        short_id = hit.uri.rsplit("/", 1)[-1]
        table.add_row(f"{hit.score:.3f}", hit.type.value, hit.label, matched, hit.lang, short_id)
    console.print(table)


@taxonomy_app.command("show")
def show(
    uri: Annotated[str, typer.Argument(help="ESCO URI, or the id at its end.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON object on stdout.")] = False,
) -> None:
    """Show a skill or occupation with its groups, relations and capability areas.

    Example: skillpass taxonomy show http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d
    """
    concept = open_app().taxonomy.get_concept(uri)
    if as_json:
        print_json(concept)
        return
    _print_concept(concept)


def _print_concept(concept: Concept) -> None:
    console.print(f"[bold]{concept.label}[/]  ({concept.type.value}, ESCO {concept.version})")
    console.print(concept.uri)
    facts = {
        "skill type": concept.skill_type,
        "reuse level": concept.reuse_level,
        "ISCO-08 group": concept.isco_group,
        "code": concept.code,
        "regulated profession": concept.regulated_note,
    }
    for name, value in facts.items():
        if value:
            console.print(f"{name}: {value}")
    if concept.description:
        console.print(f"\n{concept.description}\n")
    english = concept.labels.get("en")
    if english and english.alt:
        console.print("Also called: " + "; ".join(english.alt[:15]))
    others = sorted(lang for lang in concept.labels if lang != "en")
    for lang in others:
        console.print(f"[{lang}] " + "; ".join(concept.labels[lang].preferred))
    if concept.broader:
        console.print("Broader: " + "; ".join(b.label for b in concept.broader))
    if concept.collections:
        console.print("Collections: " + ", ".join(concept.collections))
    if concept.capability_areas:
        console.print(
            "Capability areas: "
            + ", ".join(f"{a.label} ({a.rule})" for a in concept.capability_areas)
        )
    for title, related in (
        ("Skills", concept.skills),
        ("Occupations needing it", concept.occupations),
        ("Related skills", concept.related_skills),
    ):
        if related:
            table = Table(title=f"{title} ({len(related)})")
            table.add_column("relation")
            table.add_column("label")
            for item in related[:60]:
                table.add_row(item.relation_type, item.label)
            console.print(table)
