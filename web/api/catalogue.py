"""The catalogue API: a producer's profile and products (search lives in web/api/products.py)."""

from __future__ import annotations

from datetime import date
from typing import TypedDict

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from config.i18n import gettext as _
from matchmaking.catalogue import products as catalogue
from matchmaking.catalogue.certification import is_certified
from matchmaking.catalogue.products import ProductInput, ProfileInput
from matchmaking.clock import today_in_vietnam
from matchmaking.enums import ProducerKind, ProductGroup, ProductStatus, QualityMark, Role, Verification
from matchmaking.errors import ValidationFailed
from matchmaking.models import Producer, Product
from matchmaking.permissions import require_role
from matchmaking.places import short_province_name
from web.api.common import json_body
from web.api.openapi import INVALID, PROVINCE, UNAUTHENTICATED, Body, operation
from web.auth import current_account


class ProducerJson(TypedDict):
    id: int
    name: str
    kind: ProducerKind
    tax_code: str | None
    province_code: int
    province: str
    ward_code: int | None
    address: str
    contact_name: str
    phone: str
    email: str
    description: str


class ProductJson(TypedDict):
    id: int
    code: str
    name: str
    group: ProductGroup
    subgroup: str
    description: str
    stars: int | None
    certified: bool
    verification: Verification
    verified_stars: int | None
    verified_expiry: str | None
    certificate_number: str | None
    certificate_authority: str | None
    decision_date: str | None
    certificate_expiry: str | None
    price_vnd: int
    unit: str
    min_order: float
    monthly_capacity: float
    net_quantity: float | None
    net_unit: str | None
    shelf_life_days: int | None
    quality_marks: list[str]
    status: ProductStatus
    producer_id: int


class StatusRequest(TypedDict):
    status: ProductStatus


def producer_json(producer: Producer) -> ProducerJson:
    return {
        "id": producer.id, "name": producer.name, "kind": ProducerKind(producer.kind),
        "tax_code": producer.tax_code, "province_code": producer.province_code,
        "province": short_province_name(producer.province_code), "ward_code": producer.ward_code,
        "address": producer.address, "contact_name": producer.contact_name,
        "phone": producer.phone, "email": producer.email, "description": producer.description,
    }


def product_json(product: Product, today: date) -> ProductJson:
    def iso(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": product.id, "code": product.code, "name": product.name,
        "group": ProductGroup(product.group), "subgroup": product.subgroup,
        "description": product.description, "stars": product.stars,
        "certified": is_certified(product, today),
        "verification": product.verification,
        "verified_stars": product.verified_stars,
        "verified_expiry": iso(product.verified_expiry),
        "certificate_number": product.certificate_number,
        "certificate_authority": product.certificate_authority,
        "decision_date": iso(product.decision_date),
        "certificate_expiry": iso(product.certificate_expiry),
        "price_vnd": product.price_vnd, "unit": product.unit,
        "min_order": float(product.min_order), "monthly_capacity": float(product.monthly_capacity),
        "net_quantity": None if product.net_quantity is None else float(product.net_quantity),
        "net_unit": product.net_unit, "shelf_life_days": product.shelf_life_days,
        "quality_marks": list(product.quality_marks), "status": ProductStatus(product.status),
        "producer_id": product.producer_id,
    }


NOT_PRODUCER = "not a producer"
PROFILE_BODY = Body(ProfileInput, required=["name", "kind", "province_code"],
                    fields={"province_code": PROVINCE})
PRODUCT_BODY = Body(
    ProductInput, required=["name", "group", "subgroup", "price_vnd", "unit", "monthly_capacity"],
    fields={"stars": {"type": "integer", "enum": [3, 4, 5], "nullable": True},
            "certificate_expiry": {"type": "string", "format": "date", "nullable": True,
                                   "description": "default: decision + 36 months"},
            "quality_marks": {"type": "array", "items": {"type": "string", "enum": [
                m.value for m in QualityMark]}},
            "min_order": {"anyOf": [{"type": "number"}, {"type": "string"}],
                          "description": "in unit; text as typed: 1,5 or 1.500"},
            "monthly_capacity": {"anyOf": [{"type": "number"}, {"type": "string"}],
                                 "description": "in unit, per month; text as typed"},
            "net_quantity": {"anyOf": [{"type": "number"}, {"type": "string"}], "nullable": True,
                             "description": "a container's net content (hộp, chai, túi, gói)"},
            "net_unit": {"type": "string", "enum": ["g", "kg", "ml", "lít"], "nullable": True},
            "publish": {"type": "boolean", "description": "publish at once (POST only)"}})


@operation(summary="The calling producer's profile", tags=["catalogue"],
           responses={200: ("the profile", ProducerJson), 401: UNAUTHENTICATED,
                      403: NOT_PRODUCER, 404: "no profile yet"})
async def get_profile(request: Request) -> Response:
    producer = await catalogue.own_producer(current_account(request))
    return JSONResponse(producer_json(producer))


@operation(summary="Create or replace the calling producer's profile", tags=["catalogue"],
           body=PROFILE_BODY,
           responses={200: ("the saved profile", ProducerJson), 401: UNAUTHENTICATED,
                      403: NOT_PRODUCER, 422: INVALID})
async def put_profile(request: Request) -> Response:
    account = require_role(current_account(request), Role.PRODUCER)
    producer = await catalogue.save_profile(account, await json_body(request))
    return JSONResponse(producer_json(producer))


@operation(summary="The calling producer's products, every status", tags=["catalogue"],
           responses={200: ("products, newest change first", list[ProductJson]),
                      401: UNAUTHENTICATED, 403: NOT_PRODUCER, 404: "no profile yet"})
async def my_products(request: Request) -> Response:
    producer = await catalogue.own_producer(current_account(request))
    items = await catalogue.producer_products(producer, include_unpublished=True)
    today = today_in_vietnam()
    return JSONResponse([product_json(p, today) for p in items])


@operation(summary="Add a product (a draft unless publish is true)", tags=["catalogue"],
           body=PRODUCT_BODY,
           responses={201: ("the product", ProductJson), 401: UNAUTHENTICATED,
                      403: NOT_PRODUCER, 404: "no profile yet", 422: INVALID})
async def create_product(request: Request) -> Response:
    account = require_role(current_account(request), Role.PRODUCER)
    data = await json_body(request)
    product = await catalogue.create_product(account, data)
    if data.get("publish") is True:
        product = await catalogue.set_product_status(account, product.id, ProductStatus.PUBLISHED)
    return JSONResponse(product_json(product, today_in_vietnam()), status_code=201)


@operation(summary="One product; drafts and archived products only for their producer",
           tags=["catalogue"], public=True,
           responses={200: ("the product", ProductJson), 404: "no such published product"})
async def get_product(request: Request) -> Response:
    product = await catalogue.visible_product(
        current_account(request), int(request.path_params["product_id"])
    )
    return JSONResponse(product_json(product, today_in_vietnam()))


@operation(summary="Replace one of the caller's products", tags=["catalogue"], body=PRODUCT_BODY,
           responses={200: ("the product", ProductJson), 401: UNAUTHENTICATED,
                      403: NOT_PRODUCER, 404: "not one of the caller's products", 422: INVALID})
async def update_product(request: Request) -> Response:
    account = require_role(current_account(request), Role.PRODUCER)
    product = await catalogue.update_product(
        account, int(request.path_params["product_id"]), await json_body(request)
    )
    return JSONResponse(product_json(product, today_in_vietnam()))


@operation(summary="Publish, archive or return a product to draft", tags=["catalogue"],
           body=Body(StatusRequest, required=["status"]),
           responses={200: ("the product", ProductJson), 401: UNAUTHENTICATED,
                      403: NOT_PRODUCER, 404: "not one of the caller's products",
                      422: "unknown status"})

async def set_status(request: Request) -> Response:
    require_role(current_account(request), Role.PRODUCER)
    status = (await json_body(request)).get("status")
    if not isinstance(status, str) or status not in {s.value for s in ProductStatus}:
        raise ValidationFailed({"status": _("Unknown status.")})
    product = await catalogue.set_product_status(
        current_account(request), int(request.path_params["product_id"]), ProductStatus(status)
    )
    return JSONResponse(product_json(product, today_in_vietnam()))


routes = [
    Route("/api/producer/profile", get_profile, methods=["GET"]),
    Route("/api/producer/profile", put_profile, methods=["PUT"]),
    Route("/api/producer/products", my_products, methods=["GET"]),
    Route("/api/products", create_product, methods=["POST"]),
    Route("/api/products/{product_id:int}", get_product, methods=["GET"]),
    Route("/api/products/{product_id:int}", update_product, methods=["PUT"]),
    Route("/api/products/{product_id:int}/status", set_status, methods=["POST"]),
]
