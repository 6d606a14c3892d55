"""Whether a product's stars count: the one rule for badges, search, fairs and matching.

A producer's stars are a claim; they count only when the claim matches the certificate register
(see matchmaking.certificates.verification), with the stars and expiry the register gives.
"""

from __future__ import annotations

from datetime import date

from matchmaking.enums import Verification
from matchmaking.models import Product


def counts_as_certified(stars: int | None, expiry: date | None, today: date) -> bool:
    """The rule on plain values: 3-5 verified stars whose certificate has not expired."""
    return stars is not None and stars >= 3 and expiry is not None and expiry >= today


def is_certified(product: Product, today: date) -> bool:
    """3-5 stars verified against the register, with a certificate that has not expired."""
    return counts_as_certified(product.verified_stars, product.verified_expiry, today)


def certified_stars(product: Product, today: date) -> int | None:
    """The stars that count today (None unless certified)."""
    return product.verified_stars if is_certified(product, today) else None


def certificate_state(product: Product, today: date) -> str:
    """'certified', 'expired' (verified, lapsed), 'pending' (claim not yet verified, chờ xác
    minh), 'rejected' (claim refused by an officer), 'below' (verified 1-2 stars or a district
    result) or 'unrated'."""
    if is_certified(product, today):
        return "certified"
    if product.verification == Verification.VERIFIED:
        return "expired" if product.verified_stars is not None else "below"
    if product.verification == Verification.PENDING:
        return "pending"
    if product.verification == Verification.REJECTED:
        return "rejected"
    return "unrated"


def shown_rating(product: Product) -> tuple[int | None, date | None]:
    """The stars and expiry to show: the register's once verified, else the producer's claim
    (which pages show greyed, as pending)."""
    if product.verification == Verification.VERIFIED:
        return product.verified_stars, product.verified_expiry
    return product.stars, product.certificate_expiry
