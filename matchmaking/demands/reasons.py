"""Why a product matches a demand, in words: reasons as language-neutral codes with parameters
(`Reason`, what matchmaking.demands.scoring gives), and their text in a language through gettext
(`render_reasons`), each distinct reason rendered once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from config import i18n
from matchmaking.places import short_province_name


def N_(message: str) -> str:
    """Mark a message for translation without translating it now (babel extracts N_)."""
    return message


MARK_NAMES: dict[str, str] = {
    "vietgap": "VietGAP", "globalgap": "GlobalGAP", "organic": N_("Organic"), "haccp": "HACCP",
    "iso22000": "ISO 22000", "gi": N_("Geographical indication"),
    "traceability": N_("Traceability stamp"),
}

# Reason code -> English message with %(name)s parameters.
MESSAGES: dict[str, str] = {
    "stars": N_("%(stars)d stars"),
    "mark_missing": N_("no %(mark)s"),
    "same_province": N_("in %(province)s"),
    "distance": N_("%(km)d km away"),
    "covers_all": N_("covers the whole quantity"),
    "covers_all_monthly": N_("covers the whole monthly quantity"),
    "covers_share": N_("covers %(percent)d%% of the quantity"),
    "covers_share_monthly": N_("covers %(percent)d%% of the monthly quantity"),
    "min_order_above": N_("minimum order above the quantity"),
    "price_below": N_("price %(percent)d%% below the target"),
    "price_at": N_("price at the target"),
    "price_above": N_("price %(percent)d%% above the target"),
    "certificate_lapses": N_("certificate lapses before the needed-by date"),
    "no_certificate": N_("no valid OCOP certificate"),
    "stars_below": N_("not certified %(stars)d stars or more on the needed-by date"),
    "price_incomparable": N_("price not comparable (%(unit)s, not %(target_unit)s)"),
    "stars_short": N_("%(stars)d stars, needs %(needed)d"),
    "uncertified": N_("no OCOP stars, needs %(needed)d"),
}
# A missing mark as a buyer says it ("chưa có chứng nhận hữu cơ"), for near misses.
NO_MARK: dict[str, str] = {
    "vietgap": N_("no VietGAP certification"), "globalgap": N_("no GlobalGAP certification"),
    "organic": N_("no organic certification"), "haccp": N_("no HACCP certification"),
    "iso22000": N_("no ISO 22000 certification"), "gi": N_("no geographical indication"),
    "traceability": N_("no traceability stamp"),
}


@dataclass(frozen=True)
class Reason:
    """One plain-language reason, as a code and its parameters."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}


def render_reason(reason: Reason, gettext: Callable[[str], str]) -> str:
    """One reason in the language of `gettext`."""
    params = dict(reason.params)
    if "mark" in params:
        name = MARK_NAMES.get(str(params["mark"]), str(params["mark"]))
        params["mark"] = gettext(name)
    if "province_code" in params:
        params["province"] = short_province_name(int(params["province_code"]))
    if reason.code == "mark":
        return str(params["mark"])
    if reason.code == "no_mark":
        mark = str(reason.params.get("mark"))
        return gettext(NO_MARK[mark]) if mark in NO_MARK else gettext(MESSAGES["mark_missing"]) % params
    message = MESSAGES.get(reason.code)
    if message is None:
        return reason.code
    return gettext(message) % params


@lru_cache(maxsize=50_000)
def _rendered(language: str, code: str, params: tuple[tuple[str, Any], ...]) -> str:
    return render_reason(Reason(code, dict(params)), i18n.translations(language).gettext)


def render_reasons(reasons: Sequence[Reason], language: str = "vi") -> list[str]:
    """The reasons as text in `language` (Vietnamese unless told); a full match run renders the
    same few thousand reasons a hundred thousand times, so each is rendered once."""
    rendered = []
    for reason in reasons:
        try:
            rendered.append(_rendered(language, reason.code, tuple(sorted(reason.params.items()))))
        except TypeError:  # a parameter that is no plain value (a stored reason gone odd)
            rendered.append(render_reason(reason, i18n.translations(language).gettext))
    return rendered


def reasons_from_json(data: object) -> list[Reason]:
    """Reasons back from their stored form (`Reason.as_json`); anything malformed is skipped."""
    if not isinstance(data, list):
        return []
    return [
        Reason(str(item["code"]), dict(item.get("params") or {}))
        for item in data
        if isinstance(item, dict) and "code" in item
    ]
