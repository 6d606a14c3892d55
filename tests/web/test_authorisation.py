"""The negative authorisation matrix: anonymous, wrong role, another owner's object.

Later issues add their mutating routes to the tables below.
"""

from __future__ import annotations

import httpx
import pytest

from matchmaking.models import Account, ApiToken
from tests.factories import PASSWORD, make_account
from tests.web.helpers import csrf, log_in, post_form

HTML_MUTATIONS = [
    "/account/password",
    "/account/tokens",
    "/account/tokens/1/revoke",
    "/admin/users",
    "/admin/users/1/role",
    "/producer/profile",
    "/producer/products/new",
    "/producer/products/1/edit",
    "/producer/products/1/status",
    "/producer/products/1/images",
    "/producer/products/1/images/1/delete",
]
API_MUTATIONS = [
    ("DELETE", "/api/tokens/1"),
    ("PUT", "/api/producer/profile"),
    ("POST", "/api/products"),
    ("PUT", "/api/products/1"),
    ("POST", "/api/products/1/status"),
]
PRODUCER_ONLY = ["/producer/profile", "/producer/products/new", "/producer/products/1/status"]
ADMIN_ONLY = ["/admin/users", "/admin/users/1/role"]
ADMIN_PAGES = ["/admin/users", "/admin/audit"]


@pytest.mark.parametrize("path", HTML_MUTATIONS)
async def test_anonymous_html_mutation_goes_to_login(client: httpx.AsyncClient, path: str) -> None:
    response = await post_form(client, path, {"role": "admin", "name": "x"})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


@pytest.mark.parametrize(("method", "path"), API_MUTATIONS)
async def test_anonymous_api_mutation_gets_401(client: httpx.AsyncClient, method: str, path: str) -> None:
    assert (await client.request(method, path)).status_code == 401


@pytest.mark.parametrize("path", ADMIN_ONLY)
@pytest.mark.parametrize("role", ["producer", "buyer", "organiser"])
async def test_wrong_role_gets_403(client: httpx.AsyncClient, path: str, role: str) -> None:
    account = await make_account(role)
    await log_in(client, account.email)
    response = await post_form(client, path, {"role": "admin", "email": "n@x.vn",
                                              "password": "Gao-ST25-Soc-Trang", "display_name": "N"})
    assert response.status_code == 403
    await account.refresh_from_db()
    assert account.role == role
    assert await Account.all().count() == 1


@pytest.mark.parametrize("path", ADMIN_PAGES)
async def test_admin_pages_need_admin(client: httpx.AsyncClient, path: str) -> None:
    await csrf(client)
    assert (await client.get(path)).status_code == 303
    await log_in(client, (await make_account("organiser")).email)
    assert (await client.get(path)).status_code == 403


async def test_another_owners_token_is_404_in_html(client: httpx.AsyncClient) -> None:
    owner, intruder = await make_account(), await make_account()
    token = await ApiToken.create(account=owner, name="x", token_hash="a" * 64)
    await log_in(client, intruder.email)
    response = await post_form(client, f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 404
    await token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("path", PRODUCER_ONLY)
@pytest.mark.parametrize("role", ["buyer", "organiser"])
async def test_producer_pages_refuse_other_roles(client: httpx.AsyncClient, path: str, role: str) -> None:
    await log_in(client, (await make_account(role)).email)
    response = await post_form(client, path, {"name": "x", "status": "published"})
    assert response.status_code == 403


async def test_another_producers_product_is_404_everywhere(client: httpx.AsyncClient) -> None:
    from matchmaking.models import Product
    from tests.factories import make_producer, make_product

    victim = await make_product(status="draft")
    intruder = await make_account("producer")
    await make_producer(owner=intruder)
    await log_in(client, intruder.email)
    for path in (f"/producer/products/{victim.id}/edit", f"/producer/products/{victim.id}/status"):
        assert (await post_form(client, path, {"status": "published"})).status_code == 404
    token = (await client.post("/api/auth/token", json={"email": intruder.email,
                                                         "password": PASSWORD})).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert (await client.put(f"/api/products/{victim.id}", json={}, headers=bearer)).status_code == 404
    assert (await client.get(f"/api/products/{victim.id}", headers=bearer)).status_code == 404
    assert (await Product.get(id=victim.id)).status == "draft"
