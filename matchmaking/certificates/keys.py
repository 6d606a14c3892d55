"""How register entries and producers' claims are compared: without accents, case or punctuation."""

from __future__ import annotations

import re

from matchmaking import sheets
from matchmaking.places import fold


def name_key(text: str) -> str:
    """'Trà  Shan-tuyết' -> 'tra shan tuyet' (at most 200 characters, as stored)."""
    return sheets.name_key(text)[:200]


def number_key(text: str) -> str:
    """A decision or certificate number without spaces or punctuation: '12/QĐ-UBND' -> '12qdubnd'."""
    return re.sub(r"[^a-z0-9]+", "", fold(text))[:60]
