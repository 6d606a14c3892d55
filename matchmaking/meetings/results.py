"""What came of a B2B meeting, as each side records it: no interest, follow-up, MOU or contract,
with its value in đồng, the product and the buyer's demand it answers.

The older per-side outcome (Meeting.outcome_*) is kept in step, so the session's outcome summary
and the fair's dashboard read the same answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from matchmaking import audit
from matchmaking.demands.demands import accepted_quantity
from matchmaking.enums import DemandStatus, MeetingOutcome, ResultKind
from matchmaking.errors import ValidationFailed
from matchmaking.meetings.agenda import AgendaItem, agenda_item
from matchmaking.models import Account, Buyer, Demand, Meeting, MeetingRequest, MeetingResult
from matchmaking.parsing import parse_vnd, parse_whole

LEGACY = {
    ResultKind.NO_INTEREST: MeetingOutcome.NO_INTEREST,
    ResultKind.FOLLOW_UP: MeetingOutcome.COOPERATION_POSSIBLE,
    ResultKind.MOU: MeetingOutcome.DEAL,
    ResultKind.CONTRACT: MeetingOutcome.DEAL,
}
# When the two sides disagree, the meeting counts as the furthest step either reports.
RANK = {ResultKind.NO_INTEREST: 0, ResultKind.FOLLOW_UP: 1, ResultKind.MOU: 2,
        ResultKind.CONTRACT: 3}
PRODUCT_MAX = 200


@dataclass(frozen=True)
class ResultForm:
    """The meeting as the actor sees it, its own result if any, and the buyer's open demands."""

    item: AgendaItem
    mine: MeetingResult | None
    demands: list[Demand]


async def _buyer_demands(meeting: Meeting) -> list[Demand]:
    request = cast(MeetingRequest, meeting.request)
    sides = [request.requester_id, request.recipient_id]
    buyer = await Buyer.filter(owner_id__in=sides).first()
    if buyer is None:
        return []
    return await Demand.filter(buyer=buyer).exclude(status=DemandStatus.EXPIRED).order_by("-id")


async def result_form(actor: Account | None, meeting_id: int, *, now: datetime) -> ResultForm:
    """The actor's meeting (NotFound if not its own or not published) for recording a result."""
    item = await agenda_item(actor, meeting_id, now=now)
    mine = await MeetingResult.get_or_none(meeting_id=meeting_id, account_id=actor.id if actor else 0)
    return ResultForm(item, mine, await _buyer_demands(item.meeting))


def validate_result(data: Mapping[str, Any], demands: list[Demand]) -> dict[str, Any]:
    """kind, value (đồng; required for a contract), product, quantity and demand (one of the
    buyer's own); ValidationFailed names each wrong field."""
    errors: dict[str, str] = {}
    kind_text = str(data.get("kind") or "")
    kind = ResultKind(kind_text) if kind_text in {k.value for k in ResultKind} else None
    if kind is None:
        errors["kind"] = _("Choose what came of the meeting.")
    value_text = str(data.get("value_vnd") or "").strip()
    value = parse_vnd(value_text) if value_text else None
    if value_text and (value is None or value < 0):
        errors["value_vnd"] = _("Enter the value in đồng, e.g. 150.000.000.")
    elif kind == ResultKind.CONTRACT and value is None:
        errors["value_vnd"] = _("Enter the contract's value in đồng.")
    product = str(data.get("product") or "").strip()
    if len(product) > PRODUCT_MAX:
        errors["product"] = _("The product is too long (200 characters at most).")
    quantity_text = str(data.get("quantity") or "").strip()
    quantity = parse_whole(quantity_text, max_digits=9) if quantity_text else None
    if quantity_text and (quantity is None or quantity <= 0):
        errors["quantity"] = _("Enter a whole quantity above 0, or leave it blank.")
    demand_text = str(data.get("demand_id") or "").strip()
    demand = None
    if demand_text:
        wanted = parse_whole(demand_text)
        demand = next((d for d in demands if d.id == wanted), None)
        if demand is None:
            errors["demand_id"] = _("Choose one of the buyer's demands.")
    if errors:
        raise ValidationFailed(errors)
    keeps_money = kind in (ResultKind.MOU, ResultKind.CONTRACT)
    return {"kind": kind, "value_vnd": value if keeps_money else None, "product": product,
            "quantity": quantity if keeps_money else None, "demand": demand}


async def record_result(actor: Account | None, meeting_id: int, data: Mapping[str, Any], *,
                        now: datetime) -> MeetingResult:
    """One side records (or changes) what came of a meeting once it has started.

    Side effects: the side's MeetingResult and its outcome on the meeting, an audit entry; a
    contract that covers the rest of an open demand marks it fulfilled.
    """
    form = await result_form(actor, meeting_id, now=now)
    if not form.item.started:
        raise ValidationFailed({"kind": _(
            "You can record the outcome once the meeting has started.")})
    values = validate_result(data, form.demands)
    account = cast(Account, actor)
    meeting = form.item.meeting
    async with in_transaction():
        if form.mine is not None:
            await form.mine.update_from_dict(values).save()
            result = form.mine
        else:
            result = await MeetingResult.create(meeting=meeting, account=account, **values)
        demand = values["demand"]
        if (demand is not None and values["kind"] == ResultKind.CONTRACT
                and demand.status == DemandStatus.OPEN
                and await accepted_quantity(demand) >= demand.quantity):
            demand.status = DemandStatus.FULFILLED
            await demand.save(update_fields=["status"])
        field = "outcome_requester" if form.item.asked_by_me else "outcome_recipient"
        await Meeting.filter(id=meeting.id).update(**{field: LEGACY[values["kind"]].value})
        await audit.record("meetings.result", actor=account, target_type="meeting",
                           target_id=meeting.id, detail={"kind": str(values["kind"]),
                                                         "value_vnd": values["value_vnd"]})
    return result


def settled(results: list[MeetingResult]) -> MeetingResult | None:
    """The result a meeting counts as: the furthest step either side reports (the larger value
    when both report it)."""
    if not results:
        return None
    return max(results, key=lambda r: (RANK[ResultKind(r.kind)], r.value_vnd or 0))
