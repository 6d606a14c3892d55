"""Suggested meetings: exhibitors whose products match a registered buyer's open demands."""

from __future__ import annotations

import pytest

from matchmaking.errors import Forbidden
from matchmaking.meetings.suggestions import suggested_meetings
from matchmaking.models import Buyer, Match, MeetingRequest, Producer
from tests.factories import make_demand, make_product
from tests.matchmaking.meetings.test_sessions import (
    english,  # noqa: F401 - the autouse fixture: messages in English
    make_buyer,
    make_exhibitor,
    make_fair,
    make_session,
    register,
)


async def test_registered_buyer_gets_matching_exhibitors_with_reasons(db: str) -> None:
    fair = await make_fair()
    session = await make_session(fair)
    buyer = await make_buyer()
    tea, honey = await make_exhibitor(fair, name="HTX Chè"), await make_exhibitor(fair, name="HTX Mật")
    elsewhere = await make_exhibitor(await make_fair(), name="HTX Nơi khác")
    demand = await make_demand(await Buyer.get(owner=buyer), title="Cần 100 kg chè")
    closed = await make_demand(await Buyer.get(owner=buyer), title="Đã đóng", status="closed")
    for account, score, target in ((tea, 0.9, demand), (honey, 0.5, demand),
                                   (elsewhere, 0.95, demand), (honey, 0.99, closed)):
        producer = await Producer.get(owner=account)
        product = await make_product(producer)
        await Match.create(demand=target, product=product, producer=producer, score=score, rank=1,
                           reasons=["4 sao, cách 0 km"])
    with pytest.raises(Forbidden):  # not registered yet
        await suggested_meetings(buyer, session.id, language="en")
    await register(buyer, session)
    found = await suggested_meetings(buyer, session.id, language="en")
    assert [(s.exhibitor, s.demand) for s in found] == [("HTX Chè", "Cần 100 kg chè"),
                                                        ("HTX Mật", "Cần 100 kg chè")]
    assert found[0].reasons == ["4 sao, cách 0 km"]
    await MeetingRequest.create(session=session, requester=buyer, recipient=tea)
    assert [s.exhibitor for s in await suggested_meetings(buyer, session.id, language="en")] == [
        "HTX Mật"]
    assert await suggested_meetings(tea, session.id, language="en") == []  # exhibitors: none

