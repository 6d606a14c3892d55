"""The organiser's pages: its fairs, their halls and booths, applications and allocation."""

from __future__ import annotations

import json
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from config.i18n import gettext as _
from matchmaking.clock import local_time, now_utc
from matchmaking.enums import BoothKind, ProductGroup, Role
from matchmaking.errors import ValidationFailed
from matchmaking.fairs import adjust as fairs_adjust
from matchmaking.fairs import allocation as fairs_allocation
from matchmaking.fairs import changes as fairs_changes
from matchmaking.fairs import closing as fairs_closing
from matchmaking.fairs import fairs
from matchmaking.fairs import fees as fairs_fees
from matchmaking.fairs import layout as fairs_layout
from matchmaking.fairs import pages as fairs_pages
from matchmaking.fairs import stats as fairs_stats
from matchmaking.fairs.diagnose import allocation_warnings
from matchmaking.models import Fair
from matchmaking.permissions import require_role
from matchmaking.places import province_codes, short_province_name
from web.auth import current_account, public_url
from web.forms import FormState, keep_typed
from web.render import render

RUN_NOW_SECONDS = 20.0
MAX_CSV_BYTES = 1_000_000


def _fair_id(request: Request) -> int:
    return int(request.path_params["fair_id"])


def _choices() -> dict[str, Any]:
    return {
        "groups": [g.value for g in ProductGroup],
        "provinces": [(str(code), short_province_name(code)) for code in province_codes()],
        "kinds": [k.value for k in BoothKind],
    }


async def _multi(request: Request) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Text fields, and the repeated ones (checkbox groups) as lists."""
    form = await request.form()
    lists = {key: [str(v) for v in form.getlist(key)] for key in ("groups_admitted", "zones")}
    values = {k: v.strip() for k, v in form.items()
              if isinstance(v, str) and k != "csrf_token" and k not in lists}
    return values, lists


async def my_fairs(request: Request) -> Response:
    items = await fairs.organiser_fairs(current_account(request))
    return render(request, "fairs/organiser_list.html", {"fairs": items})


def _fair_values(fair: Fair) -> dict[str, str]:
    def moment(value: Any) -> str:
        return local_time(value, "yyyy-MM-dd'T'HH:mm")

    return {
        "name": fair.name, "venue": fair.venue, "province_code": str(fair.province_code),
        "starts_on": fair.starts_on.isoformat(), "ends_on": fair.ends_on.isoformat(),
        "applications_open": moment(fair.applications_open),
        "applications_close": moment(fair.applications_close),
        "booth_fee_vnd": str(fair.booth_fee_vnd), "min_stars": str(fair.min_stars),
        "certified_only": "1" if fair.certified_only else "",
        "province_cap": f"{fair.province_cap * 100:g}" if fair.province_cap else "",
        "first_timer_share": f"{fair.first_timer_share * 100:g}",
        "buyers_auto_approved": "1" if fair.buyers_auto_approved else "",
        "support_share": f"{fair.support_share * 100:g}" if fair.support_share else "",
        "support_amount_vnd": str(fair.support_amount_vnd or ""),
        "support_budget_vnd": str(fair.support_budget_vnd or ""),
    }


def _fair_form(request: Request, form: FormState, groups: list[str], fair: Fair | None = None,
               status_code: int = 200) -> Response:
    return render(request, "fairs/fair_form.html", {
        "form": form, "chosen_groups": groups, "fair": fair, **_choices()},
        status_code=status_code)


async def new_fair(request: Request) -> Response:
    actor = current_account(request)
    if request.method == "GET":
        require_role(actor, Role.ORGANISER)
        return _fair_form(request, FormState({"min_stars": "3", "certified_only": "1",
                                              "first_timer_share": "0"}), [])
    values, lists = await _multi(request)
    data = {**values, "groups_admitted": lists["groups_admitted"],
            "certified_only": values.get("certified_only", ""),
            "buyers_auto_approved": values.get("buyers_auto_approved", "")}
    try:
        fair = await fairs.create_fair(actor, data)
    except ValidationFailed as exc:
        return _fair_form(request, keep_typed(values, exc.errors), lists["groups_admitted"],
                          status_code=422)
    return RedirectResponse(f"/organiser/fairs/{fair.id}", status_code=303)


async def edit_fair(request: Request) -> Response:
    actor = current_account(request)
    fair = await fairs.own_fair(actor, _fair_id(request))
    if request.method == "GET":
        return _fair_form(request, FormState(_fair_values(fair)), list(fair.groups_admitted), fair)
    values, lists = await _multi(request)
    data = {**values, "groups_admitted": lists["groups_admitted"],
            "certified_only": values.get("certified_only", ""),
            "buyers_auto_approved": values.get("buyers_auto_approved", "")}
    try:
        await fairs.update_fair(actor, fair.id, data)
    except ValidationFailed as exc:
        return _fair_form(request, keep_typed(values, exc.errors), lists["groups_admitted"], fair,
                          422)
    return RedirectResponse(f"/organiser/fairs/{fair.id}?saved=1", status_code=303)


async def _manage(request: Request, fair: Fair, *, grid: FormState | None = None,
                  grid_zones: list[str] | None = None, import_errors: dict[str, str] | None = None,
                  errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    page = await fairs_pages.fair_overview(current_account(request), fair.id, now=now_utc())
    halls = page.halls
    return render(request, "fairs/manage.html", {
        "fair": page.fair, "halls": halls, "booth_counts": page.booth_counts,
        "applications": page.applications, "products": page.products, "codes": page.codes,
        "run": page.run, "window": page.window,
        "grid": grid or FormState({"hall": _("Hall A") if not halls else "", "rows": "10",
                                   "columns": "12", "booth_w": "3", "booth_h": "3",
                                   "aisle_every_columns": "4", "aisle_every_rows": "2",
                                   "aisle_width": "2"}),
        "grid_zones": grid_zones or [], "import_errors": import_errors or {},
        "warnings": page.warnings, "errors": errors or {}, **_choices(),
    }, status_code=status_code)


async def manage(request: Request) -> Response:
    fair = await fairs.own_fair(current_account(request), _fair_id(request))
    return await _manage(request, fair)


async def open_fair(request: Request) -> Response:
    actor = current_account(request)
    fair = await fairs.own_fair(actor, _fair_id(request))
    try:
        await fairs.open_fair(actor, fair.id)
    except ValidationFailed as exc:
        return await _manage(request, fair, errors=exc.errors, status_code=422)
    return RedirectResponse(f"/organiser/fairs/{fair.id}", status_code=303)


async def generate(request: Request) -> Response:
    actor = current_account(request)
    fair = await fairs.own_fair(actor, _fair_id(request))
    values, lists = await _multi(request)
    try:
        await fairs_layout.generate_booths(actor, fair.id, {**values, "zones": lists["zones"]})
    except ValidationFailed as exc:
        return await _manage(request, fair, grid=keep_typed(values, exc.errors),
                             grid_zones=lists["zones"], status_code=422)
    return RedirectResponse(f"/organiser/fairs/{fair.id}#halls", status_code=303)


async def import_csv(request: Request) -> Response:
    actor = current_account(request)
    fair = await fairs.own_fair(actor, _fair_id(request))
    form = await request.form()
    upload = form.get("file")
    content = await upload.read(MAX_CSV_BYTES + 1) if isinstance(upload, UploadFile) else b""
    try:
        if not content or len(content) > MAX_CSV_BYTES:
            raise ValidationFailed({"file": _("Choose a CSV file of at most 1 MB.")})
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationFailed({"file": _("Save the file as CSV UTF-8.")}) from None
        await fairs_layout.import_booths(actor, fair.id, str(form.get("hall", "")), text)
    except ValidationFailed as exc:
        return await _manage(request, fair, import_errors=exc.errors, status_code=422)
    return RedirectResponse(f"/organiser/fairs/{fair.id}#halls", status_code=303)


async def run_now(request: Request) -> Response:
    actor = current_account(request)
    fair = await fairs.own_fair(actor, _fair_id(request))
    try:
        await fairs_allocation.run_now(actor, fair.id, time_limit=RUN_NOW_SECONDS)
    except ValidationFailed as exc:
        return await _manage(request, fair, errors=exc.errors, status_code=422)
    return RedirectResponse(f"/organiser/fairs/{fair.id}/allocation", status_code=303)


async def close_now(request: Request) -> Response:
    """Close applications before the deadline, then allocate at once (a draft to review)."""
    actor = current_account(request)
    fair = await fairs.own_fair(actor, _fair_id(request))
    try:
        await fairs_closing.close_applications(actor, fair.id, now=now_utc(),
                                               public_url=public_url(request))
        await fairs_allocation.run_now(actor, fair.id, time_limit=RUN_NOW_SECONDS)
    except ValidationFailed as exc:
        return await _manage(request, await fairs.own_fair(actor, fair.id), errors=exc.errors,
                             status_code=422)
    return RedirectResponse(f"/organiser/fairs/{fair.id}/allocation?closed=1", status_code=303)


async def preview(request: Request) -> Response:
    """What an allocation would give now: nothing saved, nobody notified."""
    actor = current_account(request)
    fair = await fairs.own_fair(actor, _fair_id(request))
    try:
        result = await fairs_closing.preview_allocation(actor, fair.id, time_limit=RUN_NOW_SECONDS)
    except ValidationFailed as exc:
        return await _manage(request, fair, errors=exc.errors, status_code=422)
    return render(request, "fairs/preview.html", {"fair": fair, "preview": result})


async def export_instance(request: Request) -> Response:
    fair = await fairs.own_fair(current_account(request), _fair_id(request))
    instance = await fairs_allocation.build_instance(fair)
    return Response(json.dumps(instance, ensure_ascii=False, indent=1),
                    media_type="application/json", headers={
                        "Content-Disposition": f'attachment; filename="fair-{fair.id}-booths.json"'})


async def _review(request: Request, fair: Fair, errors: dict[str, str] | None = None,
                  status_code: int = 200, typed: str = "") -> Response:
    page = await fairs_pages.allocation_review(current_account(request), fair.id)
    return render(request, "fairs/review.html", {
        "fair": page.fair, "run": page.run, "accepted": page.accepted,
        "waitlisted": page.waitlisted, "codes": page.codes, "free": page.free,
        "products": page.products, "errors": errors or {}, "reasons": page.reasons,
        "typed": typed,
    }, status_code=status_code)


async def review(request: Request) -> Response:
    fair = await fairs.own_fair(current_account(request), _fair_id(request))
    return await _review(request, fair)


async def move(request: Request) -> Response:
    actor = current_account(request)
    fair = await fairs.own_fair(actor, _fair_id(request))
    application_id = int(request.path_params["application_id"])
    form = await request.form()
    codes = [c for c in str(form.get("booths", "")).replace(";", ",").split(",")]
    try:
        await fairs_adjust.move_exhibitor(actor, fair.id, application_id, codes,
                                          public_url=public_url(request))
    except ValidationFailed as exc:
        errors = {f"move-{application_id}": " ".join(exc.errors.values())}
        return await _review(request, fair, errors, 422, typed=", ".join(codes))
    return RedirectResponse(f"/organiser/fairs/{fair.id}/allocation?moved=1", status_code=303)


async def payment(request: Request) -> Response:
    """The organiser sets an exhibitor's payment status: due, paid or waived."""
    actor = current_account(request)
    fair_id = _fair_id(request)
    form = await request.form()
    await fairs_fees.set_payment(actor, fair_id, int(request.path_params["application_id"]),
                                 str(form.get("payment_status", "")))
    return RedirectResponse(f"/organiser/fairs/{fair_id}/allocation?paid=1", status_code=303)


async def remind(request: Request) -> Response:
    """Remind every exhibitor whose booth fee is still due."""
    told = await fairs_fees.remind_unpaid(current_account(request), _fair_id(request),
                                          public_url=public_url(request))
    return RedirectResponse(f"/organiser/fairs/{_fair_id(request)}/allocation?reminded={told}",
                            status_code=303)


async def cancel(request: Request) -> Response:
    actor = current_account(request)
    fair = await fairs.own_fair(actor, _fair_id(request))
    await fairs_changes.cancel_by_organiser(actor, fair.id, int(request.path_params["application_id"]),
                                           public_url=public_url(request))
    return RedirectResponse(f"/organiser/fairs/{fair.id}/allocation?cancelled=1", status_code=303)


async def publish(request: Request) -> Response:
    actor = current_account(request)
    fair = await fairs.own_fair(actor, _fair_id(request))
    try:
        await fairs_allocation.publish_allocation(actor, fair.id, public_url=public_url(request))
    except ValidationFailed as exc:
        return await _review(request, fair, exc.errors, 422)
    return RedirectResponse(f"/fairs/{fair.id}/plan?published=1", status_code=303)


async def dashboard(request: Request) -> Response:
    fair = await fairs.own_fair(current_account(request), _fair_id(request))
    return render(request, "fairs/dashboard.html", {
        "fair": fair, "figures": await fairs_stats.dashboard(fair),
        "warnings": await allocation_warnings(fair)})


FAIR = "/organiser/fairs/{fair_id:int}"
routes = [
    Route("/organiser/fairs", my_fairs, name="organiser_fairs"),
    Route("/organiser/fairs/new", new_fair, methods=["GET", "POST"], name="new_fair"),
    Route(FAIR, manage, name="manage_fair"),
    Route(f"{FAIR}/edit", edit_fair, methods=["GET", "POST"], name="edit_fair"),
    Route(f"{FAIR}/open", open_fair, methods=["POST"], name="open_fair"),
    Route(f"{FAIR}/halls/generate", generate, methods=["POST"], name="generate_booths"),
    Route(f"{FAIR}/halls/import", import_csv, methods=["POST"], name="import_booths"),
    Route(f"{FAIR}/allocation", review, name="review_allocation"),
    Route(f"{FAIR}/allocation/run", run_now, methods=["POST"], name="run_allocation"),
    Route(f"{FAIR}/close", close_now, methods=["POST"], name="close_applications"),
    Route(f"{FAIR}/allocation/preview", preview, methods=["POST"], name="preview_allocation"),
    Route(f"{FAIR}/allocation/publish", publish, methods=["POST"], name="publish_allocation"),
    Route(f"{FAIR}/instance.json", export_instance, name="fair_instance"),
    Route(f"{FAIR}/dashboard", dashboard, name="fair_dashboard"),
    Route(f"{FAIR}/applications/{{application_id:int}}/payment", payment, methods=["POST"],
          name="set_payment"),
    Route(f"{FAIR}/payments/remind", remind, methods=["POST"], name="remind_payments"),
    Route(f"{FAIR}/applications/{{application_id:int}}/move", move, methods=["POST"],
          name="move_exhibitor"),
    Route(f"{FAIR}/applications/{{application_id:int}}/cancel", cancel, methods=["POST"],
          name="cancel_application"),
]
