"""Bulk product import: the template files, the upload page and its row-by-row report."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from config.i18n import gettext as _
from matchmaking import sheets
from matchmaking.catalogue import import_columns, import_template, imports
from matchmaking.catalogue.products import own_producer
from matchmaking.enums import Role
from matchmaking.errors import NotFound
from matchmaking.models import Account
from matchmaking.permissions import require_role
from web.auth import current_account
from web.render import render

PROFILE_URL = "/producer/profile"
PROBLEMS_SHOWN = 500
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class ImportPage:
    """The context of imports/upload.html (as `page`).

    has_profile: False until the producer has a profile (the form is then replaced by a link);
    report: the last upload's result; error: why a file could not be read at all;
    dry_run: whether "check only" was ticked; columns: (header, field, required) for the help table.
    """

    has_profile: bool = True
    report: imports.ImportReport | None = None
    error: str | None = None
    dry_run: bool = False
    profile_url: str = PROFILE_URL
    problems_shown: int = PROBLEMS_SHOWN
    max_rows: int = sheets.MAX_ROWS
    max_megabytes: int = sheets.MAX_BYTES // (1024 * 1024)
    columns: list[tuple[str, str, bool]] = field(
        default_factory=lambda: [
            (header, name, name in import_columns.REQUIRED_COLUMNS)
            for name, header in import_columns.COLUMNS.items()
        ]
    )


def _page(request: Request, page: ImportPage, status_code: int = 200) -> Response:
    return render(request, "imports/upload.html", {"page": page}, status_code=status_code)


async def _has_profile(actor: Account) -> bool:
    try:
        await own_producer(actor)
    except NotFound:
        return False
    return True


async def upload_page(request: Request) -> Response:
    actor = require_role(current_account(request), Role.PRODUCER)
    return _page(request, ImportPage(has_profile=await _has_profile(actor)))


async def upload(request: Request) -> Response:
    actor = require_role(current_account(request), Role.PRODUCER)
    async with request.form(max_files=1, max_fields=10) as form:
        upload = form.get("file")
        dry_run = form.get("dry_run") == "1"
        if not isinstance(upload, UploadFile) or not upload.filename:
            page = ImportPage(error=_("Choose a CSV or Excel file to upload."), dry_run=dry_run)
            return _page(request, page, 422)
        filename = upload.filename
        content = await upload.read(sheets.MAX_BYTES + 1)
    try:
        report = await imports.import_products(actor, filename, content, dry_run=dry_run)
    except NotFound:
        return _page(request, ImportPage(has_profile=False), 409)
    except sheets.ImportFileError as exc:
        return _page(request, ImportPage(error=exc.message, dry_run=dry_run), 422)
    # after a check that passed, the box is cleared: the next upload of the same file imports it
    page = ImportPage(report=report, dry_run=dry_run and report.rejected)
    return _page(request, page, 422 if report.rejected else 200)


async def template_csv(request: Request) -> Response:
    return Response(import_template.template_csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="ocop-san-pham-mau.csv"'})


async def template_xlsx(request: Request) -> Response:
    return Response(import_template.template_xlsx(), media_type=XLSX_TYPE,
                    headers={"Content-Disposition": 'attachment; filename="ocop-san-pham-mau.xlsx"'})


routes = [
    Route("/products/import", upload_page, methods=["GET"], name="import_products"),
    Route("/products/import", upload, methods=["POST"], name="import_products_upload"),
    Route("/products/import/template.csv", template_csv, name="import_template_csv"),
    Route("/products/import/template.xlsx", template_xlsx, name="import_template_xlsx"),
]
