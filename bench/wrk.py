"""Driving wrk: one run against one URL (or a rotation of paths), figures as a dict."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# wrk prints nothing machine-readable by itself: this `done` hook writes one JSON line.
_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal here


@dataclass(frozen=True)
class Load:
    """What wrk sends: `paths` in turn (with `bodies` in turn beside them, if given), else the one
    `body`; `method` and `headers` on every request.

    wrk runs one Lua state per thread, each with its own counter: thread t of n sends items t,
    t + n, t + 2n ..., so no item is asked twice in a row by two threads (a cache would answer
    the second).
    """

    base: str
    paths: tuple[str, ...]
    headers: dict[str, str] = field(default_factory=dict)
    method: str = "GET"
    body: str | None = None
    bodies: tuple[str, ...] = ()

    def script(self, threads: int = 1) -> str:
        lines = [f"wrk.method = {_lua_string(self.method)}"]
        lines += [f"wrk.headers[{_lua_string(k)}] = {_lua_string(v)}" for k, v in self.headers.items()]
        if self.body is not None:
            lines.append(f"wrk.body = {_lua_string(self.body)}")
        if self.bodies and len(self.bodies) != len(self.paths):
            raise ValueError("one body per path")
        if len(self.paths) > 1:
            lines += [
                "local created = 0",
                "setup = function(thread)",
                "  thread:set(\"first\", created)",
                "  created = created + 1",
                "end",
                f"local paths = {{{', '.join(_lua_string(p) for p in self.paths)}}}",
                f"local bodies = {{{', '.join(_lua_string(b) for b in self.bodies)}}}",
                "local counter = nil",
                "request = function()",
                f"  counter = counter and counter + {threads} or first",
                "  local at = (counter % #paths) + 1",
                "  return wrk.format(nil, paths[at], nil, bodies[at])",
                "end",
            ]
        return "\n".join(lines) + "\n" + _DONE


def available() -> bool:
    return shutil.which("wrk") is not None


def run(load: Load, *, connections: int, seconds: int, threads: int = 2) -> dict[str, Any]:
    """Run wrk once; rps, latency percentiles in ms and errors (socket errors plus non-2xx/3xx)."""
    threads = min(threads, connections)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(load.script(threads))
        script = Path(handle.name)
    try:
        result = subprocess.run(
            ["wrk", "-t", str(threads), "-c", str(connections),
             "-d", f"{seconds}s", "--timeout", "10s", "-s", str(script),
             load.base + load.paths[0]],
            capture_output=True, text=True, check=False, timeout=seconds + 60,
        )
    finally:
        script.unlink(missing_ok=True)
    line = next((x for x in result.stdout.splitlines() if x.startswith("WRK-JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {result.stderr.strip() or result.stdout.strip()}")
    raw = json.loads(line.removeprefix("WRK-JSON "))
    seconds_run = raw["duration_us"] / 1e6
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds_run, 1),
        "p50_ms": round(raw["p50"] / 1000, 1),
        "p95_ms": round(raw["p95"] / 1000, 1),
        "p99_ms": round(raw["p99"] / 1000, 1),
        "max_ms": round(raw["max"] / 1000, 1),
        "errors": errors,
        "non_2xx": raw["status"],
        "timeouts": raw["timeout"],
    }
