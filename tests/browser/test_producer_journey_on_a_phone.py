"""On a 390 px phone, a new producer goes from signing up to a verified product with a photo
and printed QR labels, the way a cooperative would.

Signs up, completes the profile, adds a product claiming 4 stars, uploads a camera photo and
sees the product published and pending verification; the province's OCOP officer
(canbo@ocop.demo) imports the recognition decision, which verifies it; the producer then
downloads its QR labels as PNG and PDF at 2 and 4 cm. Every page fits the screen without
console errors or CSP violations (tests/browser/phone.py), with a screenshot of each.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from PIL import Image

from tests.browser.phone import Visit, camera_photo
from tests.browser.serving import CHROMIUM, emailed_link, ocop_server

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="make test installs Debian's chromium"),
]

TUYEN_QUANG = "8"  # the demo officer's province
PRODUCT = "Miến dong Bản Liền"
CLAIMED = "2468/QĐ-UBND"
DECISION = (
    "decision_number,decision_date,authority,level,province,producer_name,producer_kind,tax_code,"
    "product_name,group,subgroup,stars,score,certificate_number,expiry\r\n"
    f"{CLAIMED},20/08/2025,UBND tỉnh Tuyên Quang,Tỉnh,Tuyên Quang,HTX Miến dong Bản Liền,"
    f"Hợp tác xã,8000123456,{PRODUCT},Thực phẩm,,4,78,{CLAIMED},\r\n"
)
# A label is size / 2.54 × 300 dpi wide; the product's name is printed beneath the square code.
LABEL_PIXELS = {2: 236, 4: 472}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("journey")


@pytest.fixture(scope="module")
def server(root: Path) -> Iterator[str]:
    seed = ["--products", "20", "--buyers", "2", "--demands", "2"]
    with ocop_server(root, seed=seed) as url:
        yield url


def _sign_up_and_complete_the_profile(producer: Visit, root: Path) -> list[str]:
    page = producer.page
    producer.open("/register")
    problems = producer.check("register")
    page.select_option("#f-role", "producer")
    page.fill("#f-display_name", "HTX Miến dong Bản Liền")
    page.fill("#f-email", "miendong@banlien.vn")
    page.fill("#f-password", "Mien-Dong-Ban-Lien")
    page.click("button[type=submit].primary")
    page.wait_for_selector("#sign-up-sent")
    problems += producer.check("sign-up-sent")
    producer.open(emailed_link(root, "miendong@banlien.vn", "/register/confirm/"))
    problems += producer.check("sign-up-confirm")
    page.fill("#f-password", "Mien-Dong-Ban-Lien")
    page.click("button[type=submit].primary")
    page.wait_for_selector("#step-create-profile")
    problems += producer.check("first-home")

    page.click("#step-create-profile a")
    page.wait_for_selector("#f-province_code")
    problems += producer.check("empty-profile")
    page.fill("#f-name", "HTX Miến dong Bản Liền")
    page.select_option("#f-kind", "cooperative")
    page.fill("#f-tax_code", "8000123456")
    page.select_option("#f-province_code", TUYEN_QUANG)
    page.locator("#f-ward_code option").nth(1).wait_for(state="attached")  # wards.js fills it
    page.select_option("#f-ward_code", index=1)
    page.fill("#f-address", "Thôn Bản Liền")
    page.fill("#f-contact_name", "Hoàng Văn Liền")
    page.fill("#f-phone", "0912 345 678")
    page.fill("#f-description", "Miến dong làm thủ công từ củ dong riềng của bà con trong thôn.")
    page.click("form.grid-form button[type=submit].primary")
    page.wait_for_selector(".alert-ok")
    problems += producer.check("profile-saved")
    producer.open("/")
    problems += producer.check("home-with-profile")
    assert page.locator("#step-profile, #step-create-profile").count() == 0
    return problems


def _add_the_product_with_a_photo(producer: Visit, tmp: Path) -> tuple[int, list[str]]:
    page = producer.page
    page.click(".next-steps a.button.primary")  # "Add a product"
    page.wait_for_selector("#f-name")
    problems = producer.check("new-product")
    page.fill("#f-name", PRODUCT)
    page.select_option("#f-subgroup", index=1)
    page.select_option("#f-stars", "4")
    page.fill("#f-certificate_number", CLAIMED)
    page.fill("#f-decision_date", "2025-08-20")
    page.fill("#f-price_vnd", "85.000")
    page.select_option("#f-unit", "kg")
    page.fill("#f-min_order", "10")
    page.fill("#f-monthly_capacity", "1.500")
    page.click("button[name=publish]")
    page.wait_for_selector(".alert-ok")
    problems += producer.check("product-published")
    assert page.locator("#product-state .badge-warn").count() == 1  # the stars wait for an officer
    found = re.search(r"/producer/products/(\d+)/edit", page.url)
    assert found, page.url
    product_id = int(found.group(1))

    photo = tmp / "camera.jpg"
    photo.write_bytes(camera_photo())
    page.set_input_files("#f-image", str(photo))
    page.locator("form:has(#f-image) button[type=submit]").click()
    page.wait_for_selector("#photos figure img")
    problems += producer.check("photo-uploaded")
    assert page.evaluate("document.querySelector('#photos figure img').naturalWidth") > 0
    return product_id, problems


def _public_page_shows(visit: Visit, product_id: int, name: str) -> list[str]:
    page = visit.page
    visit.open(f"/products/{product_id}")
    page.wait_for_load_state("load")  # the first photo is not lazy: loaded with the page
    assert page.evaluate("document.querySelector('.photos img').naturalWidth") > 0
    return visit.check(name)


def _officer_imports_the_decision(officer: Visit, product_id: int, tmp: Path) -> list[str]:
    page = officer.page
    officer.log_in("canbo@ocop.demo")
    officer.open("/officer")
    assert page.locator(f"#claim-{product_id}").count() == 1
    problems = officer.check("queue-with-the-claim")
    decision = tmp / "quyet-dinh.csv"
    decision.write_text(DECISION, encoding="utf-8")
    page.set_input_files("#f-file", str(decision))
    page.click("#import button[type=submit].primary")
    page.wait_for_selector("#count-verified")
    assert page.inner_text("#count-verified") == "1"
    problems += officer.check("decision-imported")
    officer.open("/officer")
    assert page.locator(f"#claim-{product_id}").count() == 0
    return problems


def _labels(producer: Visit, product_id: int) -> None:
    """Each label link downloads a file, and the file is the label at its printed size."""
    page = producer.page
    for size, pixels in LABEL_PIXELS.items():
        for kind in ("png", "pdf"):
            link = page.locator(f".labels a[href$='/label-{size}cm.{kind}']")
            with page.expect_download() as download:
                link.click()
            assert download.value.suggested_filename == f"ocop-product-{product_id}-{size}cm.{kind}"
            response = producer.context.request.get(urljoin(page.url, link.get_attribute("href")))
            body = response.body()
            if kind == "png":
                assert response.headers["content-type"] == "image/png"
                with Image.open(io.BytesIO(body)) as label:
                    assert label.format == "PNG" and label.width == pixels
                    assert label.height > pixels  # the name is printed under the code
            else:
                assert response.headers["content-type"] == "application/pdf"
                assert body.startswith(b"%PDF")
                box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", body)
                assert box, body[:400]
                assert float(box.group(1)) == pytest.approx(size / 2.54 * 72, abs=0.5)  # points


def test_new_producer_reaches_a_verified_product_with_photo_and_labels_on_a_phone(
        server: str, root: Path, browser: Any, tmp_path: Path) -> None:
    producer = Visit(browser, server, "journey-producer")
    officer = Visit(browser, server, "journey-officer")
    visitor = Visit(browser, server, "journey-visitor")
    try:
        problems = _sign_up_and_complete_the_profile(producer, root)
        product_id, more = _add_the_product_with_a_photo(producer, tmp_path)
        problems += more
        problems += _public_page_shows(visitor, product_id, "product-pending")
        assert visitor.page.locator(".hit-meta .badge-warn").count() == 1  # pending verification
        assert visitor.page.locator(".hit-meta .stars.greyed").count() == 1

        problems += _officer_imports_the_decision(officer, product_id, tmp_path)

        problems += _public_page_shows(visitor, product_id, "product-verified")
        assert visitor.page.locator(".hit-meta .badge-ok").count() == 1
        assert visitor.page.inner_text(".hit-meta .stars") == "★★★★"
        problems += _public_page_shows(producer, product_id, "product-labels")
        _labels(producer, product_id)
        assert problems == []
    finally:
        for visit in (producer, officer, visitor):
            visit.close()
