"""In a real browser: a producer adds a product, a visitor finds it typing without accents.

Drives Debian's Chromium (/usr/bin/chromium) with Playwright against `ocop serve` running with
its own SQLite database and its own supervised Meilisearch.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.serving import BROWSER_ARGS, CHROMIUM, emailed_link, ocop_server

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="make test installs Debian's chromium"),
]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser")


@pytest.fixture(scope="module")
def server(root: Path) -> Iterator[str]:
    with ocop_server(root) as url:
        yield url


def test_producer_adds_product_and_visitor_finds_it_without_accents(server: str, root: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            producer = browser.new_context(locale="vi-VN").new_page()
            producer.goto(f"{server}/register")
            producer.select_option("#f-role", "producer")
            producer.fill("#f-display_name", "HTX Chè Shan Tuyết Bản Liền")
            producer.fill("#f-email", "banlien@htx.vn")
            producer.fill("#f-password", "Shan-Tuyet-Ban-Lien")
            producer.click("button[type=submit].primary")
            expect(producer.locator("#sign-up-sent")).to_be_visible()
            producer.goto(server + emailed_link(root, "banlien@htx.vn", "/register/confirm/"))
            producer.fill("#f-password", "Shan-Tuyet-Ban-Lien")
            producer.click("button[type=submit].primary")
            expect(producer.locator("#next-steps-title")).to_be_visible()

            producer.goto(f"{server}/producer/profile")
            producer.select_option("#f-kind", "cooperative")
            producer.select_option("#f-province_code", "15")
            producer.click("button[type=submit].primary")

            producer.goto(f"{server}/producer/products/new")
            producer.fill("#f-name", "Trà Shan tuyết cổ thụ Bản Liền")
            producer.select_option("#f-subgroup", "beverages/tea")
            producer.select_option("#f-stars", "4")
            producer.fill("#f-certificate_number", "1520/QĐ-UBND")
            producer.fill("#f-decision_date", "2025-08-20")
            producer.fill("#f-price_vnd", "650.000")
            producer.select_option("#f-unit", "kg")
            producer.fill("#f-monthly_capacity", "300")
            producer.click("button[name=publish]")
            expect(producer.locator(".alert-ok")).to_be_visible()

            visitor = browser.new_context(locale="vi-VN").new_page()
            found = False
            deadline = time.monotonic() + 10
            while not found and time.monotonic() < deadline:
                visitor.goto(f"{server}/search")
                visitor.fill("#f-q", "tra shan tuyet ban lien")
                visitor.press("#f-q", "Enter")
                found = visitor.locator(".hit", has_text="Bản Liền").count() > 0
                if not found:
                    time.sleep(0.5)
            assert found, visitor.content()[:2000]
            visitor.locator(".hit a", has_text="Bản Liền").first.click()
            expect(visitor.locator("#price")).to_contain_text("650.000")
            expect(visitor.locator("#qr")).to_be_visible()
        finally:
            browser.close()
