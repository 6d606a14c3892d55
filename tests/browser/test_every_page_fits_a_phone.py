"""In a real browser at 390 px: every page each role's menu reaches fits the screen, cleanly.

Logs in as each demo role (`ocop seed`), follows every link of the role's menu, plus a product
page with a photo and the fair's floor plan and exhibitor directory, and checks that no page
scrolls sideways, that the console shows no error and that the Content-Security-Policy was
never violated (tests/browser/phone.py), with a screenshot of each.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.phone import Visit, camera_photo
from tests.browser.serving import CHROMIUM, ocop_server

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="make test installs Debian's chromium"),
]

ROLES = ("visitor", "producer", "buyer", "organiser", "officer", "admin")
LOGINS = {"producer": "htx@ocop.demo", "buyer": "npp@ocop.demo", "organiser": "btc@ocop.demo",
          "officer": "canbo@ocop.demo", "admin": "admin@ocop.demo"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    seed = ["--products", "40", "--buyers", "5", "--demands", "10"]
    with ocop_server(tmp_path_factory.mktemp("house"), seed=seed) as url:
        yield url


def _name(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


def _fair_plan(visit: Visit) -> str:
    visit.page.goto(visit.server + "/fairs")
    href = visit.page.locator("main td a[href*='/fairs/']").first.get_attribute("href")
    assert href is not None
    return urlsplit(href).path.rstrip("/") + "/plan"


def _product_with_photo(visit: Visit, tmp: Path) -> str:
    """The producer puts a big photo on its first product; returns the public product page."""
    page = visit.page
    page.goto(visit.server + "/producer/products")
    edit = page.locator("a[href$='/edit']").first.get_attribute("href")
    assert edit is not None
    product_id = re.search(r"/products/(\d+)/edit", edit)
    assert product_id
    photo = tmp / "photo.jpg"
    photo.write_bytes(camera_photo())
    page.goto(visit.server + urlsplit(edit).path)
    page.set_input_files("input[type=file]", str(photo))
    page.locator("form:has(input[type=file]) button[type=submit]").click()
    return f"/products/{product_id.group(1)}"


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_fits_a_phone(server: str, browser: Any, role: str,
                                             tmp_path: Path) -> None:
    visit = Visit(browser, server, role)
    try:
        if role != "visitor":
            visit.log_in(LOGINS[role])
        visit.open("/")
        problems = visit.check("home")
        pages = dict.fromkeys(visit.menu_links())
        plan = _fair_plan(visit)
        pages[plan] = None
        pages[plan.removesuffix("/plan") + "/directory"] = None
        if role == "producer":
            pages[_product_with_photo(visit, tmp_path)] = None
        assert len(pages) >= 3, pages
        for path in pages:
            visit.open(path)
            problems += visit.check(_name(path))
        assert problems == []
    finally:
        visit.close()
