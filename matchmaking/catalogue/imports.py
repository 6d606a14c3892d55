"""Bulk import of a producer's products from a CSV or Excel (.xlsx) file.

A file is all or nothing: every row is checked first, and one problem rejects the whole file
with a report naming the row, the column and the value. Rows are matched to the producer's own
products by product code, so importing the same file again updates instead of duplicating.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from matchmaking.catalogue.import_columns import COLUMNS, PRODUCT_COLUMNS, resolve
from matchmaking.catalogue.products import ProductInput, enqueue, own_producer, validate_product
from matchmaking.certificates.verification import claim, verify_claim
from matchmaking.clock import now_utc
from matchmaking.enums import ProductStatus
from matchmaking.errors import ValidationFailed
from matchmaking.models import Account, Product
from matchmaking.offload import in_thread
from matchmaking.places import fold
from matchmaking.sheets import (
    ROW,
    ImportFileError,
    Sheet,
    read_sheet,
)
from matchmaking.taxonomy import group_of

INT_MAX = 2**31 - 1
PRICE_MAX = 10**12







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
















# -- reading files -----------------------------------------------------------------------------




















def read_rows(filename: str, content: bytes) -> list[dict[str, str]]:
    """A CSV or XLSX file's product rows as {field: text}; ROW holds the spreadsheet row number.

    Raises ImportFileError for a file of the wrong type, too large, empty or without the columns.
    """
    sheet = read_sheet(filename, content, PRODUCT_COLUMNS)
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
        before = claim(product) if product is not None else None
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
        await verify_claim(product, changed_claim=claim(product) != before)


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
    sheet = await in_thread(read_sheet, filename, content, PRODUCT_COLUMNS)
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
