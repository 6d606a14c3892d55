"""Load benchmark: `ocop serve` with 1 and 2 web workers under wrk, next to Meilisearch itself.

50 connections for BENCH_LOAD_SECONDS (60) against the home page, the search page,
GET /api/products, a product page and a fair's floor plan; then a logged-in mixed scenario:
10 readers (search page and API with a token) while producers update and create products
through the API. The same search queries go straight to Meilisearch under the same 50
connections, in the same run. CPU per request is the server's CPU time (all its processes)
divided by the requests served, and beside it Meilisearch's. Figures go to
bench/results/load.json and load.md.

BENCH_LOAD_PRODUCTS (20000) sets the catalogue, BENCH_LOAD_DATABASE_URL a PostgreSQL database
(dropped and recreated) instead of SQLite, BENCH_LOAD_LABEL names the run in the results
("before", "after"): each label keeps its own figures in load.json. BENCH_LOAD_ONLY runs only
the scenarios whose names hold one of its comma-separated words ("different", "mixed") and
replaces only their rows in the label's figures. Each figure notes the load average (1 min) at
its start: the machine is shared.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx

from bench import results_file, servers, wrk
from search.client import SearchClient
from search.server import EmbeddedMeili, free_port

RESULTS = results_file.RESULTS
PRODUCTS = int(os.environ.get("BENCH_LOAD_PRODUCTS", "20000"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
LABEL = os.environ.get("BENCH_LOAD_LABEL", "after")
DATABASE_URL = os.environ.get("BENCH_LOAD_DATABASE_URL")
ONLY = tuple(word.strip() for word in os.environ.get("BENCH_LOAD_ONLY", "").split(",") if word.strip())
CONNECTIONS = 50
READERS = 10
WRITERS = 4
WORKERS = (1, 2)
PREFIX = servers.PREFIX
SEARCH_PAGE = "/search?q=tra+shan+tuyet"
VARIED = "search page, 12,240 different searches"
MIXED = "mixed"
# Searches nobody has just asked: a product word, a province and a page, each path once in a
# run (12,240 paths against ~10,000 requests), so the anonymous page cache never answers them.
SEARCH_WORDS = (
    "tra", "che", "ca phe", "mat ong", "nuoc mam", "gao", "mien", "banh", "keo", "mut",
    "ruou", "tinh dau", "gia vi", "muoi", "tieu", "tuong ot", "nem", "cha", "gio", "ruoc",
    "kho ga", "lap xuong", "hat dieu", "cam", "buoi", "xoai", "vai", "nhan", "thanh long", "mang",
    "nam", "sam", "dong trung", "gom", "may tre", "tho cam", "son mai", "go", "hoa", "cay canh",
)
API_QUERY = "/api/products?q=nuoc+mam"
PRODUCER = "htx@ocop.demo"
PASSWORD = "ocop-demo-2026"


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of `pid` and all its descendants, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
        pending += [int(child) for child in children]
    return total


def _chosen(name: str) -> bool:
    return not ONLY or any(word in name for word in ONLY)


def _run(load: wrk.Load, connections: int, meili: EmbeddedMeili | None = None) -> dict[str, Any]:
    """wrk's figures, with the machine's load average when it started and, given `meili`,
    Meilisearch's CPU time per request."""
    load_average = round(os.getloadavg()[0], 1)
    pid = meili.process.pid if meili is not None and meili.process is not None else None
    before = _cpu_seconds(pid) if pid else 0.0
    figures = {**wrk.run(load, connections=connections, seconds=SECONDS), "load_average": load_average}
    if pid:
        used = _cpu_seconds(pid) - before
        figures["meili_cpu_ms_per_request"] = round(1000 * used / max(1, figures["requests"]), 2)
    return figures


def _measured(process: subprocess.Popen[bytes], load: wrk.Load, connections: int,
              meili: EmbeddedMeili | None = None) -> dict[str, Any]:
    before = _cpu_seconds(process.pid)
    figures = _run(load, connections, meili)
    used = _cpu_seconds(process.pid) - before
    figures["cpu_ms_per_request"] = round(1000 * used / max(1, figures["requests"]), 2)
    return figures


def _fixtures(base: str) -> dict[str, Any]:
    """A token, a published product, a fair and one of the producer's products as a PUT body."""
    with httpx.Client(base_url=base, timeout=30) as http:
        token = http.post("/api/auth/token", json={"email": PRODUCER, "password": PASSWORD,
                                                   "name": "bench"}).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        product_id = http.get("/api/products", params={"q": "tra"}).json()["hits"][0]["id"]
        fair_id = http.get("/api/fairs").json()[0]["id"]
        own = http.get("/api/producer/products", headers=auth).json()
        own = own.get("products", own) if isinstance(own, dict) else own
        mine = own[0]
    body = {k: v for k, v in mine.items()
            if k not in ("id", "code", "status", "certified", "producer_id") and v is not None}
    return {"token": token, "product_id": product_id, "fair_id": fair_id,
            "own_id": mine["id"], "body": body}


async def _writer(base: str, fx: dict[str, Any], until: float, number: int,
                  latencies: list[float], failures: list[str]) -> None:
    headers = {"Authorization": f"Bearer {fx['token']}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as http:
        step = 0
        while time.monotonic() < until:
            step += 1
            body = {**fx["body"], "price_vnd": 10_000 + number * 1000 + step}
            started = time.perf_counter()
            try:
                if step % 2:
                    response = await http.put(f"/api/products/{fx['own_id']}", json=body)
                else:
                    body["name"] = f"Sản phẩm thử tải {number}-{step}"
                    response = await http.post("/api/products", json={**body, "publish": True})
                if response.status_code >= 300:
                    failures.append(f"{response.status_code} {response.text[:120]}")
            except httpx.HTTPError as exc:
                failures.append(type(exc).__name__)
            latencies.append((time.perf_counter() - started) * 1000)


async def _mixed(process: subprocess.Popen[bytes], base: str, fx: dict[str, Any]) -> dict[str, Any]:
    readers = wrk.Load(base, (SEARCH_PAGE, API_QUERY, f"/products/{fx['product_id']}"),
                       headers={"Authorization": f"Bearer {fx['token']}"})
    latencies: list[float] = []
    failures: list[str] = []
    until = time.monotonic() + SECONDS
    read = asyncio.create_task(asyncio.to_thread(_measured, process, readers, READERS))
    await asyncio.gather(*(_writer(base, fx, until, n, latencies, failures) for n in range(WRITERS)))
    reads = await read
    # The server's CPU went to reads and writes alike.
    cpu = reads["cpu_ms_per_request"] * reads["requests"]
    reads["cpu_ms_per_request"] = round(cpu / max(1, reads["requests"] + len(latencies)), 2)
    ordered = sorted(latencies) or [0.0]
    return {
        "readers": reads,
        "writes": {
            "writers": WRITERS, "requests": len(latencies),
            "p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
            "p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))], 1),
            "errors": len(failures),
            "database_locked": sum("locked" in f for f in failures),
            "first_errors": sorted(set(failures))[:5],
        },
    }


def _varied_searches() -> tuple[str, ...]:
    from urllib.parse import urlencode

    from matchmaking.places import province_codes

    return tuple(
        "/search?" + urlencode({"q": word, "province": code, "page": page, "sort": sort})
        for page in (1, 2, 3) for sort in ("relevance", "price_asc", "newest")
        for code in province_codes() for word in SEARCH_WORDS)


def _pages(fx: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    return {"home": ("/",), "search page": (SEARCH_PAGE,), VARIED: _varied_searches(),
            "GET /api/products": (API_QUERY,),
            "product page": (f"/products/{fx['product_id']}",),
            "plan page": (f"/fairs/{fx['fair_id']}/plan",)}


class _Recorder(SearchClient):
    """A client that keeps the requests the search layer sends and answers each with no hits."""

    def __init__(self) -> None:
        super().__init__("http://127.0.0.1:1", None, prefix=PREFIX)
        self.sent: list[tuple[str, dict[str, Any]]] = []

    async def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        self.sent.append((path, body))
        empty = {"hits": [], "totalHits": 0, "facetDistribution": {}}
        return {"results": [empty for _ in body["queries"]]} if "queries" in body else empty


def meili_requests(paths: tuple[str, ...]) -> list[tuple[str, str]]:
    """(path, JSON body) of the Meilisearch search our search page sends for each page path,
    as search.query and search.place_match build it on today's date in Vietnam."""
    from urllib.parse import parse_qs, urlsplit

    from matchmaking.clock import today_in_vietnam
    from search.query import parse_product_query, search_products

    recorder = _Recorder()

    async def record() -> None:
        for path in paths:
            query = parse_product_query(parse_qs(urlsplit(path).query))
            await search_products(recorder, query, today=today_in_vietnam())

    asyncio.run(record())
    if len(recorder.sent) != len(paths):
        raise RuntimeError("a search page sent other than one Meilisearch request")
    return [(path, json.dumps(body)) for path, body in recorder.sent]


def _direct(meili: EmbeddedMeili) -> dict[str, Any]:
    """The search page's and the API's queries, as our search layer builds them, sent to Meilisearch."""
    figures = {}
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {meili.master_key}"}
    for name, paths in (("search page", (SEARCH_PAGE,)), ("GET /api/products", (API_QUERY,)),
                        (VARIED, _varied_searches())):
        if not _chosen(name):
            continue
        sent = meili_requests(paths)
        load = wrk.Load(meili.url, tuple(path for path, _ in sent), method="POST", headers=headers,
                        body=sent[0][1] if len(sent) == 1 else None,
                        bodies=tuple(body for _, body in sent) if len(sent) > 1 else ())
        figures[name] = _run(load, CONNECTIONS, meili)
    return figures


def measure() -> dict[str, Any]:
    with servers.seeded("load", DATABASE_URL, "--products", str(PRODUCTS)) as (meili, env):
        runs: dict[str, Any] = {}
        for workers in WORKERS:
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            process = servers.serve(env, port, workers)
            try:
                fx = _fixtures(base)
                run: dict[str, Any] = {"pages": {
                    name: _measured(process, wrk.Load(base, paths), CONNECTIONS, meili)
                    for name, paths in _pages(fx).items() if _chosen(name)}}
                if _chosen(MIXED):
                    run["mixed"] = asyncio.run(_mixed(process, base, fx))
                runs[f"{workers} worker{'s' if workers > 1 else ''}"] = run
            finally:
                servers.stop(process)
        direct = _direct(meili)
    return {"products": PRODUCTS, "seconds": SECONDS, "connections": CONNECTIONS,
            "database": "postgresql" if DATABASE_URL else "sqlite", "cores": os.cpu_count(),
            "runs": runs, "direct": direct}


def merged(earlier: dict[str, Any] | None, now: dict[str, Any]) -> dict[str, Any]:
    """`now`'s figures over `earlier`'s, row by row, when only some scenarios ran."""
    if not ONLY or not earlier:
        return now
    runs = {}
    for workers in {**earlier["runs"], **now["runs"]}:
        old, new = earlier["runs"].get(workers, {}), now["runs"].get(workers, {})
        runs[workers] = {**old, **new, "pages": {**old.get("pages", {}), **new.get("pages", {})}}
    return {**earlier, **now, "runs": runs, "direct": {**earlier["direct"], **now["direct"]}}


def main() -> None:
    if not wrk.available():
        raise RuntimeError("wrk is not installed (apt-get install -y wrk)")
    figures = measure()
    earlier = json.loads(RESULTS.joinpath("load.json").read_text()) if ONLY and RESULTS.joinpath(
        "load.json").is_file() else {}
    stored = results_file.keep("load", {LABEL: merged(earlier.get(LABEL), figures)})
    from bench.load_report import write_markdown

    write_markdown(stored, RESULTS / "load.md")
    print((RESULTS / "load.md").read_text())


if __name__ == "__main__":
    main()
