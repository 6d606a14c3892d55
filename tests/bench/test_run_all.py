"""`make bench BENCH=name`: every benchmark answers to its short name, none to a package's."""

from __future__ import annotations

import importlib.util

from bench.run_all import BENCHMARKS, module_name


def test_every_short_name_names_its_benchmark_module() -> None:
    for module in BENCHMARKS:
        short = module.removeprefix("bench.bench_")
        assert module_name(short) == module
        assert module_name(f"bench_{short}") == module
        assert module_name(module) == module
        assert importlib.util.find_spec(module) is not None, module


def test_search_is_the_benchmark_not_the_platforms_search_package() -> None:
    assert module_name("search") == "bench.bench_search"


def test_an_unknown_benchmark_fails_and_says_which_exist(capsys) -> None:  # type: ignore[no-untyped-def]
    from bench.run_all import main

    assert main(["nonsense"]) == 1
    assert "unknown benchmark" in capsys.readouterr().out
