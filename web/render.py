"""Rendering a page with the context every template can rely on."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from config import i18n


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Response:
    """Render `template`; the base context holds the request and the language."""
    full: dict[str, Any] = {"language": i18n.current_language(), **(context or {})}
    templates = request.app.state.templates
    return templates.TemplateResponse(request, template, full, status_code=status_code)
