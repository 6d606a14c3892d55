"""Candidate products for buyers' demands, many demands per Meilisearch multi-search call.

A demand's query is its product words, then its place words
(matchmaking.demands.phrases.understand: quantities, units, star phrases, "giao <province>" and
the words around them are not searched). The query runs with the `last` matching strategy, which
drops words from the end, and a hit counts only when it matches the first product words
(`required_words`; Meilisearch's ranking details say how many it matched): a place word ranks a
product from there higher but never makes a product match alone. A demand whose words no
product matches has no candidates. A demand with no product words but a group or sub-group is a
placeholder search on its filters (relevance 0). A hit with a word the buyer typed with its
diacritics only as another word (search.tones: "cá hồi" is not "Cà … Hội") is dropped; when its
name has none of the words, its description and places are fetched to tell.

Filters are the demand's group and sub-group, and its hard rules: minimum stars with a
certificate valid in the needed-by month, required quality marks; `scoring.misses` then applies
them to the day. Identical queries (demands of one kind) are sent once per call. Each
hit carries Meilisearch's ranking score (0-1) as its relevance.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from matchmaking.enums import ProductStatus
from search import products
from search.client import SearchClient
from search.products import expiry_day
from search.tones import mistoned, name_tells

LIMIT = 30  # candidates per demand: the matcher keeps the best 10 after scoring
BATCH = 100  # queries per multi-search request
PARALLEL = 2  # requests in flight (the server has a thread per core)
MAX_WORDS = 10  # Meilisearch reads only the first ten words of a query
TEXTS_BATCH = 500  # products per query for their descriptions
SEARCH_ON = ["name", "subgroup_label", "description", "places"]


@dataclass(frozen=True)
class CandidateRequest:
    """One demand's search: its product and place words and the rules every candidate meets."""

    demand_id: int
    words: tuple[str, ...]
    needed_by: date
    places: tuple[str, ...] = ()
    group: str | None = None
    subgroup: str | None = None
    min_stars: int | None = None
    required_marks: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Candidate:
    product_id: int
    relevance: float
    matched_words: int = 0
    name: str = ""


def required_words(count: int) -> int:
    """How many of a demand's first product words a hit must match: the product's name takes one
    or two words in Vietnamese ("gạo", "nước mắm", "chè xanh"); what follows ("Shan tuyết", "loại
    ngon") ranks but does not decide, unless the demand is long."""
    return min(count, 2) + (count >= 5)


def query_text(request: CandidateRequest) -> tuple[str, int]:
    """The words to search, product words first, and how many words a hit must match."""
    words = list(request.words[:MAX_WORDS])
    for place in request.places:
        words += place.split()
    return " ".join(words[:MAX_WORDS]), required_words(len(request.words[:MAX_WORDS]))


def _code(value: str | None) -> str | None:
    return value if value is not None and re.fullmatch(r"[a-z0-9_]+", value) else None


def filters(request: CandidateRequest) -> list[str]:
    """The Meilisearch filter expressions (ANDed); values are codes and numbers, never user text."""
    found = [f'status = "{ProductStatus.PUBLISHED.value}"']
    if (group := _code(request.group)) is not None:
        found.append(f'group = "{group}"')
    if (subgroup := _code(request.subgroup)) is not None:
        found.append(f'subgroup = "{subgroup}"')
    if request.min_stars is not None:
        found.append(f"stars >= {int(request.min_stars)}")
        # From the first of the needed-by month: a few more than needed (scoring drops them), and
        # demands of one kind share one query.
        found.append(f"certificate_expiry_day >= {expiry_day(request.needed_by.replace(day=1))}")
    found += [f'quality_marks = "{mark}"' for mark in request.required_marks if _code(mark)]
    return found


def _query(uid: str, q: str, filter_: list[str], limit: int) -> dict[str, Any]:
    return {
        "indexUid": uid, "q": q, "filter": filter_, "limit": limit, "matchingStrategy": "last",
        # What the product is and where it is from; a producer's name is no product word.
        "attributesToSearchOn": SEARCH_ON,
        "attributesToRetrieve": ["id", "name"], "showRankingScore": True,
        "showRankingScoreDetails": True,
    }


CLOSE = 0.5  # proximity score of words next to each other in one attribute (0.25: far apart)


def _matching_words(hit: dict[str, Any]) -> int:
    """How many query words the hit matched; words of a product name ("rượu vang") found far
    apart ("Rượu ngô … màu vàng") count as one."""
    details = hit.get("_rankingScoreDetails") or {}
    words = int((details.get("words") or {}).get("matchingWords", 0))
    proximity = float((details.get("proximity") or {}).get("score", 1.0))
    return words if words < 2 or proximity >= CLOSE else 1


async def _texts(client: SearchClient, uid: str, ids: Sequence[int]) -> dict[int, str]:
    """Each product's description and places as one text: what `mistoned` reads when the name
    tells nothing (few hits; their descriptions are not fetched with every hit)."""
    chunks = [ids[i:i + TEXTS_BATCH] for i in range(0, len(ids), TEXTS_BATCH)]
    queries = [{"indexUid": uid, "q": "", "filter": [f"id IN [{', '.join(str(int(i)) for i in chunk)}]"],
                "limit": len(chunk), "attributesToRetrieve": ["id", "description", "places"]}
               for chunk in chunks]
    found: dict[int, str] = {}
    for start in range(0, len(queries), BATCH):
        for result in await client.multi_search(queries[start:start + BATCH]):
            found.update((int(hit["id"]), " ".join([str(hit.get("description") or ""),
                                                    *(str(p) for p in hit.get("places") or ())]))
                         for hit in result["hits"])
    return found


async def _multi_search(client: SearchClient, queries: list[dict[str, Any]]) -> list[list[Candidate]]:
    """Every query's hits as candidates, in query order; identical queries are sent once."""
    keys = [json.dumps(query, sort_keys=True, ensure_ascii=False) for query in queries]
    unique = list(dict.fromkeys(keys))
    answers = dict(zip(unique, await _send(client, [json.loads(k) for k in unique]), strict=True))
    return [answers[key] for key in keys]


async def _send(client: SearchClient, queries: list[dict[str, Any]]) -> list[list[Candidate]]:
    """`BATCH` queries per request, `PARALLEL` requests at once."""
    gate = asyncio.Semaphore(PARALLEL)

    async def run(chunk: list[dict[str, Any]]) -> list[list[Candidate]]:
        async with gate:
            results = await client.multi_search(chunk)
        return [
            [Candidate(int(hit["id"]), float(hit.get("_rankingScore", 0.0)), _matching_words(hit),
                       str(hit.get("name") or ""))
             for hit in result["hits"]]
            for result in results
        ]

    chunks = [queries[i:i + BATCH] for i in range(0, len(queries), BATCH)]
    answers = await asyncio.gather(*(run(chunk) for chunk in chunks))
    return [hits for answer in answers for hits in answer]


async def find_candidates(
    client: SearchClient,
    requests: Sequence[CandidateRequest],
    *,
    limit: int = LIMIT,
    only_ids: Sequence[int] | None = None,
) -> dict[int, list[Candidate]]:
    """Candidates per demand id, best relevance first. A demand with words no product matches,
    or with neither words nor a group, gets none.

    With `only_ids`, each demand is searched among those products alone (the matcher's way to see
    where changed products would rank).
    """
    uid = client.index_uid(products.INDEX)
    extra: list[str] = []
    if only_ids is not None:
        if not only_ids:
            return {r.demand_id: [] for r in requests}
        extra = [f"id IN [{', '.join(str(int(i)) for i in only_ids)}]"]
        limit = len(only_ids)
    searched = [(r, *query_text(r)) for r in requests]
    searched = [(r, q, need) for r, q, need in searched if q or r.group or r.subgroup]
    queries = [_query(uid, q, filters(r) + extra, limit) for r, q, _ in searched]
    answers = await _multi_search(client, queries)
    matched = [(request, q, request.words[:need], [c for c in hits if c.matched_words >= need])
               for (request, q, need), hits in zip(searched, answers, strict=True)]
    texts = await _texts(client, uid, sorted({c.product_id for _, _, words, hits in matched for c in hits
                                              if not name_tells(words, c.name)}))
    found: dict[int, list[Candidate]] = {r.demand_id: [] for r in requests}
    for request, q, words, hits in matched:
        found[request.demand_id] = [c if q else Candidate(c.product_id, 0.0) for c in hits
                                    if not mistoned(words, c.name, texts.get(c.product_id, ""))]
    return found
