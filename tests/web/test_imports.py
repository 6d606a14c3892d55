"""Importing products as a producer meets it: the upload page, the templates and `ocop import`."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from config import i18n
from matchmaking.catalogue.import_columns import resolve
from matchmaking.catalogue.import_template import template_csv
from matchmaking.catalogue.imports import read_rows
from matchmaking.enums import ProductGroup
from matchmaking.models import Product, SearchOutbox
from matchmaking.sheets import MAX_BYTES
from matchmaking.taxonomy import SUBGROUPS
from tests.factories import PASSWORD, make_account, make_producer, make_product
from tests.matchmaking.catalogue.test_imports import HONEY, TEA, csv_bytes
from tests.web.helpers import csrf, log_in
from web.labels import group_label, subgroup_label

OCOP = str(Path(sys.executable).parent / "ocop")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def upload(client: httpx.AsyncClient, filename: str, content: bytes, *,
                 dry_run: bool = False) -> httpx.Response:
    data = {"csrf_token": await csrf(client), **({"dry_run": "1"} if dry_run else {})}
    return await client.post("/products/import", data=data, files={"file": (filename, content)})


async def as_producer(client: httpx.AsyncClient, *, profile: bool = True) -> int | None:
    account = await make_account("producer")
    producer = await make_producer(owner=account) if profile else None
    await log_in(client, account.email)
    return producer.id if producer else None


async def test_upload_page_shows_the_form_and_template_links(client: httpx.AsyncClient) -> None:
    await as_producer(client)
    page = await client.get("/products/import")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text and 'name="csrf_token"' in page.text
    assert 'type="file" name="file"' in page.text and 'name="dry_run"' in page.text
    assert "/products/import/template.xlsx" in page.text and "/products/import/template.csv" in page.text


async def test_anonymous_is_sent_to_login(client: httpx.AsyncClient) -> None:
    response = await client.get("/products/import")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/products/import"


async def test_buyer_is_forbidden(client: httpx.AsyncClient) -> None:
    buyer = await make_account("buyer")
    await log_in(client, buyer.email)
    assert (await client.get("/products/import")).status_code == 403
    assert (await upload(client, "a.csv", csv_bytes([TEA]))).status_code == 403
    assert await Product.all().count() == 0


async def test_producer_without_profile_is_pointed_to_the_profile_page(client: httpx.AsyncClient) -> None:
    await as_producer(client, profile=False)
    page = await client.get("/products/import")
    assert page.status_code == 200
    assert 'href="/producer/profile"' in page.text and 'type="file"' not in page.text
    posted = await upload(client, "a.csv", csv_bytes([TEA]))
    assert posted.status_code == 409 and 'href="/producer/profile"' in posted.text
    assert await Product.all().count() == 0


async def test_good_csv_is_imported_with_a_summary(client: httpx.AsyncClient) -> None:
    producer_id = await as_producer(client)
    response = await upload(client, "san-pham.csv", csv_bytes([TEA, HONEY]))
    assert response.status_code == 200, response.text
    assert 'id="count-created">2<' in response.text and 'id="count-updated">0<' in response.text
    assert await Product.filter(producer_id=producer_id).count() == 2
    assert await SearchOutbox.all().count() == 2


async def test_reimport_updates_and_reports_updates(client: httpx.AsyncClient) -> None:
    producer_id = await as_producer(client)
    await upload(client, "san-pham.csv", csv_bytes([TEA, HONEY]))
    response = await upload(client, "san-pham.csv", csv_bytes([{**TEA, "Giá (VND)": "380.000"}, HONEY]))
    assert 'id="count-created">0<' in response.text and 'id="count-updated">2<' in response.text
    assert await Product.filter(producer_id=producer_id).count() == 2
    assert (await Product.get(code="TRA-01")).price_vnd == 380_000


async def test_bad_row_shows_the_report_and_saves_nothing(client: httpx.AsyncClient) -> None:
    await as_producer(client)
    bad = {**HONEY, "Mã sản phẩm": "MO-02", "Giá (VND)": "bốn trăm nghìn"}
    response = await upload(client, "san-pham.csv", csv_bytes([TEA, HONEY, bad]))
    assert response.status_code == 422
    assert 'id="problems"' in response.text
    assert "<td>4</td><td>Giá (VND)</td><td>bốn trăm nghìn</td>" in response.text
    assert await Product.all().count() == 0 and await SearchOutbox.all().count() == 0


async def test_check_only_saves_nothing(client: httpx.AsyncClient) -> None:
    producer_id = await as_producer(client)
    await make_product(await make_producer(), code="TRA-01")  # another producer's code is not ours
    response = await upload(client, "san-pham.csv", csv_bytes([TEA, HONEY]), dry_run=True)
    assert response.status_code == 200
    assert 'id="count-created">2<' in response.text
    assert 'value="1" checked' not in response.text  # cleared: the next upload imports
    assert await Product.filter(producer_id=producer_id).count() == 0


@pytest.mark.parametrize(
    ("filename", "content"),
    [("photo.png", b"\x89PNG\r\n"), ("empty.csv", b""), ("large.csv", b"x" * (MAX_BYTES + 1)),
     ("broken.xlsx", b"not a workbook")],
)
async def test_unreadable_file_gets_a_clear_error(client: httpx.AsyncClient, filename: str,
                                                  content: bytes) -> None:
    await as_producer(client)
    response = await upload(client, filename, content)
    assert response.status_code == 422
    assert 'class="alert alert-error" role="alert"' in response.text and "Traceback" not in response.text


async def test_no_file_chosen_is_asked_again(client: httpx.AsyncClient) -> None:
    await as_producer(client)
    response = await client.post("/products/import", data={"csrf_token": await csrf(client)},
                                 files={"file": ("", b"")})
    assert response.status_code == 422 and 'role="alert"' in response.text


async def test_upload_without_csrf_token_is_refused(client: httpx.AsyncClient) -> None:
    await as_producer(client)
    response = await client.post("/products/import", files={"file": ("a.csv", csv_bytes([TEA]))})
    assert response.status_code == 403
    assert await Product.all().count() == 0


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
async def test_template_downloads_and_imports_back(client: httpx.AsyncClient, kind: str) -> None:
    await as_producer(client)
    download = await client.get(f"/products/import/template.{kind}")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv" if kind == "csv" else XLSX_TYPE)
    assert f'filename="ocop-san-pham-mau.{kind}"' in download.headers["content-disposition"]
    rows = read_rows(f"mau.{kind}", download.content)
    assert [row["name"] for row in rows] == ["Trà Shan tuyết cổ thụ Hoàng Su Phì", "Mật ong bạc hà Mèo Vạc"]
    response = await upload(client, f"mau.{kind}", download.content)
    assert response.status_code == 200 and 'id="count-created">2<' in response.text


def test_csv_template_has_a_bom_and_vietnamese_header() -> None:
    content = template_csv()
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").splitlines()[0].startswith("Mã sản phẩm,Tên sản phẩm,Nhóm,Phân nhóm")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_labels_shown_in_the_interface_are_accepted(language: str) -> None:
    i18n.set_language(language)
    try:
        for group in ProductGroup:
            assert resolve("group", group_label(group)) == group
            for subgroup in SUBGROUPS[group]:
                assert resolve("subgroup", subgroup_label(subgroup)) == subgroup
    finally:
        i18n.set_language("vi")


# -- `ocop import` ---------------------------------------------------------------------------------


def clean_environment(directory: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("MEILI_", "OCOP_", "DATABASE"))}
    base.update({"OCOP_VAR_DIR": str(directory / "var"), "LOG_LEVEL": "WARNING",
                 "DATABASE_URL": f"sqlite://{directory / 'ocop.sqlite3'}"})
    return base


@pytest.fixture(scope="module")
def migrated_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One `ocop migrate` for the module; each test gets a copy of the database file."""
    directory = tmp_path_factory.mktemp("migrated")
    result = ocop("migrate", env=clean_environment(directory))
    assert result.returncode == 0, result.stderr
    return directory / "ocop.sqlite3"


@pytest.fixture
def env(tmp_path: Path, migrated_file: Path) -> dict[str, str]:
    """A clean environment with its own migrated SQLite database."""
    shutil.copyfile(migrated_file, tmp_path / "ocop.sqlite3")
    return clean_environment(tmp_path)


def ocop(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    cwd = Path(env["OCOP_VAR_DIR"]).parent
    return subprocess.run([OCOP, *args], env=env, capture_output=True, text=True, timeout=60, cwd=cwd)


def database(env: dict[str, str]) -> sqlite3.Connection:
    return sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite://"))


def add_producer(env: dict[str, str], email: str) -> None:
    created = ocop("users", "create", "--email", email, "--role", "producer", "--password", PASSWORD,
                   env=env)
    assert created.returncode == 0, created.stderr
    with database(env) as connection:
        connection.execute(
            "INSERT INTO producer (owner_id, name, kind, province_code, address, contact_name, phone,"
            " email, description, created_at, updated_at) SELECT id, 'HTX Chè Bản Liền',"
            " 'cooperative', 8, '', '', '', '', '', datetime('now'), datetime('now')"
            " FROM account WHERE email = ?", (email,),
        )


def products(env: dict[str, str]) -> list[tuple[str, int]]:
    with database(env) as connection:
        return connection.execute("SELECT code, price_vnd FROM product ORDER BY code").fetchall()


def test_cli_imports_then_updates(env: dict[str, str], tmp_path: Path) -> None:
    add_producer(env, "htx@banlien.vn")
    path = tmp_path / "san-pham.csv"
    path.write_bytes(csv_bytes([TEA, HONEY]))
    checked = ocop("import", str(path), "--producer-email", "HTX@banlien.vn", "--dry-run", env=env)
    assert checked.returncode == 0, checked.stderr
    assert products(env) == []
    first = ocop("import", str(path), "--producer-email", "htx@banlien.vn", "--language", "en", env=env)
    assert first.returncode == 0, first.stderr
    assert "New products: 2" in first.stdout and "Updated products: 0" in first.stdout
    assert products(env) == [("MO-01", 450_000), ("TRA-01", 350_000)]
    path.write_bytes(csv_bytes([{**TEA, "Giá (VND)": "360000"}, HONEY]))
    again = ocop("import", str(path), "--producer-email", "htx@banlien.vn", "--language", "en", env=env)
    assert "Updated products: 2" in again.stdout
    assert products(env) == [("MO-01", 450_000), ("TRA-01", 360_000)]
    with database(env) as connection:
        assert connection.execute("SELECT count(*) FROM search_outbox").fetchone() == (4,)


def test_cli_rejected_file_prints_the_report_and_exits_2(env: dict[str, str], tmp_path: Path) -> None:
    add_producer(env, "htx@banlien.vn")
    path = tmp_path / "san-pham.csv"
    path.write_bytes(csv_bytes([TEA, {**HONEY, "Đơn vị": "xe tải"}]))
    result = ocop("import", str(path), "--producer-email", "htx@banlien.vn", env=env)
    assert result.returncode == 2
    assert "3\tĐơn vị\txe tải\t" in result.stdout
    assert result.stderr.strip() == "ocop: error: 1 problems in san-pham.csv"
    assert products(env) == []


def test_cli_unreadable_file_and_unknown_account_are_one_line(env: dict[str, str], tmp_path: Path) -> None:
    add_producer(env, "htx@banlien.vn")
    path = tmp_path / "anh.png"
    path.write_bytes(b"\x89PNG\r\n")
    wrong_type = ocop("import", str(path), "--producer-email", "htx@banlien.vn", env=env)
    assert wrong_type.returncode == 2 and wrong_type.stderr.startswith("ocop: error: file: ")
    unknown = ocop("import", str(path), "--producer-email", "ai-do@nowhere.vn", env=env)
    assert unknown.returncode == 2 and "ai-do@nowhere.vn" in unknown.stderr
    missing = ocop("import", str(tmp_path / "none.csv"), "--producer-email", "htx@banlien.vn", env=env)
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    for result in (wrong_type, unknown, missing):
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_cli_producer_without_profile_is_told_to_create_it(env: dict[str, str], tmp_path: Path) -> None:
    created = ocop("users", "create", "--email", "moi@htx.vn", "--role", "producer", "--password",
                   PASSWORD, env=env)
    assert created.returncode == 0
    path = tmp_path / "san-pham.csv"
    path.write_bytes(csv_bytes([TEA]))
    result = ocop("import", str(path), "--producer-email", "moi@htx.vn", env=env)
    assert result.returncode == 2 and "/producer/profile" in result.stderr
