"""Published data, for anyone (no sign-in; any site may call it: ``Access-Control-Allow-Origin: *``).

Everything is rendered from the evaluated sengen/1 records the portal and the JSON export use
(``catalog.evaluation.evaluated_document``), so a figure and its status read the same everywhere.

Every answer carries ``ETag`` and ``Last-Modified``, computed before any record is built from the
published declarations it shows (which ones, and when each last changed) and the server's start
(settings and evaluation rules change only with a restart, as on the portal). A request with a
matching ``If-None-Match`` or a later ``If-Modified-Since`` gets ``304 Not Modified``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from ninja import Path, Query, Router

from sengen.api.schemas import (
    ApiError,
    Counts,
    DeclarationPage,
    DeclarationRef,
    DeclarationSummary,
    Error,
    History,
    HistoryObservation,
    IndicatorPage,
    IndicatorSummary,
    Status,
    year_ja,
)
from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.catalog.evaluation import evaluated_document
from sengen.interchange import models as rec
from sengen.interchange.evaluation import rollups
from sengen.portal.views import STARTED

router = Router(tags=["公開データ / published data"])

# Bumped when the shape of an answer changes, so caches holding the old shape revalidate.
REPRESENTATION = "sengen-api-1"
NO_NUL = r"^[^\x00]+$"

YEAR_QUERY = Query(None, ge=1900, le=2200, description="fiscal year (令和2年度 = 2020)")
DEPARTMENT_QUERY = Query(None, min_length=1, max_length=200, pattern=NO_NUL, description="e.g. 市民生活部")
STATUS_QUERY = Query(None, description="evaluation status of the indicators")
LIMIT_QUERY = Query(50, ge=1, le=200, description="page size")
OFFSET_QUERY = Query(0, ge=0, le=1_000_000, description="items to skip")


def _validators(request: HttpRequest, shown: QuerySet[m.Declaration]) -> tuple[str, Any]:
    """(ETag, Last-Modified) of an answer built from the declarations ``shown``."""
    stamps = list(shown.order_by("pk").values_list("pk", "updated_at"))
    newest = max((stamp for _pk, stamp in stamps), default=None)
    modified = max(newest, STARTED) if newest is not None else STARTED
    key = repr((REPRESENTATION, request.path, sorted(request.GET.lists()), STARTED.isoformat(), stamps))
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"', modified


def _conditional(request: HttpRequest, response: HttpResponse, shown: QuerySet[m.Declaration]):
    """Put the validators on ``response``; the 304 to send instead, if the client is up to date."""
    from sengen.api.api import add_cors

    etag, modified = _validators(request, shown)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified.timestamp())
    # Caches may keep the answer but must ask again (cheaply, with the validators) before using it.
    response["Cache-Control"] = "public, no-cache"
    add_cors(request, response)
    early = get_conditional_response(request, etag=etag, last_modified=int(modified.timestamp()))
    if early is None:
        return None
    for name in ("ETag", "Last-Modified", "Cache-Control", *_cors_names(response)):
        early[name] = response[name]
    return early


def _cors_names(response: HttpResponse) -> list[str]:
    return [
        name for name in ("Access-Control-Allow-Origin", "Access-Control-Expose-Headers") if name in response
    ]


def _page(items: list, limit: int, offset: int) -> dict[str, Any]:
    return {"total": len(items), "limit": limit, "offset": offset, "items": items[offset : offset + limit]}


def declaration_url(year: int, department: str) -> str:
    return f"/api/declarations/{year}/{department}"


def history_url(number: str, name: str) -> str:
    return f"/api/indicators/{number}/{name}/observations"


@router.get(
    "/declarations",
    response={200: DeclarationPage, 304: None, 422: Error},
    url_name="public-declarations",
    summary="公開中の目標宣言の一覧 / published declarations",
    description=(
        "年度・部・達成状況で絞り込めます。status を指定すると、その状況の指標が1つ以上ある目標宣言だけを"
        "返します。counts は達成状況ごとの指標の数です。\n"
        "Filter by year, department and status (declarations with at least one indicator of that "
        "status). counts gives the number of indicators by evaluation status."
    ),
)
def list_declarations(
    request: HttpRequest,
    response: HttpResponse,
    year: int | None = YEAR_QUERY,
    department: str | None = DEPARTMENT_QUERY,
    status: Status | None = STATUS_QUERY,
    limit: int = LIMIT_QUERY,
    offset: int = OFFSET_QUERY,
):
    shown = queries.declarations(year, department)
    if (early := _conditional(request, response, shown)) is not None:
        return early
    updated = {(d.fiscal_year, d.department.name): d.updated_at for d in shown}
    document = evaluated_document(shown)
    items = [
        DeclarationSummary(
            fiscal_year=d.fiscal_year,
            department=d.department,
            head=d.head,
            plan=d.plan,
            indicators=summary["total"],
            counts=Counts(**summary["counts"]),
            updated_at=updated[(d.fiscal_year, d.department)],
            url=declaration_url(d.fiscal_year, d.department),
        )
        for d, summary in zip(document.declarations, rollups(document)["declarations"], strict=True)
        if status is None or summary["counts"][status] > 0
    ]
    return DeclarationPage(**_page(items, limit, offset))


@router.get(
    "/declarations/{year}/{department}",
    response={200: rec.Document, 304: None, 404: Error, 422: Error},
    url_name="public-declaration",
    summary="公開中の目標宣言（sengen/1、評価付き） / one published declaration (sengen/1 with evaluations)",
    description=(
        "`sengen export --format json --year Y --department D` と同じ sengen/1 文書です（評価付き）。"
        "そのまま `sengen import` で取り込めます。\n"
        "The same sengen/1 document as `sengen export --format json`, with evaluations; "
        "`sengen import` reads it as is."
    ),
)
def get_declaration(
    request: HttpRequest,
    response: HttpResponse,
    year: int = Path(..., ge=1900, le=2200),
    department: str = Path(..., max_length=200, pattern=NO_NUL),
):
    shown = queries.declarations(year, department)
    if not shown.exists():
        raise ApiError(
            404,
            "api.declaration_not_found",
            {"year": year, "year_ja": year_ja(year), "department": department},
        )
    if (early := _conditional(request, response, shown)) is not None:
        return early
    return evaluated_document(shown)


@router.get(
    "/indicators",
    response={200: IndicatorPage, 304: None, 422: Error},
    url_name="public-indicators",
    summary="指標の一覧と達成状況 / indicators with their evaluation",
    description=(
        "year を指定するとその年度の目標宣言に載った指標を、指定しないと各指標を最新の目標宣言のとおりに"
        "1回ずつ返します。事業番号・指標名の順です。\n"
        "With year: the indicators of that year's declarations. Without: each indicator once, as its "
        "latest published declaration shows it. Ordered by project number, then name."
    ),
)
def list_indicators(
    request: HttpRequest,
    response: HttpResponse,
    year: int | None = YEAR_QUERY,
    department: str | None = DEPARTMENT_QUERY,
    status: Status | None = STATUS_QUERY,
    limit: int = LIMIT_QUERY,
    offset: int = OFFSET_QUERY,
):
    shown = queries.declarations(year, department)
    if (early := _conditional(request, response, shown)) is not None:
        return early
    latest: dict[tuple[str, str], IndicatorSummary] = {}
    for d in evaluated_document(shown).declarations:  # oldest first: a later year replaces an earlier
        for i in d.indicators:
            if i.evaluation is None:  # pragma: no cover - evaluated_document evaluates every indicator
                continue
            latest[(i.project.number, i.name)] = IndicatorSummary(
                fiscal_year=d.fiscal_year,
                department=d.department,
                project=i.project,
                name=i.name,
                unit=i.unit,
                direction=i.direction,
                owners=i.owners,
                status=i.evaluation.status,
                latest=i.evaluation.latest,
                target=i.evaluation.target,
                evaluation=i.evaluation,
                observations_url=history_url(i.project.number, i.name),
            )
    items = [latest[key] for key in sorted(latest) if status is None or latest[key].status == status]
    return IndicatorPage(**_page(items, limit, offset))


@router.get(
    "/indicators/{number}/{name}/observations",
    response={200: History, 304: None, 404: Error, 422: Error},
    url_name="public-history",
    summary="指標の実績値・実績見込値の推移 / an indicator's observations across declarations",
    description=(
        "公開中のすべての目標宣言に載った値を、年度・種別・掲載した目標宣言の年度の順に返します。"
        "同じ年度が複数回現れることがあります（前年の見込値と翌年の実績値など）。\n"
        "Every figure any published declaration carried, by year, kind and the declaration's year. "
        "A year can appear more than once (an estimate one year, the actual the next)."
    ),
)
def indicator_history(
    request: HttpRequest,
    response: HttpResponse,
    number: str = Path(..., max_length=50, pattern=NO_NUL),
    name: str = Path(..., max_length=500, pattern=NO_NUL),
):
    shown = queries.declarations_with_indicator(number, name)
    indicator = m.Indicator.objects.filter(project__number=number, name=name).first()
    row = (
        m.DeclarationIndicator.objects.filter(
            indicator=indicator, declaration__status=m.DeclarationStatus.PUBLISHED
        )
        .order_by("-declaration__fiscal_year", "-pk")
        .first()
        if indicator is not None
        else None
    )
    if row is None:
        raise ApiError(404, "api.indicator_not_found", {"number": number, "name": name})
    if (early := _conditional(request, response, shown)) is not None:
        return early
    return History(
        project=rec.Project(number=number, name=row.project_name),
        name=name,
        unit=row.unit,
        observations=[
            HistoryObservation(
                fiscal_year=o.fiscal_year,
                kind=o.kind,
                value=queries.figure(o.value),
                qualifier=o.qualifier,
                annotation=o.annotation,
                declaration=DeclarationRef(
                    fiscal_year=o.declaration_indicator.declaration.fiscal_year,
                    department=o.declaration_indicator.declaration.department.name,
                ),
            )
            for o in queries.indicator_observations(indicator)
        ],
    )
