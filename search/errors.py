"""Errors of the search layer; Meilisearch's own errors are wrapped into these."""

from __future__ import annotations


class SearchError(Exception):
    """Base of every search-layer error."""


class SearchUnavailable(SearchError):
    """Meilisearch cannot be reached or did not answer in time."""


class SearchAuthError(SearchError):
    """Meilisearch refused the configured key."""


class BinaryError(SearchError):
    """The Meilisearch binary is missing, cannot be installed, or fails its checksum."""


class ServerStartError(SearchError):
    """The embedded Meilisearch process did not start."""
