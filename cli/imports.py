"""`ocop import FILE --producer-email EMAIL [--dry-run]`: a producer's products from a spreadsheet."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from config import i18n
from config.errors import ConfigError
from config.i18n import gettext as _
from config.settings import Settings

if TYPE_CHECKING:  # the domain loads only when the command runs: `ocop --help` stays quick
    from matchmaking.catalogue.imports import ImportReport


def register(sub: Any) -> None:
    """Add the `import` sub-command to `ocop`'s sub-parsers."""
    command = sub.add_parser("import", help="import a producer's products from a CSV or XLSX file")
    command.add_argument("file", help="FILE.csv or FILE.xlsx (see /products/import/template.xlsx)")
    command.add_argument("--producer-email", required=True, help="the producer account's email")
    command.add_argument("--dry-run", action="store_true", help="check the file, save nothing")
    command.add_argument("--language", choices=i18n.LANGUAGES,
                         help="language of the messages (default: the account's)")
    command.set_defaults(handler=cmd_import)


def read_file(path: Path) -> bytes:
    """A file's bytes, at most one byte over the import limit (ConfigError if unreadable)."""
    from matchmaking.sheets import MAX_BYTES

    try:
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)  # one byte over is enough to refuse it as too large
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from cli.common import run, with_database

    path = Path(args.file)
    content = read_file(path)
    return run(with_database(settings, lambda: _import(args, path.name, content)))


async def _import(args: argparse.Namespace, filename: str, content: bytes) -> int:
    from matchmaking.accounts.accounts import normalise_email
    from matchmaking.catalogue.imports import import_products
    from matchmaking.errors import NotFound
    from matchmaking.models import Account

    email = normalise_email(args.producer_email)
    account = await Account.get_or_none(email=email)
    if account is None:
        raise ConfigError(f"no account with the email {email}")
    i18n.set_language(args.language or str(account.language))
    try:
        report = await import_products(account, filename, content, dry_run=args.dry_run)
    except NotFound:
        raise ConfigError(
            f"{email} has no producer profile yet: create it at /producer/profile first"
        ) from None
    return _print(report)


def _print(report: ImportReport) -> int:
    if report.rejected:
        print(_("The file was not imported: nothing was saved."))
        print("\t".join((_("Row"), _("Column"), _("Value given"), _("Problem"))))
        for problem in report.problems:
            print(f"{problem.row}\t{problem.column}\t{problem.value}\t{problem.message}")
        print(f"ocop: error: {len(report.problems)} problems in {report.filename}", file=sys.stderr)
        return 2
    if report.dry_run:
        print(_("Check passed: the file can be imported. Nothing has been saved yet."))
    else:
        print(_("The file was imported."))
    print(f"{_('Rows read')}: {report.rows}")
    print(f"{_('New products')}: {report.created}")
    print(f"{_('Updated products')}: {report.updated}")
    if report.ignored_columns:
        print(_("These columns were not recognised and were ignored: %(columns)s")
              % {"columns": ", ".join(report.ignored_columns)})
    return 0
