"""Property-based tests of the read API against its own OpenAPI document (Schemathesis, in process
through the WSGI application): whatever the parameters, no server error, and every answer matches
the status codes, content types, headers and schemas the document promises."""

# Fixtures are imported from the workspace tests; using them as arguments is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from sengen.wsgi import application
from tests.workspace.conftest import demo  # noqa: F401

# Loaded at collection: serving the OpenAPI document touches no database. (A lazy
# schemathesis.pytest.from_fixture schema fails under pytest 9 in schemathesis 4.32.)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application).include(
    method="GET", tag_regex="^公開"
)


@pytest.fixture
def kept_connection():
    """The WSGI handler closes the database connection after each request, which would end the
    test's transaction (and its demo data); Django's own test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_read_api_conforms_to_its_openapi_document(case, demo, kept_connection):
    case.call_and_validate()
