"""The statistics as an Excel workbook, for the six-monthly and annual reports."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from config.i18n import gettext as _
from matchmaking.certificates.expiry import Expiring
from matchmaking.certificates.stats import STARS, CertificateStats, Tally
from matchmaking.places import short_province_name

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def _tally_rows(sheet: Worksheet, title: str, rows: dict[str, Tally] | dict[int, Tally]) -> None:
    sheet.append([])
    sheet.append([title, _("Products"), _("Producers"), "3★", "4★", "5★"])
    for name, tally in sorted(rows.items(), key=lambda item: str(item[0])):
        sheet.append([str(name), tally.products, len(tally.producer_keys),
                      *(tally.stars[s] for s in STARS)])


def stats_workbook(stats: CertificateStats, *, scope: str) -> bytes:
    """One sheet: the totals, then each breakdown (province as recorded and as now, group,
    sub-group, producer kind, decision year)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("OCOP statistics")[:31]
    sheet.append([_("OCOP products by the certificate register"), scope])
    sheet.append([_("As of"), stats.as_of.strftime("%d/%m/%Y")])
    _tally_rows(sheet, _("Total"), {_("Recognised (cumulative)"): stats.recognised,
                                    _("Certificate in force"): stats.valid})
    _tally_rows(sheet, _("Province (as recorded)"), stats.by_province)
    _tally_rows(sheet, _("Province (now)"), stats.by_province_now)
    _tally_rows(sheet, _("Producer kind"), stats.by_kind)
    _tally_rows(sheet, _("Decision year"), stats.by_year)
    sheet.append([])
    sheet.append([_("Product group"), _("Products")])
    for group, count in sorted(stats.by_group.items()):
        sheet.append([group, count])
    sheet.append([])
    sheet.append([_("Sub-group"), _("Products")])
    for subgroup, count in sorted(stats.by_subgroup.items()):
        sheet.append([subgroup, count])
    sheet.column_dimensions["A"].width = 36
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def expiring_workbook(items: list[Expiring]) -> bytes:
    """The officer's list of certificates expiring soon, one row each."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Expiring certificates")[:31]
    sheet.append([_("Product"), _("Producer"), _("Province"), _("Stars"), _("Certificate no."),
                  _("Expires on")])
    for item in items:
        product = item.product
        sheet.append([product.name, product.producer.name,
                      short_province_name(product.producer.province_code), product.verified_stars,
                      product.certificate_number, item.expiry])
        sheet.cell(row=sheet.max_row, column=6).number_format = "DD/MM/YYYY"
    for column, width in zip("ABCDEF", (40, 36, 18, 8, 20, 14), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
