"""The home page, the language switch and the health endpoint."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from tortoise import connections

from config import i18n
from matchmaking.accounts.next_steps import next_steps
from matchmaking.clock import today_in_vietnam
from web.auth import current_account, set_language_cookie
from web.render import render


async def home(request: Request) -> Response:
    """The public landing page; after sign-in it starts with what the account should do next."""
    today = today_in_vietnam()
    account = current_account(request)
    steps = await next_steps(account, today=today) if account else None
    counts = await request.app.state.home_counts.get(today=today)
    return render(request, "pages/home.html", {"counts": counts, "steps": steps})


def safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect would let a link send users anywhere.
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


async def set_language(request: Request) -> Response:
    language = request.path_params["language"]
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    if language in i18n.LANGUAGES:
        set_language_cookie(response, request, language)
    return response


async def _database_ok() -> bool:
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:  # any failure means "not ok"; the reason is logged by the driver
        return False
    return True


async def healthz(request: Request) -> Response:
    search = request.app.state.search
    database_ok = await _database_ok()
    search_ok = search is not None and await search.ahealthy()
    body = {
        "status": "ok" if database_ok and search_ok else "degraded",
        "database": "ok" if database_ok else "unavailable",
        "search": "ok" if search_ok else "unavailable",
    }
    return JSONResponse(body, status_code=200 if database_ok else 503)
