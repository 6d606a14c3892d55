"""The API as a script would use it: a token from email and password, then bearer calls."""

from __future__ import annotations

import httpx

from matchmaking.models import ApiToken
from tests.factories import PASSWORD, make_account
from tests.web.helpers import log_in, post_form


async def _token(client: httpx.AsyncClient, email: str) -> str:
    response = await client.post("/api/auth/token", json={"email": email, "password": PASSWORD,
                                                          "name": "script"})
    assert response.status_code == 201, response.text
    return response.json()["token"]


async def test_token_create_use_revoke(client: httpx.AsyncClient) -> None:
    account = await make_account("buyer")
    token = await _token(client, account.email)
    bearer = {"Authorization": f"Bearer {token}"}

    me = await client.get("/api/me", headers=bearer)
    assert me.json()["email"] == account.email and me.json()["role"] == "buyer"
    listed = (await client.get("/api/tokens", headers=bearer)).json()
    assert [t["name"] for t in listed] == ["script"] and "token" not in listed[0]

    assert (await client.delete(f"/api/tokens/{listed[0]['id']}", headers=bearer)).status_code == 204
    assert (await client.get("/api/me", headers=bearer)).status_code == 401


async def test_only_the_hash_of_a_token_is_stored(client: httpx.AsyncClient) -> None:
    account = await make_account()
    token = await _token(client, account.email)
    stored = await ApiToken.get(account=account)
    assert token not in stored.token_hash and len(stored.token_hash) == 64


async def test_wrong_credentials_get_401(client: httpx.AsyncClient) -> None:
    account = await make_account()
    response = await client.post("/api/auth/token", json={"email": account.email, "password": "x"})
    assert response.status_code == 401
    assert response.json()["error"] == "Email hoặc mật khẩu không đúng."


async def test_malformed_body_gets_422_not_500(client: httpx.AsyncClient) -> None:
    for body in (b"{not json", b"[1, 2]", "\xff".encode("latin-1")):
        response = await client.post("/api/auth/token", content=body,
                                     headers={"content-type": "application/json"})
        assert response.status_code == 422
        assert "body" in response.json()["errors"]


async def test_api_ignores_session_cookies(client: httpx.AsyncClient) -> None:
    account = await make_account()
    await log_in(client, account.email)
    assert (await client.get("/api/me")).status_code == 401


async def test_revoking_another_accounts_token_is_404(client: httpx.AsyncClient) -> None:
    owner, other = await make_account(), await make_account()
    await _token(client, owner.email)
    owners_token = await ApiToken.get(account=owner)
    other_token = await _token(client, other.email)
    response = await client.delete(f"/api/tokens/{owners_token.id}",
                                   headers={"Authorization": f"Bearer {other_token}"})
    assert response.status_code == 404
    await owners_token.refresh_from_db()
    assert owners_token.revoked_at is None


async def test_account_page_token_shown_once_then_revoked(client: httpx.AsyncClient) -> None:
    account = await make_account()
    await log_in(client, account.email)
    created = await post_form(client, "/account/tokens", {"name": "Máy tính văn phòng"})
    start = created.text.index('id="new-token">') + len('id="new-token">')
    raw = created.text[start:created.text.index("<", start)]
    assert (await client.get("/api/me", headers={"Authorization": f"Bearer {raw}"})).status_code == 200
    assert raw not in (await client.get("/account")).text

    token = await ApiToken.get(account=account)
    await post_form(client, f"/account/tokens/{token.id}/revoke")
    assert (await client.get("/api/me", headers={"Authorization": f"Bearer {raw}"})).status_code == 401


async def test_openapi_describes_every_api_route(client: httpx.AsyncClient, app) -> None:  # type: ignore[no-untyped-def]
    schema = (await client.get("/api/openapi.json")).json()
    for route in app.routes:
        path = getattr(route, "path", "")
        if path.startswith("/api/") and path != "/api/openapi.json":
            documented = schema["paths"].get(path.replace(":int", ""), {})
            for method in route.methods - {"HEAD"}:
                assert method.lower() in documented, f"{method} {path}"
