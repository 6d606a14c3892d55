"""Template fragments rendered once for the values they show, then served from memory.

A results page draws 20 product cards of about 15 template calls each, and most of its CPU
went there. A card depends only on its hit (name, highlights, price, certificate state on the
day of the search), its photo, the language and the site's address, so those values are the
key: a changed product is a different hit, hence a new card, and nothing needs invalidating.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from jinja2 import pass_context
from jinja2.runtime import Context, Macro
from markupsafe import Markup

from config.i18n import current_language
from web.urls import site_base

# Cards of a few hundred distinct result pages in both languages (about 1.5 KB each).
FRAGMENT_CACHE_SIZE = 8192


class Fragments:
    """Rendered macros by (macro name, arguments, language, site address), least recent out."""

    def __init__(self, max_entries: int = FRAGMENT_CACHE_SIZE) -> None:
        self.max_entries = max_entries
        self.rendered = 0  # how many times a macro actually ran (for tests)
        self._html: OrderedDict[Hashable, Markup] = OrderedDict()

    @pass_context
    def once(self, context: Context, macro: Macro, *args: Hashable) -> Markup:
        """`macro(*args)`, rendered once per arguments, language and site address.

        Only for a macro whose output depends on nothing else: not the account, the CSRF
        token or the clock. Its arguments must compare by value (frozen dataclasses, tuples).
        """
        key = (macro.name, args, current_language(), site_base(context["request"]))
        html = self._html.get(key)
        if html is None:
            self.rendered += 1
            html = self._html[key] = Markup(macro(*args))
            if len(self._html) > self.max_entries:
                self._html.popitem(last=False)
        else:
            self._html.move_to_end(key)
        return html
