"""`ocop seed --products 100000` timed on SQLite and PostgreSQL, figures in bench/results/seed.*"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from tortoise import Tortoise

from matchmaking.accounts.passwords import hash_password
from matchmaking.database import close_database, migrate_database, open_database
from matchmaking.demo import seed_demo

RESULTS = Path(__file__).parent / "results"
PRODUCTS = int(os.environ.get("BENCH_SEED_PRODUCTS", "100000"))
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")


async def _reset_postgres(url: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


async def _run(url: str) -> dict[str, float | int]:
    await migrate_database(url)
    await open_database(url)
    try:
        started = time.perf_counter()
        report = await seed_demo(
            seed=42, producers=PRODUCTS // 5, products=PRODUCTS, buyers=500, demands=2000,
            today=date(2026, 11, 22), password_hash=hash_password("ocop-demo-2026"),
        )
        seconds = time.perf_counter() - started
    finally:
        await close_database()
        await Tortoise.close_connections()
    return {"products": report.products, "producers": report.producers, "seconds": round(seconds, 1),
            "products_per_second": round(report.products / seconds)}


def _in_own_process(url: str) -> dict[str, float | int] | str:
    # Tortoise keeps per-dialect state in its models: one database per process.
    result = subprocess.run([sys.executable, "-m", "bench.bench_seed", url],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return "failed: " + (result.stderr.strip().splitlines() or ["?"])[-1]
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="ocop-bench-seed-"))
    figures: dict[str, object] = {"machine": f"{os.cpu_count()} cores, {platform.python_version()}"}
    try:
        figures["sqlite"] = _in_own_process(f"sqlite://{folder / 'seed.sqlite3'}")
        try:
            asyncio.run(_reset_postgres(POSTGRES))
            figures["postgresql"] = _in_own_process(POSTGRES)
        except OSError as exc:
            figures["postgresql"] = f"skipped: {exc}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "seed.json").write_text(json.dumps(figures, indent=2) + "\n")
    lines = ["# Demo seed", "", f"{PRODUCTS:,} products, {PRODUCTS // 5:,} producers; {figures['machine']}.",
             "", "| database | seconds | products/s |", "|---|---:|---:|"]
    for name in ("sqlite", "postgresql"):
        row = figures[name]
        if isinstance(row, dict):
            lines.append(f"| {name} | {row['seconds']} | {row['products_per_second']:,} |")
    (RESULTS / "seed.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(asyncio.run(_run(sys.argv[1]))))
    else:
        main()
