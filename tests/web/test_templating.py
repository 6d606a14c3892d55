"""Production template settings: each template compiled once, never re-checked on disk."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import httpx
from jinja2 import Environment, FileSystemLoader
from starlette.applications import Starlette

from config.settings import Settings
from search.client import SearchClient
from search.indexer import reindex
from tests.factories import make_producer, make_product
from web.app import create_app
from web.templating import TEMPLATE_DIR


class CountingLoader(FileSystemLoader):
    """The real loader, counting how often a template's source is read or checked for changes."""

    def __init__(self) -> None:
        super().__init__(TEMPLATE_DIR)
        self.loaded: Counter[str] = Counter()
        self.checked: Counter[str] = Counter()

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        self.loaded[template] += 1

        def checked() -> bool:
            self.checked[template] += 1
            return uptodate()

        return source, filename, checked


def _counting(app: Starlette) -> CountingLoader:
    loader = CountingLoader()
    app.state.templates.env.loader = loader
    return loader


async def _get_twice(app: Starlette, *paths: str) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        for _ in range(2):
            for path in paths:
                assert (await http.get(path)).status_code == 200, path


async def _catalogue(search: SearchClient) -> None:
    producer = await make_producer()
    for n in range(5):
        await make_product(producer, name=f"Trà shan tuyết {n}")
    await reindex(search, today=date.today())


async def test_production_compiles_each_template_once_and_never_checks_the_disk(
    db: str, settings: Settings, search: SearchClient
) -> None:
    await _catalogue(search)
    app = create_app(replace(settings, env="production"), search=search, manage_database=False)
    loader = _counting(app)

    await _get_twice(app, "/search?q=tra", "/", "/search?q=tra&page=1")

    assert loader.loaded["search/results.html"] == 1
    assert loader.loaded["search/_hit.html"] == 1  # imported once per page, not once per hit
    assert set(loader.loaded.values()) == {1}
    assert sum(loader.checked.values()) == 0


async def test_development_reloads_templates_that_change_on_disk(
    db: str, settings: Settings, search: SearchClient
) -> None:
    app = create_app(replace(settings, env="development"), search=search, manage_database=False)
    loader = _counting(app)

    await _get_twice(app, "/")

    assert loader.loaded["pages/home.html"] == 1
    assert loader.checked["pages/home.html"] >= 1



def test_template_translations_equal_jinja_gettext_in_each_language() -> None:
    from config import i18n
    from web.templating import make_templates

    source = ('{{ _("Search OCOP products") }}|{{ _("Each 10%% gives a first-time exhibitor the '
              'priority of one more star.") }}|{{ _("%(n)s products found", n=name) }}|'
              '{{ _("Certificate no. %(number)s", number=name) }}')
    jinja = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    jinja.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True)
    ours = make_templates().env
    for language in i18n.LANGUAGES:
        with i18n.speaking(language):
            expected = jinja.from_string(source).render(name="<b>Trà</b>")
            assert ours.from_string(source).render(name="<b>Trà</b>") == expected
    assert "&lt;b&gt;Trà&lt;/b&gt;" in expected and "10%" in expected
