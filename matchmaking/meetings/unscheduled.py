"""Why a meeting request was not scheduled, in words for the participant and the organiser.

Read from the session's current run: its instance holds each participant's declared unavailable
slots and meeting limit, its result the meetings placed. The first reason that applies is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from config.i18n import gettext as _
from matchmaking.meetings.schedule import current_run
from matchmaking.meetings.sessions import RequestView, my_requests
from matchmaking.models import Account, AllocationRun, MeetingRequest, MeetingSession

NO_COMMON_SLOT = "no_common_slot"
LIMIT = "limit"
BUSY = "busy"
FULL = "full"


@dataclass(frozen=True)
class Unscheduled:
    """The reason code, and for a limit whose account it is and the limit."""

    code: str
    account_id: int | None = None
    limit: int | None = None

    def words(self, names: Mapping[int, str], me: int | None = None) -> str:
        """The reason in the current language, to `me` (an account id) or the organiser;
        `names` gives the organisations by account id."""
        if self.code == NO_COMMON_SLOT:
            return _("The two sides have no slot that both can attend.")
        if self.code == LIMIT and self.account_id == me:
            return _("You have reached your limit of %(n)s meetings.") % {"n": self.limit}
        if self.code == LIMIT:
            return _("%(name)s has reached its limit of %(n)s meetings.") % {
                "name": names.get(self.account_id or 0, ""), "n": self.limit}
        if self.code == BUSY:
            return _("In every slot both sides can attend, one of them already has another "
                     "meeting.")
        return _("Every table was taken in the slots both sides could attend.")


def _account(key: str) -> int:
    return int(key.removeprefix("a-"))


def unscheduled_reasons(run: AllocationRun | None) -> dict[int, Unscheduled]:
    """request id -> why it was left out of the run's schedule."""
    if run is None:
        return {}
    instance = cast(dict[str, Any], run.instance)
    result = cast(dict[str, Any], run.result)
    slots = len(instance.get("slots", []))
    people = {p["id"]: p for p in instance.get("participants", [])}
    requests = {r["id"]: r for r in instance.get("requests", [])}
    busy: dict[str, set[int]] = {}
    used: dict[int, int] = {}
    for key, place in result.get("schedule", {}).items():
        request = requests.get(key)
        if request is None:
            continue
        for side in (request["a"], request["b"]):
            busy.setdefault(side, set()).add(int(place["slot"]))
        used[int(place["slot"])] = used.get(int(place["slot"]), 0) + 1
    reasons: dict[int, Unscheduled] = {}
    for key in result.get("unscheduled", []):
        request = requests.get(key)
        if request is None:
            continue
        a, b = people.get(request["a"], {}), people.get(request["b"], {})
        blocked = set(a.get("unavailable", [])) | set(b.get("unavailable", []))
        common = [s for s in range(slots) if s not in blocked]
        full = next((p for p in (a, b) if p.get("max_meetings") is not None
                     and len(busy.get(p["id"], set())) >= p["max_meetings"]), None)
        if not common:
            why = Unscheduled(NO_COMMON_SLOT)
        elif full is not None:
            why = Unscheduled(LIMIT, _account(full["id"]), int(full["max_meetings"]))
        elif all(s in busy.get(request["a"], set()) | busy.get(request["b"], set())
                 for s in common):
            why = Unscheduled(BUSY)
        else:
            why = Unscheduled(FULL)
        reasons[int(key.removeprefix("r-"))] = why
    return reasons


async def session_reasons(session: MeetingSession) -> dict[int, Unscheduled]:
    """Why each live request of a session is not scheduled, once a schedule is built.

    The scheduler places one request per pair of participants: the other request of a pair
    that asked each other shares its reason.
    """
    reasons = unscheduled_reasons(await current_run(session))
    if not reasons:
        return {}
    rows = await MeetingRequest.filter(session=session).values_list(
        "id", "requester_id", "recipient_id")
    by_pair: dict[frozenset[int], list[int]] = {}
    for request_id, a, b in rows:
        by_pair.setdefault(frozenset((int(a), int(b))), []).append(int(request_id))
    shared = dict(reasons)
    for ids in by_pair.values():
        found = next((reasons[i] for i in ids if i in reasons), None)
        if found is not None:
            shared.update(dict.fromkeys(ids, found))
    return shared


@dataclass(frozen=True)
class MyRequests:
    """The participant's requests, and for those left out of a schedule the reason in words."""

    views: list[RequestView]
    not_scheduled: dict[int, str]

    @property
    def incoming(self) -> list[RequestView]:
        return [v for v in self.views if v.incoming]

    @property
    def outgoing(self) -> list[RequestView]:
        return [v for v in self.views if not v.incoming]


async def my_requests_explained(actor: Account | None, *, now: datetime) -> MyRequests:
    """The actor's requests (sessions.my_requests) with why each unscheduled one is left out."""
    views = await my_requests(actor, now=now)
    texts: dict[int, str] = {}
    sessions = {v.session.id: v.session for v in views}
    for session in sessions.values():
        reasons = await session_reasons(session)
        if not reasons:
            continue
        names = {v.other.account_id: v.other.name for v in views if v.other is not None}
        me = actor.id if actor is not None else None
        for view in views:
            if view.session.id == session.id and view.request.id in reasons:
                texts[view.request.id] = reasons[view.request.id].words(names, me)
    return MyRequests(views, texts)
