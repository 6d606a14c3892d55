"""The issue's story, as users do it in the browser: an organiser is warned that the hall does
not cover the admitted groups, every waitlisted producer reads a reason, a buyer registers with
two slots it cannot attend and is never scheduled in them, and after the session the organiser
downloads a report with the MOUs and contract values the participants entered."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import httpx
import openpyxl

from matchmaking.models import (
    Account,
    BoothApplication,
    Buyer,
    Fair,
    Meeting,
    MeetingParticipant,
    MeetingRequest,
    MeetingSession,
)
from tests.factories import make_account
from tests.matchmaking.fairs.test_fairs import make_applicant, make_fair
from tests.web.helpers import log_in, post_form

VN_OFFSET = timedelta(hours=7)


async def as_user(client: httpx.AsyncClient, account: Account) -> None:
    client.cookies.clear()
    await Account.filter(id=account.id).update(language="en")
    await log_in(client, account.email)


async def test_the_whole_fair_from_warning_to_results_report(client: httpx.AsyncClient) -> None:
    organiser = await make_account("organiser")
    fair = await make_fair(organiser, groups_admitted=["beverages", "food", "handicrafts"])
    await as_user(client, organiser)
    generated = await post_form(client, f"/organiser/fairs/{fair.id}/halls/generate", {
        "hall": "A", "rows": "1", "columns": "8", "zones": ["beverages", "food"]})
    assert generated.status_code == 303
    teas = [await make_applicant(fair, stars=s) for s in (5, 5, 4, 4, 3)]
    craft = await make_applicant(fair, group="handicrafts", subgroup="ceramics")

    # 1. warned before running
    manage = await client.get(f"/organiser/fairs/{fair.id}")
    assert 'id="allocation-warnings"' in manage.text
    assert "Souvenirs, furniture and decoration has no zone" in manage.text

    # closing early allocates at once; publishing tells everyone
    assert (await post_form(client, f"/organiser/fairs/{fair.id}/close")).status_code == 303
    assert (await post_form(client, f"/organiser/fairs/{fair.id}/allocation/publish")).status_code == 303

    # 2. every waitlisted producer sees a reason
    waitlisted = await BoothApplication.filter(fair=fair, status="waitlisted").select_related(
        "producer")
    assert {a.id for a in waitlisted} == {teas[4].id, craft.id}
    for application in waitlisted:
        await as_user(client, await Account.get(id=application.producer.owner_id))  # type: ignore[attr-defined]
        page = await client.get(f"/fairs/{fair.id}")
        assert 'id="waitlist-reason"' in page.text, application.producer.name  # type: ignore[attr-defined]
    exhibitors = [await Account.get(id=(await a.producer).owner_id)  # type: ignore[attr-defined]
                  for a in await BoothApplication.filter(fair=fair, status="accepted")]

    # a B2B session of six slots
    await as_user(client, organiser)
    day = fair.starts_on.isoformat()
    created = await post_form(client, f"/meetings/fairs/{fair.id}", {
        "name": "Phiên B2B", "starts_at": f"{day}T09:00", "slot_minutes": "20", "slots": "6",
        "tables": "10", "request_deadline": f"{(fair.starts_on - timedelta(days=1)).isoformat()}T17:00"})
    assert created.status_code == 303
    session = await MeetingSession.get(fair=fair)

    # 3. a buyer registers with two slots it cannot attend (09:20 and 10:00)
    buyer = await make_account("buyer")
    await Buyer.create(owner=buyer, name="Siêu thị Hapro", kind="supermarket", province_code=1)
    await as_user(client, buyer)
    form = await client.get(f"/meetings/sessions/{session.id}/register")
    assert form.status_code == 200 and "09:20" in form.text
    registered = await post_form(client, f"/meetings/sessions/{session.id}/register", {
        "company": "Siêu thị Hapro", "seeking": "Chè, mật ong", "available": ["0", "2", "4", "5"]})
    assert registered.status_code == 303
    mine = await MeetingParticipant.get(account=buyer)
    assert (mine.status, mine.unavailable) == ("pending", [1, 3])
    await as_user(client, organiser)
    listed = await client.get(f"/meetings/sessions/{session.id}/participants.csv")
    assert "Siêu thị Hapro" in listed.text and "09:20, 10:00" in listed.text
    approved = await post_form(
        client, f"/meetings/sessions/{session.id}/participants/{mine.id}/approve")
    assert approved.status_code == 303
    await as_user(client, buyer)
    for exhibitor in exhibitors:
        asked = await post_form(client, f"/meetings/sessions/{session.id}/ask/{exhibitor.id}",
                                {"message": "Xin gặp"})
        assert asked.status_code == 303
    await as_user(client, organiser)
    closed = await post_form(client, f"/meetings/sessions/{session.id}/close")
    assert closed.status_code == 303
    meetings = await Meeting.filter(session=session).select_related("request")
    assert len(meetings) == len(exhibitors) == 4
    assert not {m.slot for m in meetings} & {1, 3}  # never in the slots it cannot attend

    # the session takes place: its start moves into the past
    started = datetime.now(UTC) - timedelta(hours=3)
    await MeetingSession.filter(id=session.id).update(starts_at=started)
    await Fair.filter(id=fair.id).update(starts_on=(started + VN_OFFSET).date())

    # 4. participants enter MOUs and contracts; the organiser downloads the report
    by_exhibitor = {m.request.recipient_id: m for m in meetings}  # type: ignore[attr-defined]
    await as_user(client, buyer)
    agenda = await client.get("/meetings/agenda")
    assert agenda.text.count("/result") == 4
    first, second, third, _fourth = exhibitors
    entered = await post_form(client, f"/meetings/{by_exhibitor[first.id].id}/result", {
        "kind": "contract", "value_vnd": "150.000.000", "product": "Chè Shan tuyết"})
    assert entered.status_code == 303
    refused = await post_form(client, f"/meetings/{by_exhibitor[second.id].id}/result",
                              {"kind": "contract", "value_vnd": "nhiều"})
    assert refused.status_code == 422 and "Enter the value in đồng" in refused.text
    await as_user(client, second)
    assert (await post_form(client, f"/meetings/{by_exhibitor[second.id].id}/result", {
        "kind": "mou", "value_vnd": "80.000.000"})).status_code == 303
    await as_user(client, third)
    assert (await post_form(client, f"/meetings/{by_exhibitor[third.id].id}/result", {
        "kind": "mou", "value_vnd": "20.000.000"})).status_code == 303
    sales = await post_form(client, f"/fairs/{fair.id}/sales", {"onsite_sales_vnd": "12.500.000"})
    assert sales.status_code == 303

    await as_user(client, organiser)
    page = await client.get(f"/organiser/fairs/{fair.id}/results")
    assert re.search(r'id="contracts">1<', page.text) and re.search(r'id="mous">2<', page.text)
    report = await client.get(f"/organiser/fairs/{fair.id}/results.xlsx")
    assert report.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(report.content))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["MOUs"] == 2 and summary["MOU value (đồng)"] == 100_000_000
    assert summary["Contracts"] == 1 and summary["Contract value (đồng)"] == 150_000_000
    assert summary["Meetings held"] == 3 and summary["No-shows"] == 1
    assert summary["On-site sales (đồng)"] == 12_500_000
    deals = list(book["MOUs and contracts"].iter_rows(values_only=True))
    assert sorted(row[4] for row in deals[1:]) == [20_000_000, 80_000_000, 150_000_000]
    assert (await client.get("/organiser/results")).status_code == 200
    assert await MeetingRequest.filter(session=session).count() == 4
