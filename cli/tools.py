"""`ocop fetch-meili` and the optimisers on their JSON files (result on stdout, nothing else)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from config.errors import ConfigError
from config.settings import Settings
from matchmaking.errors import InvalidInstance


def register(sub: Any) -> None:
    """Add the tool sub-commands to `ocop`'s sub-parsers."""
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
