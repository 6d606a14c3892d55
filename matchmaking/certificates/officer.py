"""The programme officer's work: the queue of unverified claims, linking or rejecting them.

`officer_queue(officer)` is the read model role home pages show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from matchmaking import audit
from matchmaking.certificates import verification
from matchmaking.certificates.keys import name_key, number_key
from matchmaking.enums import Verification
from matchmaking.errors import NotFound, ValidationFailed
from matchmaking.models import Account, CertificateEntry, Product
from matchmaking.notifications import notify
from matchmaking.permissions import officer_scope, require_in_scope

CANDIDATES = 5


@dataclass(frozen=True)
class QueueItem:
    """A claim waiting for verification, with the register entries that may be it."""

    product: Product
    candidates: list[CertificateEntry]


def _in_scope(scope: int | None) -> Q:
    return Q() if scope is None else Q(producer__province_code=scope)


async def _candidates(product: Product) -> list[CertificateEntry]:
    number = number_key(product.certificate_number or "")
    same = Q(product_key=name_key(product.name))
    if number:
        same |= Q(certificate_key=number) | Q(decision_key=number)
    producer = product.producer
    if producer.tax_code:
        same |= Q(tax_code=producer.tax_code)
    found = CertificateEntry.filter(same, province_code=producer.province_code)
    return await found.order_by("-decision_date").limit(CANDIDATES)


async def officer_queue(officer: Account | None, *, limit: int = 100) -> list[QueueItem]:
    """Claims of the officer's province (every province for a national officer) still pending,
    oldest first, each with up to five candidate entries."""
    scope = officer_scope(officer)
    pending = Product.filter(_in_scope(scope), verification=Verification.PENDING)
    products = await pending.select_related("producer").order_by("updated_at", "id").limit(limit)
    return [QueueItem(product, await _candidates(product)) for product in products]


async def pending_count(officer: Account | None) -> int:
    scope = officer_scope(officer)
    return await Product.filter(_in_scope(scope), verification=Verification.PENDING).count()


async def _product(actor: Account | None, product_id: int) -> Product:
    product = await Product.get_or_none(id=product_id).select_related("producer__owner")
    if product is None:
        raise NotFound("product")
    require_in_scope(actor, product.producer.province_code)
    return product


async def link_claim(actor: Account | None, product_id: int, entry_id: int, *,
                     public_url: str = "", client_address: str = "") -> Product:
    """An officer links a product to its register entry by hand. Side effects: the product's
    verified state, an outbox row, an audit entry, a message to the producer."""
    product = await _product(actor, product_id)
    entry = await CertificateEntry.get_or_none(id=entry_id)
    if entry is None:
        raise ValidationFailed({"entry": _("Choose an entry of the register.")})
    require_in_scope(actor, entry.province_code)
    async with in_transaction():
        await verification.link(product, entry)
        await audit.record("certificates.link", actor=actor, target_type="product",
                           target_id=product.id, detail={"entry": entry.id},
                           client_address=client_address)
        if product.producer.owner is not None:
            await notify(cast(Account, product.producer.owner), kind="certificate.verified",
                         title=_("Your OCOP certificate is verified"),
                         body=_("“%(name)s” now shows as certified with %(stars)s stars.")
                         % {"name": product.name, "stars": entry.stars},
                         link=f"/products/{product.id}", public_url=public_url)
    return product


async def reject_claim(actor: Account | None, product_id: int, *, reason: str,
                       public_url: str = "", client_address: str = "") -> Product:
    """An officer rejects a claim that matches no decision. Side effects: the product's state,
    an outbox row, an audit entry, a message to the producer with the reason."""
    product = await _product(actor, product_id)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed({"reason": _("Say why, so that the producer can correct it.")})
    async with in_transaction():
        await verification.reject(product)
        await audit.record("certificates.reject", actor=actor, target_type="product",
                           target_id=product.id, detail={"reason": reason[:300]},
                           client_address=client_address)
        if product.producer.owner is not None:
            await notify(cast(Account, product.producer.owner), kind="certificate.rejected",
                         title=_("Your OCOP certificate could not be verified"),
                         body=_("“%(name)s”: %(reason)s") % {"name": product.name,
                                                             "reason": reason[:300]},
                         link=f"/producer/products/{product.id}/edit", public_url=public_url)
    return product
