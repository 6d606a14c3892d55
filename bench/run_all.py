"""`make bench`: every benchmark in turn; each writes its own figures to bench/results/."""

from __future__ import annotations

import importlib
import sys
import time

BENCHMARKS = [
    "bench.bench_seed",
    "bench.bench_search",
    "bench.bench_matching",
    "bench.bench_booths",
    "bench.bench_meetings",
]


def main(names: list[str]) -> int:
    failed = []
    for name in names or BENCHMARKS:
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            print(f"   skipped: {exc}")
            continue
        try:
            module.main()
        except Exception as exc:  # one failing benchmark must not hide the others' figures
            print(f"   failed: {type(exc).__name__}: {exc}")
            failed.append(name)
        print(f"   {time.perf_counter() - started:.0f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
