"""A fair's results: check-in and no-shows, outcomes linked to demands, the report's sums, the
XLSX report and the programme's sums across fairs."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest

from matchmaking.errors import Forbidden, ValidationFailed
from matchmaking.fairs.results import fair_results, programme_results, report_sales, set_visitors
from matchmaking.fairs.results_xlsx import results_workbook
from matchmaking.meetings import checkin
from matchmaking.meetings import schedule as meeting_schedule
from matchmaking.meetings.results import record_result
from matchmaking.models import (
    Account,
    BoothApplication,
    Buyer,
    Demand,
    Fair,
    Meeting,
    MeetingRequest,
    Producer,
)
from tests.factories import PUBLIC_URL, make_demand, make_product
from tests.matchmaking.meetings.test_sessions import (
    AFTER_DEADLINE,
    START,
    english,  # noqa: F401 - the autouse fixture: messages in English
    make_buyer,
    make_exhibitor,
    make_fair,
    make_session,
    register,
)

DURING = START + timedelta(hours=2)  # every slot of the session has started


async def organiser(fair: Fair) -> Account:
    return await Account.get(id=fair.organiser_id)  # type: ignore[attr-defined]


async def exhibitor_with(fair: Fair, name: str, group: str, subgroup: str, province: int) -> Account:
    account = await make_exhibitor(fair, name=name)
    producer = await Producer.get(owner=account)
    await Producer.filter(id=producer.id).update(province_code=province)
    product = await make_product(producer, group=group, subgroup=subgroup)
    application = await BoothApplication.get(producer=producer)
    await application.products.add(product)
    return account


async def meeting_of(buyer: Account, exhibitor: Account) -> Meeting:
    request = await MeetingRequest.get(requester=buyer, recipient=exhibitor)
    return await Meeting.get(request=request)


async def busy_fair() -> tuple[Fair, dict[str, Account]]:
    """One session, two buyers, three exhibitors (tea and honey from Hà Nội, crafts from Lạng
    Sơn); every buyer asked every exhibitor, the schedule is published."""
    fair = await make_fair()
    session = await make_session(fair, slots=3, tables=3)
    people = {
        "hapro": await make_buyer("Hapro"), "coop": await make_buyer("Co.op"),
        "tea": await exhibitor_with(fair, "HTX Chè", "beverages", "tea", 1),
        "honey": await exhibitor_with(fair, "HTX Mật ong", "food", "processed_food", 1),
        "craft": await exhibitor_with(fair, "HTX Mây tre", "handicrafts", "bamboo_rattan", 20),
    }
    for buyer in ("hapro", "coop"):
        await register(people[buyer], session)
        for exhibitor in ("tea", "honey", "craft"):
            await MeetingRequest.create(session=session, requester=people[buyer],
                                        recipient=people[exhibitor], status="accepted")
    outcome = await meeting_schedule.run_schedule(session, now=AFTER_DEADLINE, time_limit=5,
                                                  public_url=PUBLIC_URL)
    assert outcome.published and outcome.scheduled == 6
    return fair, people


async def test_passes_check_in_and_no_shows(db: str) -> None:
    fair, people = await busy_fair()
    session_id = (await Meeting.first()).session_id  # type: ignore[union-attr]
    buyer_pass = await checkin.my_pass(people["hapro"], session_id)
    tea_pass = await checkin.my_pass(people["tea"], session_id)  # made on first asking
    assert tea_pass.side == "exhibitor"
    assert (await checkin.my_pass(people["tea"], session_id)).id == tea_pass.id
    assert checkin.pass_image(buyer_pass, "png").startswith(b"\x89PNG")
    assert checkin.pass_image(buyer_pass, "pdf").startswith(b"%PDF")
    boss = await organiser(fair)
    first = await checkin.check_in(boss, session_id, f" ocop-pass:{buyer_pass.pass_code.lower()} ",
                                   now=START)
    assert not first.already and first.participant.checked_in_at == START
    assert (await checkin.check_in(boss, session_id, buyer_pass.pass_code, now=START)).already
    await checkin.check_in(boss, session_id, tea_pass.pass_code, now=START)
    with pytest.raises(ValidationFailed, match="code"):
        await checkin.check_in(boss, session_id, "NOPE1234", now=START)
    session = (await Meeting.get(id=(await meeting_of(people["hapro"], people["tea"])).id)
               .select_related("session")).session
    shows = await checkin.no_shows(session, now=DURING)  # type: ignore[arg-type]
    present_pair = (await meeting_of(people["hapro"], people["tea"])).id
    assert present_pair not in shows and len(shows) == 5
    # a party reporting a result says the meeting took place
    honey = await meeting_of(people["coop"], people["honey"])
    await record_result(people["honey"], honey.id, {"kind": "follow_up"}, now=DURING)
    assert len(await checkin.no_shows(session, now=DURING)) == 4  # type: ignore[arg-type]
    assert await checkin.no_shows(session, now=START - timedelta(minutes=1)) == set()  # type: ignore[arg-type]


async def test_report_sums_outcomes_by_group_and_province(db: str) -> None:
    fair, people = await busy_fair()
    demand = await make_demand(await Buyer.get(owner=people["hapro"]), quantity=500, unit="kg")
    tea = await meeting_of(people["hapro"], people["tea"])
    await record_result(people["hapro"], tea.id, {
        "kind": "contract", "value_vnd": "150.000.000", "product": "Chè Shan tuyết",
        "quantity": "500", "demand_id": str(demand.id)}, now=DURING)
    await record_result(people["tea"], tea.id, {"kind": "mou", "value_vnd": "90.000.000"},
                        now=DURING)  # the other side reports less: the contract counts
    craft = await meeting_of(people["coop"], people["craft"])
    await record_result(people["craft"], craft.id, {"kind": "mou", "value_vnd": "40.000.000"},
                        now=DURING)
    honey = await meeting_of(people["hapro"], people["honey"])
    await record_result(people["honey"], honey.id, {"kind": "no_interest"}, now=DURING)
    with pytest.raises(ValidationFailed) as caught:
        await record_result(people["coop"], craft.id, {"kind": "contract"}, now=DURING)
    assert set(caught.value.errors) == {"value_vnd"}
    with pytest.raises(ValidationFailed, match="started"):
        await record_result(people["coop"], craft.id, {"kind": "mou"}, now=START - timedelta(hours=1))
    await report_sales(people["honey"], fair.id, "25.000.000", now=DURING)
    with pytest.raises(Forbidden):
        await report_sales(people["hapro"], fair.id, "1", now=DURING)
    with pytest.raises(ValidationFailed, match="opened"):
        await report_sales(people["tea"], fair.id, "1", now=START - timedelta(days=2))
    await set_visitors(await organiser(fair), fair.id, "1.200")

    results = await fair_results(await Fair.get(id=fair.id), now=DURING)
    assert (results.scheduled, results.held, results.no_shows, results.upcoming) == (6, 3, 3, 0)
    assert (results.total.mous, results.total.mou_value) == (1, 40_000_000)
    assert (results.total.contracts, results.total.contract_value) == (1, 150_000_000)
    assert results.by_group["beverages"].contract_value == 150_000_000
    assert results.by_group["handicrafts"].mou_value == 40_000_000
    assert results.by_province["Hà Nội"].contracts == 1
    assert results.by_province["Lạng Sơn"].mous == 1
    assert results.onsite_sales == 25_000_000 and results.visitors == 1200
    contract = next(d for d in results.deals if d.kind == "contract")
    assert (contract.exhibitor, contract.buyer, contract.demand) == (
        "HTX Chè", "Hapro", demand.title)
    # the contract covers the demand: fulfilled, and the demand knows where it came from
    assert (await Demand.get(id=demand.id)).status == "fulfilled"

    book = openpyxl.load_workbook(io.BytesIO(results_workbook(
        results, group_label=str.upper, kind_label=str)))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["Contract value (đồng)"] == 150_000_000 and summary["MOUs"] == 1
    assert summary["No-shows"] == 3 and summary["Visitors"] == 1200
    assert summary["On-site sales (đồng)"] == 25_000_000
    groups = list(book["By product group"].iter_rows(values_only=True))
    assert groups[1] == ("BEVERAGES", 0, 0, 1, 150_000_000)


async def test_demand_lists_the_fair_contract_that_answers_it(db: str) -> None:
    from matchmaking.demands.fair_deals import fair_deals

    fair, people = await busy_fair()
    demand = await make_demand(await Buyer.get(owner=people["hapro"]), quantity=800)
    tea = await meeting_of(people["hapro"], people["tea"])
    await record_result(people["tea"], tea.id, {"kind": "contract", "value_vnd": "60000000",
                                                 "quantity": "300", "demand_id": str(demand.id)},
                        now=DURING)
    [deal] = await fair_deals(demand)
    assert (deal.fair, deal.exhibitor, deal.kind, deal.quantity) == (fair.name, "HTX Chè",
                                                                    "contract", 300)
    assert (await Demand.get(id=demand.id)).status == "open"  # 300 of 800: still open
    other = await make_demand(await Buyer.get(owner=people["coop"]))
    with pytest.raises(ValidationFailed, match="demand_id"):  # not this buyer's demand
        await record_result(people["tea"], tea.id, {"kind": "mou", "demand_id": str(other.id)},
                            now=DURING)


async def test_programme_sums_fairs_by_year_and_province(db: str) -> None:
    fair, people = await busy_fair()
    tea = await meeting_of(people["hapro"], people["tea"])
    await record_result(people["tea"], tea.id, {"kind": "contract", "value_vnd": "10.000.000"},
                        now=DURING)
    other = await make_fair(organiser=await organiser(fair), name="Hội chợ 2", province_code=20)
    await set_visitors(await organiser(fair), other.id, "300")
    await set_visitors(await organiser(fair), fair.id, "700")
    rows = await programme_results(await organiser(fair), now=DURING)
    assert [(r.year, r.province, r.fairs) for r in rows] == [(2026, "Hà Nội", 1), (2026, "Lạng Sơn", 1)]
    assert rows[0].tally.contract_value == 10_000_000 and rows[0].visitors == 700
    assert rows[1].visitors == 300 and rows[1].held == 0
