"""The matching API: a demand's matches and consortium, for its buyer (and admins) only."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from matchmaking.demands.reasons import Reason
from matchmaking.enums import BuyerKind
from matchmaking.models import Account, Buyer, Demand, Match, SourcingShare
from search.client import SearchClient
from search.indexer import reindex
from tests.factories import PASSWORD, make_account, make_product
from tests.web.helpers import log_in


async def bearer(client: httpx.AsyncClient, account: Account) -> dict[str, str]:
    response = await client.post("/api/auth/token", json={"email": account.email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def demand_with_matches() -> tuple[Account, Demand, list[int]]:
    owner = await make_account("buyer")
    buyer = await Buyer.create(owner=owner, name="Siêu thị Xanh", kind=BuyerKind.SUPERMARKET,
                               province_code=1)
    demand = await Demand.create(
        buyer=buyer, title="Cần 2 tấn chè xanh", quantity=2, unit="tấn", delivery_province_code=1,
        needed_by=date.today() + timedelta(days=30), valid_until=date.today() + timedelta(days=20),
    )
    products = [await make_product(monthly_capacity=800, min_order=50) for _ in range(3)]
    for rank, (product, score) in enumerate(zip(products, (0.9, 0.8, 0.7), strict=True), start=1):
        await Match.create(
            demand=demand, product=product, producer_id=product.producer_id,
            score=score, rank=rank,
            components={"capacity": 0.4, "group": 1.0,
                        "reasons": [Reason("stars", {"stars": 4}).as_json()]},
            reasons=["4 sao"],
        )
    for product, quantity in zip(products[:2], (800, 700), strict=True):
        await SourcingShare.create(demand=demand, product=product, quantity=quantity, score=0.9)
    return owner, demand, [p.id for p in products]


async def test_buyer_sees_matches_best_first(client: httpx.AsyncClient) -> None:
    owner, demand, product_ids = await demand_with_matches()

    response = await client.get(f"/api/demands/{demand.id}/matches", headers=await bearer(client, owner))

    assert response.status_code == 200
    body = response.json()
    assert [m["product_id"] for m in body] == product_ids
    assert body[0]["score"] == 0.9 and body[0]["reasons"] == ["4 sao"] and body[0]["rank"] == 1
    assert set(body[0]) == {"product_id", "producer_id", "rank", "score", "components", "reasons"}


async def test_buyer_sees_the_consortium_and_its_shortfall(client: httpx.AsyncClient) -> None:
    owner, demand, product_ids = await demand_with_matches()

    response = await client.get(f"/api/demands/{demand.id}/sourcing", headers=await bearer(client, owner))

    assert response.status_code == 200
    body = response.json()
    assert body["consortium"] is True and body["unit"] == "tấn"
    assert [(s["product_id"], s["quantity"], s["unit"]) for s in body["shares"]] == [
        (product_ids[0], 800, "kg"), (product_ids[1], 700, "kg"),
    ]
    assert body["covered"] == 1.5 and body["shortfall"] == 0.5


async def test_other_accounts_get_404(client: httpx.AsyncClient) -> None:
    _, demand, _ = await demand_with_matches()
    for role in ("buyer", "producer"):
        headers = await bearer(client, await make_account(role))
        for path in ("matches", "sourcing"):
            response = await client.get(f"/api/demands/{demand.id}/{path}", headers=headers)
            assert response.status_code == 404, (role, path)
    missing = await client.get("/api/demands/999999/matches", headers=headers)
    assert missing.status_code == 404


async def test_admin_may_look(client: httpx.AsyncClient) -> None:
    _, demand, _ = await demand_with_matches()
    headers = await bearer(client, await make_account("admin"))
    assert (await client.get(f"/api/demands/{demand.id}/matches", headers=headers)).status_code == 200


async def test_anonymous_gets_401(client: httpx.AsyncClient) -> None:
    _, demand, _ = await demand_with_matches()
    response = await client.get(f"/api/demands/{demand.id}/matches")
    assert response.status_code == 401


async def test_near_misses_are_shown_apart_on_the_page_and_in_the_api(
    client: httpx.AsyncClient, search: SearchClient
) -> None:
    owner = await make_account("buyer")
    buyer = await Buyer.create(owner=owner, name="Siêu thị Xanh", kind=BuyerKind.SUPERMARKET,
                               province_code=1)
    demand = await Demand.create(
        buyer=buyer, title="Cần 2 tấn chè xanh", group="beverages", subgroup="tea", min_stars=4,
        quantity=2, unit="tấn", delivery_province_code=1,
        needed_by=date.today() + timedelta(days=30), valid_until=date.today() + timedelta(days=20),
    )
    three = await make_product(name="Chè xanh La Bằng", stars=3)
    await make_product(name="Chè xanh Tân Cương", stars=4)
    await reindex(search, today=date.today())

    response = await client.get(f"/api/demands/{demand.id}/near-misses",
                                headers=await bearer(client, owner))

    assert response.status_code == 200
    assert [(m["product_id"], m["reasons"], m["codes"]) for m in response.json()] == [
        (three.id, ["3 sao, cần 4 sao"], ["stars_short"])]
    await log_in(client, owner.email)
    page = await client.get(f"/buyer/demands/{demand.id}")
    near = page.text.split('id="near-misses"')[1].split("</section>")[0]
    assert "Chè xanh La Bằng" in near and "3 sao, cần 4 sao" in near
    assert "Chè xanh Tân Cương" not in near
