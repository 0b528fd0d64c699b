"""Public pages: published declarations only (drafts live in the workspace).

Every page renders from evaluated sengen/1 records (catalog.evaluation.evaluated_document), the
same records the JSON export writes, so a figure and its status read the same everywhere; and
the number of queries a page makes does not depend on how many indicators or years there are.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import http_date

from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.catalog.evaluation import evaluated_document
from sengen.core.evaluation import FLAG_CODES, STATUSES
from sengen.core.figures import Figure, format_figure
from sengen.interchange import Declaration, Indicator
from sengen.interchange.evaluation import explain, rollups
from sengen.interchange.table import kpi_columns, value_at
from sengen.portal.charts import indicator_chart, sparkline
from sengen.portal.language import current_lang

# Settings (evaluation rules), translations and templates change only with a restart: a page is
# never older than the process serving it.
STARTED = timezone.now()


def last_changed(shown: QuerySet) -> datetime | None:
    """When any of the declarations ``shown`` last changed (import, publication or admin), never
    earlier than this process started; None when there are none."""
    newest = shown.order_by().aggregate(newest=Max("updated_at"))["newest"]
    return None if newest is None else max(newest, STARTED)


def _last_modified(response: HttpResponse, shown: QuerySet) -> HttpResponse:
    """Last-Modified of a page showing ``shown``; ConditionalGetMiddleware answers If-Modified-Since."""
    response["Last-Modified"] = http_date((last_changed(shown) or STARTED).timestamp())
    return response


def index(request: HttpRequest) -> HttpResponse:
    years = sorted(set(queries.declarations().values_list("fiscal_year", flat=True)), reverse=True)
    selected = _selected_year(request, years)
    document = evaluated_document(queries.declarations(fiscal_year=selected)) if selected else None
    summary = rollups(document)["declarations"] if document else []
    city = {s: sum(row["counts"][s] for row in summary) for s in STATUSES}
    response = render(
        request,
        "portal/index.html",
        {
            "years": years,
            "selected": selected,
            "summary": summary,
            "city": city,
            "city_total": sum(city.values()),
            "statuses": STATUSES,
        },
    )
    return _last_modified(response, queries.declarations())


def _selected_year(request: HttpRequest, years: list[int]) -> int | None:
    raw = request.GET.get("year", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return years[0] if years else None


def declaration(request: HttpRequest, fiscal_year: int, department: str) -> HttpResponse:
    found = queries.declarations(fiscal_year=fiscal_year, department=department)
    document = evaluated_document(found)
    if not document.declarations:
        raise Http404("declaration not found")
    record = document.declarations[0]
    columns = kpi_columns(record.indicators)
    lang = current_lang()
    rows = [
        {
            "indicator": indicator,
            "values": [value_at(indicator, column) for column in columns],
            "sparkline": sparkline(indicator, lang=lang, id_prefix=f"s{n}"),
        }
        for n, indicator in enumerate(record.indicators)
    ]
    response = render(
        request,
        "portal/declaration.html",
        {
            "declaration": record,
            "columns": columns,
            "rows": rows,
        },
    )
    return _last_modified(response, found)


def department(request: HttpRequest, department: str) -> HttpResponse:
    shown = queries.declarations(department=department)
    document = evaluated_document(shown)
    if not document.declarations:
        raise Http404("department not found")
    trend = rollups(document)["departments"][0]
    response = render(
        request,
        "portal/department.html",
        {
            "department": department,
            "declarations": document.declarations,
            "trend": trend,
            "statuses": STATUSES,
        },
    )
    return _last_modified(response, shown)


def indicator(request: HttpRequest, number: str, name: str) -> HttpResponse:
    shown = queries.declarations_with_indicator(number, name)
    document = evaluated_document(shown)
    history = [(d, _find(d, number, name)) for d in document.declarations]
    if not history:
        raise Http404("indicator not found")
    latest_declaration, latest = history[-1]
    lang = current_lang()
    response = render(
        request,
        "portal/indicator.html",
        {
            "declaration": latest_declaration,
            "indicator": latest,
            "chart": indicator_chart(latest, lang=lang, id_prefix="chart"),
            "sentence": explain(latest, lang),
            "rows": _history_rows(history),
            "history": history,
            "revisions": _target_revisions(number, name, latest.unit),
        },
    )
    return _last_modified(response, shown)


def _target_revisions(number: str, name: str, unit: str | None) -> list[dict]:
    """Published target revisions (改訂) of the indicator, oldest first, with figures as text.
    Drafted revisions stay out until their declaration is published (workspace.workflow)."""

    def shown(value) -> str:
        return "—" if value is None else format_figure(Figure(queries.figure(value), unit))

    return [
        {"revision": r, "old": shown(r.old_value), "new": shown(r.new_value)}
        for r in m.TargetRevision.objects.filter(
            indicator__project__number=number, indicator__name=name, published_at__isnull=False
        ).order_by("published_at", "revised_at", "pk")
    ]


def search(request: HttpRequest) -> HttpResponse:
    """Indicators and policies by year, department, status, flag and keyword; the URL is the query."""
    years = sorted(set(queries.declarations().values_list("fiscal_year", flat=True)), reverse=True)
    departments = list(m.Department.objects.order_by("name").values_list("name", flat=True))
    year = request.GET.get("year", "")
    department = request.GET.get("department", "")
    status = request.GET.get("status", "")
    flag = request.GET.get("flag", "")
    keyword = request.GET.get("q", "").strip()
    selected = queries.declarations(
        fiscal_year=int(year) if year.isdigit() and int(year) in years else None,
        department=department if department in departments else None,
    )
    document = evaluated_document(selected)
    words = keyword.split()

    def matches(*texts: str) -> bool:
        joined = " ".join(texts)
        return all(word in joined for word in words)

    indicators = [
        (d, i)
        for d in document.declarations
        for i in d.indicators
        if i.evaluation is not None
        and (not status or i.evaluation.status == status)
        and (not flag or any(f.code == flag for f in i.evaluation.flags))
        and matches(i.name, i.project.number, i.project.name)
    ]
    policies = [
        (d, p)
        for d in document.declarations
        for p in d.policies
        if keyword and not status and not flag and matches(p.title, p.body)
    ]
    response = render(
        request,
        "portal/search.html",
        {
            "years": years,
            "departments": departments,
            "statuses": STATUSES,
            "flags": FLAG_CODES,
            "query": {"year": year, "department": department, "status": status, "flag": flag, "q": keyword},
            "indicators": indicators,
            "policies": policies,
        },
    )
    return _last_modified(response, selected)


def _find(declaration: Declaration, number: str, name: str) -> Indicator:
    return next(i for i in declaration.indicators if i.project.number == number and i.name == name)


def _history_rows(history: list[tuple[Declaration, Indicator]]) -> list[dict]:
    """Every figure any declaration published for the indicator, by year, with its source."""
    rows = []
    for d, i in history:
        if i.baseline and i.baseline.value is not None:
            rows.append(
                {"year": i.baseline.fiscal_year, "kind": "baseline", "record": i.baseline, "source": d}
            )
        rows.extend({"year": o.fiscal_year, "kind": o.kind, "record": o, "source": d} for o in i.observations)
        rows.extend({"year": t.fiscal_year, "kind": "target", "record": t, "source": d} for t in i.targets)
    order = {"baseline": 0, "actual": 1, "estimate": 2, "target": 3}
    unique = {}
    for row in rows:  # a figure republished unchanged is shown once, with its first source
        key = (row["year"], row["kind"], row["record"].value)
        unique.setdefault(key, row)
    return sorted(unique.values(), key=lambda r: (r["year"] or 0, order[r["kind"]], r["source"].fiscal_year))


def open_data(request: HttpRequest) -> HttpResponse:
    """How to reuse the data: the download formats and the API."""
    return render(request, "portal/open_data.html")
