"""The product spreadsheet template, CSV or Excel, with example rows and the accepted names."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from matchmaking.catalogue.import_columns import (
    COLUMNS,
    GROUP_NAMES,
    MARK_NAMES,
    STATUS_NAMES,
    SUBGROUP_NAMES,
)
from matchmaking.enums import ProductGroup, ProductStatus, QualityMark
from matchmaking.sheets import cell_text
from matchmaking.taxonomy import SUBGROUPS, UNITS

EXAMPLES: tuple[dict[str, Any], ...] = (
    {
        "code": "TRA-ST-01", "name": "Trà Shan tuyết cổ thụ Hoàng Su Phì",
        "group": ProductGroup.BEVERAGES, "subgroup": "tea", "stars": 4,
        "certificate_number": "1520/QĐ-UBND", "certificate_authority": "UBND tỉnh Tuyên Quang",
        "decision_date": date(2025, 9, 15), "certificate_expiry": None, "price_vnd": 350_000,
        "unit": "kg", "min_order": 5, "monthly_capacity": 300, "shelf_life_days": 730,
        "net_quantity": None, "net_unit": None,
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
        "shelf_life_days": 540, "net_quantity": 500, "net_unit": "ml",
        "quality_marks": (QualityMark.GI,),
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
        writer.writerow(cell_text(value) for value in row)
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
