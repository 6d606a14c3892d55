"""/api/openapi.json against the API it describes: every GET answered with real data, and a write
per resource with a body its request schema accepts, match the documented status and shape."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import jsonschema
import pytest

from matchmaking.enums import ApplicationStatus
from matchmaking.fairs.allocation import publish_allocation, run_allocation
from matchmaking.meetings import schedule as meeting_schedule
from matchmaking.models import Account, Match, MeetingRequest, MeetingSession, SourcingShare
from tests.factories import (
    PASSWORD,
    PUBLIC_URL,
    make_account,
    make_buyer,
    make_demand,
    make_producer,
    make_product,
)
from tests.matchmaking.fairs.test_fairs import lay_out, make_applicant
from tests.matchmaking.fairs.test_fairs import make_fair as make_open_fair
from tests.matchmaking.meetings.test_sessions import make_buyer as make_buyer_account
from tests.matchmaking.meetings.test_sessions import make_exhibitor
from tests.matchmaking.meetings.test_sessions import make_fair as make_published_fair
from web.api.openapi import schema_of


def as_json_schema(node: Any) -> Any:
    """OpenAPI 3.0's `nullable` in JSON Schema's terms, so jsonschema can check nulls."""
    if isinstance(node, list):
        return [as_json_schema(v) for v in node]
    if not isinstance(node, dict):
        return node
    converted = {k: as_json_schema(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


class Document:
    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.components = as_json_schema(schema["components"])

    def operation(self, method: str, path: str) -> dict[str, Any]:
        return self.schema["paths"][path][method]

    def check(self, schema: dict[str, Any], instance: Any) -> None:
        root = {**as_json_schema(schema), "components": self.components}
        jsonschema.Draft7Validator(root).validate(instance)

    def check_response(self, method: str, path: str, response: httpx.Response) -> None:
        documented = self.operation(method, path)["responses"]
        assert str(response.status_code) in documented, (method, path, response.status_code, response.text)
        content = documented[str(response.status_code)].get("content", {})
        if "application/json" in content:
            self.check(content["application/json"]["schema"], response.json())
        else:
            media = response.headers.get("content-type", "").split(";")[0]
            assert media in content or (not content and not response.content), (method, path, media)

    def check_request(self, method: str, path: str, body: dict[str, Any]) -> None:
        request = self.operation(method, path)["requestBody"]["content"]["application/json"]
        self.check(request["schema"], body)


@pytest.fixture
async def document(client: httpx.AsyncClient) -> Document:
    return Document((await client.get("/api/openapi.json")).json())


async def bearer(client: httpx.AsyncClient, account: Account) -> dict[str, str]:
    response = await client.post("/api/auth/token", json={"email": account.email, "password": PASSWORD})
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def world(client: httpx.AsyncClient) -> dict[str, Any]:
    """One of everything the API reads, and a token for each role."""
    producer_account = await make_account("producer")
    producer = await make_producer(owner=producer_account)
    product = await make_product(producer)
    buyer = await make_buyer()
    buyer_account = buyer.owner
    demand = await make_demand(buyer)
    await Match.create(demand=demand, product=product, producer_id=producer.id, score=0.9, rank=1,
                       components={"capacity": 0.5}, reasons=["4 sao"])
    await SourcingShare.create(demand=demand, product=product, quantity=100, score=0.9)
    quote = await client.post(f"/api/demands/{demand.id}/quotes", headers=await bearer(
        client, producer_account), json={"price_vnd": 300_000, "quantity": 100, "lead_time_days": 7})
    assert quote.status_code == 201, quote.text

    fair = await make_open_fair()
    await lay_out(fair, rows=1, columns=2)
    await make_applicant(fair)
    await make_applicant(fair, booths=2)
    organiser = await Account.get(id=fair.organiser_id)
    await run_allocation(organiser, fair, time_limit=2, now=fair.applications_close + timedelta(hours=1))
    await publish_allocation(organiser, fair.id, public_url=PUBLIC_URL)

    meetings_fair = await make_published_fair(organiser, starts_on=date.today() + timedelta(days=9),
                                              ends_on=date.today() + timedelta(days=12))
    now = datetime.now(UTC)
    session = await MeetingSession.create(
        fair=meetings_fair, name="Phiên B2B", starts_at=now + timedelta(days=10), slots=2, tables=2,
        request_deadline=now - timedelta(hours=1))
    meeting_buyer = await make_buyer_account()
    for _ in range(2):
        exhibitor = await make_exhibitor(meetings_fair, ApplicationStatus.ACCEPTED)
        await MeetingRequest.create(session=session, requester=meeting_buyer, recipient=exhibitor,
                                    message="Gặp nhé", status="accepted")
    await meeting_schedule.run_schedule(session, now=now, time_limit=5, public_url=PUBLIC_URL)
    return {
        "tokens": {
            "producer": await bearer(client, producer_account),
            "buyer": await bearer(client, buyer_account),
            "organiser": await bearer(client, organiser),
            "meeting_buyer": await bearer(client, meeting_buyer),
        },
        "ids": {"product_id": product.id, "demand_id": demand.id, "fair_id": fair.id,
                "session_id": session.id, "meetings_fair_id": meetings_fair.id},
    }


# Who reads each GET (None: anyone); a GET route added without a row here fails the test.
READERS = {
    "/api/tokens": "producer",
    "/api/me": "buyer",
    "/api/meetings/requests": "meeting_buyer",
    "/api/meetings/agenda": "meeting_buyer",
    "/api/meetings/agenda.ics": "meeting_buyer",
    "/api/meetings/sessions/{session_id}/schedule": "organiser",
    "/api/producer/profile": "producer",
    "/api/producer/products": "producer",
    "/api/products": None,
    "/api/products/{product_id}": None,
    "/api/demands/{demand_id}/matches": "buyer",
    "/api/demands/{demand_id}/sourcing": "buyer",
    "/api/demands/{demand_id}/near-misses": "buyer",
    "/api/buyer/profile": "buyer",
    "/api/buyer/demands": "buyer",
    "/api/demands/{demand_id}": "buyer",
    "/api/demands/{demand_id}/quotes": "buyer",
    "/api/fairs": None,
    "/api/fairs/{fair_id}": None,
    "/api/fairs/{fair_id}/allocation": "organiser",
    "/api/stats/certificates": None,
}


async def test_every_get_answers_real_data_in_its_documented_shape(
    client: httpx.AsyncClient, document: Document, search: Any
) -> None:
    from search.indexer import reindex

    found = await world(client)
    await reindex(search, today=date.today())
    gets = [path for path, ops in document.schema["paths"].items() if "get" in ops]
    assert sorted(gets) == sorted(READERS)
    for path in gets:
        reader = READERS[path]
        headers = found["tokens"][reader] if reader else {}
        response = await client.get(path.format(**found["ids"]), headers=headers)
        assert response.status_code == 200, (path, response.text)
        document.check_response("get", path, response)
        if path == "/api/fairs/{fair_id}/allocation":  # anonymous: no waitlist, same schema
            document.check_response("get", path, await client.get(path.format(**found["ids"])))


async def test_errors_are_documented_and_shaped(client: httpx.AsyncClient, document: Document) -> None:
    found = await world(client)
    ids, tokens = found["ids"], found["tokens"]
    for method, path, headers, status in [
        ("get", "/api/me", {}, 401),
        ("get", "/api/producer/profile", tokens["buyer"], 403),
        ("get", "/api/demands/{demand_id}", tokens["organiser"], 404),
        ("get", "/api/products", {}, 422),
    ]:
        url = path.format(**ids) + ("?min_stars=9" if status == 422 else "")
        response = await client.request(method, url, headers=headers)
        assert response.status_code == status, (path, response.text)
        document.check_response(method, path, response)
    refused = await client.post("/api/products", headers=tokens["producer"], json={"name": ""})
    assert refused.status_code == 422
    document.check_response("post", "/api/products", refused)
    assert set(refused.json()["errors"]) >= {"name", "group", "price_vnd"}


async def test_writes_accept_bodies_their_schema_describes(
    client: httpx.AsyncClient, document: Document
) -> None:
    found = await world(client)
    ids, tokens = found["ids"], found["tokens"]
    day = (date.today() + timedelta(days=30)).isoformat()
    writes = [
        ("put", "/api/producer/profile", "producer", {
            "name": "HTX Chè Tân Cương", "kind": "cooperative", "province_code": "Thái Nguyên"}),
        ("post", "/api/products", "producer", {
            "name": "Chè búp", "group": "beverages", "subgroup": "tea", "price_vnd": 250_000,
            "unit": "kg", "monthly_capacity": 300, "stars": None, "quality_marks": ["organic"],
            "publish": True}),
        ("post", "/api/products/{product_id}/status", "producer", {"status": "archived"}),
        ("put", "/api/buyer/profile", "buyer", {
            "name": "Siêu thị Sạch", "kind": "supermarket", "province_code": "1"}),
        ("post", "/api/demands", "buyer", {
            "title": "Cần 50 kg mật ong", "quantity": 50, "unit": "kg", "group": "food",
            "delivery_province_code": "Hà Nội", "needed_by": day, "required_marks": ["vietgap"]}),
        ("post", "/api/fairs", "organiser", {
            "name": "Hội chợ OCOP 2027", "venue": "Nhà văn hoá", "province_code": "1",
            "starts_on": "2027-10-20", "ends_on": "2027-10-22",
            "applications_open": "2027-08-01T08:00", "applications_close": "2027-09-30T17:00",
            "groups_admitted": ["food"]}),
        ("post", "/api/meetings/fairs/{fair_id}/sessions", "organiser", {
            "name": "Phiên chiều", "starts_at": f"{date.today() + timedelta(days=10)}T14:00",
            "slot_minutes": 20, "slots": 4, "tables": 3,
            "request_deadline": f"{date.today() + timedelta(days=5)}T17:00"}),
    ]
    for method, path, who, body in writes:
        document.check_request(method, path, body)
        where = {**ids, "fair_id": ids["meetings_fair_id"]} if "/meetings/" in path else ids
        response = await client.request(method, path.format(**where), headers=tokens[who], json=body)
        assert response.status_code in (200, 201), (path, response.text)
        document.check_response(method, path, response)


def test_nullable_named_types_and_enums_become_schemas() -> None:
    from web.api.demands import QuoteJson

    generated = schema_of(QuoteJson | None)
    assert generated["schema"] == {"allOf": [{"$ref": "#/components/schemas/QuoteJson"}],
                                   "nullable": True}
    quote = generated["components"]["QuoteJson"]
    assert quote["properties"]["status"] == {
        "type": "string", "enum": ["submitted", "shortlisted", "accepted", "declined", "withdrawn"]}
    assert quote["properties"]["product_id"] == {"type": "integer", "nullable": True}
    assert quote["additionalProperties"] is False and "product_id" in quote["required"]
