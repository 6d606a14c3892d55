"""Public fair pages: the list, a fair, its floor plan and booth panels, the exhibitor directory;
and the producer's application form."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from matchmaking.catalogue.products import own_producer
from matchmaking.clock import now_utc, today_in_vietnam
from matchmaking.errors import ValidationFailed
from matchmaking.fairs import applications as fairs_applications
from matchmaking.fairs import changes as fairs_changes
from matchmaking.fairs import fairs
from matchmaking.fairs import pages as fairs_pages
from matchmaking.fairs import plan as fairs_plan
from matchmaking.fairs.policy import zones_for
from matchmaking.models import Fair
from matchmaking.places import short_province_name
from web.auth import current_account, public_url
from web.forms import FormState
from web.labels import zone_label
from web.render import render

PREFERENCE_SLOTS = fairs_applications.MAX_PREFERENCES


def _fair_id(request: Request) -> int:
    return int(request.path_params["fair_id"])


async def fair_list(request: Request) -> Response:
    items = await fairs.list_fairs(today=today_in_vietnam())
    return render(request, "fairs/list.html", {"fairs": items, "today": today_in_vietnam()})


async def fair_page(request: Request) -> Response:
    page = await fairs_pages.fair_page(current_account(request), _fair_id(request), now=now_utc())
    return render(request, "fairs/fair.html", {
        "fair": page.fair, "province": short_province_name(page.fair.province_code),
        "window": page.window, "application": page.application, "my_booths": page.my_booths,
        "is_owner": page.is_owner, "plan": page.plan, "reason": page.reason,
    })


async def plan_page(request: Request) -> Response:
    actor = current_account(request)
    fair = await fairs.visible_fair(actor, _fair_id(request))
    return render(request, "fairs/plan.html", {
        "fair": fair, "plan": await fairs_plan.floor_plan(fair, actor),
        "is_owner": fairs.is_owner(actor, fair),
    })


async def booth_page(request: Request) -> Response:
    actor = current_account(request)
    fair = await fairs.visible_fair(actor, _fair_id(request))
    panel = await fairs_plan.booth_panel(fair, request.path_params["code"], actor)
    return render(request, "fairs/booth.html", {
        "fair": fair, "panel": panel, "is_owner": fairs.is_owner(actor, fair),
        "visible": fairs_plan.assignments_visible(fair, actor),
        "province": short_province_name(panel.exhibitor.province_code) if panel.exhibitor else "",
    })


async def directory_page(request: Request) -> Response:
    actor = current_account(request)
    fair = await fairs.visible_fair(actor, _fair_id(request))
    return render(request, "fairs/directory.html", {
        "fair": fair, "entries": await fairs_plan.directory(fair, actor),
        "visible": fairs_plan.assignments_visible(fair, actor),
    })


async def directory_csv(request: Request) -> Response:
    actor = current_account(request)
    fair = await fairs.visible_fair(actor, _fair_id(request))
    body = fairs_plan.directory_csv(await fairs_plan.directory(fair, actor), zone_label=zone_label)
    return Response(body, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="fair-{fair.id}-exhibitors.csv"'})


async def _apply_form(request: Request, fair: Fair, form: FormState | None = None,
                      chosen: list[str] | None = None, preferences: list[str] | None = None,
                      status_code: int = 200, page: fairs_pages.ApplyForm | None = None) -> Response:
    """The form; without `form` it shows the producer's current application, if any."""
    page = page or await fairs_pages.apply_form(current_account(request), fair, now=now_utc())
    if form is None:
        application = page.application
        form = FormState({"booths_wanted": str(application.booths_wanted if application else 1)})
        chosen, preferences = page.chosen, list(application.preferences) if application else []
    preferences = preferences or []
    by_code = {booth.code: booth for booth in page.booths}
    ticked = [p for p in page.products if str(p.id) in (chosen or [])]
    zones = fairs_applications.possible_zones(
        ticked, [p for p in page.products if page.problems.get(p.id) is None])
    return render(request, "fairs/apply.html", {
        "fair": fair, "form": form, "products": page.products, "problems": page.problems,
        "chosen": chosen or [], "preferences": [by_code[c] for c in preferences if c in by_code],
        "max_preferences": PREFERENCE_SLOTS,
        "booths": page.booths, "plan": fairs_plan.mark_preferences(page.plan, preferences, zones),
        "window": page.window,
    }, status_code=status_code)


async def apply(request: Request) -> Response:
    actor = current_account(request)
    await own_producer(actor)
    fair = await fairs.visible_fair(actor, _fair_id(request))
    if request.method == "GET":
        return await _apply_form(request, fair)
    form = await request.form()
    chosen = [str(v) for v in form.getlist("products")]
    preferences = [str(form.get(f"pref_{i}", "")).strip() for i in range(1, PREFERENCE_SLOTS + 1)]
    preferences = [p for p in preferences if p]
    data: dict[str, Any] = {"products": chosen, "preferences": preferences,
                            "booths_wanted": str(form.get("booths_wanted", "1"))}
    tap = {key: str(form.get(key, "")) for key in ("add", "remove", "up") if key in form}
    if tap:
        return await _edit_preferences(request, fair, data, tap)
    try:
        await fairs_applications.apply_for_booths(actor, fair.id, data, now=now_utc())
    except ValidationFailed as exc:
        state = FormState({"booths_wanted": data["booths_wanted"]}, exc.errors)
        return await _apply_form(request, fair, state, chosen, preferences, 422)
    return RedirectResponse(f"/fairs/{fair.id}?applied=1", status_code=303)


async def _edit_preferences(request: Request, fair: Fair, data: dict[str, Any],
                            tap: dict[str, str]) -> Response:
    """A tap on the plan (or the add button): the same form again, with the preferences changed
    and everything else as typed; nothing is saved until the producer sends the form."""
    form = await request.form()
    if tap.get("add") == "":
        tap["add"] = str(form.get("add_code", ""))
    state = FormState({"booths_wanted": data["booths_wanted"]})
    page = await fairs_pages.apply_form(current_account(request), fair, now=now_utc())
    ticked = [p for p in page.products if str(p.id) in data["products"]]
    try:
        preferences = fairs_applications.edit_preferences(
            data["preferences"], {booth.code: booth.zone for booth in page.booths}, **tap,
            allowed=zones_for(ticked) if ticked else None)
    except ValidationFailed as exc:
        state = FormState({"booths_wanted": data["booths_wanted"]}, exc.errors)
        return await _apply_form(request, fair, state, data["products"], data["preferences"], 422,
                                 page)
    return await _apply_form(request, fair, state, data["products"], preferences, page=page)


async def withdraw(request: Request) -> Response:
    fair_id = _fair_id(request)
    await fairs_changes.withdraw_application(current_account(request), fair_id, now=now_utc(),
                                             public_url=public_url(request))
    return RedirectResponse(f"/fairs/{fair_id}?withdrawn=1", status_code=303)


routes = [
    Route("/fairs", fair_list, name="fairs"),
    Route("/fairs/{fair_id:int}", fair_page, name="fair"),
    Route("/fairs/{fair_id:int}/plan", plan_page, name="fair_plan"),
    Route("/fairs/{fair_id:int}/booths/{code}", booth_page, name="fair_booth"),
    Route("/fairs/{fair_id:int}/directory", directory_page, name="fair_directory"),
    Route("/fairs/{fair_id:int}/directory.csv", directory_csv, name="fair_directory_csv"),
    Route("/fairs/{fair_id:int}/apply", apply, methods=["GET", "POST"], name="fair_apply"),
    Route("/fairs/{fair_id:int}/withdraw", withdraw, methods=["POST"], name="fair_withdraw"),
]
