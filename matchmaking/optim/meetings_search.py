"""Greedy slot assignment improved by Kempe-chain insertions and ejection moves."""

from __future__ import annotations

import random
from collections.abc import Sequence

from matchmaking.optim.budget import Budget
from matchmaking.optim.meetings_model import MeetingInstance

_EPS = 1e-9
# Kempe chains longer than this are rarely worth their cost in a timed search.
_MAX_CHAIN = 40
# Rounds over the unscheduled requests without a gain before the search gives up early.
_STALE_ROUNDS = 30


class SlotState:
    """A feasible slot assignment with O(1) conflict checks and an undo journal."""

    def __init__(self, inst: MeetingInstance) -> None:
        self.n_slots = len(inst.slots)
        self.tables = inst.tables
        self.a = [req.a for req in inst.requests]
        self.b = [req.b for req in inst.requests]
        self.w = [req.weight for req in inst.requests]
        n_part = len(inst.participants)
        self.ok = [[s not in person.unavailable for s in range(self.n_slots)] for person in inst.participants]
        self.cap = [inst.capacity(p) for p in range(n_part)]
        self.slot_of = [-1] * len(self.a)
        self.busy = [[-1] * self.n_slots for _ in range(n_part)]
        self.meetings: list[set[int]] = [set() for _ in range(n_part)]
        self.members: list[set[int]] = [set() for _ in range(self.n_slots)]
        self.value = 0.0
        self.journal: list[tuple[int, int]] = []

    def _set(self, r: int, s: int) -> None:
        old = self.slot_of[r]
        a, b = self.a[r], self.b[r]
        if old >= 0:
            self.busy[a][old] = self.busy[b][old] = -1
            self.members[old].discard(r)
            self.meetings[a].discard(r)
            self.meetings[b].discard(r)
            self.value -= self.w[r]
        if s >= 0:
            self.busy[a][s] = self.busy[b][s] = r
            self.members[s].add(r)
            self.meetings[a].add(r)
            self.meetings[b].add(r)
            self.value += self.w[r]
        self.slot_of[r] = s

    def move(self, r: int, s: int) -> None:
        """Put request `r` in slot `s` (-1: unschedule), recording the change for undo."""
        self.journal.append((r, self.slot_of[r]))
        self._set(r, s)

    def undo(self, mark: int) -> None:
        """Revert every change recorded after journal length `mark`."""
        while len(self.journal) > mark:
            r, old = self.journal.pop()
            self._set(r, old)

    def fits(self, r: int, s: int) -> bool:
        """Whether unscheduled request `r` can be placed in slot `s` without breaking a constraint."""
        a, b = self.a[r], self.b[r]
        return (
            self.ok[a][s]
            and self.ok[b][s]
            and self.busy[a][s] < 0
            and self.busy[b][s] < 0
            and len(self.members[s]) < self.tables
            and len(self.meetings[a]) < self.cap[a]
            and len(self.meetings[b]) < self.cap[b]
        )

    def chain(self, start: int, s1: int, s2: int) -> list[int] | None:
        """Requests on the s1/s2 alternating path leaving `start` by its s1 meeting; None if too long."""
        path: list[int] = []
        v, here = start, s1
        while True:
            r = self.busy[v][here]
            if r < 0:
                return path
            path.append(r)
            if len(path) > _MAX_CHAIN:
                return None
            v = self.a[r] + self.b[r] - v
            here = s2 if here == s1 else s1

    def kempe_fits(self, path: list[int], s1: int, s2: int, extra: int) -> bool:
        """Whether swapping `path` between s1 and s2 keeps availability and tables (`extra` more in s1)."""
        k1 = 0
        for r in path:
            s = self.slot_of[r]
            new = s2 if s == s1 else s1
            if not (self.ok[self.a[r]][new] and self.ok[self.b[r]][new]):
                return False
            k1 += s == s1
        k2 = len(path) - k1
        return (
            len(self.members[s1]) - k1 + k2 + extra <= self.tables
            and len(self.members[s2]) - k2 + k1 <= self.tables
        )

    def swap(self, path: list[int], s1: int, s2: int) -> None:
        """Exchange slots s1 and s2 along a Kempe path (conflict-free by construction)."""
        targets = [s2 if self.slot_of[r] == s1 else s1 for r in path]
        for r in path:
            self.move(r, -1)
        for r, s in zip(path, targets, strict=True):
            self.move(r, s)


class Search:
    """Local search over a SlotState: insert, Kempe insert, and eject-then-reinsert moves."""

    def __init__(self, inst: MeetingInstance, priority: Sequence[float], seed: int) -> None:
        self.st = SlotState(inst)
        self.rng = random.Random(seed)
        self.priority = list(priority)
        self.slots = list(range(self.st.n_slots))

    def order(self, requests: list[int]) -> list[int]:
        """Heaviest first, then highest LP value, ties broken by the seeded generator."""
        keys = {r: self.rng.random() for r in requests}
        return sorted(requests, key=lambda r: (-self.st.w[r], -self.priority[r], keys[r]))

    def greedy(self) -> None:
        """Place the LP's chosen requests first, then the rest, heaviest first, in the least loaded slot."""
        st = self.st
        todo = self.order([r for r in range(len(st.a)) if st.slot_of[r] < 0])
        # On buyer/exhibitor instances the LP optimum is integral: a whole selection worth colouring.
        chosen = [r for r in todo if self.priority[r] > 0.5]
        for r in chosen + [r for r in todo if self.priority[r] <= 0.5]:
            best, load = -1, st.tables + 1
            for s in self.slots:
                if st.fits(r, s) and len(st.members[s]) < load:
                    best, load = s, len(st.members[s])
            if best >= 0:
                st.move(r, best)
            elif self.priority[r] > 0.5:
                self.insert(r)

    def insert(self, r: int) -> bool:
        """Schedule `r` directly or after one Kempe swap; False (state unchanged) if neither works."""
        st = self.st
        a, b = st.a[r], st.b[r]
        if len(st.meetings[a]) >= st.cap[a] or len(st.meetings[b]) >= st.cap[b]:
            return False
        slots = self.rng.sample(self.slots, len(self.slots))
        for s in slots:
            if st.fits(r, s):
                st.move(r, s)
                return True
        for s1 in slots:
            if not (st.ok[a][s1] and st.ok[b][s1]):
                continue
            if st.busy[a][s1] >= 0 and st.busy[b][s1] >= 0:
                continue
            if st.busy[a][s1] < 0 and st.busy[b][s1] < 0:
                continue  # only the table count blocks s1; ejection handles that
            x = a if st.busy[a][s1] >= 0 else b
            for s2 in slots:
                if s2 == s1 or st.busy[x][s2] >= 0 or not st.ok[x][s2]:
                    continue
                path = st.chain(x, s1, s2)
                if path is None or not st.kempe_fits(path, s1, s2, 1):
                    continue
                mark = len(st.journal)
                st.swap(path, s1, s2)
                if st.fits(r, s1):
                    st.move(r, s1)
                    return True
                st.undo(mark)
        return False

    def _eviction(self, r: int, s: int) -> tuple[float, list[int]] | None:
        """Meetings to drop so `r` fits in `s`, and their total weight; None if `s` is unusable."""
        st = self.st
        a, b = st.a[r], st.b[r]
        if not (st.ok[a][s] and st.ok[b][s]):
            return None
        out = [q for q in (st.busy[a][s], st.busy[b][s]) if q >= 0]
        for p in (a, b):
            if len(st.meetings[p]) >= st.cap[p] and not any(st.a[q] == p or st.b[q] == p for q in out):
                if not st.meetings[p]:
                    return None
                out.append(min(st.meetings[p], key=lambda q: (st.w[q], self.priority[q])))
        if len(st.members[s]) - sum(1 for q in out if st.slot_of[q] == s) >= st.tables:
            rest = [q for q in st.members[s] if q not in out]
            out.append(min(rest, key=lambda q: (st.w[q], self.priority[q])))
        return sum(st.w[q] for q in out), out

    def eject(self, r: int, sideways: float) -> float:
        """Evict cheaper meetings for `r` and reinsert them; keep gains, ties with chance `sideways`."""
        st = self.st
        best: tuple[float, float, int, list[int]] | None = None
        for s in self.slots:
            found = self._eviction(r, s)
            if found is None or found[0] > st.w[r] + _EPS:
                continue
            key = (found[0], self.rng.random())
            if best is None or key < best[:2]:
                best = (key[0], key[1], s, found[1])
        if best is None:
            return 0.0
        _, _, s, out = best
        mark, before = len(st.journal), st.value
        for q in out:
            st.move(q, -1)
        if not st.fits(r, s):
            st.undo(mark)
            return 0.0
        st.move(r, s)
        for q in self.order(out):
            self.insert(q)
        gain = st.value - before
        if gain < -_EPS or (gain <= _EPS and self.rng.random() >= sideways):
            st.undo(mark)
            return 0.0
        return gain


def improve(
    inst: MeetingInstance,
    priority: Sequence[float],
    *,
    seed: int,
    budget: Budget,
    target: float,
    start: Sequence[int] | None = None,
) -> tuple[list[int], float]:
    """Best slot per request (-1 unscheduled) found within the budget or on reaching `target`."""
    search = Search(inst, priority, seed)
    st = search.st
    if start is not None:
        for r, s in enumerate(start):
            if s >= 0:
                st.move(r, s)
    search.greedy()
    best, best_value = list(st.slot_of), st.value
    stale = rounds = 0
    while not budget.spent(rounds) and best_value < target - _EPS and stale < _STALE_ROUNDS:
        rounds += 1
        st.journal.clear()
        before = st.value
        for r in search.order([r for r in range(len(st.a)) if st.slot_of[r] < 0]):
            if st.slot_of[r] >= 0:
                continue
            if not search.insert(r):
                search.eject(r, sideways=0.3)
            if budget.expired():
                break
        if st.value > best_value + _EPS:
            best, best_value = list(st.slot_of), st.value
        stale = 0 if st.value > before + _EPS else stale + 1
    return best, best_value
