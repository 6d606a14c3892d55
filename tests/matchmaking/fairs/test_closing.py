"""Closing applications early with notice, then allocating at once; a preview that writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from matchmaking.enums import FairStatus
from matchmaking.errors import NotFound, ValidationFailed
from matchmaking.fairs.allocation import run_allocation
from matchmaking.fairs.applications import apply_for_booths
from matchmaking.fairs.closing import close_applications, preview_allocation
from matchmaking.meetings.closing import close_requests
from matchmaking.models import (
    AllocationRun,
    BoothApplication,
    BoothAssignment,
    EmailMessage,
    Fair,
    Meeting,
    Notification,
)
from tests.factories import PUBLIC_URL, make_account, make_producer, make_product
from tests.matchmaking.fairs.test_allocation import organiser_of, statuses, two_zone_fair
from tests.matchmaking.fairs.test_explain import mismatched_fair
from tests.matchmaking.fairs.test_fairs import NOW
from tests.matchmaking.meetings import test_sessions as m
from tests.matchmaking.meetings.test_sessions import english  # noqa: F401 - autouse: English


async def test_closing_early_tells_applicants_and_allows_allocation_at_once(db: str) -> None:
    fair, _teas, _food = await two_zone_fair()
    organiser = await organiser_of(fair)
    closed = await close_applications(organiser, fair.id, now=NOW, public_url=PUBLIC_URL)
    assert (closed.status, closed.applications_close) == (FairStatus.CLOSED, NOW)
    assert await Notification.filter(kind="fair.closed").count() == 5
    assert await EmailMessage.all().count() == 5
    run = await run_allocation(organiser, closed, time_limit=2, now=NOW + timedelta(seconds=1))
    assert run.status == "draft" and len(run.result["assignments"]) == 4
    # a late applicant is refused: the window has ended
    account = await make_account("producer")
    producer = await make_producer(owner=account)
    item = await make_product(producer, stars=4, group="beverages", subgroup="tea")
    with pytest.raises(ValidationFailed):
        await apply_for_booths(account, fair.id, {"products": [item.id], "booths_wanted": 1,
                                                  "preferences": []}, now=NOW + timedelta(seconds=2))
    with pytest.raises(ValidationFailed, match="fair"):
        await close_applications(organiser, fair.id, now=NOW + timedelta(seconds=3), public_url=PUBLIC_URL)


async def test_closing_someone_elses_fair_is_refused(db: str) -> None:
    fair, _teas, _food = await two_zone_fair()
    with pytest.raises(NotFound):
        await close_applications(await make_account("organiser"), fair.id, now=NOW, public_url=PUBLIC_URL)
    assert (await Fair.get(id=fair.id)).status == FairStatus.OPEN


async def test_preview_runs_while_open_writes_nothing_and_notifies_no_one(db: str) -> None:
    fair, apps = await mismatched_fair()
    before = await statuses(fair)
    preview = await preview_allocation(await organiser_of(fair), fair.id, time_limit=2)
    assert len(preview.accepted) == 3
    waiting = dict(preview.waitlisted)
    craft = (await apps["craft"].producer).name
    assert waiting[craft] is not None and waiting[craft].code == "no_zone"
    assert await AllocationRun.all().count() == 0
    assert await BoothAssignment.all().count() == 0
    assert await Notification.all().count() == 0 and await EmailMessage.all().count() == 0
    assert await statuses(fair) == before
    assert (await Fair.get(id=fair.id)).status == FairStatus.OPEN
    assert await BoothApplication.filter(fair=fair, status="submitted").count() == 6


async def test_closing_meeting_requests_publishes_the_schedule_at_once(db: str) -> None:
    fair = await m.make_fair()
    session = await m.make_session(fair)
    buyer, exhibitor = await m.make_buyer(), await m.make_exhibitor(fair)
    await m.ask(buyer, exhibitor, session)
    outcome = await close_requests(m.organiser_of(await Fair.get(id=fair.id).select_related(
        "organiser")), session.id, now=m.NOW, public_url=PUBLIC_URL)
    assert outcome.published and outcome.scheduled == 1
    assert await Meeting.filter(session=session).count() == 1
    assert await Notification.filter(kind="meeting.closed").count() == 2
    assert await Notification.filter(kind="meeting.agenda").count() == 2
    with pytest.raises(ValidationFailed, match="already closed"):
        await close_requests(m.organiser_of(await Fair.get(id=fair.id).select_related("organiser")),
                             session.id, now=m.NOW, public_url=PUBLIC_URL)
