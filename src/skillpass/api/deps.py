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


# --- authentication (OWNED BY: auth work; these signatures are the contract) ----------------
# CurrentUser = Annotated[User, Depends(current_user)]      -> 401 without a valid Bearer token
# def require_roles(*roles: Role) -> Callable[..., User]
#     use as Depends(require_roles(Role.ADMIN))
