"""The officer's pages (queue of claims, register import) and the public statistics page."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from config.i18n import gettext as _
from matchmaking.certificates.expiry import Expiring, expiring_certificates
from matchmaking.certificates.export import expiring_workbook, stats_workbook
from matchmaking.certificates.officer import QueueItem, link_claim, officer_queue, reject_claim
from matchmaking.certificates.register import RegisterReport, import_register
from matchmaking.certificates.rows import COLUMNS, REQUIRED
from matchmaking.certificates.stats import (
    STARS,
    CertificateStats,
    StatsQuery,
    certificate_stats,
    parse_stats_query,
)
from matchmaking.clock import today_in_vietnam
from matchmaking.enums import Role
from matchmaking.errors import ValidationFailed
from matchmaking.permissions import require_role
from matchmaking.places import short_province_name
from matchmaking.sheets import MAX_BYTES
from web.auth import client_address, current_account, public_url
from web.charts import bar_chart
from web.forms import read_form
from web.labels import group_label
from web.render import render

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class OfficerPage:
    """The context of certificates/officer.html (as `page`): the queue, the last import's
    report, why a file could not be read, and the columns of the register format."""

    queue: list[QueueItem]
    expiring: list[Expiring]
    report: RegisterReport | None = None
    error: str | None = None
    columns: tuple[tuple[str, str, bool], ...] = tuple(
        (name, aliases[0], name in REQUIRED) for name, aliases in COLUMNS.items())


async def _officer_page(request: Request, page_report: RegisterReport | None = None,
                        error: str | None = None, status_code: int = 200) -> Response:
    actor = current_account(request)
    queue = await officer_queue(actor)
    expiring = await expiring_certificates(actor, today=today_in_vietnam())
    page = OfficerPage(queue=queue, expiring=expiring, report=page_report, error=error)
    return render(request, "certificates/officer.html", {"page": page}, status_code=status_code)


async def officer_home(request: Request) -> Response:
    return await _officer_page(request)


async def import_upload(request: Request) -> Response:
    require_role(current_account(request), Role.OFFICER)
    async with request.form(max_files=1, max_fields=5) as form:
        upload = form.get("file")
        dry_run = form.get("dry_run") == "1"
        if not isinstance(upload, UploadFile) or not upload.filename:
            return await _officer_page(request, error=_("Choose a CSV or Excel file to upload."),
                                       status_code=422)
        filename, content = upload.filename, await upload.read(MAX_BYTES + 1)
    report = await import_register(current_account(request), filename=filename, content=content,
                                   dry_run=dry_run, client_address=client_address(request))
    return await _officer_page(request, report, status_code=422 if report.rejected else 200)


async def link(request: Request) -> Response:
    require_role(current_account(request), Role.OFFICER)
    values = await read_form(request)
    try:
        entry_id = int(values.get("entry", ""))
    except ValueError:
        raise ValidationFailed({"entry": _("Choose an entry of the register.")}) from None
    await link_claim(current_account(request), int(request.path_params["product_id"]), entry_id,
                     public_url=public_url(request), client_address=client_address(request))
    return RedirectResponse("/officer", status_code=303)


async def reject(request: Request) -> Response:
    require_role(current_account(request), Role.OFFICER)
    values = await read_form(request)
    await reject_claim(current_account(request), int(request.path_params["product_id"]),
                       reason=values.get("reason", ""), public_url=public_url(request),
                       client_address=client_address(request))
    return RedirectResponse("/officer", status_code=303)


def _scope(query: StatsQuery) -> str:
    if query.province_recorded:
        return query.province_recorded
    if query.province_code:
        return short_province_name(query.province_code)
    return _("Whole country")


@dataclass
class StatsPage:
    """The context of certificates/stats.html (as `page`)."""

    query: StatsQuery
    stats: CertificateStats
    scope: str
    params: dict[str, str]

    def star_chart(self, valid: bool = False) -> object:
        tally = self.stats.valid if valid else self.stats.recognised
        return bar_chart(_("Products by stars"),
                         [(_("%(n)s stars") % {"n": s}, tally.stars[s]) for s in STARS])

    def group_chart(self) -> object:
        return bar_chart(_("Products by group"),
                         [(group_label(g), n) for g, n in sorted(self.stats.by_group.items())])

    def province_chart(self) -> object:
        rows = sorted(self.stats.by_province.items(), key=lambda item: -item[1].products)[:20]
        return bar_chart(_("Products by province"), [(name, t.products) for name, t in rows])


async def _stats(request: Request) -> tuple[StatsQuery, CertificateStats]:
    query = parse_stats_query(request.query_params, today=today_in_vietnam())
    return query, await certificate_stats(query)


async def stats_page(request: Request) -> Response:
    query, stats = await _stats(request)
    params = {k: v for k, v in request.query_params.items() if k in ("as_of", "province", "year",
                                                                      "group") and v}
    page = StatsPage(query=query, stats=stats, scope=_scope(query), params=params)
    return render(request, "certificates/stats.html", {"page": page})


async def stats_xlsx(request: Request) -> Response:
    query, stats = await _stats(request)
    name = f"ocop-thong-ke-{query.as_of.isoformat()}.xlsx"
    return Response(stats_workbook(stats, scope=_scope(query)), media_type=XLSX_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


async def expiring_xlsx(request: Request) -> Response:
    items = await expiring_certificates(current_account(request), today=today_in_vietnam())
    return Response(expiring_workbook(items), media_type=XLSX_TYPE, headers={
        "Content-Disposition": 'attachment; filename="ocop-gcn-sap-het-han.xlsx"'})


routes = [
    Route("/officer", officer_home, name="officer_home"),
    Route("/officer/expiring.xlsx", expiring_xlsx, name="officer_expiring_xlsx"),
    Route("/officer/register/import", import_upload, methods=["POST"], name="officer_import"),
    Route("/officer/claims/{product_id:int}/link", link, methods=["POST"], name="officer_link"),
    Route("/officer/claims/{product_id:int}/reject", reject, methods=["POST"],
          name="officer_reject"),
    Route("/stats/certificates", stats_page, name="certificate_stats"),
    Route("/stats/certificates.xlsx", stats_xlsx, name="certificate_stats_xlsx"),
]
