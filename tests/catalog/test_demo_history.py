"""The demo's two fiscal years of each department build one history per indicator."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.catalog.loader import load
from sengen.ingest import read_bytes
from sengen.portal.management.commands.demo import demo_files

pytestmark = pytest.mark.django_db


def test_a_later_years_page_adds_to_the_same_indicators() -> None:
    results = [read_bytes(data, name) for name, data in demo_files()]
    assert all(r.ok for r in results), [p.render("en") for r in results for p in r.problems]
    by_year = {}
    for result in results:
        (declaration,) = result.document.declarations
        by_year.setdefault(declaration.fiscal_year, set()).update(
            (i.project.number, i.name) for i in declaration.indicators
        )
    load([r.document for r in results])
    assert m.Declaration.objects.count() == 4
    assert m.Indicator.objects.count() == len(by_year[2019] | by_year[2020])
    assert by_year[2019] & by_year[2020], "the demo repeats indicators across years"

    mail = m.Indicator.objects.get(project__number="17-101")
    history = {(o.fiscal_year, o.kind, o.value) for o in queries.indicator_observations(mail)}
    # FY2019's page estimated fiscal 2018; FY2020's page reports the actual 12,141 beside it.
    assert (2018, "actual", Decimal(12141)) in history
    assert any(year == 2018 and kind == "estimate" for year, kind, _ in history)
    assert {d.fiscal_year for d in m.Declaration.objects.filter(kpi_rows__indicator=mail)} == {2019, 2020}
