"""Indexed form of a booth instance: connected booth groups, placements and the objective."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from matchmaking.optim.booths_model import MAX_GROUP, BoothInstance

Group = tuple[int, ...]


@dataclass(slots=True)
class Problem:
    """Integer-indexed instance shared by the solvers; booths and applications keep input order."""

    instance: BoothInstance
    neighbours: list[tuple[int, ...]]
    edges: list[tuple[int, int]]
    zone: list[int]
    size: list[int]
    weight: list[float]
    province: list[int]
    category: list[int]
    allowed: list[frozenset[int]]
    prefs: list[dict[int, float]]
    province_limit: int | None
    penalty: float
    groups: list[list[Group]]
    _pool: dict[tuple[int, frozenset[int]], list[Group]] = field(default_factory=dict)

    @property
    def n_booths(self) -> int:
        """Number of booths."""
        return len(self.zone)

    @property
    def n_apps(self) -> int:
        """Number of applications."""
        return len(self.size)

    def placements(self, app: int) -> list[Group]:
        """Connected booth groups of the application's size lying in its zones."""
        key = (self.size[app], self.allowed[app])
        pool = self._pool.get(key)
        if pool is None:
            zone, allowed = self.zone, self.allowed[app]
            pool = [g for g in self.groups[self.size[app]] if all(zone[b] in allowed for b in g)]
            self._pool[key] = pool
        return pool

    def value(self, app: int, group: Group) -> float:
        """Weight plus preference bonus of giving `group` to `app` (penalty excluded)."""
        prefs = self.prefs[app]
        return self.weight[app] + sum(prefs.get(b, 0.0) for b in group)

    def best_value(self, app: int) -> float:
        """Largest value the application can earn in any placement, or 0 when it has none."""
        prefs = self.prefs[app]
        if not prefs:
            return self.weight[app] if self.placements(app) else 0.0
        return max((self.value(app, g) for g in self.placements(app)), default=0.0)


def build_problem(instance: BoothInstance) -> Problem:
    """Index booths, zones, provinces and categories and enumerate the connected groups."""
    booth_index = {b.id: i for i, b in enumerate(instance.booths)}
    zones: dict[str, int] = {}
    zone = [zones.setdefault(b.zone, len(zones)) for b in instance.booths]
    adj: list[set[int]] = [set() for _ in instance.booths]
    for a, b in instance.adjacent:
        adj[booth_index[a]].add(booth_index[b])
        adj[booth_index[b]].add(booth_index[a])
    neighbours = [tuple(sorted(s)) for s in adj]
    edges = sorted({(min(a, b), max(a, b)) for a in range(len(adj)) for b in adj[a]})
    provinces: dict[str, int] = {}
    categories: dict[str, int] = {}
    apps = instance.applications
    return Problem(
        instance=instance,
        neighbours=neighbours,
        edges=edges,
        zone=zone,
        size=[a.booths for a in apps],
        weight=[a.weight for a in apps],
        province=[provinces.setdefault(a.province, len(provinces)) for a in apps],
        category=[categories.setdefault(a.category, len(categories)) for a in apps],
        allowed=[frozenset(zones[z] for z in a.zones if z in zones) for a in apps],
        prefs=[{booth_index[b]: v for b, v in a.preferences.items() if v > 0} for a in apps],
        province_limit=instance.province_limit,
        penalty=instance.rules.competitor_penalty,
        groups=connected_groups(neighbours, MAX_GROUP),
    )


def connected_groups(neighbours: list[tuple[int, ...]], max_size: int) -> list[list[Group]]:
    """All connected booth sets by size (index 0 is empty), each as a sorted tuple."""
    levels: list[list[Group]] = [[], [(b,) for b in range(len(neighbours))]]
    for _ in range(2, max_size + 1):
        grown: set[Group] = set()
        for group in levels[-1]:
            for b in group:
                for n in neighbours[b]:
                    if n not in group:
                        grown.add(tuple(sorted((*group, n))))
        levels.append(sorted(grown))
    return levels


def objective(problem: Problem, assignment: Mapping[int, Group]) -> float:
    """The spec's objective of an assignment app -> booth group (assumed feasible)."""
    owner: dict[int, int] = {}
    total = 0.0
    for app, group in assignment.items():
        total += problem.value(app, group)
        for b in group:
            owner[b] = app
    return total - problem.penalty * competitor_pairs(problem, owner)


def competitor_pairs(problem: Problem, owner: Mapping[int, int]) -> int:
    """Adjacent booth pairs held by two different applications of one category."""
    count = 0
    for a, b in problem.edges:
        oa, ob = owner.get(a), owner.get(b)
        if oa is not None and ob is not None and oa != ob:
            count += problem.category[oa] == problem.category[ob]
    return count
