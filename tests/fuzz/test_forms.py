"""Hypothesis feeds every HTML form (as each role) and the search query parser: whatever is typed,
the answer is a page or a redirect, a 4xx with messages, never a 500."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import httpx
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.routing import Route

from matchmaking.accounts.passwords import hash_password
from matchmaking.clock import today_in_vietnam
from matchmaking.demo.seed import seed_demo
from matchmaking.errors import ValidationFailed
from search.query import parse_product_query, search_request
from tests.web.helpers import csrf, log_in

T = TypeVar("T")
TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"
PASSWORD = "ocop-demo-2026"
ROLES = {"anonymous": None, "producer": "htx@ocop.demo", "buyer": "npp@ocop.demo",
         "organiser": "btc@ocop.demo", "admin": "admin@ocop.demo"}
SKIPPED = {"/logout"}  # would end the session the rest of the run needs
FUZZ = settings(max_examples=6, deadline=None, derandomize=True, database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck))

# What people type, and what attackers do: accents, digits with separators, dates, huge numbers,
# control characters, lone surrogates are impossible in a form (it is UTF-8) and so left out.
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.sampled_from(["", "0", "-1", "1.200.000", "99999999999999999999", "2026-02-30",
                     "31/12/2026", "Hà Giang", "chè", "on", "1e308", "NaN", "²", "\u202e", "' OR 1=1"]),
    st.integers().map(str),
)


def _field_names() -> list[str]:
    names: set[str] = set()
    for template in TEMPLATES.rglob("*.html"):
        names.update(re.findall(r'name="([a-z_]+)"', template.read_text()))
    return sorted(names - {"csrf_token"})


def _form_paths(app: Starlette) -> list[str]:
    paths = []
    for route in app.routes:
        posts = isinstance(route, Route) and "POST" in (route.methods or set())
        if posts and not route.path.startswith("/api/") and route.path not in SKIPPED:
            paths.append(re.sub(r"\{[a-z_]+(:int)?\}", "1", route.path))
    return sorted(paths)


def _blocking(loop: asyncio.AbstractEventLoop, coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout=60)


async def test_html_forms_never_answer_500(db: str, app: Starlette) -> None:
    await seed_demo(seed=3, producers=6, products=12, buyers=3, demands=6,
                    today=today_in_vietnam(), password_hash=hash_password(PASSWORD))
    names, paths = _field_names(), _form_paths(app)
    assert len(paths) >= 15 and len(names) >= 30
    forms = st.dictionaries(st.sampled_from(names), TEXT, max_size=12)
    loop = asyncio.get_running_loop()
    failures: list[str] = []
    transport = httpx.ASGITransport(app=app)
    for role, email in ROLES.items():
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as browser:
            if email:
                await log_in(browser, email, PASSWORD)
            found = await asyncio.to_thread(_post_forms, loop, browser, await csrf(browser),
                                            paths, forms)
            failures += [f"[{role}] {failure}" for failure in found]
    assert not failures, "\n".join(failures)


def _post_forms(loop: asyncio.AbstractEventLoop, browser: httpx.AsyncClient, token: str,
                paths: list[str], forms: st.SearchStrategy[dict[str, str]]) -> list[str]:
    failures: list[str] = []

    @FUZZ
    @given(path=st.sampled_from(paths), form=forms)
    def post(path: str, form: dict[str, str]) -> None:
        response = _blocking(loop, browser.post(path, data={**form, "csrf_token": token}))
        if response.status_code >= 500:
            failures.append(f"POST {path} {form!r}: {response.status_code}")

    post()
    return failures


PARAMS = st.dictionaries(
    st.sampled_from(["q", "group", "subgroup", "province", "min_stars", "certified", "price_min",
                     "price_max", "mark", "producer_kind", "sort", "page", "per_page", "x"]),
    st.lists(TEXT, min_size=1, max_size=3), max_size=8)


@FUZZ
@given(params=PARAMS)
def test_search_query_parser_takes_anything(params: dict[str, list[str]]) -> None:
    try:
        query = parse_product_query(params)
    except ValidationFailed as exc:  # the visitor is told which parameter is wrong
        assert exc.errors and set(exc.errors) <= set(params) | {"price", "q"}
        return
    request = search_request(query, today_in_vietnam())
    assert query.page >= 1 and 1 <= query.per_page <= 100
    assert parse_product_query(_as_params(query.to_params(page=query.page))) == query
    assert isinstance(request, dict)


def _as_params(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for name, value in pairs:
        params.setdefault(name, []).append(value)
    return params


async def test_search_page_and_api_never_answer_500(client: httpx.AsyncClient) -> None:
    loop = asyncio.get_running_loop()
    failures: list[str] = []

    @settings(FUZZ, max_examples=30)
    @given(params=PARAMS, path=st.sampled_from(["/search", "/api/products"]))
    def get(params: dict[str, list[str]], path: str) -> None:
        response = _blocking(loop, client.get(path, params=params))
        if response.status_code >= 500:
            failures.append(f"GET {path} {params!r}: {response.status_code}")

    await asyncio.to_thread(get)
    assert not failures, "\n".join(failures)
