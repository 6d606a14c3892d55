"""Meilisearch for a running platform: start the embedded one or check the configured one."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import replace

from starlette.datastructures import Secret

from config.errors import ConfigError
from config.settings import Settings, persistent_secret
from matchmaking.clock import today_in_vietnam
from search.binary import ensure_binary
from search.client import SearchClient, translated_errors
from search.datadir import DataDirBusy, read_address
from search.errors import SearchAuthError, SearchError, SearchUnavailable
from search.server import EmbeddedMeili

log = logging.getLogger(__name__)

BORROW_WAIT_SECONDS = 30.0


def search_client_for(settings: Settings) -> SearchClient | None:
    """The client for the configured Meilisearch, or None when none is known yet."""
    if not settings.meili_url:
        return None
    key = str(settings.meili_master_key) if settings.meili_master_key else None
    return SearchClient(settings.meili_url, key, prefix=settings.search_index_prefix)


def search_reader_for(settings: Settings, full: SearchClient | None) -> SearchClient | None:
    """A client like `full` that can only search (MEILI_SEARCH_KEY), or `full` without one."""
    if full is None or not settings.meili_search_key:
        return full
    return SearchClient(full.url, str(settings.meili_search_key), prefix=full.prefix,
                        timeout=full.timeout)


def search_only_key(client: SearchClient) -> str:
    """The key that may only search this platform's indexes, created once with the master key."""
    name = f"{client.prefix}-search-only"
    with translated_errors():
        for key in client.raw.get_keys({"limit": 1000}).results:
            if key.name == name:
                return str(key.key)
        created = client.raw.create_key({
            "name": name, "description": "OCOP Connect web pages: search only",
            "actions": ["search"], "indexes": [f"{client.prefix}_*"], "expiresAt": None,
        })
    return str(created.key)


@contextlib.contextmanager
def search_server(settings: Settings, *, share: bool = True) -> Iterator[Settings]:
    """Yield settings that point at a usable Meilisearch, starting our own when none is set.

    With `share`, a Meilisearch another `ocop` process already runs on the same data directory
    is used instead of starting a second one; without it (`ocop serve`), that is refused.
    Side effects: may install the binary, start a child process and stop it on exit.
    """
    if not settings.embedded_meili:
        client = search_client_for(settings)
        assert client is not None
        _check_access(client, settings.meili_url or "")
        yield settings
        return
    binary = ensure_binary(settings.meili_cache_dir, settings.meili_bin)
    # Always a key, in development too: else any local process could plant products.
    key = persistent_secret(settings.var_dir / "meili_master_key")
    server = EmbeddedMeili(
        binary=binary,
        data_dir=settings.meili_data_dir,
        master_key=key,
        production=settings.env == "production",
    )
    # The other process may still be starting its Meilisearch (or stopping it): wait a little.
    deadline = time.monotonic() + (BORROW_WAIT_SECONDS if share else 5.0)
    while True:
        borrowed = _running_meili(settings) if share else None
        if borrowed is not None:
            yield borrowed
            return
        try:
            server.start()
            break
        except DataDirBusy:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    log.info("Meilisearch %s started at %s", binary.name, server.url)
    try:
        yield replace(settings, meili_url=server.url, meili_master_key=Secret(key))
    finally:
        server.stop()
        log.info("Meilisearch stopped")


def _running_meili(settings: Settings) -> Settings | None:
    """Settings for the Meilisearch another process runs on our data directory, if it answers."""
    address = read_address(settings.meili_data_dir)
    if address is None:
        return None
    client = SearchClient(address.url, address.master_key, prefix=settings.search_index_prefix)
    if not client.healthy():
        return None
    log.info("using the Meilisearch of process %d at %s", address.pid, address.url)
    key = Secret(address.master_key) if address.master_key else None
    return replace(settings, meili_url=address.url, meili_master_key=key)


def _check_access(client: SearchClient, url: str) -> None:
    try:
        client.check_access()
    except SearchAuthError:
        raise ConfigError(f"Meilisearch at {url} refused MEILI_MASTER_KEY") from None
    except SearchUnavailable:
        raise ConfigError(f"cannot reach Meilisearch at MEILI_URL={url}") from None
    except SearchError as exc:
        raise ConfigError(f"Meilisearch at {url}: {exc}") from None


def export_search(settings: Settings, *, runs_jobs: bool) -> None:
    """Hand Meilisearch's address and keys to uvicorn's worker processes (environment).

    The workers read with a search-only key; the master key goes to them only when they also
    run the jobs, which write the index.
    """
    if settings.meili_url:
        os.environ["MEILI_URL"] = settings.meili_url
    client = search_client_for(settings)
    if client is not None and settings.meili_master_key:
        os.environ["MEILI_SEARCH_KEY"] = search_only_key(client)
    if runs_jobs and settings.meili_master_key:
        os.environ["MEILI_MASTER_KEY"] = str(settings.meili_master_key)
    else:
        os.environ.pop("MEILI_MASTER_KEY", None)


async def catch_up_index(client: SearchClient) -> None:
    """Rebuild the index when it does not hold what the database says is published."""
    from matchmaking.models import Product
    from search.indexer import (
        ensure_index,
        indexed_fingerprint,
        reindex,
        reindex_pending,
        settings_fingerprint,
    )

    uid = await ensure_index(client)
    stats = await asyncio.to_thread(client.call, client.raw.index(uid).get_stats)
    published = await Product.filter(status="published").count()
    if stats.number_of_documents != published:
        log.info("index has %d documents, database %d: rebuilding", stats.number_of_documents,
                 published)
        await reindex(client, today=today_in_vietnam())
    elif await indexed_fingerprint() != settings_fingerprint():
        log.info("index settings changed: rebuilding")
        await reindex(client, today=today_in_vietnam())
    elif await reindex_pending():
        log.info("the last rebuild was interrupted: rebuilding")
        await reindex(client, today=today_in_vietnam())
