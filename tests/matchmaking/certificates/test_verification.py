"""Certified means verified: a claim counts only once it matches the register."""

from __future__ import annotations

from datetime import date, timedelta

from matchmaking.catalogue.certification import certificate_state, is_certified
from matchmaking.catalogue.products import create_product
from matchmaking.certificates.officer import link_claim, officer_queue, reject_claim
from matchmaking.certificates.register import import_register
from matchmaking.errors import Forbidden
from matchmaking.models import CertificateEntry, Notification, Product
from matchmaking.places import resolve_province
from search import products as documents
from search.client import SearchClient
from search.indexer import reindex, sync_outbox
from tests.factories import make_account, make_producer
from tests.matchmaking.certificates.register_files import register_csv, row

LANG_SON = resolve_province("Lạng Sơn")
TODAY = date.today()
DECIDED = TODAY - timedelta(days=100)


async def producer_claiming(number: str = "1520/QĐ-UBND", stars: int = 5,
                            name: str = "Tinh dầu hồi Văn Quan") -> Product:
    owner = await make_account("producer")
    await make_producer(owner=owner, name="HTX Hồi Văn Quan", province_code=LANG_SON)
    return await create_product(owner, {
        "name": name, "group": "herbal", "subgroup": "herbal_food", "stars": stars,
        "certificate_number": number, "decision_date": DECIDED.isoformat(),
        "price_vnd": "250000", "unit": "chai", "monthly_capacity": "100", "publish": "1",
    })


def decision(**values: object) -> bytes:
    return register_csv([row(decision_date=DECIDED.isoformat(), **values)])


async def officer(province: str | None = "Lạng Sơn") -> object:
    return await make_account("officer",
                              province_code=resolve_province(province) if province else None)


async def test_invented_certificate_is_pending_not_certified(db: str) -> None:
    product = await producer_claiming(number="FAKE-0001")
    assert (product.verification, is_certified(product, TODAY)) == ("pending", False)
    assert certificate_state(product, TODAY) == "pending"
    assert [item.product.id for item in await officer_queue(await officer())] == [product.id]


async def test_importing_the_decision_certifies_with_the_registers_stars(db: str) -> None:
    product = await producer_claiming(stars=5)
    report = await import_register(await officer(), filename="qd.csv",
                                   content=decision(product_name="TINH DAU HOI VAN QUAN"))
    assert report.products_verified == 1
    await product.refresh_from_db()
    assert (product.verification, product.verified_stars) == ("verified", 4)  # not the claimed 5
    assert is_certified(product, TODAY)
    assert await officer_queue(await officer()) == []


async def test_claim_made_after_the_import_matches_at_once(db: str) -> None:
    await import_register(await officer(), filename="qd.csv", content=decision())
    product = await producer_claiming(number="1520/qđ-ubnd")
    assert certificate_state(product, TODAY) == "certified"


async def test_same_number_other_product_name_stays_pending(db: str) -> None:
    await import_register(await officer(), filename="qd.csv", content=decision())
    product = await producer_claiming(name="Tinh dầu quế")
    assert product.verification == "pending"


async def test_expired_register_entry_greys_the_stars(db: str) -> None:
    old = TODAY - timedelta(days=4 * 365)
    await import_register(await officer(), filename="qd.csv",
                          content=register_csv([row(decision_date=old.isoformat())]))
    product = await producer_claiming()
    await product.refresh_from_db()
    assert certificate_state(product, TODAY) == "expired"
    assert not is_certified(product, TODAY)


async def test_officer_links_and_rejects_by_hand_within_scope(db: str) -> None:
    await import_register(await officer(), filename="qd.csv", content=decision())
    entry = await CertificateEntry.get()
    typo = await producer_claiming(number="1502/QD-UBND")
    fake = await producer_claiming(number="FAKE-0001", name="Rượu Mẫu Sơn")
    outsider = await officer("Hà Nội")
    try:
        await link_claim(outsider, typo.id, entry.id)
        raise AssertionError("an officer of another province linked a claim")
    except Forbidden:
        pass
    local = await officer()
    await link_claim(local, typo.id, entry.id)
    await reject_claim(local, fake.id, reason="Không có trong quyết định 1520/QĐ-UBND")
    await typo.refresh_from_db()
    await fake.refresh_from_db()
    assert certificate_state(typo, TODAY) == "certified"
    assert certificate_state(fake, TODAY) == "rejected"
    assert await Notification.filter(kind="certificate.rejected").count() == 1


async def test_import_makes_the_product_certified_in_search(db: str, search: SearchClient) -> None:
    product = await producer_claiming()
    await Product.filter(id=product.id).update(status="published")
    await reindex(search, today=TODAY)
    index = search.raw.index(search.index_uid(documents.INDEX))
    hit = search.call(index.search, "tinh dau hoi", None)["hits"][0]
    assert (hit["certified"], hit["stars"], hit["verification"]) == (False, None, "pending")
    await import_register(await officer(), filename="qd.csv", content=decision())
    await sync_outbox(search, today=TODAY)
    hits = search.call(index.search, "tinh dau hoi", {"filter": "certified = true"})["hits"]
    assert [(h["id"], h["stars"], h["verification"]) for h in hits] == [
        (product.id, 4, "verified")]
