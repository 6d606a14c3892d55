"""Results pages: a meeting's result, passes and check-in, a fair's results report, on-site
sales, and the programme's sums across fairs."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from matchmaking.clock import now_utc
from matchmaking.enums import ResultKind
from matchmaking.errors import NotFound, ValidationFailed
from matchmaking.fairs import results as fair_results
from matchmaking.fairs.results_xlsx import results_workbook
from matchmaking.meetings import checkin
from matchmaking.meetings import results as meeting_results
from web.auth import current_account
from web.forms import FormState, keep_typed, read_form
from web.labels import group_label, result_kind_label
from web.render import render

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _int(request: Request, name: str) -> int:
    return int(request.path_params[name])


async def _result_page(request: Request, form: FormState | None = None,
                       status_code: int = 200) -> Response:
    page = await meeting_results.result_form(current_account(request), _int(request, "meeting_id"),
                                             now=now_utc())
    if form is None:
        mine = page.mine
        form = FormState({} if mine is None else {
            "kind": str(mine.kind), "product": mine.product,
            "value_vnd": "" if mine.value_vnd is None else str(mine.value_vnd),
            "quantity": "" if mine.quantity is None else str(mine.quantity),
            "demand_id": "" if mine.demand_id is None else str(mine.demand_id)})
    return render(request, "meetings/result.html", {
        "page": page, "form": form, "kinds": [k.value for k in ResultKind]},
        status_code=status_code)


async def meeting_result(request: Request) -> Response:
    """One side records what came of a meeting: kind, value, product, the demand it answers."""
    if request.method == "GET":
        return await _result_page(request)
    values = await read_form(request)
    try:
        await meeting_results.record_result(current_account(request), _int(request, "meeting_id"),
                                            values, now=now_utc())
    except ValidationFailed as exc:
        return await _result_page(request, keep_typed(values, exc.errors), 422)
    return RedirectResponse("/meetings/agenda?recorded=1", status_code=303)


async def my_pass(request: Request) -> Response:
    mine = await checkin.my_pass(current_account(request), _int(request, "session_id"))
    return render(request, "meetings/pass.html", {"participant": mine,
                                                  "session_id": _int(request, "session_id")})


async def my_pass_file(request: Request) -> Response:
    kind = request.path_params["kind"]
    if kind not in ("png", "pdf"):
        raise NotFound("pass")
    mine = await checkin.my_pass(current_account(request), _int(request, "session_id"))
    media = "image/png" if kind == "png" else "application/pdf"
    return Response(checkin.pass_image(mine, kind), media_type=media, headers={
        "Content-Disposition": f'attachment; filename="ocop-pass-{mine.pass_code}.{kind}"'})


async def check_in(request: Request) -> Response:
    """The organiser's check-in page: a scanner types the code into the field, or a person does."""
    actor, session_id = current_account(request), _int(request, "session_id")
    form, done, status_code = FormState({}), None, 200
    if request.method == "POST":
        values = await read_form(request)
        try:
            done = await checkin.check_in(actor, session_id, values.get("code", ""), now=now_utc())
        except ValidationFailed as exc:
            form, status_code = keep_typed(values, exc.errors), 422
    page = await checkin.check_in_page(actor, session_id)
    return render(request, "meetings/checkin.html", {"page": page, "form": form, "done": done},
                  status_code=status_code)


async def _fair_results_page(request: Request, form: FormState | None = None,
                             status_code: int = 200) -> Response:
    report = await fair_results.organiser_results(current_account(request), _int(request, "fair_id"),
                                                  now=now_utc())
    return render(request, "fairs/results.html", {
        "results": report, "fair": report.fair, "by_group": fair_results.ranked(report.by_group),
        "by_province": fair_results.ranked(report.by_province),
        "form": form or FormState({"visitors": "" if report.visitors is None
                                   else str(report.visitors)})}, status_code=status_code)


async def fair_results_page(request: Request) -> Response:
    """The fair's results; its organiser records the number of visitors here."""
    if request.method == "GET":
        return await _fair_results_page(request)
    values = await read_form(request)
    try:
        await fair_results.set_visitors(current_account(request), _int(request, "fair_id"),
                                        values.get("visitors", ""))
    except ValidationFailed as exc:
        return await _fair_results_page(request, keep_typed(values, exc.errors), 422)
    return RedirectResponse(f"/organiser/fairs/{_int(request, 'fair_id')}/results?saved=1",
                            status_code=303)


async def fair_results_xlsx(request: Request) -> Response:
    report = await fair_results.organiser_results(current_account(request), _int(request, "fair_id"),
                                                  now=now_utc())
    body = results_workbook(report, group_label=group_label, kind_label=result_kind_label)
    return Response(body, media_type=XLSX, headers={
        "Content-Disposition": f'attachment; filename="fair-{report.fair.id}-results.xlsx"'})


async def report_sales(request: Request) -> Response:
    """An exhibitor reports its on-site sales from the fair's page."""
    values = await read_form(request)
    fair_id = _int(request, "fair_id")
    try:
        await fair_results.report_sales(current_account(request), fair_id,
                                        values.get("onsite_sales_vnd", ""), now=now_utc())
    except ValidationFailed as exc:
        return render(request, "fairs/sales_error.html", {
            "fair_id": fair_id, "errors": exc.errors}, status_code=422)
    return RedirectResponse(f"/fairs/{fair_id}?sales=1#sales", status_code=303)


async def programme(request: Request) -> Response:
    rows = await fair_results.programme_results(current_account(request), now=now_utc())
    return render(request, "fairs/programme.html", {"rows": rows})


routes = [
    Route("/meetings/{meeting_id:int}/result", meeting_result, methods=["GET", "POST"],
          name="meeting_result"),
    Route("/meetings/sessions/{session_id:int}/pass", my_pass, name="meetings_pass"),
    Route("/meetings/sessions/{session_id:int}/pass.{kind:str}", my_pass_file,
          name="meetings_pass_file"),
    Route("/meetings/sessions/{session_id:int}/checkin", check_in, methods=["GET", "POST"],
          name="meetings_checkin"),
    Route("/organiser/fairs/{fair_id:int}/results", fair_results_page, methods=["GET", "POST"],
          name="fair_results"),
    Route("/organiser/fairs/{fair_id:int}/results.xlsx", fair_results_xlsx,
          name="fair_results_xlsx"),
    Route("/fairs/{fair_id:int}/sales", report_sales, methods=["POST"], name="fair_sales"),
    Route("/organiser/results", programme, name="programme_results"),
]
