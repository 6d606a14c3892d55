"""Booth applications: a producer applies with the products it will show, or withdraws."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from matchmaking.catalogue.certification import is_certified
from matchmaking.catalogue.products import own_producer
from matchmaking.enums import ApplicationStatus, ProductStatus, Verification
from matchmaking.errors import NotFound, ValidationFailed
from matchmaking.fairs.fairs import visible_fair, window
from matchmaking.fairs.policy import zones_for
from matchmaking.models import Account, Booth, BoothApplication, Fair, Producer, Product

MAX_PREFERENCES = 6
MAX_PRODUCTS = 20




def product_problem(fair: Fair, product: Product) -> str | None:
    """Why `product` may not be shown at `fair`, or None when it may.

    With `certified_only`, a product needs 3-5 stars, a certificate valid through the fair's
    last day and at least `min_stars`; without it, unrated products are welcome too.
    """
    name = product.name
    if product.status != ProductStatus.PUBLISHED:
        return _("“{name}”: publish it in your catalogue first.").format(name=name)
    if fair.groups_admitted and str(product.group) not in fair.groups_admitted:
        return _("“{name}”: this fair does not admit its product group.").format(name=name)
    if not fair.certified_only:
        return None
    stars, expiry = product.verified_stars, product.verified_expiry
    if product.verification == Verification.PENDING:
        return _("“{name}”: its certificate is waiting for an OCOP officer to verify it.").format(
            name=name)
    if stars is None or stars < 3 or expiry is None:
        return _("“{name}”: this fair admits OCOP-certified products only.").format(name=name)
    if not is_certified(product, fair.ends_on):
        return _("“{name}”: its certificate expires on {day}, before the fair ends.").format(
            name=name, day=expiry.strftime("%d/%m/%Y"))
    if stars < fair.min_stars:
        return _("“{name}” has {stars} stars; this fair admits {minimum} stars or more.").format(
            name=name, stars=stars, minimum=fair.min_stars)
    return None






def edit_preferences(preferences: Sequence[str], zones_of: Mapping[str, str], *, add: str = "",
                     remove: str = "", up: str = "",
                     allowed: Collection[str] | None = None) -> list[str]:
    """The preferred booths after one tap on the plan: `add` one as the last choice, `remove`
    one, or move one `up` a place. `zones_of` maps the fair's booth codes to their zones;
    `allowed`, if given, are the zones the ticked products may use. ValidationFailed (under
    `preferences`) for a booth the fair does not have, one outside `allowed`, or a seventh."""
    chosen = _codes(list(preferences))
    code = (add or remove or up).strip()
    if code not in zones_of:
        raise ValidationFailed({"preferences": _("This fair has no booth {codes}.").format(
            codes=code or "—")})
    if add and code not in chosen:
        if allowed is not None and zones_of[code] not in allowed:
            raise ValidationFailed({"preferences": _(
                "Booths {codes} are in zones your products may not use.").format(codes=code)})
        if len(chosen) >= MAX_PREFERENCES:
            raise ValidationFailed({"preferences": _(
                "You have chosen {n} booths already: remove one to choose another.").format(
                n=MAX_PREFERENCES)})
        chosen.append(code)
    elif remove and code in chosen:
        chosen.remove(code)
    elif up and code in chosen[1:]:
        at = chosen.index(code)
        chosen[at - 1], chosen[at] = chosen[at], chosen[at - 1]
    return chosen


def possible_zones(ticked: Sequence[Product], usable: Sequence[Product]) -> list[str] | None:
    """The zones the plan leaves open: those of the ticked products or, before any is ticked,
    every zone one of the usable products may use (None: no product to go by)."""
    if ticked:
        return zones_for(ticked)
    if not usable:
        return None
    return sorted({zone for product in usable for zone in zones_for([product])})


def _ids(value: object) -> list[int] | None:
    items = value if isinstance(value, list | tuple) else str(value or "").split(",")
    ids = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        if not text.isdigit():
            return None
        ids.append(int(text))
    return list(dict.fromkeys(ids))


def _codes(value: object) -> list[str]:
    items = value if isinstance(value, list | tuple) else str(value or "").split(",")
    return list(dict.fromkeys(str(item).strip() for item in items if str(item).strip()))


async def validate_application(
    fair: Fair, producer: Producer, data: Mapping[str, Any]
) -> tuple[list[Product], int, list[str]]:
    """Products, booths wanted and preferences, checked; ValidationFailed names each problem.

    A refused product's message is under `products[<id>]` (and `products` sums it up).
    """
    errors: dict[str, str] = {}
    ids = _ids(data.get("products"))
    products: list[Product] = []
    if not ids:
        errors["products"] = _("Choose the products you will show.")
    elif len(ids) > MAX_PRODUCTS:
        errors["products"] = _("Choose at most {n} products.").format(n=MAX_PRODUCTS)
    else:
        found = {p.id: p for p in await Product.filter(id__in=ids, producer=producer)}
        for product_id in ids:
            product = found.get(product_id)
            if product is None:
                errors[f"products[{product_id}]"] = _("This is not one of your products.")
                continue
            problem = product_problem(fair, product)
            if problem:
                errors[f"products[{product_id}]"] = problem
            products.append(product)
        if errors:
            errors["products"] = _("Some products cannot be shown at this fair.")
    wanted_text = str(data.get("booths_wanted") or "1").strip()
    wanted = int(wanted_text) if wanted_text.isdigit() else 0
    if not 1 <= wanted <= 4:
        errors["booths_wanted"] = _("Ask for 1 to 4 booths.")
    preferences = _codes(data.get("preferences"))
    if len(preferences) > MAX_PREFERENCES:
        errors["preferences"] = _("Choose at most {n} preferred booths.").format(n=MAX_PREFERENCES)
    elif preferences:
        booths = {b.code: b for b in await Booth.filter(fair=fair, code__in=preferences)}
        unknown = [code for code in preferences if code not in booths]
        allowed = zones_for(products) if products and "products" not in errors else None
        if unknown:
            errors["preferences"] = _("This fair has no booth {codes}.").format(
                codes=", ".join(unknown))
        elif allowed is not None:
            outside = [code for code in preferences if booths[code].zone not in allowed]
            if outside:
                errors["preferences"] = _(
                    "Booths {codes} are in zones your products may not use.").format(
                    codes=", ".join(outside))
    if errors:
        raise ValidationFailed(errors)
    return products, wanted, preferences


async def apply_for_booths(
    actor: Account | None, fair_id: int, data: Mapping[str, Any], *, now: datetime
) -> BoothApplication:
    """Apply (or change the application) while the window is open."""
    producer = await own_producer(actor)
    fair = await visible_fair(actor, fair_id)
    if not window(fair, now).open:
        raise ValidationFailed({"fair": _("This fair is not taking applications now.")})
    products, wanted, preferences = await validate_application(fair, producer, data)
    first_time = not await BoothApplication.filter(
        producer=producer, status=ApplicationStatus.ACCEPTED).exclude(fair=fair).exists()
    values: dict[str, Any] = {"booths_wanted": wanted, "preferences": preferences, "first_time": first_time,
              "status": ApplicationStatus.SUBMITTED, "waitlist_position": None}
    try:
        async with in_transaction():
            application = await BoothApplication.get_or_none(fair=fair, producer=producer)
            if application is None:
                application = await BoothApplication.create(fair=fair, producer=producer, **values)
            else:
                await application.update_from_dict(values).save()
                await application.products.clear()
            await application.products.add(*products)
    except IntegrityError:
        raise ValidationFailed({"fair": _("Your application was sent twice; reload the page.")}) \
            from None
    return application


async def own_application(actor: Account | None, fair_id: int) -> BoothApplication:
    producer = await own_producer(actor)
    application = await BoothApplication.get_or_none(fair_id=fair_id, producer=producer)
    if application is None:
        raise NotFound("application")
    return application




