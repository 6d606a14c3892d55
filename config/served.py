"""Where the platform is served, so links point there.

`ocop serve` records the public URL it serves under in `OCOP_VAR_DIR/served.json`; every other
command on the same var dir (`ocop jobs run match`, `ocop worker`) reads it while that server
runs, so links in emails written by a CLI job point at the same address as the server's own.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

RECORD_NAME = "served.json"


def derived_public_url(host: str, port: int) -> str:
    """The address a local browser reaches `host:port` at (a wildcard host means this machine)."""
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def record_public_url(var_dir: Path, public_url: str) -> None:
    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / RECORD_NAME
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"pid": os.getpid(), "public_url": public_url}))
    os.replace(temporary, path)


def forget_public_url(var_dir: Path) -> None:
    """Remove the record if it is this process's own."""
    path = var_dir / RECORD_NAME
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        if int(json.loads(path.read_text())["pid"]) == os.getpid():
            path.unlink()


def recorded_public_url(var_dir: Path) -> str | None:
    """The public URL of the `ocop serve` running on this var dir, if one runs."""
    try:
        raw = json.loads((var_dir / RECORD_NAME).read_text())
        pid, url = int(raw["pid"]), str(raw["public_url"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return url
