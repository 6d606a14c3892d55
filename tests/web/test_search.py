"""The public catalogue: /search, /api/products, product and producer pages, degraded mode."""

from __future__ import annotations

import io
import re
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time

import httpx
import pytest
from starlette.applications import Starlette

from config.settings import Settings
from matchmaking import clock
from matchmaking.demands.matching import match_demands
from matchmaking.enums import ProducerKind, ProductGroup, ProductStatus
from matchmaking.models import JobState
from matchmaking.places import resolve_province
from search.client import SearchClient
from search.indexer import reindex
from tests.factories import make_account, make_producer, make_product
from tests.web.helpers import log_in
from web.app import create_app
from web.middleware import LANGUAGE_COOKIE

TODAY = date.today()
TUYEN_QUANG = resolve_province("Tuyên Quang")
HIT_KEYS = {"id", "name", "group", "subgroup", "stars", "certified", "certificate_expiry", "price_vnd",
            "unit", "min_order", "quality_marks", "producer", "highlight", "verification",
            "claimed_stars"}


@pytest.fixture
async def english(client: httpx.AsyncClient) -> httpx.AsyncClient:
    client.cookies.set(LANGUAGE_COOKIE, "en")
    return client


@pytest.fixture
async def degraded(db: str, settings: Settings, search: SearchClient,
                   free_port: int) -> AsyncIterator[httpx.AsyncClient]:
    """A client on an app whose Meilisearch does not answer."""
    dead = SearchClient(f"http://127.0.0.1:{free_port}", "key", prefix=search.prefix, timeout=1)
    app: Starlette = create_app(settings, search=dead, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        http.cookies.set(LANGUAGE_COOKIE, "en")
        yield http


async def catalogue():  # type: ignore[no-untyped-def]
    """Three published products in two provinces, one expired, one draft."""
    north = await make_producer(name="HTX Shan Tuyết Hà Giang", province_code=TUYEN_QUANG,
                                ward_code=None)
    south = await make_producer(name="Cơ sở Nước mắm Phú Quốc", province_code=resolve_province("An Giang"),
                                ward_code=None, kind=ProducerKind.HOUSEHOLD)
    tea = await make_product(north, name="Trà Shan tuyết cổ thụ", stars=5, quality_marks=["organic"])
    decided = TODAY - timedelta(days=4 * 365)
    old = await make_product(north, name="Trà xanh Shan", stars=4, decision_date=decided,
                             certificate_expiry=decided + timedelta(days=3 * 365))
    sauce = await make_product(south, name="Nước mắm cốt cá cơm", group=ProductGroup.FOOD,
                               subgroup="condiments", price_vnd=120_000, unit="chai", stars=None,
                               certificate_number=None, decision_date=None, certificate_expiry=None)
    draft = await make_product(north, name="Trà nháp", status=ProductStatus.DRAFT)
    return {"tea": tea, "old": old, "sauce": sauce, "draft": draft, "north": north, "south": south}


async def test_api_answers_hits_facets_and_pages(client: httpx.AsyncClient, search: SearchClient) -> None:
    made = await catalogue()
    await reindex(search, today=TODAY)

    response = await client.get("/api/products", params={"q": "che shan tuyet", "per_page": "1"})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"hits", "total", "facets", "page", "per_page", "degraded"}
    assert (body["total"], body["page"], body["per_page"], body["degraded"]) == (2, 1, 1, False)
    hit = body["hits"][0]
    assert set(hit) == HIT_KEYS
    assert (hit["id"], hit["certified"], hit["price_vnd"], hit["unit"]) == (
        made["tea"].id, True, 350_000, "kg"
    )
    assert hit["producer"] == {"id": made["north"].id, "name": "HTX Shan Tuyết Hà Giang",
                               "kind": "cooperative", "province_code": TUYEN_QUANG,
                               "province": "Tuyên Quang"}
    assert body["facets"]["province"] == {str(TUYEN_QUANG): 2}
    assert body["facets"]["stars"] == {"4": 1, "5": 1}


async def test_api_filters_by_old_province_name_and_certificate(
    client: httpx.AsyncClient, search: SearchClient
) -> None:
    made = await catalogue()
    await reindex(search, today=TODAY)

    response = await client.get("/api/products?province=Ha%20Giang&certified=true")

    assert [hit["id"] for hit in response.json()["hits"]] == [made["tea"].id]


async def test_api_rejects_bad_parameters_with_field_messages(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/products?min_stars=9&sort=cheapest&per_page=1000&province=Narnia")

    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"error", "errors"}
    assert set(body["errors"]) == {"min_stars", "sort", "per_page", "province"}


async def test_api_needs_no_token_and_is_in_openapi(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/api/openapi.json")).json()

    operation = schema["paths"]["/api/products"]["get"]
    assert operation["security"] == []
    assert {p["name"] for p in operation["parameters"]} >= {
        "q", "group", "province", "min_stars", "certified", "mark", "price_min", "price_max",
        "sort", "page", "per_page",
    }


async def test_api_answers_from_the_database_when_search_is_down(
    degraded: httpx.AsyncClient,
) -> None:
    made = await catalogue()

    response = await degraded.get("/api/products", params={"q": "tra shan", "group": "beverages"})

    assert response.status_code == 200
    body = response.json()
    assert body["degraded"] is True
    assert [hit["id"] for hit in body["hits"]] == [made["tea"].id, made["old"].id]
    assert set(body["hits"][0]) == HIT_KEYS


async def test_search_page_shows_highlighted_hits_and_facets(
    english: httpx.AsyncClient, search: SearchClient
) -> None:
    made = await catalogue()
    await reindex(search, today=TODAY)

    response = await english.get("/search?q=tra+shan+tuyet")

    assert response.status_code == 200
    html = response.text
    assert '<mark>Trà</mark> <mark>Shan</mark> <mark>tuyết</mark> cổ thụ' in html
    assert f'/products/{made["tea"].id}"' in html
    assert re.search(r'id="result-count">2 products found<', html)
    province_link = f'href="/search?q=tra+shan+tuyet&amp;province={TUYEN_QUANG}">Tuyên Quang</a>'
    assert f'{province_link} <span class="facet-count">2<' in html
    assert "Certificate expired on" in html
    assert "degraded-notice" not in html
    assert "Trà nháp" not in html


async def test_search_page_escapes_a_script_in_a_product_name(
    client: httpx.AsyncClient, search: SearchClient
) -> None:
    await make_product(name="<script>alert(1)</script>")
    await reindex(search, today=TODAY)

    html = (await client.get("/search?q=script")).text

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/<mark>script</mark>&gt;" in html


async def test_search_page_without_results_suggests_a_way_out(
    english: httpx.AsyncClient, search: SearchClient
) -> None:
    await catalogue()
    await reindex(search, today=TODAY)

    html = (await english.get("/search?q=tra&group=ornamental")).text

    assert 'id="no-results"' in html
    assert 'href="/search?q=tra">Remove all filters and search again' in html
    assert 'href="/search?group=beverages">Beverages</a> <span class="facet-count">2<' in html


async def test_search_page_paginates(english: httpx.AsyncClient, search: SearchClient) -> None:
    producer = await make_producer()
    for n in range(5):
        await make_product(producer, name=f"Trà số {n}")
    await reindex(search, today=TODAY)

    html = (await english.get("/search?q=tra&per_page=2&page=2")).text

    assert html.count('class="hit"') == 2
    assert 'href="/search?q=tra&amp;per_page=2&amp;page=3" rel="next"' in html or \
        'rel="next" href="/search?q=tra&amp;per_page=2&amp;page=3"' in html
    assert '<span aria-current="page">2</span>' in html


async def test_search_page_ignores_bad_filters_but_still_searches(
    english: httpx.AsyncClient, search: SearchClient
) -> None:
    await catalogue()
    await reindex(search, today=TODAY)

    response = await english.get("/search?q=nuoc+mam&min_stars=banana&producer_kind=household")

    assert response.status_code == 422
    assert "Stars go from 1 to 5." in response.text
    assert "<mark>Nước mắm</mark> cốt cá cơm" in response.text
    assert 'name="producer_kind" value="household"' in response.text


async def test_search_page_without_parameters_lists_the_catalogue(
    english: httpx.AsyncClient, search: SearchClient
) -> None:
    await catalogue()
    await reindex(search, today=TODAY)

    response = await english.get("/search")

    assert response.status_code == 200
    assert response.text.count('class="hit"') == 3


async def test_search_page_says_when_it_is_degraded(degraded: httpx.AsyncClient) -> None:
    await catalogue()

    response = await degraded.get("/search?q=nuoc+mam")

    assert response.status_code == 200
    assert 'id="degraded-notice"' in response.text
    assert "<mark>Nước mắm</mark> cốt cá cơm" in response.text


async def test_product_page_shows_certificate_price_and_qr(
    english: httpx.AsyncClient, settings: Settings
) -> None:
    made = await catalogue()

    html = (await english.get(f"/products/{made['tea'].id}")).text
    expiry = made["tea"].certificate_expiry.strftime("%d/%m/%Y")

    assert f"Certified 5 stars, valid until {expiry}." in html
    assert "350.000\xa0₫" in html
    assert "<svg" in html and 'class="qr"' in html
    assert f'{settings.public_url}/products/{made["tea"].id}' in html
    assert "style=" not in html
    assert f'/producers/{made["north"].id}"' in html


async def test_product_page_states_expired_and_unrated(english: httpx.AsyncClient) -> None:
    made = await catalogue()

    expired_html = (await english.get(f"/products/{made['old'].id}")).text
    unrated_html = (await english.get(f"/products/{made['sauce'].id}")).text

    expiry = made["old"].certificate_expiry.strftime("%d/%m/%Y")
    assert f"Rated 4 stars, but the certificate expired on {expiry}" in expired_html
    assert 'id="certificate-status">\n          \n            Not rated' in unrated_html or \
        re.search(r'id="certificate-status">\s*Not rated', unrated_html)
    assert "120.000\xa0₫" in unrated_html


async def test_product_qr_code_downloads_as_svg(client: httpx.AsyncClient) -> None:
    made = await catalogue()

    response = await client.get(f"/products/{made['tea'].id}/qr.svg")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert 'xmlns="http://www.w3.org/2000/svg"' in response.text


async def test_draft_product_is_visible_to_its_owner_only(client: httpx.AsyncClient) -> None:
    owner = await make_account("producer")
    producer = await make_producer(owner=owner)
    draft = await make_product(producer, name="Trà chưa đăng", status=ProductStatus.DRAFT)

    assert (await client.get(f"/products/{draft.id}")).status_code == 404
    assert (await client.get(f"/products/{draft.id}/qr.svg")).status_code == 404
    await log_in(client, owner.email)
    response = await client.get(f"/products/{draft.id}")
    assert response.status_code == 200
    assert "Trà chưa đăng" in response.text


async def test_unknown_product_is_404(client: httpx.AsyncClient) -> None:
    assert (await client.get("/products/999999")).status_code == 404


async def test_producer_page_lists_published_products(english: httpx.AsyncClient) -> None:
    made = await catalogue()

    html = (await english.get(f"/producers/{made['north'].id}")).text

    assert "HTX Shan Tuyết Hà Giang" in html
    assert f'/products/{made["tea"].id}"' in html
    assert f'/products/{made["old"].id}"' in html
    assert "Trà nháp" not in html
    assert "Log in to see the producer" in html


@pytest.fixture
def utc_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process runs in UTC, as servers do."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def test_before_seven_in_vietnam_page_api_and_matching_share_vietnams_day(
    english: httpx.AsyncClient, search: SearchClient, utc_server: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At 01:30 in Hà Nội the UTC server's date is still yesterday's: a certificate that expired
    yesterday (Vietnam's) is expired on the product page, in the API and for matching."""
    server_day = date.today()
    moment = datetime.combine(server_day, dt_time(18, 30), UTC)  # 01:30 the next day in Hà Nội
    monkeypatch.setattr(clock, "now_utc", lambda: moment)
    product = await make_product(await make_producer(), stars=4, certificate_expiry=server_day,
                                 decision_date=server_day - timedelta(days=3 * 365))
    page = await english.get(f"/products/{product.id}")
    assert page.status_code == 200
    assert f"the certificate expired on {server_day:%d/%m/%Y}" in page.text
    assert (await english.get(f"/api/products/{product.id}")).json()["certified"] is False
    await match_demands(search, now=moment)
    state = await JobState.get(name="match")
    assert state.cursor["day"] == (server_day + timedelta(days=1)).isoformat()


async def test_product_page_draws_its_qr_code_once_then_serves_it_from_memory(
    client: httpx.AsyncClient,
) -> None:
    from web.views.search import qr_file, qr_svg

    product = await make_product()
    qr_svg.cache_clear()
    qr_file.cache_clear()

    pages = [await client.get(f"/products/{product.id}") for _ in range(3)]
    files = [await client.get(f"/products/{product.id}/qr.svg") for _ in range(2)]

    assert {page.status_code for page in pages} | {f.status_code for f in files} == {200}
    assert (qr_svg.cache_info().misses, qr_svg.cache_info().hits) == (1, 2)
    assert (qr_file.cache_info().misses, qr_file.cache_info().hits) == (1, 1)
    assert files[0].content == files[1].content
    assert 'class="qr"' in pages[2].text


async def test_product_qr_prints_as_png_and_pdf_labels_of_2_and_4_cm(client: httpx.AsyncClient) -> None:
    from PIL import Image

    made = await catalogue()
    tea = made["tea"]

    page = (await client.get(f"/products/{tea.id}")).text
    png = await client.get(f"/products/{tea.id}/label-4cm.png")
    small = await client.get(f"/products/{tea.id}/label-2cm.png")
    pdf = await client.get(f"/products/{tea.id}/label-2cm.pdf")

    assert re.search(r'<svg viewBox="0 0 \d+ \d+" class="qr"', page)
    assert f"/products/{tea.id}/label-2cm.pdf" in page
    with Image.open(io.BytesIO(png.content)) as label:
        assert label.width == 472 and label.height > 472  # 4 cm at 300 dpi, the name beneath
    with Image.open(io.BytesIO(small.content)) as label:
        assert label.width == 236
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert (await client.get(f"/products/{tea.id}/label-7cm.png")).status_code == 404
