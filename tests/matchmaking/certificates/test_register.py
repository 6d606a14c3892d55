"""Importing the register: all or nothing, idempotent, renewals, caps and officers' scope."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from matchmaking.certificates.register import import_register
from matchmaking.errors import Forbidden
from matchmaking.models import AuditLog, CertificateEntry
from matchmaking.places import resolve_province
from tests.factories import make_account
from tests.matchmaking.certificates.register_files import register_csv, row

LANG_SON = resolve_province("Lạng Sơn")
TUYEN_QUANG = resolve_province("Tuyên Quang")


async def officer(province: str | None = "Lạng Sơn") -> object:
    return await make_account("officer", province_code=resolve_province(province) if province
                              else None)


async def test_good_file_creates_entries_with_defaults_and_audit(db: str) -> None:
    actor = await officer()
    content = register_csv([row(), row(product_name="Rượu Mẫu Sơn", group="Đồ uống", stars="3",
                                       expiry="2027-01-31")])
    report = await import_register(actor, filename="qd-1520.csv", content=content)
    assert (report.rejected, report.rows, report.created) == (False, 2, 2)
    oil = await CertificateEntry.get(product_name="Tinh dầu hồi Văn Quan")
    assert (oil.stars, oil.group, oil.province_code, oil.province_recorded) == (
        4, "herbal", LANG_SON, "Lạng Sơn")
    assert oil.certificate_number == "1520/QĐ-UBND"  # default: the decision number
    assert oil.expiry == date(2028, 9, 15)  # default: decision + 36 months
    assert oil.lineage == oil.id and oil.producer_kind == "cooperative"
    audit = await AuditLog.get(action="certificates.import")
    assert audit.detail["created"] == 2 and audit.actor_id == actor.id  # type: ignore[attr-defined]


async def test_bad_rows_reject_the_whole_file_with_a_report(db: str) -> None:
    content = register_csv([
        row(),
        row(product_name="Na Chi Lăng", stars="6"),
        row(product_name="Khâu nhục", decision_date="31/02/2025"),
        row(product_name="Thạch đen", province="Atlantis"),
        row(product_name="Miến dong", expiry="01/01/2099"),
        row(product_name="Hồng vành khuyên", stars="5"),  # a province cannot give 5 stars
    ])
    report = await import_register(await officer(), filename="bad.csv", content=content)
    assert report.rejected
    assert [(p.row, p.field) for p in report.problems] == [
        (3, "stars"), (4, "decision_date"), (5, "province"), (6, "expiry"), (7, "stars")]
    assert "15/09/2028" in report.problems[3].message
    assert await CertificateEntry.all().count() == 0


async def test_unreadable_file_is_one_problem(db: str) -> None:
    report = await import_register(await officer(), filename="x.pdf", content=b"%PDF")
    assert report.rejected and report.problems[0].field == "file"


async def test_reimport_changes_nothing_and_a_later_decision_is_a_renewal(db: str) -> None:
    actor = await officer()
    first = register_csv([row(decision_date="15/09/2021", decision_number="900/QĐ-UBND",
                              stars="3")])
    await import_register(actor, filename="2021.csv", content=first)
    again = await import_register(actor, filename="2021.csv", content=first)
    assert (again.created, again.unchanged, again.renewals) == (0, 1, 0)
    renewal = register_csv([row(stars="4", product_name="Tinh dầu hồi  văn quan")])
    report = await import_register(actor, filename="2025.csv", content=renewal)
    assert (report.created, report.renewals) == (0, 1)
    entries = await CertificateEntry.all().order_by("decision_date")
    assert len(entries) == 2 and entries[0].lineage == entries[1].lineage == entries[0].id
    assert await AuditLog.filter(action="certificates.import").count() == 3


async def test_dry_run_reports_exactly_and_saves_nothing(db: str) -> None:
    content = register_csv([row(decision_date="15/09/2021", decision_number="900/QĐ-UBND"),
                            row()])
    report = await import_register(await officer(), filename="x.csv", content=content,
                                   dry_run=True)
    assert (report.rejected, report.created, report.renewals) == (False, 1, 1)
    assert await CertificateEntry.all().count() == 0
    assert await AuditLog.all().count() == 0


async def test_old_province_name_is_kept_and_mapped(db: str) -> None:
    content = register_csv([row(province="Hà Giang", authority="UBND tỉnh Hà Giang",
                                decision_date="10/10/2020")])
    await import_register(await officer(None), filename="hg.csv", content=content)
    entry = await CertificateEntry.get()
    assert (entry.province_recorded, entry.province_code) == ("Hà Giang", TUYEN_QUANG)


async def test_officer_cannot_import_another_provinces_rows(db: str) -> None:
    content = register_csv([row(), row(province="Hà Giang", product_name="Chè Shan tuyết")])
    report = await import_register(await officer("Lạng Sơn"), filename="x.csv", content=content)
    assert [(p.row, p.field) for p in report.problems] == [(3, "province")]
    assert await CertificateEntry.all().count() == 0
    national = await import_register(await officer(None), filename="x.csv", content=content)
    assert national.created == 2


@pytest.mark.parametrize("role", ["producer", "buyer", "organiser"])
async def test_other_roles_cannot_import(db: str, role: str) -> None:
    with pytest.raises(Forbidden):
        await import_register(await make_account(role), filename="x.csv",
                              content=register_csv([row()]))


async def test_xlsx_with_vietnamese_headers_imports(db: str) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Danh sách sản phẩm OCOP năm 2025"])
    sheet.append(["Số quyết định", "Ngày quyết định", "Cơ quan ban hành", "Tỉnh", "Chủ thể",
                  "Tên sản phẩm", "Ngành", "Hạng sao", "Mã số thuế"])
    sheet.append(["1520/QĐ-UBND", date(2025, 9, 15), "UBND tỉnh Lạng Sơn", "Lạng Sơn",
                  "HTX Hồi Văn Quan", "Tinh dầu hồi", "Thảo dược", 4, "4900123456"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = await import_register(await officer(), filename="qd.xlsx", content=buffer.getvalue())
    assert (report.rejected, report.created) == (False, 1)
    assert (await CertificateEntry.get()).tax_code == "4900123456"


async def test_district_and_low_star_rows_are_history(db: str) -> None:
    content = register_csv([
        row(stars="2", product_name="Bánh khảo"),
        row(authority="UBND huyện Văn Quan", product_name="Thạch đen", stars="3",
            decision_number="12/QĐ-UBND", decision_date="01/06/2019"),
    ])
    report = await import_register(await officer(), filename="x.csv", content=content)
    assert report.created == 2
    district = await CertificateEntry.get(product_name="Thạch đen")
    assert district.level == "district"
