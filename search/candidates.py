"""Candidate products for buyers' demands, many demands per Meilisearch multi-search call.

A demand's query is the words of its title and keywords without the noise buyers write around
them (quantities, units, "cần", "giao", the delivery province, star counts); its filters are the
demand's hard rules (published, its product group, minimum stars with a certificate valid in the
needed-by month), which `matchmaking.demands.scoring.excluded` then applies to the day. Identical queries
(demands of one kind) are sent once per call. Each hit carries
Meilisearch's ranking score (0-1) as its relevance. A demand with a group whose words find fewer
than `FILL_BELOW` products is topped up by a placeholder search on its filters (relevance 0).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from matchmaking.enums import ProductStatus
from matchmaking.places import fold, short_province_name
from search import products
from search.client import SearchClient, acall
from search.products import expiry_day

LIMIT = 30  # candidates per demand: the matcher keeps the best 10 after scoring
FILL_BELOW = 10
BATCH = 100  # queries per multi-search request
PARALLEL = 2  # requests in flight (the server has a thread per core)
MAX_WORDS = 10  # Meilisearch reads only the first ten words of a query

# Words that say how much, when and how good, not what (compared in lower case, accents kept:
# folded "tấn" would also drop "Tân Cương").
_NOISE = {
    "cần", "mua", "tìm", "giao", "tại", "đến", "tới", "cho", "và", "hoặc", "với", "của", "sao", "trở",
    "lên", "từ", "ít", "nhất", "mỗi", "tháng", "tuần", "năm", "đợt", "lần", "ocop", "tấn", "kg", "g",
    "gram", "lít", "chai", "hộp", "túi", "gói", "cái", "bộ", "vé", "đêm", "số", "lượng", "khoảng",
    "trên", "dưới", "nhu", "cầu", "sản", "phẩm", "loại", "trước", "ngày", "tỉnh", "tp", "thành",
    "phố", "hàng", "nhập",
}


@dataclass(frozen=True)
class CandidateRequest:
    """One demand's search: what it is called and the rules every candidate must meet."""

    demand_id: int
    title: str
    keywords: str
    delivery_province_code: int
    needed_by: date
    group: str | None = None
    min_stars: int | None = None


@dataclass(frozen=True)
class Candidate:
    product_id: int
    relevance: float


def query_text(request: CandidateRequest) -> str:
    """The demand's words worth searching for: title then keywords, noise and repeats dropped."""
    place = short_province_name(request.delivery_province_code)
    title = re.sub(re.escape(place), " ", request.title, flags=re.IGNORECASE) if place else request.title
    words: list[str] = []
    seen: set[str] = set()
    for word in re.findall(r"[^\W\d_]+", f"{title} {request.keywords}"):
        key = fold(word)
        if word.lower() in _NOISE or key in seen or len(key) < 2:
            continue
        seen.add(key)
        words.append(word)
    return " ".join(words[:MAX_WORDS])


def filters(request: CandidateRequest) -> list[str]:
    """The Meilisearch filter expressions (ANDed); values are codes and numbers, never user text."""
    found = [f'status = "{ProductStatus.PUBLISHED.value}"']
    if request.group is not None and re.fullmatch(r"[a-z_]+", request.group):
        found.append(f'group = "{request.group}"')
    if request.min_stars is not None:
        found.append(f"stars >= {int(request.min_stars)}")
        # From the first of the needed-by month: a few more than needed (scoring drops them), and
        # demands of one kind share one query.
        found.append(f"certificate_expiry_day >= {expiry_day(request.needed_by.replace(day=1))}")
    return found


def _query(uid: str, q: str, filter_: list[str], limit: int) -> dict[str, Any]:
    return {
        "indexUid": uid, "q": q, "filter": filter_, "limit": limit,
        "attributesToRetrieve": ["id"], "showRankingScore": True,
    }


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
            answer = await acall(client, client.raw.multi_search, chunk)
        return [
            [Candidate(int(hit["id"]), float(hit.get("_rankingScore", 0.0))) for hit in result["hits"]]
            for result in answer["results"]
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
    """Candidates per demand id, best relevance first.

    With `only_ids`, each demand is searched among those products alone (the matcher's way to see
    where changed products would rank) and there is no placeholder top-up.
    """
    uid = client.index_uid(products.INDEX)
    extra: list[str] = []
    if only_ids is not None:
        if not only_ids:
            return {r.demand_id: [] for r in requests}
        extra = [f"id IN [{', '.join(str(int(i)) for i in only_ids)}]"]
        limit = len(only_ids)
    texts = [query_text(r) for r in requests]
    queries = [_query(uid, text, filters(r) + extra, limit) for r, text in zip(requests, texts, strict=True)]
    found = dict(zip((r.demand_id for r in requests), await _multi_search(client, queries), strict=True))
    for request, text in zip(requests, texts, strict=True):
        if not text:  # a placeholder search ranks nothing: no text relevance
            found[request.demand_id] = [Candidate(c.product_id, 0.0) for c in found[request.demand_id]]
    if only_ids is not None:
        return found
    short = [r for r, text in zip(requests, texts, strict=True)
             if r.group is not None and len(found[r.demand_id]) < FILL_BELOW and text]
    fills = await _multi_search(client, [_query(uid, "", filters(r), limit) for r in short])
    for request, hits in zip(short, fills, strict=True):
        have = {c.product_id for c in found[request.demand_id]}
        room = limit - len(have)
        found[request.demand_id] += [Candidate(c.product_id, 0.0) for c in hits
                                     if c.product_id not in have][:room]
    return found
