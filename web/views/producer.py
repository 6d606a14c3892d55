"""A producer's own pages: its profile, its products (forms), their photos and status."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from config.i18n import gettext as _
from config.settings import Settings
from matchmaking.catalogue import images
from matchmaking.catalogue import pages as catalogue_pages
from matchmaking.catalogue import products as catalogue
from matchmaking.catalogue.pages import certificates_of
from matchmaking.certificates.offers import listing_of, recognised_products
from matchmaking.clock import today_in_vietnam
from matchmaking.enums import ProducerKind, ProductGroup, ProductStatus, QualityMark, Role
from matchmaking.errors import ValidationFailed
from matchmaking.parsing import parse_id, quantity_input, vnd_input
from matchmaking.permissions import require_role
from matchmaking.places import province_codes, short_province_name, wards_of
from matchmaking.taxonomy import SUBGROUPS, UNITS
from web.auth import current_account
from web.forms import FormState, keep_typed, read_form
from web.labels import producer_kind_label
from web.render import render


def _choices() -> dict[str, Any]:
    return {
        "groups": [g.value for g in ProductGroup],
        "subgroups": {g.value: list(codes) for g, codes in SUBGROUPS.items()},
        "units": UNITS,
        "marks": [m.value for m in QualityMark],
        "kind_options": [(k.value, producer_kind_label(k.value)) for k in ProducerKind],
        "provinces": [(code, short_province_name(code)) for code in province_codes()],
    }


async def _profile_form(request: Request, form: FormState, status_code: int = 200) -> Response:
    province = form.value("province_code")
    wards = wards_of(int(province)) if province.isdigit() else []
    return render(request, "producer/profile.html",
                  {"form": form, "wards": wards, **_choices()}, status_code=status_code)


async def profile(request: Request) -> Response:
    account = require_role(current_account(request), Role.PRODUCER)
    if request.method == "GET":
        producer = await catalogue.producer_profile(account)
        values = {} if producer is None else {
            "name": producer.name, "kind": str(producer.kind), "tax_code": producer.tax_code or "",
            "province_code": str(producer.province_code),
            "ward_code": str(producer.ward_code or ""), "address": producer.address,
            "contact_name": producer.contact_name, "phone": producer.phone,
            "email": producer.email, "description": producer.description,
        }
        if producer is None:
            values = {"name": account.display_name, "kind": "cooperative", "email": account.email,
                      "phone": account.phone or ""}
        return await _profile_form(request, FormState(values))
    values = await read_form(request)
    try:
        await catalogue.save_profile(account, values)
    except ValidationFailed as exc:
        return await _profile_form(request, keep_typed(values, exc.errors), 422)
    return RedirectResponse("/producer/products?saved=profile", status_code=303)


async def products(request: Request) -> Response:
    account = require_role(current_account(request), Role.PRODUCER)
    producer = await catalogue.producer_profile(account)
    if producer is None:
        return RedirectResponse("/producer/profile", status_code=303)
    items = await catalogue.producer_products(producer, include_unpublished=True)
    photos = await catalogue_pages.first_photos([product.id for product in items])
    today = today_in_vietnam()
    certificates = certificates_of(items, today=today)
    return render(request, "producer/products.html",
                  {"producer": producer, "products": items, "photos": photos,
                   "certificates": certificates, "recognised": await recognised_products(account)})


def _product_values(product: Any) -> dict[str, str]:
    def text(value: object) -> str:
        return "" if value is None else str(value)

    return {
        "code": product.code, "name": product.name, "group": str(product.group),
        "subgroup": product.subgroup, "description": product.description,
        "stars": text(product.stars), "certificate_number": text(product.certificate_number),
        "certificate_authority": text(product.certificate_authority),
        "decision_date": text(product.decision_date),
        "certificate_expiry": text(product.certificate_expiry),
        "price_vnd": vnd_input(product.price_vnd), "unit": product.unit,
        "min_order": quantity_input(product.min_order),
        "monthly_capacity": quantity_input(product.monthly_capacity),
        "net_quantity": quantity_input(product.net_quantity), "net_unit": text(product.net_unit),
        "shelf_life_days": text(product.shelf_life_days),
    }


async def _product_form(request: Request, form: FormState, marks: list[str], product: Any = None,
                        status_code: int = 200) -> Response:
    photos = await catalogue_pages.product_images(product)
    return render(request, "producer/product_form.html", {
        "form": form, "selected_marks": marks, "product": product, "photos": photos,
        **_choices(),
    }, status_code=status_code)


async def _submitted(request: Request) -> tuple[dict[str, Any], list[str]]:
    form = await request.form()
    marks = [str(v) for v in form.getlist("quality_marks")]
    values = {k: v.strip() for k, v in form.items()
              if isinstance(v, str) and k not in ("csrf_token", "quality_marks")}
    group, _sep, subgroup = values.pop("group_subgroup", "").partition("/")
    values.setdefault("group", group)
    values.setdefault("subgroup", subgroup)
    return {**values, "quality_marks": marks}, marks


async def new_product(request: Request) -> Response:
    account = require_role(current_account(request), Role.PRODUCER)
    if await catalogue.producer_profile(account) is None:
        return RedirectResponse("/producer/profile", status_code=303)
    if request.method == "GET":
        entry = request.query_params.get("entry", "")
        values = (await listing_of(account, int(entry)) if entry.isdigit()
                  else {"unit": "kg", "min_order": "1"})
        return await _product_form(request, FormState(values), [])
    data, marks = await _submitted(request)
    try:
        product = await catalogue.create_product(account, data)
    except ValidationFailed as exc:
        return await _product_form(request, keep_typed(data, exc.errors), marks, status_code=422)
    if data.get("publish"):
        await catalogue.set_product_status(account, product.id, ProductStatus.PUBLISHED)
    return RedirectResponse(f"/producer/products/{product.id}/edit?saved=1", status_code=303)


async def edit_product(request: Request) -> Response:
    account = require_role(current_account(request), Role.PRODUCER)
    product = await catalogue.own_product(account, int(request.path_params["product_id"]))
    if request.method == "GET":
        return await _product_form(request, FormState(_product_values(product)),
                                   list(product.quality_marks), product)
    data, marks = await _submitted(request)
    try:
        await catalogue.update_product(account, product.id, data)
    except ValidationFailed as exc:
        return await _product_form(request, keep_typed(data, exc.errors), marks, product, 422)
    return RedirectResponse(f"/producer/products/{product.id}/edit?saved=1", status_code=303)


async def change_status(request: Request) -> Response:
    require_role(current_account(request), Role.PRODUCER)
    values = await read_form(request)
    status = values.get("status", "")
    if status not in {s.value for s in ProductStatus}:
        raise ValidationFailed({"status": _("Unknown status.")})
    await catalogue.set_product_status(current_account(request),
                                       int(request.path_params["product_id"]), ProductStatus(status))
    return RedirectResponse("/producer/products", status_code=303)


async def upload_image(request: Request) -> Response:
    account = require_role(current_account(request), Role.PRODUCER)
    product_id = int(request.path_params["product_id"])
    settings: Settings = request.app.state.settings
    form = await request.form()
    upload = form.get("image")
    content = await upload.read() if isinstance(upload, UploadFile) else b""
    try:
        if not content:
            raise ValidationFailed({"image": _("Choose a photo to upload.")})
        await images.add_image(account, product_id, content, media_dir=settings.media_dir)
    except ValidationFailed as exc:
        product = await catalogue.own_product(account, product_id)
        return await _product_form(request, FormState(_product_values(product), exc.errors),
                                   list(product.quality_marks), product, 422)
    return RedirectResponse(f"/producer/products/{product_id}/edit#photos", status_code=303)


async def wards(request: Request) -> Response:
    """The wards of a province as JSON, for the profile form's ward list."""
    from starlette.responses import JSONResponse

    province = parse_id(request.query_params.get("province", ""))
    items = wards_of(province) if province is not None else []
    return JSONResponse([{"code": code, "name": name} for code, name in items])


async def delete_image(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    product_id = int(request.path_params["product_id"])
    await images.remove_image(current_account(request), product_id,
                              int(request.path_params["image_id"]), media_dir=settings.media_dir)
    return RedirectResponse(f"/producer/products/{product_id}/edit#photos", status_code=303)


routes = [
    Route("/places/wards", wards, name="wards"),
    Route("/producer/profile", profile, methods=["GET", "POST"], name="producer_profile"),
    Route("/producer/products", products, name="producer_products"),
    Route("/producer/products/new", new_product, methods=["GET", "POST"], name="new_product"),
    Route("/producer/products/{product_id:int}/edit", edit_product, methods=["GET", "POST"],
          name="edit_product"),
    Route("/producer/products/{product_id:int}/status", change_status, methods=["POST"],
          name="product_status"),
    Route("/producer/products/{product_id:int}/images", upload_image, methods=["POST"],
          name="upload_image"),
    Route("/producer/products/{product_id:int}/images/{image_id:int}/delete", delete_image,
          methods=["POST"], name="delete_image"),
]
