"""Whether a product's stars count: the one rule for badges, search, fairs and matching."""

from __future__ import annotations

from datetime import date

from matchmaking.models import Product


def counts_as_certified(stars: int | None, expiry: date | None, today: date) -> bool:
    """The rule on plain values: 3-5 stars whose certificate has not expired."""
    return stars is not None and stars >= 3 and expiry is not None and expiry >= today


def is_certified(product: Product, today: date) -> bool:
    """3-5 stars with a certificate that has not expired."""
    return counts_as_certified(product.stars, product.certificate_expiry, today)


def certificate_state(product: Product, today: date) -> str:
    """'certified', 'expired' (3-5 stars, certificate lapsed), 'below' (1-2 stars) or 'unrated'."""
    if is_certified(product, today):
        return "certified"
    if product.stars is None:
        return "unrated"
    return "expired" if product.stars >= 3 else "below"
