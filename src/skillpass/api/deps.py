"""FastAPI dependencies as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from skillpass.app import SkillPass

__all__ = ["AppDep", "get_skillpass"]


def get_skillpass(request: Request) -> SkillPass:
    """The SkillPass instance the ASGI app was built with."""
    skillpass: SkillPass = request.app.state.skillpass
    return skillpass


AppDep = Annotated[SkillPass, Depends(get_skillpass)]
