"""The demo seed: deterministic, near the national mix, on real places, with a usable fair."""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta
from typing import Any

import pytest
import vietnam_provinces as vp

from matchmaking.demo import DEMO_PASSWORD, DemoDataExists, SeedReport, seed_demo
from matchmaking.demo.seed import spread
from matchmaking.demo.vocabulary import HALLS, TEMPLATES
from matchmaking.enums import BoothKind, DemandStatus, ProductGroup, ProductStatus, Role
from matchmaking.models import (
    Account,
    Booth,
    Buyer,
    CertificateEntry,
    Demand,
    Fair,
    Hall,
    MeetingSession,
    Producer,
    Product,
    SearchOutbox,
)
from matchmaking.taxonomy import SUBGROUPS

TODAY = date(2026, 3, 15)
HASH = "argon2-hash-placeholder"


async def _seed(**overrides: Any) -> SeedReport:
    args: dict[str, Any] = {
        "seed": 7, "producers": 40, "products": 200, "buyers": 8, "demands": 20,
        "today": TODAY, "password_hash": HASH,
    }
    args.update(overrides)
    return await seed_demo(**args)


async def _digest() -> str:
    products = await Product.all().order_by("id").values_list(
        "producer__name", "code", "name", "price_vnd", "stars", "status", "decision_date"
    )
    demands = await Demand.all().order_by("id").values_list("title", "quantity", "max_price_vnd")
    return hashlib.sha256(repr((products, demands)).encode()).hexdigest()


async def _empty() -> None:
    for model in (MeetingSession, Booth, Hall, Fair, Demand, Buyer, Product, CertificateEntry,
                  Producer, Account):
        await model.all().delete()


async def test_seed_demo_same_seed_gives_same_data(db: str) -> None:
    await _seed()
    first = await _digest()
    await _empty()
    await _seed()
    again = await _digest()
    await _empty()
    await _seed(seed=8)
    other = await _digest()

    assert again == first
    assert other != first


async def test_seed_demo_star_and_kind_mix_near_national(db: str) -> None:
    await _seed(producers=600, products=3000)

    stars = await Product.all().values_list("stars", flat=True)
    rated = [s for s in stars if s is not None]
    share = {n: rated.count(n) / len(rated) for n in (3, 4, 5)}
    kinds = await Producer.all().values_list("kind", flat=True)

    assert len(stars) == 3000
    assert 0.07 <= (len(stars) - len(rated)) / len(stars) <= 0.13
    assert 0.62 <= share[3] <= 0.72
    assert 0.25 <= share[4] <= 0.35
    assert 0.005 <= share[5] <= 0.04
    assert 0.32 <= kinds.count("cooperative") / 600 <= 0.44
    assert 0.18 <= kinds.count("enterprise") / 600 <= 0.30
    assert 0.29 <= kinds.count("household") / 600 <= 0.41


async def test_seed_demo_places_are_real_and_wards_in_their_province(db: str) -> None:
    await _seed()
    provinces = {int(p.code) for p in vp.Province.iter_all()}
    ward_province = {int(w.code): int(w.province_code) for w in vp.Ward.iter_all()}

    producers = await Producer.all().values_list("province_code", "ward_code")
    buyers = await Buyer.all().values_list("province_code", flat=True)
    deliveries = await Demand.all().values_list("delivery_province_code", flat=True)
    fairs = await Fair.all().values_list("province_code", flat=True)

    assert all(ward_province[ward] == province for province, ward in producers)
    assert set(buyers) | set(deliveries) | set(fairs) <= provinces


async def test_seed_demo_certificates_valid_36_months_some_expired(db: str) -> None:
    await _seed(producers=100, products=600)
    rated = await Product.filter(stars__not_isnull=True).values(
        "stars", "certificate_number", "certificate_authority", "decision_date",
        "certificate_expiry",
    )

    for p in rated:
        assert p["certificate_number"]
        assert p["certificate_expiry"] == _plus_three_years(p["decision_date"])
        ministry = p["certificate_authority"].startswith("Bộ Nông nghiệp")
        assert ministry == (p["stars"] == 5)
    expired = [p for p in rated if p["certificate_expiry"] < TODAY]
    assert 0.15 <= len(expired) / len(rated) <= 0.5
    assert min(p["decision_date"] for p in rated) >= TODAY - timedelta(days=5 * 366)


def _plus_three_years(day: date) -> date:
    try:
        return day.replace(year=day.year + 3)
    except ValueError:
        return day.replace(year=day.year + 3, day=28)


async def test_seed_demo_creates_demo_logins_and_owners(db: str) -> None:
    report = await _seed(producers=60, buyers=55)

    roles = dict(await Account.all().values_list("email", "role"))
    htx = await Producer.get(owner__email="htx@ocop.demo")
    npp = await Buyer.get(owner__email="npp@ocop.demo")

    assert [(r, e) for r, e, _ in report.logins] == [
        (Role.ADMIN, "admin@ocop.demo"), (Role.ORGANISER, "btc@ocop.demo"),
        (Role.PRODUCER, "htx@ocop.demo"), (Role.BUYER, "npp@ocop.demo"),
        (Role.OFFICER, "canbo@ocop.demo"),
    ]
    assert {pw for _, _, pw in report.logins} == {DEMO_PASSWORD}
    assert roles["admin@ocop.demo"] == Role.ADMIN
    assert roles["btc@ocop.demo"] == Role.ORGANISER
    assert roles["producer50@ocop.demo"] == Role.PRODUCER
    assert "producer51@ocop.demo" not in roles
    assert roles["buyer50@ocop.demo"] == Role.BUYER
    assert htx.id == (await Producer.all().order_by("id").first()).id  # type: ignore[union-attr]
    assert npp.id == (await Buyer.all().order_by("id").first()).id  # type: ignore[union-attr]
    assert await Producer.filter(owner_id__isnull=True).count() == 10
    assert set(await Account.all().values_list("password_hash", flat=True)) == {HASH}
    assert await Product.filter(producer=htx).count() == 12
    assert await Demand.filter(buyer=npp).count() == 5
    assert roles["canbo@ocop.demo"] == Role.OFFICER


async def test_seed_demo_shows_every_certificate_state(db: str) -> None:
    from matchmaking.catalogue.certification import certificate_state

    report = await _seed()
    states = {certificate_state(p, TODAY) for p in await Product.all()}
    assert states == {"certified", "expired", "pending", "unrated"}
    verified = await Product.filter(verification="verified")
    assert report.register_entries == len(verified) == await CertificateEntry.all().count()
    assert all(p.certificate_entry_id == p.id for p in verified)  # type: ignore[attr-defined]


async def test_seed_demo_fair_has_booths_in_zones(db: str) -> None:
    await _seed()
    fair = await Fair.get(organiser__email="btc@ocop.demo")
    halls = await Hall.filter(fair=fair).order_by("name")
    booths = await Booth.filter(fair=fair).prefetch_related("hall")
    session = await MeetingSession.get(fair=fair)

    assert fair.starts_on == TODAY + timedelta(weeks=6)
    assert fair.applications_open.date() < TODAY < fair.applications_close.date() < fair.starts_on
    assert [h.name for h in halls] == [name for name, _ in HALLS] == ["Nhà A", "Nhà B"]
    assert len(booths) == 10 * 12 + 8 * 6
    assert len({b.code for b in booths}) == len(booths)
    assert {b.zone for b in booths} == {g.value for g in ProductGroup}
    assert all(b.x >= 0 and b.x + b.w <= b.hall.width for b in booths)
    assert all(b.y >= 0 and b.y + b.h <= b.hall.height for b in booths)
    corner = {b.price_vnd for b in booths if b.kind == BoothKind.CORNER}
    standard = {b.price_vnd for b in booths if b.kind == BoothKind.STANDARD}
    assert len(corner) == 1 and len(standard) == 1 and min(corner) > max(standard)
    assert fair.starts_on <= session.starts_at.date() <= fair.ends_on


async def test_seed_demo_reports_counts_and_progress_without_outbox(db: str) -> None:
    steps: list[int] = []
    report = await _seed(progress=steps.append)

    assert sum(steps) == report.products == await Product.all().count() == 200
    assert report.producers == await Producer.all().count() == 40
    assert report.demands == await Demand.all().count() == 20
    assert report.booths == await Booth.all().count()
    assert await SearchOutbox.all().count() == 0
    assert await Product.filter(status=ProductStatus.PUBLISHED, published_at__isnull=True).count() == 0
    open_demands = await Demand.filter(status=DemandStatus.OPEN).values_list("valid_until", flat=True)
    assert open_demands and min(open_demands) > TODAY
    assert all(p.subgroup in SUBGROUPS[p.group] for p in await Product.all())


async def test_seed_demo_refuses_a_seeded_database(db: str) -> None:
    await _seed()

    with pytest.raises(DemoDataExists):
        await _seed(seed=9)
    assert await Product.all().count() == 200


async def test_seed_demo_failure_leaves_nothing(db: str) -> None:
    def fail(n: int) -> None:
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        await _seed(progress=fail)
    assert await Account.all().count() == 0
    assert await Producer.all().count() == 0


def test_spread_sums_and_keeps_bounds() -> None:
    counts = spread(random.Random(1), 5000, 1000, first=12, cap=50)

    assert sum(counts) == 5000
    assert counts[0] == 12
    assert min(counts) >= 1 and max(counts) <= 50
    assert sorted(counts)[len(counts) // 2] <= 4  # most producers have few products


def test_templates_use_known_subgroups_and_have_a_generic_name() -> None:
    for template in TEMPLATES:
        assert template.subgroup in SUBGROUPS[template.group]
        assert any(not form.provinces for form in template.names), template.key
