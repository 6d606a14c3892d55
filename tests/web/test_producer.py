"""A producer fills its profile, adds products, publishes them and uploads photos."""

from __future__ import annotations

import io
import os

import httpx
from PIL import Image

from matchmaking.catalogue.images import thumbnail_path
from matchmaking.models import Producer, Product, ProductImage, SearchOutbox
from tests.factories import make_account, make_producer, make_product
from tests.web.helpers import log_in, post_form

PROFILE = {
    "name": "HTX Chè Shan Tuyết Bản Liền", "kind": "cooperative", "tax_code": "5300123456",
    "province_code": "Hà Giang", "address": "Thôn Bản Liền", "phone": "0912 345 678",
}
PRODUCT = {
    "name": "Trà Shan tuyết Bản Liền", "group_subgroup": "beverages/tea", "stars": "4",
    "certificate_number": "88/QĐ-UBND", "decision_date": "2025-06-01", "price_vnd": "450.000",
    "unit": "kg", "min_order": "2", "monthly_capacity": "200", "quality_marks": ["organic"],
}


async def producer_client(client: httpx.AsyncClient) -> tuple[httpx.AsyncClient, Producer]:
    account = await make_account("producer")
    producer = await make_producer(owner=account)
    await log_in(client, account.email)
    return client, producer


def jpeg(size: tuple[int, int] = (2400, 1200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(out, "JPEG")
    return out.getvalue()


async def test_profile_with_old_province_name_is_converted(client: httpx.AsyncClient) -> None:
    account = await make_account("producer")
    await log_in(client, account.email)
    response = await post_form(client, "/producer/profile", PROFILE)
    assert response.status_code == 303
    producer = await Producer.get(owner=account)
    assert producer.province_code == 8  # Hà Giang is part of Tuyên Quang since 2025


async def test_profile_errors_keep_typed_values(client: httpx.AsyncClient) -> None:
    account = await make_account("producer")
    await log_in(client, account.email)
    response = await post_form(client, "/producer/profile", {**PROFILE, "tax_code": "12AB"})
    assert response.status_code == 422
    assert "Mã số thuế" in response.text or "10 chữ số" in response.text
    assert 'value="HTX Chè Shan Tuyết Bản Liền"' in response.text
    assert await Producer.all().count() == 0


async def test_add_and_publish_product_writes_outbox(client: httpx.AsyncClient) -> None:
    client, producer = await producer_client(client)
    response = await post_form(client, "/producer/products/new", {**PRODUCT, "publish": "1"})
    assert response.status_code == 303
    product = await Product.get(producer=producer)
    assert product.status == "published" and product.price_vnd == 450_000
    assert str(product.certificate_expiry) == "2028-06-01"
    assert product.quality_marks == ["organic"]
    assert await SearchOutbox.filter(entity_id=product.id).count() >= 1
    listing = await client.get("/producer/products")
    assert "Trà Shan tuyết Bản Liền" in listing.text and "450.000" in listing.text


async def test_product_errors_keep_everything_typed(client: httpx.AsyncClient) -> None:
    client, _ = await producer_client(client)
    response = await post_form(client, "/producer/products/new",
                               {**PRODUCT, "price_vnd": "không biết", "monthly_capacity": "1"})
    assert response.status_code == 422
    assert 'value="Trà Shan tuyết Bản Liền"' in response.text
    assert 'value="88/QĐ-UBND"' in response.text
    assert 'value="beverages/tea" selected' in response.text
    assert 'value="organic" checked' in response.text
    assert await Product.all().count() == 0


async def test_edit_form_shows_the_price_grouped_and_saves_it_unchanged(
        client: httpx.AsyncClient) -> None:
    client, producer = await producer_client(client)
    await post_form(client, "/producer/products/new", {**PRODUCT, "price_vnd": "85000"})
    product = await Product.get(producer=producer)
    page = await client.get(f"/producer/products/{product.id}/edit")
    assert 'value="85.000"' in page.text
    response = await post_form(client, f"/producer/products/{product.id}/edit",
                               {**PRODUCT, "price_vnd": "85.000"})
    assert response.status_code == 303
    await product.refresh_from_db()
    assert product.price_vnd == 85_000


async def test_edit_another_producers_product_is_404(client: httpx.AsyncClient) -> None:
    other = await make_product()
    client, _ = await producer_client(client)
    assert (await client.get(f"/producer/products/{other.id}/edit")).status_code == 404
    response = await post_form(client, f"/producer/products/{other.id}/edit", PRODUCT)
    assert response.status_code == 404
    await other.refresh_from_db()
    assert other.name != PRODUCT["name"]


async def test_photo_is_resized_and_stored(client: httpx.AsyncClient, settings) -> None:  # type: ignore[no-untyped-def]
    client, producer = await producer_client(client)
    product = await make_product(producer)
    response = await client.post(
        f"/producer/products/{product.id}/images",
        data={"csrf_token": client.cookies["ocop_csrf"]},
        files={"image": ("che.jpg", jpeg(), "image/jpeg")},
    )
    assert response.status_code == 303
    image = await ProductImage.get(product=product)
    assert (image.width, image.height) == (1600, 800)
    assert (settings.media_dir / image.path).is_file()
    assert (await client.get(f"/media/{image.path}")).status_code == 200


async def test_not_an_image_is_refused_clearly(client: httpx.AsyncClient) -> None:
    client, producer = await producer_client(client)
    product = await make_product(producer)
    response = await client.post(
        f"/producer/products/{product.id}/images",
        data={"csrf_token": client.cookies["ocop_csrf"]},
        files={"image": ("virus.jpg", b"MZ\x90\x00 not a jpeg", "image/jpeg")},
    )
    assert response.status_code == 422
    assert "JPEG, PNG hoặc WebP" in response.text
    assert await ProductImage.all().count() == 0


async def test_api_producer_creates_and_publishes(client: httpx.AsyncClient) -> None:
    from matchmaking.certificates.register import import_register
    from tests.matchmaking.certificates.register_files import register_csv, row

    account = await make_account("producer")
    producer = await make_producer(owner=account)
    await import_register(await make_account("admin"), filename="qd.csv", content=register_csv([
        row(decision_number="9/QĐ", decision_date="2024-09-01", province=producer.province_code,
            authority="UBND thành phố Hà Nội", product_name="Mật ong bạc hà", stars=3)]))
    token = (await client.post("/api/auth/token", json={"email": account.email,
                                                         "password": "Che-Shan-Tuyet-2026"})).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    body = {"name": "Mật ong bạc hà", "group": "food", "subgroup": "processed_food", "stars": 3,
            "certificate_number": "9/QĐ", "decision_date": "2024-09-01", "price_vnd": 280000,
            "unit": "chai", "monthly_capacity": 500, "publish": True}
    created = await client.post("/api/products", json=body, headers=bearer)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "published" and created.json()["certified"] is True
    assert created.json()["verification"] == "verified"  # the register has its decision
    invented = await client.post("/api/products", headers=bearer, json={
        **body, "name": "Mật ong rừng", "stars": 5, "certificate_number": "FAKE-0001"})
    assert (invented.json()["certified"], invented.json()["verification"]) == (False, "pending")
    bad = await client.post("/api/products", json={**body, "price_vnd": -1}, headers=bearer)
    assert bad.status_code == 422 and "price_vnd" in bad.json()["errors"]
    public = await client.get(f"/api/products/{created.json()['id']}")
    assert public.json()["name"] == "Mật ong bạc hà"


async def test_camera_photo_over_5_mb_is_made_smaller_with_a_thumbnail_shown_in_lists(
    client: httpx.AsyncClient, settings  # type: ignore[no-untyped-def]
) -> None:
    client, producer = await producer_client(client)
    product = await make_product(producer)
    out = io.BytesIO()
    Image.frombytes("RGB", (3000, 2000), os.urandom(3000 * 2000 * 3)).save(out, "JPEG", quality=95)
    assert 5 * 1024 * 1024 < len(out.getvalue()) < 12 * 1024 * 1024

    response = await client.post(
        f"/producer/products/{product.id}/images",
        data={"csrf_token": client.cookies["ocop_csrf"]},
        files={"image": ("camera.jpg", out.getvalue(), "image/jpeg")},
    )

    assert response.status_code == 303
    image = await ProductImage.get(product=product)
    assert (image.width, image.height) == (1600, 1067)
    thumbnail = settings.media_dir / thumbnail_path(image.path)
    with Image.open(thumbnail) as small:
        assert small.size == (480, 320)
    listed = (await client.get("/producer/products")).text
    assert f'src="/media/{thumbnail_path(image.path)}"' in listed
    page = (await client.get(f"/products/{product.id}")).text
    assert (f"/media/{thumbnail_path(image.path)} 480w, /media/{thumbnail_path(image.path, 960)} "
            f"960w, /media/{image.path} 1600w") in page
    with Image.open(settings.media_dir / thumbnail_path(image.path, 960)) as phone:
        assert phone.size == (960, 640)
