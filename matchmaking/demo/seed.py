"""Seed a database with deterministic demo data: accounts, producers, products, buyers, demands, a fair."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model
from tortoise.transactions import in_transaction

from matchmaking.demo import vocabulary as voc
from matchmaking.demo.register import register_verified_products
from matchmaking.enums import (
    BuyerKind,
    DemandStatus,
    FairStatus,
    ProducerKind,
    ProductGroup,
    ProductStatus,
    QualityMark,
    Recurrence,
    Role,
    Verification,
)
from matchmaking.errors import DomainError
from matchmaking.fairs.grid import generate_grid, validate_grid
from matchmaking.models import (
    Account,
    Booth,
    Buyer,
    Demand,
    Fair,
    Hall,
    MeetingSession,
    Producer,
    Product,
)

DEMO_PASSWORD = "ocop-demo-2026"
DEMO_DOMAIN = "ocop.demo"
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ACCOUNTS_PER_SIDE = 50
MAX_PRODUCTS_PER_PRODUCER = 50
FIRST_PRODUCER_PRODUCTS = 12
FIRST_BUYER_DEMANDS = 5
PRODUCT_BATCH = 1_000  # products generated, inserted and reported to `progress` at a time
INSERT_BATCH = 500  # rows per INSERT statement batch
UNRATED_SHARE = 0.10
PENDING_SHARE = 0.06  # rated products whose claim the register does not (yet) confirm
CERTIFICATE_YEARS = 3  # a certificate is valid 36 months
MINISTRY_RENAMED = date(2025, 3, 1)  # Bộ NN&PTNT became Bộ Nông nghiệp và Môi trường
FIRST_PRODUCER_TEMPLATE = "CHE"  # htx@ocop.demo makes Shan tuyết tea in Tuyên Quang (8)
FIRST_PRODUCER_PROVINCE = 8

T = TypeVar("T")
M = TypeVar("M", bound=Model)


class DemoDataExists(DomainError):
    """The database already holds the demo accounts; seeding twice would clash."""


@dataclass
class SeedReport:
    """What `seed_demo` wrote, and the logins (role, email, password) to try the demo with."""

    accounts: int = 0
    producers: int = 0
    products: int = 0
    buyers: int = 0
    demands: int = 0
    fairs: int = 0
    halls: int = 0
    booths: int = 0
    meeting_sessions: int = 0
    register_entries: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def _plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VN_TZ)


@dataclass(slots=True)
class _ProducerPlan:
    producer: Producer
    template: voc.ProductTemplate
    province: voc.Province
    place: str  # goes into product names: "Chè Shan tuyết {place}"
    locality: str


class _Generator:
    """Draws every value from one seeded Random in a fixed order, so a seed gives one data set."""

    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        # Its own Random, so that adding the register left the rest of the data set unchanged.
        self.claims = random.Random(seed + 148)
        self.today = today
        self.provinces = voc.provinces()
        self.codes = list(self.provinces)
        # Bigger provinces (more wards) have more producers.
        self.province_weights = [len(p.wards) for p in self.provinces.values()]
        self.templates = voc.TEMPLATES
        self.template_weights = [t.weight for t in voc.TEMPLATES]
        self.by_group: dict[ProductGroup, tuple[list[voc.ProductTemplate], list[float]]] = {}
        for t in voc.TEMPLATES:
            same, weights = self.by_group.setdefault(t.group, ([], []))
            same.append(t)
            weights.append(t.weight)
        self.tax_codes: set[str] = set()
        self.names: set[str] = set()

    def pick(self, options: Sequence[tuple[T, float]]) -> T:
        return self.rng.choices([o for o, _ in options], [w for _, w in options])[0]

    def person(self) -> str:
        r = self.rng
        return f"{r.choice(voc.FAMILY_NAMES)} {r.choice(voc.MIDDLE_NAMES)} {r.choice(voc.GIVEN_NAMES)}"

    def phone(self) -> str:
        return self.rng.choice(voc.PHONE_PREFIXES) + f"{self.rng.randrange(10_000_000):07d}"

    def tax_code(self) -> str:
        while True:
            code = f"{self.rng.randrange(10**10):010d}"
            if code not in self.tax_codes:
                self.tax_codes.add(code)
                return code

    def unique_name(self, draw: Callable[[], str], suffix: str) -> str:
        for _ in range(6):
            name = draw()
            if name not in self.names:
                break
        else:
            name = f"{name} {suffix}".strip()
        self.names.add(name)
        return name

    def village(self, province: int) -> str:
        r = self.rng
        if province in voc.MOUNTAIN_PROVINCES:
            return f"Bản {r.choice(voc.MOUNTAIN_VILLAGES)}"
        if province in voc.SOUTHERN_PROVINCES:
            return f"Ấp {r.choice(voc.VILLAGE_WORDS)}"
        return f"Thôn {r.choice(voc.VILLAGE_WORDS)}" if r.random() < 0.7 else f"Xóm {r.randint(1, 12)}"

    def producer(self, n: int) -> _ProducerPlan:
        r, first = self.rng, n == 1
        if first:
            kind = ProducerKind.COOPERATIVE
            template = next(t for t in self.templates if t.key == FIRST_PRODUCER_TEMPLATE)
            code = FIRST_PRODUCER_PROVINCE
        else:
            kind = self.pick(voc.PRODUCER_KINDS)
            template = r.choices(self.templates, self.template_weights)[0]
            homes = template.home_provinces
            if homes and r.random() < 0.75:
                code = r.choice(homes)
            else:
                code = r.choices(self.codes, self.province_weights)[0]
        province = self.provinces[code]
        pool = province.communes if province.communes and r.random() < 0.85 else province.wards
        ward_code, ward_name = r.choice(pool)
        locality = voc.short_ward(ward_name)
        city = province.name.startswith("Thành phố")
        place = locality if city or r.random() < 0.7 else province.short
        contact = self.person()
        rural = not ward_name.startswith("Phường")
        village = self.village(code) if rural else f"Tổ dân phố {r.randint(1, 30)}"
        forms = voc.producer_names(
            kind, trade=template.trade, brand=r.choice(voc.BRANDS), locality=locality,
            village=village if rural else locality, person=contact, province=province.short,
        )
        name = self.unique_name(lambda: r.choice(forms), locality)[:200]
        members = r.randint(7, 120)
        description = f"{name} tại {ward_name}, {province.name}, chuyên {template.demand_noun}" + (
            "." if kind == ProducerKind.ENTERPRISE else f", liên kết với {members} hộ thành viên."
        )
        no_tax_code = kind == ProducerKind.HOUSEHOLD and r.random() < 0.15
        producer = Producer(
            name=name, kind=kind, tax_code=None if no_tax_code else self.tax_code(),
            province_code=code, ward_code=ward_code,
            address=f"{village}, {ward_name}, {province.name}",
            contact_name=contact, phone=self.phone(), email=f"lienhe.p{n:05d}@{DEMO_DOMAIN}",
            description=description,
            created_at=_at(self.today - timedelta(days=r.randint(30, 1_500)), 8),
        )
        return _ProducerPlan(producer, template, province, place, locality)

    def product_name(
        self, plan: _ProducerPlan, t: voc.ProductTemplate, unit: str, index: int, seen: set[str]
    ) -> str:
        r = self.rng
        forms = [f for f in t.names if not f.provinces or plan.province.code in f.provinces]
        weights = [3.0 if f.provinces else 1.0 for f in forms]  # prefer the famous origin names
        variants = [v for v in t.variants if voc.fits(v, unit)]
        for attempt in range(12):
            name = r.choices(forms, weights)[0].text.format(place=plan.place)
            variant = r.choice(variants) if variants else ""
            name = f"{name} {variant}" if variant else name
            if attempt >= 4:
                name = f"{name} {r.choice(voc.GRADES)}"
            if name not in seen:
                break
        else:
            name = f"{name} – mẫu {index + 1}"
        seen.add(name)
        return name[:200]

    def certificate(self, plan: _ProducerPlan, stars: int) -> dict[str, Any]:
        r = self.rng
        # Skewed to recent decisions; about a third are older than 36 months.
        decided = self.today - timedelta(days=7 + int(1_820 * r.random() ** 1.3))
        if stars == 5:
            renamed = decided >= MINISTRY_RENAMED
            authority = "Bộ Nông nghiệp và " + ("Môi trường" if renamed else "Phát triển nông thôn")
            number = f"{r.randint(100, 5_500)}/QĐ-" + ("BNNMT" if renamed else "BNN-VPĐP")
        else:
            authority, number = plan.province.authority, f"{r.randint(150, 3_600)}/QĐ-UBND"
        return {
            "certificate_number": number,
            "certificate_authority": authority,
            "decision_date": decided,
            "certificate_expiry": _plus_years(decided, CERTIFICATE_YEARS),
        }

    def product(self, plan: _ProducerPlan, index: int, seen: set[str]) -> Product:
        r, t = self.rng, plan.template
        if index > 0 and r.random() < 0.2:  # a side line in the same group
            same, weights = self.by_group[t.group]
            t = r.choices(same, weights)[0]
        packing = r.choice(t.packings)
        name = self.product_name(plan, t, packing.unit, index, seen)
        stars = None if r.random() < UNRATED_SHARE else self.pick(voc.STAR_MIX)
        lo, hi = packing.price
        premium = {4: 1.1, 5: 1.3}.get(stars or 0, 1.0)
        price = voc.nice_price(math.exp(r.uniform(math.log(lo), math.log(hi))) * premium)
        min_order = voc.round_count(r.randint(*packing.min_order))
        capacity = max(min_order, voc.round_count(r.randint(*packing.capacity)))
        marks = {m for m, p in t.marks if r.random() < p}
        if r.random() < voc.TRACEABILITY_RATE[t.group]:
            marks.add(QualityMark.TRACEABILITY)
        roll = r.random()
        cert: dict[str, Any] = {}
        if stars is None:
            status = ProductStatus.DRAFT if roll < 0.6 else ProductStatus.PUBLISHED
            created = self.today - timedelta(days=r.randint(1, 400))
            shown = created + timedelta(days=r.randint(1, 90))
        else:
            cert = self.certificate(plan, stars)
            if self.claims.random() < PENDING_SHARE:
                cert["verification"] = Verification.PENDING
            else:
                cert.update(verification=Verification.VERIFIED, verified_stars=stars,
                            verified_expiry=cert["certificate_expiry"])
            if cert["certificate_expiry"] < self.today:
                status = ProductStatus.ARCHIVED if roll < 0.2 else ProductStatus.PUBLISHED
            elif roll < 0.03:
                status = ProductStatus.DRAFT
            else:
                status = ProductStatus.ARCHIVED if roll < 0.07 else ProductStatus.PUBLISHED
            created = cert["decision_date"] - timedelta(days=r.randint(30, 240))
            shown = cert["decision_date"] + timedelta(days=r.randint(3, 60))
        if status == ProductStatus.PUBLISHED:
            cert["published_at"] = _at(min(shown, self.today), r.randint(8, 17), r.randrange(60))
        ordered = [m for m in QualityMark if m in marks]
        year = cert["decision_date"].year if stars is not None else None
        description = voc.product_description(
            name, plan.producer.name, plan.locality, plan.province.name, t.blurb, stars, year, ordered
        )
        return Product(
            producer_id=plan.producer.pk, code=f"{t.key}-{index + 1:03d}", name=name,
            group=t.group, subgroup=t.subgroup, description=description, stars=stars,
            price_vnd=price, unit=packing.unit, min_order=min_order, monthly_capacity=capacity,
            shelf_life_days=r.randint(*t.shelf_life) if t.shelf_life else None,
            quality_marks=[m.value for m in ordered], status=status, created_at=_at(created, 9),
            **cert,
        )

    def buyer(self, n: int) -> Buyer:
        r = self.rng
        if n == 1:
            kind, code = BuyerKind.DISTRIBUTOR, 1
            name = self.unique_name(lambda: "Công ty CP Phân phối Nông sản Việt", "")
        else:
            kind, code = self.pick(voc.BUYER_KINDS), self.pick(voc.MARKET_PROVINCES)
            forms = voc.BUYER_NAMES[kind]
            short = self.provinces[code].short
            name = self.unique_name(lambda: r.choice(forms).format(brand=r.choice(voc.BRANDS)), short)
        return Buyer(
            name=name[:200], kind=kind, tax_code=self.tax_code(), province_code=code,
            contact_name=self.person(), phone=self.phone(), email=f"lienhe.b{n:05d}@{DEMO_DOMAIN}",
            description=f"{voc.BUYER_BLURBS[kind]} Trụ sở tại {self.provinces[code].name}.",
            created_at=_at(self.today - timedelta(days=r.randint(10, 900)), 10),
        )

    def demand(self, buyer: Buyer) -> Demand:
        r = self.rng
        pool = [t for t in self.templates if t.subgroup in voc.BUYER_SUBGROUPS[buyer.kind]]
        t = r.choices(pool, [x.weight for x in pool])[0]
        packing = t.packings[0]
        options = [q for q in voc.DEMAND_QUANTITIES[packing.unit] if q <= packing.capacity[1] * 3]
        quantity = r.choice(options or [packing.capacity[1]])
        amount = voc.amount_text(quantity, packing.unit)
        min_stars = self.pick(voc.DEMAND_STARS)
        monthly = r.random() < 0.3
        code = buyer.province_code if r.random() < 0.7 else self.pick(voc.MARKET_PROVINCES)
        province = self.provinces[code]
        marks = {m for m, _ in t.marks if r.random() < 0.15}
        if r.random() < 0.3 and voc.TRACEABILITY_RATE[t.group] >= 0.3:
            marks.add(QualityMark.TRACEABILITY)
        lo, hi = packing.price
        max_price = None
        if r.random() < 0.85:
            premium = 1.15 if (min_stars or 0) >= 4 else 1.0
            max_price = voc.nice_price(math.sqrt(lo * hi) * r.uniform(0.9, 1.5) * premium)
        created = self.today - timedelta(days=r.randint(0, 45))
        if r.random() < 0.08:
            status, valid_until = DemandStatus.EXPIRED, self.today - timedelta(days=r.randint(1, 30))
            created = valid_until - timedelta(days=r.randint(14, 60))
        else:
            status, valid_until = DemandStatus.OPEN, self.today + timedelta(days=r.randint(7, 60))
        needed_by = valid_until + timedelta(days=r.randint(7, 60))
        ordered = [m for m in QualityMark if m in marks]
        description = voc.demand_description(
            buyer.name, amount, t.demand_noun, monthly=monthly, province=province.name,
            needed_by=needed_by, stars=min_stars, marks=ordered, max_price=max_price,
            unit=packing.unit,
        )
        return Demand(
            buyer_id=buyer.pk,
            title=voc.demand_title(amount, t.demand_noun, min_stars, monthly, province.short)[:200],
            description=description, group=t.group.value, subgroup=t.subgroup,
            keywords=", ".join([t.demand_noun, *(f.text for f in t.names if f.provinces)][:4]),
            quantity=quantity, unit=packing.unit,
            recurrence=Recurrence.MONTHLY if monthly else Recurrence.ONCE,
            max_price_vnd=max_price, min_stars=min_stars, required_marks=[m.value for m in ordered],
            delivery_province_code=code, needed_by=needed_by, valid_until=valid_until,
            status=status, created_at=_at(created, 14),
        )


def spread(rng: random.Random, total: int, n: int, *, first: int, cap: int) -> list[int]:
    """Split `total` items over `n` owners: the first gets `first`, the rest 1..cap, most few."""
    if n == 0:
        return []
    if n == 1:
        return [total]
    head = min(first, total, cap)
    if total - head <= n - 1:  # too few to give everyone one: the first ones get one each
        rest = total - head
        return [head] + [1] * rest + [0] * (n - 1 - rest)
    cap = max(cap, -(-total // n) * 2)  # room for everything even when the caller asks a lot
    counts = [1] * n
    counts[0] = max(1, head)
    weights = [0.0] + [rng.lognormvariate(0.0, 1.1) for _ in range(n - 1)]
    for i in rng.choices(range(n), weights, k=total - sum(counts)):
        counts[i] += 1
    overflow = 0
    for i in range(1, n):
        if counts[i] > cap:
            overflow, counts[i] = overflow + counts[i] - cap, cap
    i = rng.randrange(1, n)
    while overflow:
        if counts[i] < cap:
            counts[i] += 1
            overflow -= 1
        i = i % (n - 1) + 1
    return counts


async def _insert(model: type[M], objs: list[M], conn: BaseDBAsyncClient) -> None:
    """Bulk-insert `objs` and give them their ids (inserts keep id order within a transaction)."""
    if not objs:
        return
    last = await model.all().using_db(conn).order_by("-id").first().values_list("id", flat=True)
    await model.bulk_create(objs, batch_size=INSERT_BATCH, using_db=conn)
    query = model.filter(id__gt=last or 0).using_db(conn).order_by("id")
    ids = list(await query.values_list("id", flat=True))
    if len(ids) != len(objs):
        raise RuntimeError(f"{model.__name__}: inserted {len(objs)} rows but found {len(ids)}")
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk


async def _insert_fair(organiser: Account, today: date, conn: BaseDBAsyncClient) -> SeedReport:
    """An open fair six weeks ahead with two halls of booths and one B2B meeting session."""
    starts = today + timedelta(weeks=6)
    fair = await Fair.create(
        organiser_id=organiser.pk, name=voc.FAIR_NAME.format(year=starts.year),
        venue=voc.FAIR_VENUE, province_code=1, starts_on=starts, ends_on=starts + timedelta(days=4),
        applications_open=_at(today - timedelta(days=3), 8),
        applications_close=_at(today + timedelta(weeks=4), 17),
        booth_fee_vnd=voc.FAIR_BOOTH_FEE, min_stars=3, certified_only=True,
        groups_admitted=[g.value for g in ProductGroup], province_cap=0.15, first_timer_share=0.2,
        status=FairStatus.OPEN, using_db=conn,
    )
    booths: list[Booth] = []
    for name, form in voc.HALLS:
        layout = generate_grid(validate_grid(form))
        hall = await Hall.create(
            fair=fair, name=name, width=layout.width, height=layout.height, using_db=conn
        )
        booths += [
            Booth(fair_id=fair.pk, hall_id=hall.pk, code=b.code, zone=b.zone, kind=b.kind,
                  price_vnd=b.price_vnd, x=b.x, y=b.y, w=b.w, h=b.h)
            for b in layout.booths
        ]
    await Booth.bulk_create(booths, batch_size=INSERT_BATCH, using_db=conn)
    await MeetingSession.create(
        fair=fair,
        name=voc.MEETING_SESSION_NAME,
        starts_at=_at(starts + timedelta(days=1), 9),
        slot_minutes=20,
        slots=9,
        tables=30,
        request_deadline=_at(starts - timedelta(days=3), 17),
        using_db=conn,
    )
    return SeedReport(fairs=1, halls=len(voc.HALLS), booths=len(booths), meeting_sessions=1)


async def seed_demo(
    *,
    seed: int = 42,
    producers: int = 400,
    products: int = 2000,
    buyers: int = 60,
    demands: int = 150,
    today: date,
    progress: Callable[[int], None] | None = None,
    password_hash: str,
) -> SeedReport:
    """Fill the database with demo data, all in one transaction.

    Writes accounts (all with `password_hash`), producers, products (most rated ones verified
    against register entries it writes too, a few claims pending), buyers, demands and one open
    fair with halls, booths and a meeting session; writes no search-outbox rows (the caller
    reindexes). Calls `progress(n)` after each batch of n products. Raises DemoDataExists if the
    demo accounts are already there, ValueError on impossible counts.
    """
    if min(producers, products, buyers, demands) < 0:
        raise ValueError("counts must not be negative")
    if (products and not producers) or (demands and not buyers):
        raise ValueError("products need a producer and demands need a buyer")
    gen = _Generator(seed, today)
    logins = [
        (role.value, f"{local}@{DEMO_DOMAIN}", DEMO_PASSWORD)
        for role, local in (
            (Role.ADMIN, "admin"), (Role.ORGANISER, "btc"), (Role.PRODUCER, "htx"), (Role.BUYER, "npp"),
            (Role.OFFICER, "canbo"),
        )
    ]

    def account(local: str, name: str, role: Role, phone: str | None = None) -> Account:
        return Account(
            email=f"{local}@{DEMO_DOMAIN}", password_hash=password_hash, display_name=name[:120],
            role=role, phone=phone,
        )

    async with in_transaction() as conn:
        if await Account.filter(email=f"admin@{DEMO_DOMAIN}").using_db(conn).exists():
            raise DemoDataExists("the demo accounts already exist; empty the database first")
        plans = [gen.producer(n) for n in range(1, producers + 1)]
        buyer_rows = [gen.buyer(n) for n in range(1, buyers + 1)]
        staff = [
            account("admin", "Quản trị hệ thống", Role.ADMIN),
            account("btc", "Ban tổ chức Hội chợ OCOP", Role.ORGANISER),
            account("canbo", "Văn phòng Điều phối OCOP tỉnh Tuyên Quang", Role.OFFICER),
        ]
        staff[-1].province_code = FIRST_PRODUCER_PROVINCE  # the officer of htx@'s province
        owned: list[tuple[Producer | Buyer, Account]] = []
        for n, p in enumerate((plan.producer for plan in plans[:ACCOUNTS_PER_SIDE]), start=1):
            local = "htx" if n == 1 else f"producer{n}"
            owned.append((p, account(local, p.contact_name, Role.PRODUCER, p.phone)))
        for n, b in enumerate(buyer_rows[:ACCOUNTS_PER_SIDE], start=1):
            local = "npp" if n == 1 else f"buyer{n}"
            owned.append((b, account(local, b.contact_name, Role.BUYER, b.phone)))
        accounts = staff + [a for _, a in owned]
        await _insert(Account, accounts, conn)
        for entity, acc in owned:
            entity.owner_id = acc.pk
            entity.email = acc.email

        await _insert(Producer, [plan.producer for plan in plans], conn)
        counts = spread(
            gen.rng, products, producers, first=FIRST_PRODUCER_PRODUCTS, cap=MAX_PRODUCTS_PER_PRODUCER
        )
        inserted = 0
        batch: list[Product] = []
        for plan, count in zip(plans, counts, strict=True):
            seen: set[str] = set()
            for index in range(count):
                batch.append(gen.product(plan, index, seen))
                if len(batch) == PRODUCT_BATCH:
                    inserted += await _flush(batch, conn, progress)
        inserted += await _flush(batch, conn, progress)
        report_entries = await register_verified_products(conn)

        await _insert(Buyer, buyer_rows, conn)
        per_buyer = spread(gen.rng, demands, buyers, first=FIRST_BUYER_DEMANDS, cap=max(demands, 1))
        demand_rows = [
            gen.demand(b) for b, k in zip(buyer_rows, per_buyer, strict=True) for _ in range(k)
        ]
        await Demand.bulk_create(demand_rows, batch_size=INSERT_BATCH, using_db=conn)

        report = await _insert_fair(staff[1], today, conn)
    report.accounts, report.producers, report.products = len(accounts), len(plans), inserted
    report.buyers, report.demands, report.logins = len(buyer_rows), len(demand_rows), logins
    report.register_entries = report_entries
    return report


async def _flush(
    batch: list[Product], conn: BaseDBAsyncClient, progress: Callable[[int], None] | None
) -> int:
    n = len(batch)
    if n:
        await Product.bulk_create(batch, batch_size=INSERT_BATCH, using_db=conn)
        batch.clear()
        if progress is not None:
            progress(n)
    return n
