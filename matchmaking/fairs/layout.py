"""Halls and booths of a fair: generated from a grid or imported from a CSV file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from matchmaking import audit
from matchmaking.errors import ValidationFailed
from matchmaking.fairs.fairs import own_fair
from matchmaking.fairs.grid import Layout, generate_grid, parse_booth_csv, validate_grid
from matchmaking.models import Account, Booth, BoothAssignment, Fair, Hall


def _hall_name(data: Mapping[str, Any]) -> str:
    name = str(data.get("hall") or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed({"hall": _("Name the hall (100 characters at most).")})
    return name


async def _replace_hall(fair: Fair, name: str, layout: Layout) -> Hall:
    """Put `layout` in hall `name`, replacing its booths, in one transaction."""
    codes = [b.code for b in layout.booths]
    try:
        async with in_transaction():
            hall = await Hall.get_or_none(fair=fair, name=name)
            if hall is not None and await BoothAssignment.filter(booth__hall=hall).exists():
                raise ValidationFailed({"hall": _(
                    "Booths of this hall are already allocated; cancel those assignments first.")})
            others = Booth.filter(fair=fair, code__in=codes)
            if hall is not None:
                others = others.exclude(hall=hall)
            clash = await others.first()
            if clash is not None:
                raise ValidationFailed({"code_prefix": _(
                    "Booth {code} already exists in another hall; choose a code prefix.").format(
                    code=clash.code)})
            if hall is None:
                hall = await Hall.create(fair=fair, name=name, width=layout.width,
                                         height=layout.height)
            else:
                await Booth.filter(hall=hall).delete()
                hall.width, hall.height = layout.width, layout.height
                await hall.save(update_fields=["width", "height"])
            await Booth.bulk_create([
                Booth(fair=fair, hall=hall, code=b.code, zone=b.zone, kind=b.kind,
                      price_vnd=b.price_vnd, x=b.x, y=b.y, w=b.w, h=b.h)
                for b in layout.booths
            ])
    except IntegrityError:
        raise ValidationFailed({"hall": _("The hall changed meanwhile; try again.")}) from None
    return hall


async def generate_booths(actor: Account | None, fair_id: int, data: Mapping[str, Any]) -> Hall:
    """Lay out hall `data['hall']` from a grid (replacing its booths). Side effects: audit."""
    fair = await own_fair(actor, fair_id)
    name = _hall_name(data)
    layout = generate_grid(validate_grid(data))
    hall = await _replace_hall(fair, name, layout)
    await audit.record("fair.booths.generate", actor=actor, target_type="fair", target_id=fair.id,
                       detail={"hall": name, "booths": len(layout.booths)})
    return hall


async def import_booths(actor: Account | None, fair_id: int, hall: str, text: str) -> Hall:
    """Booths from a CSV file into one hall: all rows or none (ValidationFailed per row)."""
    fair = await own_fair(actor, fair_id)
    name = _hall_name({"hall": hall})
    layout = parse_booth_csv(text)
    result = await _replace_hall(fair, name, layout)
    await audit.record("fair.booths.import", actor=actor, target_type="fair", target_id=fair.id,
                       detail={"hall": name, "booths": len(layout.booths)})
    return result


async def halls_of(fair: Fair) -> list[Hall]:
    return await Hall.filter(fair=fair).order_by("name")


async def booths_of(fair: Fair) -> list[Booth]:
    return await Booth.filter(fair=fair).order_by("hall_id", "y", "x")


async def booth_count(hall: Hall) -> int:
    return await Booth.filter(hall=hall).count()
