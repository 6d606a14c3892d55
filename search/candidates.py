"""Candidate products for buyers' demands, many demands per Meilisearch multi-search call.

A demand's query is its product words, then its place words
(matchmaking.demands.phrases.understand: quantities, units, star phrases, "giao <province>" and
the words around them are not searched). The query runs with the `last` matching strategy, which
drops words from the end, and a hit counts only when it matches the first product words
(`required_words`; Meilisearch's ranking details say how many it matched): a place word ranks a
product from there higher but never makes a product match alone. A demand whose words no
product matches has no candidates. A demand with no product words but a group or sub-group is a
placeholder search on its filters (relevance 0).

Filters are the demand's group and sub-group, and its hard rules: minimum stars with a
certificate valid in the needed-by month, required quality marks; `scoring.misses` then applies
them to the day. Identical queries (demands of one kind) are sent once per call. Each
hit carries Meilisearch's ranking score (0-1) as its relevance.
"""

from __future__ import annotations

import asyncio
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from matchmaking.enums import ProductStatus
from matchmaking.places import fold
from search import products
from search.client import SearchClient
from search.products import expiry_day

LIMIT = 30  # candidates per demand: the matcher keeps the best 10 after scoring
BATCH = 100  # queries per multi-search request
PARALLEL = 2  # requests in flight (the server has a thread per core)
MAX_WORDS = 10  # Meilisearch reads only the first ten words of a query
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


_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng


@lru_cache(maxsize=100_000)
def _tone_apart(word: str) -> tuple[str, str]:
    """A word as (its letters without the tone mark, the tone mark): "hoà" and "hòa" are one."""
    marks = unicodedata.normalize("NFD", word.lower())
    return (unicodedata.normalize("NFC", "".join(c for c in marks if c not in _TONES)),
            "".join(c for c in marks if c in _TONES))


# A full match run asks this of some 200,000 (demand, candidate) pairs over a few thousand
# distinct words and names: each word and name is taken apart once.
_folded = lru_cache(maxsize=100_000)(fold)


@lru_cache(maxsize=100_000)
def _name_words(name: str) -> tuple[tuple[tuple[str, str], str], ...]:
    """The words of a product name, each tone apart and folded."""
    return tuple((parts, _folded(parts[0]))
                 for parts in (_tone_apart(w) for w in re.findall(r"[^\W_]+", name)))


def mistoned(words: Sequence[str], name: str) -> bool:
    """Whether the product's name has a word the buyer typed with its diacritics only as another
    word with the same letters: Meilisearch compares without diacritics, so "cá hồi" (salmon)
    finds "Cà phê … Hội Sơn", and "thịt cừu" (lamb) "Ruốc thịt Khả Cửu". A word typed without
    diacritics, or not in the name at all (found in the description, or by a synonym), tells
    nothing."""
    named = _name_words(name)
    for word in words:
        if _folded(word) == word.lower():
            continue
        typed = _tone_apart(word)
        letters = _folded(typed[0])
        same_letters = [parts for parts, folded in named if folded == letters]
        if same_letters and typed not in same_letters:
            return True
    return False


CLOSE = 0.5  # proximity score of words next to each other in one attribute (0.25: far apart)


def _matching_words(hit: dict[str, Any]) -> int:
    """How many query words the hit matched; words of a product name ("rượu vang") found far
    apart ("Rượu ngô … màu vàng") count as one."""
    details = hit.get("_rankingScoreDetails") or {}
    words = int((details.get("words") or {}).get("matchingWords", 0))
    proximity = float((details.get("proximity") or {}).get("score", 1.0))
    return words if words < 2 or proximity >= CLOSE else 1


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
    found: dict[int, list[Candidate]] = {r.demand_id: [] for r in requests}
    for (request, q, need), hits in zip(searched, answers, strict=True):
        found[request.demand_id] = [c if q else Candidate(c.product_id, 0.0) for c in hits
                                    if c.matched_words >= need
                                    and not mistoned(request.words[:need], c.name)]
    return found
