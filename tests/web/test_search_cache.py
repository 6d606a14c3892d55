"""The search page from memory: result cards drawn once, anonymous pages reused while the index
holds, and nothing personal ever served to another visitor."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
from starlette.applications import Starlette

from config.settings import Settings
from matchmaking.catalogue.products import enqueue
from matchmaking.models import JobState, Product, ProductImage
from search import products
from search.client import SearchClient
from search.indexer import reindex, sync_outbox
from search.version import VERSION_STATE, IndexVersion
from tests.factories import make_account, make_producer, make_product
from tests.web.helpers import log_in
from web.app import create_app
from web.csrf import CSRF_COOKIE
from web.fragments import Fragments
from web.middleware import LANGUAGE_COOKIE
from web.page_cache import PageCache

TODAY = date.today()
PAGES = ["/search?q=tra", "/search?q=tra&sort=price_asc", "/search?group=beverages&mark=organic",
         "/search", "/search?q=khong+co+dau+xyz", "/search?q=tra&min_stars=9"]


async def _catalogue(search: SearchClient) -> Product:
    producer = await make_producer(name="HTX Trà Bản Liền")
    first = await make_product(producer, name="Trà Shan tuyết Bản Liền", quality_marks=["organic"])
    green = await make_product(producer, name="Trà xanh Bản Liền", price_vnd=90_000)
    await ProductImage.create(product=first, path="products/1/a.webp", width=1200, height=800,
                              position=0, has_thumbnail=True)
    await ProductImage.create(product=green, path="products/2/b.webp", width=300, height=400,
                              position=0)
    await make_product(producer, name="Trà hoa vàng Bản Liền", stars=None, certificate_number=None,
                       decision_date=None, certificate_expiry=None)
    await reindex(search, today=TODAY)
    return first


def _shown(response: httpx.Response) -> str:
    """The page's text without the highlight marks around the searched words."""
    return response.text.replace("<mark>", "").replace("</mark>", "")


def _fragments(app: Starlette) -> Fragments:
    return app.state.templates.env.globals["once"].__self__  # type: ignore[no-any-return]


def _uncached(app: Starlette) -> Starlette:
    """`app` drawing every card and every page afresh."""
    app.state.templates.env.globals["once"] = Fragments(max_entries=0).once
    app.state.search_pages = PageCache(max_age=0)
    return app


def _client(app: Starlette, **cookies: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver",
                             cookies=cookies)


@pytest.fixture
async def fresh(db: str, settings: Settings, search: SearchClient) -> AsyncIterator[Starlette]:
    yield _uncached(create_app(settings, search=search, manage_database=False))


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_pages_and_cards_from_memory_equal_fresh_ones(
    app: Starlette, fresh: Starlette, search: SearchClient, language: str
) -> None:
    await _catalogue(search)
    buyer = await make_account("buyer", display_name="Chị Lan mua hàng")
    async with _client(app, **{LANGUAGE_COOKIE: language}) as cached, \
            _client(fresh, **{LANGUAGE_COOKIE: language}) as drawn:
        for _ in range(2):  # the second round comes from memory
            for path in PAGES:
                assert (await cached.get(path)).text == (await drawn.get(path)).text, path
        assert 'class="hit-photo"' in (await cached.get(PAGES[0])).text
        await log_in(cached, buyer.email)
        drawn.cookies = cached.cookies  # the same session and CSRF token on both apps
        for path in PAGES:
            mine = (await cached.get(path)).text
            assert "Chị Lan mua hàng" in mine
            assert mine == (await drawn.get(path)).text, path


@pytest.fixture
async def buyer(client: httpx.AsyncClient, search: SearchClient) -> httpx.AsyncClient:
    """A logged-in buyer's client on the catalogue: no page is reused for them, only cards."""
    await _catalogue(search)
    await log_in(client, (await make_account("buyer")).email)
    return client


async def test_result_cards_are_drawn_once_whatever_the_order(
    app: Starlette, buyer: httpx.AsyncClient
) -> None:
    client = buyer
    first = await client.get("/search?q=tra")
    again = await client.get("/search?q=tra&sort=price_asc")

    assert first.text.count('<article class="hit"') == again.text.count('<article class="hit"') == 3
    assert _fragments(app).rendered == 3
    client.cookies.set(LANGUAGE_COOKIE, "en")
    await client.get("/search?q=tra")
    assert _fragments(app).rendered == 6


async def test_card_found_by_other_words_is_drawn_once_with_their_highlights(
    app: Starlette, buyer: httpx.AsyncClient
) -> None:
    tea = await buyer.get("/search?q=tra")
    shan = await buyer.get("/search?q=shan")

    assert _fragments(app).rendered == 3
    assert "<mark>Trà</mark> Shan tuyết Bản Liền</a>" in tea.text
    assert "Trà <mark>Shan</mark> tuyết Bản Liền</a>" in shan.text
    assert shan.text.count('<article class="hit"') == 1


async def test_anonymous_page_is_kept_but_never_shown_with_anyone_elses_name_or_token(
    app: Starlette, search: SearchClient
) -> None:
    await _catalogue(search)
    buyer = await make_account("buyer", display_name="Chị Lan mua hàng")
    pages: PageCache = app.state.search_pages
    async with _client(app) as lan, _client(app) as stranger:
        anonymous = await lan.get("/search?q=tra")
        await log_in(lan, buyer.email)
        hers = await lan.get("/search?q=tra")
        theirs = await stranger.get("/search?q=tra")

    assert pages.stored == 1
    assert "Chị Lan mua hàng" in hers.text and lan.cookies[CSRF_COOKIE] in hers.text
    assert theirs.text == anonymous.text
    assert "Chị Lan mua hàng" not in theirs.text and lan.cookies[CSRF_COOKIE] not in theirs.text
    # The page came from memory, the stranger's CSRF cookie did not: it is theirs alone.
    assert theirs.headers.get_list("set-cookie") == [
        f"{CSRF_COOKIE}={stranger.cookies[CSRF_COOKIE]}; Path=/; HttpOnly; SameSite=Lax"]
    assert stranger.cookies[CSRF_COOKIE] != lan.cookies[CSRF_COOKIE]


async def test_each_language_has_its_own_page(app: Starlette, search: SearchClient) -> None:
    await _catalogue(search)
    async with _client(app) as vi, _client(app, **{LANGUAGE_COOKIE: "en"}) as en:
        assert "3 sản phẩm" in (await vi.get("/search?q=tra")).text
        assert "3 products found" in (await en.get("/search?q=tra")).text
        assert "3 sản phẩm" in (await vi.get("/search?q=tra")).text
    assert app.state.search_pages.stored == 2


async def test_this_processes_index_change_shows_at_once(
    client: httpx.AsyncClient, search: SearchClient
) -> None:
    tea = await _catalogue(search)
    assert "Trà Shan tuyết Bản Liền" in _shown(await client.get("/search?q=tra"))

    await Product.filter(id=tea.id).update(name="Trà Shan tuyết cổ thụ Bản Liền")
    await enqueue(tea.id)
    await sync_outbox(search, today=TODAY)

    assert "Trà Shan tuyết cổ thụ Bản Liền" in _shown(await client.get("/search?q=tra"))


async def test_another_processes_index_change_shows_within_a_second(
    app: Starlette, client: httpx.AsyncClient, search: SearchClient
) -> None:
    tea = await _catalogue(search)
    now = [1000.0]
    app.state.index_version = IndexVersion(max_age=1.0, clock=lambda: now[0])
    assert "Trà Shan tuyết Bản Liền" in _shown(await client.get("/search?q=tra"))

    # What another process's outbox sync does: change the documents, then record a version.
    index = search.raw.index(search.index_uid(products.INDEX))
    task = index.update_documents([{"id": tea.id, "name": "Trà Shan tuyết cổ thụ Bản Liền"}])
    search.wait(task.task_uid)
    await JobState.update_or_create(name=VERSION_STATE, defaults={"cursor": {"version": "other"}})

    now[0] += 0.5
    assert "Trà Shan tuyết Bản Liền" in _shown(await client.get("/search?q=tra"))
    now[0] += 0.5
    assert "Trà Shan tuyết cổ thụ Bản Liền" in _shown(await client.get("/search?q=tra"))
    assert app.state.index_version.reads == 2


async def test_degraded_results_are_never_kept(
    settings: Settings, search: SearchClient, db: str, free_port: int
) -> None:
    await _catalogue(search)
    dead = SearchClient(f"http://127.0.0.1:{free_port}", "key", prefix=search.prefix, timeout=1)
    app = create_app(settings, search=dead, manage_database=False)
    async with _client(app) as http:
        for _ in range(2):
            assert 'id="degraded-notice"' in (await http.get("/search?q=tra")).text
    assert app.state.search_pages.stored == 0
