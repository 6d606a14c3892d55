"""Quotes (báo giá): producers answer open demands; buyers shortlist, accept or decline.

States: submitted -> shortlisted -> accepted | declined; submitted | shortlisted -> withdrawn
(by the producer). Every transition tells the other side in its inbox and by email, in the
same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tortoise.functions import Max
from tortoise.transactions import in_transaction

from config.i18n import format_number, format_vnd
from config.i18n import gettext as _
from matchmaking import audit, units
from matchmaking.catalogue.products import own_producer
from matchmaking.demands.demands import (
    ACTIVE_QUOTES,
    PENDING_QUOTES,
    accepted_quantity,
    account_of,
    decline_pending_quotes,
    get_demand_for,
    not_open_error,
    own_buyer,
    own_demand,
    parse_whole,
    quote_factor,
    speaking,
)
from matchmaking.demands.fair_deals import FairDeal, fair_deals
from matchmaking.demands.phrases import understand
from matchmaking.demands.sourcing import SourcingView, demand_sourcing
from matchmaking.enums import DemandStatus, ProductStatus, QuoteStatus, Role
from matchmaking.errors import NotFound, ValidationFailed
from matchmaking.models import (
    Account,
    Buyer,
    Demand,
    Match,
    Producer,
    Product,
    Quote,
    SourcingShare,
)
from matchmaking.notifications import notify
from matchmaking.parsing import parse_vnd, read_quantity
from matchmaking.places import fold, short_province_name
from matchmaking.taxonomy import UNITS

MAX_LEAD_TIME_DAYS = 730

# Which states each buyer or producer action may start from.
ALLOWED_FROM: dict[str, tuple[QuoteStatus, ...]] = {
    "shortlist": (QuoteStatus.SUBMITTED,),
    "accept": PENDING_QUOTES,
    "decline": PENDING_QUOTES,
    "withdraw": PENDING_QUOTES,
}


def _refused(action: str) -> ValidationFailed:
    messages = {
        "shortlist": _("Only a newly submitted quote can be shortlisted."),
        "accept": _("Only a submitted or shortlisted quote can be accepted."),
        "decline": _("Only a submitted or shortlisted quote can be declined."),
        "withdraw": _("Only a submitted or shortlisted quote can be withdrawn."),
    }
    return ValidationFailed({"status": messages[action]})


@dataclass(frozen=True)
class QuoteInput:
    """A quote's fields after validation; price and quantity are in `unit` (empty: the demand's)."""

    price_vnd: int
    quantity: Decimal
    lead_time_days: int
    message: str
    product_id: int | None
    unit: str = ""


def validate_quote(data: Mapping[str, Any]) -> QuoteInput:
    """Check a quote's fields; ValidationFailed names every wrong one."""
    errors: dict[str, str] = {}
    price = parse_vnd(data.get("price_vnd"))
    if price is None or price <= 0:
        errors["price_vnd"] = _("Enter the price as a whole number of đồng, above zero.")
    quantity = read_quantity(data.get("quantity"), errors)
    unit = str(data.get("unit") or "").strip()
    if unit and unit not in UNITS:
        errors["unit"] = _("Choose a unit from the list.")
    lead_time = parse_whole(data.get("lead_time_days"))
    if lead_time is None or not 0 <= lead_time <= MAX_LEAD_TIME_DAYS:
        errors["lead_time_days"] = _("Enter the lead time in days (0 to 730).")
    message = str(data.get("message") or "").strip()
    if len(message) > 3000:
        errors["message"] = _("The message is too long (3,000 characters at most).")
    raw_product = data.get("product_id")
    product_id = parse_whole(raw_product) if raw_product not in (None, "") else None
    if raw_product not in (None, "") and product_id is None:
        errors["product_id"] = _("Choose one of your products.")
    if errors:
        raise ValidationFailed(errors)
    assert price is not None and quantity is not None and lead_time is not None
    return QuoteInput(price, quantity, lead_time, message, product_id, unit)


async def submit_quote(
    actor: Account | None, demand_id: int, data: Mapping[str, Any], *, today: date,
    public_url: str = "",
) -> Quote:
    """A producer's offer on an open demand; one quote in play per producer and demand.
    Side effects: the buyer's inbox and email."""
    producer = await own_producer(actor)
    await get_demand_for(actor, demand_id)
    values = validate_quote(data)
    product = None
    if values.product_id is not None:
        product = await Product.get_or_none(id=values.product_id, producer=producer)
        if product is None or product.status == ProductStatus.ARCHIVED:
            raise ValidationFailed({"product_id": _("Choose one of your products.")})
    async with in_transaction():
        demand = await Demand.filter(id=demand_id).select_for_update().first()
        assert demand is not None
        unit = values.unit or demand.unit
        net = units.net_of(product.net_quantity, product.net_unit) if product else None
        if quote_factor(unit, demand.unit, product.unit if product else None, net) is None:
            raise ValidationFailed({"unit": _(
                "%(unit)s does not convert to the demand's unit (%(demand_unit)s): quote in "
                "%(demand_unit)s, or choose your product sold by %(unit)s with its net content "
                "declared.") % {"unit": unit, "demand_unit": demand.unit}})
        if demand.status != DemandStatus.OPEN:
            raise not_open_error(demand)
        if demand.valid_until < today:
            raise ValidationFailed({"status": _("This demand has expired.")})
        if await Quote.filter(demand=demand, producer=producer, status__in=ACTIVE_QUOTES).exists():
            raise ValidationFailed({"demand": _(
                "You already have a quote on this demand; withdraw it to send a new one.")})
        quote = await Quote.create(
            demand=demand, producer=producer, product=product, price_vnd=values.price_vnd,
            quantity=values.quantity, unit=unit, lead_time_days=values.lead_time_days,
            message=values.message)
        buyer = await Buyer.get(id=demand.buyer_id).select_related("owner")
        owner = account_of(buyer.owner)
        if owner is not None:
            with speaking(owner.language):
                await notify(
                    owner, kind="quote.submitted", public_url=public_url,
                    link=f"/buyer/demands/{demand.id}#quotes",
                    title=_("New quote for: {title}").format(title=demand.title),
                    body=_("{producer} offers {quantity} {unit} at {price} per {unit}, "
                           "ready in {days} days.").format(
                        producer=producer.name, quantity=format_number(quote.quantity), unit=unit,
                        price=format_vnd(quote.price_vnd), days=quote.lead_time_days))
    return quote


async def _buyer_quote(actor: Account | None, quote_id: int) -> tuple[Quote, Demand]:
    """A quote on one of the actor's demands, both rows locked; call inside a transaction."""
    buyer = await own_buyer(actor)
    quote = await Quote.filter(id=quote_id, demand__buyer=buyer).select_for_update().first()
    if quote is None:
        raise NotFound("quote")
    demand = await Demand.filter(id=quote.demand_id).select_for_update().first()
    assert demand is not None
    demand.buyer = buyer
    return quote, demand


async def _tell_producer(quote: Quote, demand: Demand, kind: str, public_url: str) -> None:
    producer = await Producer.get(id=quote.producer_id).select_related("owner")
    owner = account_of(producer.owner)
    if owner is None:
        return
    buyer = demand.buyer
    with speaking(owner.language):
        titles = {
            "quote.shortlisted": _("Your quote is shortlisted: {title}"),
            "quote.accepted": _("Your quote is accepted: {title}"),
            "quote.declined": _("Your quote was declined: {title}"),
        }
        bodies = {
            "quote.shortlisted": _("{buyer} has shortlisted your offer."),
            "quote.accepted": _("{buyer} accepted your offer of {quantity} {unit} at {price} "
                                "per {unit}. Contact: {contact} {phone} {email}"),
            "quote.declined": _("{buyer} declined your offer."),
        }
        await notify(
            owner, kind=kind, public_url=public_url, link=f"/demands/{demand.id}",
            title=titles[kind].format(title=demand.title),
            body=bodies[kind].format(
                buyer=buyer.name, quantity=format_number(quote.quantity),
                unit=quote.unit or demand.unit,
                price=format_vnd(quote.price_vnd), contact=buyer.contact_name,
                phone=buyer.phone, email=buyer.email or "").strip())


async def _decide(actor: Account | None, quote_id: int, action: str, public_url: str) -> Quote:
    async with in_transaction():
        quote, demand = await _buyer_quote(actor, quote_id)
        if quote.status not in ALLOWED_FROM[action]:
            raise _refused(action)
        if action != "decline" and demand.status != DemandStatus.OPEN:
            raise not_open_error(demand)
        target = {"shortlist": QuoteStatus.SHORTLISTED, "accept": QuoteStatus.ACCEPTED,
                  "decline": QuoteStatus.DECLINED}[action]
        quote.status = target
        await quote.save(update_fields=["status", "updated_at"])
        await _tell_producer(quote, demand, f"quote.{target.value}", public_url)
        if action == "accept":
            covered = await accepted_quantity(demand)
            if covered >= demand.quantity:
                demand.status = DemandStatus.FULFILLED
                await demand.save(update_fields=["status", "updated_at"])
                await decline_pending_quotes(demand, public_url=public_url)
            await audit.record(
                "quote.accept", actor=actor, target_type="quote", target_id=quote.id,
                detail={"demand_id": demand.id, "price_vnd": quote.price_vnd,
                        "quantity": float(quote.quantity), "unit": quote.unit or demand.unit,
                        "covered": float(covered),
                        "fulfilled": demand.status == DemandStatus.FULFILLED})
    return quote


async def demand_id_of(quote_id: int) -> int:
    """The id of the demand a quote answers."""
    return (await Quote.get(id=quote_id)).demand_id


async def shortlist_quote(actor: Account | None, quote_id: int, *, public_url: str = "") -> Quote:
    """The buyer shortlists a submitted quote on an open demand; the producer is told."""
    return await _decide(actor, quote_id, "shortlist", public_url)


async def accept_quote(actor: Account | None, quote_id: int, *, public_url: str = "") -> Quote:
    """The buyer accepts a quote. Side effects: producer told, audit entry; when the accepted
    quotes cover the quantity the demand is fulfilled and the other pending quotes declined."""
    return await _decide(actor, quote_id, "accept", public_url)


async def decline_quote(actor: Account | None, quote_id: int, *, public_url: str = "") -> Quote:
    """The buyer declines a submitted or shortlisted quote; the producer is told."""
    return await _decide(actor, quote_id, "decline", public_url)


async def withdraw_quote(actor: Account | None, quote_id: int, *, public_url: str = "") -> Quote:
    """The producer takes back its submitted or shortlisted quote; the buyer is told."""
    producer = await own_producer(actor)
    async with in_transaction():
        quote = await Quote.filter(id=quote_id, producer=producer).select_for_update().first()
        if quote is None:
            raise NotFound("quote")
        if quote.status not in ALLOWED_FROM["withdraw"]:
            raise _refused("withdraw")
        quote.status = QuoteStatus.WITHDRAWN
        await quote.save(update_fields=["status", "updated_at"])
        demand = await Demand.get(id=quote.demand_id).select_related("buyer__owner")
        owner = account_of(demand.buyer.owner)
        if owner is not None:
            with speaking(owner.language):
                await notify(
                    owner, kind="quote.withdrawn", public_url=public_url,
                    link=f"/buyer/demands/{demand.id}#quotes",
                    title=_("A quote was withdrawn: {title}").format(title=demand.title),
                    body=_("{producer} withdrew its quote.").format(producer=producer.name))
    return quote


async def quotes_for(actor: Account | None, demand_id: int) -> list[Quote]:
    """A demand's quotes: all of them for its buyer (and admins), only its own for a producer;
    whoever may not see the demand gets NotFound."""
    demand = await get_demand_for(actor, demand_id)
    query = Quote.filter(demand=demand).select_related("producer", "product")
    if actor is not None and actor.role == Role.PRODUCER:
        query = query.filter(producer__owner=actor)
    return await query.order_by("price_vnd", "id")


async def producer_quotes(actor: Account | None) -> list[Quote]:
    """The actor's quotes, newest first, with their demands."""
    producer = await own_producer(actor)
    return await Quote.filter(producer=producer).select_related(
        "demand", "product").order_by("-created_at", "-id")


@dataclass(frozen=True)
class QuoteRow:
    """One column of the buyer's comparison: the quote in the producer's unit, the same in the
    demand's units, and what it is judged by."""

    quote: Quote
    stars: int | None
    province: str
    unit: str  # the producer's unit: price per it, quantity in it
    price_in_target_unit: float | None  # per the unit of the demand's target price
    quantity_in_demand_unit: float | None
    above_target: bool
    over_quantity: bool  # offers more than the demand asks
    total_vnd: int

    @property
    def converted(self) -> bool:
        """Whether the quote's unit differs from the demand's, so both are worth showing."""
        demand = self.quote.demand
        assert isinstance(demand, Demand)
        return self.unit != demand.unit or self.unit != (demand.price_unit or demand.unit)


STATUS_ORDER = {QuoteStatus.ACCEPTED: 0, QuoteStatus.SHORTLISTED: 1, QuoteStatus.SUBMITTED: 2,
                QuoteStatus.DECLINED: 3, QuoteStatus.WITHDRAWN: 4}


async def compare_quotes(actor: Account | None, demand_id: int) -> list[QuoteRow]:
    """The buyer's comparison of its demand's quotes: in play first, then cheapest first.
    Stars are the quoted product's, or the producer's best published product's."""
    return await _compare(await own_demand(actor, demand_id))


def quote_row(quote: Quote, demand: Demand, stars: int | None, province: str) -> QuoteRow:
    """A quote judged in the demand's units: its price against the target, its quantity against
    the quantity asked."""
    product = quote.product if isinstance(quote.product, Product) else None
    unit = quote.unit or demand.unit
    net = units.net_of(product.net_quantity, product.net_unit) if product else None
    net = net if product is not None and product.unit == unit else None
    target_unit = demand.price_unit or demand.unit
    price = units.price_in(quote.price_vnd, unit, target_unit, net=net)
    ratio = quote_factor(unit, demand.unit, product.unit if product else None, net)
    quantity = float(quote.quantity) * ratio if ratio is not None else None
    quote.demand = demand
    return QuoteRow(
        quote=quote, stars=stars, province=province, unit=unit, price_in_target_unit=price,
        quantity_in_demand_unit=quantity,
        above_target=demand.max_price_vnd is not None and price is not None
        and price > demand.max_price_vnd + 0.5,
        over_quantity=quantity is not None and quantity > float(demand.quantity) + 1e-9,
        total_vnd=round(quote.price_vnd * quote.quantity),
    )


async def _compare(demand: Demand) -> list[QuoteRow]:
    quotes = await Quote.filter(demand=demand).select_related("producer", "product")
    producer_ids = list({q.producer_id for q in quotes})
    best = {
        int(row["producer_id"]): row["best"]
        for row in await Product.filter(
            producer_id__in=producer_ids, status=ProductStatus.PUBLISHED,
        ).annotate(best=Max("stars")).group_by("producer_id").values("producer_id", "best")
    }
    rows = []
    for q in quotes:
        product, producer = q.product, q.producer
        assert isinstance(producer, Producer)
        stars = product.stars if isinstance(product, Product) and product.stars else None
        rows.append(quote_row(q, demand, stars or best.get(producer.id),
                              short_province_name(producer.province_code)))
    return sorted(rows, key=lambda r: (STATUS_ORDER[QuoteStatus(r.quote.status)],
                                       r.price_in_target_unit or r.quote.price_vnd, r.quote.id))


@dataclass(frozen=True)
class DemandOverview:
    """What the buyer sees of its demand: the matching job's proposals and the quotes."""

    demand: Demand
    matches: list[Match]
    shares: list[SourcingShare]
    sourcing: SourcingView  # covered and shortfall: the sums of `shares`
    quotes: list[QuoteRow]
    accepted: Decimal
    fair_deals: list[FairDeal]
    similar: list[str]  # sub-groups to try when nothing matches


async def demand_overview(actor: Account | None, demand_id: int, *, matches: int = 20) -> DemandOverview:
    """The buyer's page of one demand: ranked matches, consortium shares and the shortfall
    they leave, and the quotes to compare."""
    demand = await own_demand(actor, demand_id)
    ranked = await Match.filter(demand=demand).select_related("product", "producer").order_by(
        "rank", "-score").limit(matches)
    shares = await SourcingShare.filter(demand=demand).select_related(
        "product__producer").order_by("-quantity", "product_id")
    return DemandOverview(
        demand=demand, matches=list(ranked), shares=list(shares),
        sourcing=await demand_sourcing(demand), quotes=await _compare(demand),
        accepted=await accepted_quantity(demand), fair_deals=await fair_deals(demand),
        similar=[] if ranked else await similar_subgroups(demand))


async def similar_subgroups(demand: Demand, limit: int = 3) -> list[str]:
    """Sub-groups whose published products' names start with a product word of the demand's
    title, or have it second ("Mắm tôm" for "tôm hùm"): groups to try when nothing matches it.
    A word further on says how the product is made or graded ("Chè … tôm nõn"), not what it is."""
    counts: dict[str, int] = {}
    for word in understand(demand.title).words[:4]:
        if len(word) < 3:
            continue
        rows = await Product.filter(status=ProductStatus.PUBLISHED, name__icontains=word).limit(
            500).values_list("name", "subgroup")
        for name, subgroup in rows:
            if fold(word) in fold(str(name)).split()[:2]:
                counts[str(subgroup)] = counts.get(str(subgroup), 0) + 1
    return sorted(counts, key=lambda code: (-counts[code], code))[:limit]
