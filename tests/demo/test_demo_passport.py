"""The synthetic demo passport: a learner with items, an assessor with a case, idempotent."""

from __future__ import annotations

from skillpass.app import SkillPass
from skillpass.demo.service import seed_passport_demo
from skillpass.passport.models import ItemSource


def test_demo_passport_gives_the_learner_items_and_the_assessor_a_case_once(
    skillpass: SkillPass,
) -> None:
    first = seed_passport_demo(skillpass)
    second = seed_passport_demo(skillpass)
    assert first.synthetic
    assert first == second
    learner = skillpass.auth.get_user_by_email("learner@demo.skillpass.example")
    items = skillpass.passport.items(learner)
    assert {item.source for item in items} == {ItemSource.CLAIMED, ItemSource.SELF}
    assert all("synthetic" in item.title for item in items)
    assert [i.verified for i in items if i.source is ItemSource.CLAIMED] == [True]
    assessor = skillpass.auth.get_user_by_email("assessor@demo.skillpass.example")
    queue = skillpass.rpl.queue(assessor)
    assert [case.achievement_title for case in queue] == [
        "Battery module assembly and safety (synthetic demo)"
    ]
    assert skillpass.attestations.for_learner(learner) == []  # only on request (slow matching)
