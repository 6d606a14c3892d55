"""The list pages send as many SQL statements for 12 rows as for 2: none queries once per row."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from matchmaking.enums import ApplicationStatus
from matchmaking.fairs.allocation import publish_allocation, run_allocation
from matchmaking.meetings import schedule as meeting_schedule
from matchmaking.models import Account, MeetingRequest, MeetingSession, Notification
from search.client import SearchClient
from search.indexer import reindex
from tests.factories import (
    PUBLIC_URL,
    buyer_of,
    make_account,
    make_buyer,
    make_demand,
    make_producer,
    make_product,
)
from tests.matchmaking.fairs.test_fairs import lay_out, make_applicant
from tests.matchmaking.fairs.test_fairs import make_fair as make_open_fair
from tests.matchmaking.meetings.test_sessions import make_buyer as make_buyer_account
from tests.matchmaking.meetings.test_sessions import make_exhibitor, register
from tests.matchmaking.meetings.test_sessions import make_fair as make_published_fair
from tests.web.helpers import log_in

Counter = Callable[[], AbstractContextManager[list[str]]]
# A scene puts n rows on one page and says who reads it (None: anyone) and where.
Scene = Callable[[int, SearchClient], Awaitable[tuple[Account | None, str]]]


async def search_results(n: int, search: SearchClient) -> tuple[Account | None, str]:
    producer = await make_producer()
    for _ in range(n):
        await make_product(producer, name=f"Trà Shan tuyết N{n}")
    await reindex(search, today=date.today())
    return None, f"/search?q=N{n}"


async def my_products(n: int, search: SearchClient) -> tuple[Account | None, str]:
    account = await make_account("producer")
    producer = await make_producer(owner=account)
    for _ in range(n):
        await make_product(producer)
    return account, "/producer/products"


async def buyer_demands(n: int, search: SearchClient) -> tuple[Account | None, str]:
    buyer = await make_buyer()
    for _ in range(n):
        await make_demand(buyer)
    return await buyer_of(await make_demand(buyer)), "/buyer/demands"


async def open_demands(n: int, search: SearchClient) -> tuple[Account | None, str]:
    for _ in range(n):
        await make_demand(await make_buyer())
    account = await make_account("producer")
    await make_producer(owner=account)
    return account, "/demands"


async def inbox(n: int, search: SearchClient) -> tuple[Account | None, str]:
    account = await make_account("buyer")
    await Notification.bulk_create([
        Notification(account=account, kind="demand.quote", title=f"Báo giá {i}", link=f"/q/{i}")
        for i in range(n)])
    return account, "/inbox"


async def fair_list(n: int, search: SearchClient) -> tuple[Account | None, str]:
    organiser = await make_account("organiser")
    for _ in range(n):
        await make_open_fair(organiser)
    return None, "/fairs"


async def fair_directory(n: int, search: SearchClient) -> tuple[Account | None, str]:
    fair = await make_open_fair()
    await lay_out(fair, rows=2, columns=8)
    for _ in range(n):
        await make_applicant(fair)
    organiser = await Account.get(id=fair.organiser_id)
    await run_allocation(organiser, fair, time_limit=2, now=fair.applications_close + timedelta(hours=1))
    await publish_allocation(organiser, fair.id, public_url=PUBLIC_URL)
    return None, f"/fairs/{fair.id}/directory"


async def allocation_review(n: int, search: SearchClient) -> tuple[Account | None, str]:
    fair = await make_open_fair()
    await lay_out(fair, rows=2, columns=8)
    for _ in range(n):
        await make_applicant(fair)
    organiser = await Account.get(id=fair.organiser_id)
    await run_allocation(organiser, fair, time_limit=2, now=fair.applications_close + timedelta(hours=1))
    return organiser, f"/organiser/fairs/{fair.id}/allocation"


async def agenda(n: int, search: SearchClient) -> tuple[Account | None, str]:
    fair = await make_published_fair(starts_on=date.today() + timedelta(days=9),
                                     ends_on=date.today() + timedelta(days=12))
    now = datetime.now(UTC)
    session = await MeetingSession.create(fair=fair, name="Phiên B2B", starts_at=now + timedelta(days=10),
                                          slots=n, tables=2, request_deadline=now - timedelta(hours=1))
    buyer = await make_buyer_account()
    await register(buyer, session)  # only registered buyers are scheduled
    for _ in range(n):
        exhibitor = await make_exhibitor(fair, ApplicationStatus.ACCEPTED)
        await MeetingRequest.create(session=session, requester=buyer, recipient=exhibitor,
                                    message="Gặp nhé", status="accepted")
    outcome = await meeting_schedule.run_schedule(session, now=now, time_limit=5, public_url=PUBLIC_URL)
    assert outcome.published and outcome.scheduled == n
    return buyer, "/meetings/agenda"


async def statements(client: httpx.AsyncClient, count_queries: Counter, search: SearchClient,
                     scene: Scene, rows: int) -> int:
    account, url = await scene(rows, search)
    client.cookies.clear()
    if account is not None:
        await log_in(client, account.email)
    assert (await client.get(url)).status_code == 200  # warm: sessions, caches
    with count_queries() as sent:
        page = await client.get(url)
    assert page.status_code == 200, url
    return len(sent)


@pytest.mark.parametrize("scene", [search_results, my_products, buyer_demands, open_demands, inbox,
                                   fair_list, fair_directory, allocation_review, agenda],
                         ids=lambda scene: scene.__name__)
async def test_list_page_statements_do_not_grow_with_its_rows(
    client: httpx.AsyncClient, count_queries: Counter, search: SearchClient, scene: Scene
) -> None:
    few = await statements(client, count_queries, search, scene, 2)
    many = await statements(client, count_queries, search, scene, 12)
    assert many == few
