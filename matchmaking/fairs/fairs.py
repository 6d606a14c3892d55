"""Fair verbs: an organiser creates, edits and opens its fair; who may see which fair.

Halls and booths are in fairs_layout, applications in fairs_applications, the allocation in
fairs_allocation and fairs_adjust, the floor plan and reports in fairs_plan and fairs_stats.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypedDict

from config.i18n import gettext as _
from matchmaking import audit
from matchmaking.clock import VIETNAM
from matchmaking.enums import FairStatus, ProductGroup, Role
from matchmaking.errors import NotFound, ValidationFailed
from matchmaking.models import Account, Fair
from matchmaking.parsing import parse_day, parse_moment
from matchmaking.permissions import require_role
from matchmaking.places import is_province, resolve_province

GROUPS = tuple(g.value for g in ProductGroup)




def _percent(value: object) -> float | None:
    """A share typed as a percentage ('25', '25%', '12.5'): the fraction, or None if not one."""
    text = str(value).strip().rstrip("%").strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number / 100 if 0 <= number <= 100 else None


def _as_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return []


def _flag(value: object) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "on", "yes")


class FairInput(TypedDict):
    """A fair's fields after validation (shares as fractions of 1)."""

    name: str
    venue: str
    province_code: int
    starts_on: date
    ends_on: date
    applications_open: datetime
    applications_close: datetime
    booth_fee_vnd: int
    min_stars: int
    certified_only: bool
    groups_admitted: list[str]
    province_cap: float | None
    first_timer_share: float
    buyers_auto_approved: bool
    support_share: float | None
    support_amount_vnd: int | None
    support_budget_vnd: int | None


def validate_fair(data: Mapping[str, Any]) -> FairInput:
    """A fair's fields, checked; ValidationFailed names every wrong field.

    `province_cap` and `first_timer_share` are percentages; `groups_admitted` empty means all six.
    """
    errors: dict[str, str] = {}
    text = {k: str(v).strip() if v is not None else "" for k, v in data.items()}
    name, venue = text.get("name", ""), text.get("venue", "")
    if not name or len(name) > 200:
        errors["name"] = _("Enter the fair's name (200 characters at most).")
    if not venue or len(venue) > 200:
        errors["venue"] = _("Enter the venue (200 characters at most).")
    province_text = text.get("province_code", "")
    province = int(province_text) if province_text.isdigit() else resolve_province(province_text)
    if province is None or not is_province(province):
        errors["province_code"] = _("Choose a province.")
    starts, ends = parse_day(data.get("starts_on")), parse_day(data.get("ends_on"))
    if starts is None:
        errors["starts_on"] = _("Enter a date as dd/mm/yyyy.")
    if ends is None:
        errors["ends_on"] = _("Enter a date as dd/mm/yyyy.")
    elif starts is not None and ends < starts:
        errors["ends_on"] = _("The fair cannot end before it starts.")
    opens = parse_moment(data.get("applications_open"))
    closes = parse_moment(data.get("applications_close"))
    if opens is None:
        errors["applications_open"] = _("Enter a date and time.")
    if closes is None:
        errors["applications_close"] = _("Enter a date and time.")
    elif opens is not None and closes <= opens:
        errors["applications_close"] = _("Applications must close after they open.")
    elif starts is not None and closes.astimezone(VIETNAM).date() > starts:
        errors["applications_close"] = _("Applications must close by the first day of the fair.")
    from matchmaking.fairs.grid import parse_price

    fee = parse_price(data.get("booth_fee_vnd"))
    if fee is None or fee < 0:
        errors["booth_fee_vnd"] = _("Enter the fee as a whole number of đồng.")
    min_stars_text = text.get("min_stars") or "3"
    if min_stars_text not in ("3", "4", "5"):
        errors["min_stars"] = _("The minimum rating is 3, 4 or 5 stars.")
    groups = _as_list(data.get("groups_admitted"))
    if any(g not in GROUPS for g in groups):
        errors["groups_admitted"] = _("Choose among the six OCOP product groups.")
    cap = None
    if text.get("province_cap"):
        cap = _percent(text["province_cap"])
        if cap is None or cap == 0:
            errors["province_cap"] = _("Enter a percentage above 0 and up to 100, or leave it empty.")
    share = _percent(text.get("first_timer_share") or "0")
    if share is None:
        errors["first_timer_share"] = _("Enter a percentage from 0 to 100.")
    support = _support(text, errors)
    if errors:
        raise ValidationFailed(errors)
    assert province is not None and starts is not None and ends is not None
    assert opens is not None and closes is not None and fee is not None and share is not None
    return {
        "name": name, "venue": venue, "province_code": province, "starts_on": starts,
        "ends_on": ends, "applications_open": opens, "applications_close": closes,
        "booth_fee_vnd": fee, "min_stars": int(min_stars_text),
        "certified_only": _flag(data.get("certified_only", False)),
        "groups_admitted": sorted(set(groups), key=GROUPS.index), "province_cap": cap,
        "first_timer_share": share,
        "buyers_auto_approved": _flag(data.get("buyers_auto_approved", False)),
        "support_share": support.share, "support_amount_vnd": support.amount,
        "support_budget_vnd": support.budget,
    }


@dataclass(frozen=True)
class Support:
    """The support policy: a share of the fee (fraction of 1) or an amount, and a budget."""

    share: float | None
    amount: int | None
    budget: int | None


def _support(text: Mapping[str, str], errors: dict[str, str]) -> Support:
    """The support policy's fields from the form: share in percent, amount and budget in đồng."""
    from matchmaking.fairs.grid import parse_price

    share = _percent(text["support_share"]) if text.get("support_share") else None
    if text.get("support_share") and not share:
        errors["support_share"] = _("Enter a percentage above 0 and up to 100, or leave it empty.")
    money: dict[str, int | None] = {}
    for name in ("support_amount_vnd", "support_budget_vnd"):
        money[name] = parse_price(text[name]) if text.get(name) else None
        if text.get(name) and (money[name] is None or (money[name] or 0) < 0):
            errors[name] = _("Enter a whole number of đồng, or leave it empty.")
    if share and money["support_amount_vnd"]:
        errors["support_amount_vnd"] = _("Give either a share or an amount, not both.")
    return Support(share, money["support_amount_vnd"], money["support_budget_vnd"])


def is_owner(actor: Account | None, fair: Fair) -> bool:
    """Whether `actor` organises `fair`: admins organise every fair, organisers their own."""
    if actor is None:
        return False
    return actor.role == Role.ADMIN or (
        actor.role == Role.ORGANISER and fair.organiser_id == actor.id
    )


def owned_by(account: Account, via: str = "") -> dict[str, int]:
    """`is_owner` as filter arguments for the fairs (reached through `via`, "fair__" from a
    session) that `account` organises: none narrows an admin's, nothing matches a non-organiser."""
    if account.role == Role.ADMIN:
        return {}
    return {f"{via}organiser_id": account.id if account.role == Role.ORGANISER else 0}


async def own_fair(actor: Account | None, fair_id: int) -> Fair:
    """A fair the actor organises; another organiser's fair is NotFound."""
    account = require_role(actor, Role.ORGANISER)
    fair = await Fair.get_or_none(id=fair_id)
    if fair is None or not is_owner(account, fair):
        raise NotFound("fair")
    return fair


async def visible_fair(actor: Account | None, fair_id: int) -> Fair:
    """A fair the actor may see: any fair that is no longer a draft, or its own."""
    fair = await Fair.get_or_none(id=fair_id)
    if fair is None or (fair.status == FairStatus.DRAFT and not is_owner(actor, fair)):
        raise NotFound("fair")
    return fair


async def list_fairs(*, today: date) -> list[Fair]:
    """Fairs open to the public, the coming ones first, then the past ones."""
    fairs = await Fair.exclude(status=FairStatus.DRAFT).order_by("starts_on")
    coming = [f for f in fairs if f.ends_on >= today]
    past = [f for f in fairs if f.ends_on < today]
    return coming + past[::-1]


async def organiser_fairs(actor: Account | None) -> list[Fair]:
    account = require_role(actor, Role.ORGANISER)
    return await Fair.filter(**owned_by(account)).order_by("-starts_on")


async def create_fair(actor: Account | None, data: Mapping[str, Any]) -> Fair:
    """A new draft fair organised by the actor. Side effects: audit entry."""
    account = require_role(actor, Role.ORGANISER)
    values = validate_fair(data)
    fair = await Fair.create(organiser=account, **values)
    await audit.record("fair.create", actor=account, target_type="fair", target_id=fair.id)
    return fair


async def update_fair(actor: Account | None, fair_id: int, data: Mapping[str, Any]) -> Fair:
    """Change a fair's details and policy; applications already in are not re-checked."""
    fair = await own_fair(actor, fair_id)
    await fair.update_from_dict(dict(validate_fair(data))).save()
    return fair


async def open_fair(actor: Account | None, fair_id: int) -> Fair:
    """Publish a draft fair: it becomes public and takes applications within its window."""
    fair = await own_fair(actor, fair_id)
    if fair.status != FairStatus.DRAFT:
        return fair
    from matchmaking.models import Booth

    if not await Booth.filter(fair=fair).exists():
        raise ValidationFailed({"booths": _("Lay out at least one hall of booths first.")})
    fair.status = FairStatus.OPEN
    await fair.save(update_fields=["status"])
    await audit.record("fair.open", actor=actor, target_type="fair", target_id=fair.id)
    return fair


@dataclass(frozen=True)
class Window:
    """Where a fair's application window stands at a moment."""

    open: bool
    not_yet: bool
    closed: bool


def window(fair: Fair, now: datetime) -> Window:
    opens, closes = fair.applications_open, fair.applications_close
    accepting = fair.status == FairStatus.OPEN and opens <= now < closes
    return Window(open=accepting, not_yet=now < opens, closed=now >= closes)


