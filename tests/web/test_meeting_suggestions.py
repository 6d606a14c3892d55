"""The buyer's directory suggests exhibitors for its demands, and one tap asks to meet."""

from __future__ import annotations

import httpx

from matchmaking.models import Buyer, Match, MeetingRequest, Producer
from tests.factories import make_demand, make_product
from tests.matchmaking.meetings.test_sessions import make_buyer, make_exhibitor, register
from tests.web.helpers import post_form
from tests.web.test_meetings import as_user, fair_soon, open_session


async def test_one_tap_request_from_the_directory(client: httpx.AsyncClient) -> None:
    fair = await fair_soon()
    session = await open_session(fair)
    buyer, tea = await make_buyer(), await make_exhibitor(fair, name="HTX Chè")
    demand = await make_demand(await Buyer.get(owner=buyer), title="Cần 100 kg chè")
    producer = await Producer.get(owner=tea)
    await Match.create(demand=demand, product=await make_product(producer), producer=producer,
                       score=0.8, rank=1, reasons=["4 sao"])
    await register(buyer, session)
    await as_user(client, buyer)
    page = await client.get(f"/meetings/sessions/{session.id}")
    assert 'id="suggested"' in page.text and "Cần 100 kg chè" in page.text
    asked = await post_form(client, f"/meetings/sessions/{session.id}/ask/{tea.id}",
                            {"message": "About my demand: Cần 100 kg chè"})
    assert asked.status_code == 303
    request = await MeetingRequest.get(requester=buyer, recipient=tea)
    assert request.message == "About my demand: Cần 100 kg chè"
    assert 'id="suggested"' not in (await client.get(f"/meetings/sessions/{session.id}")).text
