"""`ocop`: the one command-line entry point. Sub-commands are thin, like views."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from cli import certificates, data, imports, serve, tools
from cli.common import Handler
from config.errors import ConfigError
from config.logging import configure_logging
from config.settings import load_settings
from matchmaking.errors import DomainError, ValidationFailed
from search.errors import SearchError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ocop", description="OCOP Connect")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (serve, data, tools, imports, certificates):
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        configure_logging(settings.log_level)
        handler: Handler = args.handler
        return handler(args, settings)
    except ValidationFailed as exc:
        for field, message in exc.errors.items():
            print(f"ocop: error: {field}: {message}", file=sys.stderr)
        return 2
    except (ConfigError, SearchError, DomainError) as exc:
        print(f"ocop: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: one line for the operator, the traceback in a file
        return _report_unexpected(exc)


def _report_unexpected(exc: Exception) -> int:
    import tempfile
    import traceback

    target = Path(os.environ.get("OCOP_VAR_DIR", "var"))
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError:
        target = Path(tempfile.gettempdir())
    log = target / "ocop-error.log"
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        handle.write("".join(traceback.format_exception(exc)))
    print(f"ocop: unexpected error: {type(exc).__name__}: {exc} (details in {log})", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
