"""Certified means verified: a producer's claim counts once it matches the register.

A claim matches an entry when its certificate number is the entry's certificate or decision
number and its product name is the entry's (both compared without accents, case or punctuation),
or when an officer links the two by hand. A matched product carries the stars and expiry of its
registered product's latest entry (`verified_stars`, `verified_expiry`), which is what
matchmaking.catalogue.certification reads.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from matchmaking.certificates.keys import name_key, number_key
from matchmaking.enums import DecisionLevel, OutboxOp, Verification
from matchmaking.models import CertificateEntry, Product, SearchOutbox


def certifies(entry: CertificateEntry) -> bool:
    """Whether an entry can certify: 3-5 stars from a province or the centre (not a district)."""
    return entry.stars >= 3 and entry.level != DecisionLevel.DISTRICT


async def latest_entries(lineages: Collection[int]) -> dict[int, CertificateEntry]:
    """The newest entry (latest decision) of each registered product."""
    latest: dict[int, CertificateEntry] = {}
    if not lineages:
        return latest
    for entry in await CertificateEntry.filter(lineage__in=list(lineages)).order_by(
            "decision_date", "id"):
        latest[entry.lineage] = entry
    return latest


def _apply(product: Product, entry: CertificateEntry | None, state: Verification) -> bool:
    """Set a product's verified fields; whether anything changed."""
    stars = entry.stars if entry is not None and certifies(entry) else None
    expiry = entry.expiry if stars is not None and entry is not None else None
    new = (state, entry.id if entry else None, stars, expiry)
    old = (product.verification, product.certificate_entry_id,  # type: ignore[attr-defined]
           product.verified_stars, product.verified_expiry)
    if new == old:
        return False
    product.verification = state
    product.certificate_entry_id = entry.id if entry else None
    product.verified_stars, product.verified_expiry = stars, expiry
    return True


async def _save(products: Iterable[Product], *, queue: bool = True) -> list[int]:
    changed = list(products)
    for product in changed:
        await product.save(update_fields=["verification", "certificate_entry_id", "verified_stars",
                                          "verified_expiry"])
    if changed and queue:
        await SearchOutbox.bulk_create([SearchOutbox(entity="product", entity_id=p.id,
                                                     op=OutboxOp.UPSERT) for p in changed])
    return [p.id for p in changed]


async def _matching_entry(product: Product) -> CertificateEntry | None:
    if not product.certificate_number:
        return None
    number = number_key(product.certificate_number)
    candidates = await CertificateEntry.filter(product_key=name_key(product.name)).filter(
        certificate_key=number).order_by("-decision_date").first()
    if candidates is None:
        candidates = await CertificateEntry.filter(
            product_key=name_key(product.name), decision_key=number).order_by(
            "-decision_date").first()
    return candidates


def claim(product: Product) -> tuple[object, ...]:
    """What a producer claims: a change of any of it needs verifying again."""
    return (product.name, product.stars, product.certificate_number, product.decision_date)


async def verify_claim(product: Product, *, changed_claim: bool = True) -> bool:
    """Match a product's claim to the register after the producer saved it.

    A product without stars claims nothing. When the claim changed, an officer's rejection or
    hand-made link no longer holds and the claim is matched afresh; otherwise both stay.
    Side effects: saves the product when its state changed (the caller, having saved the claim,
    queues it for the search index). Returns whether it changed."""
    if changed_claim and product.verification == Verification.REJECTED:
        product.verification = Verification.PENDING
    if changed_claim:
        product.certificate_entry_id = None
    if product.stars is None:
        changed = _apply(product, None, Verification.NONE)
    elif product.verification == Verification.REJECTED:
        return False
    else:
        entry = await _matching_entry(product)
        if entry is None and product.verification == Verification.VERIFIED and \
                product.certificate_entry_id:  # type: ignore[attr-defined]
            entry = await CertificateEntry.get_or_none(
                id=product.certificate_entry_id)  # type: ignore[attr-defined]
        if entry is None:
            changed = _apply(product, None, Verification.PENDING)
        else:
            latest = (await latest_entries([entry.lineage]))[entry.lineage]
            changed = _apply(product, latest, Verification.VERIFIED)
    return bool(await _save([product], queue=False)) if changed else False


async def refresh_after_import(entries: Collection[CertificateEntry]) -> list[int]:
    """After new register entries: relink the products of their registered products to the
    latest entry, and match pending claims to them. Side effects: saves changed products and
    queues them for the search index. Returns the changed products' ids."""
    lineages = {entry.lineage for entry in entries}
    latest = await latest_entries(lineages)
    entry_ids = await CertificateEntry.filter(lineage__in=list(lineages)).values_list(
        "id", flat=True)
    changed: dict[int, Product] = {}
    for product in await Product.filter(certificate_entry_id__in=list(entry_ids)):
        current = await CertificateEntry.get(id=product.certificate_entry_id)  # type: ignore[attr-defined]
        if _apply(product, latest[current.lineage], Verification.VERIFIED):
            changed[product.id] = product
    numbers = {e.certificate_key for e in entries} | {e.decision_key for e in entries}
    names = {e.product_key: e for e in latest.values()}
    pending = Product.filter(verification=Verification.PENDING, stars__isnull=False,
                             certificate_number__isnull=False)
    for product in await pending:
        if number_key(product.certificate_number or "") not in numbers:
            continue
        entry = await _matching_entry(product)
        if entry is not None and entry.product_key in names and _apply(
                product, latest.get(entry.lineage, entry), Verification.VERIFIED):
            changed[product.id] = product
    return await _save(changed.values())


async def link(product: Product, entry: CertificateEntry) -> None:
    """An officer's link of a claim to an entry (scope checked by the caller)."""
    latest = (await latest_entries([entry.lineage]))[entry.lineage]
    if _apply(product, latest, Verification.VERIFIED):
        await _save([product])


async def reject(product: Product) -> None:
    """An officer's rejection of a claim (scope checked by the caller)."""
    if _apply(product, None, Verification.REJECTED):
        await _save([product])
