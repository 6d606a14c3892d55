"""The Jinja environment: autoescape on, gettext installed, a few filters."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.templating import Jinja2Templates

from config import i18n
from matchmaking.clock import local_time
from web.auth import current_account
from web.csrf import csrf_token
from web.labels import TEMPLATE_GLOBALS

TEMPLATE_DIR = Path(__file__).parent / "templates"


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True
    )
    env.filters["vnd"] = i18n.format_vnd
    env.filters["number"] = i18n.format_number
    env.filters["local"] = local_time
    env.globals["local_time"] = local_time
    env.globals["current_language"] = i18n.current_language
    env.globals["csrf_token"] = csrf_token
    env.globals["current_account"] = current_account
    env.globals.update(TEMPLATE_GLOBALS)
    return Jinja2Templates(env=env)
