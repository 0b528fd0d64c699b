"""The query layer: the one way out of the database, shared by the loader, the portal and every exporter.

``to_record``/``to_document`` rebuild the sengen/1 records exactly as they were published (same order,
same figures), so that export → import changes nothing and a figure is computed once for every output.
``to_document`` prefetches: its number of queries does not grow with the number of declarations or
indicators.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from sengen.catalog import models as m
from sengen.core.figures import canonical
from sengen.interchange import models as rec

PUBLISHED = "published"
WORKING = "working"


def declarations(
    fiscal_year: int | None = None, department: str | None = None, *, stage: str = PUBLISHED
) -> QuerySet[m.Declaration]:
    """Declarations, optionally of one fiscal year and/or one department, by year then department.

    ``stage`` is ``PUBLISHED`` (what the public sees; the default everywhere outside the
    workspace) or ``WORKING`` (the copies staff edit: draft, submitted or approved).
    """
    qs = m.Declaration.objects.select_related("department", "plan").order_by(
        "fiscal_year", "department__name"
    )
    if stage == PUBLISHED:
        qs = qs.filter(status=m.DeclarationStatus.PUBLISHED)
    else:
        qs = qs.exclude(status=m.DeclarationStatus.PUBLISHED)
    if fiscal_year is not None:
        qs = qs.filter(fiscal_year=fiscal_year)
    if department is not None:
        qs = qs.filter(department__name=department)
    return qs


def with_children(qs: QuerySet[m.Declaration]) -> QuerySet[m.Declaration]:
    """``qs`` with everything ``to_record`` reads prefetched (a fixed number of queries in all)."""
    return qs.select_related("department", "plan").prefetch_related(
        Prefetch(
            "declaration_sections",
            queryset=m.DeclarationSection.objects.select_related("section").order_by("position"),
        ),
        Prefetch(
            "declaration_sections__declaration_units",
            queryset=m.DeclarationUnit.objects.select_related("unit").order_by("position"),
        ),
        Prefetch("policies", queryset=m.Policy.objects.order_by("position")),
        Prefetch("policies__evaluations", queryset=m.PolicyEvaluation.objects.order_by("stage")),
        Prefetch(
            "kpi_rows",
            queryset=m.DeclarationIndicator.objects.select_related("indicator__project").order_by("position"),
        ),
        Prefetch(
            "kpi_rows__owners",
            queryset=m.KpiOwner.objects.select_related("section", "unit").order_by("position"),
        ),
        Prefetch("kpi_rows__observations", queryset=m.Observation.objects.order_by("position")),
        Prefetch("kpi_rows__targets", queryset=m.Target.objects.order_by("position")),
    )


def figure(value: Decimal | None) -> Decimal | None:
    """A stored figure without the database's trailing zeros: 95.2000 → 95.2, 12141.0000 → 12141."""
    return None if value is None else canonical(value)


def _indicator(row: m.DeclarationIndicator) -> rec.Indicator:
    baseline = None
    if row.has_baseline:
        baseline = rec.Baseline(
            fiscal_year=row.baseline_year,
            value=figure(row.baseline_value),
            qualifier=row.baseline_qualifier,
            annotation=row.baseline_annotation,
        )
    return rec.Indicator(
        project=rec.Project(number=row.indicator.project.number, name=row.project_name),
        name=row.indicator.name,
        unit=row.unit,
        direction=row.direction,
        owners=[
            rec.Owner(section=o.section.name, unit=o.unit.name if o.unit_id else None)
            for o in row.owners.all()
        ],
        baseline=baseline,
        observations=[
            rec.Observation(
                fiscal_year=o.fiscal_year,
                kind=o.kind,
                value=figure(o.value),
                qualifier=o.qualifier,
                annotation=o.annotation,
            )
            for o in row.observations.all()
        ],
        targets=[
            rec.Target(
                fiscal_year=t.fiscal_year,
                value=figure(t.value),
                set_in=t.set_in,
                qualifier=t.qualifier,
                annotation=t.annotation,
            )
            for t in row.targets.all()
        ],
        comment=row.comment,
    )


def to_record(declaration: m.Declaration) -> rec.Declaration:
    """The sengen/1 record of one stored declaration, in published order.

    Uses prefetched children when present (see :func:`with_children`), otherwise queries them.
    """
    plan = declaration.plan
    return rec.Declaration(
        fiscal_year=declaration.fiscal_year,
        department=declaration.department.name,
        head=rec.Head(title=declaration.head_title, name=declaration.head_name),
        message=list(declaration.message),
        roles=list(declaration.roles),
        sections=[
            rec.Section(name=ds.section.name, units=[du.unit.name for du in ds.declaration_units.all()])
            for ds in declaration.declaration_sections.all()
        ],
        policies=[
            rec.Policy(
                number=p.number,
                title=p.title,
                body=p.body,
                evaluations=[
                    rec.SelfEvaluation(stage=e.stage, grade=e.grade, comment=e.comment)
                    for e in p.evaluations.all()
                ],
            )
            for p in declaration.policies.all()
        ],
        plan=rec.Plan(name=plan.name, start_year=plan.start_year, end_year=plan.end_year) if plan else None,
        notes=list(declaration.notes),
        indicators=[_indicator(row) for row in declaration.kpi_rows.all()],
    )


def to_document(queryset: QuerySet[m.Declaration] | None = None) -> rec.Document:
    """A sengen/1 document of the given declarations (default: all), by year then department."""
    qs = declarations() if queryset is None else queryset
    return rec.Document(declarations=[to_record(d) for d in with_children(qs)])


def indicator_observations(indicator: m.Indicator) -> QuerySet[m.Observation]:
    """An indicator's history: every observation any declaration published for it.

    The same year can appear more than once (an estimate in one declaration, the actual in the
    next; or a figure republished); each row keeps the declaration that published it.
    """
    return (
        m.Observation.objects.filter(
            declaration_indicator__indicator=indicator,
            declaration_indicator__declaration__status=m.DeclarationStatus.PUBLISHED,
        )
        .select_related("declaration_indicator__declaration__department")
        .order_by("fiscal_year", "kind", "declaration_indicator__declaration__fiscal_year")
    )


def declarations_with_indicator(number: str, name: str) -> QuerySet[m.Declaration]:
    """Every declaration whose KPI table carries the indicator, oldest first: its history."""
    return declarations().filter(kpi_rows__indicator__project__number=number, kpi_rows__indicator__name=name)
