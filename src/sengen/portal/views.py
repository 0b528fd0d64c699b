"""Public pages. Until the workflow exists, everything imported is published."""

from __future__ import annotations

from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sengen.catalog import queries


def index(request: HttpRequest) -> HttpResponse:
    rows = queries.declarations().order_by("-fiscal_year", "department__name").select_related("department")
    years = [(year, list(items)) for year, items in groupby(rows, key=lambda d: d.fiscal_year)]
    return render(request, "portal/index.html", {"years": years})


def declaration(request: HttpRequest, fiscal_year: int, department: str) -> HttpResponse:
    found = queries.declarations(fiscal_year=fiscal_year, department=department)
    if not found.exists():
        raise Http404("declaration not found")
    record = queries.to_document(found).declarations[0]
    columns = kpi_columns(record)
    rows = [
        {
            "indicator": indicator,
            "values": [_value_at(indicator, column) for column in columns],
        }
        for indicator in record.indicators
    ]
    return render(
        request,
        "portal/declaration.html",
        {"declaration": record, "columns": columns, "rows": rows},
    )


def kpi_columns(record) -> list[tuple[str, int]]:
    """The year columns of the KPI table, in the order the published page puts them."""
    keys = {(o.fiscal_year, o.kind) for i in record.indicators for o in i.observations}
    keys |= {(t.fiscal_year, "target") for i in record.indicators for t in i.targets}
    order = {"actual": 0, "estimate": 1, "target": 2}
    return [(kind, year) for year, kind in sorted(keys, key=lambda k: (order[k[1]] == 2, k[0], order[k[1]]))]


def _value_at(indicator, column: tuple[str, int]):
    kind, year = column
    if kind == "target":
        return next((t for t in indicator.targets if t.fiscal_year == year), None)
    return next((o for o in indicator.observations if o.fiscal_year == year and o.kind == kind), None)
