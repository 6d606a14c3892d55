"""The web layer: Starlette app, HTML views, JSON API, templates, static assets, CLI."""

from web.routing import register as _register_id_convertor

# Before any route is built: `{x:int}` path parameters only match database-sized ids.
_register_id_convertor()
