"""The certificate register's API: importing decisions, and the public statistics."""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from config.i18n import gettext as _
from matchmaking.certificates.register import import_register
from matchmaking.certificates.stats import certificate_stats, parse_stats_query
from matchmaking.clock import today_in_vietnam
from matchmaking.enums import Role
from matchmaking.errors import ValidationFailed
from matchmaking.permissions import require_role
from matchmaking.sheets import MAX_BYTES
from web.auth import client_address, current_account


async def import_certificates(request: Request) -> Response:
    """
    summary: Import recognition decisions into the certificate register
    description: >
      A CSV or XLSX file in the register format of shared/specs/certificate-register.md, as the
      multipart field `file`; `dry_run=1` checks it and saves nothing. All rows or none: the
      answer lists every problem by row and column. Officers import their own province's rows.
    tags: [certificates]
    requestBody:
      content:
        multipart/form-data:
          schema:
            type: object
            required: [file]
            properties:
              file: {type: string, format: binary}
              dry_run: {type: string, enum: ["0", "1"]}
    responses:
      200:
        description: >
          {filename, dry_run, rejected, rows, created, renewals, updated, unchanged,
          products_verified, problems, results}
      401: {description: not authenticated}
      403: {description: not an officer or admin}
      422: {description: "the file was rejected: `problems` lists {row, field, column, message, value}"}
    """
    actor = require_role(current_account(request), Role.OFFICER)
    async with request.form(max_files=1, max_fields=5) as form:
        upload = form.get("file")
        dry_run = form.get("dry_run") == "1"
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ValidationFailed({"file": _("Choose a CSV or Excel file to upload.")})
        filename, content = upload.filename, await upload.read(MAX_BYTES + 1)
    report = await import_register(actor, filename=filename, content=content, dry_run=dry_run,
                                   client_address=client_address(request))
    return JSONResponse(report.as_json(), status_code=422 if report.rejected else 200)


async def stats(request: Request) -> Response:
    """
    summary: OCOP certificate statistics counted from the register
    description: >
      Exactly as shared/specs/certificate-register.md fixes it. `recognised` counts each product
      once at its latest 3-5 star rating up to `as_of`; `valid` those whose certificate is in
      force on `as_of`.
    tags: [certificates]
    security: []
    parameters:
      - name: as_of
        in: query
        schema: {type: string, format: date}
        description: "default: today in Vietnam"
      - name: province
        in: query
        schema: {type: string}
        description: >
          a current province (includes rows recorded under its old names) or an old name
          (only those rows)
      - {name: year, in: query, schema: {type: integer}, description: decided in that year}
      - {name: group, in: query, schema: {type: string}, description: product group code or name}
    responses:
      200: {description: "{as_of, recognised, valid, by_province, by_group, by_producer_kind}"}
      422: {description: "a parameter is invalid; `errors` maps each one to a message"}
    """
    query = parse_stats_query(request.query_params, today=today_in_vietnam())
    return JSONResponse((await certificate_stats(query)).as_json())


routes = [
    Route("/api/certificates/import", import_certificates, methods=["POST"]),
    Route("/api/stats/certificates", stats, methods=["GET"]),
]
