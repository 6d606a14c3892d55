"""The officer's pages, the register import API and the public statistics page."""

from __future__ import annotations

import io
from datetime import date, timedelta

import httpx
import openpyxl

from matchmaking.models import Account, CertificateEntry, Product
from matchmaking.places import resolve_province
from tests.factories import PASSWORD, make_account, make_producer, make_product
from tests.matchmaking.certificates.register_files import register_csv, row
from tests.web.helpers import csrf, log_in, post_form

LANG_SON = resolve_province("Lạng Sơn")


async def test_admin_creates_a_provincial_officer(client: httpx.AsyncClient) -> None:
    await log_in(client, (await make_account("admin")).email)
    response = await post_form(client, "/admin/users", {
        "role": "officer", "display_name": "Văn phòng OCOP Lạng Sơn", "province": str(LANG_SON),
        "email": "ocop@langson.gov.vn", "password": "Hoi-Van-Quan-2026", "language": "vi"})
    assert response.status_code == 303
    officer = await Account.get(email="ocop@langson.gov.vn")
    assert (officer.role, officer.province_code) == ("officer", LANG_SON)
    page = await client.get("/admin/users")
    assert "Lạng Sơn" in page.text


async def test_officer_imports_on_the_page_and_links_a_claim(client: httpx.AsyncClient) -> None:
    officer = await make_account("officer", province_code=LANG_SON)
    producer = await make_producer(province_code=LANG_SON)
    claim = await make_product(producer, name="Miến dong Bình Gia", certificate_number="9/QĐ",
                               verification="pending")
    await log_in(client, officer.email)
    page = await client.get("/officer")
    assert page.status_code == 200 and f'id="claim-{claim.id}"' in page.text
    content = register_csv([row(decision_date=(date.today() - timedelta(days=30)).isoformat(),
                                product_name="Miến dong Bình Gia")])
    response = await client.post("/officer/register/import",
                                 data={"csrf_token": await csrf(client)},
                                 files={"file": ("qd.csv", content, "text/csv")})
    assert response.status_code == 200
    assert '<dd id="count-created">1</dd>' in response.text
    entry = await CertificateEntry.get()
    linked = await post_form(client, f"/officer/claims/{claim.id}/link", {"entry": str(entry.id)})
    assert linked.status_code == 303
    await claim.refresh_from_db()
    assert (claim.verification, claim.verified_stars) == ("verified", 4)
    assert f'id="claim-{claim.id}"' not in (await client.get("/officer")).text


async def test_import_api_reports_rows_and_422_when_rejected(client: httpx.AsyncClient) -> None:
    officer = await make_account("officer", province_code=LANG_SON)
    token = (await client.post("/api/auth/token", json={"email": officer.email,
                                                        "password": PASSWORD})).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    good = await client.post("/api/certificates/import", headers=headers,
                             files={"file": ("qd.csv", register_csv([row()]))})
    assert good.status_code == 200 and good.json()["created"] == 1
    bad = await client.post("/api/certificates/import", headers=headers,
                            files={"file": ("qd.csv", register_csv([row(province="Hà Giang")]))})
    assert bad.status_code == 422
    assert [(p["row"], p["field"]) for p in bad.json()["problems"]] == [(2, "province")]
    missing = await client.post("/api/certificates/import", headers=headers, data={"x": "1"})
    assert missing.status_code == 422 and missing.json()["problems"][0]["field"] == "file"


async def test_stats_api_validates_parameters(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/stats/certificates",
                                params={"as_of": "31/31/2020", "province": "Atlantis",
                                        "year": "x", "group": "cars"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"as_of", "province", "year", "group"}
    empty = (await client.get("/api/stats/certificates")).json()
    assert empty["recognised"] == {"products": 0, "producers": 0,
                                   "stars": {"3": 0, "4": 0, "5": 0}}


async def test_stats_page_has_svg_charts_and_an_xlsx_export(client: httpx.AsyncClient) -> None:
    from matchmaking.certificates.register import import_register

    await import_register(await make_account("admin"), filename="x.csv", content=register_csv(
        [row(), row(product_name="Rượu Mẫu Sơn", stars="3")]))
    page = await client.get("/stats/certificates", params={"province": "Lạng Sơn",  # no login
                                                            "as_of": "2026-01-01"})
    assert page.status_code == 200
    assert '<dd id="recognised">2</dd>' in page.text
    assert page.text.count("<svg class=\"chart\"") == 4 and "<script" not in page.text
    assert "style=" not in page.text.split("<main", 1)[-1]
    export = await client.get("/stats/certificates.xlsx", params={"province": "Lạng Sơn",
                                                                  "as_of": "2026-01-01"})
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    values = [tuple(line) for line in sheet.iter_rows(values_only=True)]
    assert any(line[:2] == ("Lạng Sơn", 2) for line in values)


async def test_pending_claim_shows_greyed_with_pending_badge(client: httpx.AsyncClient) -> None:
    claim = await make_product(name="Trà hoa vàng", verification="pending", stars=5)
    page = await client.get(f"/products/{claim.id}")
    assert "stars greyed" in page.text and "chờ xác minh" in page.text.lower()
    assert (await Product.get(id=claim.id)).verified_stars is None


async def test_officer_sees_and_exports_expiring_certificates(client: httpx.AsyncClient) -> None:
    soon = date.today() + timedelta(days=40)
    product = await make_product(await make_producer(province_code=LANG_SON),
                                 name="Hồi Văn Quan loại 1", certificate_expiry=soon)
    await log_in(client, (await make_account("officer", province_code=LANG_SON)).email)
    page = await client.get("/officer")
    assert "Hồi Văn Quan loại 1" in page.text.split('id="expiring"', 1)[1].split("</section>")[0]
    export = await client.get("/officer/expiring.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == product.name and rows[1][5].date() == soon


async def test_producer_with_a_known_tax_code_lists_its_recognised_product(
    client: httpx.AsyncClient,
) -> None:
    from matchmaking.certificates.register import import_register

    decided = (date.today() - timedelta(days=60)).isoformat()
    await import_register(await make_account("admin"), filename="qd.csv", content=register_csv(
        [row(tax_code="4900123456", decision_date=decided)]))
    owner = await make_account("producer")
    await make_producer(owner=owner, tax_code="4900123456", province_code=LANG_SON)
    await log_in(client, owner.email)
    listing = await client.get("/producer/products")
    assert "Tinh dầu hồi Văn Quan" in listing.text.split('id="recognised"', 1)[1]
    entry = await CertificateEntry.get()
    form = await client.get(f"/producer/products/new?entry={entry.id}")
    assert 'value="Tinh dầu hồi Văn Quan"' in form.text
    created = await post_form(client, "/producer/products/new", {
        "name": "Tinh dầu hồi Văn Quan", "group": "herbal", "subgroup": "herbal_food",
        "stars": "4", "certificate_number": entry.certificate_number,
        "decision_date": entry.decision_date.strftime("%d/%m/%Y"), "price_vnd": "300000",
        "unit": "chai", "monthly_capacity": "100"})
    assert created.status_code == 303
    product = await Product.get(name="Tinh dầu hồi Văn Quan")
    assert (product.verification, product.certificate_entry_id) == ("verified", entry.id)  # type: ignore[attr-defined]
    assert 'id="recognised"' not in (await client.get("/producer/products")).text
