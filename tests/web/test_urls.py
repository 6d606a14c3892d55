"""The URL table builds exactly what Starlette's url_for builds, for every named route."""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.convertors import FloatConvertor, IntegerConvertor, PathConvertor, UUIDConvertor
from starlette.requests import Request
from starlette.routing import Mount, NoMatchFound, Route

from config.settings import Settings
from web.app import create_app
from web.urls import UrlTable


def _sample(convertor: Any) -> Any:
    numeric = re.fullmatch(convertor.regex, "42") and not re.fullmatch(convertor.regex, "vi")
    if isinstance(convertor, IntegerConvertor) or numeric:
        return 42
    if isinstance(convertor, FloatConvertor):
        return 1.5
    if isinstance(convertor, UUIDConvertor):
        import uuid

        return uuid.UUID(int=7)
    if isinstance(convertor, PathConvertor):
        return "/css/site.css"
    return "vi"


def _request(app: Starlette, root_path: str = "") -> Request:
    return Request({"type": "http", "app": app, "router": app.router, "scheme": "https",
                    "server": ("ocop.example", 8443), "path": "/", "root_path": root_path,
                    "headers": [(b"host", b"ocop.example:8443")], "query_string": b""})


@pytest.fixture(scope="module")
def app(settings: Settings) -> Starlette:
    return create_app(settings, search=None, manage_database=False)


def named_routes(app: Starlette) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for route in app.routes:
        if isinstance(route, Route | Mount) and route.name:
            found.append((route.name, {k: _sample(c) for k, c in route.param_convertors.items()}))
    return found


def test_every_route_name_builds_the_same_url_as_starlette(app: Starlette) -> None:
    table: UrlTable = app.state.urls
    routes = named_routes(app)
    assert len(routes) > 100
    for root_path in ("", "/ocop"):
        request = _request(app, root_path)
        for name, params in routes:
            assert table.url_for(request, name, **params) == str(request.url_for(name, **params)), name


def test_the_table_holds_every_route_name(app: Starlette) -> None:
    assert set(app.state.urls.names()) == {name for name, _ in named_routes(app)}


def test_wrong_parameters_fail_as_in_starlette(app: Starlette) -> None:
    request = _request(app)
    with pytest.raises(NoMatchFound):
        request.url_for("product")
    with pytest.raises(NoMatchFound):
        app.state.urls.url_for(request, "product")
    with pytest.raises(NoMatchFound):
        app.state.urls.url_for(request, "product", product_id=1, extra=2)
    with pytest.raises(NoMatchFound):
        app.state.urls.url_for(request, "no-such-route")
