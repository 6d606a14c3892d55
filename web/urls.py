"""URL building in O(1): a name -> path-format table built once from the app's routes.

Starlette's `request.url_for` tries every route in turn (130 of them here) for each link a page
draws. The table gives the same URL from one dict look-up; a name it does not hold (a route
inside a nested router) falls back to Starlette.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from starlette.convertors import Convertor
from starlette.requests import Request
from starlette.routing import PARAM_FORMAT_REGEX, BaseRoute, Mount, NoMatchFound, Route, Router

_BASE_KEY = "ocop.url_base"


@dataclass(frozen=True)
class _Entry:
    params: frozenset[str]
    parts: tuple[str, ...]  # literal, parameter, literal, parameter, ..., literal
    convertors: dict[str, Convertor[Any]]
    mount: bool  # a named Mount: its `path` loses leading slashes, as in Starlette

    def build(self, params: dict[str, Any]) -> str:
        pieces = list(self.parts)
        for i in range(1, len(pieces), 2):
            value = params[pieces[i]]
            if self.mount and pieces[i] == "path":
                value = str(value).lstrip("/")
            pieces[i] = self.convertors[pieces[i]].to_string(value)
        return "".join(pieces)


def _entry(path_format: str, convertors: dict[str, Convertor[Any]], *, mount: bool) -> _Entry:
    parts = tuple(PARAM_FORMAT_REGEX.split(path_format))
    return _Entry(frozenset(convertors), parts, dict(convertors), mount)


class UrlTable:
    """Paths by route name; `path_for` answers as `app.url_path_for` would, without the scan."""

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self._router = Router(routes=list(routes))
        self._entries: dict[str, list[_Entry]] = {}
        for route in routes:
            if isinstance(route, Route):
                entry = _entry(route.path_format, route.param_convertors, mount=False)
                self._entries.setdefault(route.name, []).append(entry)
            elif isinstance(route, Mount) and route.name:
                entry = _entry(route.path_format, route.param_convertors, mount=True)
                self._entries.setdefault(route.name, []).append(entry)

    def names(self) -> list[str]:
        return list(self._entries)

    def path_for(self, name: str, /, **params: Any) -> str:
        """The path of route `name`; NoMatchFound when no route has that name and parameters."""
        for entry in self._entries.get(name, ()):
            if entry.params == params.keys():
                return entry.build(params)
        # Same answer, or the same NoMatchFound, as Starlette (first matching route wins there too).
        return str(self._router.url_path_for(name, **params))

    def url_for(self, request: Request, name: str, /, **params: Any) -> str:
        """The absolute URL, as str(request.url_for(name, **params))."""
        return site_base(request) + self.path_for(name, **params)


def site_base(request: Request) -> str:
    """What absolute URLs start with for this request: scheme, host and root path."""
    base = request.scope.get(_BASE_KEY)
    if base is None:
        url = request.base_url
        base = f"{url.scheme}://{url.netloc}{url.path.rstrip('/')}"
        request.scope[_BASE_KEY] = base
    return str(base)


__all__ = ["NoMatchFound", "UrlTable", "site_base"]
