"""bench/results/load.md from load.json: one table per labelled run (before, after)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

_ORDER = ("before", "after")


def _cell(figures: dict[str, Any] | None, cpu: bool = True) -> str:
    if not figures:
        return "–"
    text = (f"{figures['rps']:,.0f} rps, {figures['p50_ms']:,.0f}/{figures['p95_ms']:,.0f}/"
            f"{figures['p99_ms']:,.0f} ms, {figures['errors']} err")
    if cpu and "cpu_ms_per_request" in figures:
        text += f", {figures['cpu_ms_per_request']:.1f} ms CPU"
    if "meili_cpu_ms_per_request" in figures:
        text += f", {figures['meili_cpu_ms_per_request']:.1f} ms Meilisearch CPU"
    if "load_average" in figures:
        text += f" (load {figures['load_average']:.1f})"
    return text


def _ratios(run: dict[str, Any], workers: list[str], name: str) -> str:
    """Our rps over direct Meilisearch's, per number of workers."""
    direct = run["direct"].get(name)
    if not direct or not direct["rps"]:
        return "–"
    ours = [run["runs"][w]["pages"].get(name) for w in workers]
    return ", ".join(f"{figures['rps'] / direct['rps']:.2f}" if figures else "–" for figures in ours)


def _table(run: dict[str, Any]) -> list[str]:
    workers = list(run["runs"])
    lines = [
        f"{run['products']:,} products, {run['database']}, {run['connections']} connections, "
        f"{run['seconds']} s each, {run['cores']} cores. Cells: rps, p50/p95/p99, errors, "
        "server CPU per request (and Meilisearch's, where noted), load average at its start "
        f"where noted; ours ÷ direct: rps of {' and '.join(workers)} over direct Meilisearch's.",
        "",
        "| endpoint | " + " | ".join(workers) + " | direct Meilisearch | ours ÷ direct |",
        "|---|" + "---|" * (len(workers) + 2),
    ]
    names = list(next(iter(run["runs"].values()))["pages"])
    for name in names:
        cells = [_cell(run["runs"][w]["pages"].get(name)) for w in workers]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {_cell(run['direct'].get(name), False)}"
                     f" | {_ratios(run, workers, name)} |")
    if not all("mixed" in run["runs"][w] for w in workers):
        return lines
    lines += ["", "Mixed, logged in: 10 readers (search page, API, product page, with a token) while "
              "producers update and create products through the API.", "",
              "| | " + " | ".join(workers) + " |", "|---|" + "---|" * len(workers)]
    lines.append("| readers | " + " | ".join(_cell(run["runs"][w]["mixed"]["readers"]) for w in workers)
                 + " |")
    writes = []
    for w in workers:
        fig = run["runs"][w]["mixed"]["writes"]
        writes.append(f"{fig['requests']:,} writes by {fig['writers']}, {fig['p50_ms']:,.0f}/"
                      f"{fig['p95_ms']:,.0f}/{fig['p99_ms']:,.0f} ms, {fig['errors']} err "
                      f"({fig['database_locked']} locked)")
    lines.append("| writes | " + " | ".join(writes) + " |")
    return lines


def write_markdown(stored: dict[str, Any], path: Path) -> None:
    lines = ["# Load", "", "`make bench BENCH=load`: `ocop serve` (production settings) under wrk, "
             "with the same search queries sent straight to Meilisearch in the same run.", ""]
    labels = [label for label in _ORDER if label in stored]
    labels += [label for label in stored if label not in _ORDER]
    for label in labels:
        lines += [f"## {label}", "", *_table(stored[label]), ""]
    # What bounds the figures, with profiles: written by hand after a run, kept across runs.
    notes = path.with_name("load-notes.md")
    if notes.is_file():
        lines += [notes.read_text().rstrip(), ""]
    path.write_text("\n".join(lines))
