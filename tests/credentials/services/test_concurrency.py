"""Random status-index allocation is safe under concurrency, on SQLite and PostgreSQL.

Threads issue in parallel; every credential must hold a distinct (list, index). To make clashes
likely rather than lucky, one run squeezes lists to 64 bits (half used at most), so concurrent
writers keep picking the same indices and must retry.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from skillpass.app import SkillPass, build
from skillpass.credentials import issuance
from tests.conftest import make_settings

from .conftest import EXAMPLE

WORKERS = 8
PER_WORKER = 10


def _issue_in_parallel(app: SkillPass) -> list[tuple[str, int]]:
    issuer = app.issuers.create(name="Parallel Polytechnic", country="NL", kind="university")
    achievement = app.achievements.create_from_file(issuer.id, EXAMPLE)

    def worker(number: int) -> list[str]:
        return [
            app.credentials.issue(
                achievement.id, f"learner{number}-{i}@example.org", format="ob3-jwt"
            ).id
            for i in range(PER_WORKER)
        ]

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        ids = [cid for chunk in pool.map(worker, range(WORKERS)) for cid in chunk]
    assert len(set(ids)) == WORKERS * PER_WORKER
    return app.credentials.repository.all_status_indices()


def _assert_no_index_reused(slots: list[tuple[str, int]]) -> None:
    assert len(slots) == WORKERS * PER_WORKER
    reused = [slot for slot, count in Counter(slots).items() if count > 1]
    assert reused == []


@pytest.fixture
def small_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    """64-bit lists filled to half: parallel writers clash often and new lists open."""
    monkeypatch.setattr(issuance, "STATUS_LIST_SIZE", 64)
    monkeypatch.setattr(issuance, "MAX_FILL", 0.5)


def test_parallel_issuance_never_reuses_an_index_on_sqlite(skillpass: SkillPass) -> None:
    _assert_no_index_reused(_issue_in_parallel(skillpass))


def test_parallel_issuance_on_tiny_lists_retries_clashes_on_sqlite(
    skillpass: SkillPass, small_lists: None
) -> None:
    slots = _issue_in_parallel(skillpass)
    _assert_no_index_reused(slots)
    assert all(0 <= index < 64 for _, index in slots)
    assert len({list_id for list_id, _ in slots}) >= 2  # full lists were closed, new ones opened


@pytest.mark.postgres
@pytest.mark.parametrize("tiny", [False, True], ids=["full-size", "tiny-lists"])
def test_parallel_issuance_never_reuses_an_index_on_postgres(
    postgres_schema_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny: bool
) -> None:
    if tiny:
        monkeypatch.setattr(issuance, "STATUS_LIST_SIZE", 64)
        monkeypatch.setattr(issuance, "MAX_FILL", 0.5)
    app = build(make_settings(tmp_path, database_url=postgres_schema_url))
    try:
        _assert_no_index_reused(_issue_in_parallel(app))
    finally:
        app.close()
