"""The HTTP API and its OpenAPI document (docs/api.md). ``sengen.api.api.api`` is mounted at /api/."""
