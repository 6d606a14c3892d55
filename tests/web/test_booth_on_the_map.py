"""Booths chosen on the floor plan: a producer taps its preferred booths into the application
form, an organiser taps an exhibitor and its new booths; the booth panel shows the exhibitor."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from matchmaking.enums import FairStatus, RunStatus
from matchmaking.fairs.allocation import run_allocation
from matchmaking.fairs.queries import assigned_codes, latest_run
from matchmaking.models import Account, BoothApplication, Fair
from tests.factories import make_account, make_producer, make_product
from tests.matchmaking.fairs.test_fairs import NOW, lay_out, make_applicant, make_fair
from tests.web.helpers import log_in, post_form

AFTER_CLOSE = NOW + timedelta(days=6)
PREFS = re.compile(r'name="pref_\d" value="([^"]+)"')


async def _producer_at(client: httpx.AsyncClient, fair: Fair, group: str = "beverages") -> int:
    account = await make_account("producer")
    producer = await make_producer(owner=account)
    product = await make_product(producer, stars=4, group=group,
                                 subgroup="tea" if group == "beverages" else "condiments")
    await log_in(client, account.email)
    return product.id


async def test_producer_taps_booths_into_the_form_and_keeps_what_was_typed(
        client: httpx.AsyncClient) -> None:
    fair = await make_fair()
    await lay_out(fair)
    product_id = await _producer_at(client, fair)
    url = f"/fairs/{fair.id}/apply"
    typed = {"products": [str(product_id)], "booths_wanted": "2"}
    form = await client.get(url)
    assert 'name="add" value="A-02"' in form.text  # a free booth is a button of the form

    added = await post_form(client, url, {**typed, "add": "A-02"})
    assert added.status_code == 200
    assert PREFS.findall(added.text) == ["A-02"]
    assert f'value="{product_id}" checked' in added.text and 'value="2" selected' in added.text
    assert 'mark-chosen' in added.text and 'name="remove" value="A-02"' in added.text
    assert await BoothApplication.filter(fair=fair).count() == 0  # nothing saved yet

    two = await post_form(client, url, {**typed, "pref_1": "A-02", "add": "B-01"})
    assert PREFS.findall(two.text) == ["A-02", "B-01"]
    up = await post_form(client, url, {**typed, "pref_1": "A-02", "pref_2": "B-01", "up": "B-01"})
    assert PREFS.findall(up.text) == ["B-01", "A-02"]
    by_code = await post_form(client, url, {**typed, "pref_1": "B-01", "pref_2": "A-02",
                                            "add": "", "add_code": "B-03"})
    assert PREFS.findall(by_code.text) == ["B-01", "A-02", "B-03"]
    removed = await post_form(client, url, {**typed, "pref_1": "B-01", "pref_2": "A-02",
                                            "pref_3": "B-03", "remove": "A-02"})
    assert PREFS.findall(removed.text) == ["B-01", "B-03"]

    sent = await post_form(client, url, {**typed, "pref_1": "B-01", "pref_2": "B-03"})
    assert sent.status_code == 303
    application = await BoothApplication.get(fair=fair)
    assert application.preferences == ["B-01", "B-03"] and application.booths_wanted == 2
    again = await client.get(url)
    assert PREFS.findall(again.text) == ["B-01", "B-03"]


async def test_a_bad_tap_is_refused_with_a_clear_message(client: httpx.AsyncClient) -> None:
    fair = await make_fair()
    await lay_out(fair)
    product_id = await _producer_at(client, fair)
    url = f"/fairs/{fair.id}/apply"
    unknown = await post_form(client, url, {"products": [str(product_id)], "add": "Z-99"})
    assert unknown.status_code == 422
    assert "Z-99" in unknown.text and f'value="{product_id}" checked' in unknown.text
    codes = ["A-01", "A-02", "A-03", "A-04", "B-01", "B-02"]
    six = {f"pref_{n}": code for n, code in enumerate(codes, start=1)}
    seventh = await post_form(client, url, {"products": [str(product_id)], **six, "add": "B-03"})
    assert seventh.status_code == 422
    assert PREFS.findall(seventh.text) == codes
    assert await BoothApplication.filter(fair=fair).count() == 0


async def test_plan_greys_out_zones_the_ticked_products_may_not_use(
        client: httpx.AsyncClient) -> None:
    fair = await make_fair()
    await lay_out(fair, rows=1, columns=4, zones=["food", "beverages"])
    product_id = await _producer_at(client, fair, group="beverages")
    page = await post_form(client, f"/fairs/{fair.id}/apply",
                           {"products": [str(product_id)], "add": "A-04"})
    assert page.status_code == 200
    closed = re.findall(r'class="booth zone-food state-free kind-\w+ mark-closed"', page.text)
    assert len(closed) == 2
    assert 'name="add" value="A-01"' not in page.text and 'name="add" value="A-03"' in page.text
    first = await client.get(f"/fairs/{fair.id}/apply")  # nothing ticked: any product's zones
    assert 'name="add" value="A-01"' not in first.text and 'name="add" value="A-03"' in first.text
    refused = await post_form(client, f"/fairs/{fair.id}/apply",
                              {"products": [str(product_id)], "add": "A-01"})
    assert refused.status_code == 422 and "A-01" in refused.text
    assert PREFS.findall(refused.text) == []


async def _allocated(client: httpx.AsyncClient) -> tuple[Fair, BoothApplication, BoothApplication]:
    organiser = await make_account("organiser")
    await log_in(client, organiser.email)
    fair = await make_fair(organiser)
    await lay_out(fair, rows=1, columns=4)
    one = await make_applicant(fair, preferences=["A-01"])
    two = await make_applicant(fair, preferences=["A-02"])
    await run_allocation(organiser, fair, time_limit=2, now=AFTER_CLOSE)
    return fair, one, two


async def test_organiser_taps_an_exhibitor_then_its_new_booth(client: httpx.AsyncClient) -> None:
    fair, one, _ = await _allocated(client)
    base = f"/organiser/fairs/{fair.id}/allocation/plan"
    codes = await assigned_codes(fair)
    start = await client.get(base)
    assert start.status_code == 200
    held = codes[one.id][0]
    assert f'href="{base}?exhibitor={one.id}#cell-{held}"' in start.text  # tap its booth

    picked = await client.get(f"{base}?exhibitor={one.id}")
    assert picked.status_code == 200 and (await one.producer).name in picked.text
    assert f'href="{base}?exhibitor={one.id}&amp;pick=A-04#move"' in picked.text  # to confirm
    ready = await client.get(f"{base}?exhibitor={one.id}&pick=A-04")
    assert ready.status_code == 200
    assert 'name="booths" value="A-04"' in ready.text and "mark-picked" in ready.text

    moved = await post_form(client, base, {"exhibitor": str(one.id), "booths": "A-04"})
    assert moved.status_code == 303 and moved.headers["location"].endswith(f"?moved={one.id}")
    assert (await assigned_codes(fair))[one.id] == ["A-04"]
    run = await latest_run(fair)
    assert run is not None and run.status == RunStatus.DRAFT  # still reviewable
    assert (await Fair.get(id=fair.id)).status == FairStatus.ALLOCATED
    after = await client.get(moved.headers["location"])
    assert re.search(r'role="status">[^<]*A-04', after.text)


async def test_organiser_bad_moves_are_refused_and_change_nothing(
        client: httpx.AsyncClient) -> None:
    fair, one, two = await _allocated(client)
    base = f"/organiser/fairs/{fair.id}/allocation/plan"
    before = await assigned_codes(fair)
    taken = before[two.id][0]
    assert (await client.get(f"{base}?exhibitor=abc")).status_code == 400
    assert (await client.get(f"{base}?exhibitor=999999")).status_code == 404
    unknown = await client.get(f"{base}?exhibitor={one.id}&pick=Z-99")
    assert unknown.status_code == 422 and "Z-99" in unknown.text
    busy = await client.get(f"{base}?exhibitor={one.id}&pick={taken}")
    assert busy.status_code == 422 and taken in busy.text
    refused = await post_form(client, base, {"exhibitor": str(one.id), "booths": taken})
    assert refused.status_code == 422 and taken in refused.text
    assert (await post_form(client, base, {"booths": "A-04"})).status_code == 400
    assert (await post_form(client, base, {"exhibitor": "999999", "booths": "A-04"})).status_code == 404
    assert await assigned_codes(fair) == before


async def test_another_organiser_or_a_producer_cannot_move(client: httpx.AsyncClient) -> None:
    fair, one, _ = await _allocated(client)
    base = f"/organiser/fairs/{fair.id}/allocation/plan"
    before = await assigned_codes(fair)
    await log_in(client, (await make_account("organiser")).email)
    assert (await client.get(f"{base}?exhibitor={one.id}")).status_code == 404
    refused = await post_form(client, base, {"exhibitor": str(one.id), "booths": "A-04"})
    assert refused.status_code == 404
    producer = await Account.get(id=(await one.producer).owner_id)
    await log_in(client, producer.email)
    assert (await client.get(base)).status_code == 403
    assert (await post_form(client, base, {"exhibitor": str(one.id), "booths": "A-04"})
            ).status_code == 403
    assert await assigned_codes(fair) == before


async def test_booth_panel_names_the_exhibitor_and_links_its_products(
        client: httpx.AsyncClient) -> None:
    fair, one, _ = await _allocated(client)
    code = (await assigned_codes(fair))[one.id][0]
    panel = await client.get(f"/fairs/{fair.id}/booths/{code}")
    producer = await one.producer
    product = (await one.products.all())[0]
    assert panel.status_code == 200
    assert f'/producers/{producer.id}">{producer.name}</a>' in panel.text
    assert f'/products/{product.id}">{product.name}</a>' in panel.text
    assert f"?exhibitor={one.id}" in panel.text  # the organiser may move it from here


async def test_an_exhibitor_wanting_two_booths_is_moved_by_two_taps(
        client: httpx.AsyncClient) -> None:
    organiser = await make_account("organiser")
    await log_in(client, organiser.email)
    fair = await make_fair(organiser)
    await lay_out(fair, rows=1, columns=6)
    pair = await make_applicant(fair, booths=2, preferences=["A-01"])
    await run_allocation(organiser, fair, time_limit=2, now=AFTER_CLOSE)
    base = f"/organiser/fairs/{fair.id}/allocation/plan"
    one = await client.get(f"{base}?exhibitor={pair.id}&pick=A-04")
    assert one.status_code == 200 and 'name="booths"' not in one.text  # one more to tap
    assert f'href="{base}?exhibitor={pair.id}&amp;pick=A-04%2CA-05#move"' in one.text
    two = await client.get(f"{base}?exhibitor={pair.id}&pick=A-04,A-05")
    assert 'name="booths" value="A-04, A-05"' in two.text
    # a third tap lets the oldest pick go; tapping a picked booth takes it back
    assert f'href="{base}?exhibitor={pair.id}&amp;pick=A-05%2CA-06#move"' in two.text
    assert f'href="{base}?exhibitor={pair.id}&amp;pick=A-05#cell-A-04"' in two.text
    moved = await post_form(client, base, {"exhibitor": str(pair.id), "booths": "A-04, A-05"})
    assert moved.status_code == 303
    assert (await assigned_codes(fair))[pair.id] == ["A-04", "A-05"]
