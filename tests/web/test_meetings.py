"""B2B meeting pages and API: organisers set sessions and run the schedule, participants meet."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request

from matchmaking.meetings import schedule as meeting_schedule
from matchmaking.models import Account, Fair, Meeting, MeetingRequest, MeetingSession
from tests.factories import PASSWORD, PUBLIC_URL, make_account
from tests.matchmaking.meetings.test_sessions import (
    make_buyer,
    make_exhibitor,
    make_fair,
    organiser_of,
    parse_ics,
    register,
    unescape,
)
from tests.web.helpers import log_in, post_form


def soon(days: float) -> datetime:
    return datetime.now(UTC) + timedelta(days=days)


async def fair_soon(organiser: Account | None = None) -> Fair:
    today = date.today()
    return await make_fair(organiser, starts_on=today + timedelta(days=9),
                           ends_on=today + timedelta(days=12))


async def open_session(fair: Fair, **overrides: Any) -> MeetingSession:
    values: dict[str, Any] = {"fair": fair, "name": "Phiên B2B", "starts_at": soon(10),
                              "slot_minutes": 20, "slots": 4, "tables": 3,
                              "request_deadline": soon(5)}
    values.update(overrides)
    return await MeetingSession.create(**values)


async def as_user(client: httpx.AsyncClient, account: Account) -> httpx.AsyncClient:
    """Log in as `account`, reading pages in English (logging in sets the account's language)."""
    client.cookies.clear()
    await Account.filter(id=account.id).update(language="en")
    await log_in(client, account.email)
    return client


async def bearer(client: httpx.AsyncClient, account: Account) -> dict[str, str]:
    response = await client.post("/api/auth/token", json={"email": account.email,
                                                          "password": PASSWORD})
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def test_organiser_adds_a_session_and_errors_keep_typed_values(client: httpx.AsyncClient) -> None:
    fair = await fair_soon()
    await as_user(client, organiser_of(fair))
    day = (date.today() + timedelta(days=10)).isoformat()
    form = {"name": "Phiên sáng", "starts_at": f"{day}T09:00", "slot_minutes": "20",
            "slots": "12", "tables": "30", "request_deadline": f"{day}T10:00"}
    refused = await post_form(client, f"/meetings/fairs/{fair.id}", form)
    assert refused.status_code == 422
    assert "The request deadline must be before the session starts." in refused.text
    assert 'value="Phiên sáng"' in refused.text and 'value="30"' in refused.text
    response = await post_form(client, f"/meetings/fairs/{fair.id}",
                               {**form, "request_deadline": f"{day}T08:00"})
    assert response.status_code == 303
    session = await MeetingSession.get(fair=fair)
    assert response.headers["location"] == f"/meetings/sessions/{session.id}/manage?saved=1"
    assert (session.slots, session.tables) == (12, 30)
    page = await client.get(f"/meetings/fairs/{fair.id}")
    assert "Phiên sáng" in page.text and "12 × 20 min" in page.text


async def test_buyer_finds_exhibitors_and_asks_to_meet(client: httpx.AsyncClient) -> None:
    fair = await fair_soon()
    session = await open_session(fair)
    exhibitor = await make_exhibitor(fair, name="HTX Miến dong Bình Liêu")
    buyer = await make_buyer("Chuỗi Bác Tôm")
    await Fair.filter(id=fair.id).update(buyers_auto_approved=True)
    await as_user(client, buyer)
    unregistered = await client.get(f"/meetings/sessions/{session.id}")
    assert unregistered.headers["location"] == f"/meetings/sessions/{session.id}/register"
    registered = await post_form(client, f"/meetings/sessions/{session.id}/register",
                                 {"company": "Chuỗi Bác Tôm", "available": ["0", "1", "2", "3"]})
    assert registered.status_code == 303
    directory = await client.get(f"/meetings/sessions/{session.id}")
    assert "HTX Miến dong Bình Liêu" in directory.text
    assert "Chuỗi Bác Tôm" not in directory.text  # buyers see exhibitors only
    url = f"/meetings/sessions/{session.id}/ask/{exhibitor.id}"
    assert "HTX Miến dong Bình Liêu" in (await client.get(url)).text
    sent = await post_form(client, url, {"message": "Cần 2 tấn/tháng <b>gấp</b>"})
    assert sent.status_code == 303
    twice = await post_form(client, url, {"message": "Lần nữa"})
    assert twice.status_code == 422
    assert "You have already asked to meet them in this session." in twice.text
    assert 'Lần nữa</textarea>' in twice.text
    self_url = f"/meetings/sessions/{session.id}/ask/{buyer.id}"
    assert (await post_form(client, self_url, {"message": "x"})).status_code == 422
    assert (await client.get(self_url)).status_code == 404  # only counterparts have a form
    mine = await client.get("/meetings/requests")
    assert "Cần 2 tấn/tháng &lt;b&gt;gấp&lt;/b&gt;" in mine.text
    await as_user(client, exhibitor)
    request = await MeetingRequest.get(requester=buyer)
    received = await client.get("/meetings/requests")
    assert "Chuỗi Bác Tôm" in received.text
    accepted = await post_form(client, f"/meetings/requests/{request.id}/accept")
    assert accepted.status_code == 303
    assert (await MeetingRequest.get(id=request.id)).status == "accepted"
    again = await post_form(client, f"/meetings/requests/{request.id}/accept")
    assert again.status_code == 422 and "This request is already accepted." in again.text


async def test_producer_without_a_booth_application_cannot_take_part(client: httpx.AsyncClient) -> None:
    fair = await fair_soon()
    session = await open_session(fair)
    await make_exhibitor(fair)
    outsider = await make_exhibitor(await fair_soon())
    await as_user(client, outsider)
    assert (await client.get(f"/meetings/sessions/{session.id}")).status_code == 403


async def scheduled_fair(client: httpx.AsyncClient) -> tuple[MeetingSession, list[Account], list[Account]]:
    """A session past its deadline with two buyers each asking two exhibitors (all accepted)."""
    fair = await fair_soon()
    session = await open_session(fair, slots=2, tables=2)
    buyers = [await make_buyer(f"Siêu thị {n}") for n in ("Hapro", "Co.op")]
    exhibitors = [await make_exhibitor(fair, name=f"HTX {n}") for n in ("Chè Tân Cương", "Mật ong")]
    for buyer in buyers:
        await register(buyer, session)
        for exhibitor in exhibitors:
            await MeetingRequest.create(session=session, requester=buyer, recipient=exhibitor,
                                        message="Gặp nhé, anh/chị", status="accepted")
    await MeetingSession.filter(id=session.id).update(request_deadline=soon(-0.01))
    return (await MeetingSession.get(id=session.id).select_related("fair__organiser"), buyers,
            exhibitors)


async def test_organiser_runs_scheduling_and_swaps_with_conflict_checks(client: httpx.AsyncClient) -> None:
    session, buyers, _exhibitors = await scheduled_fair(client)
    await as_user(client, organiser_of(session.fair))
    manage = await client.get(f"/meetings/sessions/{session.id}/manage")
    assert manage.status_code == 200 and "Siêu thị Hapro" in manage.text
    run = await post_form(client, f"/meetings/sessions/{session.id}/schedule")
    assert run.status_code == 303
    assert await meeting_schedule.is_published(session)
    meetings = await Meeting.filter(session=session).select_related("request").order_by(
        "slot", "table_number")
    assert len(meetings) == 4
    grid = await client.get(f"/meetings/sessions/{session.id}/grid")
    assert grid.status_code == 200 and f"#{meetings[0].id}" in grid.text
    # Two meetings of one buyer sit in different slots; swapping one with a meeting of the
    # other buyer in the other slot would put the first buyer in two places at once.
    asked_by = {m.id: m.request.requester_id for m in meetings}
    first = next(m for m in meetings if m.slot == 0 and asked_by[m.id] == buyers[0].id)
    clash = next(m for m in meetings if m.slot == 1 and asked_by[m.id] == buyers[1].id)
    refused = await post_form(client, f"/meetings/sessions/{session.id}/swap",
                              {"first": str(first.id), "second": str(clash.id)})
    assert refused.status_code == 422
    assert "one participant cannot be in two places at once" in refused.text
    assert (await Meeting.get(id=first.id)).slot == 0
    again = await post_form(client, f"/meetings/sessions/{session.id}/schedule")
    assert "already published" in (await client.get(again.headers["location"])).text
    unbooked = await post_form(client, f"/meetings/sessions/{session.id}/meetings/{first.id}/unbook")
    assert unbooked.status_code == 303 and not await Meeting.exists(id=first.id)


async def test_agenda_page_and_calendar_file(client: httpx.AsyncClient) -> None:
    session, buyers, _exhibitors = await scheduled_fair(client)
    await meeting_schedule.run_schedule(session, now=datetime.now(UTC), time_limit=5, public_url=PUBLIC_URL)
    await as_user(client, buyers[0])
    page = await client.get("/meetings/agenda")
    assert page.status_code == 200
    assert "HTX Chè Tân Cương" in page.text and "HTX Mật ong" in page.text
    assert "Gặp nhé, anh/chị" in page.text
    ics = await client.get("/meetings/agenda.ics")
    assert ics.headers["content-type"] == "text/calendar; charset=utf-8"
    events = parse_ics(ics.text)
    mine = await Meeting.filter(request__requester_id=buyers[0].id).order_by("slot")
    assert sorted(e["UID"] for e in events) == sorted(f"ocop-meeting-{m.id}@127.0.0.1" for m in mine)
    for event, meeting in zip(sorted(events, key=lambda e: e["DTSTART"]), mine, strict=True):
        start = session.starts_at + timedelta(minutes=20 * meeting.slot)
        assert event["DTSTART"] == start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        assert unescape(event["LOCATION"]).endswith(f"table {meeting.table_number}")
        assert "Gặp nhé\\, anh/chị" in event["DESCRIPTION"]
    assert (await client.get("/meetings/agenda.ics")).text.count("BEGIN:VEVENT") == 2
    await as_user(client, await make_account("organiser"))
    assert (await client.get("/meetings/agenda")).status_code == 403


async def test_outcome_form_after_the_meeting(client: httpx.AsyncClient) -> None:
    session, buyers, _exhibitors = await scheduled_fair(client)
    await meeting_schedule.run_schedule(session, now=datetime.now(UTC), time_limit=5, public_url=PUBLIC_URL)
    await MeetingSession.filter(id=session.id).update(starts_at=soon(-0.01))
    meeting = await Meeting.filter(request__requester_id=buyers[0].id).first()
    assert meeting is not None
    await as_user(client, buyers[0])
    url = f"/meetings/{meeting.id}/outcome"
    assert "Cooperation possible" in (await client.get(url)).text
    assert (await post_form(client, url, {"outcome": "maybe"})).status_code == 422
    assert (await post_form(client, url, {"outcome": "deal"})).status_code == 303
    assert (await Meeting.get(id=meeting.id)).outcome_requester == "deal"
    await as_user(client, organiser_of(session.fair))
    assert "1 of 4 meetings have at least one answer; 1 with a deal." in (
        await client.get(f"/meetings/sessions/{session.id}/manage")).text
    await as_user(client, buyers[1])
    assert (await post_form(client, url, {"outcome": "deal"})).status_code == 404


async def test_api_request_answer_agenda_and_schedule(client: httpx.AsyncClient) -> None:
    fair = await fair_soon()
    session = await open_session(fair)
    buyer, exhibitor = await make_buyer(), await make_exhibitor(fair)
    await register(buyer, session)
    as_buyer, as_exhibitor = await bearer(client, buyer), await bearer(client, exhibitor)
    as_organiser = await bearer(client, organiser_of(fair))
    url = f"/api/meetings/sessions/{session.id}/requests"
    created = await client.post(url, json={"recipient_id": exhibitor.id, "message": "Chào"},
                                headers=as_buyer)
    assert created.status_code == 201, created.text
    duplicate = await client.post(url, json={"recipient_id": exhibitor.id}, headers=as_buyer)
    assert duplicate.status_code == 422 and "recipient" in duplicate.json()["errors"]
    itself = await client.post(url, json={"recipient_id": buyer.id}, headers=as_buyer)
    assert itself.status_code == 422
    request_id = created.json()["id"]
    assert (await client.post(f"/api/meetings/requests/{request_id}/accept",
                              headers=as_buyer)).status_code == 403
    accepted = await client.post(f"/api/meetings/requests/{request_id}/accept", headers=as_exhibitor)
    assert accepted.json()["status"] == "accepted"
    listed = await client.get("/api/meetings/requests", headers=as_exhibitor)
    assert [r["incoming"] for r in listed.json()] == [True]
    await MeetingSession.filter(id=session.id).update(request_deadline=soon(-0.01))
    ran = await client.post(f"/api/meetings/sessions/{session.id}/schedule", headers=as_organiser)
    assert ran.status_code == 200 and ran.json()["scheduled"] == 1 and ran.json()["published"]
    schedule = (await client.get(f"/api/meetings/sessions/{session.id}/schedule",
                                 headers=as_organiser)).json()
    assert schedule["status"] == "published" and len(schedule["meetings"]) == 1
    agenda = (await client.get("/api/meetings/agenda", headers=as_buyer)).json()
    assert [(a["meeting_id"], a["message"]) for a in agenda] == [(schedule["meetings"][0]["id"], "Chào")]
    ics = await client.get("/api/meetings/agenda.ics", headers=as_buyer)
    assert len(parse_ics(ics.text)) == 1
    other = await bearer(client, await make_account("organiser"))
    assert (await client.get(f"/api/meetings/sessions/{session.id}/schedule",
                             headers=other)).status_code == 404
    assert (await client.get(f"/api/meetings/sessions/{session.id}/schedule",
                             headers=as_buyer)).status_code == 403


async def test_api_organiser_creates_a_session(client: httpx.AsyncClient) -> None:
    fair = await fair_soon()
    day = (date.today() + timedelta(days=10)).isoformat()
    body = {"name": "Phiên chiều", "starts_at": f"{day}T14:00", "slot_minutes": 15, "slots": 8,
            "tables": 25, "request_deadline": f"{day}T08:00"}
    url = f"/api/meetings/fairs/{fair.id}/sessions"
    created = await client.post(url, json=body, headers=await bearer(client, organiser_of(fair)))
    assert created.status_code == 201, created.text
    assert created.json()["slot_times"][1].endswith("14:15:00+07:00")
    other = await bearer(client, await make_account("organiser"))
    assert (await client.post(url, json=body, headers=other)).status_code == 404
    assert (await client.post(url, json={**body, "tables": 0},
                              headers=await bearer(client, organiser_of(fair)))).status_code == 422
    assert await MeetingSession.filter(fair=fair).count() == 1


async def test_openapi_documents_every_meetings_route(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/api/openapi.json")).json()["paths"]
    meeting_paths = {p: ops for p, ops in paths.items() if p.startswith("/api/meetings/")}
    assert len(meeting_paths) == 7
    assert all(op.get("summary") for ops in meeting_paths.values() for op in ops.values())


async def test_fair_block_links_to_the_sessions(app: Starlette) -> None:
    fair = await fair_soon()
    scope = {"type": "http", "app": app, "router": app.router, "path": "/", "headers": [],
             "method": "GET", "query_string": b"", "state": {"account": None}}
    html = app.state.templates.get_template("meetings/_fair_block.html").render(
        fair=fair, request=Request(scope))
    assert f'/meetings/fairs/{fair.id}">' in html
