"""Logging set-up shared by every command."""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

# Paths that carry a secret: the token of a reset link or of a sign-up link.
SECRET_PATH = re.compile(r"(/password/reset/|/register/confirm/)[^\s?\"]+")


class HideSecretPaths(logging.Filter):
    """Blanks reset and sign-up tokens in access-log lines (uvicorn passes the path as an argument)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                SECRET_PATH.sub(r"\1…", arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        elif isinstance(record.msg, str):
            record.msg = SECRET_PATH.sub(r"\1…", record.msg)
        return True


class OneLinePerCancel(logging.Filter):
    """Drops uvicorn's "Cancel N running task(s)" error: each cancelled request logs its own
    line (web.middleware.UnavailableMiddleware), and a cut at shutdown is no error."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Cancel %s running task(s)")


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Meilisearch's client logs request URLs at DEBUG; keep secrets and noise out.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("tortoise").setLevel(logging.WARNING)
    hide_secret_paths()


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's own logging set-up (every worker): reset tokens blanked in its access log, one
    line per request cancelled at shutdown."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["hide_secret_paths"] = {"()": HideSecretPaths}
    config["filters"]["one_line_per_cancel"] = {"()": OneLinePerCancel}
    config["handlers"]["access"].setdefault("filters", []).append("hide_secret_paths")
    config["handlers"]["default"].setdefault("filters", []).append("one_line_per_cancel")
    return config


def hide_secret_paths() -> None:
    """Keep reset tokens out of uvicorn's access log (call again after uvicorn configures it)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, HideSecretPaths) for f in access.filters):
        access.addFilter(HideSecretPaths())
