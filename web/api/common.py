"""Shared pieces of the JSON API: reading bodies, answering errors."""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from config.i18n import gettext as _
from matchmaking.errors import ValidationFailed


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object; ValidationFailed (422) if it is not one."""
    try:
        data = json.loads(await request.body() or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ValidationFailed({"body": _("The body is not valid JSON.")}) from None
    except RecursionError:  # nested thousands deep: no object of ours is
        raise HTTPException(400) from None
    if not isinstance(data, dict):
        raise ValidationFailed({"body": _("The body must be a JSON object.")})
    return data


def text_field(data: dict[str, Any], name: str) -> str:
    value = data.get(name, "")
    return value if isinstance(value, str) else ""


def error(status_code: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status_code)
