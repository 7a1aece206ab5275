"""The ASGI application: API routes under /api/v1 and the server-rendered web UI.

At startup (``SKILLPASS_WARM_UP_ON_START``, on by default) a background thread loads or builds the
label search index and then starts the matching engine's warm-up
(:meth:`~skillpass.matching.MatchingService.warm_up_in_background`), so the first visitors do not
wait for them; startup itself does not wait. See ``docs/matching.md`` ("Cold start").
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
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
from skillpass.errors import TaxonomyNotLoaded
from skillpass.web.app import install_web

__all__ = ["create_api"]

_log = logging.getLogger(__name__)
#: Seconds shutdown waits for the startup warm-up thread (it only loads the label search index
#: and starts the matching warm-up, which ``SkillPass.close`` stops).
_WARM_UP_JOIN_SECONDS = 30.0

API_DESCRIPTION = """
SkillPass HTTP API. ESCO skills and occupations, the differentiated STEM capability framework,
qualification levels. Errors always have the shape `{"error": {"code", "message", "details"}}`.
Write endpoints need an API token (`Authorization: Bearer <token>`, made with
`skillpass admin create-token`) whose user has the right role.
"""


def _warm_up(skillpass: SkillPass) -> None:
    """Load or build the label search index, then start the matching warm-up (its own thread).

    One after the other, not side by side: both builds are CPU-bound Python, and the label
    search (the skill picker's fallback) is ready in seconds this way.
    """
    try:
        skillpass.taxonomy.search("warm up", limit=1)
    except TaxonomyNotLoaded:
        return  # nothing to prepare; the first matching request tries again
    except Exception:  # a page's own search reports the problem
        _log.warning("warming up the label search failed", exc_info=True)
    skillpass.matching.warm_up_in_background()


@asynccontextmanager
async def _lifespan(api: FastAPI) -> AsyncIterator[None]:
    """Start the warm-up without waiting for it; at shutdown, wait for its short first thread."""
    skillpass: SkillPass = api.state.skillpass
    thread: threading.Thread | None = None
    if skillpass.settings.warm_up_on_start:
        thread = threading.Thread(
            target=_warm_up, args=(skillpass,), name="skillpass-start-warm-up", daemon=True
        )
        thread.start()
    yield
    if thread is not None:
        await anyio.to_thread.run_sync(thread.join, _WARM_UP_JOIN_SECONDS)


def create_api(skillpass: SkillPass) -> FastAPI:
    """Build the ASGI app over an already-built SkillPass instance.

    Serving it (Uvicorn, or a ``TestClient`` used as a context manager) runs its lifespan: the
    indexes are warmed up in the background when ``settings.warm_up_on_start`` is set.
    """
    api = FastAPI(
        title="SkillPass",
        version=__version__,
        description=API_DESCRIPTION,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        lifespan=_lifespan,
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
