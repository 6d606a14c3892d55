"""The organiser moves an exhibitor on the floor plan: tap the exhibitor's booth (or choose it
from the list), tap its new booths, confirm. Plain links and one form: no script needed."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from matchmaking.errors import ValidationFailed
from matchmaking.fairs import adjust as fairs_adjust
from matchmaking.fairs import fairs
from matchmaking.fairs import moving as fairs_moving
from matchmaking.fairs.plan import BoothCell
from web.auth import current_account, public_url
from web.render import render


def _exhibitor(value: str | None) -> int | None:
    """The application id in a query or form field; anything but digits is a bad request."""
    if value is None or value == "":
        return None
    if not value.isdigit() or len(value) > 12:
        raise HTTPException(400)
    return int(value)


def _codes(value: str) -> list[str]:
    return [code.strip() for code in value.replace(";", ",").split(",") if code.strip()]


async def _page(request: Request, fair_id: int, exhibitor: int | None, picks: list[str],
                error: str = "", status_code: int = 200) -> Response:
    actor = current_account(request)
    try:
        page = await fairs_moving.move_plan(actor, fair_id, application_id=exhibitor, picks=picks)
    except ValidationFailed as exc:
        error, status_code = " ".join(exc.errors.values()), 422
        page = await fairs_moving.move_plan(actor, fair_id, application_id=exhibitor)
    base = f"/organiser/fairs/{fair_id}/allocation/plan"

    def tap_url(cell: BoothCell) -> str | None:
        tapped = page.tap(cell)
        if tapped is None:
            return None
        application_id, after = tapped
        query = {"exhibitor": str(application_id), **({"pick": ",".join(after)} if after else {})}
        # Once the last booth is tapped, the page opens at the button that confirms the move.
        ready = page.moving is not None and len(after) == page.moving.booths_wanted
        return f"{base}?{urlencode(query)}#{'move' if ready else 'cell-' + cell.code}"

    moved = request.query_params.get("moved", "")
    return render(request, "fairs/move_plan.html", {
        "fair": page.fair, "page": page, "plan": page.plan, "moving": page.moving,
        "tap_url": tap_url, "error": error, "base": base, "is_owner": True,
        "moved": next((m for m in page.movers if str(m.application_id) == moved), None),
    }, status_code=status_code)


async def move_on_plan(request: Request) -> Response:
    fair_id = (await fairs.own_fair(current_account(request), int(request.path_params["fair_id"]))).id
    if request.method == "GET":
        return await _page(request, fair_id, _exhibitor(request.query_params.get("exhibitor")),
                           _codes(request.query_params.get("pick", "")))
    form = await request.form()
    exhibitor = _exhibitor(str(form.get("exhibitor", "")))
    codes = _codes(str(form.get("booths", "")))
    if exhibitor is None:
        raise HTTPException(400)
    try:
        await fairs_adjust.move_exhibitor(current_account(request), fair_id, exhibitor, codes,
                                          public_url=public_url(request))
    except ValidationFailed as exc:
        return await _page(request, fair_id, exhibitor, [], " ".join(exc.errors.values()), 422)
    return RedirectResponse(f"/organiser/fairs/{fair_id}/allocation/plan?moved={exhibitor}",
                            status_code=303)


routes = [
    Route("/organiser/fairs/{fair_id:int}/allocation/plan", move_on_plan, methods=["GET", "POST"],
          name="move_on_plan"),
]
