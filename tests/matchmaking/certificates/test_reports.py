"""The five reports' figures, answered by GET /api/stats/certificates from register fixtures.

Figures no register can express: Bắc Ninh 2020's "3 products not eligible to compete" (never
assessed, so never decided) and its 2022-2025 target (200 products, 2+ at 5 stars); Hòa Bình
2019's "53 assessed in 11/11 districts, 34 sent to the province" (district rounds and
applications, not decisions: only the district results that were decided are kept, as
history); the country's "48 provinces rated" is countable, its "90.4% of the 2018-2020 target"
needs the target (2,400), which is a plan, not a decision; Lạng Sơn's "227% of plan" likewise,
and its "500,000 traceability stamps for 16 products" is not a certificate figure at all.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from matchmaking.certificates.register import import_register
from tests.factories import make_account
from tests.matchmaking.certificates import reports


async def load(content: bytes) -> float:
    started = time.perf_counter()
    report = await import_register(await make_account("officer"), filename="report.csv",
                                   content=content)
    assert not report.rejected, report.problems[:3]
    return time.perf_counter() - started


async def stats(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    response = await client.get("/api/stats/certificates", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_bac_ninh_2020_and_04_2023(client: httpx.AsyncClient) -> None:
    await load(reports.bac_ninh())
    year = await stats(client, province="Bắc Ninh", year=2020, as_of="2020-12-31")
    assert year["recognised"] == {"products": 33, "producers": 14,
                                  "stars": {"3": 3, "4": 30, "5": 0}}
    april = await stats(client, province="Bac Ninh", as_of="2023-04-30")
    assert april["recognised"]["products"] == 93
    assert april["recognised"]["stars"] == {"3": 34, "4": 59, "5": 0}
    assert april["by_province"] == {"Bắc Ninh": {"products": 93,
                                                 "stars": {"3": 34, "4": 59, "5": 0}}}


async def test_hoa_binh_2019_by_old_and_new_province(client: httpx.AsyncClient) -> None:
    await load(reports.hoa_binh())
    old = await stats(client, province="Hòa Bình", year=2019, as_of="2019-12-31")
    assert old["recognised"] == {"products": 27, "producers": 21,
                                 "stars": {"3": 18, "4": 9, "5": 0}}
    now = await stats(client, province="Phú Thọ", as_of="2019-12-31")
    assert now["recognised"]["products"] == 27
    assert list(now["by_province"]) == ["Hòa Bình"]  # as recorded, not as now


async def test_lang_son_2022_that_year_and_in_all(client: httpx.AsyncClient) -> None:
    await load(reports.lang_son())
    in_all = await stats(client, province="Lạng Sơn", as_of="2022-12-31")
    assert in_all["recognised"]["products"] == 120
    assert in_all["recognised"]["stars"] == {"3": 96, "4": 24, "5": 0}
    assert in_all["valid"]["products"] == 90  # the 30 of 2019 lapsed after 36 months
    that_year = await stats(client, province="Lạng Sơn", year=2022, as_of="2022-12-31")
    assert that_year["recognised"]["products"] == 34


async def test_country_10_2020_by_old_province(client: httpx.AsyncClient) -> None:
    seconds = await load(reports.country())
    answer = await stats(client, as_of="2020-10-31")
    assert answer["recognised"]["products"] == reports.COUNTRY_TOTAL > 2160
    assert round(100 * answer["recognised"]["products"] / 2400, 1) == 90.4
    assert len(answer["by_province"]) == 48
    for name, count in reports.NAMED.items():
        assert answer["by_province"][name]["products"] == count
    tuyen_quang = await stats(client, as_of="2020-10-31", province="Hà Giang")
    assert tuyen_quang["recognised"]["products"] == 120
    print(f"imported {reports.COUNTRY_TOTAL} register rows in {seconds:.1f} s")
