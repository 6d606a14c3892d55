"""Place words in catalogue search: a place is matched as a place, never as product words.

A province's name in the text is already the province filter (matchmaking.places.place_words).
A ward's name ("nước mắm Phú Quốc") is taken out of the words Meilisearch searches, since its
words alone match anything ("Phú" in "Quỳnh Phú", a producer called "Trần Phú Quốc"), and
becomes a place match on the documents' `place_keys` (search.products.place_keys: the
producer's ward and province, and a place the product's name carries): the products from or
named after the place come first, then the others, each part in Meilisearch's order. So does an
old province's name ("chè Hà Giang": tea named after Hà Giang first among Tuyên Quang's). Text
with no product words left ("Phú Quốc") makes the place a filter. Pages, totals and facets
count both parts.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, NamedTuple

from matchmaking.places import fold, named_places, short_province_name
from search import products
from search.client import SearchClient


class PlaceMatch(NamedTuple):
    """A search text taken apart: the words to search, the folded places to match first, and
    the ward names as typed (for the page to say so)."""

    words: str
    keys: tuple[str, ...]
    wards: tuple[str, ...]


def place_match(q: str, place: str | None, province: int | None) -> PlaceMatch:
    """The search text's product words and places, with the old province name read as a filter
    (`place`) and that filter's `province`."""
    typed = q.split()
    found = [(start, length, key) for start, length, kind, key, _ in named_places(typed)
             if kind == "ward"]
    taken = {i for start, length, _ in found for i in range(start, start + length)}
    keys = [key for *_, key in found]
    if place and province is not None and fold(place) != fold(short_province_name(province)):
        keys.append(fold(place))
    words = " ".join(word for i, word in enumerate(typed) if i not in taken)
    wards = tuple(" ".join(typed[start:start + length]) for start, length, _ in found)
    return PlaceMatch(words, tuple(dict.fromkeys(keys)), wards)


def _near(keys: tuple[str, ...]) -> str:
    # json.dumps quotes and escapes the keys, which are folded words and spaces anyway.
    return f"place_keys IN [{', '.join(json.dumps(key) for key in keys)}]"


def _facets(*answers: dict[str, Any]) -> dict[str, dict[str, int]]:
    total: dict[str, Counter[str]] = {}
    for answer in answers:
        for name, counts in (answer.get("facetDistribution") or {}).items():
            total.setdefault(name, Counter()).update(counts)
    return {name: dict(counts) for name, counts in total.items()}


async def search_placed(client: SearchClient, words: str, keys: tuple[str, ...],
                        request: dict[str, Any]) -> dict[str, Any]:
    """Meilisearch's answer (hits, totalHits, facetDistribution) for `words` with the products
    matching `keys` first; `request` is the page-based search body without the place."""
    uid = client.index_uid(products.INDEX)
    filters = list(request["filter"])
    near = {**request, "indexUid": uid, "q": words, "filter": [*filters, _near(keys)]}
    if not words:
        return (await client.multi_search([near]))[0]
    far = {**request, "indexUid": uid, "q": words, "filter": [*filters, f"NOT {_near(keys)}"]}
    first, counted = await client.multi_search([near, {**far, "page": 1, "hitsPerPage": 0}])
    hits = list(first.get("hits", []))
    per_page, page = int(request["hitsPerPage"]), int(request["page"])
    start = (page - 1) * per_page
    nearby = int(first.get("totalHits", 0))
    if len(hits) < per_page and start + per_page > nearby and counted.get("totalHits", 0):
        rest = {key: value for key, value in far.items() if key not in ("page", "hitsPerPage", "facets")}
        rest.update(offset=max(0, start - nearby), limit=per_page - len(hits))
        hits += (await client.multi_search([rest]))[0].get("hits", [])
    return {"hits": hits, "totalHits": nearby + int(counted.get("totalHits", 0)),
            "facetDistribution": _facets(first, counted)}
