"""Writes under concurrency, shared by the benchmark and its test: producers updating their
products and buyers posting demands at once through the JSON API, then whether the search
index equals the database.

The benchmark runs the clients for a duration, the test for a fixed number of writes each.
Each producer updates its own products only, one write after another, so the last write it
saw acknowledged for a product is what the database must hold afterwards.
"""

from __future__ import annotations

import asyncio
import math
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx

from matchmaking.enums import ProductStatus
from matchmaking.models import Demand, Product, SearchOutbox
from search import products as documents
from search.client import SearchClient, acall

PASSWORD = "ocop-demo-2026"
PRODUCTS_PER_PRODUCER = 5  # each producer rotates over this many of its published products
# Fields a PUT must not send back: they are the server's to set.
SERVER_FIELDS = ("id", "code", "status", "certified", "producer_id")
DEMAND_TITLE = "Cần mua chè Shan tuyết đợt "


def producer_emails(count: int) -> list[str]:
    """The demo seed's producer logins: htx@, then producer2@, producer3@ ..."""
    return ["htx@ocop.demo", *(f"producer{n}@ocop.demo" for n in range(2, count + 1))]


def buyer_emails(count: int) -> list[str]:
    """The demo seed's buyer logins: npp@, then buyer2@, buyer3@ ..."""
    return ["npp@ocop.demo", *(f"buyer{n}@ocop.demo" for n in range(2, count + 1))]


@dataclass
class Outcome:
    """What the clients did: latencies of every write, failures by kind, what was acknowledged."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    updates: int = 0
    demands: int = 0
    acknowledged: dict[int, dict[str, Any]] = field(default_factory=dict)  # product id: last body
    demand_titles: list[str] = field(default_factory=list)

    def fail(self, kind: str, detail: str) -> None:
        self.errors[kind] += 1
        self.examples.setdefault(kind, detail[:300])

    def figures(self, seconds: float) -> dict[str, Any]:
        ordered = sorted(self.latencies_ms) or [0.0]

        def pct(share: float) -> float:
            return round(ordered[int(share * (len(ordered) - 1))], 1)

        writes = self.updates + self.demands
        return {
            "writes": writes, "product_updates": self.updates, "demands_posted": self.demands,
            "rps": round(writes / seconds, 1) if seconds else 0.0,
            "p50_ms": round(statistics.median(ordered), 1), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
            "max_ms": round(ordered[-1], 1),
            "errors": sum(self.errors.values()), "errors_by_kind": dict(self.errors),
            "database_locked": sum(n for kind, n in self.errors.items() if "locked" in kind),
            "error_examples": self.examples,
        }


def error_kind(response: httpx.Response) -> str:
    text = response.text.lower()
    if "database is locked" in text or ("locked" in text and response.status_code >= 500):
        return "database is locked"
    return f"HTTP {response.status_code}"


async def token(http: httpx.AsyncClient, email: str) -> str:
    response = await http.post("/api/auth/token", json={"email": email, "password": PASSWORD,
                                                        "name": "concurrency"})
    response.raise_for_status()
    return str(response.json()["token"])


@dataclass(frozen=True)
class Budget:
    """When each client stops: after `writes` writes, or `seconds` after all start (or both)."""

    writes: int | None = None
    seconds: float | None = None

    def start(self) -> Callable[[int], bool]:
        """From now on: whether a client that has done `done` writes does one more."""
        until = time.monotonic() + self.seconds if self.seconds is not None else math.inf
        return lambda done: (self.writes is None or done < self.writes) and time.monotonic() < until


async def _write(outcome: Outcome, request: Any, expected: int) -> bool:
    """Send one write, timed; whether it was answered with `expected` (else the failure is kept)."""
    started = time.perf_counter()
    try:
        response: httpx.Response = await request
    except httpx.HTTPError as exc:
        outcome.fail(type(exc).__name__, str(exc))
        return False
    finally:
        outcome.latencies_ms.append((time.perf_counter() - started) * 1000)
    if response.status_code != expected:
        outcome.fail(error_kind(response), response.text)
        return False
    return True


async def producer(http: httpx.AsyncClient, number: int, more: Callable[[int], bool],
                   outcome: Outcome) -> None:
    """Update this producer's published products in turn: price and description change."""
    own = (await http.get("/api/producer/products")).json()
    mine = [p for p in own if p["status"] == ProductStatus.PUBLISHED][:PRODUCTS_PER_PRODUCER]
    if not mine:
        raise RuntimeError(f"producer {number} has no published product")
    bodies = [{k: v for k, v in p.items() if k not in SERVER_FIELDS and v is not None} for p in mine]
    done = 0
    while more(done):
        which = done % len(mine)
        done += 1
        body = {**bodies[which], "price_vnd": 10_000 + number * 1_000 + done,
                "description": f"Cập nhật {number}-{done}: hàng mới về."}
        if not await _write(outcome, http.put(f"/api/products/{mine[which]['id']}", json=body), 200):
            continue
        outcome.updates += 1
        outcome.acknowledged[mine[which]["id"]] = {
            "price_vnd": body["price_vnd"], "description": body["description"]}


async def buyer(http: httpx.AsyncClient, number: int, more: Callable[[int], bool], outcome: Outcome,
                today: date) -> None:
    """Post demands, one after another."""
    done = 0
    while more(done):
        done += 1
        title = f"{DEMAND_TITLE}{number}-{done}"
        body = {"title": title, "quantity": 50 + done, "unit": "kg", "delivery_province_code": 1,
                "needed_by": (today + timedelta(days=30)).isoformat(), "subgroup": "tea"}
        if await _write(outcome, http.post("/api/demands", json=body), 201):
            outcome.demands += 1
            outcome.demand_titles.append(title)


async def run_clients(base: str, *, producers: int, buyers: int, budget: Budget) -> Outcome:
    """Log every client in, then let them all write at once until the budget is spent."""
    outcome = Outcome()
    today = date.today()
    limits = httpx.Limits(max_connections=producers + buyers + 4)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as login:
        tokens = [await token(login, email) for email in producer_emails(producers)]
        tokens += [await token(login, email) for email in buyer_emails(buyers)]
    clients = [httpx.AsyncClient(base_url=base, timeout=60, headers={"Authorization": f"Bearer {t}"})
               for t in tokens]
    more = budget.start()
    try:
        work = [producer(clients[n], n + 1, more, outcome) for n in range(producers)]
        work += [buyer(clients[producers + n], n + 1, more, outcome, today) for n in range(buyers)]
        await asyncio.gather(*work)
    finally:
        for client in clients:
            await client.aclose()
    return outcome


# -- afterwards: the database kept every acknowledged write, the index equals the database ----------


async def lost_writes(outcome: Outcome) -> dict[str, Any]:
    """Acknowledged writes the database does not hold (product values, posted demands)."""
    ids = sorted(outcome.acknowledged)
    stored = {row["id"]: row for row in await Product.filter(id__in=ids).values(
        "id", "price_vnd", "description")}
    stale = [i for i in ids if {k: stored.get(i, {}).get(k) for k in ("price_vnd", "description")}
             != outcome.acknowledged[i]]
    posted = await Demand.filter(title__startswith=DEMAND_TITLE).values_list("title", flat=True)
    titles = Counter(str(title) for title in posted)
    return {"products_not_as_acknowledged": stale[:10], "products_checked": len(ids),
            "demands_missing": sum(1 for t in outcome.demand_titles if not titles[t]),
            "demands_doubled": sum(1 for n in titles.values() if n > 1)}


async def _index_documents(search: SearchClient) -> dict[int, dict[str, Any]]:
    index = search.raw.index(search.index_uid(documents.INDEX))
    found: dict[int, dict[str, Any]] = {}
    offset = 0
    while True:
        page = await acall(search, index.get_documents, {"limit": 1000, "offset": offset})
        for document in page.results:
            data = dict(document)
            found[int(data["id"])] = data
        if len(page.results) < 1000:
            return found
        offset += 1000


async def _expected_documents(today: date) -> dict[int, dict[str, Any]]:
    rows = await Product.filter(status=ProductStatus.PUBLISHED).values(*documents.ROW_FIELDS)
    return {row["id"]: documents.document_from_row(row, today) for row in rows}


async def settled(search: SearchClient, *, timeout: float) -> float:
    """Wait until the outbox is drained and Meilisearch has nothing queued; seconds waited.

    Raises TimeoutError after `timeout` seconds.
    """
    started = time.monotonic()
    while True:
        if not await SearchOutbox.exists():
            tasks = await acall(search, search.raw.get_tasks, {
                "statuses": ["enqueued", "processing"],
                "indexUids": [search.index_uid(documents.INDEX)]})
            if not tasks.results:
                return round(time.monotonic() - started, 1)
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"the search index did not settle within {timeout:.0f} s")
        await asyncio.sleep(0.25)


async def index_difference(search: SearchClient, *, today: date) -> dict[str, Any]:
    """Published products missing from the index, documents of products not published, and
    documents whose fields differ from the database's (with the fields that differ)."""
    have = await _index_documents(search)
    want = await _expected_documents(today)
    differing = {
        product_id: sorted(k for k in set(doc) | set(have[product_id])
                           if doc.get(k) != have[product_id].get(k))
        for product_id, doc in want.items() if product_id in have and have[product_id] != doc
    }
    return {
        "published": len(want), "indexed": len(have),
        "missing": sorted(set(want) - set(have))[:20], "missing_count": len(set(want) - set(have)),
        "extra": sorted(set(have) - set(want))[:20], "extra_count": len(set(have) - set(want)),
        "differing": {str(k): v for k, v in sorted(differing.items())[:20]},
        "differing_count": len(differing),
    }


def index_equals_database(difference: dict[str, Any]) -> bool:
    return not (difference["missing_count"] or difference["extra_count"]
                or difference["differing_count"])
