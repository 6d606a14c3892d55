"""The certificate register's API: importing decisions, and the public statistics."""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from matchmaking.certificates.register import RegisterReportJson, import_register
from matchmaking.certificates.stats import (
    CertificateStatsJson,
    certificate_stats,
    parse_stats_query,
)
from matchmaking.clock import today_in_vietnam
from matchmaking.enums import Role
from matchmaking.permissions import require_role
from matchmaking.sheets import MAX_BYTES
from web.api.openapi import UNAUTHENTICATED, Param, operation
from web.auth import client_address, current_account


@operation(
    summary="Import recognition decisions into the certificate register", tags=["certificates"],
    description="A CSV or XLSX file in the register format of shared/specs/certificate-register.md"
    ", sent as multipart/form-data in the field `file`; `dry_run=1` checks it and saves nothing. "
    "All rows or none: a rejected file's report lists every problem by row and column. Officers "
    "import their own province's rows, national officers and admins any.",
    responses={200: ("what the import did (or would do)", RegisterReportJson),
               401: UNAUTHENTICATED, 403: "not an officer or admin",
               422: ("the file was rejected, nothing saved: see `problems`", RegisterReportJson)})
async def import_certificates(request: Request) -> Response:
    actor = require_role(current_account(request), Role.OFFICER)
    async with request.form(max_files=1, max_fields=5) as form:
        upload = form.get("file")
        dry_run = form.get("dry_run") == "1"
        filename, content = "", b""
        if isinstance(upload, UploadFile) and upload.filename:
            filename, content = upload.filename, await upload.read(MAX_BYTES + 1)
    report = await import_register(actor, filename=filename, content=content, dry_run=dry_run,
                                   client_address=client_address(request))
    return JSONResponse(report.as_json(), status_code=422 if report.rejected else 200)


@operation(
    summary="OCOP certificate statistics counted from the register", tags=["certificates"],
    public=True, query=[
        Param("as_of", {"type": "string", "format": "date"}, "default: today in Vietnam"),
        Param("province", {"type": "string"}, "a current province (with the rows recorded under "
              "its old names) or an old name (only those rows), code or name"),
        Param("year", {"type": "integer"}, "decided in that year"),
        Param("group", {"type": "string"}, "product group, code or name"),
    ],
    description="Exactly as shared/specs/certificate-register.md fixes it: `recognised` counts each "
    "product once at its latest 3-5 star rating up to `as_of`, `valid` those whose certificate is "
    "in force on `as_of`; `by_province` is keyed by the province as the decision recorded it.",
    responses={200: ("the counts", CertificateStatsJson),
               422: "a parameter is invalid; `errors` maps each one to a message"})
async def stats(request: Request) -> Response:
    query = parse_stats_query(request.query_params, today=today_in_vietnam())
    return JSONResponse((await certificate_stats(query)).as_json())


routes = [
    Route("/api/certificates/import", import_certificates, methods=["POST"]),
    Route("/api/stats/certificates", stats, methods=["GET"]),
]
