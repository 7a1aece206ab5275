"""The ASGI application: API routes under /api/v1 and the server-rendered web UI."""

from __future__ import annotations

from fastapi import FastAPI

from skillpass import __version__
from skillpass.api import (
    routes_attestations,
    routes_auth,
    routes_capabilities,
    routes_community,
    routes_credentials,
    routes_funding,
    routes_intelligence,
    routes_levels,
    routes_matching,
    routes_mobility,
    routes_opportunities,
    routes_passport,
    routes_pathways,
    routes_recognition,
    routes_rpl,
    routes_shares,
    routes_taxonomy,
)
from skillpass.api.errors import install_error_handlers
from skillpass.app import SkillPass
from skillpass.web.app import install_web

__all__ = ["create_api"]

API_DESCRIPTION = """
SkillPass HTTP API. ESCO skills and occupations, the differentiated STEM capability framework,
qualification levels. Errors always have the shape `{"error": {"code", "message", "details"}}`.
Write endpoints need an API token (`Authorization: Bearer <token>`, made with
`skillpass admin create-token`) whose user has the right role.
"""


def create_api(skillpass: SkillPass) -> FastAPI:
    """Build the ASGI app over an already-built SkillPass instance."""
    api = FastAPI(
        title="SkillPass",
        version=__version__,
        description=API_DESCRIPTION,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    api.state.skillpass = skillpass
    install_error_handlers(api)
    for routes in (
        routes_taxonomy,
        routes_capabilities,
        routes_levels,
        routes_auth,
        routes_credentials,
        routes_matching,
        routes_passport,
        routes_attestations,
        routes_rpl,
        routes_shares,
        routes_opportunities,
        routes_funding,
        routes_pathways,
        routes_recognition,
        routes_mobility,
        routes_intelligence,
        routes_community,
    ):
        api.include_router(routes.router, prefix="/api/v1")
    api.include_router(routes_credentials.did_router)
    install_web(api)
    return api
