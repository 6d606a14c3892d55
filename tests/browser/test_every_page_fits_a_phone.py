"""In a real browser at 390 px: every page each role's menu reaches fits the screen, cleanly.

Logs in as each demo role (`ocop seed`), follows every link of the role's menu, plus a product
page with a photo and the fair's floor plan, and checks that no page scrolls sideways, that the
console shows no error and that the Content-Security-Policy was never violated. Screenshots go
to var/screenshots/ (or OCOP_SCREENSHOTS) for a person to look at.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from PIL import Image

from tests.browser.serving import BROWSER_ARGS, CHROMIUM, ocop_server

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="make test installs Debian's chromium"),
]

PHONE = {"width": 390, "height": 844}
PASSWORD = "ocop-demo-2026"
ROLES = ("visitor", "producer", "buyer", "organiser", "officer", "admin")
LOGINS = {"producer": "htx@ocop.demo", "buyer": "npp@ocop.demo", "organiser": "btc@ocop.demo",
          "officer": "canbo@ocop.demo", "admin": "admin@ocop.demo"}
# Runs before the page's own scripts, so violations while loading are counted too.
CSP_WATCH = """window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective));"""
SHOTS = Path(os.environ.get("OCOP_SCREENSHOTS", Path(__file__).parents[2] / "var" / "screenshots"))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    seed = ["--products", "40", "--buyers", "5", "--demands", "10"]
    with ocop_server(tmp_path_factory.mktemp("house"), seed=seed) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield chromium
        chromium.close()


def _photo() -> bytes:
    """A large camera-like JPEG (2400 x 1800), wider than any phone."""
    image = Image.new("RGB", (2400, 1800), (120, 160, 90))
    for n in range(60):
        colour = ((n * 37) % 255, (n * 91) % 255, (n * 53) % 255)
        image.paste(colour, (n * 40, n * 30, n * 40 + 300, n * 30 + 200))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


class Visit:
    """One phone-sized browser context that records console errors and CSP violations."""

    def __init__(self, browser: Any, server: str, role: str) -> None:
        self.server, self.role = server, role
        self.context = browser.new_context(viewport=PHONE, locale="vi-VN")
        self.context.add_init_script(CSP_WATCH)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"script: {e}"))

    def open(self, path: str) -> None:
        self.page.goto(self.server + path)

    def check(self, name: str) -> list[str]:
        """What a person would trip over on the open page; also saves its screenshot."""
        page = self.page
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{self.role}-{name}.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        found = [f"{page.url}: {p}" for p in self.problems]
        self.problems.clear()
        if width > PHONE["width"]:
            found.append(f"{page.url}: {width} px wide on a {PHONE['width']} px screen")
        if page.evaluate("window.__csp ? window.__csp.length : 0"):
            found.append(f"{page.url}: CSP violated")
        return found

    def log_in(self) -> None:
        self.open("/login")
        self.page.fill("#f-email", LOGINS[self.role])
        self.page.fill("#f-password", PASSWORD)
        self.page.click("button[type=submit].primary")

    def menu_links(self) -> list[str]:
        hrefs = self.page.eval_on_selector_all(
            ".site-menu .account-nav a", "links => links.map(a => a.getAttribute('href'))")
        here = urlsplit(self.server).netloc
        return [urlsplit(h).path for h in hrefs if urlsplit(h).netloc in ("", here)]


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
    photo.write_bytes(_photo())
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
            visit.log_in()
        visit.open("/")
        problems = visit.check("home")
        pages = dict.fromkeys(visit.menu_links())
        pages[_fair_plan(visit)] = None
        if role == "producer":
            pages[_product_with_photo(visit, tmp_path)] = None
        assert len(pages) >= 3, pages
        for path in pages:
            visit.open(path)
            problems += visit.check(_name(path))
        assert problems == []
    finally:
        visit.context.close()
