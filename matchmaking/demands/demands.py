"""Buyers and their demands (nhu cầu mua): profile, post, edit, close, expire; inbox messages.

Every change to a demand saves the row, so `updated_at` moves and the matching job, which
re-examines demands changed since its last run, sees it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypedDict

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from config.i18n import format_number, format_vnd, speaking
from config.i18n import gettext as _
from matchmaking import audit, units
from matchmaking.catalogue.products import check_organisation
from matchmaking.clock import now_utc
from matchmaking.demands.fair_deals import contracted, fair_deals
from matchmaking.demands.phrases import understand
from matchmaking.enums import (
    BuyerKind,
    DemandStatus,
    ProductGroup,
    ProductStatus,
    QualityMark,
    QuoteStatus,
    Recurrence,
    Role,
)
from matchmaking.errors import NotFound, ValidationFailed
from matchmaking.models import Account, Buyer, Demand, Product, Quote
from matchmaking.notifications import notify
from matchmaking.parsing import parse_day, parse_vnd, parse_whole, read_quantity
from matchmaking.permissions import require_account, require_role
from matchmaking.places import is_province, resolve_province
from matchmaking.taxonomy import SUBGROUPS, UNITS, group_of

MAX_QUANTITY = 1_000_000_000
ACTIVE_QUOTES = (QuoteStatus.SUBMITTED, QuoteStatus.SHORTLISTED, QuoteStatus.ACCEPTED)
PENDING_QUOTES = (QuoteStatus.SUBMITTED, QuoteStatus.SHORTLISTED)


def _province(value: object) -> int | None:
    code = resolve_province(str(value)) if value not in (None, "") else None
    return code if code is not None and is_province(code) else None


def _marks(value: object) -> list[str] | None:
    if isinstance(value, str):
        items = [v.strip().lower() for v in re.split(r"[,;]", value) if v.strip()]
    elif isinstance(value, list | tuple):
        items = [str(v).strip().lower() for v in value if str(v).strip()]
    else:
        items = []
    allowed = {m.value for m in QualityMark}
    return sorted(set(items)) if all(item in allowed for item in items) else None


# Buyer profile ---------------------------------------------------------------------------

class BuyerProfileInput(TypedDict):
    """A buyer profile's fields after validation."""

    name: str
    kind: BuyerKind
    tax_code: str | None
    province_code: int
    contact_name: str
    phone: str
    email: str
    description: str


def validate_buyer_profile(data: Mapping[str, Any]) -> BuyerProfileInput:
    """A buyer profile's fields; ValidationFailed names every wrong one."""
    errors: dict[str, str] = {}
    text = {k: str(v).strip() if v is not None else "" for k, v in data.items()}
    if not text.get("name"):
        errors["name"] = _("Enter the buyer's name.")
    kind = text.get("kind", "")
    if kind not in {k.value for k in BuyerKind}:
        errors["kind"] = _("Choose the kind of buyer.")
    tax_code, province, phone = check_organisation(text, errors)
    if errors:
        raise ValidationFailed(errors)
    assert province is not None
    return {
        "name": text["name"][:200], "kind": BuyerKind(kind), "tax_code": tax_code,
        "province_code": province, "contact_name": text.get("contact_name", "")[:120],
        "phone": phone[:20], "email": text.get("email", "")[:254],
        "description": text.get("description", "")[:5000],
    }


async def buyer_profile(actor: Account | None) -> Buyer | None:
    """The buyer profile of a buyer account, None until it has one."""
    return await Buyer.get_or_none(owner=require_role(actor, Role.BUYER))


async def own_buyer(actor: Account | None) -> Buyer:
    """The buyer profile of a buyer account; NotFound until it has one."""
    buyer = await buyer_profile(actor)
    if buyer is None:
        raise NotFound("buyer profile")
    return buyer


async def save_buyer_profile(actor: Account | None, data: Mapping[str, Any]) -> Buyer:
    """Create or update the actor's buyer profile."""
    account = require_role(actor, Role.BUYER)
    values = validate_buyer_profile(data)
    try:
        async with in_transaction():
            buyer = await Buyer.get_or_none(owner=account)
            if buyer is None:
                return await Buyer.create(owner=account, **values)
            await buyer.update_from_dict(dict(values)).save()
            return buyer
    except IntegrityError:
        raise ValidationFailed({"tax_code": _("Another buyer uses this tax code.")}) from None


# Demands ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class DemandInput:
    """A demand's fields after validation."""

    title: str
    description: str
    group: str | None
    subgroup: str | None
    keywords: str
    quantity: Decimal
    unit: str
    price_unit: str  # the unit the target price is per
    recurrence: Recurrence
    max_price_vnd: int | None
    min_stars: int | None
    required_marks: list[str]
    delivery_province_code: int
    needed_by: date
    valid_until: date

    def fields(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _demand_group(text: dict[str, str], errors: dict[str, str]) -> tuple[str | None, str | None]:
    group, subgroup = text.get("group") or None, text.get("subgroup") or None
    if group is not None and group not in {g.value for g in ProductGroup}:
        errors["group"] = _("Choose one of the six OCOP product groups.")
        return None, None
    if subgroup is None:
        return group, None
    owner = group_of(subgroup)
    if owner is None or (group is not None and subgroup not in SUBGROUPS[ProductGroup(group)]):
        errors["subgroup"] = _("Choose a sub-group of the chosen group.")
        return group, None
    return owner.value, subgroup


def validate_demand(data: Mapping[str, Any], *, today: date) -> DemandInput:
    """Check a demand; ValidationFailed names every wrong field. Empty valid-until = needed-by."""
    errors: dict[str, str] = {}
    text = {k: str(v).strip() if v is not None else "" for k, v in data.items()
            if not isinstance(v, list | tuple)}
    title = text.get("title", "")
    if not title:
        errors["title"] = _("Say what you want to buy.")
    elif len(title) > 200:
        errors["title"] = _("The title is too long (200 characters at most).")
    description = text.get("description", "")
    if len(description) > 5000:
        errors["description"] = _("The description is too long (5,000 characters at most).")
    keywords = text.get("keywords", "")
    if len(keywords) > 300:
        errors["keywords"] = _("Too many keywords (300 characters at most).")
    group, subgroup = _demand_group(text, errors)
    quantity = read_quantity(data.get("quantity"), errors, maximum=MAX_QUANTITY)
    unit = text.get("unit", "")
    if unit not in UNITS:
        errors["unit"] = _("Choose a unit from the list.")
    price_unit = text.get("price_unit") or unit
    if (text.get("price_unit") or unit in UNITS) and (
            price_unit not in UNITS or units.factor(price_unit, unit) is None):
        errors["price_unit"] = _("Choose a price unit that converts to the unit you order in.")
    recurrence_value = text.get("recurrence") or Recurrence.ONCE.value
    if recurrence_value not in {r.value for r in Recurrence}:
        errors["recurrence"] = _("Choose once or every month.")
    max_price = parse_vnd(data.get("max_price_vnd")) if text.get("max_price_vnd") else None
    if text.get("max_price_vnd") and (max_price is None or max_price <= 0):
        errors["max_price_vnd"] = _("Enter the price as a whole number of đồng, above zero.")
    min_stars = parse_whole(data.get("min_stars")) if text.get("min_stars") else None
    if text.get("min_stars") and min_stars not in (3, 4, 5):
        errors["min_stars"] = _("An OCOP rating has 3, 4 or 5 stars.")
    said = understand(title)
    if not text.get("min_stars") and said.min_stars in (3, 4, 5):
        min_stars = said.min_stars  # "loại 4 sao" in the title: the matching holds to it anyway
    marks = _marks(data.get("required_marks", []))
    if marks is None:
        errors["required_marks"] = _("Unknown quality mark.")
    province = _province(data.get("delivery_province_code"))
    if province is None and not text.get("delivery_province_code"):
        province = said.province_code  # "giao Hà Nội" in the title, the field left empty
    if province is None:
        errors["delivery_province_code"] = _("Choose the province to deliver to.")
    needed_by = parse_day(data.get("needed_by"))
    if needed_by is None:
        errors["needed_by"] = _("Enter a date as dd/mm/yyyy.")
    elif needed_by < today:
        errors["needed_by"] = _("This date is in the past.")
    valid_until = parse_day(data.get("valid_until")) if text.get("valid_until") else needed_by
    if text.get("valid_until") and valid_until is None:
        errors["valid_until"] = _("Enter a date as dd/mm/yyyy.")
    elif valid_until is not None and valid_until < today:
        errors["valid_until"] = _("This date is in the past.")
    if errors:
        raise ValidationFailed(errors)
    assert quantity is not None and province is not None
    assert needed_by is not None and valid_until is not None
    return DemandInput(
        title=title, description=description, group=group, subgroup=subgroup,
        keywords=keywords, quantity=quantity, unit=unit, price_unit=price_unit,
        recurrence=Recurrence(recurrence_value), max_price_vnd=max_price, min_stars=min_stars,
        required_marks=marks or [], delivery_province_code=province, needed_by=needed_by,
        valid_until=valid_until,
    )


PRICE_OFF = 200  # a target this many times above or below the catalogue's is a unit slip


async def catalogue_price(values: DemandInput) -> float | None:
    """The median price of published products of the demand's sub-group (else group), per the
    demand's price unit; products whose unit does not convert are left out."""
    query = Product.filter(status=ProductStatus.PUBLISHED)
    if values.subgroup:
        query = query.filter(subgroup=values.subgroup)
    elif values.group:
        query = query.filter(group=values.group)
    else:
        return None
    rows = await query.limit(2_000).values("price_vnd", "unit", "net_quantity", "net_unit")
    prices = sorted(
        price for row in rows
        if (price := units.price_in(row["price_vnd"], row["unit"], values.price_unit,
                                    net=units.net_of(row["net_quantity"], row["net_unit"])))
        is not None)
    return prices[len(prices) // 2] if prices else None


async def check_target_price(values: DemandInput, data: Mapping[str, Any]) -> None:
    """Refuse a target about 1000 times off the catalogue's prices (₫/tấn typed as ₫/kg), unless
    the buyer confirms it (`confirm_price`)."""
    if values.max_price_vnd is None or str(data.get("confirm_price") or "").lower() in (
            "1", "true", "on", "yes"):
        return
    median = await catalogue_price(values)
    if median is None or 1 / PRICE_OFF < values.max_price_vnd / median < PRICE_OFF:
        return
    raise ValidationFailed({
        "max_price_vnd": _(
            "%(target)s per %(unit)s is about %(times)s times the usual price of this kind of "
            "product (%(median)s per %(unit)s). Check the unit the price is per.") % {
                "target": format_vnd(values.max_price_vnd), "unit": values.price_unit,
                "times": format_number(round(max(values.max_price_vnd / median,
                                                 median / values.max_price_vnd))),
                "median": format_vnd(round(median))},
        "confirm_price": _("Tick the box to keep this price."),
    })


async def post_demand(actor: Account | None, data: Mapping[str, Any], *, today: date) -> Demand:
    """Publish a new open demand for the actor's buyer profile."""
    buyer = await own_buyer(actor)
    values = validate_demand(data, today=today)
    await check_target_price(values, data)
    async with in_transaction():
        demand = await Demand.create(buyer=buyer, **values.fields())
    demand.buyer = buyer
    return demand


async def own_demand(actor: Account | None, demand_id: int, *, lock: bool = False) -> Demand:
    """One of the actor's own demands (any status); another buyer's is NotFound."""
    buyer = await own_buyer(actor)
    query = Demand.filter(id=demand_id, buyer=buyer)
    demand = await (query.select_for_update() if lock else query).first()
    if demand is None:
        raise NotFound("demand")
    demand.buyer = buyer
    return demand


def quote_factor(quote_unit: str, demand_unit: str, product_unit: str | None = None,
                 net: units.Net | None = None) -> float | None:
    """How many of the demand's unit one unit of a quote is; a container converts through the
    net content of the quoted product sold in it."""
    unit = quote_unit or demand_unit
    return units.factor(unit, demand_unit, from_net=net if unit == product_unit else None)


async def accepted_quantity(demand: Demand) -> Decimal:
    """How much of the demand accepted quotes and contracts signed at fairs cover, in the
    demand's unit."""
    rows = await Quote.filter(demand=demand, status=QuoteStatus.ACCEPTED).values(
        "quantity", "unit", "product__unit", "product__net_quantity", "product__net_unit")
    total = Decimal(0)
    for row in rows:
        ratio = quote_factor(row["unit"], demand.unit, row["product__unit"],
                             units.net_of(row["product__net_quantity"], row["product__net_unit"]))
        total += Decimal(str(row["quantity"])) * Decimal(str(ratio if ratio is not None else 0))
    total += Decimal(contracted(await fair_deals(demand)))
    return round(total, 3)


def not_open_error(demand: Demand) -> ValidationFailed:
    messages = {
        DemandStatus.CLOSED: _("This demand is closed."),
        DemandStatus.FULFILLED: _("This demand is already fulfilled."),
        DemandStatus.EXPIRED: _("This demand has expired."),
    }
    return ValidationFailed({"status": messages.get(DemandStatus(demand.status),
                                                    _("This demand is not open."))})


async def update_demand(
    actor: Account | None, demand_id: int, data: Mapping[str, Any], *, today: date
) -> Demand:
    """Change an open demand; the unit is fixed once producers quote in it."""
    await own_demand(actor, demand_id)
    values = validate_demand(data, today=today)
    await check_target_price(values, data)
    async with in_transaction():
        demand = await own_demand(actor, demand_id, lock=True)
        if demand.status != DemandStatus.OPEN:
            raise not_open_error(demand)
        if values.unit != demand.unit and await Quote.filter(
                demand=demand, status__in=ACTIVE_QUOTES).exists():
            raise ValidationFailed({"unit": _(
                "Producers have quoted in this unit; post a new demand to change it.")})
        demand.update_from_dict(values.fields())
        if await accepted_quantity(demand) >= demand.quantity:
            demand.status = DemandStatus.FULFILLED
        await demand.save()
    return demand


async def close_demand(actor: Account | None, demand_id: int, *, public_url: str = "") -> Demand:
    """Close an open demand (again: no change). Side effects: pending quotes are declined and
    their producers told."""
    async with in_transaction():
        demand = await own_demand(actor, demand_id, lock=True)
        if demand.status == DemandStatus.CLOSED:
            return demand
        if demand.status != DemandStatus.OPEN:
            raise not_open_error(demand)
        demand.status = DemandStatus.CLOSED
        await demand.save(update_fields=["status", "updated_at"])
        await decline_pending_quotes(demand, public_url=public_url)
        await audit.record("demand.close", actor=actor, target_type="demand", target_id=demand.id)
    return demand


async def decline_pending_quotes(demand: Demand, *, public_url: str = "") -> int:
    """Decline the submitted and shortlisted quotes of a demand that closed or was fulfilled."""
    pending = await Quote.filter(demand=demand, status__in=PENDING_QUOTES).select_related(
        "producer__owner")
    for quote in pending:
        quote.status = QuoteStatus.DECLINED
        await quote.save(update_fields=["status", "updated_at"])
        owner = account_of(quote.producer.owner)
        if owner is not None:
            with speaking(owner.language):
                await notify(
                    owner, kind="quote.declined", public_url=public_url,
                    title=_("The buyer no longer needs: {title}").format(title=demand.title),
                    body=_("The demand is closed or fully supplied, so your quote was declined."),
                    link="/producer/quotes")
    return len(pending)


async def get_demand_for(actor: Account | None, demand_id: int) -> Demand:
    """A demand the actor may see: its owner any time; producers while it is open, or when
    they have quoted on it; admins always. Everyone else: NotFound."""
    account = require_account(actor)
    demand = await Demand.get_or_none(id=demand_id).select_related("buyer")
    if demand is None:
        raise NotFound("demand")
    if account.role == Role.ADMIN or demand.buyer.owner_id == account.id:
        return demand
    if account.role == Role.PRODUCER and (demand.status == DemandStatus.OPEN or await Quote.filter(
            demand=demand, producer__owner=account).exists()):
        return demand
    raise NotFound("demand")


async def buyer_demands(actor: Account | None) -> list[tuple[Demand, int]]:
    """The actor's demands, newest first, each with its number of quotes still in play."""
    buyer = await own_buyer(actor)
    demands = await Demand.filter(buyer=buyer).order_by("-created_at", "-id")
    ids = [d.id for d in demands]
    counts: dict[int, int] = {}
    for row in await Quote.filter(demand_id__in=ids, status__in=ACTIVE_QUOTES).values("demand_id"):
        counts[int(row["demand_id"])] = counts.get(int(row["demand_id"]), 0) + 1
    return [(d, counts.get(d.id, 0)) for d in demands]


async def open_demands(
    actor: Account | None, *, today: date, group: str | None = None,
    province_code: int | None = None, limit: int = 200,
) -> list[Demand]:
    """Open demands producers can answer, soonest needed first."""
    require_role(actor, Role.PRODUCER)
    query = Demand.filter(status=DemandStatus.OPEN, valid_until__gte=today)
    if group:
        query = query.filter(group=group)
    if province_code is not None:
        query = query.filter(delivery_province_code=province_code)
    return await query.select_related("buyer").order_by("needed_by", "id").limit(limit)


async def expire_demands(*, today: date) -> int:
    """Open demands whose valid-until has passed become expired; returns how many (idempotent)."""
    async with in_transaction():
        ids = await Demand.filter(status=DemandStatus.OPEN, valid_until__lt=today).values_list(
            "id", flat=True)
        if ids:
            await Demand.filter(id__in=list(ids)).update(
                status=DemandStatus.EXPIRED, updated_at=now_utc())
    return len(ids)


# Owners ----------------------------------------------------------------------------------

def account_of(owner: object) -> Account | None:
    """A fetched owner relation as an Account (relations to accounts are typed as Model)."""
    return owner if isinstance(owner, Account) else None
