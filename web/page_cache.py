"""Whole pages for visitors who are not logged in, reused for a few seconds.

Under load most visitors ask the same few searches, and drawing a results page cost several
times the search itself. What is kept: the HTML body and status code of a page, under a key
the view builds from everything the page shows. The search page's key is its parsed query
(with the parameters it left out), the language, the site's address, Vietnam's date and the
index version (search.version), so a change to the index shows at once in this process and
within a second in the others.

Never kept: a logged-in visitor's page (it shows their name and a form holding their CSRF
token), a page that holds the request's CSRF token at all, and degraded results (the view's
choice). Each answer is a new Response, so headers the middleware adds to one answer (the
CSRF cookie) never reach another.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from starlette.responses import HTMLResponse, Response

# A search page weighs about 30 KB: a few hundred distinct searches in both languages.
PAGE_CACHE_SIZE = 512


class PageCache:
    """Page bodies by key for `max_age` seconds; the least recently used go first."""

    def __init__(self, max_age: float, max_entries: int = PAGE_CACHE_SIZE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_age = max_age
        self.max_entries = max_entries
        self.clock = clock
        self.stored = 0  # pages put in (for tests)
        self._pages: OrderedDict[Hashable, tuple[float, int, bytes]] = OrderedDict()

    def get(self, key: Hashable) -> Response | None:
        """A fresh response with the page stored under `key`, or None."""
        entry = self._pages.get(key)
        if entry is None:
            return None
        if self.clock() - entry[0] >= self.max_age:
            del self._pages[key]
            return None
        self._pages.move_to_end(key)
        return HTMLResponse(entry[2], status_code=entry[1])

    def put(self, key: Hashable, response: Response, *, secret: str) -> None:
        """Keep `response`'s page under `key`, unless its body holds `secret` (the CSRF token)."""
        body = bytes(response.body)
        if secret and secret.encode() in body:
            return
        self.stored += 1
        self._pages[key] = (self.clock(), response.status_code, body)
        self._pages.move_to_end(key)
        if len(self._pages) > self.max_entries:
            self._pages.popitem(last=False)
