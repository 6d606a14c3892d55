"""Reading and checking the rows of a register file (specs/certificate-register.md)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from config.i18n import gettext as _
from matchmaking.catalogue.import_columns import resolve
from matchmaking.catalogue.imports import RowProblem
from matchmaking.catalogue.products import CERTIFICATE_MONTHS, add_months
from matchmaking.certificates.keys import name_key, number_key
from matchmaking.enums import DecisionLevel, ProducerKind
from matchmaking.parsing import parse_day, parse_whole
from matchmaking.places import LEGACY_PROVINCES, fold, resolve_province, short_province_name
from matchmaking.sheets import Columns, Sheet, read_sheet

# Five stars are rated centrally; since the 2025 amendment a province decides 3 and 4 only.
FIVE_STARS_CENTRAL_FROM = date(2025, 1, 1)

# Each column of the spec, with the Vietnamese and English headers accepted for it.
COLUMNS: dict[str, tuple[str, ...]] = {
    "decision_number": ("Số quyết định", "Số QĐ", "Quyết định", "Decision number", "Decision"),
    "decision_date": ("Ngày quyết định", "Ngày QĐ", "Ngày ban hành", "Decision date"),
    "authority": ("Cơ quan ban hành", "Cơ quan quyết định", "Cơ quan cấp", "Authority"),
    "level": ("Cấp", "Cấp quyết định", "Cấp công nhận", "Level"),
    "province": ("Tỉnh", "Tỉnh/thành phố", "Tỉnh, thành phố", "Địa phương", "Province"),
    "producer_name": ("Chủ thể", "Tên chủ thể", "Chủ thể OCOP", "Producer", "Producer name"),
    "producer_kind": ("Loại hình chủ thể", "Loại hình", "Producer kind"),
    "tax_code": ("Mã số thuế", "MST", "Tax code"),
    "product_name": ("Tên sản phẩm", "Sản phẩm", "Product name", "Product"),
    "group": ("Ngành", "Nhóm", "Nhóm sản phẩm", "Product group"),
    "subgroup": ("Phân nhóm", "Nhóm con", "Sub-group"),
    "stars": ("Hạng sao", "Số sao", "Sao", "Xếp hạng", "Stars"),
    "score": ("Điểm", "Tổng điểm", "Score"),
    "certificate_number": ("Số GCN", "Số giấy chứng nhận", "Certificate number"),
    "expiry": ("Ngày hết hạn", "Hạn GCN", "Hiệu lực đến", "Expiry"),
}
REQUIRED = ("decision_number", "decision_date", "authority", "province", "producer_name",
            "product_name", "group", "stars")
KIND_NAMES: dict[str, tuple[str, ...]] = {
    ProducerKind.COOPERATIVE: ("Hợp tác xã", "HTX", "Cooperative"),
    ProducerKind.COOPERATIVE_GROUP: ("Tổ hợp tác", "THT", "Cooperative group"),
    ProducerKind.ENTERPRISE: ("Doanh nghiệp", "Công ty", "DN", "Enterprise"),
    ProducerKind.HOUSEHOLD: ("Hộ kinh doanh", "Hộ sản xuất", "Hộ gia đình", "HKD", "Household"),
}
LEVEL_NAMES: dict[str, tuple[str, ...]] = {
    DecisionLevel.PROVINCE: ("Tỉnh", "Cấp tỉnh", "Province"),
    DecisionLevel.CENTRAL: ("Trung ương", "Cấp trung ương", "Quốc gia", "Central"),
    DecisionLevel.DISTRICT: ("Huyện", "Cấp huyện", "District"),
}


def _index(names: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for code, aliases in names.items():
        for alias in (code, *aliases):
            index.setdefault(name_key(alias), code)
    return index


HEADERS = _index(COLUMNS)
KINDS = _index(KIND_NAMES)
LEVELS = _index(LEVEL_NAMES)


def _column(text: str) -> str | None:
    return HEADERS.get(name_key(text))


REGISTER_COLUMNS = Columns(
    headers={name: name for name in COLUMNS}, required=REQUIRED, field_of=_column,
    too_many=lambda limit: _("The file has more than %(limit)s rows: split it into several "
                             "files.") % {"limit": limit},
    no_rows=lambda: _("The file has a header row but no rows below it."),
)


def read_register(filename: str, content: bytes) -> Sheet:
    """A register file's rows (raises ImportFileError for a file that cannot be read)."""
    return read_sheet(filename, content, REGISTER_COLUMNS)


@dataclass(frozen=True)
class EntryInput:
    """One checked register row."""

    row: int
    decision_number: str
    decision_date: date
    authority: str
    level: DecisionLevel
    province_recorded: str
    province_code: int
    producer_name: str
    producer_kind: str | None
    tax_code: str | None
    product_name: str
    group: str
    subgroup: str
    stars: int
    score: int | None
    certificate_number: str
    expiry: date

    @property
    def identity(self) -> tuple[str, str, str]:
        """What makes a row the same row again: its decision, producer and product."""
        return (number_key(self.decision_number), name_key(self.producer_name),
                name_key(self.product_name))

    def values(self) -> dict[str, Any]:
        """The entry's columns as stored."""
        values = {k: v for k, v in self.__dict__.items() if k != "row"}
        decision_key, producer_key, product_key = self.identity
        values.update(decision_key=decision_key, producer_key=producer_key,
                      product_key=product_key, certificate_key=number_key(self.certificate_number))
        return values


def _recorded_province(text: str) -> str:
    """The province as the decision names it: an old name stays old, a current one is tidied."""
    folded = re.sub(r"^(tinh|thanh pho|tp) ", "", name_key(text))
    for old in LEGACY_PROVINCES:
        if name_key(old) == folded:
            return old
    code = resolve_province(text)
    return short_province_name(code) if code else text


def _level(text: str, authority: str) -> DecisionLevel | None:
    if not text:
        return DecisionLevel.DISTRICT if name_key(authority).startswith("ubnd huyen") \
            else DecisionLevel.PROVINCE
    level = LEVELS.get(name_key(text))
    return DecisionLevel(level) if level else None


def check_row(number: int, cells: Mapping[str, str]) -> tuple[EntryInput | None, dict[str, str]]:
    """A row as an entry, or the message for each wrong column."""
    errors: dict[str, str] = {}
    text = {name: (cells.get(name) or "").strip() for name in COLUMNS}
    for name in REQUIRED:
        if not text[name]:
            errors[name] = _("This column is required.")
    for name, limit in (("decision_number", 60), ("authority", 200), ("producer_name", 200),
                        ("product_name", 200), ("certificate_number", 60)):
        if len(text[name]) > limit:
            errors[name] = _("Too long (%(limit)d characters at most).") % {"limit": limit}
    decided = parse_day(text["decision_date"]) if text["decision_date"] else None
    if text["decision_date"] and decided is None:
        errors["decision_date"] = _("Enter a date as dd/mm/yyyy or yyyy-mm-dd.")
    level = _level(text["level"], text["authority"])
    if level is None:
        errors["level"] = _("Write province or central.")
    code = resolve_province(text["province"]) if text["province"] else None
    if text["province"] and code is None:
        errors["province"] = _("Unknown province: write its name, old or new, or its code.")
    kind = KINDS.get(name_key(text["producer_kind"])) if text["producer_kind"] else None
    if text["producer_kind"] and kind is None:
        errors["producer_kind"] = _("Write cooperative, cooperative group, enterprise or household.")
    if text["tax_code"] and not re.fullmatch(r"\d{10}(-\d{3})?", text["tax_code"]):
        errors["tax_code"] = _("A tax code has 10 digits, or 13 with a branch (0101234567-001).")
    group = resolve("group", text["group"]) if text["group"] else None
    if text["group"] and group is None:
        errors["group"] = _("Unknown product group: use one of the six OCOP groups.")
    subgroup = resolve("subgroup", text["subgroup"]) or text["subgroup"][:40]
    stars = re.sub(r"\s*(sao|stars?)$", "", fold(text["stars"])) if text["stars"] else ""
    star_count = parse_whole(stars) if stars else None
    if text["stars"] and star_count not in (1, 2, 3, 4, 5):
        errors["stars"] = _("Stars are a whole number from 1 to 5.")
    score = parse_whole(text["score"]) if text["score"] else None
    if text["score"] and (score is None or not 0 <= score <= 100):
        errors["score"] = _("The score is a whole number from 0 to 100.")
    expiry = parse_day(text["expiry"]) if text["expiry"] else None
    if text["expiry"] and expiry is None:
        errors["expiry"] = _("Enter a date as dd/mm/yyyy or yyyy-mm-dd.")
    if decided is not None:
        cap = add_months(decided, CERTIFICATE_MONTHS)
        expiry = expiry or cap
        if expiry > cap:
            errors["expiry"] = _("A certificate is valid 36 months at most: until %(day)s.") % {
                "day": cap.strftime("%d/%m/%Y")}
        elif expiry <= decided:
            errors["expiry"] = _("The expiry must come after the decision date.")
        if (star_count == 5 and level != DecisionLevel.CENTRAL
                and decided >= FIVE_STARS_CENTRAL_FROM):
            errors["stars"] = _("Five stars need a central-level decision (level: central).")
    if errors:
        return None, errors
    assert decided and expiry and code and level and group and star_count
    return EntryInput(
        row=number, decision_number=text["decision_number"], decision_date=decided,
        authority=text["authority"], level=level, province_recorded=_recorded_province(
            text["province"]), province_code=code, producer_name=text["producer_name"],
        producer_kind=kind, tax_code=text["tax_code"] or None, product_name=text["product_name"],
        group=group, subgroup=subgroup, stars=star_count, score=score,
        certificate_number=text["certificate_number"] or text["decision_number"], expiry=expiry,
    ), {}


def check_rows(table: Sheet) -> tuple[list[EntryInput], list[RowProblem]]:
    """Every row checked; a row repeated in the file is a problem too."""
    entries: list[EntryInput] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[str, str, str], int] = {}
    for number, cells in table.rows:
        entry, errors = check_row(number, cells)
        for name, message in errors.items():
            problems.append(RowProblem(row=number, field=name, column=table.headers.get(name, name),
                                       message=message, value=cells.get(name, "")))
        if entry is None:
            continue
        if entry.identity in seen:
            problems.append(RowProblem(
                row=number, field="product_name", column=table.headers["product_name"],
                message=_("The same product of the same decision is already on row %(row)d.")
                % {"row": seen[entry.identity]}, value=entry.product_name))
            continue
        seen[entry.identity] = number
        entries.append(entry)
    return entries, problems
