"""Planned matches carry their stored JSON, the same text the JSON fields would write."""

from __future__ import annotations

from tortoise.fields.data import JSON_DUMPS

from matchmaking.demands.match_plans import planned
from matchmaking.demands.reasons import Reason
from matchmaking.demands.scoring import Scored


def test_planned_match_is_encoded_as_its_json_fields_would_store_it() -> None:
    reasons = (Reason("stars", {"stars": 4}), Reason("distance", {"km": 120}),
               Reason("same_province", {"province_code": 1}), Reason("no_certificate"))
    for given in (reasons, reasons[1:], ()):
        match = planned(Scored(7, 3, 0.8123, {"relevance": 0.9, "group": 1.0, "price": 0.55}, given))

        assert match.encoded == (JSON_DUMPS(match.components), JSON_DUMPS(match.reasons))
        assert match.components["reasons"] == [r.as_json() for r in given]
    assert planned(Scored(7, 3, 0.8, {"relevance": 0.9}, reasons)).reasons[1] == "cách 120 km"
