"""Search benchmark on 100,000 seeded products, each figure side by side with its limit:

1. `ocop reindex` (read the database, map, upload, swap) against raw ingestion of the same
   documents straight into Meilisearch, in the same run;
2. GET /api/products p50/p95 over 1,000 mixed queries with filters and facets, served by
   `ocop serve`, against the same queries sent straight to Meilisearch.

Figures go to bench/results/search.json and search.md.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from config.settings import load_settings
from matchmaking.accounts.passwords import hash_password
from matchmaking.database import close_database, migrate_database, open_database
from matchmaking.demo import seed_demo
from matchmaking.models import Product
from search import products
from search.binary import ensure_binary
from search.client import SearchClient
from search.indexer import BATCH, reindex
from search.query import parse_product_query, search_request
from search.server import EmbeddedMeili, free_port

RESULTS = Path(__file__).parent / "results"
PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "100000"))
QUERIES = int(os.environ.get("BENCH_QUERIES", "1000"))
TODAY = date.today()
WORDS = ["trà", "tra", "chè", "che shan tuyet", "mật ong", "mat ong", "nước mắm", "nuoc mam",
         "gạo st25", "gao", "cà phê", "ca phe", "bưởi", "cam", "miến", "thổ cẩm", "tho cam",
         "mây tre", "gốm", "homestay", "sâm", "tinh dầu", "rượu", "măng", "nhãn", "vải thiều",
         "trà shan tuyết cổ thụ", "mat ong bac ha", "nươc mắm", "che xanh", "phong", ""]
GROUPS = ["food", "beverages", "herbal", "handicrafts", "ornamental", "tourism"]
PROVINCES = ["Hà Nội", "Tuyên Quang", "Lạng Sơn", "ha giang", "Sơn La", "Lào Cai", "Huế",
             "Cần Thơ", "Đắk Lắk", "Lâm Đồng"]
SORTS = ["relevance", "relevance", "price_asc", "price_desc", "stars", "newest"]


def mixed_queries(count: int, seed: int = 7) -> list[dict[str, str]]:
    """Deterministic queries: text (with or without accents, a typo or two) plus filters."""
    rng = random.Random(seed)
    queries = []
    for _ in range(count):
        params = {"q": rng.choice(WORDS), "sort": rng.choice(SORTS), "per_page": "20"}
        if rng.random() < 0.4:
            params["group"] = rng.choice(GROUPS)
        if rng.random() < 0.3:
            params["province"] = rng.choice(PROVINCES)
        if rng.random() < 0.3:
            params["min_stars"] = str(rng.choice([3, 4, 5]))
        if rng.random() < 0.3:
            params["certified"] = "true"
        if rng.random() < 0.2:
            params["price_max"] = str(rng.choice([100_000, 300_000, 1_000_000]))
        if rng.random() < 0.1:
            params["page"] = str(rng.randint(2, 5))
        queries.append(params)
    return queries


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def _seed(url: str) -> int:
    await migrate_database(url)
    await open_database(url)
    try:
        await seed_demo(seed=42, producers=PRODUCTS // 5, products=PRODUCTS, buyers=50, demands=50,
                        today=TODAY, password_hash=hash_password("ocop-demo-2026"))
        return await Product.filter(status="published").count()
    finally:
        await close_database()


async def _documents(url: str) -> list[dict[str, Any]]:
    await open_database(url)
    try:
        rows = await Product.filter(status="published").select_related("producer").order_by("id")
        return [products.document(row, TODAY) for row in rows]
    finally:
        await close_database()


async def _ours(url: str, client: SearchClient) -> tuple[int, float]:
    await open_database(url)
    try:
        report = await reindex(client, today=TODAY)
        return report.documents, report.seconds
    finally:
        await close_database()


def _raw(client: SearchClient, documents: list[dict[str, Any]]) -> float:
    """Time creating an index with the same settings, adding the documents and waiting."""
    uid = f"raw_{int(time.time())}"
    started = time.perf_counter()
    client.wait(client.raw.create_index(uid, {"primaryKey": "id"}).task_uid)
    index = client.raw.index(uid)
    client.wait(index.update_settings(products.SETTINGS).task_uid)
    tasks = [index.add_documents(documents[i:i + BATCH], "id") for i in range(0, len(documents), BATCH)]
    for task in tasks:
        client.wait(task.task_uid, 600_000)
    seconds = time.perf_counter() - started
    client.wait(client.raw.delete_index(uid).task_uid)
    return seconds


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    ocop = str(Path(sys.executable).parent / "ocop")
    process = subprocess.Popen([ocop, "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).json()["search"] == "ok":
                return process
        except (httpx.HTTPError, ValueError, KeyError):
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("ocop serve did not start")


def _latencies(port: int, client: SearchClient) -> tuple[list[float], list[float]]:
    """Alternate each query between our API (over HTTP) and Meilisearch through its official
    client (the same request body our search layer builds), so both see the same machine state."""
    api, direct = [], []
    index = client.raw.index(client.index_uid(products.INDEX))
    with httpx.Client(timeout=30) as http:
        for params in mixed_queries(QUERIES):
            query = parse_product_query({k: [v] for k, v in params.items()})
            body = search_request(query, TODAY)
            started = time.perf_counter()
            response = http.get(f"http://127.0.0.1:{port}/api/products", params=params)
            api.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text
            assert not response.json().get("degraded"), "the API answered from the database"
            started = time.perf_counter()
            index.search(query.q, body)
            direct.append((time.perf_counter() - started) * 1000)
    return api, direct


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="ocop-bench-search-"))
    url = f"sqlite://{folder / 'bench.sqlite3'}"
    settings = load_settings()
    meili = EmbeddedMeili(binary=ensure_binary(settings.meili_cache_dir, settings.meili_bin),
                          data_dir=folder / "meili", master_key=secrets.token_urlsafe(24),
                          production=False)
    meili.start()
    server = None
    try:
        published = asyncio.run(_seed(url))
        client = SearchClient(meili.url, meili.master_key, prefix="bench", timeout=60)
        documents = asyncio.run(_documents(url))
        count, ours = asyncio.run(_ours(url, client))
        raw = _raw(client, documents)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MEILI_", "OCOP_"))}
        env.update({"DATABASE_URL": url, "MEILI_URL": meili.url, "MEILI_MASTER_KEY": meili.master_key or "",
                    "SEARCH_INDEX_PREFIX": "bench", "OCOP_VAR_DIR": str(folder / "var"),
                    "LOG_LEVEL": "WARNING"})
        port = free_port()
        server = _serve(env, port)
        api, direct = _latencies(port, client)
    finally:
        if server is not None:
            server.send_signal(signal.SIGINT)
            server.wait(30)
        meili.stop()
        shutil.rmtree(folder, ignore_errors=True)
    figures: dict[str, Any] = {
        "products": PRODUCTS, "published_documents": published, "queries": QUERIES,
        "reindex": {"documents": count, "ours_seconds": round(ours, 2), "raw_seconds": round(raw, 2),
                    "ours_docs_per_second": round(count / ours), "raw_docs_per_second": round(count / raw),
                    "ratio": round(raw / ours, 3), "target": ">= 0.8"},
        "latency_ms": {"api_p50": round(statistics.median(api), 2), "api_p95": round(percentile(api, .95), 2),
                       "direct_p50": round(statistics.median(direct), 2),
                       "direct_p95": round(percentile(direct, .95), 2),
                       "p95_ratio": round(percentile(api, .95) / percentile(direct, .95), 3),
                       "p50_ratio": round(statistics.median(api) / statistics.median(direct), 3),
                       "target": "p95 ratio <= 1.5"},
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "search.json").write_text(json.dumps(figures, indent=2) + "\n")
    r, lat = figures["reindex"], figures["latency_ms"]
    lines = [
        "# Search", "",
        f"{PRODUCTS:,} seeded products ({published:,} published), {QUERIES:,} mixed queries; "
        f"{os.cpu_count()} cores.", "",
        "| reindex | seconds | documents/s |", "|---|---:|---:|",
        f"| `ocop reindex` (database → swap) | {r['ours_seconds']} | {r['ours_docs_per_second']:,} |",
        f"| raw ingestion into Meilisearch | {r['raw_seconds']} | {r['raw_docs_per_second']:,} |",
        f"| ratio (target ≥ 0.8) | | {r['ratio']} |", "",
        "| search latency (ms) | p50 | p95 |", "|---|---:|---:|",
        f"| GET /api/products | {lat['api_p50']} | {lat['api_p95']} |",
        f"| direct Meilisearch | {lat['direct_p50']} | {lat['direct_p95']} |",
        f"| ratio (target p95 ≤ 1.5) | {lat['p50_ratio']} | {lat['p95_ratio']} |",
    ]
    (RESULTS / "search.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
