from __future__ import annotations

import re
from datetime import date, timedelta

import httpx
from starlette.applications import Starlette

from matchmaking.models import Product
from search.client import SearchClient
from tests.factories import make_account, make_producer, make_product
from tests.web.helpers import log_in
from web.app import create_app


def shown_count(html: str, name: str) -> int:
    match = re.search(rf'id="count-{name}">([\d.,]+)<', html)
    assert match, f"count {name} not on the page"
    return int(match.group(1).replace(".", "").replace(",", ""))


async def test_home_in_vietnamese_shows_live_counts(client: httpx.AsyncClient) -> None:
    producer = await make_producer()
    await make_product(producer)
    await make_product(producer)
    await make_product(producer, certificate_expiry=date.today() - timedelta(days=1))

    response = await client.get("/")

    assert response.status_code == 200
    assert '<html lang="vi">' in response.text
    assert "Kết nối chủ thể OCOP với nhà phân phối và hội chợ" in response.text
    assert shown_count(response.text, "certified-products") == 2
    assert shown_count(response.text, "producers") == 1
    assert await Product.all().count() == 3


async def test_home_counts_change_with_the_database(client: httpx.AsyncClient) -> None:
    before = shown_count((await client.get("/")).text, "certified-products")
    await make_product()
    after = shown_count((await client.get("/")).text, "certified-products")
    assert (before, after) == (0, 1)


async def test_language_switch_to_english_sticks(client: httpx.AsyncClient) -> None:
    switched = await client.get("/lang/en", params={"next": "/"})
    assert switched.status_code == 303
    assert switched.headers["location"] == "/"

    page = await client.get("/")

    assert '<html lang="en">' in page.text
    assert "Connecting OCOP producers with buyers and trade fairs" in page.text


async def test_language_switch_refuses_offsite_redirect(client: httpx.AsyncClient) -> None:
    response = await client.get("/lang/vi", params={"next": "//evil.example/phish"})
    assert response.headers["location"] == "/"


async def test_every_response_carries_security_headers(client: httpx.AsyncClient) -> None:
    for path in ("/", "/no-such-page", "/healthz", "/static/css/site.css"):
        response = await client.get(path)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"


async def test_pages_have_no_inline_script_or_style(client: httpx.AsyncClient) -> None:
    html = (await client.get("/")).text
    assert "<script>" not in html and "<style" not in html and " style=" not in html


async def test_unknown_page_is_a_vietnamese_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/khong-co")
    assert response.status_code == 404
    assert "Trang này không tồn tại." in response.text


async def test_healthz_reports_database_and_search(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "search": "ok"}


async def test_healthz_says_search_is_down(db: str, settings, free_port: int) -> None:  # type: ignore[no-untyped-def]
    dead = SearchClient(f"http://127.0.0.1:{free_port}", "key", timeout=1)
    app: Starlette = create_app(settings, search=dead, manage_database=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        response = await http.get("/healthz")
    assert response.status_code == 200
    assert response.json()["search"] == "unavailable"
    assert response.json()["status"] == "degraded"


async def test_pages_and_stylesheets_are_sent_gzipped_to_browsers_that_accept_it(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/", headers={"Accept-Encoding": "gzip"})
    css = await client.get("/static/css/site.css", headers={"Accept-Encoding": "gzip"})
    plain = await client.get("/static/css/site.css", headers={"Accept-Encoding": "identity"})

    assert page.headers["content-encoding"] == "gzip"
    assert css.headers["content-encoding"] == "gzip"
    assert int(css.headers["content-length"]) < len(plain.content) / 2
    assert css.text == plain.text
    assert "content-encoding" not in plain.headers
    assert "Content-Security-Policy" in page.headers


async def test_stylesheet_link_carries_its_fingerprint_and_is_cached_for_a_year(
    client: httpx.AsyncClient,
) -> None:
    page = (await client.get("/")).text
    link = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]{10})"', page)
    assert link, "the stylesheet link has no fingerprint"

    fingerprinted = await client.get(link.group(1))
    plain = await client.get("/static/css/site.css")

    assert fingerprinted.status_code == 200
    assert fingerprinted.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert plain.headers["cache-control"] == "no-cache"


async def test_officer_home_leads_to_the_queue_and_the_expiring_certificates(
        client: httpx.AsyncClient) -> None:
    officer = await make_account("officer", province_code=8)
    await make_product(await make_producer(province_code=8), verification="pending")
    await log_in(client, officer.email)

    home = (await client.get("/")).text

    assert re.search(r'id="step-claims">\s*<a href="[^"]*/officer#queue"><span class="figure">1</span>',
                     home)
    assert re.search(r'id="step-expiring">\s*<a href="[^"]*/officer#expiring"><span class="figure">0',
                     home)
