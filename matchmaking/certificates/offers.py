"""A producer whose tax code the register knows is offered its recognised products to list."""

from __future__ import annotations

from matchmaking.catalogue.products import own_producer
from matchmaking.certificates.keys import name_key
from matchmaking.certificates.verification import latest_entries
from matchmaking.enums import DecisionLevel
from matchmaking.errors import NotFound
from matchmaking.models import Account, CertificateEntry, Product


async def recognised_products(actor: Account | None) -> list[CertificateEntry]:
    """The latest 3-5 star entries registered under the producer's tax code that none of its
    products lists yet, newest decision first (none without a tax code)."""
    producer = await own_producer(actor)
    if not producer.tax_code:
        return []
    rows = await CertificateEntry.filter(tax_code=producer.tax_code).values("lineage")
    latest = await latest_entries({int(row["lineage"]) for row in rows})
    names = await Product.filter(producer=producer).values("name")
    listed = {name_key(str(row["name"])) for row in names}
    offers = [e for e in latest.values() if e.stars >= 3 and e.level != DecisionLevel.DISTRICT
              and e.product_key not in listed]
    return sorted(offers, key=lambda e: (e.decision_date, e.id), reverse=True)


async def listing_of(actor: Account | None, entry_id: int) -> dict[str, str]:
    """The product form's values for a recognised product of the producer's (its name, group,
    rating and certificate as the register has them); NotFound for another's entry."""
    offers = {entry.id: entry for entry in await recognised_products(actor)}
    entry = offers.get(entry_id)
    if entry is None:
        raise NotFound("certificate entry")
    return {
        "name": entry.product_name, "group": entry.group, "subgroup": entry.subgroup,
        "stars": str(entry.stars), "certificate_number": entry.certificate_number,
        "certificate_authority": entry.authority,
        "decision_date": entry.decision_date.strftime("%d/%m/%Y"),
        "certificate_expiry": entry.expiry.strftime("%d/%m/%Y"), "unit": "kg", "min_order": "1",
    }
