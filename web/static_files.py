"""Static files with fingerprinted links: `static_url` adds the file's hash, and a hashed link
may be cached for a year, since a changed file gets a new link."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC_DIR = Path(__file__).parent / "static"
FOREVER = "public, max-age=31536000, immutable"


@cache
def fingerprint(path: str) -> str:
    """The first 10 hex digits of the file's SHA-256 (read once per process)."""
    return hashlib.sha256((STATIC_DIR / path.lstrip("/")).read_bytes()).hexdigest()[:10]


def static_url(path: str) -> str:
    """The link to a static file, e.g. /static/css/site.css?v=1a2b3c4d5e."""
    return f"/static/{path.lstrip('/')}?v={fingerprint(path)}"


class FingerprintedStaticFiles(StaticFiles):
    """Long-lived caching for fingerprinted links; other links are revalidated every time.

    `immutable` folders (photos under random names that are never rewritten) are cached always."""

    def __init__(self, *, immutable: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.immutable = immutable

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            versioned = self.immutable or b"v=" in scope.get("query_string", b"")
            response.headers["Cache-Control"] = FOREVER if versioned else "no-cache"
        return response
