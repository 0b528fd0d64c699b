from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sengen.catalog import queries
from sengen.catalog.loader import load
from sengen.interchange import jsonio

from . import factories as f

pytestmark = pytest.mark.django_db


def test_figure_drops_trailing_zeros():
    assert str(queries.figure(Decimal("95.2000"))) == "95.2"
    assert str(queries.figure(Decimal("12141.0000"))) == "12141"
    assert str(queries.figure(Decimal("0.0000"))) == "0"
    assert str(queries.figure(Decimal("1200.0000"))) == "1200"
    assert queries.figure(None) is None


def test_declarations_filters_and_orders():
    load([f.document(f.declaration(2021), f.declaration(2020, "福祉部"), f.declaration(2020))])
    assert [(d.fiscal_year, d.department.name) for d in queries.declarations()] == [
        (2020, "市民生活部"),
        (2020, "福祉部"),
        (2021, "市民生活部"),
    ]
    assert queries.declarations(fiscal_year=2020).count() == 2
    assert queries.declarations(department="福祉部").count() == 1
    assert queries.declarations(fiscal_year=2021, department="福祉部").count() == 0


def _count_queries(qs) -> int:
    with CaptureQueriesContext(connection) as ctx:
        queries.to_document(qs)
    return len(ctx.captured_queries)


def test_to_document_query_count_does_not_grow():
    load([f.document(f.declaration(2020))])
    one = _count_queries(queries.declarations())
    load([f.document(f.declaration(2021), f.declaration(2020, "福祉部"))])
    three = _count_queries(queries.declarations())
    assert len(queries.to_document().declarations) == 3
    assert one == three
    assert three <= 10


def test_export_import_export_is_byte_identical():
    load([f.document(f.declaration(2020), f.declaration(2021))])
    text = jsonio.dumps(queries.to_document())
    from sengen.interchange.models import Document

    again = Document.model_validate(jsonio.loads_raw(text))
    report = load([again])
    assert {r.status for r in report.declarations} == {"unchanged"}
    assert jsonio.dumps(queries.to_document()) == text
    assert '"value": 95.2' in text
    assert '"value": 12141,' in text
