"""B2B session registration pages: buyers register and exhibitors state availability; the
organiser approves buyers and exports the list."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from matchmaking.errors import NotFound, ValidationFailed
from matchmaking.meetings import registration
from web.auth import current_account, public_url
from web.forms import FormState, keep_typed
from web.render import render


def _session_id(request: Request) -> int:
    return int(request.path_params["session_id"])


async def _form_page(request: Request, form: FormState, chosen: list[str],
                     status_code: int = 200) -> Response:
    page = await registration.registration_page(current_account(request), _session_id(request))
    return render(request, "meetings/register.html", {
        "page": page, "form": form, "chosen": chosen}, status_code=status_code)


async def register(request: Request) -> Response:
    """The form, filled with the registration if any, and its submission."""
    actor = current_account(request)
    if request.method == "GET":
        page = await registration.registration_page(actor, _session_id(request))
        return render(request, "meetings/register.html", {
            "page": page, "form": FormState(page.values), "chosen": page.available})
    form = await request.form()
    chosen = [str(v) for v in form.getlist("available")]
    values = {k: str(v).strip() for k, v in form.items()
              if isinstance(v, str) and k not in ("csrf_token", "available")}
    try:
        await registration.register(actor, _session_id(request), {**values, "available": chosen},
                                    public_url=public_url(request))
    except ValidationFailed as exc:
        return await _form_page(request, keep_typed(values, exc.errors), chosen, 422)
    return RedirectResponse(f"/meetings/sessions/{_session_id(request)}/register?saved=1",
                            status_code=303)


async def participants(request: Request) -> Response:
    """The organiser's list of registrations, with approve and reject."""
    rows = await registration.session_registrations(current_account(request), _session_id(request))
    return render(request, "meetings/participants.html", {"registrations": rows,
                                                         "session": rows.session})


async def participants_csv(request: Request) -> Response:
    rows = await registration.session_registrations(current_account(request), _session_id(request))
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    return Response(registration.registrations_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="session-{rows.session.id}-participants-{stamp}.csv"'})


async def decide(request: Request) -> Response:
    session_id = _session_id(request)
    action = request.path_params["action"]
    if action not in ("approve", "reject"):
        raise NotFound("action")
    await registration.decide(current_account(request), session_id,
                              int(request.path_params["participant_id"]), approve=action == "approve",
                              public_url=public_url(request))
    return RedirectResponse(f"/meetings/sessions/{session_id}/participants?done=1", status_code=303)


SESSION = "/meetings/sessions/{session_id:int}"
routes = [
    Route(f"{SESSION}/register", register, methods=["GET", "POST"], name="meetings_register"),
    Route(f"{SESSION}/participants", participants, name="meetings_participants"),
    Route(f"{SESSION}/participants.csv", participants_csv, name="meetings_participants_csv"),
    Route(f"{SESSION}/participants/{{participant_id:int}}/{{action:str}}", decide,
          methods=["POST"], name="meetings_decide"),
]
