"""Catalogue verbs: a producer's profile and products, validated by the OCOP rules.

Every product change writes a search-outbox row in the same transaction, so the index never
misses a write even when Meilisearch is down.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypedDict

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from matchmaking import audit, units
from matchmaking.certificates.verification import claim, verify_claim
from matchmaking.clock import now_utc
from matchmaking.enums import (
    OutboxOp,
    ProducerKind,
    ProductGroup,
    ProductStatus,
    QualityMark,
    Role,
)
from matchmaking.errors import NotFound, ValidationFailed
from matchmaking.models import Account, Producer, Product, SearchOutbox
from matchmaking.parsing import parse_day, parse_vnd, parse_whole, read_quantity
from matchmaking.permissions import require_role
from matchmaking.places import is_province, resolve_province, ward_in_province
from matchmaking.taxonomy import SUBGROUPS, UNITS

CERTIFICATE_MONTHS = 36
TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")
PHONE = re.compile(r"^\+?[\d .-]{8,15}$")


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 -> 28/29 Feb)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _marks(value: object) -> list[str] | None:
    if isinstance(value, str):
        items = [v.strip().lower() for v in re.split(r"[,;]", value) if v.strip()]
    elif isinstance(value, list | tuple):
        items = [str(v).strip().lower() for v in value]
    else:
        items = []
    allowed = {m.value for m in QualityMark}
    return sorted(set(items)) if all(item in allowed for item in items) else None


def _net_content(data: Mapping[str, Any], text: dict[str, str], unit: str,
                 errors: dict[str, str]) -> tuple[Decimal | None, str | None]:
    """A container's declared net content (hộp 500 g), which lets its price and quantities
    convert to kg or lít; only containers have one."""
    if not text.get("net_quantity") and not text.get("net_unit"):
        return None, None
    if unit not in units.CONTAINERS:
        errors["net_quantity"] = _("Only a product sold by the container (hộp, chai, túi, gói) "
                                   "declares a net content.")
        return None, None
    quantity = read_quantity(data.get("net_quantity"), errors, "net_quantity")
    net_unit = units.unit_named(text.get("net_unit", "")) or ""
    if net_unit not in units.MEASURES:
        errors["net_unit"] = _("Give the net content in g, kg, ml or lít.")
        return None, None
    return quantity, net_unit


@dataclass(frozen=True)
class ProductInput:
    """A product's fields after validation."""

    code: str
    name: str
    group: ProductGroup
    subgroup: str
    description: str
    stars: int | None
    certificate_number: str | None
    certificate_authority: str | None
    decision_date: date | None
    certificate_expiry: date | None
    price_vnd: int
    unit: str
    min_order: Decimal
    monthly_capacity: Decimal
    net_quantity: Decimal | None
    net_unit: str | None
    shelf_life_days: int | None
    quality_marks: list[str]

    def fields(self) -> dict[str, Any]:
        return dict(self.__dict__)


def validate_product(data: Mapping[str, Any]) -> ProductInput:
    """Check a product against the OCOP rules; ValidationFailed names every wrong field."""
    errors: dict[str, str] = {}
    text = {k: str(v).strip() if v is not None else "" for k, v in data.items()}
    name = text.get("name", "")
    if not name:
        errors["name"] = _("Enter the product's name.")
    elif len(name) > 200:
        errors["name"] = _("The name is too long (200 characters at most).")
    group_value = text.get("group", "")
    group = ProductGroup(group_value) if group_value in {g.value for g in ProductGroup} else None
    if group is None:
        errors["group"] = _("Choose one of the six OCOP product groups.")
    subgroup = text.get("subgroup", "")
    if group is not None and subgroup not in SUBGROUPS[group]:
        errors["subgroup"] = _("Choose a sub-group of the chosen group.")
    stars = parse_whole(data.get("stars")) if text.get("stars") else None
    if text.get("stars") and stars not in (3, 4, 5):
        errors["stars"] = _("An OCOP rating has 3, 4 or 5 stars.")
    certificate_number = text.get("certificate_number") or None
    decision_date = parse_day(data.get("decision_date")) if text.get("decision_date") else None
    if text.get("decision_date") and decision_date is None:
        errors["decision_date"] = _("Enter a date as dd/mm/yyyy.")
    expiry = parse_day(data.get("certificate_expiry")) if text.get("certificate_expiry") else None
    if text.get("certificate_expiry") and expiry is None:
        errors["certificate_expiry"] = _("Enter a date as dd/mm/yyyy.")
    if stars is not None:
        if not certificate_number:
            errors["certificate_number"] = _("A rated product needs its certificate number.")
        if decision_date is None and "decision_date" not in errors:
            errors["decision_date"] = _("A rated product needs the date of its decision.")
    if decision_date and expiry is None:
        expiry = add_months(decision_date, CERTIFICATE_MONTHS)
    if decision_date and expiry and expiry <= decision_date:
        errors["certificate_expiry"] = _("The expiry must come after the decision date.")
    elif decision_date and expiry and expiry > add_months(decision_date, CERTIFICATE_MONTHS):
        errors["certificate_expiry"] = _(
            "A certificate is valid 36 months at most: until %(day)s."
        ) % {"day": add_months(decision_date, CERTIFICATE_MONTHS).strftime("%d/%m/%Y")}
    price = parse_vnd(data.get("price_vnd"))
    if price is None or price <= 0:
        errors["price_vnd"] = _("Enter the price as a whole number of đồng, above zero.")
    unit = text.get("unit", "")
    if unit not in UNITS:
        errors["unit"] = _("Choose a unit from the list.")
    min_order = read_quantity(data.get("min_order"), errors, "min_order") \
        if text.get("min_order") else Decimal(1)
    capacity = read_quantity(data.get("monthly_capacity"), errors, "monthly_capacity")
    if capacity is not None and min_order is not None and capacity < min_order:
        errors["monthly_capacity"] = _("The monthly capacity must be at least the minimum order.")
    net_quantity, net_unit = _net_content(data, text, unit, errors)
    shelf_life = parse_whole(data.get("shelf_life_days")) if text.get("shelf_life_days") else None
    if text.get("shelf_life_days") and (shelf_life is None or shelf_life < 0):
        errors["shelf_life_days"] = _("Enter the shelf life in days.")
    marks = _marks(data.get("quality_marks", []))
    if marks is None:
        errors["quality_marks"] = _("Unknown quality mark.")
    description = text.get("description", "")
    if len(description) > 5000:
        errors["description"] = _("The description is too long (5,000 characters at most).")
    code = text.get("code", "")[:40]
    if errors:
        raise ValidationFailed(errors)
    assert group is not None and price is not None and capacity is not None
    return ProductInput(
        code=code, name=name, group=group, subgroup=subgroup, description=description,
        stars=stars, certificate_number=certificate_number,
        certificate_authority=text.get("certificate_authority") or None,
        decision_date=decision_date, certificate_expiry=expiry, price_vnd=price, unit=unit,
        min_order=min_order or Decimal(1), monthly_capacity=capacity, net_quantity=net_quantity,
        net_unit=net_unit, shelf_life_days=shelf_life,
        quality_marks=marks or [],
    )


async def enqueue(product_id: int, op: OutboxOp = OutboxOp.UPSERT) -> None:
    await SearchOutbox.create(entity="product", entity_id=product_id, op=op)


async def producer_profile(actor: Account | None) -> Producer | None:
    """The producer profile of a producer account, None until it has one."""
    return await Producer.get_or_none(owner=require_role(actor, Role.PRODUCER))


async def own_producer(actor: Account | None) -> Producer:
    """The producer profile of a producer account; NotFound until it has one."""
    producer = await producer_profile(actor)
    if producer is None:
        raise NotFound("producer profile")
    return producer


async def own_product(actor: Account | None, product_id: int) -> Product:
    """One of the actor's own products; another producer's is NotFound."""
    producer = await own_producer(actor)
    product = await Product.get_or_none(id=product_id, producer=producer)
    if product is None:
        raise NotFound("product")
    product.producer = producer
    return product


async def visible_product(actor: Account | None, product_id: int) -> Product:
    """A published product, or any product to its own producer or an admin; NotFound otherwise."""
    product = await Product.get_or_none(id=product_id).select_related("producer")
    if product is None:
        raise NotFound("product")
    if product.status != ProductStatus.PUBLISHED:
        owner_id = product.producer.owner_id
        if actor is None or (actor.role != Role.ADMIN and owner_id != actor.id):
            raise NotFound("product")
    return product


def check_organisation(
    text: Mapping[str, str], errors: dict[str, str]
) -> tuple[str | None, int | None, str]:
    """Tax code, province (old or new name, or code) and phone of a producer or buyer profile;
    adds a message to `errors` for each that is wrong."""
    tax_code = text.get("tax_code") or None
    if tax_code and not TAX_CODE.match(tax_code):
        errors["tax_code"] = _("A tax code has 10 digits, or 10 digits, a dash and 3 more.")
    province = resolve_province(text.get("province_code", ""))
    if province is None or not is_province(province):
        errors["province_code"] = _("Choose a province.")
        province = None
    phone = text.get("phone", "")
    if phone and not PHONE.match(phone):
        errors["phone"] = _("Enter a phone number of 8 to 15 digits.")
    return tax_code, province, phone


class ProfileInput(TypedDict):
    """A producer profile's fields after validation."""

    name: str
    kind: ProducerKind
    tax_code: str | None
    province_code: int
    ward_code: int | None
    address: str
    contact_name: str
    phone: str
    email: str
    description: str


def validate_profile(data: Mapping[str, Any]) -> ProfileInput:
    """A producer profile's fields; ValidationFailed names every wrong one."""
    errors: dict[str, str] = {}
    text = {k: str(v).strip() if v is not None else "" for k, v in data.items()}
    if not text.get("name"):
        errors["name"] = _("Enter the producer's name.")
    kind = text.get("kind", "")
    if kind not in {k.value for k in ProducerKind}:
        errors["kind"] = _("Choose the kind of producer.")
    tax_code, province, phone = check_organisation(text, errors)
    ward = parse_whole(text.get("ward_code")) if text.get("ward_code") else None
    if ward is not None and province is not None and not ward_in_province(ward, province):
        errors["ward_code"] = _("This ward or commune is not in the chosen province.")
    if errors:
        raise ValidationFailed(errors)
    assert province is not None
    return {
        "name": text["name"][:200], "kind": ProducerKind(kind), "tax_code": tax_code,
        "province_code": province, "ward_code": ward, "address": text.get("address", "")[:300],
        "contact_name": text.get("contact_name", "")[:120], "phone": phone[:20],
        "email": text.get("email", "")[:254], "description": text.get("description", "")[:5000],
    }


async def save_profile(actor: Account | None, data: Mapping[str, Any]) -> Producer:
    """Create or update the actor's producer profile; its products are re-indexed."""
    account = require_role(actor, Role.PRODUCER)
    values = validate_profile(data)
    try:
        async with in_transaction():
            producer = await Producer.get_or_none(owner=account)
            if producer is None:
                producer = await Producer.create(owner=account, **values)
            else:
                await producer.update_from_dict(dict(values)).save()
                ids = await Product.filter(producer=producer).values_list("id", flat=True)
                await SearchOutbox.bulk_create(
                    [SearchOutbox(entity="product", entity_id=i, op=OutboxOp.UPSERT) for i in ids]
                )
    except IntegrityError:
        raise ValidationFailed({"tax_code": _("Another producer uses this tax code.")}) from None
    return producer


async def _unique_code(producer: Producer, wanted: str) -> str:
    if wanted:
        return wanted
    count = await Product.filter(producer=producer).count()
    while await Product.filter(producer=producer, code=f"SP-{count + 1:04d}").exists():
        count += 1
    return f"SP-{count + 1:04d}"


async def create_product(actor: Account | None, data: Mapping[str, Any]) -> Product:
    """Add a product (a draft unless `publish` is set). Side effects: outbox row."""
    producer = await own_producer(actor)
    values = validate_product(data)
    fields = values.fields()
    try:
        async with in_transaction():
            fields["code"] = await _unique_code(producer, values.code)
            product = await Product.create(producer=producer, **fields)
            await enqueue(product.id)
            await verify_claim(product)
    except IntegrityError:
        raise ValidationFailed({"code": _("You already have a product with this code.")}) from None
    return product


async def update_product(actor: Account | None, product_id: int, data: Mapping[str, Any]) -> Product:
    product = await own_product(actor, product_id)
    values = validate_product(data)
    fields = values.fields()
    fields["code"] = values.code or product.code
    try:
        async with in_transaction():
            before = claim(product)
            await product.update_from_dict(fields).save()
            await enqueue(product.id)
            await verify_claim(product, changed_claim=claim(product) != before)
    except IntegrityError:
        raise ValidationFailed({"code": _("You already have a product with this code.")}) from None
    return product


async def set_product_status(
    actor: Account | None, product_id: int, status: ProductStatus, *, now: datetime | None = None
) -> Product:
    """Publish, archive or return a product to draft; archived products leave the index."""
    product = await own_product(actor, product_id)
    async with in_transaction():
        product.status = status
        if status == ProductStatus.PUBLISHED and product.published_at is None:
            product.published_at = now or now_utc()
        await product.save(update_fields=["status", "published_at", "updated_at"])
        await enqueue(product.id)
        if status == ProductStatus.ARCHIVED:
            await audit.record("product.archive", actor=actor, target_type="product",
                               target_id=product.id)
    return product


async def producer_products(producer: Producer, *, include_unpublished: bool) -> list[Product]:
    query = Product.filter(producer=producer).order_by("-updated_at")
    if not include_unpublished:
        query = query.filter(status=ProductStatus.PUBLISHED)
    return await query
