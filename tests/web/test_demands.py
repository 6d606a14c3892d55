"""Buyers post demands and decide on quotes; producers browse demands and quote; the inbox; the API."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from matchmaking.enums import DemandStatus, QuoteStatus
from matchmaking.models import (
    Account,
    Buyer,
    Demand,
    Match,
    Notification,
    Producer,
    Quote,
    SourcingShare,
)
from tests.factories import PASSWORD, make_account, make_buyer, make_demand, make_producer, make_product
from tests.web.helpers import log_in, post_form

SOON = (date.today() + timedelta(days=30)).isoformat()
DEMAND: dict[str, Any] = {
    "title": "Cần 2 tấn trà Shan tuyết", "description": "Đóng túi 500 g",
    "group_subgroup": "beverages/tea", "keywords": "shan tuyết", "quantity": "2", "unit": "tấn",
    "recurrence": "monthly", "max_price_vnd": "400.000", "min_stars": "4",
    "required_marks": ["vietgap", "organic"], "delivery_province_code": "1", "needed_by": SOON,
    "valid_until": "",
}


async def as_buyer(client: httpx.AsyncClient) -> tuple[Account, Buyer]:
    account = await make_account("buyer")
    buyer = await make_buyer(owner=account)
    await log_in(client, account.email)
    return account, buyer


async def as_producer(client: httpx.AsyncClient) -> tuple[Account, Producer]:
    account = await make_account("producer")
    producer = await make_producer(owner=account)
    await log_in(client, account.email)
    return account, producer


async def bearer(client: httpx.AsyncClient, account: Account) -> dict[str, str]:
    response = await client.post("/api/auth/token", json={"email": account.email,
                                                          "password": PASSWORD})
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def test_buyer_profile_converts_old_province_and_keeps_typed_values(
        client: httpx.AsyncClient) -> None:
    account = await make_account("buyer")
    await log_in(client, account.email)
    assert (await client.get("/buyer/demands")).headers["location"] == "/buyer/profile"
    typed = {"name": "Siêu thị Sạch Hà Nội", "kind": "supermarket", "tax_code": "12AB",
             "province_code": "1"}
    response = await post_form(client, "/buyer/profile", typed)
    assert response.status_code == 422
    assert 'value="Siêu thị Sạch Hà Nội"' in response.text and 'value="12AB"' in response.text
    assert await Buyer.all().count() == 0
    response = await post_form(client, "/buyer/profile", {**typed, "tax_code": "0101234567",
                                                          "province_code": "Hà Giang"})
    assert response.status_code == 303
    assert (await Buyer.get(owner=account)).province_code == 8


async def test_new_demand_needs_a_profile(client: httpx.AsyncClient) -> None:
    await log_in(client, (await make_account("buyer")).email)
    response = await client.get("/buyer/demands/new")
    assert response.status_code == 303 and response.headers["location"] == "/buyer/profile"


async def test_post_demand_form_saves_and_shows_it(client: httpx.AsyncClient) -> None:
    _, buyer = await as_buyer(client)
    response = await post_form(client, "/buyer/demands/new", DEMAND)
    assert response.status_code == 303
    demand = await Demand.get(buyer=buyer)
    assert (demand.group, demand.subgroup, demand.unit) == ("beverages", "tea", "tấn")
    assert demand.required_marks == ["organic", "vietgap"] and demand.max_price_vnd == 400_000
    assert str(demand.valid_until) == SOON
    page = await client.get(response.headers["location"])
    assert "Cần 2 tấn trà Shan tuyết" in page.text and "400.000" in page.text
    listing = await client.get("/buyer/demands")
    assert f"/buyer/demands/{demand.id}" in listing.text


async def test_demand_form_errors_keep_everything_typed(client: httpx.AsyncClient) -> None:
    await as_buyer(client)
    response = await post_form(client, "/buyer/demands/new",
                               {**DEMAND, "quantity": "0", "needed_by": "2020-01-01"})
    assert response.status_code == 422
    assert 'value="Cần 2 tấn trà Shan tuyết"' in response.text
    assert 'value="beverages/tea" selected' in response.text
    assert 'value="organic" checked' in response.text and 'value="tấn" selected' in response.text
    assert 'value="monthly" selected' in response.text and 'value="400.000"' in response.text
    assert 'id="e-quantity"' in response.text and 'id="e-needed_by"' in response.text
    assert await Demand.all().count() == 0


async def test_edit_form_shows_saved_values_and_saves(client: httpx.AsyncClient) -> None:
    _, buyer = await as_buyer(client)
    demand = await make_demand(buyer, max_price_vnd=350_000)
    page = await client.get(f"/buyer/demands/{demand.id}/edit")
    assert 'value="350.000"' in page.text and 'value="beverages/tea" selected' in page.text
    response = await post_form(client, f"/buyer/demands/{demand.id}/edit",
                               {**DEMAND, "quantity": "5"})
    assert response.status_code == 303
    assert (await Demand.get(id=demand.id)).quantity == 5


async def test_buyer_page_shows_matches_consortium_and_quotes(client: httpx.AsyncClient) -> None:
    _, buyer = await as_buyer(client)
    demand = await make_demand(buyer, quantity=500, max_price_vnd=360_000)
    product = await make_product(name="Trà Shan tuyết Bản Liền")
    await Match.create(demand=demand, product=product, producer_id=product.producer_id,
                       score=0.91, rank=1, reasons=["Đạt 4 sao OCOP", "Giao được trong 5 ngày"])
    await SourcingShare.create(demand=demand, product=product, quantity=300, score=0.9)
    await Quote.create(demand=demand, producer=await make_producer(name="HTX Chè Bản Liền"),
                       price_vnd=380_000, quantity=200, lead_time_days=6)
    page = await client.get(f"/buyer/demands/{demand.id}")
    assert page.status_code == 200
    assert "Trà Shan tuyết Bản Liền" in page.text and "Giao được trong 5 ngày" in page.text
    assert 'class="shortfall"' in page.text and "200 kg" in page.text
    assert "HTX Chè Bản Liền" in page.text and "380.000" in page.text
    assert page.text.count("/accept") == 1 and "/shortlist" in page.text


async def test_buyer_accepts_through_the_page_and_refusals_are_explained(
        client: httpx.AsyncClient) -> None:
    _, buyer = await as_buyer(client)
    demand = await make_demand(buyer, quantity=100)
    quote = await Quote.create(demand=demand, producer=await make_producer(), price_vnd=1000,
                               quantity=100, lead_time_days=2)
    response = await post_form(client, f"/buyer/quotes/{quote.id}/accept")
    assert response.status_code == 303
    assert (await Demand.get(id=demand.id)).status == DemandStatus.FULFILLED
    again = await post_form(client, f"/buyer/quotes/{quote.id}/decline")
    assert again.status_code == 422 and 'role="alert"' in again.text
    assert (await Quote.get(id=quote.id)).status == QuoteStatus.ACCEPTED


async def test_close_demand_button(client: httpx.AsyncClient) -> None:
    _, buyer = await as_buyer(client)
    demand = await make_demand(buyer)
    assert (await post_form(client, f"/buyer/demands/{demand.id}/close")).status_code == 303
    assert (await Demand.get(id=demand.id)).status == DemandStatus.CLOSED


async def test_producer_lists_and_filters_open_demands(client: httpx.AsyncClient) -> None:
    tea = await make_demand(title="Cần trà Shan tuyết")
    await make_demand(title="Cần nước mắm", group="food", subgroup="condiments")
    await make_demand(title="Cần mật ong", status=DemandStatus.CLOSED)
    await as_producer(client)
    everything = await client.get("/demands")
    assert "Cần trà Shan tuyết" in everything.text and "Cần nước mắm" in everything.text
    assert "Cần mật ong" not in everything.text
    filtered = await client.get("/demands", params={"group": "beverages", "province": "Hà Nội"})
    assert f"/demands/{tea.id}" in filtered.text and "Cần nước mắm" not in filtered.text


async def test_producer_quotes_and_errors_keep_typed_values(client: httpx.AsyncClient) -> None:
    demand = await make_demand()
    _, producer = await as_producer(client)
    product = await make_product(producer)
    page = await client.get(f"/demands/{demand.id}")
    assert page.status_code == 200 and 'name="price_vnd"' in page.text
    typed = {"price_vnd": "rẻ lắm", "quantity": "80", "lead_time_days": "5",
             "message": "Hàng vụ xuân", "product_id": str(product.id)}
    response = await post_form(client, f"/demands/{demand.id}/quotes", typed)
    assert response.status_code == 422
    assert 'value="rẻ lắm"' in response.text and "Hàng vụ xuân" in response.text
    assert f'value="{product.id}" selected' in response.text
    assert await Quote.all().count() == 0
    response = await post_form(client, f"/demands/{demand.id}/quotes",
                               {**typed, "price_vnd": "340.000"})
    assert response.status_code == 303
    quote = await Quote.get(producer=producer)
    assert quote.price_vnd == 340_000 and quote.product_id == product.id
    shown = await client.get(f"/demands/{demand.id}")
    assert 'name="price_vnd"' not in shown.text and "/withdraw" in shown.text


async def test_producer_withdraws_from_my_quotes(client: httpx.AsyncClient) -> None:
    demand = await make_demand()
    _, producer = await as_producer(client)
    quote = await Quote.create(demand=demand, producer=producer, price_vnd=1000, quantity=5,
                               lead_time_days=1)
    listing = await client.get("/producer/quotes")
    assert demand.title in listing.text
    assert (await post_form(client, f"/producer/quotes/{quote.id}/withdraw")).status_code == 303
    assert (await Quote.get(id=quote.id)).status == QuoteStatus.WITHDRAWN
    again = await post_form(client, f"/producer/quotes/{quote.id}/withdraw")
    assert again.status_code == 422


async def test_buyer_opening_the_producer_page_goes_to_its_own(client: httpx.AsyncClient) -> None:
    _, buyer = await as_buyer(client)
    demand = await make_demand(buyer)
    response = await client.get(f"/demands/{demand.id}")
    assert response.headers["location"] == f"/buyer/demands/{demand.id}"


async def test_inbox_lists_and_marks_read(client: httpx.AsyncClient) -> None:
    account, _ = await as_buyer(client)
    note = await Notification.create(account=account, kind="quote.submitted",
                                     title="Báo giá mới: trà", link="/buyer/demands/1")
    other = await Notification.create(account=await make_account(), kind="x", title="Không phải")
    page = await client.get("/inbox")
    assert "Báo giá mới: trà" in page.text and "Không phải" not in page.text
    assert (await post_form(client, f"/inbox/{note.id}/read")).status_code == 303
    assert (await Notification.get(id=note.id)).read_at is not None
    assert (await post_form(client, f"/inbox/{other.id}/read")).status_code == 404
    assert (await Notification.get(id=other.id)).read_at is None


async def test_api_demand_lifecycle(client: httpx.AsyncClient) -> None:
    buyer_account = await make_account("buyer")
    headers = await bearer(client, buyer_account)
    profile = await client.put("/api/buyer/profile", headers=headers, json={
        "name": "Công ty XK Nông sản", "kind": "exporter", "province_code": "Sài Gòn"})
    assert profile.status_code == 200 and profile.json()["province_code"] == 79
    body = {"title": "Cần 500 kg cà phê", "subgroup": "coffee", "quantity": 500, "unit": "kg",
            "delivery_province_code": 79, "needed_by": SOON, "required_marks": ["organic"]}
    created = await client.post("/api/demands", headers=headers, json=body)
    assert created.status_code == 201, created.text
    demand = created.json()
    assert demand["group"] == "beverages" and demand["status"] == "open"
    assert demand["valid_until"] == SOON and demand["delivery_province"] == "Hồ Chí Minh"
    bad = await client.post("/api/demands", headers=headers, json={**body, "quantity": 0,
                                                                   "unit": "xe"})
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"quantity", "unit"}
    changed = await client.put(f"/api/demands/{demand['id']}", headers=headers,
                               json={**body, "quantity": 800})
    assert changed.json()["quantity"] == 800
    listed = await client.get("/api/buyer/demands", headers=headers)
    assert [(d["id"], d["active_quotes"]) for d in listed.json()] == [(demand["id"], 0)]

    producer_account = await make_account("producer")
    await make_producer(owner=producer_account)
    producer_headers = await bearer(client, producer_account)
    seen = await client.get(f"/api/demands/{demand['id']}", headers=producer_headers)
    assert seen.status_code == 200
    quote = await client.post(f"/api/demands/{demand['id']}/quotes", headers=producer_headers,
                              json={"price_vnd": 95_000, "quantity": 800, "lead_time_days": 10})
    assert quote.status_code == 201 and quote.json()["status"] == "submitted"
    quote_id = quote.json()["id"]
    assert (await client.post(f"/api/quotes/{quote_id}/shortlist", headers=headers)).json()[
        "status"] == "shortlisted"
    assert (await client.post(f"/api/quotes/{quote_id}/withdraw", headers=headers)).status_code \
        == 403
    accepted = await client.post(f"/api/quotes/{quote_id}/accept", headers=headers)
    assert accepted.json()["status"] == "accepted"
    final = await client.get(f"/api/demands/{demand['id']}", headers=headers)
    assert final.json()["status"] == "fulfilled"
    quotes = await client.get(f"/api/demands/{demand['id']}/quotes", headers=producer_headers)
    assert [q["id"] for q in quotes.json()] == [quote_id]
    closing = await client.post(f"/api/demands/{demand['id']}/close", headers=headers)
    assert closing.status_code == 422 and "status" in closing.json()["errors"]


async def test_every_demand_api_route_is_documented(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/api/openapi.json")).json()
    paths = schema["paths"]
    for path, method in [
        ("/api/buyer/profile", "put"), ("/api/buyer/demands", "get"), ("/api/demands", "post"),
        ("/api/demands/{demand_id}", "get"), ("/api/demands/{demand_id}", "put"),
        ("/api/demands/{demand_id}/close", "post"), ("/api/demands/{demand_id}/quotes", "post"),
        ("/api/demands/{demand_id}/quotes", "get"), ("/api/quotes/{quote_id}/shortlist", "post"),
        ("/api/quotes/{quote_id}/accept", "post"), ("/api/quotes/{quote_id}/decline", "post"),
        ("/api/quotes/{quote_id}/withdraw", "post"),
    ]:
        assert paths[path][method]["summary"], (path, method)
        assert "422" in paths[path][method]["responses"] or method == "get", (path, method)


async def test_the_page_counts_producers_not_products_in_a_plan(client: httpx.AsyncClient) -> None:
    _, buyer = await as_buyer(client)
    demand = await make_demand(buyer, quantity=2000)
    one = await make_producer(name="HTX Chè Quê Hương")
    for name, quantity in (("Chè xanh đặc biệt", 360), ("Chè xanh tôm nõn", 350)):
        product = await make_product(one, name=name)
        await SourcingShare.create(demand=demand, product=product, quantity=quantity, score=0.9)

    alone = await client.get(f"/buyer/demands/{demand.id}")
    other = await make_product(await make_producer(name="HTX Chè Tân Cương"), name="Chè Tân Cương")
    await SourcingShare.create(demand=demand, product=other, quantity=500, score=0.8)
    together = await client.get(f"/buyer/demands/{demand.id}")

    assert "Chủ thể này cung ứng được 710 trên 2.000 kg." in alone.text
    assert "2 chủ thể này cùng nhau cung ứng được 1.210 trên 2.000 kg." in together.text
    assert "Còn thiếu" in together.text and "790 kg" in together.text
