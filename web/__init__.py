"""The web layer: Starlette app, HTML views, JSON API, templates, static assets, CLI."""
