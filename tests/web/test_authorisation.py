"""The negative authorisation matrix: anonymous, wrong role, another owner's object.

Later issues add their mutating routes to the tables below.
"""

from __future__ import annotations

import httpx
import pytest

from matchmaking.models import Account, ApiToken
from tests.factories import PASSWORD, make_account
from tests.web.helpers import csrf, log_in, post_form

HTML_MUTATIONS = [
    "/account/password",
    "/account/tokens",
    "/account/tokens/1/revoke",
    "/admin/users",
    "/admin/users/1/role",
    "/producer/profile",
    "/producer/products/new",
    "/producer/products/1/edit",
    "/producer/products/1/status",
    "/producer/products/1/images",
    "/producer/products/1/images/1/delete",
    "/buyer/profile",
    "/buyer/demands/new",
    "/buyer/demands/1/edit",
    "/buyer/demands/1/close",
    "/buyer/quotes/1/shortlist",
    "/buyer/quotes/1/accept",
    "/buyer/quotes/1/decline",
    "/demands/1/quotes",
    "/producer/quotes/1/withdraw",
    "/inbox/1/read",
    "/inbox/read",
    "/fairs/1/apply",
    "/fairs/1/withdraw",
    "/organiser/fairs/new",
    "/organiser/fairs/1/edit",
    "/organiser/fairs/1/open",
    "/organiser/fairs/1/halls/generate",
    "/organiser/fairs/1/halls/import",
    "/organiser/fairs/1/allocation/run",
    "/organiser/fairs/1/allocation/publish",
    "/organiser/fairs/1/applications/1/move",
    "/organiser/fairs/1/applications/1/cancel",
    "/organiser/fairs/1/allocation/plan",
    "/officer/register/import",
    "/officer/claims/1/link",
    "/officer/claims/1/reject",
]
API_MUTATIONS = [
    ("DELETE", "/api/tokens/1"),
    ("PUT", "/api/producer/profile"),
    ("POST", "/api/products"),
    ("PUT", "/api/products/1"),
    ("POST", "/api/products/1/status"),
    ("PUT", "/api/buyer/profile"),
    ("POST", "/api/demands"),
    ("PUT", "/api/demands/1"),
    ("POST", "/api/demands/1/close"),
    ("POST", "/api/demands/1/quotes"),
    ("POST", "/api/quotes/1/shortlist"),
    ("POST", "/api/quotes/1/accept"),
    ("POST", "/api/quotes/1/decline"),
    ("POST", "/api/quotes/1/withdraw"),
    ("POST", "/api/fairs"),
    ("POST", "/api/fairs/1/booths/generate"),
    ("POST", "/api/fairs/1/applications"),
    ("DELETE", "/api/fairs/1/application"),
    ("POST", "/api/fairs/1/allocation"),
    ("POST", "/api/fairs/1/allocation/publish"),
    ("POST", "/api/certificates/import"),
]
PRODUCER_ONLY = ["/producer/profile", "/producer/products/new", "/producer/products/1/status",
                 "/demands/1/quotes", "/producer/quotes/1/withdraw"]
BUYER_ONLY = ["/buyer/profile", "/buyer/demands/new", "/buyer/demands/1/edit",
              "/buyer/demands/1/close", "/buyer/quotes/1/shortlist", "/buyer/quotes/1/accept",
              "/buyer/quotes/1/decline"]
BUYER_API = [("PUT", "/api/buyer/profile"), ("POST", "/api/demands"), ("PUT", "/api/demands/1"),
             ("POST", "/api/demands/1/close"), ("POST", "/api/quotes/1/shortlist"),
             ("POST", "/api/quotes/1/accept"), ("POST", "/api/quotes/1/decline")]
PRODUCER_API = [("POST", "/api/demands/1/quotes"), ("POST", "/api/quotes/1/withdraw")]
ADMIN_ONLY = ["/admin/users", "/admin/users/1/role"]
OFFICER_ONLY = ["/officer/register/import", "/officer/claims/1/link", "/officer/claims/1/reject"]
ADMIN_PAGES = ["/admin/users", "/admin/audit"]


@pytest.mark.parametrize("path", HTML_MUTATIONS)
async def test_anonymous_html_mutation_goes_to_login(client: httpx.AsyncClient, path: str) -> None:
    response = await post_form(client, path, {"role": "admin", "name": "x"})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


@pytest.mark.parametrize(("method", "path"), API_MUTATIONS)
async def test_anonymous_api_mutation_gets_401(client: httpx.AsyncClient, method: str, path: str) -> None:
    assert (await client.request(method, path)).status_code == 401


@pytest.mark.parametrize("path", ADMIN_ONLY)
@pytest.mark.parametrize("role", ["producer", "buyer", "organiser", "officer"])
async def test_wrong_role_gets_403(client: httpx.AsyncClient, path: str, role: str) -> None:
    account = await make_account(role)
    await log_in(client, account.email)
    response = await post_form(client, path, {"role": "admin", "email": "n@x.vn",
                                              "password": "Gao-ST25-Soc-Trang", "display_name": "N"})
    assert response.status_code == 403
    await account.refresh_from_db()
    assert account.role == role
    assert await Account.all().count() == 1


@pytest.mark.parametrize("path", ADMIN_PAGES)
async def test_admin_pages_need_admin(client: httpx.AsyncClient, path: str) -> None:
    await csrf(client)
    assert (await client.get(path)).status_code == 303
    await log_in(client, (await make_account("organiser")).email)
    assert (await client.get(path)).status_code == 403


@pytest.mark.parametrize("path", OFFICER_ONLY)
@pytest.mark.parametrize("role", ["producer", "buyer", "organiser"])
async def test_officer_pages_refuse_other_roles(client: httpx.AsyncClient, path: str, role: str) -> None:
    await log_in(client, (await make_account(role)).email)
    response = await post_form(client, path, {"entry": "1", "reason": "x"})
    assert response.status_code == 403
    assert (await client.get("/officer")).status_code == 403


@pytest.mark.parametrize("role", ["producer", "buyer", "organiser"])
async def test_certificate_import_api_refuses_other_roles(client: httpx.AsyncClient, role: str) -> None:
    headers = await _bearer(client, await make_account(role))
    response = await client.post("/api/certificates/import", headers=headers,
                                 files={"file": ("qd.csv", b"decision_number\n1")})
    assert response.status_code == 403


async def test_officer_cannot_touch_another_provinces_claim(client: httpx.AsyncClient) -> None:
    from matchmaking.models import Product
    from tests.factories import make_producer, make_product

    claim = await make_product(await make_producer(province_code=1), verification="pending")
    officer = await make_account("officer", province_code=20)
    await log_in(client, officer.email)
    response = await post_form(client, f"/officer/claims/{claim.id}/reject", {"reason": "x"})
    assert response.status_code == 403
    assert (await Product.get(id=claim.id)).verification == "pending"


async def test_another_owners_token_is_404_in_html(client: httpx.AsyncClient) -> None:
    owner, intruder = await make_account(), await make_account()
    token = await ApiToken.create(account=owner, name="x", token_hash="a" * 64)
    await log_in(client, intruder.email)
    response = await post_form(client, f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 404
    await token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("path", PRODUCER_ONLY)
@pytest.mark.parametrize("role", ["buyer", "organiser", "officer"])
async def test_producer_pages_refuse_other_roles(client: httpx.AsyncClient, path: str, role: str) -> None:
    await log_in(client, (await make_account(role)).email)
    response = await post_form(client, path, {"name": "x", "status": "published"})
    assert response.status_code == 403


async def test_another_producers_product_is_404_everywhere(client: httpx.AsyncClient) -> None:
    from matchmaking.models import Product
    from tests.factories import make_producer, make_product

    victim = await make_product(status="draft")
    intruder = await make_account("producer")
    await make_producer(owner=intruder)
    await log_in(client, intruder.email)
    for path in (f"/producer/products/{victim.id}/edit", f"/producer/products/{victim.id}/status"):
        assert (await post_form(client, path, {"status": "published"})).status_code == 404
    token = (await client.post("/api/auth/token", json={"email": intruder.email,
                                                         "password": PASSWORD})).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert (await client.put(f"/api/products/{victim.id}", json={}, headers=bearer)).status_code == 404
    assert (await client.get(f"/api/products/{victim.id}", headers=bearer)).status_code == 404
    assert (await Product.get(id=victim.id)).status == "draft"


async def _bearer(client: httpx.AsyncClient, account: Account) -> dict[str, str]:
    response = await client.post("/api/auth/token", json={"email": account.email,
                                                          "password": PASSWORD})
    return {"Authorization": f"Bearer {response.json()['token']}"}


@pytest.mark.parametrize("path", BUYER_ONLY)
@pytest.mark.parametrize("role", ["producer", "organiser", "officer"])
async def test_buyer_pages_refuse_other_roles(client: httpx.AsyncClient, path: str, role: str) -> None:
    await log_in(client, (await make_account(role)).email)
    response = await post_form(client, path, {"name": "x", "kind": "exporter"})
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "path"), BUYER_API)
@pytest.mark.parametrize("role", ["producer", "organiser"])
async def test_buyer_api_refuses_other_roles(
    client: httpx.AsyncClient, method: str, path: str, role: str
) -> None:
    headers = await _bearer(client, await make_account(role))
    assert (await client.request(method, path, json={}, headers=headers)).status_code == 403


@pytest.mark.parametrize(("method", "path"), PRODUCER_API)
@pytest.mark.parametrize("role", ["buyer", "organiser"])
async def test_producer_api_refuses_other_roles(
    client: httpx.AsyncClient, method: str, path: str, role: str
) -> None:
    headers = await _bearer(client, await make_account(role))
    assert (await client.request(method, path, json={}, headers=headers)).status_code == 403


async def test_another_buyers_demand_and_quotes_are_404_everywhere(client: httpx.AsyncClient) -> None:
    from matchmaking.models import Demand, Quote
    from tests.factories import make_buyer, make_demand, make_producer

    demand = await make_demand()
    quote = await Quote.create(demand=demand, producer=await make_producer(), price_vnd=1000,
                               quantity=5, lead_time_days=1)
    intruder = await make_account("buyer")
    await make_buyer(owner=intruder)
    await log_in(client, intruder.email)
    assert (await client.get(f"/buyer/demands/{demand.id}")).status_code == 404
    for path in (f"/buyer/demands/{demand.id}/edit", f"/buyer/demands/{demand.id}/close",
                 f"/buyer/quotes/{quote.id}/accept", f"/buyer/quotes/{quote.id}/decline"):
        assert (await post_form(client, path, {"title": "x"})).status_code == 404, path
    headers = await _bearer(client, intruder)
    for method, path in [("GET", f"/api/demands/{demand.id}"),
                         ("PUT", f"/api/demands/{demand.id}"),
                         ("POST", f"/api/demands/{demand.id}/close"),
                         ("GET", f"/api/demands/{demand.id}/quotes"),
                         ("POST", f"/api/quotes/{quote.id}/accept")]:
        response = await client.request(method, path, json={}, headers=headers)
        assert response.status_code == 404, path
    assert (await Demand.get(id=demand.id)).status == "open"
    assert (await Quote.get(id=quote.id)).status == "submitted"


async def test_another_producers_quote_is_404(client: httpx.AsyncClient) -> None:
    from matchmaking.models import Quote
    from tests.factories import make_demand, make_producer

    quote = await Quote.create(demand=await make_demand(), producer=await make_producer(),
                               price_vnd=1000, quantity=5, lead_time_days=1)
    intruder = await make_account("producer")
    await make_producer(owner=intruder)
    await log_in(client, intruder.email)
    assert (await post_form(client, f"/producer/quotes/{quote.id}/withdraw")).status_code == 404
    headers = await _bearer(client, intruder)
    response = await client.post(f"/api/quotes/{quote.id}/withdraw", headers=headers)
    assert response.status_code == 404
    assert (await Quote.get(id=quote.id)).status == "submitted"


async def test_closed_demands_are_404_for_producers_and_organisers(client: httpx.AsyncClient) -> None:
    from tests.factories import make_demand

    closed = await make_demand(status="closed")
    opened = await make_demand()
    producer = await make_account("producer")
    organiser = await make_account("organiser")
    producer_headers = await _bearer(client, producer)
    assert (await client.get(f"/api/demands/{closed.id}", headers=producer_headers)).status_code == 404
    assert (await client.get(f"/api/demands/{opened.id}", headers=producer_headers)).status_code == 200
    organiser_headers = await _bearer(client, organiser)
    assert (await client.get(f"/api/demands/{opened.id}", headers=organiser_headers)).status_code == 404


MEETING_ORGANISER_ONLY = [
    "/meetings/fairs/1",
    "/meetings/sessions/1/schedule",
    "/meetings/sessions/1/swap",
    "/meetings/sessions/1/meetings/1/unbook",
]


@pytest.mark.parametrize("path", MEETING_ORGANISER_ONLY)
@pytest.mark.parametrize("role", ["producer", "buyer"])
async def test_meeting_organiser_pages_refuse_other_roles(client: httpx.AsyncClient, path: str,
                                                          role: str) -> None:
    await log_in(client, (await make_account(role)).email)
    response = await post_form(client, path, {"first": "1", "second": "2", "name": "x"})
    assert response.status_code == 403


async def test_organiser_cannot_ask_for_meetings(client: httpx.AsyncClient) -> None:
    await log_in(client, (await make_account("organiser")).email)
    assert (await post_form(client, "/meetings/sessions/1/ask/2", {"message": "x"})).status_code == 403


async def test_another_organisers_meeting_session_is_404_everywhere(client: httpx.AsyncClient) -> None:
    from matchmaking.models import Meeting, MeetingRequest, MeetingSession
    from tests.matchmaking.meetings.test_sessions import make_buyer, make_exhibitor
    from tests.web.test_meetings import bearer, fair_soon, open_session

    fair = await fair_soon()
    session = await open_session(fair)
    buyer, exhibitor = await make_buyer(), await make_exhibitor(fair)
    request = await MeetingRequest.create(session=session, requester=buyer, recipient=exhibitor)
    meeting = await Meeting.create(session=session, request=request, slot=0, table_number=1)
    intruder = await make_account("organiser")
    await log_in(client, intruder.email)
    base = f"/meetings/sessions/{session.id}"
    for path in (f"/meetings/fairs/{fair.id}", f"{base}/schedule", f"{base}/swap",
                 f"{base}/meetings/{meeting.id}/unbook"):
        response = await post_form(client, path, {"first": str(meeting.id), "slot": "1",
                                                  "table": "2", "name": "x"})
        assert response.status_code == 404, path
    for path in (f"{base}/manage", f"{base}/grid"):
        assert (await client.get(path)).status_code == 404, path
    headers = await bearer(client, intruder)
    assert (await client.post(f"/api/meetings/sessions/{session.id}/schedule",
                              headers=headers)).status_code == 404
    assert (await client.post(f"/api/meetings/fairs/{fair.id}/sessions", json={},
                              headers=headers)).status_code == 404
    assert (await Meeting.get(id=meeting.id)).slot == 0
    assert await MeetingSession.filter(fair=fair).count() == 1


FAIR_ORGANISER_ONLY = [
    "/organiser/fairs/new",
    "/organiser/fairs/1/edit",
    "/organiser/fairs/1/open",
    "/organiser/fairs/1/halls/generate",
    "/organiser/fairs/1/halls/import",
    "/organiser/fairs/1/allocation/run",
    "/organiser/fairs/1/allocation/publish",
    "/organiser/fairs/1/applications/1/move",
    "/organiser/fairs/1/applications/1/cancel",
    "/organiser/fairs/1/allocation/plan",
]
FAIR_ORGANISER_API = [("POST", "/api/fairs"), ("POST", "/api/fairs/1/booths/generate"),
                      ("POST", "/api/fairs/1/allocation"), ("POST", "/api/fairs/1/allocation/publish")]
FAIR_PRODUCER_ONLY = ["/fairs/1/apply", "/fairs/1/withdraw"]
FAIR_PRODUCER_API = [("POST", "/api/fairs/1/applications"), ("DELETE", "/api/fairs/1/application")]


@pytest.mark.parametrize("path", FAIR_ORGANISER_ONLY)
@pytest.mark.parametrize("role", ["producer", "buyer"])
async def test_fair_organiser_pages_refuse_other_roles(client: httpx.AsyncClient, path: str,
                                                       role: str) -> None:
    from matchmaking.models import Fair

    await log_in(client, (await make_account(role)).email)
    response = await post_form(client, path, {"name": "x", "hall": "A", "rows": "2",
                                              "columns": "2", "booths": "A-01"})
    assert response.status_code == 403
    assert await Fair.all().count() == 0


@pytest.mark.parametrize(("method", "path"), FAIR_ORGANISER_API)
@pytest.mark.parametrize("role", ["producer", "buyer"])
async def test_fair_organiser_api_refuses_other_roles(
    client: httpx.AsyncClient, method: str, path: str, role: str
) -> None:
    headers = await _bearer(client, await make_account(role))
    assert (await client.request(method, path, json={}, headers=headers)).status_code == 403


@pytest.mark.parametrize("path", FAIR_PRODUCER_ONLY)
@pytest.mark.parametrize("role", ["buyer", "organiser"])
async def test_fair_producer_pages_refuse_other_roles(client: httpx.AsyncClient, path: str,
                                                      role: str) -> None:
    await log_in(client, (await make_account(role)).email)
    assert (await post_form(client, path, {"products": "1"})).status_code == 403


@pytest.mark.parametrize(("method", "path"), FAIR_PRODUCER_API)
@pytest.mark.parametrize("role", ["buyer", "organiser"])
async def test_fair_producer_api_refuses_other_roles(
    client: httpx.AsyncClient, method: str, path: str, role: str
) -> None:
    headers = await _bearer(client, await make_account(role))
    assert (await client.request(method, path, json={}, headers=headers)).status_code == 403


async def test_another_organisers_fair_is_404_everywhere(client: httpx.AsyncClient) -> None:
    from matchmaking.models import Booth, BoothApplication, Fair
    from tests.matchmaking.fairs.test_fairs import lay_out, make_applicant, make_fair

    fair = await make_fair()
    await lay_out(fair)
    application = await make_applicant(fair)
    intruder = await make_account("organiser")
    await log_in(client, intruder.email)
    base = f"/organiser/fairs/{fair.id}"
    for path in (f"{base}/edit", f"{base}/open", f"{base}/halls/generate", f"{base}/halls/import",
                 f"{base}/allocation/run", f"{base}/allocation/publish",
                 f"{base}/applications/{application.id}/move",
                 f"{base}/applications/{application.id}/cancel"):
        response = await post_form(client, path, {"name": "Taken over", "hall": "A", "rows": "1",
                                                  "columns": "1", "booths": "A-01"})
        assert response.status_code == 404, path
    for path in (base, f"{base}/edit", f"{base}/allocation", f"{base}/instance.json",
                 f"{base}/dashboard"):
        assert (await client.get(path)).status_code == 404, path
    headers = await _bearer(client, intruder)
    for path in (f"/api/fairs/{fair.id}/booths/generate", f"/api/fairs/{fair.id}/allocation",
                 f"/api/fairs/{fair.id}/allocation/publish"):
        response = await client.post(path, json={"hall": "A", "rows": 1, "columns": 1},
                                     headers=headers)
        assert response.status_code == 404, path
    assert (await Fair.get(id=fair.id)).name == "Hội chợ OCOP"
    assert await Booth.filter(fair=fair).count() == 8
    assert (await BoothApplication.get(id=application.id)).status == "submitted"
