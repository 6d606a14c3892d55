"""Bulk import from CSV and XLSX: every row checked, all or nothing, matched by product code."""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from datetime import UTC, date, datetime
from typing import Any

import openpyxl
import pytest

from config import i18n
from matchmaking.catalogue.import_columns import COLUMNS
from matchmaking.catalogue.import_template import template_csv, template_xlsx
from matchmaking.catalogue.imports import import_products, read_rows
from matchmaking.enums import ProductGroup, ProductStatus
from matchmaking.errors import Forbidden, NotFound
from matchmaking.models import Account, Producer, Product, SearchOutbox
from matchmaking.sheets import MAX_BYTES, MAX_ROWS, ROW, ImportFileError
from tests.factories import make_account, make_producer, make_product

HEADER = list(COLUMNS.values())
TEA = {
    "Mã sản phẩm": "TRA-01", "Tên sản phẩm": "Trà Shan tuyết cổ thụ", "Nhóm": "Đồ uống",
    "Phân nhóm": "Chè", "Hạng sao": "4 sao", "Số GCN": "1234/QĐ-UBND",
    "Cơ quan cấp": "UBND tỉnh Tuyên Quang", "Ngày quyết định": "15/03/2025", "Giá (VND)": "350.000",
    "Đơn vị": "Kg", "Đơn hàng tối thiểu": "5", "Công suất/tháng": "300",
    "Hạn sử dụng (ngày)": "730", "Chứng nhận chất lượng": "VietGAP; hữu cơ",
    "Mô tả": "Búp chè cổ thụ, sao thủ công", "Trạng thái": "Công khai",
}
HONEY = {
    "Mã sản phẩm": "MO-01", "Tên sản phẩm": "Mật ong bạc hà Mèo Vạc", "Nhóm": "thuc pham",
    "Phân nhóm": "Thực phẩm chế biến", "Giá (VND)": "450000", "Đơn vị": "chai",
    "Công suất/tháng": "800",
}


def csv_bytes(rows: list[dict[str, str]], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    text = buffer.getvalue()
    return windows_1258(text) if encoding == "cp1258" else text.encode(encoding)


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """Text as Excel saves it on Vietnamese Windows: a base letter, then a combining tone mark."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            tone = next(c for c in parts if c in TONE_MARKS)
            base = unicodedata.normalize("NFC", parts.replace(tone, ""))
            out += base.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def xlsx_bytes(lines: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    for line in lines:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def producer_with_profile() -> tuple[Account, Producer]:
    account = await make_account("producer")
    return account, await make_producer(owner=account)


async def outbox_ids() -> list[int]:
    return sorted(await SearchOutbox.filter(entity="product").values_list("entity_id", flat=True))


async def test_good_csv_with_vietnamese_headers_and_labels_creates_products(db: str) -> None:
    account, producer = await producer_with_profile()
    now = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    report = await import_products(account, "san-pham.csv", csv_bytes([TEA, HONEY]), now=now)
    assert (report.rejected, report.rows, report.created, report.updated) == (False, 2, 2, 0)
    tea = await Product.get(producer=producer, code="TRA-01")
    assert (tea.group, tea.subgroup, tea.stars, tea.unit) == (ProductGroup.BEVERAGES, "tea", 4, "kg")
    assert (tea.price_vnd, tea.min_order, tea.monthly_capacity) == (350_000, 5, 300)
    assert tea.decision_date == date(2025, 3, 15) and tea.certificate_expiry == date(2028, 3, 15)
    assert tea.quality_marks == ["organic", "vietgap"]
    assert tea.status == ProductStatus.PUBLISHED and tea.published_at == now
    honey = await Product.get(producer=producer, code="MO-01")
    assert (honey.group, honey.subgroup, honey.status) == (ProductGroup.FOOD, "processed_food", "draft")
    assert honey.stars is None and honey.published_at is None
    assert await outbox_ids() == sorted([tea.id, honey.id])


async def test_xlsx_with_english_headers_real_dates_and_numbers(db: str) -> None:
    account, producer = await producer_with_profile()
    content = xlsx_bytes([
        ["code", "name", "group", "subgroup", "stars", "certificate_number", "decision_date",
         "price_vnd", "unit", "monthly_capacity", "quality_marks", "status"],
        ["CF-01", "Cà phê Arabica Sơn La", "Beverages", "Coffee", 3, "77/QĐ-UBND",
         datetime(2025, 1, 31), 280000, "kg", 1000, "GlobalGAP, ISO 22000", "published"],
        [None, None, None],
        ["CF-02", "Cà phê rang xay", "beverages", "coffee", None, None, None, 120000.0, "túi", 400,
         None, "draft"],
    ])
    report = await import_products(account, "Products.XLSX", content)
    assert (report.rows, report.created) == (2, 2)
    assert [result.row for result in report.results] == [2, 4]
    arabica = await Product.get(producer=producer, code="CF-01")
    assert arabica.decision_date == date(2025, 1, 31)
    assert arabica.certificate_expiry == date(2028, 1, 31)  # 36 months later
    assert arabica.price_vnd == 280_000 and arabica.quality_marks == ["globalgap", "iso22000"]
    roasted = await Product.get(producer=producer, code="CF-02")
    assert roasted.price_vnd == 120_000 and roasted.unit == "túi"


async def test_one_bad_row_rejects_the_whole_file_and_names_row_and_column(db: str) -> None:
    account, _producer = await producer_with_profile()
    bad = {**HONEY, "Mã sản phẩm": "MO-02", "Giá (VND)": "bốn trăm nghìn"}
    report = await import_products(account, "san-pham.csv", csv_bytes([TEA, HONEY, bad]))
    assert report.rejected and report.created == 0 and report.results == []
    assert [(p.row, p.field, p.column, p.value) for p in report.problems] == [
        (4, "price_vnd", "Giá (VND)", "bốn trăm nghìn"),
    ]
    assert report.problems[0].message
    assert await Product.all().count() == 0
    assert await SearchOutbox.all().count() == 0


async def test_every_problem_of_every_row_is_reported_in_column_order(db: str) -> None:
    account, _producer = await producer_with_profile()
    rows = [
        {**TEA, "Hạng sao": "6", "Đơn vị": "xe tải"},
        {**HONEY, "Mã sản phẩm": "", "Phân nhóm": "Bánh kẹo", "Chứng nhận chất lượng": "OCOP, VietGAP"},
        {**HONEY, "Mã sản phẩm": "MO-03", "Trạng thái": "đang bán", "Công suất/tháng": "3000000000"},
    ]
    report = await import_products(account, "san-pham.csv", csv_bytes(rows))
    assert [(p.row, p.field) for p in report.problems] == [
        (2, "stars"), (2, "unit"),
        (3, "code"), (3, "subgroup"), (3, "quality_marks"),
        (4, "monthly_capacity"), (4, "status"),
    ]
    marks = next(p for p in report.problems if p.field == "quality_marks")
    assert "OCOP" in marks.message and "VietGAP" not in marks.message


async def test_reimport_updates_by_code_instead_of_duplicating(db: str) -> None:
    account, producer = await producer_with_profile()
    old = await make_product(producer, code="TRA-01", price_vnd=300_000, status=ProductStatus.DRAFT)
    report = await import_products(account, "san-pham.csv", csv_bytes([TEA, HONEY]))
    assert (report.created, report.updated) == (1, 1)
    assert [(r.code, r.created) for r in report.results] == [("TRA-01", False), ("MO-01", True)]
    assert await Product.filter(producer=producer).count() == 2
    updated = await Product.get(id=old.id)
    assert updated.price_vnd == 350_000 and updated.status == ProductStatus.PUBLISHED
    honey = await Product.get(producer=producer, code="MO-01")
    assert await outbox_ids() == sorted([old.id, honey.id])

    again = await import_products(account, "san-pham.csv", csv_bytes([TEA, {**HONEY, "Giá (VND)": "470000"}]))
    assert (again.created, again.updated) == (0, 2)
    assert await Product.filter(producer=producer).count() == 2
    assert (await Product.get(id=honey.id)).price_vnd == 470_000
    assert await outbox_ids() == sorted([old.id, old.id, honey.id, honey.id])


async def test_blank_status_keeps_an_existing_products_status(db: str) -> None:
    account, producer = await producer_with_profile()
    old = await make_product(producer, code="MO-01", status=ProductStatus.PUBLISHED)
    await import_products(account, "san-pham.csv", csv_bytes([HONEY]))
    assert (await Product.get(id=old.id)).status == ProductStatus.PUBLISHED


async def test_code_in_other_case_updates_the_same_product_and_keeps_its_code(db: str) -> None:
    account, producer = await producer_with_profile()
    old = await make_product(producer, code="tra-01")
    report = await import_products(account, "san-pham.csv", csv_bytes([TEA]))
    assert report.updated == 1
    assert await Product.filter(producer=producer).values_list("code", flat=True) == ["tra-01"]
    assert (await Product.get(id=old.id)).name == "Trà Shan tuyết cổ thụ"


async def test_another_producers_product_with_the_same_code_is_untouched(db: str) -> None:
    other = await make_product(await make_producer(), code="TRA-01", price_vnd=999_000)
    account, producer = await producer_with_profile()
    report = await import_products(account, "san-pham.csv", csv_bytes([TEA]))
    assert report.created == 1
    assert (await Product.get(id=other.id)).price_vnd == 999_000
    assert await Product.filter(producer=producer, code="TRA-01").count() == 1


async def test_duplicate_code_within_the_file_is_reported_on_the_later_row(db: str) -> None:
    account, _producer = await producer_with_profile()
    rows = [TEA, HONEY, {**HONEY, "Mã sản phẩm": "tra-01"}]
    report = await import_products(account, "san-pham.csv", csv_bytes(rows))
    assert [(p.row, p.field, p.value) for p in report.problems] == [(4, "code", "tra-01")]
    assert "2" in report.problems[0].message
    assert await Product.all().count() == 0


async def test_dry_run_counts_changes_and_writes_nothing(db: str) -> None:
    account, producer = await producer_with_profile()
    old = await make_product(producer, code="TRA-01", price_vnd=300_000)
    report = await import_products(account, "san-pham.csv", csv_bytes([TEA, HONEY]), dry_run=True)
    assert (report.dry_run, report.rejected, report.created, report.updated) == (True, False, 1, 1)
    assert await Product.all().count() == 1
    assert (await Product.get(id=old.id)).price_vnd == 300_000
    assert await SearchOutbox.all().count() == 0


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
async def test_template_imports_cleanly_twice(db: str, kind: str) -> None:
    account, producer = await producer_with_profile()
    content = template_csv() if kind == "csv" else template_xlsx()
    first = await import_products(account, f"mau.{kind}", content)
    assert (first.rejected, first.created, first.updated) == (False, 2, 0), first.problems
    tea = await Product.get(producer=producer, code="TRA-ST-01")
    assert (tea.subgroup, tea.stars, tea.status, tea.certificate_expiry) == (
        "tea", 4, ProductStatus.PUBLISHED, date(2028, 9, 15))
    honey = await Product.get(producer=producer, code="MO-BH-01")
    assert (honey.unit, honey.quality_marks, honey.status) == ("chai", ["gi"], ProductStatus.DRAFT)
    second = await import_products(account, f"mau.{kind}", content)
    assert (second.created, second.updated) == (0, 2)
    assert await Product.filter(producer=producer).count() == 2


async def test_buyer_may_not_import(db: str) -> None:
    buyer = await make_account("buyer")
    with pytest.raises(Forbidden):
        await import_products(buyer, "san-pham.csv", csv_bytes([TEA]))


async def test_producer_without_profile_gets_not_found(db: str) -> None:
    account = await make_account("producer")
    with pytest.raises(NotFound):
        await import_products(account, "san-pham.csv", csv_bytes([TEA]))


# -- reading files (no database) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(",", "utf-8"), (",", "utf-8-sig"), (";", "utf-8-sig"), (";", "cp1258"), ("\t", "utf-16")],
)
def test_csv_encodings_and_delimiters_read_the_same(delimiter: str, encoding: str) -> None:
    rows = read_rows("san-pham.csv", csv_bytes([TEA, HONEY], delimiter=delimiter, encoding=encoding))
    assert [row[ROW] for row in rows] == ["2", "3"]
    assert rows[0]["name"] == "Trà Shan tuyết cổ thụ" and rows[0]["price_vnd"] == "350.000"
    assert rows[1]["subgroup"] == "Thực phẩm chế biến"


def test_excel_sep_line_and_title_rows_above_the_header() -> None:
    content = ("sep=;\r\n" + "Danh sách sản phẩm OCOP;;\r\n" + ";".join(HEADER) + "\r\n"
               + ";".join(TEA.get(h, "") for h in HEADER) + "\r\n").encode("utf-8-sig")
    rows = read_rows("san-pham.csv", content)
    assert [(row[ROW], row["code"]) for row in rows] == [("3", "TRA-01")]


def test_unknown_columns_are_ignored_and_reported() -> None:
    content = "Mã sản phẩm,Tên sản phẩm,Phân nhóm,Giá,ĐVT,Công suất,Ghi chú\nA1,Chè,Chè,1000,kg,5,x\n"
    rows = read_rows("a.csv", content.encode())
    assert rows == [{ROW: "2", "code": "A1", "name": "Chè", "subgroup": "Chè", "price_vnd": "1000",
                     "unit": "kg", "monthly_capacity": "5"}]


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("empty.csv", b""),
        ("blank.csv", b"\xef\xbb\xbf\r\n ,, \r\n"),
        ("header-only.csv", ",".join(HEADER).encode()),
        ("photo.png", b"\x89PNG\r\n"),
        ("noextension", b"code,name\n"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100),
        ("broken.xlsx", b"this is not a zip file"),
        ("missing-columns.csv", b"code,name\nA,B\n"),
        ("twice.csv", "Mã sản phẩm,code,Tên,Phân nhóm,Giá,Đơn vị,Công suất\n".encode()),
        ("too-large.csv", b"x" * (MAX_BYTES + 1)),
    ],
)
def test_unreadable_files_get_one_clear_error(filename: str, content: bytes) -> None:
    with pytest.raises(ImportFileError) as caught:
        read_rows(filename, content)
    assert caught.value.errors == {"file": caught.value.message} and caught.value.message


def test_error_messages_name_the_problem() -> None:
    i18n.set_language("en")
    try:
        with pytest.raises(ImportFileError, match="no column for: Tên sản phẩm, Phân nhóm"):
            read_rows("a.csv", "Mã sản phẩm,Giá (VND),Đơn vị,Công suất/tháng\nA,1,kg,1\n".encode())
        with pytest.raises(ImportFileError, match=r"\.xlsx or \.csv"):
            read_rows("old.xls", b"\xd0\xcf\x11\xe0")
        with pytest.raises(ImportFileError, match="5 MB"):
            read_rows("a.csv", b"x" * (MAX_BYTES + 1))
    finally:
        i18n.set_language("vi")


def test_more_rows_than_the_limit_are_refused() -> None:
    header, line = "code,name,subgroup,price_vnd,unit,monthly_capacity\n", "A,Chè,Chè,1000,kg,5\n"
    with pytest.raises(ImportFileError):
        read_rows("a.csv", (header + line * (MAX_ROWS + 1)).encode())
    assert len(read_rows("a.csv", (header + line * MAX_ROWS).encode())) == MAX_ROWS


def test_zip_bomb_workbook_is_refused_before_opening() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"\0" * (101 * 1024 * 1024))
    with pytest.raises(ImportFileError):
        read_rows("bomb.xlsx", buffer.getvalue())
