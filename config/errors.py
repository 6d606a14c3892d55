"""Errors in the platform's configuration: always one clear line for the operator."""

from __future__ import annotations


class ConfigError(Exception):
    """A setting is missing, malformed or points at something unusable."""
