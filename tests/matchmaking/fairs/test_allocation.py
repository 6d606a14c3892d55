"""The allocation's life: run a draft, adjust it, publish, cancel and refill from the waitlist."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta

import pytest

from matchmaking.enums import ApplicationStatus, FairStatus, RunStatus
from matchmaking.errors import ValidationFailed
from matchmaking.fairs.adjust import move_exhibitor
from matchmaking.fairs.allocation import allocate_due_fairs, publish_allocation, run_allocation
from matchmaking.fairs.changes import cancel_by_organiser, withdraw_application
from matchmaking.fairs.queries import assigned_codes
from matchmaking.models import (
    Account,
    AllocationRun,
    AuditLog,
    BoothApplication,
    BoothAssignment,
    EmailMessage,
    Fair,
    Notification,
)
from tests.factories import PUBLIC_URL, make_account
from tests.matchmaking.fairs.test_fairs import NOW, lay_out, make_applicant, make_fair

AFTER_CLOSE = NOW + timedelta(days=6)


async def organiser_of(fair: Fair) -> Account:
    return await Account.get(id=fair.organiser_id)


async def allocate(fair: Fair) -> AllocationRun:
    return await run_allocation(await organiser_of(fair), fair, time_limit=2, now=AFTER_CLOSE)


async def statuses(fair: Fair) -> dict[int, tuple[str, int | None]]:
    rows = await BoothApplication.filter(fair=fair).values_list("id", "status", "waitlist_position")
    return {i: (str(s), p) for i, s, p in rows}


async def owner_of(application: BoothApplication) -> Account:
    producer = await application.producer
    return await Account.get(id=producer.owner_id)


async def two_zone_fair() -> tuple[Fair, list[BoothApplication], BoothApplication]:
    """One row of six booths: A-01..03 beverages, A-04..06 food; four tea producers want one
    booth each (one must wait), a food producer wants two."""
    fair = await make_fair()
    await lay_out(fair, rows=1, columns=6, zones=["beverages", "food"])
    teas = [await make_applicant(fair, stars=s, preferences=[p])
            for s, p in ((5, "A-01"), (4, "A-02"), (4, "A-03"), (3, "A-01"))]
    food = await make_applicant(fair, group="food", subgroup="condiments", booths=2)
    return fair, teas, food


async def test_allocation_is_written_as_a_draft(db: str) -> None:
    fair, teas, food = await two_zone_fair()
    run = await allocate(fair)
    assert run.status == RunStatus.DRAFT and run.kind == "booths"
    assert run.objective == run.result["objective"] and run.instance["rules"]["competitor_penalty"]
    codes = await assigned_codes(fair)
    assert codes[teas[0].id] == ["A-01"] and codes[teas[1].id] == ["A-02"]
    assert codes[teas[2].id] == ["A-03"]
    assert len(codes[food.id]) == 2 and set(codes[food.id]) <= {"A-04", "A-05", "A-06"}
    assert (await statuses(fair))[teas[3].id] == ("waitlisted", 1)
    assert (await Fair.get(id=fair.id)).status == FairStatus.ALLOCATED
    assert await AuditLog.filter(action="allocation.run").count() == 1
    # a second run supersedes the draft
    again = await allocate(fair)
    assert (await AllocationRun.get(id=run.id)).status == RunStatus.SUPERSEDED
    assert await BoothAssignment.filter(fair=fair, run=again).count() == 5


async def test_allocation_waits_for_the_window_to_close(db: str) -> None:
    fair = await make_fair()
    await lay_out(fair)
    with pytest.raises(ValidationFailed) as caught:
        await run_allocation(await organiser_of(fair), fair, time_limit=1, now=NOW)
    assert set(caught.value.errors) == {"fair"}


async def test_moves_are_checked_then_published_and_notified(db: str) -> None:
    fair, teas, food = await two_zone_fair()
    await allocate(fair)
    organiser = await organiser_of(fair)

    async def move_refused(application: BoothApplication, codes: list[str]) -> str:
        with pytest.raises(ValidationFailed) as caught:
            await move_exhibitor(organiser, fair.id, application.id, codes, public_url=PUBLIC_URL)
        return caught.value.errors["booths"]

    held = (await assigned_codes(fair))[food.id]
    free = ({"A-04", "A-05", "A-06"} - set(held)).pop()
    assert "A-01" in await move_refused(teas[1], ["A-01"])  # taken by another exhibitor
    assert await move_refused(food, ["A-01", "A-02"])  # beverages zone
    assert await move_refused(food, ["A-04", "A-06"])  # not connected
    assert await move_refused(food, [free])  # one booth, it asked for two
    assert await move_refused(teas[3], [free])  # a food booth for tea
    assert (await assigned_codes(fair))[food.id] == held

    target = sorted({free, "A-05"}) if free != "A-05" else ["A-04", "A-05"]
    await move_exhibitor(organiser, fair.id, food.id, target, public_url=PUBLIC_URL)
    assert (await assigned_codes(fair))[food.id] == target

    await publish_allocation(organiser, fair.id, public_url=PUBLIC_URL)
    assert (await Fair.get(id=fair.id)).status == FairStatus.PUBLISHED
    assert (await AllocationRun.filter(fair=fair).order_by("-id").first()).status == "published"  # type: ignore[union-attr]
    assert await Notification.filter(kind="booths.accepted").count() == 4
    waitlisted = await Notification.get(kind="booths.waitlisted")
    assert waitlisted.account_id == (await owner_of(teas[3])).id
    assert await EmailMessage.all().count() == 5
    with pytest.raises(ValidationFailed):
        await allocate(fair)  # published: adjust it, do not re-run


async def test_cancellation_offers_the_booth_to_the_waitlist(db: str) -> None:
    fair, teas, _food = await two_zone_fair()
    extra = await make_applicant(fair, stars=3)  # second on the waitlist
    await allocate(fair)
    await publish_allocation(await organiser_of(fair), fair.id, public_url=PUBLIC_URL)
    assert (await statuses(fair))[extra.id] == ("waitlisted", 2)
    await withdraw_application(await owner_of(teas[1]), fair.id, now=AFTER_CLOSE, public_url=PUBLIC_URL)
    codes = await assigned_codes(fair)
    assert teas[1].id not in codes
    assert codes[teas[3].id] == ["A-02"]  # the first on the waitlist
    state = await statuses(fair)
    assert state[teas[1].id] == ("withdrawn", None)
    assert state[teas[3].id] == ("accepted", None)
    assert state[extra.id] == ("waitlisted", 1)
    refilled = await Notification.get(kind="booths.refilled")
    assert refilled.account_id == (await owner_of(teas[3])).id
    assert "A-02" in refilled.body
    # the organiser cancels another: the next waiting one fills it
    await cancel_by_organiser(await organiser_of(fair), fair.id, teas[2].id, public_url=PUBLIC_URL)
    assert (await assigned_codes(fair))[extra.id] == ["A-03"]
    assert (await statuses(fair))[teas[2].id] == ("rejected", None)
    assert await Notification.filter(kind="booths.cancelled").count() == 1


async def test_waitlisted_that_does_not_fit_is_skipped(db: str) -> None:
    fair = await make_fair()
    await lay_out(fair, rows=1, columns=2)
    first = await make_applicant(fair, stars=5)
    second = await make_applicant(fair, stars=5)
    big = await make_applicant(fair, stars=3, booths=2)
    small = await make_applicant(fair, stars=3)
    await allocate(fair)
    state = await statuses(fair)
    assert state[big.id][0] == state[small.id][0] == "waitlisted"
    await cancel_by_organiser(await organiser_of(fair), fair.id, first.id, public_url=PUBLIC_URL)
    # one booth is free: the two-booth application cannot use it, the next one can
    assert (await statuses(fair))[small.id] == ("accepted", None)
    assert (await statuses(fair))[big.id] == ("waitlisted", 1)
    assert second.id in await assigned_codes(fair)


async def test_a_failed_write_leaves_the_previous_allocation(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fair, _teas, _food = await two_zone_fair()
    run = await allocate(fair)
    before = (await assigned_codes(fair), await statuses(fair))

    async def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    # fails after the old run is superseded and the old assignments deleted
    monkeypatch.setattr(BoothApplication, "bulk_update", fail)
    with pytest.raises(RuntimeError):
        await allocate(fair)
    assert [(r.id, r.status) for r in await AllocationRun.filter(fair=fair)] == [(run.id, "draft")]
    assert await assigned_codes(fair) == before[0]
    state = await statuses(fair)
    assert {k: v for k, v in state.items() if k in before[1]} == before[1]
    assert (await Fair.get(id=fair.id)).status == FairStatus.ALLOCATED


async def test_two_concurrent_moves_never_double_book(db: str) -> None:
    fair = await make_fair()
    await lay_out(fair, rows=1, columns=4)
    one = await make_applicant(fair, preferences=["A-01"])
    two = await make_applicant(fair, preferences=["A-02"])
    await allocate(fair)
    organiser = await organiser_of(fair)
    results = await asyncio.gather(
        move_exhibitor(organiser, fair.id, one.id, ["A-04"], public_url=PUBLIC_URL),
        move_exhibitor(organiser, fair.id, two.id, ["A-04"], public_url=PUBLIC_URL),
        return_exceptions=True,
    )
    failures = [r for r in results if isinstance(r, BaseException)]
    assert len(failures) == 1 and isinstance(failures[0], ValidationFailed)
    assert await BoothAssignment.filter(fair=fair, booth__code="A-04").count() == 1
    codes = await assigned_codes(fair)
    assert sorted(len(codes[a.id]) for a in (one, two)) == [1, 1]


async def test_job_allocates_due_fairs_once(db: str) -> None:
    fair = await make_fair()
    await lay_out(fair)
    await make_applicant(fair)
    not_due = await make_fair()
    await lay_out(not_due)
    assert await allocate_due_fairs(now=AFTER_CLOSE - timedelta(days=10), time_limit=1) == []
    closed_fair = await Fair.get(id=fair.id)
    closed_fair.applications_close = NOW - timedelta(minutes=1)
    await closed_fair.save()
    assert await allocate_due_fairs(now=NOW, time_limit=1) == [fair.id]
    assert await allocate_due_fairs(now=NOW, time_limit=1) == []
    assert await AllocationRun.filter(fair=fair).count() == 1
    assert (await BoothApplication.get(fair=fair)).status == ApplicationStatus.ACCEPTED


async def test_other_organiser_cannot_run_or_publish(db: str) -> None:
    from matchmaking.errors import NotFound

    fair = await make_fair()
    await lay_out(fair)
    intruder = await make_account("organiser")
    with pytest.raises(NotFound):
        await run_allocation(intruder, fair, time_limit=1, now=AFTER_CLOSE)
    with pytest.raises(NotFound):
        await publish_allocation(intruder, fair.id, public_url=PUBLIC_URL)


async def publish_counting(
    count_queries: Callable[[], AbstractContextManager[list[str]]], applicants: int
) -> tuple[Fair, int]:
    """A fair of four booths with `applicants` one-booth applications, allocated, then published
    while counting SQL statements."""
    fair = await make_fair()
    await lay_out(fair, rows=1, columns=4)
    for _ in range(applicants):
        await make_applicant(fair)
    await allocate(fair)
    organiser = await organiser_of(fair)
    with count_queries() as statements:
        await publish_allocation(organiser, fair.id, public_url=PUBLIC_URL)
    return fair, len(statements)


async def test_publishing_takes_the_same_statements_for_2_or_12_applications(
    db: str, count_queries: Callable[[], AbstractContextManager[list[str]]]
) -> None:
    small, few = await publish_counting(count_queries, 2)
    large, many = await publish_counting(count_queries, 12)
    assert few == many, (few, many)
    assert await Notification.filter(link=f"/fairs/{large.id}").count() == 12  # 4 in, 8 waiting
    assert await Notification.filter(link=f"/fairs/{small.id}").count() == 2


async def test_publishing_emails_absolute_links_and_never_a_deactivated_account(db: str) -> None:
    fair = await make_fair()
    await lay_out(fair, rows=1, columns=4)
    kept, gone = await make_applicant(fair), await make_applicant(fair)
    await Account.filter(id=(await owner_of(gone)).id).update(is_active=False)
    await allocate(fair)
    await publish_allocation(await organiser_of(fair), fair.id, public_url=PUBLIC_URL)
    [email] = await EmailMessage.all()
    assert email.to_address == (await owner_of(kept)).email
    assert email.body.endswith(f"\n\n{PUBLIC_URL}/fairs/{fair.id}")
    assert await Notification.filter(kind="booths.accepted").count() == 2  # the inbox keeps both
