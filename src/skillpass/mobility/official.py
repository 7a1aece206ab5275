"""Import of official aggregate statistics (national or Eurostat tables) to sit beside the
platform's released flows.

The format is a UTF-8 CSV with a header row and the columns::

    origin,destination,field,year,count,source
    IN,DE,ICT,2024,15230,Destatis 12521-0002
    DE,AT,ENG,2024,2100,Statistik Austria

``origin`` and ``destination`` are ISO 3166-1 alpha-2 codes (or an aggregate such as ``EU27``,
up to 8 characters); ``field`` names the field of study or capability area as the source does
(up to 64 characters); ``count`` is the published figure (people, not noised: it is already
public). ``source`` may be left out of the file when ``default_source`` is given. Every row is
checked first; with any problem, all problems are listed (with line numbers) and nothing is
imported. Importing the same (source, origin, destination, field, year) again replaces it.
"""

from __future__ import annotations

import csv
import io

from pydantic import ValidationError

from skillpass.errors import InvalidInput
from skillpass.mobility.models import OfficialFlow

__all__ = ["MAX_OFFICIAL_BYTES", "parse_official_csv"]

#: Largest official-statistics file accepted.
MAX_OFFICIAL_BYTES = 20 * 1024 * 1024
_REQUIRED = ("origin", "destination", "field", "year", "count")


def parse_official_csv(data: bytes, *, default_source: str | None = None) -> list[OfficialFlow]:
    """Read and check an official-statistics CSV.

    Args:
        data: The file's bytes.
        default_source: Source for rows without one (e.g. the file name).

    Returns:
        The rows.

    Raises:
        InvalidInput: Too large, not UTF-8, missing columns, or rows that do not check (all are
            listed in ``details["problems"]``).
    """
    if len(data) > MAX_OFFICIAL_BYTES:
        raise InvalidInput(
            f"The file is over {MAX_OFFICIAL_BYTES // (1024 * 1024)} MB; split it by year."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput("The file is not UTF-8 text; save it as UTF-8 CSV.") from error
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in _REQUIRED if name not in header]
    if "source" not in header and not default_source:
        missing.append("source")
    if missing:
        raise InvalidInput(
            f"The CSV lacks the column(s) {', '.join(missing)}; the header must be "
            "origin,destination,field,year,count,source.",
            details={"missing": missing},
        )
    flows: list[OfficialFlow] = []
    problems: list[str] = []
    for line, raw in enumerate(reader, start=2):
        row = {str(k).strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        try:
            flows.append(
                OfficialFlow(
                    source=row.get("source") or default_source or "",
                    origin=row["origin"].upper(),
                    destination=row["destination"].upper(),
                    field=row["field"],
                    year=int(row["year"]),
                    count=float(row["count"].replace(",", "")),
                )
            )
        except (ValidationError, ValueError) as error:
            reason = (
                "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in error.errors())
                if isinstance(error, ValidationError)
                else "year and count must be numbers"
            )
            problems.append(f"line {line}: {reason}")
    if problems:
        raise InvalidInput(
            f"{len(problems)} row(s) do not check, so nothing was imported: "
            + "; ".join(problems[:5])
            + ("; …" if len(problems) > 5 else ""),
            details={"problems": problems[:200]},
        )
    if not flows:
        raise InvalidInput("The CSV has a header but no rows.")
    return flows
