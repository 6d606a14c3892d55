"""Fair pages and API: planning a fair, laying out booths, applying, the floor plan's visibility,
and the whole story from an empty hall to a published floor plan."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from matchmaking.enums import FairStatus
from matchmaking.fairs.allocation import publish_allocation, run_allocation
from matchmaking.fairs.pages import allocation_review
from matchmaking.models import Account, Booth, BoothApplication, Fair, Product
from tests.factories import PUBLIC_URL, make_account, make_producer, make_product
from tests.matchmaking.fairs.test_fairs import FAIR_FORM, NOW, lay_out, make_applicant, make_fair
from tests.web.helpers import log_in, post_form

AFTER_CLOSE = NOW + timedelta(days=6)


async def organiser_client(client: httpx.AsyncClient) -> Account:
    account = await make_account("organiser")
    await log_in(client, account.email)
    return account


async def bearer(client: httpx.AsyncClient, account: Account) -> dict[str, str]:
    from tests.factories import PASSWORD

    response = await client.post("/api/auth/token", json={"email": account.email,
                                                          "password": PASSWORD})
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def test_organiser_plans_a_fair_and_lays_out_a_hall(client: httpx.AsyncClient) -> None:
    await organiser_client(client)
    response = await post_form(client, "/organiser/fairs/new", FAIR_FORM)
    assert response.status_code == 303
    fair = await Fair.get(name=FAIR_FORM["name"])
    assert fair.groups_admitted == ["food", "beverages"] and fair.province_cap == 0.25
    response = await post_form(client, f"/organiser/fairs/{fair.id}/halls/generate", {
        "hall": "Nhà A", "rows": "2", "columns": "6", "booth_w": "3", "booth_h": "3",
        "aisle_every_columns": "3", "zones": ["food", "beverages"], "price_standard": "2.000.000"})
    assert response.status_code == 303
    assert await Booth.filter(fair=fair).count() == 12
    assert (await post_form(client, f"/organiser/fairs/{fair.id}/open")).status_code == 303
    assert (await Fair.get(id=fair.id)).status == FairStatus.OPEN
    page = await client.get(f"/organiser/fairs/{fair.id}")
    assert "Nhà A: 12" in page.text


async def test_fair_form_errors_keep_what_was_typed(client: httpx.AsyncClient) -> None:
    await organiser_client(client)
    response = await post_form(client, "/organiser/fairs/new", {**FAIR_FORM, "ends_on": "2026-01-01"})
    assert response.status_code == 422
    assert f'value="{FAIR_FORM["venue"]}"' in response.text
    assert 'value="food" checked' in response.text
    assert await Fair.all().count() == 0


async def test_csv_import_bad_row_is_reported_and_nothing_saved(client: httpx.AsyncClient) -> None:
    organiser = await organiser_client(client)
    fair = await make_fair(organiser)
    csv = "code,zone,kind,price,x,y,w,h\nA1,food,corner,0,0,0,3,3\nA2,moon,standard,0,3,0,3,3\n"
    response = await client.post(
        f"/organiser/fairs/{fair.id}/halls/import",
        data={"csrf_token": client.cookies["ocop_csrf"], "hall": "B"},
        files={"file": ("booths.csv", csv.encode(), "text/csv")})
    assert response.status_code == 422
    assert "row 3" in response.text and "moon" in response.text
    assert await Booth.filter(fair=fair).count() == 0


async def test_producer_applies_with_eligible_products(client: httpx.AsyncClient) -> None:
    fair = await make_fair(min_stars=4)
    await lay_out(fair, zones=["beverages"])
    account = await make_account("producer")
    producer = await make_producer(owner=account)
    good = await make_product(producer, stars=5)
    weak = await make_product(producer, stars=3, name="Chè xanh ba sao")
    await log_in(client, account.email)
    form = await client.get(f"/fairs/{fair.id}/apply")
    assert form.status_code == 200 and "<svg" in form.text
    response = await post_form(client, f"/fairs/{fair.id}/apply", {
        "products": [str(good.id), str(weak.id)], "booths_wanted": "2", "pref_1": "A-02"})
    assert response.status_code == 422
    assert "Chè xanh ba sao" in response.text and f'value="{weak.id}" checked' in response.text
    assert 'name="pref_1" value="A-02"' in response.text  # the chosen booth is kept
    response = await post_form(client, f"/fairs/{fair.id}/apply", {
        "products": [str(good.id)], "booths_wanted": "2", "pref_1": "A-02", "pref_2": "A-03"})
    assert response.status_code == 303
    application = await BoothApplication.get(fair=fair, producer=producer)
    assert application.preferences == ["A-02", "A-03"] and application.booths_wanted == 2
    page = await client.get(f"/fairs/{fair.id}")
    assert "Withdraw" in page.text or "Rút" in page.text
    assert (await post_form(client, f"/fairs/{fair.id}/withdraw")).status_code == 303
    assert (await BoothApplication.get(id=application.id)).status == "withdrawn"


async def test_draft_allocation_is_hidden_from_the_public(client: httpx.AsyncClient) -> None:
    fair = await make_fair()
    await lay_out(fair)
    application = await make_applicant(fair, preferences=["A-01"])
    exhibitor = (await application.producer).name
    organiser = await Account.get(id=fair.organiser_id)
    await run_allocation(organiser, fair, time_limit=2, now=AFTER_CLOSE)

    for path in (f"/fairs/{fair.id}/plan", f"/fairs/{fair.id}/booths/A-01",
                 f"/fairs/{fair.id}/directory", f"/fairs/{fair.id}/directory.csv"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert exhibitor not in response.text, path
    assert (await client.get(f"/api/fairs/{fair.id}/allocation")).status_code == 404

    await log_in(client, organiser.email)
    plan = await client.get(f"/fairs/{fair.id}/plan")
    assert exhibitor in plan.text and "state-assigned" in plan.text
    assert exhibitor in (await client.get(f"/fairs/{fair.id}/booths/A-01")).text
    await publish_allocation(organiser, fair.id, public_url=PUBLIC_URL)

    async with httpx.AsyncClient(transport=client._transport, base_url="http://testserver") as anon:
        plan = await anon.get(f"/fairs/{fair.id}/plan")
        assert exhibitor in plan.text
        assert f'/fairs/{fair.id}/booths/A-01" class="booth' in plan.text
        booth = await anon.get(f"/fairs/{fair.id}/booths/A-01")
        assert exhibitor in booth.text and "★★★★" in booth.text
        csv = await anon.get(f"/fairs/{fair.id}/directory.csv")
        assert csv.headers["content-type"].startswith("text/csv") and exhibitor in csv.text
        api = (await anon.get(f"/api/fairs/{fair.id}/allocation")).json()
        assert api["booths"]["A-01"]["exhibitor"] == exhibitor and "waitlist" not in api


async def test_draft_fair_is_the_organisers_alone(client: httpx.AsyncClient) -> None:
    fair = await make_fair(status=FairStatus.DRAFT)
    assert (await client.get(f"/fairs/{fair.id}")).status_code == 404
    assert (await client.get(f"/api/fairs/{fair.id}")).status_code == 404
    assert fair.id not in [f["id"] for f in (await client.get("/api/fairs")).json()]


async def test_instance_export_and_dashboard(client: httpx.AsyncClient) -> None:
    organiser = await organiser_client(client)
    fair = await make_fair(organiser)
    await lay_out(fair)
    await make_applicant(fair, stars=5)
    exported = await client.get(f"/organiser/fairs/{fair.id}/instance.json")
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    assert len(exported.json()["booths"]) == 8 and exported.json()["applications"][0]["weight"] == 500
    dashboard = await client.get(f"/organiser/fairs/{fair.id}/dashboard")
    assert dashboard.status_code == 200
    assert re.search(r'id="applications">1<', dashboard.text)


async def test_api_from_fair_to_published_allocation(client: httpx.AsyncClient) -> None:
    organiser = await make_account("organiser")
    headers = await bearer(client, organiser)
    created = await client.post("/api/fairs", json={**FAIR_FORM, "certified_only": True},
                                headers=headers)
    assert created.status_code == 201, created.text
    fair_id = created.json()["id"]
    hall = await client.post(f"/api/fairs/{fair_id}/booths/generate", headers=headers,
                             json={"hall": "A", "rows": 1, "columns": 4, "zones": ["beverages"]})
    assert hall.status_code == 201 and hall.json()["booths"] == 4
    fair = await Fair.get(id=fair_id)
    fair.status = FairStatus.OPEN
    fair.starts_on, fair.ends_on = NOW.date() + timedelta(days=20), NOW.date() + timedelta(days=22)
    fair.applications_open, fair.applications_close = NOW - timedelta(days=1), NOW + timedelta(days=1)
    await fair.save()
    producer_account = await make_account("producer")
    producer = await make_producer(owner=producer_account)
    product = await make_product(producer, stars=4, certificate_expiry=fair.ends_on + timedelta(days=1))
    producer_headers = await bearer(client, producer_account)
    applied = await client.post(f"/api/fairs/{fair_id}/applications", headers=producer_headers,
                                json={"products": [product.id], "preferences": ["A-02"]})
    assert applied.status_code == 201, applied.text
    refused = await client.post(f"/api/fairs/{fair_id}/allocation", headers=headers, json={})
    assert refused.status_code == 422  # applications are still open
    fair.applications_close = NOW - timedelta(seconds=1)
    fair.applications_open = NOW - timedelta(days=2)
    await fair.save()
    run = await client.post(f"/api/fairs/{fair_id}/allocation", headers=headers,
                            json={"time_limit": 2})
    assert run.status_code == 201 and run.json()["status"] == "draft"
    draft = (await client.get(f"/api/fairs/{fair_id}/allocation", headers=headers)).json()
    assert draft["booths"]["A-02"]["producer_id"] == producer.id and draft["waitlist"] == []
    published = await client.post(f"/api/fairs/{fair_id}/allocation/publish", headers=headers)
    assert published.status_code == 200 and published.json()["status"] == "published"
    withdrawn = await client.delete(f"/api/fairs/{fair_id}/application", headers=producer_headers)
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


BOOTH = re.compile(r'<a href="[^"]*/fairs/\d+/booths/([^"]+)" class="booth zone-(\w+) state-(\w+)[^"]*">\s*'
                   r"<title>([^<]*)</title>")
GROUPS = [("beverages", "tea"), ("food", "condiments"), ("handicrafts", "ceramics"),
          ("beverages", "coffee"), ("food", "fresh_produce")]


async def test_story_from_empty_hall_to_published_floor_plan(client: httpx.AsyncClient) -> None:
    """An organiser lays out a 10 x 12 hall, 150 producers apply, the allocation runs and the
    published floor plan shows every exhibitor in a zone its products may use."""
    organiser = await organiser_client(client)
    fair = await make_fair(organiser, province_cap=0.25, first_timer_share=0.1)
    response = await post_form(client, f"/organiser/fairs/{fair.id}/halls/generate", {
        "hall": "Nhà triển lãm", "rows": "10", "columns": "12", "aisle_every_columns": "4",
        "aisle_every_rows": "2", "zones": ["beverages", "food", "handicrafts"], "island": "1"})
    assert response.status_code == 303
    assert await Booth.filter(fair=fair).count() == 120
    group_of: dict[str, str] = {}
    for n in range(150):
        group, subgroup = GROUPS[n % len(GROUPS)]
        application = await make_applicant(
            fair, stars=3 + n % 3, group=group, subgroup=subgroup, province=(1, 8, 20, 33)[n % 4],
            booths=2 if n % 10 == 0 else 1)
        group_of[(await application.producer).name] = group
    fair.applications_close = NOW - timedelta(seconds=1)
    fair.applications_open = NOW - timedelta(days=2)
    await fair.save()
    run = await run_allocation(organiser, fair, time_limit=4)
    assert run.result["assignments"]
    assert (await post_form(client, f"/organiser/fairs/{fair.id}/allocation/publish")).status_code == 303

    async with httpx.AsyncClient(transport=client._transport, base_url="http://testserver") as anon:
        plan = await anon.get(f"/fairs/{fair.id}/plan")
    assert plan.status_code == 200
    cells = BOOTH.findall(plan.text)
    assert len(cells) == 120
    shown: dict[str, set[str]] = {}
    for code, zone, state, title in cells:
        if state != "assigned":
            continue
        exhibitor = title.split(" · ")[-1].replace("&#39;", "'")
        assert zone in (group_of[exhibitor], "mixed"), (code, zone, exhibitor)
        shown.setdefault(exhibitor, set()).add(code)
    accepted = await BoothApplication.filter(fair=fair, status="accepted").count()
    assert len(shown) == accepted == len(run.result["assignments"])
    assert accepted + await BoothApplication.filter(fair=fair, status="waitlisted").count() == 150
    assert await Product.all().count() == 150


async def test_organiser_reviews_and_moves_in_the_browser(client: httpx.AsyncClient) -> None:
    organiser = await organiser_client(client)
    fair = await make_fair(organiser)
    await lay_out(fair, rows=1, columns=4)
    one = await make_applicant(fair, preferences=["A-01"])
    two = await make_applicant(fair, preferences=["A-02"])
    await run_allocation(organiser, fair, time_limit=2, now=AFTER_CLOSE)
    review = await client.get(f"/organiser/fairs/{fair.id}/allocation")
    assert review.status_code == 200 and (await one.producer).name in review.text
    refused = await post_form(client, f"/organiser/fairs/{fair.id}/applications/{one.id}/move",
                              {"booths": "A-02"})
    assert refused.status_code == 422 and "A-02" in refused.text
    moved = await post_form(client, f"/organiser/fairs/{fair.id}/applications/{one.id}/move",
                            {"booths": "A-04"})
    assert moved.status_code == 303
    cancelled = await post_form(client, f"/organiser/fairs/{fair.id}/applications/{two.id}/cancel")
    assert cancelled.status_code == 303
    assert (await BoothApplication.get(id=two.id)).status == "rejected"
    for path in ("/fairs", "/organiser/fairs", f"/organiser/fairs/{fair.id}/edit",
                 f"/fairs/{fair.id}", f"/fairs/{fair.id}/directory", f"/fairs/{fair.id}/booths/A-04"):
        assert (await client.get(path)).status_code == 200, path


async def test_review_page_and_api_show_the_same_waitlist(client: httpx.AsyncClient) -> None:
    """The organiser's review page and GET /api/fairs/{id}/allocation read one review."""
    organiser = await organiser_client(client)
    fair = await make_fair(organiser)
    await lay_out(fair, rows=1, columns=2)
    applicants = [await make_applicant(fair, stars=stars) for stars in (5, 5, 4, 3)]
    await run_allocation(organiser, fair, time_limit=2, now=AFTER_CLOSE)
    review = await allocation_review(organiser, fair.id)
    assert {a.id for a in review.accepted} == {a.id for a in applicants[:2]}
    assert [review.codes[a.id] for a in review.accepted] == [["A-01"], ["A-02"]]  # booth order
    assert [(w.application_id, w.position) for w in review.waitlist] == [
        (applicants[2].id, 1), (applicants[3].id, 2)]
    assert review.free == []
    api = (await client.get(f"/api/fairs/{fair.id}/allocation",
                            headers=await bearer(client, organiser))).json()
    assert api["waitlist"] == [{"application_id": w.application_id, "position": w.position,
                                "producer": w.producer, "reason": "outranked",
                                "reason_text": w.reason.words if w.reason else None}
                               for w in review.waitlist]
    page = await client.get(f"/organiser/fairs/{fair.id}/allocation")
    assert page.status_code == 200
    first, second = (w.producer for w in review.waitlist)
    assert page.text.index(first) < page.text.index(second)
