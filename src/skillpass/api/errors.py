"""The one mapping from :class:`~skillpass.errors.SkillPassError` to a JSON error envelope."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from skillpass.errors import SkillPassError

__all__ = ["ErrorBody", "ErrorEnvelope", "install_error_handlers"]


class ErrorBody(BaseModel):
    """What went wrong: a stable code, a message for people, structured details."""

    code: str
    message: str
    details: dict[str, object] = {}


class ErrorEnvelope(BaseModel):
    """Every error response of the API has this shape."""

    error: ErrorBody


def _envelope(status: int, code: str, message: str, details: dict[str, object]) -> JSONResponse:
    body = ErrorEnvelope(error=ErrorBody(code=code, message=message, details=details))
    return JSONResponse(status_code=status, content=body.model_dump(mode="json"))


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn errors into the envelope."""

    @app.exception_handler(SkillPassError)
    async def _skillpass_error(_request: Request, error: SkillPassError) -> JSONResponse:
        headers_needed = error.status_code == 401
        response = _envelope(error.status_code, error.code, error.message, error.details)
        if headers_needed:
            response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
            for e in error.errors()
        ]
        return _envelope(
            422,
            "invalid_input",
            "The request is not valid: "
            + "; ".join(f"{p['field']}: {p['problem']}" for p in problems),
            {"problems": problems},
        )
