"""Allocation that explains itself: warnings before a run, a reason for every waitlisted producer."""

from __future__ import annotations

from config.i18n import speaking
from matchmaking.fairs.allocation import assigned_codes, publish_allocation
from matchmaking.fairs.diagnose import allocation_warnings, waitlist_reason
from matchmaking.fairs.explain import run_reasons
from matchmaking.models import BoothApplication, Fair, Notification
from tests.factories import PUBLIC_URL
from tests.matchmaking.fairs.test_allocation import allocate, organiser_of, owner_of
from tests.matchmaking.fairs.test_fairs import lay_out, make_applicant, make_fair


async def mismatched_fair() -> tuple[Fair, dict[str, BoothApplication]]:
    """Three groups admitted, a hall zoned for two: beverages A-01..03, food A-04..06."""
    fair = await make_fair(groups_admitted=["beverages", "food", "handicrafts"])
    await lay_out(fair, rows=1, columns=6, zones=["beverages", "food"])
    apps = {
        "tea5": await make_applicant(fair, stars=5),
        "tea4a": await make_applicant(fair, stars=4),
        "tea4b": await make_applicant(fair, stars=4),
        "tea3": await make_applicant(fair, stars=3),
        "craft": await make_applicant(fair, group="handicrafts", subgroup="ceramics"),
        "food": await make_applicant(fair, group="food", subgroup="condiments", booths=4),
    }
    return fair, apps


async def test_warnings_name_the_missing_zone_the_short_zone_and_the_application_too_big(
        db: str) -> None:
    fair, apps = await mismatched_fair()
    warnings = await allocation_warnings(fair)
    kinds = sorted((w.kind, w.group) for w in warnings)
    assert kinds == [("no_zone", "handicrafts"), ("short", "beverages"), ("short", "food"),
                     ("too_big", "food")]
    short = next(w for w in warnings if w.kind == "short" and w.group == "beverages")
    assert (short.booths, short.wanted, short.mixed) == (3, 4, 0)
    too_big = next(w for w in warnings if w.kind == "too_big")
    producer = await apps["food"].producer
    assert (too_big.producer, too_big.wanted) == (producer.name, 4)


async def test_a_hall_that_covers_every_group_gives_no_warning(db: str) -> None:
    fair = await make_fair(groups_admitted=["beverages"])
    await lay_out(fair, rows=1, columns=4, zones=["beverages"])
    await make_applicant(fair)
    assert await allocation_warnings(fair) == []


async def test_every_waitlisted_application_gets_its_reason_in_plain_words(db: str) -> None:
    fair, apps = await mismatched_fair()
    run = await allocate(fair)
    codes = await assigned_codes(fair)
    assert sorted(codes) == sorted(apps[k].id for k in ("tea5", "tea4a", "tea4b"))
    reasons = run_reasons(run)
    assert {k: reasons[apps[k].id].code for k in ("tea3", "craft", "food")} == {
        "tea3": "outranked", "craft": "no_zone", "food": "too_big"}
    outranked = reasons[apps["tea3"].id]
    assert (outranked.weight, outranked.last_accepted) == (300.0, 400.0)
    with speaking("en"):
        assert outranked.words == ("Applications with a higher priority took the booths in your "
                                   "zones: your priority is 300, the last accepted in your zones "
                                   "had 400.")
        assert "4 connected booths" in reasons[apps["food"].id].words
    with speaking("vi"):
        assert "300" in outranked.words and "400" in outranked.words
        assert outranked.words != reasons[apps["craft"].id].words

    waiting = await BoothApplication.get(id=apps["craft"].id)
    reason = await waitlist_reason(waiting)
    assert reason is not None and reason.code == "no_zone"
    assert await waitlist_reason(await BoothApplication.get(id=apps["tea5"].id)) is None


async def test_publishing_tells_each_waitlisted_producer_why(db: str) -> None:
    fair, apps = await mismatched_fair()
    run = await allocate(fair)
    await publish_allocation(await organiser_of(fair), fair.id, public_url=PUBLIC_URL)
    reasons = run_reasons(run)
    for key in ("tea3", "craft", "food"):
        account = await owner_of(apps[key])
        note = await Notification.get(account=account, kind="booths.waitlisted")
        with speaking(str(account.language)):
            assert reasons[apps[key].id].words in note.body


async def test_province_cap_reason_quotes_the_cap(db: str) -> None:
    fair = await make_fair(province_cap=0.25)
    await lay_out(fair, rows=1, columns=4, zones=["beverages"])
    first = await make_applicant(fair, stars=5, province=1)
    second = await make_applicant(fair, stars=4, province=1, subgroup="coffee")
    run = await allocate(fair)
    assert list(await assigned_codes(fair)) == [first.id]
    reason = run_reasons(run)[second.id]
    assert (reason.code, reason.cap) == ("province_cap", 1)
    with speaking("en"):
        assert "1 booths" in reason.words
