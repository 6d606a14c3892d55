"""B2B meetings in the domain: sessions, request rules, scheduling, changes, agendas, outcomes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import count
from typing import Any, cast

import pytest

from config import i18n
from matchmaking.enums import ApplicationStatus, BuyerKind, FairStatus, RunStatus
from matchmaking.errors import Forbidden, NotFound, ValidationFailed
from matchmaking.meetings import agenda as meeting_agenda
from matchmaking.meetings import ical
from matchmaking.meetings import parties as meeting_parties
from matchmaking.meetings import schedule as meeting_schedule
from matchmaking.meetings import sessions as meetings
from matchmaking.models import (
    Account,
    AllocationRun,
    BoothApplication,
    Buyer,
    EmailMessage,
    Fair,
    Meeting,
    MeetingParticipant,
    MeetingRequest,
    MeetingSession,
    Notification,
)
from tests.factories import PUBLIC_URL, make_account, make_producer

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
START = datetime(2026, 6, 12, 2, 0, tzinfo=UTC)
DEADLINE = datetime(2026, 6, 10, 10, 0, tzinfo=UTC)
AFTER_DEADLINE = DEADLINE + timedelta(hours=1)
_names = count(1)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("vi")


# Makers ------------------------------------------------------------------------------------


async def make_fair(organiser: Account | None = None, **overrides: Any) -> Fair:
    values: dict[str, Any] = {
        "organiser": organiser or await make_account("organiser"),
        "name": "Hội chợ OCOP Hà Nội 2026", "venue": "Cung Văn hoá Hữu nghị, 91 Trần Hưng Đạo",
        "province_code": 1, "starts_on": date(2026, 6, 12), "ends_on": date(2026, 6, 14),
        "applications_open": datetime(2026, 3, 1, tzinfo=UTC),
        "applications_close": datetime(2026, 5, 1, tzinfo=UTC), "status": FairStatus.PUBLISHED,
    }
    values.update(overrides)
    return await Fair.create(**values)


def organiser_of(fair: Fair | Any) -> Account:
    """The fair's organiser (loaded with the fair)."""
    return cast(Account, fair.organiser)


async def make_exhibitor(fair: Fair, status: ApplicationStatus = ApplicationStatus.ACCEPTED,
                         name: str | None = None) -> Account:
    account = await make_account("producer")
    producer = await make_producer(owner=account, name=name or f"HTX Chè {next(_names)}")
    await BoothApplication.create(fair=fair, producer=producer, status=status)
    return account


async def make_buyer(name: str | None = None) -> Account:
    account = await make_account("buyer")
    await Buyer.create(owner=account, name=name or f"Siêu thị {next(_names)}",
                       kind=BuyerKind.SUPERMARKET, province_code=1)
    return account


async def make_session(fair: Fair, **overrides: Any) -> MeetingSession:
    values: dict[str, Any] = {"fair": fair, "name": "Phiên B2B sáng", "starts_at": START,
                              "slot_minutes": 20, "slots": 3, "tables": 2,
                              "request_deadline": DEADLINE}
    values.update(overrides)
    session = await MeetingSession.create(**values)
    return await MeetingSession.get(id=session.id).select_related("fair")


async def register(account: Account, session: MeetingSession, **declared: Any) -> MeetingParticipant:
    """An approved registration of a buyer (or an exhibitor's availability) for the session."""
    side = "buyer" if account.role == "buyer" else "exhibitor"
    found = await MeetingParticipant.get_or_none(session_id=session.id, account=account)
    if found is not None:
        await found.update_from_dict(declared).save()
        return found
    return await MeetingParticipant.create(session_id=session.id, account=account, side=side,
                                           company=f"Công ty {account.id}", status="approved",
                                           pass_code=f"P{account.id:07d}", **declared)


async def ask(requester: Account, recipient: Account, session: MeetingSession,
              message: str = "Xin gặp") -> MeetingRequest:
    """A meeting request; buyers among the two are registered for the session first."""
    for account in (requester, recipient):
        if account.role == "buyer":
            await register(account, session)
    return await meetings.request_meeting(requester, session.id, recipient.id, message, now=NOW,
                                          public_url=PUBLIC_URL)


async def answer(account: Account, request: MeetingRequest, action: str) -> MeetingRequest:
    return await meetings.change_request(account, request.id, action, now=NOW, public_url=PUBLIC_URL)


async def schedule_rows(session: MeetingSession) -> list[tuple[int, int, int, int, int]]:
    """(meeting id, slot, table, requester, recipient) for every meeting, from the database."""
    rows = await Meeting.filter(session=session).order_by("id").values_list(
        "id", "slot", "table_number", "request__requester_id", "request__recipient_id")
    return [tuple(int(v) for v in row) for row in rows]  # type: ignore[misc]


def assert_valid_schedule(rows: list[tuple[int, int, int, int, int]], session: MeetingSession) -> None:
    places, busy = set(), set()
    for _id, slot, table, a, b in rows:
        assert 0 <= slot < session.slots and 1 <= table <= session.tables
        assert (slot, table) not in places
        places.add((slot, table))
        for person in (a, b):
            assert (slot, person) not in busy, f"account {person} twice in slot {slot}"
            busy.add((slot, person))
    for slot in range(session.slots):
        assert sum(1 for row in rows if row[1] == slot) <= session.tables


# Sessions ----------------------------------------------------------------------------------


SESSION = {"name": "Phiên chiều", "starts_at": "2026-06-12T14:00", "slot_minutes": "20",
           "slots": "6", "tables": "10", "request_deadline": "2026-06-10T17:00"}


async def test_create_session_stores_vietnam_time(db: str) -> None:
    fair = await make_fair()
    session = await meetings.create_session(organiser_of(fair), fair.id, SESSION, now=NOW)
    stored = await MeetingSession.get(id=session.id)
    assert stored.starts_at.astimezone(UTC) == datetime(2026, 6, 12, 7, 0, tzinfo=UTC)
    assert (stored.slots, stored.tables, stored.slot_minutes) == (6, 10, 20)


async def test_create_session_names_every_wrong_field(db: str) -> None:
    fair = await make_fair()
    bad = {"name": "", "starts_at": "2026-07-01T09:00", "slot_minutes": "0", "slots": "x",
           "tables": "9999", "request_deadline": "soon"}
    with pytest.raises(ValidationFailed) as caught:
        await meetings.create_session(organiser_of(fair), fair.id, bad, now=NOW)
    assert set(caught.value.errors) == {"name", "starts_at", "slot_minutes", "slots", "tables",
                                        "request_deadline"}
    assert caught.value.errors["starts_at"] == "The session must take place during the fair."


async def test_create_session_deadline_after_start_is_refused(db: str) -> None:
    fair = await make_fair()
    with pytest.raises(ValidationFailed) as caught:
        await meetings.create_session(organiser_of(fair), fair.id,
                                      {**SESSION, "request_deadline": "2026-06-12T15:00"}, now=NOW)
    assert list(caught.value.errors) == ["request_deadline"]


async def test_create_session_overlapping_another_is_refused(db: str) -> None:
    fair = await make_fair()
    await meetings.create_session(organiser_of(fair), fair.id, SESSION, now=NOW)
    with pytest.raises(ValidationFailed) as caught:
        await meetings.create_session(organiser_of(fair), fair.id,
                                      {**SESSION, "starts_at": "2026-06-12T15:00"}, now=NOW)
    assert "overlaps" in caught.value.errors["starts_at"]


async def test_create_session_on_another_organisers_fair_is_not_found(db: str) -> None:
    fair = await make_fair()
    with pytest.raises(NotFound):
        await meetings.create_session(await make_account("organiser"), fair.id, SESSION, now=NOW)
    with pytest.raises(Forbidden):
        await meetings.create_session(await make_buyer(), fair.id, SESSION, now=NOW)
    assert await MeetingSession.all().count() == 0


# Requests ----------------------------------------------------------------------------------


async def test_request_rules(db: str) -> None:
    fair = await make_fair()
    session = await make_session(fair)
    buyer, other_buyer = await make_buyer(), await make_buyer()
    exhibitor = await make_exhibitor(fair)
    outsider = await make_exhibitor(await make_fair())  # exhibits at another fair only

    def refused(field: str) -> Any:
        return pytest.raises(ValidationFailed, match=field)

    request = await ask(buyer, exhibitor, session, "Muốn nhập chè, 500 kg/tháng")
    assert (request.status, request.message) == ("pending", "Muốn nhập chè, 500 kg/tháng")
    with refused("recipient: You have already asked"):
        await ask(buyer, exhibitor, session)
    with refused("recipient: You cannot ask to meet yourself"):
        await ask(buyer, buyer, session)
    with refused("recipient: This account does not take part"):
        await ask(buyer, outsider, session)
    with refused("recipient: Buyers meet exhibitors"):
        await ask(buyer, other_buyer, session)
    with pytest.raises(Forbidden):
        await ask(outsider, buyer, session)
    with refused("message: The message is too long"):
        await ask(other_buyer, exhibitor, session, "x" * 1001)
    with refused("session: The request deadline"):
        await meetings.request_meeting(other_buyer, session.id, exhibitor.id, "", now=DEADLINE,
                                       public_url=PUBLIC_URL)
    reverse = await ask(exhibitor, buyer, session)  # asking back is allowed: both sides asked
    assert reverse.status == "pending"
    assert await MeetingRequest.all().count() == 2


async def test_submitted_applicants_take_part_only_until_booths_are_allocated(db: str) -> None:
    fair = await make_fair()
    session = await make_session(fair)
    buyer = await make_buyer()
    applicant = await make_exhibitor(fair, ApplicationStatus.SUBMITTED)
    await ask(buyer, applicant, session)  # no accepted application yet: applicants take part
    accepted = await make_exhibitor(fair, ApplicationStatus.ACCEPTED)
    await ask(buyer, accepted, session)
    with pytest.raises(ValidationFailed, match="does not take part"):
        await ask(await make_buyer(), applicant, session)


async def test_request_transitions(db: str) -> None:
    fair = await make_fair()
    session = await make_session(fair)
    buyer, exhibitor, stranger = await make_buyer(), await make_exhibitor(fair), await make_buyer()
    request = await ask(buyer, exhibitor, session)
    with pytest.raises(Forbidden):
        await answer(buyer, request, "accept")  # only the recipient answers
    with pytest.raises(Forbidden):
        await answer(exhibitor, request, "cancel")  # only the requester cancels
    with pytest.raises(NotFound):
        await answer(stranger, request, "decline")
    assert (await answer(exhibitor, request, "accept")).status == "accepted"
    with pytest.raises(ValidationFailed, match="already accepted"):
        await answer(exhibitor, request, "accept")
    assert (await answer(exhibitor, request, "decline")).status == "declined"
    with pytest.raises(ValidationFailed, match="already declined"):
        await answer(buyer, request, "cancel")
    second = await ask(exhibitor, buyer, session)
    assert (await answer(exhibitor, second, "cancel")).status == "cancelled"
    again = await ask(exhibitor, buyer, session, "Gặp lại nhé")  # asking again reopens it
    assert (again.id, again.status, again.message) == (second.id, "pending", "Gặp lại nhé")
    with pytest.raises(ValidationFailed, match="deadline"):
        await meetings.change_request(buyer, again.id, "accept", now=DEADLINE, public_url=PUBLIC_URL)
    # accepted, declined, asked, cancelled, asked again
    assert await EmailMessage.filter(to_address=buyer.email).count() == 5


async def test_weights_follow_the_platform_policy(db: str) -> None:
    fair = await make_fair()
    session = await make_session(fair)
    b1, b2, b3, b4 = [await make_buyer() for _ in range(4)]
    e1 = await make_exhibitor(fair)
    both = await ask(b1, e1, session)
    await ask(e1, b1, session)
    accepted = await ask(b2, e1, session)
    await answer(e1, accepted, "accept")
    pending = await ask(b3, e1, session)
    await answer(e1, await ask(b4, e1, session), "decline")
    rows = await MeetingRequest.filter(session=session)
    pairs = meeting_schedule.pairs_of(rows, await meeting_parties.eligible(session))
    assert {(p.request_id, p.weight) for p in pairs} == {(both.id, 3), (accepted.id, 2), (pending.id, 1)}


# Scheduling --------------------------------------------------------------------------------


async def crowded_session(
    buyers: int = 6, exhibitors: int = 4
) -> tuple[MeetingSession, list[Account], list[Account]]:
    """Every buyer asks every exhibitor: more requests than slots × tables."""
    fair = await make_fair()
    session = await make_session(fair, slots=3, tables=2)
    bs = [await make_buyer() for _ in range(buyers)]
    es = [await make_exhibitor(fair) for _ in range(exhibitors)]
    for i, b in enumerate(bs):
        for j, e in enumerate(es):
            request = await ask(b, e, session)
            if (i + j) % 2:
                await answer(e, request, "accept")
    return session, bs, es


async def test_scheduling_at_the_deadline_writes_a_valid_published_schedule(db: str) -> None:
    session, _bs, _es = await crowded_session()
    outcome = await meeting_schedule.run_schedule(session, now=AFTER_DEADLINE, time_limit=5,
                                                  public_url=PUBLIC_URL)
    rows = await schedule_rows(session)
    assert outcome.published and outcome.scheduled == len(rows) == 6  # 3 slots × 2 tables
    assert_valid_schedule(rows, session)
    run = await AllocationRun.get(id=outcome.run.id)
    assert (run.kind, run.status, run.instance["session_id"]) == ("meetings", "published", session.id)
    assert run.objective == run.bound == 12.0  # the six accepted requests (weight 2) are held
    with_meetings = {account for row in rows for account in row[3:]}
    told = await Notification.filter(kind="meeting.agenda").values_list("account_id", flat=True)
    assert sorted(told) == sorted(with_meetings)


async def test_draft_before_deadline_is_replaced_and_published_by_the_job(db: str) -> None:
    session, _bs, _es = await crowded_session()
    draft = await meeting_schedule.run_schedule(session, now=NOW, time_limit=5, public_url=PUBLIC_URL)
    assert not draft.published
    again = await meeting_schedule.run_schedule(session, now=NOW, time_limit=5, public_url=PUBLIC_URL)
    runs = await meeting_schedule.session_runs(session)
    assert [r.status for r in runs] == [RunStatus.DRAFT, RunStatus.SUPERSEDED]
    assert runs[0].id == again.run.id
    assert await Meeting.filter(session=session).count() == 6
    assert await meeting_agenda.my_agenda(_bs[0], now=NOW) == []  # drafts are the organiser's
    done = await meeting_schedule.schedule_due_sessions(now=AFTER_DEADLINE, time_limit=5,
                                                        public_url=PUBLIC_URL)
    assert [o.published for o in done] == [True]
    published = await schedule_rows(session)
    assert_valid_schedule(published, session)
    assert await meeting_schedule.schedule_due_sessions(now=AFTER_DEADLINE, time_limit=5,
                                                        public_url=PUBLIC_URL) == []
    assert await schedule_rows(session) == published  # the second job run changed nothing
    with pytest.raises(ValidationFailed, match="already published"):
        await meeting_schedule.run_schedule(session, now=AFTER_DEADLINE, time_limit=5, public_url=PUBLIC_URL)


async def test_declined_and_cancelled_requests_are_not_scheduled(db: str) -> None:
    fair = await make_fair()
    session = await make_session(fair)
    buyer, e1, e2 = await make_buyer(), await make_exhibitor(fair), await make_exhibitor(fair)
    await answer(e1, await ask(buyer, e1, session), "decline")
    await answer(buyer, await ask(buyer, e2, session), "cancel")
    outcome = await meeting_schedule.run_schedule(session, now=AFTER_DEADLINE, time_limit=5,
                                                  public_url=PUBLIC_URL)
    assert outcome.scheduled == 0 and await Meeting.all().count() == 0


async def test_a_failed_schedule_write_leaves_the_previous_schedule(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    session, bs, es = await crowded_session(buyers=3, exhibitors=2)
    await meeting_schedule.run_schedule(session, now=NOW, time_limit=5, public_url=PUBLIC_URL)
    before = await schedule_rows(session)
    runs_before = [(r.id, r.status) for r in await meeting_schedule.session_runs(session)]
    await answer(es[0], await MeetingRequest.get(requester_id=bs[0].id, recipient_id=es[0].id),
                 "decline")

    async def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(meeting_schedule, "_record_run", crash)
    with pytest.raises(RuntimeError):
        await meeting_schedule.run_schedule(session, now=NOW, time_limit=5, public_url=PUBLIC_URL)
    assert await schedule_rows(session) == before
    assert [(r.id, r.status) for r in await meeting_schedule.session_runs(session)] == runs_before


# The organiser's changes -------------------------------------------------------------------


async def placed(session: MeetingSession, requester: Account, recipient: Account, slot: int,
                 table: int) -> Meeting:
    request = await ask(requester, recipient, session)
    return await Meeting.create(session=session, request=request, slot=slot, table_number=table)


async def test_swap_that_would_double_book_is_refused_clearly(db: str) -> None:
    fair = await make_fair()
    session = await make_session(fair)
    b1, b2 = await make_buyer("Siêu thị Hapro"), await make_buyer()
    e1, e2, e3 = [await make_exhibitor(fair) for _ in range(3)]
    m1 = await placed(session, b1, e1, 0, 1)
    m2 = await placed(session, b2, e2, 1, 1)
    m3 = await placed(session, b1, e3, 1, 2)
    with pytest.raises(ValidationFailed) as caught:
        await meeting_schedule.swap_meetings(organiser_of(fair), session.id, m1.id, m2.id, now=NOW,
                                             public_url=PUBLIC_URL)
    assert caught.value.errors == {"first": (
        "Siêu thị Hapro already has a meeting at 09:20: one participant cannot be in two places "
        "at once.")}
    assert await schedule_rows(session) == [
        (m1.id, 0, 1, b1.id, e1.id), (m2.id, 1, 1, b2.id, e2.id), (m3.id, 1, 2, b1.id, e3.id)]
    await meeting_schedule.swap_meetings(organiser_of(fair), session.id, m1.id, m3.id, now=NOW,
                                         public_url=PUBLIC_URL)
    rows = await schedule_rows(session)
    assert rows == [(m1.id, 1, 2, b1.id, e1.id), (m2.id, 1, 1, b2.id, e2.id),
                    (m3.id, 0, 1, b1.id, e3.id)]
    assert_valid_schedule(rows, session)


async def test_move_checks_the_table_and_the_participants(db: str) -> None:
    fair = await make_fair()
    session = await make_session(fair)
    b1, b2 = await make_buyer(), await make_buyer()
    e1, e2 = await make_exhibitor(fair), await make_exhibitor(fair)
    m1 = await placed(session, b1, e1, 0, 1)
    m2 = await placed(session, b1, e2, 1, 1)
    m3 = await placed(session, b2, e2, 2, 1)
    organiser = organiser_of(fair)
    with pytest.raises(ValidationFailed, match="table: Choose a table from 1 to 2"):
        await meeting_schedule.move_meeting(organiser, session.id, m1.id, 0, 3, now=NOW,
                                            public_url=PUBLIC_URL)
    with pytest.raises(ValidationFailed, match="two places at once"):
        await meeting_schedule.move_meeting(organiser, session.id, m1.id, 1, 2, now=NOW,
                                            public_url=PUBLIC_URL)
    moved = await meeting_schedule.move_meeting(organiser, session.id, m3.id, 0, 2, now=NOW,
                                                public_url=PUBLIC_URL)
    assert (moved.slot, moved.table_number) == (0, 2)
    # Onto a taken place the two meetings swap, if that double-books nobody.
    with pytest.raises(ValidationFailed, match=r"second: .* already has a meeting at 09:00"):
        await meeting_schedule.move_meeting(organiser, session.id, m1.id, 1, 1, now=NOW,
                                            public_url=PUBLIC_URL)
    await meeting_schedule.unbook_meeting(organiser, session.id, m3.id, now=NOW, public_url=PUBLIC_URL)
    await meeting_schedule.move_meeting(organiser, session.id, m1.id, 1, 1, now=NOW, public_url=PUBLIC_URL)
    assert_valid_schedule(await schedule_rows(session), session)
    assert [(m.id, m.slot, m.table_number) for m in await Meeting.filter(id__in=[m1.id, m2.id]
                                                                         ).order_by("id")] == [
        (m1.id, 1, 1), (m2.id, 0, 1)]
    assert await Meeting.filter(id=m3.id).count() == 0
    assert await MeetingRequest.filter(id=m3.request_id).count() == 1
    with pytest.raises(NotFound):
        await meeting_schedule.unbook_meeting(await make_account("organiser"), session.id, m1.id,
                                              now=NOW, public_url=PUBLIC_URL)


# Agendas and outcomes -----------------------------------------------------------------------


def parse_ics(text: str) -> list[dict[str, str]]:
    """VEVENTs as {property: raw value}; lines unfolded as RFC 5545 3.1 says."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    lines = text.replace("\r\n ", "").split("\r\n")
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT" and current is not None:
            events.append(current)
            current = None
        elif current is not None:
            name, _sep, value = line.partition(":")
            current[name] = value
    assert lines[0] == "BEGIN:VCALENDAR" and "VERSION:2.0" in lines and lines[-2] == "END:VCALENDAR"
    return events


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            nxt = next(chars)
            out.append("\n" if nxt in "nN" else nxt)
        else:
            out.append(char)
    return "".join(out)


async def published_pair() -> tuple[MeetingSession, Account, Account]:
    fair = await make_fair()
    session = await make_session(fair)
    buyer = await make_buyer("Công ty Hapro; chi nhánh Hà Nội, miền Bắc")
    exhibitor = await make_exhibitor(fair, name="HTX Chè Shan Tuyết Bản Liền")
    request = await ask(buyer, exhibitor, session, "Cần 500 kg, giao tháng 7;\nbáo giá giúp\\ạ")
    await answer(exhibitor, request, "accept")
    await meeting_schedule.run_schedule(session, now=AFTER_DEADLINE, time_limit=5, public_url=PUBLIC_URL)
    return session, buyer, exhibitor


async def test_agenda_and_calendar_show_the_meeting(db: str) -> None:
    session, buyer, exhibitor = await published_pair()
    meeting = await Meeting.get(session=session)
    [item] = await meeting_agenda.my_agenda(exhibitor, now=AFTER_DEADLINE)
    assert item.other.name == "Công ty Hapro; chi nhánh Hà Nội, miền Bắc"
    assert item.starts_at == START + timedelta(minutes=20 * meeting.slot)
    text = meeting_agenda.agenda_calendar([item], now=AFTER_DEADLINE,
                                          public_url="https://ocop.example.vn")
    [event] = parse_ics(text)
    assert event["UID"] == f"ocop-meeting-{meeting.id}@ocop.example.vn"
    assert event["DTSTART"] == (START + timedelta(minutes=20 * meeting.slot)).strftime("%Y%m%dT%H%M%SZ")
    assert event["DTEND"] == (START + timedelta(minutes=20 * meeting.slot + 20)).strftime("%Y%m%dT%H%M%SZ")
    assert event["DTSTAMP"] == "20260610T110000Z"
    assert event["SUMMARY"] == "B2B meeting: Công ty Hapro\\; chi nhánh Hà Nội\\, miền Bắc"
    assert unescape(event["LOCATION"]) == (
        f"Cung Văn hoá Hữu nghị, 91 Trần Hưng Đạo, table {meeting.table_number}")
    assert unescape(event["DESCRIPTION"]).endswith("Cần 500 kg, giao tháng 7;\nbáo giá giúp\\ạ")
    [theirs] = await meeting_agenda.my_agenda(buyer, now=AFTER_DEADLINE)
    assert theirs.other.name == "HTX Chè Shan Tuyết Bản Liền" and theirs.asked_by_me


async def test_outcomes_are_recorded_per_side_after_the_meeting_starts(db: str) -> None:
    session, buyer, exhibitor = await published_pair()
    meeting = await Meeting.get(session=session)
    started = START + timedelta(minutes=20 * meeting.slot)
    with pytest.raises(ValidationFailed, match="once the meeting has started"):
        await meeting_agenda.record_outcome(buyer, meeting.id, "deal", now=started - timedelta(minutes=1))
    with pytest.raises(ValidationFailed, match="outcome"):
        await meeting_agenda.record_outcome(buyer, meeting.id, "great", now=started)
    with pytest.raises(NotFound):
        await meeting_agenda.record_outcome(await make_buyer(), meeting.id, "deal", now=started)
    await meeting_agenda.record_outcome(buyer, meeting.id, "deal", now=started)
    await meeting_agenda.record_outcome(exhibitor, meeting.id, "cooperation_possible", now=started)
    await meeting.refresh_from_db()
    assert (meeting.outcome_requester, meeting.outcome_recipient) == ("deal", "cooperation_possible")
    summary = await meeting_agenda.outcome_summary(session)
    assert (summary.meetings, summary.answered, summary.deals, summary.both_agree) == (1, 1, 1, 0)
    assert summary.counts == {"not_held": 0, "no_interest": 0, "cooperation_possible": 1, "deal": 1}


def test_ical_text_is_escaped_and_folded_on_character_boundaries() -> None:
    assert ical.escape_text("a\\b;c,d\r\ne") == "a\\\\b\\;c\\,d\\ne"
    line = "SUMMARY:" + "Trà Shan tuyết " * 12
    folded = ical.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


async def test_sessions_for_lists_what_each_role_may_join(db: str) -> None:
    fair = await make_fair()
    draft = await make_fair(organiser=organiser_of(fair), status=FairStatus.DRAFT)
    session = await make_session(fair)
    hidden = await make_session(draft)
    exhibitor, buyer = await make_exhibitor(fair), await make_buyer()
    assert [s.id for s in await meetings.sessions_for(buyer, now=NOW)] == [session.id]
    assert [s.id for s in await meetings.sessions_for(exhibitor, now=NOW)] == [session.id]
    assert {s.id for s in await meetings.sessions_for(organiser_of(fair), now=NOW)} == {session.id, hidden.id}
    assert await meetings.sessions_for(await make_exhibitor(await make_fair()), now=NOW) == []
