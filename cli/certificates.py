"""`ocop certificates import FILE [--dry-run]`: recognition decisions into the register."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from config import i18n
from config.errors import ConfigError
from config.i18n import gettext as _
from config.settings import Settings

if TYPE_CHECKING:
    from matchmaking.certificates.register import RegisterReport


def register(sub: Any) -> None:
    """Add the `certificates` sub-command to `ocop`'s sub-parsers."""
    commands = sub.add_parser("certificates", help="the OCOP certificate register").add_subparsers(
        dest="certificates_command", required=True)
    command = commands.add_parser("import", help="import recognition decisions (CSV or XLSX)")
    command.add_argument("file", help="FILE.csv or FILE.xlsx in shared/specs' register format")
    command.add_argument("--dry-run", action="store_true", help="check the file, save nothing")
    command.add_argument("--officer-email", help="import as this officer (default: any province)")
    command.add_argument("--language", choices=i18n.LANGUAGES, default="vi")
    command.set_defaults(handler=cmd_import)


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from cli.common import run, with_database
    from cli.imports import read_file

    path = Path(args.file)
    content = read_file(path)
    return run(with_database(settings, lambda: _import(args, path.name, content)))


async def _import(args: argparse.Namespace, filename: str, content: bytes) -> int:
    from matchmaking.accounts.accounts import normalise_email
    from matchmaking.certificates.register import import_register
    from matchmaking.models import Account

    i18n.set_language(args.language)
    account = None
    if args.officer_email:
        account = await Account.get_or_none(email=normalise_email(args.officer_email))
        if account is None:
            raise ConfigError(f"no account with the email {args.officer_email}")
    report = await import_register(account, filename=filename, content=content,
                                   dry_run=args.dry_run, operator=account is None)
    return _print(report)


def _print(report: RegisterReport) -> int:
    if report.rejected:
        print(_("The file was not imported: nothing was saved."))
        print("\t".join((_("Row"), _("Column"), _("Value given"), _("Problem"))))
        for problem in report.problems:
            print(f"{problem.row}\t{problem.column}\t{problem.value}\t{problem.message}")
        print(f"ocop: error: {len(report.problems)} problems in {report.filename}", file=sys.stderr)
        return 2
    print(_("Check passed: the file can be imported. Nothing has been saved yet.")
          if report.dry_run else _("The file was imported."))
    print(f"{_('Rows read')}: {report.rows}")
    print(f"{_('New registered products')}: {report.created}")
    print(f"{_('Renewals and re-ratings')}: {report.renewals}")
    print(f"{_('Corrected rows')}: {report.updated}")
    print(f"{_('Rows already in the register')}: {report.unchanged}")
    print(f"{_('Listed products now verified')}: {report.products_verified}")
    return 0
