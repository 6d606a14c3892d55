"""`ocop migrate`, `seed`, `users`, `reindex`, `thumbnails` and `jobs`: the data and its jobs."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
import time
from typing import Any

from cli.common import run, with_database
from config.errors import ConfigError
from config.settings import Settings
from matchmaking.clock import today_in_vietnam


def register(sub: Any) -> None:
    """Add the data sub-commands to `ocop`'s sub-parsers."""
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
    create = users.add_parser("create", help="create an account (organisers, officers and admins too)")
    create.add_argument("--email", required=True)
    create.add_argument("--role", required=True,
                        choices=["producer", "buyer", "organiser", "officer", "admin"])
    create.add_argument("--province", help="an officer's province (name or code); none: national")
    create.add_argument("--name")
    create.add_argument("--language", default="vi", choices=["vi", "en"])
    create.add_argument("--password", help="default: OCOP_USER_PASSWORD, else asked")
    create.set_defaults(handler=cmd_users_create)

    sub.add_parser("reindex", help="rebuild the search index, then swap it in").set_defaults(
        handler=cmd_reindex
    )

    sub.add_parser("thumbnails", help="make the small copies photos uploaded before them lack")\
        .set_defaults(handler=cmd_thumbnails)

    jobs = sub.add_parser("jobs", help="scheduled jobs").add_subparsers(
        dest="jobs_command", required=True
    )
    run = jobs.add_parser("run", help="run one job now")
    run.add_argument("name")
    run.set_defaults(handler=cmd_jobs_run)
    jobs.add_parser("list", help="list the jobs").set_defaults(handler=cmd_jobs_list)


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from matchmaking.database import migrate_database

    applied = asyncio.run(migrate_database(settings.database_url))
    for name in applied:
        print(f"applied {name}")
    print(f"applied {len(applied)} migrations" if applied else "database is up to date: nothing to apply")
    return 0


def cmd_seed(args: argparse.Namespace, settings: Settings) -> int:
    return run(with_database(settings, lambda: _seed(args)))


async def _seed(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from matchmaking.accounts.passwords import hash_password
    from matchmaking.demo.seed import seed_demo
    from matchmaking.models import Product

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
            today=today_in_vietnam(),
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
    return run(with_database(settings, lambda: _create_user(args, password)))


def _ask_password() -> str:
    if not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\n")
        if not line:
            raise ConfigError("no password given: use --password or OCOP_USER_PASSWORD")
        return line
    return getpass.getpass("Password: ")


async def _create_user(args: argparse.Namespace, password: str) -> int:
    from matchmaking.accounts.accounts import create_account

    account = await create_account(
        email=args.email,
        password=password,
        role=args.role,
        display_name=args.name or args.email.split("@")[0],
        language=args.language,
        province=args.province,
    )
    print(f"created {account.role} account {account.email} (id {account.id})")
    return 0


def cmd_reindex(args: argparse.Namespace, settings: Settings) -> int:
    from search.runtime import search_client_for, search_server

    with search_server(settings) as live:
        return run(with_database(live, lambda: _reindex(search_client_for(live))))


async def _reindex(client: Any) -> int:
    from tqdm import tqdm

    from matchmaking.models import Product
    from search.indexer import reindex

    total = await Product.filter(status="published").count()
    with tqdm(total=total, unit="docs") as bar:
        report = await reindex(client, today=today_in_vietnam(), progress=bar.update)
    rate = report.documents / report.seconds if report.seconds else 0.0
    print(f"indexed {report.documents} products in {report.seconds:.1f} s ({rate:,.0f}/s)")
    return 0


def cmd_thumbnails(args: argparse.Namespace, settings: Settings) -> int:
    from matchmaking.catalogue.thumbnails import make_missing_thumbnails

    async def work() -> int:
        print((await make_missing_thumbnails(media_dir=settings.media_dir)).summary())
        return 0

    return run(with_database(settings, work))


def cmd_jobs_run(args: argparse.Namespace, settings: Settings) -> int:
    from config.settings import require_public_url
    from jobs.registry import JOBS, JobContext, run_job
    from search.runtime import search_client_for, search_server

    if args.name not in JOBS:
        raise ConfigError(f"unknown job {args.name!r}; known jobs: {', '.join(sorted(JOBS))}")
    require_public_url(settings)  # the jobs write links into emails
    with search_server(settings) as live:

        async def work() -> int:
            print(await run_job(args.name, JobContext(settings=live, search=search_client_for(live))))
            return 0

        return run(with_database(live, work))


def cmd_jobs_list(args: argparse.Namespace, settings: Settings) -> int:
    from jobs.registry import JOBS

    for name, spec in sorted(JOBS.items()):
        print(f"{name:20} every {spec.seconds:>6} s  {spec.description}")
    return 0
