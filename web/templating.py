"""The Jinja environment: autoescape on, gettext installed, a few filters, O(1) url_for.

Outside development templates are compiled once and never checked on disk again
(`auto_reload` off); the environment keeps every compiled template in memory.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.templating import Jinja2Templates

from config import i18n
from matchmaking.catalogue.images import photo_sources, small_copy
from matchmaking.clock import local_time
from web.auth import current_account
from web.csrf import csrf_token
from web.fragments import Fragments
from web.labels import TEMPLATE_GLOBALS
from web.static_files import static_url
from web.urls import UrlTable

TEMPLATE_DIR = Path(__file__).parent / "templates"
# More than the number of templates, so none is ever evicted and compiled again.
TEMPLATE_CACHE_SIZE = 1000
# Templates translate only literal messages: a few hundred, in each language.
MESSAGE_CACHE_SIZE = 4096


@lru_cache(maxsize=MESSAGE_CACHE_SIZE)
def _translated(language: str, message: str) -> Markup:
    return Markup(i18n.translations(language).gettext(message))


@lru_cache(maxsize=MESSAGE_CACHE_SIZE)
def _without_variables(language: str, message: str) -> Markup:
    return _translated(language, message) % {}


def template_gettext(message: str, /, **variables: Any) -> Markup:
    """`_()` in templates: what jinja2.ext.i18n's new-style gettext returns (the translation as
    Markup, %-formatted with `variables`, which are escaped), each translation looked up once.

    Jinja's own goes through three context calls per message, and a results page says about 70.
    """
    language = i18n.current_language()
    if variables:
        return _translated(language, message) % variables
    return _without_variables(language, message)


@pass_context
def url_for(context: Context, name: str, /, **params: Any) -> str:
    """The absolute URL of route `name`, from the app's URL table."""
    request = context["request"]
    urls: UrlTable = request.app.state.urls
    return urls.url_for(request, name, **params)


def make_templates(*, auto_reload: bool = False) -> Jinja2Templates:
    """The templates; `auto_reload` (development) re-reads a template when its file changes."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        auto_reload=auto_reload,
        cache_size=TEMPLATE_CACHE_SIZE,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True
    )
    env.globals["_"] = env.globals["gettext"] = template_gettext
    env.filters["vnd"] = i18n.format_vnd
    env.filters["number"] = i18n.format_number
    env.filters["local"] = local_time
    env.globals["local_time"] = local_time
    env.globals["current_language"] = i18n.current_language
    env.globals["csrf_token"] = csrf_token
    env.globals["current_account"] = current_account
    env.globals["url_for"] = url_for
    env.globals["small_copy"] = small_copy
    env.globals["photo_sources"] = photo_sources
    env.globals["static_url"] = static_url
    env.globals["once"] = Fragments().once
    env.globals.update(TEMPLATE_GLOBALS)
    return Jinja2Templates(env=env)
