"""/api/openapi.json, generated from the API routes' docstrings so it cannot drift."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.schemas import SchemaGenerator

schemas = SchemaGenerator(
    {
        "openapi": "3.0.3",
        "info": {"title": "OCOP Connect API", "version": "1"},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }
)


async def openapi(request: Request) -> Response:
    schema = schemas.get_schema(routes=request.app.routes)
    schema["paths"] = {p: v for p, v in schema.get("paths", {}).items() if p.startswith("/api/")}
    return JSONResponse(schema)


routes = [Route("/api/openapi.json", openapi, include_in_schema=False)]
