"""One place where errors become responses: HTML for pages, JSON under /api/."""

from __future__ import annotations

import logging
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from config.i18n import gettext as _
from web.render import render

log = logging.getLogger(__name__)


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Please log in first."),
        403: _("You are not allowed to do this."),
        404: _("This page does not exist."),
        405: _("This method is not allowed here."),
        413: _("The upload is too large."),
        422: _("Some fields need correcting."),
        500: _("Something went wrong on our side. Please try again."),
        503: _("The service is temporarily unavailable."),
    }


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/healthz"


def error_response(request: Request, status_code: int, *, csrf: bool = False) -> Response:
    message = _messages().get(status_code, _messages()[500])
    if csrf:
        message = _("Your form has expired. Reload the page and try again.")
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=status_code)
    return render(
        request, "pages/error.html", {"status_code": status_code, "message": message}, status_code
    )


async def http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(request, exc.status_code)


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500)


async def domain_error(request: Request, exc: Exception) -> Response:
    """Domain errors that reach here: 401 (or the login page), 403, 404, 422."""
    from starlette.responses import RedirectResponse

    from matchmaking.errors import Forbidden, NotAuthenticated, NotFound, ValidationFailed

    if isinstance(exc, NotAuthenticated):
        if _wants_json(request):
            return error_response(request, 401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":
            target = "/"
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    if isinstance(exc, Forbidden):
        return error_response(request, 403)
    if isinstance(exc, NotFound):
        return error_response(request, 404)
    if isinstance(exc, ValidationFailed):
        if _wants_json(request):
            return JSONResponse({"error": _messages()[422], "errors": exc.errors}, status_code=422)
        return error_response(request, 422)
    return await server_error(request, exc)


async def body_too_large(request: Request, exc: Exception) -> Response:
    return error_response(request, 413)
