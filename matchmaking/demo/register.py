"""The demo's certificate register: a recognition decision for each product the seed verifies.

The seed marks most rated products verified and a few as claims still pending; this writes the
register entries behind the verified ones, so that the demo shows every state: certified,
expired (decided over 36 months ago), pending verification (chờ xác minh) and unrated.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from matchmaking.certificates.keys import name_key, number_key
from matchmaking.enums import DecisionLevel, Verification
from matchmaking.models import CertificateEntry, Product
from matchmaking.places import short_province_name

FIELDS = ("id", "name", "group", "subgroup", "stars", "certificate_number",
          "certificate_authority", "decision_date", "certificate_expiry", "producer__name",
          "producer__kind", "producer__tax_code", "producer__province_code")
BATCH = 500


async def register_verified_products(conn: BaseDBAsyncClient) -> int:
    """Write one register entry per verified product, with the product's id, and link them.

    Side effects: CertificateEntry rows, products' certificate_entry_id. Returns the count."""
    rows = await Product.filter(verification=Verification.VERIFIED).using_db(conn).order_by(
        "id").values(*FIELDS)
    entries, seen = [], set()
    for row in rows:
        identity = (number_key(row["certificate_number"]), name_key(row["producer__name"]),
                    name_key(row["name"]))
        if identity in seen:
            continue
        seen.add(identity)
        entries.append(CertificateEntry(
            id=row["id"], lineage=row["id"], decision_number=row["certificate_number"],
            decision_key=identity[0], decision_date=row["decision_date"],
            authority=row["certificate_authority"] or "",
            level=DecisionLevel.CENTRAL if row["stars"] == 5 else DecisionLevel.PROVINCE,
            province_recorded=short_province_name(row["producer__province_code"]),
            province_code=row["producer__province_code"], producer_name=row["producer__name"],
            producer_key=identity[1], producer_kind=str(row["producer__kind"]),
            tax_code=row["producer__tax_code"], product_name=row["name"], product_key=identity[2],
            group=str(row["group"]), subgroup=row["subgroup"], stars=row["stars"],
            certificate_number=row["certificate_number"], certificate_key=identity[0],
            expiry=row["certificate_expiry"],
        ))
    await CertificateEntry.bulk_create(entries, batch_size=BATCH, using_db=conn)
    ids = [entry.id for entry in entries]
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        await conn.execute_query(
            "UPDATE product SET certificate_entry_id = id WHERE id IN ("
            + ", ".join(str(i) for i in chunk) + ")")
    if ids and conn.capabilities.dialect == "postgres":  # explicit ids: move the sequence on
        await conn.execute_query("SELECT setval(pg_get_serial_sequence('certificate_entry', 'id'),"
                                 " (SELECT MAX(id) FROM certificate_entry))")
    return len(entries)
