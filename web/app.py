"""The Starlette application factory and its lifespan."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import AsyncIterator
from typing import Any

from itsdangerous import Signer
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import BaseRoute, Mount, Route

from config.settings import Settings, load_settings, session_secret
from matchmaking.catalogue.counts import CachedCounts
from matchmaking.database import close_database, open_database
from matchmaking.errors import DomainError
from search.client import SearchClient
from search.facets import CatalogueFacets
from search.runtime import search_client_for, search_reader_for
from search.version import IndexVersion
from web import errors
from web.api import auth as api_auth
from web.api import catalogue as api_catalogue
from web.api import certificates as api_certificates
from web.api import demands as api_demands
from web.api import fairs as api_fairs
from web.api import matching as api_matching
from web.api import meetings as api_meetings
from web.api import openapi
from web.api import products as api_products
from web.auth import AuthMiddleware
from web.csrf import CsrfMiddleware
from web.limits import BodyLimitMiddleware, BodyTooLarge
from web.middleware import (
    LanguageMiddleware,
    SecurityHeadersMiddleware,
    UnavailableMiddleware,
)
from web.page_cache import PageCache
from web.static_files import STATIC_DIR, FingerprintedStaticFiles
from web.templating import make_templates
from web.urls import UrlTable
from web.views import accounts, admin, fair_admin, fair_moves, home, imports, producer
from web.views import buyer as buyer_views
from web.views import certificates as certificate_views
from web.views import demands as demand_views
from web.views import fairs as fair_views
from web.views import inbox as inbox_views
from web.views import meetings as meeting_views
from web.views import registration as registration_views
from web.views import results as results_views
from web.views import search as search_views

log = logging.getLogger(__name__)

# The home page's counters may be this many seconds old.
HOME_COUNTS_SECONDS = 5.0
# The popular groups shown when a search finds nothing may be this many seconds old.
CATALOGUE_FACETS_SECONDS = 30.0
# Another process's change to the search index shows on cached pages within this many seconds;
# an anonymous search page is drawn again after PAGE_CACHE_SECONDS in any case.
INDEX_VERSION_SECONDS = 1.0
PAGE_CACHE_SECONDS = 30.0


def routes(settings: Settings) -> list[BaseRoute]:
    return [
        Route("/", home.home, name="home"),
        Route("/healthz", home.healthz, name="healthz"),
        Route("/lang/{language}", home.set_language, name="set_language"),
        *accounts.routes,
        *admin.routes,
        *producer.routes,
        *buyer_views.routes,
        *demand_views.routes,
        *inbox_views.routes,
        *search_views.routes,
        *imports.routes,
        *api_auth.routes,
        *meeting_views.routes,
        *registration_views.routes,
        *results_views.routes,
        *api_meetings.routes,
        *api_catalogue.routes,
        *api_matching.routes,
        *api_demands.routes,
        *api_products.routes,
        *api_certificates.routes,
        *certificate_views.routes,
        *fair_views.routes,
        *fair_admin.routes,
        *fair_moves.routes,
        *api_fairs.routes,
        *openapi.routes,
        Mount("/static", FingerprintedStaticFiles(directory=STATIC_DIR), name="static"),
        Mount("/media", FingerprintedStaticFiles(directory=settings.media_dir, check_dir=False,
                                                 immutable=True), name="media"),
    ]


def create_app(
    settings: Settings | None = None,
    *,
    search: SearchClient | None = None,
    manage_database: bool = True,
    run_scheduler: bool = False,
) -> Starlette:
    """Build the app. Tests pass `manage_database=False` when they own the connection."""
    settings = settings or load_settings()
    jobs_search = search or search_client_for(settings)
    search = search_reader_for(settings, jobs_search)
    secret = session_secret(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        if manage_database:
            await open_database(settings.database_url)
        scheduler, leadership = None, None
        if run_scheduler:
            from jobs.leader import leadership_for
            from jobs.scheduler import start_scheduler

            leadership = leadership_for(settings.database_url, settings.var_dir)
            if await leadership.try_acquire():
                scheduler = start_scheduler(settings, jobs_search, isolate_heavy=True)
            else:
                log.info("jobs run in another process (`ocop worker`)")
                leadership = None
        try:
            yield {}
        finally:
            if scheduler is not None:
                from config.stopping import remaining
                from jobs.scheduler import stop_scheduler

                # Jobs had the grace period since the stop request, like requests did.
                await stop_scheduler(scheduler, grace=remaining(settings.shutdown_grace_seconds))
            if leadership is not None:
                await leadership.release()
            if search is not None:
                await search.aclose()
            if manage_database:
                await close_database()

    app = Starlette(
        routes=routes(settings),
        middleware=[
            # Pages, CSS and JS shrink to a quarter on a phone's slow line; photos are already WebP.
            Middleware(GZipMiddleware, minimum_size=500),
            Middleware(SecurityHeadersMiddleware, hsts=settings.production),
            Middleware(UnavailableMiddleware),
            Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes),
            Middleware(LanguageMiddleware),
            Middleware(CsrfMiddleware, secure=settings.cookies_secure),
            Middleware(AuthMiddleware, settings=settings, secret=secret),
        ],
        exception_handlers={
            HTTPException: errors.http_exception,
            DomainError: errors.domain_error,
            BodyTooLarge: errors.body_too_large,
            500: errors.server_error,
        },
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.search = search
    app.state.templates = make_templates(auto_reload=settings.env == "development")
    app.state.urls = UrlTable(app.routes)
    app.state.home_counts = CachedCounts(max_age=HOME_COUNTS_SECONDS)
    app.state.catalogue_facets = CatalogueFacets(max_age=CATALOGUE_FACETS_SECONDS)
    app.state.index_version = IndexVersion(max_age=INDEX_VERSION_SECONDS)
    app.state.search_pages = PageCache(max_age=PAGE_CACHE_SECONDS)
    app.state.session_signer = Signer(secret, salt="ocop-session")
    return app


def app_from_environment() -> Starlette:
    """Factory for uvicorn workers: settings (and Meilisearch's address) from the environment."""
    return create_app(run_scheduler=os.environ.get("OCOP_RUN_SCHEDULER") == "1")
