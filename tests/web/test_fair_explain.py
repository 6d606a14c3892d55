"""The organiser is warned before a run, waitlisted producers read why, a refused move points
to the row where the organiser acted."""

from __future__ import annotations

import httpx

from matchmaking.fairs.allocation import publish_allocation, run_allocation
from matchmaking.models import Account, Fair, Notification
from tests.factories import PUBLIC_URL
from tests.matchmaking.fairs.test_allocation import owner_of
from tests.matchmaking.fairs.test_explain import mismatched_fair
from tests.web.helpers import log_in, post_form
from tests.web.test_fairs import AFTER_CLOSE, bearer


async def test_dashboard_and_manage_page_warn_before_the_run(client: httpx.AsyncClient) -> None:
    fair, _apps = await mismatched_fair()
    organiser = await Account.get(id=fair.organiser_id)  # type: ignore[attr-defined]
    await Account.filter(id=organiser.id).update(language="en")
    await log_in(client, organiser.email)
    for path in (f"/organiser/fairs/{fair.id}", f"/organiser/fairs/{fair.id}/dashboard"):
        page = await client.get(path)
        assert 'id="allocation-warnings"' in page.text, path
        assert "has no zone and the halls have no mixed booth" in page.text
        assert "has 3 booths for 4 booths applied for" in page.text
        assert "asks for 4 booths side by side" in page.text


async def test_waitlisted_producers_read_their_reason(client: httpx.AsyncClient) -> None:
    fair, apps = await mismatched_fair()
    organiser = await Account.get(id=fair.organiser_id)  # type: ignore[attr-defined]
    await run_allocation(organiser, fair, time_limit=2, now=AFTER_CLOSE)
    api = (await client.get(f"/api/fairs/{fair.id}/allocation",
                            headers=await bearer(client, organiser))).json()
    assert {w["application_id"]: w["reason"] for w in api["waitlist"]} == {
        apps["tea3"].id: "outranked", apps["craft"].id: "no_zone", apps["food"].id: "too_big"}
    assert all(w["reason_text"] for w in api["waitlist"])
    await publish_allocation(organiser, fair.id, public_url=PUBLIC_URL)
    client.cookies.clear()
    await log_in(client, (await owner_of(apps["tea3"])).email)
    page = await client.get(f"/fairs/{fair.id}")
    assert 'id="waitlist-reason"' in page.text and "300" in page.text and "400" in page.text


async def test_refused_move_points_at_the_row(client: httpx.AsyncClient) -> None:
    fair, apps = await mismatched_fair()
    organiser = await Account.get(id=fair.organiser_id)  # type: ignore[attr-defined]
    await run_allocation(organiser, fair, time_limit=2, now=AFTER_CLOSE)
    await log_in(client, organiser.email)
    review = await client.get(f"/organiser/fairs/{fair.id}/allocation")
    craft = apps["craft"].id
    assert f'applications/{craft}/move#row-{craft}"' in review.text
    refused = await post_form(client, f"/organiser/fairs/{fair.id}/applications/{craft}/move",
                              {"booths": "A-01"})
    assert refused.status_code == 422
    assert f'href="#row-{craft}"' in refused.text and f'id="row-{craft}" class="has-error"' in refused.text
    assert 'value="A-01" autofocus' in refused.text


async def test_preview_page_is_marked_and_closing_early_leads_to_the_draft(
        client: httpx.AsyncClient) -> None:
    fair, _apps = await mismatched_fair()
    organiser = await Account.get(id=fair.organiser_id)  # type: ignore[attr-defined]
    await log_in(client, organiser.email)
    page = await client.get(f"/organiser/fairs/{fair.id}")
    assert "/close" in page.text and "/allocation/preview" in page.text
    preview = await post_form(client, f"/organiser/fairs/{fair.id}/allocation/preview")
    assert preview.status_code == 200 and 'id="preview-badge"' in preview.text
    assert await Notification.all().count() == 0
    closed = await post_form(client, f"/organiser/fairs/{fair.id}/close")
    assert closed.status_code == 303 and closed.headers["location"].endswith("/allocation?closed=1")
    review = await client.get(closed.headers["location"])
    assert review.status_code == 200
    assert await Notification.filter(kind="fair.closed").count() == 6
    assert (await Fair.get(id=fair.id)).status == "allocated"
