"""A fair's results as an XLSX workbook: summary, by group, by province, deals, on-site sales."""

from __future__ import annotations

import io
from collections.abc import Callable

from config.i18n import gettext as _
from matchmaking.fairs.results import FairResults, Tally, ranked


def _tally_row(name: str, tally: Tally) -> list[object]:
    return [name, tally.mous, tally.mou_value, tally.contracts, tally.contract_value]


def results_workbook(results: FairResults, *, group_label: Callable[[str], str],
                     kind_label: Callable[[str], str]) -> bytes:
    """The workbook's bytes; `group_label` and `kind_label` name codes in the reader's language."""
    import openpyxl

    book = openpyxl.Workbook()
    summary = book.active
    summary.title = _("Summary")
    total = results.total
    for row in (
        [_("Fair"), results.fair.name],
        [_("Meetings scheduled"), results.scheduled],
        [_("Meetings held"), results.held],
        [_("No-shows"), results.no_shows],
        [_("Not yet held"), results.upcoming],
        [_("MOUs"), total.mous],
        [_("MOU value (đồng)"), total.mou_value],
        [_("Contracts"), total.contracts],
        [_("Contract value (đồng)"), total.contract_value],
        [_("On-site sales (đồng)"), results.onsite_sales],
        [_("Visitors"), results.visitors if results.visitors is not None else ""],
        [_("Booth-fee support spent (đồng)"), results.support_spent],
    ):
        summary.append(row)
    heading = [_("MOUs"), _("MOU value (đồng)"), _("Contracts"), _("Contract value (đồng)")]
    for title, tallies, label in ((_("By product group"), results.by_group, group_label),
                                  (_("By province"), results.by_province, str)):
        sheet = book.create_sheet(title[:31])
        sheet.append([title, *heading])
        for name, tally in ranked(tallies):
            sheet.append(_tally_row(label(name), tally))
    deals = book.create_sheet(_("MOUs and contracts")[:31])
    deals.append([_("Session"), _("Exhibitor"), _("Buyer"), _("Outcome"), _("Value (đồng)"),
                  _("Product"), _("Demand")])
    for deal in results.deals:
        deals.append([deal.session, deal.exhibitor, deal.buyer, kind_label(deal.kind),
                      deal.value_vnd if deal.value_vnd is not None else "", deal.product, deal.demand])
    sales = book.create_sheet(_("On-site sales")[:31])
    sales.append([_("Exhibitor"), _("On-site sales (đồng)")])
    for name, value in results.sales:
        sales.append([name, value])
    for sheet in book.worksheets:
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
