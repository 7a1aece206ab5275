"""Public ids are safe on command lines and in URLs."""

from __future__ import annotations

import re

from skillpass.ids import new_public_id


def test_public_ids_never_start_with_a_dash_and_need_no_escaping() -> None:
    ids = {new_public_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert all(re.fullmatch(r"[a-z2-7]{16}", value) for value in ids)
