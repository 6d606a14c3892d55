"""The inbox: every logged-in account's notifications (new quotes, decisions on quotes ...)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from matchmaking import notifications
from matchmaking.clock import now_utc
from matchmaking.permissions import require_account
from web.auth import current_account
from web.render import render


async def inbox(request: Request) -> Response:
    notes = await notifications.inbox(current_account(request))
    return render(request, "inbox/inbox.html", {"notifications": notes})


async def mark_read(request: Request) -> Response:
    """Mark one of the actor's notifications read."""
    account = require_account(current_account(request))
    notification_id = int(request.path_params["notification_id"])
    await notifications.mark_read(account, notification_id, now=now_utc())
    return RedirectResponse("/inbox", status_code=303)


async def mark_all_read(request: Request) -> Response:
    await notifications.mark_read(current_account(request), now=now_utc())
    return RedirectResponse("/inbox", status_code=303)


routes = [
    Route("/inbox", inbox, name="inbox"),
    Route("/inbox/{notification_id:int}/read", mark_read, methods=["POST"], name="mark_read"),
    Route("/inbox/read", mark_all_read, methods=["POST"], name="mark_all_read"),
]
