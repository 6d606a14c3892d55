"""Relevance of the matching job, measured against the demo generator's ground truth.

Right answers come from the generator, not from the scorer's rules: the demo seed builds each
demand and each product from a product template (the template key starts the product code), so a
product is right for a demand when it comes from the demand's template and meets the demand's
hard rules (its sub-group, minimum stars certified on the needed-by date, every required mark).

Each labelled demand is asked three ways: as posted, without diacritics, and as a buyer types a
sentence ("can 1,5 tan che xanh loai 4 sao giao ha noi", no keywords). Demands for products no
one sells measure the no-match precision: the share of them that get no match at all.

The baseline is Meilisearch itself with the demand's words (title and keywords) and the same
hard filters (published, group, sub-group, minimum stars with a certificate valid on the
needed-by date, required marks), best 10 by its own ranking.
"""

from __future__ import annotations

import math
import random
import statistics
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from matchmaking.demands.matching import match_demands
from matchmaking.demo import vocabulary as voc
from matchmaking.enums import DemandStatus, ProductStatus
from matchmaking.models import Demand, Match, Product
from matchmaking.parsing import quantity_input
from matchmaking.places import fold, short_province_name
from search import products as product_index
from search.client import SearchClient
from search.products import expiry_day

TOP = 5
VARIANTS = ("as posted", "without diacritics", "buyer's sentence")
# Products the demo generator never makes (`absent_checked` proves it against its vocabulary:
# "rượu vang nho" and "yến sào đảo" were here, and it makes "Vang nho" and "Nước yến sào").
ABSENT = ("tôm hùm", "cá hồi", "phô mai dê", "sữa chua nếp cẩm", "hạt điều rang muối", "socola",
          "trứng cá tầm", "bò khô", "dầu ô liu", "thịt cừu")
DEMAND_COPY = ("buyer_id", "description", "group", "subgroup", "quantity", "unit", "price_unit",
               "recurrence", "max_price_vnd", "min_stars", "required_marks",
               "delivery_province_code", "needed_by", "valid_until", "status")


def absent_checked(nouns: tuple[str, ...] = ABSENT) -> tuple[str, ...]:
    """`nouns`, once none of them shares two words in a row (or its one word) with a product
    name, variant or demand noun of the generator; else ValueError names the first that does."""
    texts = [fold(text.replace("{place}", "")) for t in voc.TEMPLATES
             for text in (t.demand_noun, *(f.text for f in t.names), *t.variants)]
    for noun in nouns:
        words = fold(noun).split()
        runs = [" ".join(words[i:i + 2]) for i in range(len(words) - 1)] or words
        made = next((text for text in texts for run in runs if f" {run} " in f" {text} "), None)
        if made is not None:
            raise ValueError(f"the generator makes {noun!r} ({made!r}): it is no absent product")
    return nouns


def _meets(demand: dict[str, Any], product: dict[str, Any]) -> bool:
    """The demand's hard rules, on the generator's own data."""
    if demand["subgroup"] and product["subgroup"] != demand["subgroup"]:
        return False
    if demand["group"] and str(product["group"]) != demand["group"]:
        return False
    minimum = demand["min_stars"]
    if minimum is not None and not ((product["stars"] or 0) >= minimum
                                    and product["certificate_expiry"] is not None
                                    and product["certificate_expiry"] >= demand["needed_by"]):
        return False
    return all(mark in (product["quality_marks"] or []) for mark in demand["required_marks"] or [])


def right_answers(demands: list[dict[str, Any]], published: list[dict[str, Any]]) -> dict[int, set[int]]:
    """Per demand id, the products from its template that meet its hard rules."""
    key_of_noun = {t.demand_noun: t.key for t in voc.TEMPLATES}
    by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for product in published:
        by_key[product["code"].rsplit("-", 1)[0]].append(product)
    right: dict[int, set[int]] = {}
    for demand in demands:
        key = key_of_noun.get(demand["keywords"].split(", ")[0])
        if key is not None:
            right[demand["id"]] = {p["id"] for p in by_key.get(key, []) if _meets(demand, p)}
    return right


def _noun(demand: dict[str, Any]) -> str:
    return str(demand["keywords"].split(", ")[0])


def sentence(demand: dict[str, Any]) -> str:
    """The demand as a buyer types it on a phone: no diacritics, quantity, stars, place."""
    parts = ["can", quantity_input(demand["quantity"]), fold(demand["unit"]), fold(_noun(demand))]
    if demand["min_stars"]:
        parts += ["loai", str(demand["min_stars"]), "sao"]
    parts += ["giao", fold(short_province_name(demand["delivery_province_code"]))]
    return " ".join(parts)


def _variant(demand: dict[str, Any], variant: str) -> dict[str, Any]:
    values = {k: demand[k] for k in DEMAND_COPY}
    if variant == "as posted":
        values.update(title=demand["title"], keywords=demand["keywords"])
    elif variant == "without diacritics":
        values.update(title=fold(demand["title"]), keywords=fold(demand["keywords"]))
    else:
        values.update(title=sentence(demand), keywords="")
    return values


def _ndcg(ids: list[int], good: set[int]) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, pid in enumerate(ids[:10]) if pid in good)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(good), 10)))
    return dcg / ideal if ideal else 0.0


def quality(ranked: dict[int, list[int]], right: dict[int, set[int]],
            violates: Callable[[int, int], bool]) -> dict[str, float]:
    """precision@5, nDCG@10, and the share of top-5 results that break a hard rule."""
    precision = [sum(pid in right[d] for pid in ids[:TOP]) / TOP for d, ids in ranked.items()]
    shown = [(d, pid) for d, ids in ranked.items() for pid in ids[:TOP]]
    return {
        "precision_at_5": round(statistics.mean(precision), 4),
        "ndcg_at_10": round(statistics.mean(_ndcg(ids, right[d]) for d, ids in ranked.items()), 4),
        "top5_violating_share": round(sum(violates(d, pid) for d, pid in shown) / len(shown), 4)
        if shown else 0.0,
    }


def _filters(demand: dict[str, Any]) -> list[str]:
    found = [f'status = "{ProductStatus.PUBLISHED.value}"']
    if demand["group"]:
        found.append(f'group = "{demand["group"]}"')
    if demand["subgroup"]:
        found.append(f'subgroup = "{demand["subgroup"]}"')
    if demand["min_stars"] is not None:
        found += [f"stars >= {int(demand['min_stars'])}",
                  f"certificate_expiry_day >= {expiry_day(demand['needed_by'])}"]
    return found + [f'quality_marks = "{m}"' for m in demand["required_marks"] or []]


async def baseline(client: SearchClient, asked: list[tuple[int, dict[str, Any]]]) -> dict[int, list[int]]:
    """Meilisearch with the demand's words and the same hard filters, best 10."""
    uid = client.index_uid(product_index.INDEX)
    ranked: dict[int, list[int]] = {}
    for start in range(0, len(asked), 100):
        chunk = asked[start:start + 100]
        queries = [{"indexUid": uid, "q": f"{d['title']} {d['keywords']}".strip(), "limit": 10,
                    "filter": _filters(d), "attributesToRetrieve": ["id"]} for _, d in chunk]
        answer = client.call(client.raw.multi_search, queries)
        for (key, _), result in zip(chunk, answer["results"], strict=True):
            ranked[key] = [int(hit["id"]) for hit in result["hits"]]
    return ranked


async def measure(client: SearchClient, *, today: date, labelled: int, seed: int) -> dict[str, Any]:
    """Post the labelled demands in their three forms and the absent ones, run the matching job,
    and compare its stored top 10 with the baseline's."""
    fields = ("id", "title", "keywords", *DEMAND_COPY)
    demands = await Demand.filter(status=DemandStatus.OPEN, valid_until__gte=today).values(*fields)
    published = await Product.filter(status=ProductStatus.PUBLISHED).values(
        "id", "code", "group", "subgroup", "stars", "certificate_expiry", "quality_marks")
    right = right_answers(demands, published)
    chosen = [d for d in demands if len(right.get(d["id"], ())) >= TOP]
    random.Random(seed).shuffle(chosen)
    chosen = chosen[:labelled]
    posted: dict[tuple[str, int], int] = {}
    asked: dict[tuple[str, int], dict[str, Any]] = {}
    for demand in chosen:
        for variant in VARIANTS:
            values = _variant(demand, variant)
            posted[(variant, demand["id"])] = (await Demand.create(**values)).id
            asked[(variant, demand["id"])] = {**values, "id": demand["id"]}
    template = chosen[0]
    absent: list[int] = []
    for noun in absent_checked():
        values = {k: template[k] for k in DEMAND_COPY}
        values.update(title=f"Cần 200 kg {noun} giao Hà Nội", keywords="", group=None,
                      subgroup=None, unit="kg", quantity=Decimal(200), min_stars=None,
                      required_marks=[], price_unit=None)
        absent.append((await Demand.create(**values)).id)
    await match_demands(client, now=datetime.now(UTC))

    stored: dict[int, list[int]] = defaultdict(list)
    ids = [*posted.values(), *absent]
    for row in await Match.filter(demand_id__in=ids).order_by("demand_id", "rank").values(
            "demand_id", "product_id"):
        stored[row["demand_id"]].append(row["product_id"])
    by_id = {p["id"]: p for p in published}
    demand_by_id = {d["id"]: d for d in chosen}

    def violates(demand_id: int, product_id: int) -> bool:
        return not _meets(demand_by_id[demand_id], by_id[product_id])

    theirs = await baseline(client, [(i, v) for i, (k, v) in enumerate(asked.items())])
    keys = list(asked)
    results: dict[str, Any] = {"labelled_demands": len(chosen), "absent_demands": len(absent)}
    for variant in VARIANTS:
        ours = {d: stored[posted[(variant, d)]] for (v, d) in keys if v == variant}
        base = {d: theirs[i] for i, (v, d) in enumerate(keys) if v == variant}
        results[variant] = {"ours": quality(ours, right, violates),
                            "baseline": quality(base, right, violates)}
    base_absent = await baseline(client, [(i, {"title": f"Cần 200 kg {noun} giao Hà Nội",
                                               "keywords": "", "group": None, "subgroup": None,
                                               "min_stars": None, "required_marks": []})
                                          for i, noun in enumerate(ABSENT)])
    results["no_match_precision"] = {
        "ours": round(sum(not stored[d] for d in absent) / len(absent), 4),
        "baseline": round(sum(not hits for hits in base_absent.values()) / len(ABSENT), 4),
    }
    return results


def markdown(rel: dict[str, Any]) -> list[str]:
    lines = [
        f"Relevance on {rel['labelled_demands']} labelled demands, each asked three ways (right = a "
        "product of the demand's template, from the generator, that meets its hard rules: "
        "sub-group, minimum stars certified on the needed-by date, required marks). Baseline: "
        "Meilisearch with the demand's words and the same hard filters.",
        "",
        "| asked | system | precision@5 | nDCG@10 | top-5 breaking a hard rule |",
        "|---|---|---|---|---|",
    ]
    for variant in VARIANTS:
        for system, name in (("ours", "matching job"), ("baseline", "Meilisearch + filters")):
            q = rel[variant][system]
            lines.append(f"| {variant} | {name} | {q['precision_at_5']} | {q['ndcg_at_10']} | "
                         f"{q['top5_violating_share']} |")
    nm = rel["no_match_precision"]
    lines += ["", f"No-match precision on {rel['absent_demands']} demands for products no one sells "
              f"(share answered with no match): matching job {nm['ours']}, baseline {nm['baseline']}."]
    return lines
