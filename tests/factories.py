"""Makers of valid domain objects for tests: each returns an async function with defaults."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from itertools import count
from typing import Any

from matchmaking.enums import BuyerKind, ProducerKind, ProductGroup, ProductStatus
from matchmaking.models import Account, Buyer, Demand, Producer, Product

_sequence = count(1)

HANOI = 1
PUBLIC_URL = "https://ocop.test"


async def make_producer(**overrides: Any) -> Producer:
    n = next(_sequence)
    values: dict[str, Any] = {
        "name": f"HTX Chè Shan Tuyết {n}",
        "kind": ProducerKind.COOPERATIVE,
        "province_code": HANOI,
        "ward_code": 70,
    }
    values.update(overrides)
    return await Producer.create(**values)


async def make_product(producer: Producer | None = None, **overrides: Any) -> Product:
    n = next(_sequence)
    decision = date.today() - timedelta(days=200)
    values: dict[str, Any] = {
        "producer": producer or await make_producer(),
        "code": f"SP{n:04d}",
        "name": f"Trà Shan tuyết cổ thụ {n}",
        "group": ProductGroup.BEVERAGES,
        "subgroup": "tea",
        "stars": 4,
        "certificate_number": f"{n}/QĐ-UBND",
        "certificate_authority": "UBND tỉnh Hà Giang",
        "decision_date": decision,
        "certificate_expiry": decision + timedelta(days=3 * 365),
        "price_vnd": 350_000,
        "unit": "kg",
        "min_order": 10,
        "monthly_capacity": 500,
        "status": ProductStatus.PUBLISHED,
    }
    values.update(overrides)
    if "verification" not in overrides and values["stars"] is not None:
        # By default a rated product is one an officer verified against the register.
        values.update(verification="verified", verified_stars=values["stars"],
                      verified_expiry=values["certificate_expiry"])
    return await Product.create(**values)


Maker = Callable[..., Awaitable[Any]]


PASSWORD = "Che-Shan-Tuyet-2026"


async def make_account(role: str = "producer", **overrides: Any) -> Any:
    from matchmaking.accounts.passwords import hash_password
    from matchmaking.enums import Language, Role
    from matchmaking.models import Account

    n = next(_sequence)
    values: dict[str, Any] = {
        "email": f"{role}{n}@ocop.test",
        "password_hash": _hash_once(hash_password),
        "display_name": f"{role.title()} {n}",
        "role": Role(role),
        "language": Language.VI,
    }
    values.update(overrides)
    return await Account.create(**values)


_hash_cache: dict[str, str] = {}


def _hash_once(hasher: Callable[[str], str]) -> str:
    if PASSWORD not in _hash_cache:
        _hash_cache[PASSWORD] = hasher(PASSWORD)
    return _hash_cache[PASSWORD]


async def make_buyer(owner: Account | None = None, **overrides: Any) -> Buyer:
    values: dict[str, Any] = {
        "owner": owner or await make_account("buyer"), "name": "Siêu thị Nông sản Sạch",
        "kind": BuyerKind.SUPERMARKET, "province_code": 1, "contact_name": "Chị Lan",
        "phone": "0912 345 678", "email": "mua@sieuthi.test",
    }
    values.update(overrides)
    return await Buyer.create(**values)


async def make_demand(buyer: Buyer | None = None, **overrides: Any) -> Demand:
    values: dict[str, Any] = {
        "buyer": buyer or await make_buyer(), "title": "Cần 100 kg trà Shan tuyết",
        "group": "beverages", "subgroup": "tea", "quantity": 100, "unit": "kg",
        "delivery_province_code": 1, "needed_by": date.today() + timedelta(days=30),
        "valid_until": date.today() + timedelta(days=20),
    }
    values.update(overrides)
    return await Demand.create(**values)


def owner(buyer: Buyer) -> Account:
    """The account of a buyer made by make_buyer."""
    assert isinstance(buyer.owner, Account)
    return buyer.owner


async def buyer_of(demand: Demand) -> Account:
    """The account that owns a demand."""
    buyer = await Buyer.get(id=demand.buyer_id).select_related("owner")
    return owner(buyer)
