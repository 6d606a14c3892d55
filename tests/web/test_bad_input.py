"""Bad input gets 400, 404, 413 or 422, never a 500: the reviewer's and the fuzzer's repros."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from matchmaking.accounts.auth import create_api_token
from matchmaking.models import Producer
from tests.factories import make_account, make_product
from tests.web.helpers import csrf, log_in, post_form


@pytest.mark.parametrize("path", [
    "/api/fairs/9223372036854775808",
    "/api/products/2147483648",
    "/api/products/99999999999999999999999999",
    "/fairs/9223372036854775808",
    "/products/18446744073709551616",
])
async def test_ids_beyond_the_database_range_are_404(client: httpx.AsyncClient, path: str) -> None:
    assert (await client.get(path)).status_code == 404


async def test_status_of_the_wrong_type_is_422(client: httpx.AsyncClient) -> None:
    product = await make_product()
    account = await make_account()
    await Producer.filter(id=product.producer_id).update(owner_id=account.id)  # type: ignore[attr-defined]
    _token, raw = await create_api_token(account, name="t")
    for status in ({}, [], 1, None):
        response = await client.post(f"/api/products/{product.id}/status", json={"status": status},
                                     headers={"Authorization": f"Bearer {raw}"})
        assert response.status_code == 422, (status, response.text)


@pytest.mark.parametrize("province", ["²", "9" * 5000, "-1", "01٣"])
async def test_odd_province_codes_give_no_wards(client: httpx.AsyncClient, province: str) -> None:
    response = await client.get("/places/wards", params={"province": province})
    assert response.status_code == 200 and response.json() == []


async def _chunks(size: int) -> AsyncIterator[bytes]:
    sent = 0
    while sent < size:
        yield b"x" * 65536
        sent += 65536


async def test_chunked_body_over_the_limit_is_413(client: httpx.AsyncClient, settings) -> None:  # type: ignore[no-untyped-def]
    token = await csrf(client)
    form = await client.post("/login", content=_chunks(settings.max_body_bytes + 65536),
                             headers={"content-type": "application/x-www-form-urlencoded",
                                      "x-csrf-token": token})
    api = await client.post("/api/auth/token", content=_chunks(settings.max_body_bytes + 65536),
                            headers={"content-type": "application/json"})
    assert (form.status_code, api.status_code) == (413, 413)


async def test_deeply_nested_json_is_400(client: httpx.AsyncClient) -> None:
    body = b"[" * 200_000 + b"]" * 200_000
    response = await client.post("/api/auth/token", content=body,
                                 headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert "error" in response.json()


async def test_multipart_without_boundary_is_400(client: httpx.AsyncClient) -> None:
    await csrf(client)
    response = await client.post("/login", content=b"--x\r\n\r\n",
                                 headers={"content-type": "multipart/form-data"})
    assert response.status_code == 400


async def test_malformed_multipart_is_400(client: httpx.AsyncClient) -> None:
    await csrf(client)
    response = await client.post(
        "/login", content=b"--b\r\nContent-Disposition: form-data\r\n\r\nzz",
        headers={"content-type": "multipart/form-data; boundary=b"})
    assert response.status_code == 400


async def test_form_bytes_that_are_not_utf8_are_refused(client: httpx.AsyncClient) -> None:
    account = await make_account()
    await log_in(client, account.email)
    token = await csrf(client)
    body = f"csrf_token={token}&name=%FF%FE%FD&kind=cooperative&province_code=1".encode()
    response = await client.post("/producer/profile", content=body,
                                 headers={"content-type": "application/x-www-form-urlencoded"})
    raw = await client.post("/login", content=f"csrf_token={token}&email=".encode() + b"\xff\xfe",
                            headers={"content-type": "application/x-www-form-urlencoded"})
    assert (response.status_code, raw.status_code) == (400, 400)
    assert not await Producer.filter(name__contains="ÿþ").exists()


async def test_multipart_text_that_is_not_utf8_is_refused(client: httpx.AsyncClient) -> None:
    token = await csrf(client)
    body = (b"--b\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
            + token.encode() + b"\r\n--b\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\n"
            + b"\xff\xfe\xfd\r\n--b--\r\n")
    response = await client.post("/login", content=body,
                                 headers={"content-type": "multipart/form-data; boundary=b"})
    assert response.status_code == 400


async def test_csrf_still_checks_well_formed_forms(client: httpx.AsyncClient) -> None:
    response = await post_form(client, "/login", {"email": "a@b.vn", "password": "x"})
    assert response.status_code == 422
