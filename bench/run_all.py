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
    "bench.bench_load",
    "bench.bench_pages",
    "bench.bench_concurrency",
]


def module_name(name: str) -> str:
    """`search`, `bench_search` and `bench.bench_search` all name bench/bench_search.py.

    A bare name is never imported as is: `search` is also the platform's package.
    """
    short = name.removeprefix("bench.").removeprefix("bench_").removesuffix(".py")
    return f"bench.bench_{short}"


def main(names: list[str]) -> int:
    failed = []
    for name in [module_name(n) for n in names] or BENCHMARKS:
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                print(f"   unknown benchmark; choose from: "
                      f"{', '.join(b.removeprefix('bench.bench_') for b in BENCHMARKS)}")
                failed.append(name)
                continue
            print(f"   skipped: {exc}")
            continue
        given, sys.argv = sys.argv, [name]  # the names chosen here are no options of the benchmark
        try:
            module.main()
        except Exception as exc:  # one failing benchmark must not hide the others' figures
            print(f"   failed: {type(exc).__name__}: {exc}")
            failed.append(name)
        finally:
            sys.argv = given
        print(f"   {time.perf_counter() - started:.0f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
