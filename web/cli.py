"""`ocop`: the one command-line entry point. Sub-commands are thin, like views."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import sys
import time
from collections.abc import Callable, Coroutine
from datetime import date
from pathlib import Path
from typing import Any

from config.errors import ConfigError
from config.logging import configure_logging
from config.settings import Settings, load_settings
from matchmaking.errors import DomainError, InvalidInstance, ValidationFailed
from search.errors import SearchError

Handler = Callable[[argparse.Namespace, Settings], int]


def _run(coroutine: Coroutine[Any, Any, int]) -> int:
    return asyncio.run(coroutine)


async def _with_database(settings: Settings, work: Callable[[], Coroutine[Any, Any, int]]) -> int:
    from matchmaking.database import close_database, open_database

    await open_database(settings.database_url)
    try:
        return await work()
    finally:
        await close_database()


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from config.settings import session_secret
    from web.runtime import catch_up_index, check_port_free, export_search, search_server

    host, port = args.host or settings.host, args.port or settings.port
    workers = args.workers or settings.web_workers
    session_secret(settings)  # a missing SECRET_KEY in production is one line here, not a crash later
    check_port_free(host, port)
    _run(_with_database(settings, _ok))
    with search_server(settings) as live:
        export_search(live)
        client = _client(live)
        _run(_with_database(live, lambda: _catch_up(client, catch_up_index)))
        os.environ["OCOP_RUN_SCHEDULER"] = "1" if workers == 1 else "0"
        print(f"OCOP Connect: http://{host}:{port}", file=sys.stderr)
        if workers > 1:
            print("several web workers: run jobs with `ocop worker`", file=sys.stderr)
        uvicorn.run(
            "web.app:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=settings.log_level.lower(),
            server_header=False,
        )
    return 0


async def _ok() -> int:
    return 0


async def _catch_up(client: Any, catch_up: Callable[[Any], Coroutine[Any, Any, None]]) -> int:
    await catch_up(client)
    return 0


def _client(settings: Settings) -> Any:
    from web.app import search_client_for

    return search_client_for(settings)


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from jobs.worker import run_worker
    from web.runtime import search_server

    with search_server(settings) as live:
        return _run(_with_database(live, lambda: run_worker(live, _client(live))))


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from matchmaking.database import migrate_database

    applied = asyncio.run(migrate_database(settings.database_url))
    for name in applied:
        print(f"applied {name}")
    print(f"applied {len(applied)} migrations" if applied else "database is up to date: nothing to apply")
    return 0


def cmd_seed(args: argparse.Namespace, settings: Settings) -> int:
    return _run(_with_database(settings, lambda: _seed(args)))


async def _seed(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from matchmaking.demo.seed import seed_demo
    from matchmaking.models import Product
    from matchmaking.passwords import hash_password

    if args.if_empty and await Product.exists():
        print("the database already has products: demo data not added")
        return 0
    started = time.perf_counter()
    with tqdm(total=args.products, unit="products", disable=args.quiet) as bar:
        report = await seed_demo(
            seed=args.seed,
            producers=args.producers or max(20, args.products // 5),
            products=args.products,
            buyers=args.buyers,
            demands=args.demands,
            today=date.today(),
            progress=bar.update,
            password_hash=hash_password(DEMO_PASSWORD),
        )
    elapsed = time.perf_counter() - started
    print(f"seeded {args.products} products in {elapsed:.1f} s")
    print("demo logins:")
    for role, email, password in report.logins:
        print(f"  {role:10} {email:24} {password}")
    return 0


DEMO_PASSWORD = "ocop-demo-2026"


def cmd_users_create(args: argparse.Namespace, settings: Settings) -> int:
    password = args.password or os.environ.get("OCOP_USER_PASSWORD") or _ask_password()
    return _run(_with_database(settings, lambda: _create_user(args, password)))


def _ask_password() -> str:
    if not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\n")
        if not line:
            raise ConfigError("no password given: use --password or OCOP_USER_PASSWORD")
        return line
    return getpass.getpass("Password: ")


async def _create_user(args: argparse.Namespace, password: str) -> int:
    from matchmaking.accounts import create_account

    account = await create_account(
        email=args.email,
        password=password,
        role=args.role,
        display_name=args.name or args.email.split("@")[0],
        language=args.language,
    )
    print(f"created {account.role} account {account.email} (id {account.id})")
    return 0


def cmd_reindex(args: argparse.Namespace, settings: Settings) -> int:
    from web.runtime import search_server

    with search_server(settings) as live:
        return _run(_with_database(live, lambda: _reindex(_client(live))))


async def _reindex(client: Any) -> int:
    from tqdm import tqdm

    from matchmaking.models import Product
    from search.indexer import reindex

    total = await Product.filter(status="published").count()
    with tqdm(total=total, unit="docs") as bar:
        report = await reindex(client, today=date.today(), progress=bar.update)
    rate = report.documents / report.seconds if report.seconds else 0.0
    print(f"indexed {report.documents} products in {report.seconds:.1f} s ({rate:,.0f}/s)")
    return 0


def cmd_jobs_run(args: argparse.Namespace, settings: Settings) -> int:
    from jobs.registry import JOBS, JobContext
    from web.runtime import search_server

    if args.name not in JOBS:
        raise ConfigError(f"unknown job {args.name!r}; known jobs: {', '.join(sorted(JOBS))}")
    with search_server(settings) as live:

        async def work() -> int:
            print(await JOBS[args.name].function(JobContext(settings=live, search=_client(live))))
            return 0

        return _run(_with_database(live, work))


def cmd_jobs_list(args: argparse.Namespace, settings: Settings) -> int:
    from jobs.registry import JOBS

    for name, spec in sorted(JOBS.items()):
        print(f"{name:20} every {spec.seconds:>6} s  {spec.description}")
    return 0


def cmd_fetch_meili(args: argparse.Namespace, settings: Settings) -> int:
    from search.binary import ensure_binary

    print(ensure_binary(settings.meili_cache_dir, settings.meili_bin))
    return 0


def _read_instance(path: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidInstance("$", "the instance must be a JSON object")
    return data


def cmd_allocate_booths(args: argparse.Namespace, settings: Settings) -> int:
    from matchmaking.optim.booths import allocate_booths

    result = allocate_booths(_read_instance(args.instance), time_limit=args.time_limit)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def cmd_schedule_meetings(args: argparse.Namespace, settings: Settings) -> int:
    from matchmaking.optim.meetings import schedule_meetings

    result = schedule_meetings(_read_instance(args.instance), time_limit=args.time_limit)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ocop", description="OCOP Connect")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="web app, scheduler and Meilisearch")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, help="web worker processes (default WEB_WORKERS)")
    serve.set_defaults(handler=cmd_serve)

    sub.add_parser("worker", help="run the scheduled jobs (one leader at a time)").set_defaults(
        handler=cmd_worker
    )
    sub.add_parser("migrate", help="apply database migrations").set_defaults(handler=cmd_migrate)

    seed = sub.add_parser("seed", help="add deterministic demo data")
    seed.add_argument("--seed", type=int, default=42)
    seed.add_argument("--products", type=int, default=2000)
    seed.add_argument("--producers", type=int, default=0, help="default: products / 5")
    seed.add_argument("--buyers", type=int, default=60)
    seed.add_argument("--demands", type=int, default=150)
    seed.add_argument("--if-empty", action="store_true", help="only when there are no products")
    seed.add_argument("--quiet", action="store_true", help="no progress bar")
    seed.set_defaults(handler=cmd_seed)

    users = sub.add_parser("users", help="manage accounts").add_subparsers(
        dest="users_command", required=True
    )
    create = users.add_parser("create", help="create an account (organisers and admins too)")
    create.add_argument("--email", required=True)
    create.add_argument("--role", required=True, choices=["producer", "buyer", "organiser", "admin"])
    create.add_argument("--name")
    create.add_argument("--language", default="vi", choices=["vi", "en"])
    create.add_argument("--password", help="default: OCOP_USER_PASSWORD, else asked")
    create.set_defaults(handler=cmd_users_create)

    sub.add_parser("reindex", help="rebuild the search index, then swap it in").set_defaults(
        handler=cmd_reindex
    )

    jobs = sub.add_parser("jobs", help="scheduled jobs").add_subparsers(
        dest="jobs_command", required=True
    )
    run = jobs.add_parser("run", help="run one job now")
    run.add_argument("name")
    run.set_defaults(handler=cmd_jobs_run)
    jobs.add_parser("list", help="list the jobs").set_defaults(handler=cmd_jobs_list)

    sub.add_parser("fetch-meili", help="install and verify the Meilisearch binary").set_defaults(
        handler=cmd_fetch_meili
    )

    for name, handler, help_text in (
        ("allocate-booths", cmd_allocate_booths, "allocate booths for an instance file"),
        ("schedule-meetings", cmd_schedule_meetings, "schedule meetings for an instance file"),
    ):
        command = sub.add_parser(name, help=help_text)
        command.add_argument("instance", help="INSTANCE.json (see shared specs)")
        command.add_argument("--time-limit", type=float, default=60.0)
        command.set_defaults(handler=handler)
    from web.cli_import import register as register_import
    register_import(sub)
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
