"""Registration for B2B sessions, and availability and limits honoured by the scheduler."""

from __future__ import annotations

import csv
import io

import pytest
from tortoise.exceptions import IntegrityError

from matchmaking.errors import Forbidden, ValidationFailed
from matchmaking.meetings import registration
from matchmaking.meetings import schedule as meeting_schedule
from matchmaking.meetings import sessions as meetings
from matchmaking.meetings.unscheduled import my_requests_explained
from matchmaking.models import Account, Fair, Meeting, MeetingParticipant, MeetingRequest, Notification
from tests.factories import PUBLIC_URL
from tests.matchmaking.meetings.test_sessions import (
    AFTER_DEADLINE,
    NOW,
    english,  # noqa: F401 - the autouse fixture: messages in English
    make_buyer,
    make_exhibitor,
    make_fair,
    make_session,
    register,
)

ALL = ["0", "1", "2"]


async def organiser(fair: Fair) -> Account:
    return await Account.get(id=fair.organiser_id)  # type: ignore[attr-defined]


async def test_buyer_registers_waits_for_approval_then_may_ask(db: str) -> None:
    fair = await make_fair()
    session = await make_session(fair)
    buyer, exhibitor = await make_buyer("Siêu thị Hapro"), await make_exhibitor(fair)
    with pytest.raises(Forbidden):
        await meetings.request_meeting(buyer, session.id, exhibitor.id, "", now=NOW,
                                                 public_url=PUBLIC_URL)
    mine = await registration.register(buyer, session.id, {
        "seeking": "Chè xanh, 500 kg/tháng", "available": ["1"], "max_meetings": "2"},
        public_url=PUBLIC_URL)
    assert (mine.status, mine.company, mine.unavailable, mine.max_meetings) == (
        "pending", "Siêu thị Hapro", [0, 2], 2)
    assert len(mine.pass_code) == 8
    assert await Notification.filter(kind="meeting.registration").count() == 1  # the organiser
    with pytest.raises(Forbidden):
        await meetings.request_meeting(buyer, session.id, exhibitor.id, "", now=NOW,
                                                 public_url=PUBLIC_URL)
    assert await meetings.directory(exhibitor, session.id) == []  # not listed while pending
    await registration.decide(await organiser(fair), session.id, mine.id, approve=True,
        public_url=PUBLIC_URL)
    assert await Notification.filter(kind="meeting.registration.approved").count() == 1
    request = await meetings.request_meeting(buyer, session.id, exhibitor.id, "", now=NOW,
                                                 public_url=PUBLIC_URL)
    assert request.status == "pending"
    assert [c.party.name for c in await meetings.directory(exhibitor, session.id)] == [
        "Siêu thị Hapro"]


async def test_automatic_approval_is_a_fair_setting(db: str) -> None:
    fair = await make_fair(buyers_auto_approved=True)
    session = await make_session(fair)
    buyer = await make_buyer()
    mine = await registration.register(buyer, session.id, {"available": ALL},
        public_url=PUBLIC_URL)
    assert mine.status == "approved"
    assert await Notification.filter(kind="meeting.registration").count() == 0


async def test_registration_form_names_every_wrong_field(db: str) -> None:
    fair = await make_fair()
    session = await make_session(fair)
    buyer = await make_buyer()
    with pytest.raises(ValidationFailed) as caught:
        await registration.register(buyer, session.id, {
            "company": " ", "available": [], "max_meetings": "0", "seeking": "x" * 2001},
        public_url=PUBLIC_URL)
    assert set(caught.value.errors) == {"company", "available", "max_meetings", "seeking"}
    with pytest.raises(ValidationFailed) as caught:
        await registration.register(buyer, session.id, {"available": ["7"]},
        public_url=PUBLIC_URL)
    assert set(caught.value.errors) == {"available"}
    assert await MeetingParticipant.all().count() == 0


async def test_exhibitor_states_availability_and_an_outsider_cannot(db: str) -> None:
    fair = await make_fair()
    session = await make_session(fair)
    exhibitor = await make_exhibitor(fair)
    mine = await registration.register(exhibitor, session.id, {"available": ["0", "2"]},
        public_url=PUBLIC_URL)
    assert (mine.side, mine.status, mine.unavailable) == ("exhibitor", "approved", [1])
    outsider = await make_exhibitor(await make_fair())
    with pytest.raises(Forbidden):
        await registration.register(outsider, session.id, {"available": ALL},
        public_url=PUBLIC_URL)


async def test_one_registration_per_account_and_session_in_the_database(db: str) -> None:
    fair = await make_fair()
    session = await make_session(fair)
    buyer = await make_buyer()
    await register(buyer, session)
    with pytest.raises(IntegrityError):
        await MeetingParticipant.create(session=session, account=buyer, side="buyer",
                                        pass_code="ZZZZ9999")


async def test_registration_list_exports_as_csv(db: str) -> None:
    fair = await make_fair()
    session = await make_session(fair)
    buyer = await make_buyer("Công ty Hapro")
    await registration.register(buyer, session.id, {"available": ["0"], "seeking": "Mật ong"},
        public_url=PUBLIC_URL)
    rows = await registration.session_registrations(await organiser(fair), session.id)
    table = list(csv.reader(io.StringIO(registration.registrations_csv(rows).lstrip("\ufeff"))))
    assert table[0][0] == "Company" and table[1][:3] == ["Công ty Hapro", "buyer", "pending"]
    assert table[1][5] == "09:20, 09:40"  # the slots it cannot attend, in Vietnam's time


async def test_scheduler_never_uses_unavailable_slots_and_keeps_limits(db: str) -> None:
    fair = await make_fair()
    session = await make_session(fair, slots=3, tables=5)
    buyer = await make_buyer()
    exhibitors = [await make_exhibitor(fair) for _ in range(3)]
    await register(buyer, session, unavailable=[0, 2])  # only 09:20 is free
    for exhibitor in exhibitors:
        await MeetingRequest.create(session=session, requester=buyer, recipient=exhibitor,
                                    status="accepted")
    outcome = await meeting_schedule.run_schedule(session, now=AFTER_DEADLINE, time_limit=5,
        public_url=PUBLIC_URL)
    assert (outcome.scheduled, outcome.unscheduled) == (1, 2)
    assert set(await Meeting.filter(session=session).values_list("slot", flat=True)) == {1}
    mine = await my_requests_explained(buyer, now=AFTER_DEADLINE)
    left = [v for v in mine.outgoing if v.request.id in mine.not_scheduled]
    assert len(left) == 2
    assert all(mine.not_scheduled[v.request.id] == (
        "In every slot both sides can attend, one of them already has another meeting.")
        for v in left)


async def test_meeting_limit_and_no_common_slot_are_explained(db: str) -> None:
    fair = await make_fair()
    session = await make_session(fair, slots=3, tables=5)
    buyer, busy = await make_buyer(), await make_buyer()
    first, second, third = [await make_exhibitor(fair, name=n) for n in ("HTX A", "HTX B", "HTX C")]
    await register(buyer, session, max_meetings=1)
    await register(busy, session, unavailable=[0, 1])
    await register(third, session, unavailable=[2])
    for exhibitor in (first, second):
        await MeetingRequest.create(session=session, requester=buyer, recipient=exhibitor,
                                    status="accepted")
    never = await MeetingRequest.create(session=session, requester=busy, recipient=third,
                                        status="accepted")
    outcome = await meeting_schedule.run_schedule(session, now=AFTER_DEADLINE, time_limit=5,
        public_url=PUBLIC_URL)
    assert outcome.scheduled == 1
    mine = await my_requests_explained(buyer, now=AFTER_DEADLINE)
    assert list(mine.not_scheduled.values()) == ["You have reached your limit of 1 meetings."]
    theirs = await my_requests_explained(third, now=AFTER_DEADLINE)
    assert theirs.not_scheduled == {never.id: "The two sides have no slot that both can attend."}
