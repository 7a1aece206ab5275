"""Shared set-up for community tests: members and two complementary organisations."""

from __future__ import annotations

from skillpass.app import SkillPass
from skillpass.auth.models import Role, User
from skillpass.community.models import CommunityRole, Offering, Profile, ProfileCreate

PASSWORD = "correct horse battery"


def person(app: SkillPass, email: str, *roles: Role) -> User:
    """A user (a learner unless roles are given)."""
    return app.auth.create_user(
        email, email.split("@")[0].title(), PASSWORD, roles or [Role.LEARNER]
    )


def employer(app: SkillPass, member: User) -> Profile:
    """Voltcell AB (SE232, C27) needs batteries and training places."""
    return app.community.organisations.join(
        member,
        ProfileCreate(
            role=CommunityRole.EMPLOYER,
            sectors=["C27"],
            regions=["SE232"],
            needs=Offering(capability_areas=["batteries"], services=["training places"]),
            offers=Offering(services=["work placements"]),
            contact_email="hr@voltcell.example",
        ),
        name="Voltcell AB",
        country="SE",
        region="SE232",
    )


def college(app: SkillPass, member: User) -> Profile:
    """Göteborg Technical College (SE232) offers batteries and training places."""
    return app.community.organisations.join(
        member,
        ProfileCreate(
            role=CommunityRole.VET_PROVIDER,
            sectors=["P85.3"],
            regions=["SE232"],
            offers=Offering(capability_areas=["batteries"], services=["training places"]),
            contact_email="dean@college.example",
        ),
        name="Göteborg Technical College",
        country="SE",
        region="SE232",
    )
