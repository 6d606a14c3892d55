"""Deterministic generator of realistic B2B meeting-scheduling instances (specs/meeting-scheduling.md)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

# Share of requests by who asked: both sides (3), one asked and the other accepted (2), one side only (1).
_WEIGHT_SHARES = ((3, 0.2), (2, 0.35), (1, 0.45))


def slot_labels(n_slots: int, *, day: str = "2026-06-12") -> list[str]:
    """20-minute slots from 08:30, half in the morning and half after a lunch break at 13:30."""
    morning = (n_slots + 1) // 2
    start = datetime.fromisoformat(f"{day}T08:30")
    labels = []
    for i in range(n_slots):
        offset = timedelta(minutes=20 * i) if i < morning else timedelta(hours=5, minutes=20 * (i - morning))
        labels.append((start + offset).strftime("%Y-%m-%dT%H:%M"))
    return labels


def _unavailable(rng: random.Random, n_slots: int, away: float) -> list[int]:
    """A late arrival, an early departure or a block away from the table, for about `away` of people."""
    roll = rng.random() / away * 0.34
    if roll < 0.12:
        return list(range(rng.randint(1, 3)))
    if roll < 0.22:
        return list(range(n_slots - rng.randint(1, 3), n_slots))
    if roll < 0.34:
        first = rng.randrange(n_slots - 2)
        return list(range(first, first + rng.randint(1, 2)))
    return []


def generate_meeting_instance(
    *,
    n_requests: int = 3000,
    n_participants: int = 320,
    n_slots: int = 16,
    tables: int = 60,
    buyer_share: float = 0.45,
    peer_share: float = 0.0,
    away: float = 0.34,
    seed: int = 0,
) -> dict[str, Any]:
    """Buyers and exhibitors with Zipf-like popularity, some away for a few slots or capped."""
    # Requests join a buyer and an exhibitor, except a `peer_share` between two exhibitors
    # (cooperatives seeking partners); `away` is the share of people missing some slots.
    rng = random.Random(seed)
    n_buyers = max(1, round(n_participants * buyer_share))
    n_exhibitors = max(1, n_participants - n_buyers)
    if n_requests > n_buyers * n_exhibitors:
        raise ValueError("more requests than buyer-exhibitor pairs")
    participants: list[dict[str, Any]] = []
    for i in range(n_buyers):
        person: dict[str, Any] = {"id": f"b-{i + 1}", "unavailable": _unavailable(rng, n_slots, away)}
        if rng.random() < 0.3:
            person["max_meetings"] = rng.randint(n_slots // 4, n_slots // 2 + 2)
        participants.append(person)
    for i in range(n_exhibitors):
        participants.append({"id": f"p-{i + 1}", "unavailable": _unavailable(rng, n_slots, away)})
    # Popularity follows a rough Zipf law: a few famous products draw many buyers.
    buyer_pull = [1.0 / (k + 1) ** 0.5 for k in range(n_buyers)]
    stand_pull = [1.0 / (k + 1) ** 0.7 for k in range(n_exhibitors)]
    rng.shuffle(buyer_pull)
    rng.shuffle(stand_pull)
    pairs: set[tuple[int, int]] = set()
    requests: list[dict[str, Any]] = []
    weights = [w for w, _ in _WEIGHT_SHARES]
    shares = [p for _, p in _WEIGHT_SHARES]
    while len(requests) < n_requests:
        stand = rng.choices(range(n_exhibitors), stand_pull)[0]
        if rng.random() < peer_share:
            # Peer meetings make the request graph non-bipartite (odd cycles), a harder colouring.
            peer = rng.choices(range(n_exhibitors), stand_pull)[0]
            key, a, b = (-1 - min(peer, stand), max(peer, stand)), f"p-{peer + 1}", f"p-{stand + 1}"
            if peer == stand or key in pairs:
                continue
        else:
            buyer = rng.choices(range(n_buyers), buyer_pull)[0]
            key, a, b = (buyer, stand), f"b-{buyer + 1}", f"p-{stand + 1}"
            if key in pairs:
                continue
        pairs.add(key)
        if rng.random() < 0.5:
            a, b = b, a
        weight = rng.choices(weights, shares)[0]
        requests.append({"id": f"r-{len(requests) + 1}", "a": a, "b": b, "weight": weight})
    return {
        "slots": slot_labels(n_slots),
        "tables": tables,
        "participants": participants,
        "requests": requests,
    }
