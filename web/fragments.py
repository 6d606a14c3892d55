"""Template fragments rendered once for the values they show, then served from memory.

A results page draws 20 product cards of about 15 template calls each, and most of its CPU
went there. A card depends only on its hit (name, price, certificate state on the day of the
search), its photo, the language and the site's address, so those values are the key: a changed
product is a different hit, hence a new card, and nothing needs invalidating. What differs from
one search to the next (the highlighted name and snippet) is drawn as a slot and put in each
time, so a product found by different searches is drawn once.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Hashable

from jinja2 import pass_context
from jinja2.runtime import Context, Macro
from markupsafe import Markup, escape

from config.i18n import current_language
from web.urls import site_base

# A card for most products of a 20,000-product catalogue (about 2.7 KB each with its key,
# 44 MB): the load benchmark's 12,240 different searches show 20,000 distinct cards in their
# first 6,000 pages, of which 8,192 kept served 31% of the cards and 16,384 kept 69%.
FRAGMENT_CACHE_SIZE = 16_384
# Random, so no product's text can hold a slot's mark.
_MARK = secrets.token_hex(8)


def slot(name: str) -> Markup:
    """What a macro draws in place of the part `name`, which `once` puts in afterwards."""
    return Markup(f"[{_MARK}:{name}]")


class Fragments:
    """Rendered macros by (macro name, arguments, language, site address), least recent out."""

    def __init__(self, max_entries: int = FRAGMENT_CACHE_SIZE) -> None:
        self.max_entries = max_entries
        self.rendered = 0  # how many times a macro actually ran (for tests)
        self._html: OrderedDict[Hashable, Markup] = OrderedDict()

    @pass_context
    def once(self, context: Context, macro: Macro, *args: Hashable, **parts: Markup) -> Markup:
        """`macro(*args)`, rendered once per arguments, language and site address, with each
        of `parts` put where the arguments hold its `slot`.

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
        for name, part in parts.items():
            html = Markup(str.replace(html, slot(name), escape(part)))
        return html
