"""The JSON API under /api/: bearer tokens, JSON in and out, described by /api/openapi.json."""
