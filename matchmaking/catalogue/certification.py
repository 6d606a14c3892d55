"""Whether a product's stars count: the one rule for badges, search, fairs and matching."""

from __future__ import annotations

from datetime import date

from matchmaking.models import Product


def is_certified(product: Product, today: date) -> bool:
    """3-5 stars with a certificate that has not expired."""
    return (
        product.stars is not None
        and product.stars >= 3
        and product.certificate_expiry is not None
        and product.certificate_expiry >= today
    )


def certificate_state(product: Product, today: date) -> str:
    """'certified', 'expired' (3-5 stars, certificate lapsed), 'below' (1-2 stars) or 'unrated'."""
    if is_certified(product, today):
        return "certified"
    if product.stars is None:
        return "unrated"
    return "expired" if product.stars >= 3 else "below"
