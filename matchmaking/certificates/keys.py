"""How register entries and producers' claims are compared: without accents, case or punctuation."""

from __future__ import annotations

import re

from matchmaking.places import fold


def name_key(text: str) -> str:
    """'Trà  Shan-tuyết' -> 'tra shan tuyet'."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())[:200]


def number_key(text: str) -> str:
    """A decision or certificate number without spaces or punctuation: '12/QĐ-UBND' -> '12qdubnd'."""
    return re.sub(r"[^a-z0-9]+", "", fold(text))[:60]
