"""Typed meeting-scheduling instance and its validating parser (format: specs/meeting-scheduling.md)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matchmaking.errors import InvalidInstance


@dataclass(frozen=True, slots=True)
class Participant:
    """A buyer or exhibitor: slots it cannot attend and its optional meeting limit."""

    id: str
    unavailable: frozenset[int]
    max_meetings: int | None


@dataclass(frozen=True, slots=True)
class MeetingRequest:
    """A requested one-to-one meeting between participants `a` and `b` (indexes into participants)."""

    id: str
    a: int
    b: int
    weight: float


@dataclass(frozen=True, slots=True)
class MeetingInstance:
    """A validated scheduling instance; participants and requests keep their input order."""

    slots: tuple[str, ...]
    tables: int
    participants: tuple[Participant, ...]
    requests: tuple[MeetingRequest, ...]

    def available_slots(self, p: int) -> list[int]:
        """Slot indexes participant `p` can attend, in order."""
        off = self.participants[p].unavailable
        return [s for s in range(len(self.slots)) if s not in off]

    def capacity(self, p: int) -> int:
        """Most meetings participant `p` can hold: its limit, capped by its available slots."""
        free = len(self.slots) - len(self.participants[p].unavailable)
        limit = self.participants[p].max_meetings
        return free if limit is None else min(free, limit)


def _get(obj: Mapping[str, Any], key: str, path: str) -> Any:
    if key not in obj:
        raise InvalidInstance(f"{path}.{key}" if path else key, "is required")
    return obj[key]


def _mapping(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidInstance(path, "must be an object")
    return value


def _list(value: Any, path: str) -> Sequence[Any]:
    # A string is a Sequence too, but never what the format means.
    if not isinstance(value, list | tuple):
        raise InvalidInstance(path, "must be a list")
    return value


def _int(value: Any, path: str, minimum: int) -> int:
    # bool is an int subclass; `true` for a count is a mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInstance(path, "must be an integer")
    if value < minimum:
        raise InvalidInstance(path, f"must be at least {minimum}")
    return value


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidInstance(path, "must be a non-empty string")
    return value


def _weight(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInstance(path, "must be a number")
    weight = float(value)
    if not math.isfinite(weight) or weight < 0:
        raise InvalidInstance(path, "must be a finite number >= 0")
    return weight


def _parse_slots(data: Mapping[str, Any]) -> tuple[str, ...]:
    raw = _list(_get(data, "slots", ""), "slots")
    if not raw:
        raise InvalidInstance("slots", "must list at least one slot")
    seen: set[str] = set()
    for i, label in enumerate(raw):
        text = _text(label, f"slots[{i}]")
        if text in seen:
            raise InvalidInstance(f"slots[{i}]", f"duplicate slot {text!r}")
        seen.add(text)
    return tuple(raw)


def _parse_participant(raw: Any, path: str, n_slots: int) -> Participant:
    obj = _mapping(raw, path)
    pid = _text(_get(obj, "id", path), f"{path}.id")
    off: set[int] = set()
    for j, s in enumerate(_list(obj.get("unavailable", []), f"{path}.unavailable")):
        idx = _int(s, f"{path}.unavailable[{j}]", 0)
        if idx >= n_slots:
            raise InvalidInstance(f"{path}.unavailable[{j}]", f"slot {idx} out of range 0..{n_slots - 1}")
        off.add(idx)
    limit = obj.get("max_meetings")
    max_meetings = None if limit is None else _int(limit, f"{path}.max_meetings", 0)
    return Participant(pid, frozenset(off), max_meetings)


def _parse_request(raw: Any, path: str, index: Mapping[str, int]) -> MeetingRequest:
    obj = _mapping(raw, path)
    rid = _text(_get(obj, "id", path), f"{path}.id")
    ends: list[int] = []
    for key in ("a", "b"):
        pid = _text(_get(obj, key, path), f"{path}.{key}")
        if pid not in index:
            raise InvalidInstance(f"{path}.{key}", f"unknown participant {pid!r}")
        ends.append(index[pid])
    if ends[0] == ends[1]:
        raise InvalidInstance(f"{path}.b", "a participant cannot meet itself")
    weight = _weight(_get(obj, "weight", path), f"{path}.weight")
    return MeetingRequest(rid, ends[0], ends[1], weight)


def parse_meeting_instance(data: Mapping[str, Any]) -> MeetingInstance:
    """Validate a JSON instance; raise InvalidInstance naming the first offending field."""
    data = _mapping(data, "instance")
    slots = _parse_slots(data)
    tables = _int(_get(data, "tables", ""), "tables", 1)
    participants: list[Participant] = []
    index: dict[str, int] = {}
    for i, raw in enumerate(_list(_get(data, "participants", ""), "participants")):
        person = _parse_participant(raw, f"participants[{i}]", len(slots))
        if person.id in index:
            raise InvalidInstance(f"participants[{i}].id", f"duplicate participant {person.id!r}")
        index[person.id] = i
        participants.append(person)
    requests: list[MeetingRequest] = []
    seen: set[str] = set()
    for i, raw in enumerate(_list(_get(data, "requests", ""), "requests")):
        req = _parse_request(raw, f"requests[{i}]", index)
        if req.id in seen:
            raise InvalidInstance(f"requests[{i}].id", f"duplicate request {req.id!r}")
        seen.add(req.id)
        requests.append(req)
    return MeetingInstance(slots, tables, tuple(participants), tuple(requests))
