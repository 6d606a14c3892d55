"""Importing recognition decisions into the register: all or nothing, idempotent, scoped.

Re-importing a decision changes nothing; a later decision for a product already registered in
the same province (same producer and product name, the same tax code and product name, or the
same explicit certificate number) is a renewal or re-rating of it, so it joins that product's
lineage instead of counting as a second product.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from matchmaking import audit
from matchmaking.catalogue.imports import RowProblem
from matchmaking.certificates.rows import EntryInput, check_rows, read_register
from matchmaking.certificates.verification import refresh_after_import
from matchmaking.models import Account, CertificateEntry
from matchmaking.permissions import officer_scope
from matchmaking.places import short_province_name
from matchmaking.sheets import ImportFileError


@dataclass(frozen=True)
class EntryResult:
    """What one row did: 'created' (a new product), 'renewal', 'updated' or 'unchanged'."""

    row: int
    decision_number: str
    product_name: str
    stars: int
    outcome: str


class ProblemJson(TypedDict):
    row: int
    field: str
    column: str
    message: str
    value: str


class EntryResultJson(TypedDict):
    row: int
    decision_number: str
    product_name: str
    stars: int
    outcome: str


class RegisterReportJson(TypedDict):
    """What an import did, or would do (dry_run); rejected: nothing was saved."""

    filename: str
    dry_run: bool
    rejected: bool
    rows: int
    created: int
    renewals: int
    updated: int
    unchanged: int
    products_verified: int
    problems: list[ProblemJson]
    results: list[EntryResultJson]


@dataclass
class RegisterReport:
    """What an import did (or, for a dry run, would do); `problems` non-empty means rejected."""

    filename: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    renewals: int = 0
    updated: int = 0
    unchanged: int = 0
    products_verified: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    results: list[EntryResult] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return bool(self.problems)

    def as_json(self) -> RegisterReportJson:
        return {
            "filename": self.filename, "dry_run": self.dry_run, "rejected": self.rejected,
            "rows": self.rows, "created": self.created, "renewals": self.renewals,
            "updated": self.updated, "unchanged": self.unchanged,
            "products_verified": self.products_verified,
            "problems": [ProblemJson(row=p.row, field=p.field, column=p.column, message=p.message,
                                     value=p.value) for p in self.problems],
            "results": [EntryResultJson(row=r.row, decision_number=r.decision_number,
                                        product_name=r.product_name, stars=r.stars,
                                        outcome=r.outcome) for r in self.results],
        }


def _scope_problems(entries: list[EntryInput], scope: int | None,
                    headers: dict[str, str]) -> list[RowProblem]:
    if scope is None:
        return []
    message = _("Outside your province (%(province)s): another province's officer imports it.") % {
        "province": short_province_name(scope)}
    return [RowProblem(row=e.row, field="province", column=headers.get("province", "province"),
                       message=message, value=e.province_recorded)
            for e in entries if e.province_code != scope]


class _Known:
    """The stored entries an import may meet again, indexed the ways a row can match them."""

    def __init__(self, entries: list[CertificateEntry]) -> None:
        self.by_identity: dict[tuple[str, str, str], CertificateEntry] = {}
        self.by_name: dict[tuple[int, str, str], CertificateEntry] = {}
        self.by_tax: dict[tuple[int, str, str], CertificateEntry] = {}
        self.by_certificate: dict[tuple[int, str], CertificateEntry] = {}
        for entry in entries:
            self.add(entry)

    def add(self, entry: CertificateEntry) -> None:
        self.by_identity[(entry.decision_key, entry.producer_key, entry.product_key)] = entry
        place = entry.province_code
        self.by_name.setdefault((place, entry.producer_key, entry.product_key), entry)
        if entry.tax_code:
            self.by_tax.setdefault((place, entry.tax_code, entry.product_key), entry)
        if entry.certificate_key != entry.decision_key:
            self.by_certificate.setdefault((place, entry.certificate_key), entry)

    def renews(self, entry: EntryInput) -> CertificateEntry | None:
        """The registered product a new row is a later decision of, if any (same province)."""
        values, place = entry.values(), entry.province_code
        found = self.by_name.get((place, values["producer_key"], values["product_key"]))
        if found is None and entry.tax_code:
            found = self.by_tax.get((place, entry.tax_code, values["product_key"]))
        if found is None and values["certificate_key"] != values["decision_key"]:
            found = self.by_certificate.get((place, values["certificate_key"]))
        return found


async def _known(entries: list[EntryInput]) -> _Known:
    provinces = sorted({entry.province_code for entry in entries})
    return _Known(await CertificateEntry.filter(province_code__in=provinces).order_by("id"))


def _classify(entry: EntryInput, known: _Known
              ) -> tuple[str, CertificateEntry | None, CertificateEntry | None]:
    """(outcome, the same row already stored, the registered product it renews)."""
    stored = known.by_identity.get(entry.identity)
    if stored is not None:
        same = all(getattr(stored, name) == value for name, value in entry.values().items())
        return ("unchanged" if same else "updated"), stored, None
    renews = known.renews(entry)
    return ("renewal" if renews else "created"), None, renews


async def _write(entry: EntryInput, outcome: str, stored: CertificateEntry | None,
                 renews: CertificateEntry | None, actor: Account | None) -> CertificateEntry:
    if stored is not None:
        if outcome == "updated":
            stored.update_from_dict(entry.values())
            await stored.save()
        return stored
    created = await CertificateEntry.create(**entry.values(), imported_by=actor,
                                            lineage=renews.lineage if renews else 0)
    if renews is None:
        created.lineage = created.id
        await created.save(update_fields=["lineage"])
    return created


async def import_register(
    actor: Account | None, *, filename: str, content: bytes, dry_run: bool = False,
    client_address: str = "", operator: bool = False,
) -> RegisterReport:
    """Import a register file in the spec's format.

    Side effects (not for a dry run, nor when any row is wrong): writes the entries, relinks and
    verifies the products they concern (with search-outbox rows), and one audit entry. An officer
    imports only rows of its own province; `operator` (the command line, no account) imports any.
    """
    scope = None if operator and actor is None else officer_scope(actor)
    report = RegisterReport(filename=filename, dry_run=dry_run)
    try:
        table = read_register(filename, content)
    except ImportFileError as exc:
        report.problems.append(RowProblem(row=0, field="file", column="", message=exc.message,
                                          value=filename))
        return report
    entries, problems = check_rows(table)
    report.rows = len(table.rows)
    report.problems = sorted(problems + _scope_problems(entries, scope, table.headers),
                             key=lambda p: p.row)
    if report.problems:
        return report
    try:
        async with in_transaction():
            await _import(entries, report, actor)
            if dry_run:  # the same writes, rolled back: the report is exactly what would happen
                raise _RolledBack()
            await audit.record(
                "certificates.import", actor=actor, target_type="register",
                target_id=filename[:40], client_address=client_address,
                detail={"rows": report.rows, "created": report.created,
                        "renewals": report.renewals, "updated": report.updated,
                        "unchanged": report.unchanged,
                        "decisions": sorted({e.decision_number for e in entries})[:50]})
    except _RolledBack:
        pass
    return report


class _RolledBack(Exception):
    """Raised inside a dry run's transaction so that nothing it wrote stays."""


async def _import(entries: list[EntryInput], report: RegisterReport,
                  actor: Account | None) -> None:
    written: list[CertificateEntry] = []
    known = await _known(entries)
    for entry in entries:
        outcome, stored, renews = _classify(entry, known)
        counter = "renewals" if outcome == "renewal" else outcome
        setattr(report, counter, getattr(report, counter) + 1)
        report.results.append(EntryResult(row=entry.row, decision_number=entry.decision_number,
                                          product_name=entry.product_name, stars=entry.stars,
                                          outcome=outcome))
        if outcome != "unchanged":
            written.append(await _write(entry, outcome, stored, renews, actor))
            known.add(written[-1])
    report.products_verified = len(await refresh_after_import(written))
