"""Bulk import of a producer's products from a CSV or Excel (.xlsx) file.

A file is all or nothing: every row is checked first, and one problem rejects the whole file
with a report naming the row, the column and the value. Rows are matched to the producer's own
products by product code, so importing the same file again updates instead of duplicating.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from config import i18n
from config.i18n import gettext as _
from matchmaking.catalogue.products import ProductInput, enqueue, own_producer, validate_product
from matchmaking.clock import now_utc
from matchmaking.enums import ProductGroup, ProductStatus, QualityMark
from matchmaking.errors import ValidationFailed
from matchmaking.models import Account, Product
from matchmaking.places import fold
from matchmaking.taxonomy import SUBGROUPS, UNITS, group_of

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # an .xlsx is a zip: refuse bombs before openpyxl opens it
ROW = "_row"  # read_rows' key for the row number the user sees in the spreadsheet
INT_MAX = 2**31 - 1
PRICE_MAX = 10**12
HEADER_SEARCH_ROWS = 10  # title lines a spreadsheet may have above its header row

# The template's header row, in column order; any of these names (or an alias) is accepted.
COLUMNS: dict[str, str] = {
    "code": "Mã sản phẩm",
    "name": "Tên sản phẩm",
    "group": "Nhóm",
    "subgroup": "Phân nhóm",
    "stars": "Hạng sao",
    "certificate_number": "Số GCN",
    "certificate_authority": "Cơ quan cấp",
    "decision_date": "Ngày quyết định",
    "certificate_expiry": "Ngày hết hạn",
    "price_vnd": "Giá (VND)",
    "unit": "Đơn vị",
    "min_order": "Đơn hàng tối thiểu",
    "monthly_capacity": "Công suất/tháng",
    "shelf_life_days": "Hạn sử dụng (ngày)",
    "quality_marks": "Chứng nhận chất lượng",
    "description": "Mô tả",
    "status": "Trạng thái",
}
REQUIRED_COLUMNS = ("code", "name", "subgroup", "price_vnd", "unit", "monthly_capacity")

_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("Mã", "Mã SP", "Product code", "SKU"),
    "name": ("Tên", "Tên SP", "Product name", "Product"),
    "group": ("Nhóm sản phẩm", "Nhóm SP", "Product group"),
    "subgroup": ("Phân nhóm sản phẩm", "Sub-group", "Subgroup name"),
    "stars": ("Số sao", "Sao", "Hạng", "Stars", "Star rating", "Rating"),
    "certificate_number": ("Số giấy chứng nhận", "Số quyết định", "Certificate number",
                           "Certificate no", "Certificate"),
    "certificate_authority": ("Cơ quan cấp GCN", "Nơi cấp", "Certificate authority",
                              "Issuing authority", "Authority"),
    "decision_date": ("Ngày cấp", "Ngày QĐ", "Decision date"),
    "certificate_expiry": ("Ngày hết hạn GCN", "Hạn GCN", "Certificate expiry", "Expiry",
                           "Expiry date"),
    "price_vnd": ("Giá", "Giá bán", "Đơn giá", "Giá (đồng)", "Price", "Price (VND)"),
    "unit": ("Đơn vị tính", "ĐVT", "Unit"),
    "min_order": ("Đặt hàng tối thiểu", "Số lượng tối thiểu", "Min order", "Minimum order"),
    "monthly_capacity": ("Công suất", "Công suất tháng", "Sản lượng/tháng", "Monthly capacity",
                         "Capacity"),
    "shelf_life_days": ("Hạn sử dụng", "HSD", "HSD (ngày)", "Shelf life", "Shelf life (days)"),
    "quality_marks": ("Chứng nhận", "Tiêu chuẩn chất lượng", "Quality marks", "Quality mark",
                      "Certifications"),
    "description": ("Mô tả sản phẩm", "Description"),
    "status": ("Status",),
}

# Names a user may write for each code: the Vietnamese name the template uses comes first, then the
# English label of web/labels.py (whose Vietnamese translation is accepted too), then synonyms.
GROUP_NAMES: dict[str, tuple[str, ...]] = {
    ProductGroup.FOOD: ("Thực phẩm", "Food"),
    ProductGroup.BEVERAGES: ("Đồ uống", "Beverages", "Drinks"),
    ProductGroup.HERBAL: ("Thảo dược", "Herbal products", "Sản phẩm thảo dược", "Herbal"),
    ProductGroup.TEXTILES: ("Vải và may mặc", "Textiles and garments", "Vải, may mặc", "Textiles"),
    ProductGroup.HANDICRAFTS: ("Lưu niệm - nội thất - trang trí", "Souvenirs, furniture and decoration",
                               "Thủ công mỹ nghệ", "Handicrafts"),
    ProductGroup.TOURISM: ("Dịch vụ du lịch cộng đồng và điểm du lịch", "Community tourism services",
                           "Dịch vụ du lịch cộng đồng", "Du lịch cộng đồng", "Tourism"),
}
SUBGROUP_NAMES: dict[str, tuple[str, ...]] = {
    "fresh_produce": ("Nông sản tươi sống", "Fresh produce", "Tươi sống", "Nông sản tươi"),
    "processed_food": ("Thực phẩm chế biến", "Processed food", "Chế biến", "Nông sản sơ chế"),
    "condiments": ("Gia vị", "Condiments and spices", "Gia vị và nước chấm", "Condiments"),
    "tea": ("Chè", "Tea", "Trà", "Chè - trà", "Trà - chè"),
    "coffee": ("Cà phê", "Coffee"),
    "alcoholic": ("Đồ uống có cồn", "Alcoholic drinks", "Rượu", "Rượu, bia"),
    "non_alcoholic": ("Đồ uống không cồn", "Non-alcoholic drinks", "Nước giải khát"),
    "herbal_food": ("Thực phẩm - đồ uống thảo dược", "Herbal food and drinks",
                    "Thực phẩm thảo dược"),
    "herbal_cosmetics": ("Mỹ phẩm thảo dược", "Herbal cosmetics", "Mỹ phẩm"),
    "herbal_medicine": ("Thuốc từ dược liệu", "Herbal medicine", "Thuốc dược liệu",
                        "Thuốc y học cổ truyền"),
    "brocade": ("Thổ cẩm", "Brocade and weaving", "Dệt thổ cẩm", "Brocade"),
    "garments": ("May mặc", "Garments"),
    "bamboo_rattan": ("Mây tre đan", "Bamboo and rattan", "Mây tre"),
    "ceramics": ("Gốm sứ", "Ceramics", "Gốm"),
    "wood": ("Đồ gỗ", "Wood", "Gỗ", "Đồ gỗ mỹ nghệ"),
    "lacquer": ("Sơn mài", "Lacquer"),
    "other_crafts": ("Thủ công mỹ nghệ khác", "Other crafts"),
    "homestay": ("Homestay", "Homestays", "Lưu trú cộng đồng"),
    "community_tourism": ("Điểm du lịch cộng đồng", "Community tourism sites", "Du lịch cộng đồng"),
}
UNIT_NAMES: dict[str, tuple[str, ...]] = {
    "kg": ("kilogram", "kí", "ký", "cân"), "g": ("gram", "gam"), "tấn": ("tonne", "ton"),
    "lít": ("l", "litre", "liter"), "chai": ("bottle",), "hộp": ("box",), "túi": ("bag",),
    "gói": ("pack", "packet"), "cái": ("piece", "pcs", "chiếc"), "bộ": ("set",),
    "đêm": ("night",), "vé": ("ticket",), "m": ("mét", "metre", "meter"),
}
MARK_NAMES: dict[str, tuple[str, ...]] = {
    QualityMark.VIETGAP: ("VietGAP",), QualityMark.GLOBALGAP: ("GlobalGAP",),
    QualityMark.ORGANIC: ("Hữu cơ", "Organic"), QualityMark.HACCP: ("HACCP",),
    QualityMark.ISO22000: ("ISO 22000",),
    QualityMark.GI: ("Chỉ dẫn địa lý", "Geographical indication", "CDĐL", "GI"),
    QualityMark.TRACEABILITY: ("Tem truy xuất nguồn gốc", "Traceability stamp", "Truy xuất nguồn gốc",
                               "Traceability", "QR"),
}
STATUS_NAMES: dict[str, tuple[str, ...]] = {
    ProductStatus.DRAFT: ("Nháp", "Draft", "Bản nháp"),
    ProductStatus.PUBLISHED: ("Công khai", "Published", "Đã đăng", "Đăng", "Publish"),
}


class ImportFileError(ValidationFailed):
    """The file as a whole cannot be imported (type, size, layout); `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__({"file": message})
        self.message = message


@dataclass(frozen=True)
class RowProblem:
    """One wrong value: the spreadsheet row, the field, its column header, the message, the value."""

    row: int
    field: str
    column: str
    message: str
    value: str


@dataclass(frozen=True)
class RowResult:
    """One imported row: whether it creates a product or updates the one with the same code."""

    row: int
    code: str
    name: str
    created: bool


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do); `problems` non-empty means rejected."""

    filename: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    results: list[RowResult] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return bool(self.problems)


@dataclass(frozen=True)
class Sheet:
    """A file's product rows keyed by field, with the header each field had in the file."""

    headers: dict[str, str]
    rows: list[tuple[int, dict[str, str]]]
    ignored_columns: list[str]


# -- names -------------------------------------------------------------------------------------


def _key(text: str) -> str:
    """Case, diacritics, spaces and punctuation do not matter: 'Giá (VND)' -> 'gia vnd'."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def _index(names: Mapping[str, Iterable[str]]) -> dict[str, str]:
    vietnamese = i18n.translations("vi")
    index: dict[str, str] = {}
    for code, aliases in names.items():
        for name in (code, *aliases, *(vietnamese.gettext(alias) for alias in aliases)):
            index.setdefault(_key(name), str(code))
    return index


@cache
def _indexes() -> dict[str, dict[str, str]]:
    headers = {f: (COLUMNS[f], *_HEADER_ALIASES.get(f, ())) for f in COLUMNS}
    return {
        "header": _index(headers), "group": _index(GROUP_NAMES), "subgroup": _index(SUBGROUP_NAMES),
        "unit": _index(UNIT_NAMES), "mark": _index(MARK_NAMES), "status": _index(STATUS_NAMES),
    }


def resolve(kind: str, text: str) -> str | None:
    """The code a name stands for ('Chè' -> 'tea' for kind 'subgroup'), or None if unknown."""
    return _indexes()[kind].get(_key(text)) if text.strip() else None


# -- reading files -----------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFC", str(value)).strip()


def _decode(content: bytes) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16", errors="replace")
    for encoding in ("utf-8-sig", "cp1258"):  # cp1258: Excel's "CSV" on Vietnamese Windows
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def _csv_records(content: bytes) -> Iterator[tuple[int, list[str]]]:
    lines = _decode(content).splitlines(keepends=True)
    first = next((line for line in lines if line.strip()), "")
    hint = re.fullmatch(r"\s*sep=(.)\s*", first)
    if hint:  # Excel's "sep=;" line names the delimiter and is not a row
        delimiter = hint.group(1)
        lines.remove(first)
    else:  # the first line with any candidate is the header (title lines above it have none)
        header = next((line for line in lines if any(d in line for d in ",;\t")), "")
        counts = {d: header.count(d) for d in (",", ";", "\t")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.reader(lines, delimiter=delimiter)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error as exc:
        raise ImportFileError(
            _("Row %(row)d of the CSV file cannot be read (%(error)s).") % {"row": number + 1, "error": exc}
        ) from None


def _xlsx_records(worksheet: Any) -> Iterator[tuple[int, list[object]]]:
    for cells in worksheet.iter_rows():
        number = next((cell.row for cell in cells if getattr(cell, "row", None)), None)
        if number is not None:
            yield number, [cell.value for cell in cells]


def _map_header(cells: list[str]) -> tuple[dict[str, int], dict[str, str], list[str]]:
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for position, text in enumerate(cells):
        if not text:
            continue
        name = resolve("header", text)
        if name is None:
            ignored.append(text)
        elif name in positions:
            raise ImportFileError(
                _("The columns “%(first)s” and “%(second)s” hold the same information: keep one.")
                % {"first": headers[name], "second": text}
            )
        else:
            positions[name], headers[name] = position, text
    missing = [COLUMNS[name] for name in REQUIRED_COLUMNS if name not in positions]
    if missing:
        raise ImportFileError(
            _("The file has no column for: %(columns)s. Download the template to see the columns.")
            % {"columns": ", ".join(missing)}
        )
    return positions, headers, ignored


def _is_header(cells: list[str]) -> bool:
    return sum(1 for text in cells if resolve("header", text)) >= 2


def _sheet(records: Iterable[tuple[int, list[Any]]]) -> Sheet:
    """The header row (the first that names columns, after any title lines) and the rows below."""
    mapped: tuple[dict[str, int], dict[str, str], list[str]] | None = None
    first_line: list[str] | None = None
    skipped = 0
    rows: list[tuple[int, dict[str, str]]] = []
    for number, raw in records:
        cells = [_cell_text(value) for value in raw]
        if not any(cells):
            continue
        if mapped is None:
            first_line = first_line or cells
            skipped += 1
            if _is_header(cells) or skipped > HEADER_SEARCH_ROWS:
                mapped = _map_header(cells if _is_header(cells) else first_line)
            continue
        if len(rows) == MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(limit)s products: split it into several files.")
                % {"limit": i18n.format_number(MAX_ROWS)}
            )
        positions = mapped[0]
        rows.append((number, {f: cells[i] if i < len(cells) else "" for f, i in positions.items()}))
    if first_line is None:
        raise ImportFileError(_("The file is empty."))
    if mapped is None:
        mapped = _map_header(first_line)
    if not rows:
        raise ImportFileError(_("The file has a header row but no products below it."))
    return Sheet(headers=mapped[1], rows=rows, ignored_columns=mapped[2])


def _read_xlsx(content: bytes) -> Sheet:
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportFileError(_("This file is not a valid Excel (.xlsx) workbook.")) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(_("The workbook is too large once unpacked."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error on a damaged workbook
        raise ImportFileError(_("This file is not a valid Excel (.xlsx) workbook.")) from None
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The file is empty."))
        return _sheet(_xlsx_records(workbook.worksheets[0]))
    except ImportFileError:
        raise
    except Exception:  # damaged XML inside the zip shows up only while reading rows
        raise ImportFileError(_("This file is not a valid Excel (.xlsx) workbook.")) from None
    finally:
        workbook.close()


def _read_sheet(filename: str, content: bytes) -> Sheet:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "xls" or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("Old Excel files (.xls) cannot be read: save the file as .xlsx or .csv and try again.")
        )
    if suffix not in ("csv", "xlsx"):
        raise ImportFileError(_("Upload a CSV (.csv) or Excel (.xlsx) file."))
    if len(content) > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)d MB: split it into several files.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    if suffix == "xlsx" or content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    return _sheet(_csv_records(content))


def read_rows(filename: str, content: bytes) -> list[dict[str, str]]:
    """A CSV or XLSX file's product rows as {field: text}; ROW holds the spreadsheet row number.

    Raises ImportFileError for a file of the wrong type, too large, empty or without the columns.
    """
    sheet = _read_sheet(filename, content)
    return [{ROW: str(number), **cells} for number, cells in sheet.rows]


# -- checking rows -----------------------------------------------------------------------------


def _stars(text: str) -> str:
    if text and set(text) <= {"★", "*"}:
        return str(len(text))
    match = re.fullmatch(r"(\d+)(?:[.,]0+)?\s*(?:sao|stars?)?", fold(text))
    return match.group(1) if match else text


def _date_text(text: str) -> str:
    return text.replace(".", "/") if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", text) else text


def _prepare(cells: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Codes for the names a user wrote, and the problems validate_product does not check."""
    errors: dict[str, str] = {}
    data: dict[str, Any] = dict(cells)
    code = cells.get("code", "")
    if not code:
        errors["code"] = _("Enter a product code: a later import uses it to update the product.")
    elif len(code) > 40:
        errors["code"] = _("The code is too long (40 characters at most).")
    subgroup = resolve("subgroup", cells.get("subgroup", ""))
    group = resolve("group", cells.get("group", ""))
    if subgroup is None:
        errors["subgroup"] = _("Choose a sub-group from the list in the template.")
    elif not cells.get("group"):
        group = group_of(subgroup)
    data["group"] = group or cells.get("group", "")
    data["subgroup"] = subgroup or ""
    data["unit"] = resolve("unit", cells.get("unit", "")) or cells.get("unit", "")
    data["stars"] = _stars(cells.get("stars", ""))
    for name in ("decision_date", "certificate_expiry"):
        data[name] = _date_text(cells.get(name, ""))
    marks = [m.strip() for m in re.split(r"[,;\n]", cells.get("quality_marks", "")) if m.strip()]
    unknown = [mark for mark in marks if resolve("mark", mark) is None]
    if unknown:
        errors["quality_marks"] = _("Unknown quality mark: %(marks)s.") % {"marks": ", ".join(unknown)}
    data["quality_marks"] = [known for mark in marks if (known := resolve("mark", mark))]
    if cells.get("status") and resolve("status", cells["status"]) is None:
        errors["status"] = _("The status is either draft or published.")
    if len(cells.get("certificate_number", "")) > 60:
        errors["certificate_number"] = _("The certificate number is too long (60 characters at most).")
    if len(cells.get("certificate_authority", "")) > 200:
        errors["certificate_authority"] = _("The authority's name is too long (200 characters at most).")
    return data, errors


def _too_large(product: ProductInput) -> dict[str, str]:
    limits = {"price_vnd": PRICE_MAX, "min_order": INT_MAX, "monthly_capacity": INT_MAX,
              "shelf_life_days": INT_MAX}
    values = product.fields()
    return {name: _("The number is too large.") for name, limit in limits.items()
            if (values[name] or 0) > limit}


@dataclass(frozen=True)
class _Row:
    number: int
    product: ProductInput
    status: ProductStatus | None


def _check_row(number: int, cells: Mapping[str, str]) -> tuple[_Row | None, dict[str, str]]:
    data, errors = _prepare(cells)
    product: ProductInput | None = None
    try:
        product = validate_product(data)
    except ValidationFailed as exc:
        errors = {**exc.errors, **errors}
    if product is not None:
        errors.update(_too_large(product))
    if "subgroup" in errors and not cells.get("group"):
        errors.pop("group", None)  # the group was to come from the sub-group: one message is enough
    if errors or product is None:
        return None, errors
    status = resolve("status", cells.get("status", ""))
    return _Row(number, product, ProductStatus(status) if status else None), {}


def _check_rows(sheet: Sheet) -> tuple[list[_Row], list[RowProblem]]:
    rows: list[_Row] = []
    problems: list[RowProblem] = []
    first_row: dict[str, int] = {}
    order = list(COLUMNS)
    for number, cells in sheet.rows:
        row, errors = _check_row(number, cells)
        code = cells.get("code", "").casefold()
        if code and code in first_row and "code" not in errors:
            errors["code"] = _("This code is already used on row %(row)d of the file.") % {
                "row": first_row[code]}
        first_row.setdefault(code, number)
        for name in sorted(errors, key=lambda n: order.index(n) if n in order else len(order)):
            column = sheet.headers.get(name) or COLUMNS.get(name, name)
            problems.append(RowProblem(number, name, column, errors[name], cells.get(name, "")))
        if row is not None and not errors:
            rows.append(row)
    return rows, problems


# -- writing -----------------------------------------------------------------------------------


def _match(existing: list[Product]) -> dict[str, Product]:
    """The producer's products by code; a code differing only in case still matches."""
    by_code: dict[str, Product] = {}
    for product in sorted(existing, key=lambda p: p.id):
        by_code.setdefault(product.code.casefold(), product)
    for product in existing:
        by_code[product.code] = product
    return by_code


def _target(by_code: Mapping[str, Product], code: str) -> Product | None:
    return by_code.get(code) or by_code.get(code.casefold())


async def _write(producer_id: int, rows: list[_Row], by_code: Mapping[str, Product], now: datetime) -> None:
    for row in rows:
        fields = row.product.fields()
        if row.status is not None:
            fields["status"] = row.status
        product = _target(by_code, row.product.code)
        if product is None:
            if row.status == ProductStatus.PUBLISHED:
                fields["published_at"] = now
            product = await Product.create(producer_id=producer_id, **fields)
        else:
            fields["code"] = product.code  # matched ignoring case: keep the spelling on record
            product.update_from_dict(fields)
            if product.status == ProductStatus.PUBLISHED and product.published_at is None:
                product.published_at = now
            await product.save()
        await enqueue(product.id)


async def import_products(
    actor: Account | None,
    filename: str,
    content: bytes,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
) -> ImportReport:
    """Import a producer's products from a CSV or XLSX file, all rows or none.

    Side effects, unless `dry_run` or the report has problems: in one transaction, creates the
    products with new codes, updates those whose code the producer already uses, and writes a
    search-outbox row for each. Raises ImportFileError for an unreadable file, NotFound when the
    producer has no profile yet, Forbidden for other roles.
    """
    producer = await own_producer(actor)
    sheet = _read_sheet(filename, content)
    report = ImportReport(filename=filename, dry_run=dry_run, rows=len(sheet.rows),
                          ignored_columns=sheet.ignored_columns)
    rows, report.problems = _check_rows(sheet)
    if report.problems:
        return report
    by_code = _match(await Product.filter(producer=producer))
    for row in rows:
        created = _target(by_code, row.product.code) is None
        report.results.append(RowResult(row.number, row.product.code, row.product.name, created))
    report.created = sum(1 for result in report.results if result.created)
    report.updated = len(report.results) - report.created
    if dry_run:
        return report
    try:
        async with in_transaction():
            await _write(producer.id, rows, by_code, now or now_utc())
    except IntegrityError:
        raise ImportFileError(
            _("Your products were changed while the file was imported; nothing was saved. Try again.")
        ) from None
    return report


# -- the template ------------------------------------------------------------------------------

EXAMPLES: tuple[dict[str, Any], ...] = (
    {
        "code": "TRA-ST-01", "name": "Trà Shan tuyết cổ thụ Hoàng Su Phì",
        "group": ProductGroup.BEVERAGES, "subgroup": "tea", "stars": 4,
        "certificate_number": "1520/QĐ-UBND", "certificate_authority": "UBND tỉnh Tuyên Quang",
        "decision_date": date(2025, 9, 15), "certificate_expiry": None, "price_vnd": 350_000,
        "unit": "kg", "min_order": 5, "monthly_capacity": 300, "shelf_life_days": 730,
        "quality_marks": (QualityMark.VIETGAP, QualityMark.TRACEABILITY),
        "description": "Búp chè Shan tuyết từ cây cổ thụ trên 100 năm tuổi, sao thủ công.",
        "status": ProductStatus.PUBLISHED,
    },
    {
        "code": "MO-BH-01", "name": "Mật ong bạc hà Mèo Vạc",
        "group": ProductGroup.FOOD, "subgroup": "processed_food", "stars": 3,
        "certificate_number": "2104/QĐ-UBND", "certificate_authority": "UBND tỉnh Tuyên Quang",
        "decision_date": date(2025, 10, 20), "certificate_expiry": date(2028, 10, 20),
        "price_vnd": 450_000, "unit": "chai", "min_order": 20, "monthly_capacity": 800,
        "shelf_life_days": 540, "quality_marks": (QualityMark.GI,),
        "description": "Mật ong hoa bạc hà cao nguyên đá, chai thủy tinh 500 ml.",
        "status": ProductStatus.DRAFT,
    },
)


def _example_value(name: str, value: Any) -> Any:
    """An example's value as a person would type it: names rather than codes."""
    names = {"group": GROUP_NAMES, "subgroup": SUBGROUP_NAMES, "status": STATUS_NAMES}
    if name in names:
        return names[name][value][0]
    if name == "quality_marks":
        return ", ".join(MARK_NAMES[mark][0] for mark in value)
    return value


def _example_rows() -> list[list[Any]]:
    return [[_example_value(name, example[name]) for name in COLUMNS] for example in EXAMPLES]


def template_csv() -> bytes:
    """The template as UTF-8 CSV with a BOM, so Excel shows the Vietnamese letters."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS.values())
    for row in _example_rows():
        writer.writerow(_cell_text(value) for value in row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """The template as a workbook: the products sheet, then a sheet listing the accepted names."""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Sản phẩm"
    sheet.append(list(COLUMNS.values()))
    for row in _example_rows():
        sheet.append(row)
    formats = {"decision_date": "DD/MM/YYYY", "certificate_expiry": "DD/MM/YYYY", "price_vnd": "#,##0"}
    for position, name in enumerate(COLUMNS, start=1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = max(12, len(COLUMNS[name]) + 4)
        sheet.cell(row=1, column=position).font = Font(bold=True)
        for line in range(2, len(EXAMPLES) + 2):
            if name in formats:
                sheet.cell(row=line, column=position).number_format = formats[name]
    sheet.freeze_panes = "A2"
    lists = workbook.create_sheet("Danh mục")
    lists.append([COLUMNS["group"], COLUMNS["subgroup"], COLUMNS["unit"], COLUMNS["quality_marks"],
                  COLUMNS["status"]])
    pairs = [(GROUP_NAMES[g][0], SUBGROUP_NAMES[s][0]) for g, codes in SUBGROUPS.items() for s in codes]
    marks = [names[0] for names in MARK_NAMES.values()]
    statuses = [names[0] for names in STATUS_NAMES.values()]
    for line in range(len(pairs)):
        extra = [UNITS[line] if line < len(UNITS) else None, marks[line] if line < len(marks) else None,
                 statuses[line] if line < len(statuses) else None]
        lists.append([*pairs[line], *extra])
    for letter in "ABCDE":
        lists.column_dimensions[letter].width = 36
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
