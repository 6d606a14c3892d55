"""The catalogue API: a producer's profile and products (search lives in web/api/products.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from config.i18n import gettext as _
from matchmaking.catalogue import products as catalogue
from matchmaking.catalogue.certification import is_certified
from matchmaking.clock import today_in_vietnam
from matchmaking.enums import ProductStatus, Role
from matchmaking.errors import ValidationFailed
from matchmaking.models import Producer, Product
from matchmaking.permissions import require_role
from matchmaking.places import short_province_name
from web.api.common import json_body
from web.auth import current_account


def producer_json(producer: Producer) -> dict[str, Any]:
    return {
        "id": producer.id, "name": producer.name, "kind": str(producer.kind),
        "tax_code": producer.tax_code, "province_code": producer.province_code,
        "province": short_province_name(producer.province_code), "ward_code": producer.ward_code,
        "address": producer.address, "contact_name": producer.contact_name,
        "phone": producer.phone, "email": producer.email, "description": producer.description,
    }


def product_json(product: Product, today: date) -> dict[str, Any]:
    def iso(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": product.id, "code": product.code, "name": product.name,
        "group": str(product.group), "subgroup": product.subgroup,
        "description": product.description, "stars": product.stars,
        "certified": is_certified(product, today),
        "certificate_number": product.certificate_number,
        "certificate_authority": product.certificate_authority,
        "decision_date": iso(product.decision_date),
        "certificate_expiry": iso(product.certificate_expiry),
        "price_vnd": product.price_vnd, "unit": product.unit, "min_order": product.min_order,
        "monthly_capacity": product.monthly_capacity, "shelf_life_days": product.shelf_life_days,
        "quality_marks": list(product.quality_marks), "status": str(product.status),
        "producer_id": product.producer_id,
    }


async def get_profile(request: Request) -> Response:
    """
    summary: The calling producer's profile
    tags: [catalogue]
    responses:
      200: {description: the profile}
      401: {description: not authenticated}
      403: {description: not a producer}
      404: {description: no profile yet}
    """
    producer = await catalogue.own_producer(current_account(request))
    return JSONResponse(producer_json(producer))


async def put_profile(request: Request) -> Response:
    """
    summary: Create or replace the calling producer's profile
    tags: [catalogue]
    requestBody:
      required: true
      content:
        application/json:
          schema:
            type: object
            required: [name, kind, province_code]
            properties:
              name: {type: string}
              kind: {type: string, enum: [cooperative, cooperative_group, enterprise, household]}
              tax_code: {type: string}
              province_code: {type: string, description: "code, or a province name, old or new"}
              ward_code: {type: integer}
              address: {type: string}
              contact_name: {type: string}
              phone: {type: string}
              email: {type: string}
              description: {type: string}
    responses:
      200: {description: the saved profile}
      422: {description: "field errors: {error, errors}"}
    """
    account = require_role(current_account(request), Role.PRODUCER)
    producer = await catalogue.save_profile(account, await json_body(request))
    return JSONResponse(producer_json(producer))


async def my_products(request: Request) -> Response:
    """
    summary: The calling producer's products, every status
    tags: [catalogue]
    responses:
      200: {description: products, newest change first}
    """
    producer = await catalogue.own_producer(current_account(request))
    items = await catalogue.producer_products(producer, include_unpublished=True)
    today = today_in_vietnam()
    return JSONResponse([product_json(p, today) for p in items])


PRODUCT_BODY = """
    requestBody:
      required: true
      content:
        application/json:
          schema:
            type: object
            required: [name, group, subgroup, price_vnd, unit, monthly_capacity]
            properties:
              code: {type: string}
              name: {type: string}
              group: {type: string}
              subgroup: {type: string}
              description: {type: string}
              stars: {type: integer, enum: [3, 4, 5], nullable: true}
              certificate_number: {type: string}
              certificate_authority: {type: string}
              decision_date: {type: string, format: date}
              certificate_expiry: {type: string, format: date, description: "default: decision + 36 months"}
              price_vnd: {type: integer, minimum: 1}
              unit: {type: string}
              min_order: {type: integer, minimum: 1}
              monthly_capacity: {type: integer}
              shelf_life_days: {type: integer}
              quality_marks: {type: array, items: {type: string}}
              publish: {type: boolean}
"""


async def create_product(request: Request) -> Response:
    account = require_role(current_account(request), Role.PRODUCER)
    data = await json_body(request)
    product = await catalogue.create_product(account, data)
    if data.get("publish") is True:
        product = await catalogue.set_product_status(account, product.id, ProductStatus.PUBLISHED)
    return JSONResponse(product_json(product, today_in_vietnam()), status_code=201)


create_product.__doc__ = """
    summary: Add a product (a draft unless publish is true)
    tags: [catalogue]
""" + PRODUCT_BODY + """
    responses:
      201: {description: the product}
      422: {description: "field errors: {error, errors}"}
"""


async def get_product(request: Request) -> Response:
    """
    summary: One product; drafts and archived products only for their producer
    tags: [catalogue]
    security: []
    parameters:
      - {name: product_id, in: path, required: true, schema: {type: integer}}
    responses:
      200: {description: the product}
      404: {description: no such published product}
    """
    product = await catalogue.visible_product(
        current_account(request), int(request.path_params["product_id"])
    )
    return JSONResponse(product_json(product, today_in_vietnam()))


async def update_product(request: Request) -> Response:
    account = require_role(current_account(request), Role.PRODUCER)
    product = await catalogue.update_product(
        account, int(request.path_params["product_id"]), await json_body(request)
    )
    return JSONResponse(product_json(product, today_in_vietnam()))


update_product.__doc__ = """
    summary: Replace one of the caller's products
    tags: [catalogue]
    parameters:
      - {name: product_id, in: path, required: true, schema: {type: integer}}
""" + PRODUCT_BODY + """
    responses:
      200: {description: the product}
      404: {description: not one of the caller's products}
      422: {description: field errors}
"""


async def set_status(request: Request) -> Response:
    """
    summary: Publish, archive or return a product to draft
    tags: [catalogue]
    parameters:
      - {name: product_id, in: path, required: true, schema: {type: integer}}
    requestBody:
      required: true
      content:
        application/json:
          schema:
            type: object
            required: [status]
            properties:
              status: {type: string, enum: [draft, published, archived]}
    responses:
      200: {description: the product}
      404: {description: not one of the caller's products}
      422: {description: unknown status}
    """
    require_role(current_account(request), Role.PRODUCER)
    status = (await json_body(request)).get("status")
    if status not in {s.value for s in ProductStatus}:
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
