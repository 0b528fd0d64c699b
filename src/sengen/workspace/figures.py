"""Entering a KPI row's figures in the workspace: observations, the year-end comment, new rows and
target revisions (docs/workspace.md). The views only call these; the rules for what a figure may be
live in :mod:`sengen.core.entry`, and every write goes through :mod:`sengen.workspace.editing`, so a
second editor's save is refused rather than lost and each change lands in the audit trail once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from sengen.catalog import models as m
from sengen.core.entry import check_reason, check_year, parse_entry
from sengen.core.figures import Figure, canonical, format_figure
from sengen.core.messages import SengenError, register
from sengen.core.text import label_part
from sengen.core.wareki import format_fiscal_year
from sengen.workspace.editing import Conflict, create_unique, save_versioned

K = m.ObservationKind

register(
    {
        "figures.observation_exists": (
            "{year_ja}の{kind}はすでに入力されています。変更するには、表の「編集」から開いてください。",
            "The FY{year} {kind_en} is already entered. Open it with its Edit link in the table to change it.",
        ),
        "figures.target_value_required": (
            "新しい目標値を数値で入力してください（「—」は目標値にできません）。",
            "Enter the new target as a number (— cannot be a target).",
        ),
        "figures.target_before_declaration": (
            "目標年度 {year_ja} は、この目標宣言の年度（{declaration_ja}）より前です。"
            "{declaration_ja}以降の年度を選んでください。",
            "The target year FY{year} is before this declaration's year (FY{declaration}). "
            "Choose FY{declaration} or later.",
        ),
        "figures.target_year_taken": (
            "この指標には{year_ja}の目標値がすでにあります。その目標値を改訂するか、別の年度を選んでください。",
            "This indicator already has a target for FY{year}. Revise that target, or choose another year.",
        ),
    }
)

KIND_EN = {K.ACTUAL: "actual", K.ESTIMATE: "estimate"}


def kind_label(kind: str) -> str:
    return label_part(K(kind).label)


def reason_threshold() -> Decimal:
    return Decimal(str(settings.SENGEN_REASON_THRESHOLD))


# --- reading what was typed -----------------------------------------------------------------------


def allowed_years(declaration: m.Declaration) -> list[int]:
    """The years a figure may be entered for: from the plan's first year to the declaration's.

    Without a plan only the upper bound applies; offer the five years before it, enough for the
    columns a KPI table shows."""
    start = declaration.plan.start_year if declaration.plan_id else declaration.fiscal_year - 5
    return list(range(min(start, declaration.fiscal_year), declaration.fiscal_year + 1))


def figure_text(record: m.Observation | m.Target, unit: str | None) -> str:
    """A stored figure as shown and as typed (``12,141人``, ``約1,850千人``, ``—``): without the
    database's trailing zeros, so read_value gives it back unchanged."""
    value = None if record.value is None else canonical(record.value)
    return format_figure(Figure(value, unit, record.qualifier, record.annotation))


def read_value(text: str, row: m.DeclarationIndicator) -> Figure:
    """The figure typed for ``row`` (``12,141``, ``約1,850``, ``—``), checked against its unit."""
    return parse_entry(text, row.unit)


def check_entry_year(declaration: m.Declaration, fiscal_year: int) -> None:
    plan = declaration.plan
    check_year(
        fiscal_year,
        declaration_year=declaration.fiscal_year,
        plan_start=plan.start_year if plan else None,
        plan_end=plan.end_year if plan else None,
    )


def replaced_estimate(row: m.DeclarationIndicator, fiscal_year: int) -> Decimal | None:
    """The estimate an actual for ``fiscal_year`` replaces: this row's, else the one last published."""
    own = (
        row.observations.filter(fiscal_year=fiscal_year, kind=K.ESTIMATE, value__isnull=False)
        .values_list("value", flat=True)
        .first()
    )
    if own is not None:
        return canonical(own)
    published = (
        m.Observation.objects.filter(
            declaration_indicator__indicator_id=row.indicator_id,
            declaration_indicator__declaration__status=m.DeclarationStatus.PUBLISHED,
            fiscal_year=fiscal_year,
            kind=K.ESTIMATE,
            value__isnull=False,
        )
        .order_by("-declaration_indicator__declaration__fiscal_year")
        .values_list("value", flat=True)
        .first()
    )
    return None if published is None else canonical(published)


def check_revision_reason(
    row: m.DeclarationIndicator, fiscal_year: int, kind: str, value: Decimal | None, reason: str
) -> None:
    """An actual far from the estimate it replaces must say why (core.entry.check_reason)."""
    if kind != K.ACTUAL:
        return
    check_reason(replaced_estimate(row, fiscal_year), value, reason, reason_threshold())


def existing_observation(row: m.DeclarationIndicator, fiscal_year: int, kind: str) -> m.Observation | None:
    return row.observations.filter(fiscal_year=fiscal_year, kind=kind).first()


def observation_exists_error(fiscal_year: int, kind: str) -> SengenError:
    return SengenError(
        "figures.observation_exists",
        year=fiscal_year,
        year_ja=format_fiscal_year(fiscal_year),
        kind=kind_label(kind),
        kind_en=KIND_EN[K(kind)],
    )


# --- writing --------------------------------------------------------------------------------------


def _next_position(queryset) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def add_observation(
    row: m.DeclarationIndicator, fiscal_year: int, kind: str, figure: Figure, *, reason: str = ""
) -> m.Observation:
    """A new figure for (year, kind); raises Conflict if one was entered meanwhile."""
    observation = m.Observation(
        declaration_indicator=row,
        fiscal_year=fiscal_year,
        kind=kind,
        value=figure.value,
        qualifier=figure.qualifier,
        annotation=figure.annotation,
        position=_next_position(row.observations),
    )
    return create_unique(observation, reason=reason)


def update_observation(
    observation: m.Observation, shown_version: int, figure: Figure, *, reason: str = ""
) -> m.Observation:
    values = {"value": figure.value, "qualifier": figure.qualifier, "annotation": figure.annotation}
    return save_versioned(observation, shown_version, values, reason=reason)


def delete_observation(observation: m.Observation, shown_version: int, *, reason: str = "") -> None:
    """Delete the figure unless someone changed it since ``shown_version`` (then Conflict)."""
    with transaction.atomic():
        claimed = m.Observation.objects.filter(pk=observation.pk, version=shown_version).update(
            version=shown_version + 1
        )
        if not claimed:
            raise Conflict(m.Observation.objects.filter(pk=observation.pk).first(), {})
        fresh = m.Observation.objects.get(pk=observation.pk)
        fresh._audit_reason = reason
        fresh.delete()


def save_comment(row: m.DeclarationIndicator, shown_version: int, text: str) -> m.DeclarationIndicator:
    return save_versioned(row, shown_version, {"comment": text.strip() or None})


def addable_indicators(declaration: m.Declaration):
    """Indicators of the declaration's plan (on any declaration of the same plan) not yet in its table."""
    if declaration.plan_id is None:
        return m.Indicator.objects.none()
    return (
        m.Indicator.objects.filter(kpi_rows__declaration__plan_id=declaration.plan_id)
        .exclude(kpi_rows__declaration=declaration)
        .select_related("project")
        .distinct()
        .order_by("project__number", "name")
    )


def latest_row(indicator: m.Indicator) -> m.DeclarationIndicator | None:
    """The row the indicator was last shown in (the newest year; of two, the one made last)."""
    return (
        indicator.kpi_rows.select_related("declaration").order_by("-declaration__fiscal_year", "-pk").first()
    )


def section_choices(declaration: m.Declaration):
    """Sections an owner may be chosen from: those the declaration lists, else the department's."""
    listed = m.Section.objects.filter(declaration_sections__declaration=declaration).order_by(
        "declaration_sections__position"
    )
    return listed if listed.exists() else m.Section.objects.filter(department=declaration.department)


def add_indicator(
    declaration: m.Declaration, indicator: m.Indicator, owner: m.Section | None = None
) -> m.DeclarationIndicator:
    """Put ``indicator`` in the declaration's KPI table, as last published: project name, unit,
    direction, baseline and plan targets are the indicator's, not the year's, so they are copied;
    observations are not (they are what the editor enters next)."""
    source = latest_row(indicator)
    with transaction.atomic():
        row = m.DeclarationIndicator(
            declaration=declaration,
            indicator=indicator,
            position=_next_position(declaration.kpi_rows),
            project_name=source.project_name if source else indicator.project.name,
            unit=source.unit if source else indicator.unit,
            direction=source.direction if source else indicator.direction,
        )
        if source is not None and source.declaration.plan_id == declaration.plan_id:
            row.has_baseline = source.has_baseline
            row.baseline_year = source.baseline_year
            row.baseline_value = source.baseline_value
            row.baseline_qualifier = source.baseline_qualifier
            row.baseline_annotation = source.baseline_annotation
        create_unique(row)
        if owner is not None:
            m.KpiOwner.objects.create(declaration_indicator=row, section=owner, position=1)
        if source is not None and source.declaration.plan_id == declaration.plan_id:
            for target in source.targets.order_by("position"):
                m.Target.objects.create(
                    declaration_indicator=row,
                    fiscal_year=target.fiscal_year,
                    value=target.value,
                    qualifier=target.qualifier,
                    annotation=target.annotation,
                    set_in=target.set_in,
                    position=target.position,
                )
    return row


# --- target revisions -----------------------------------------------------------------------------


def revised_target(row: m.DeclarationIndicator) -> m.Target | None:
    """The row's target a revision changes: the one for the plan's last year, else the latest."""
    targets = row.targets.order_by("-fiscal_year")
    plan = row.declaration.plan
    if plan is not None:
        at_end = targets.filter(fiscal_year=plan.end_year).first()
        if at_end is not None:
            return at_end
    return targets.first()


def check_new_target(row: m.DeclarationIndicator, fiscal_year: int, figure: Figure) -> None:
    declaration = row.declaration
    if fiscal_year < declaration.fiscal_year:
        raise SengenError(
            "figures.target_before_declaration",
            year=fiscal_year,
            year_ja=format_fiscal_year(fiscal_year),
            declaration=declaration.fiscal_year,
            declaration_ja=format_fiscal_year(declaration.fiscal_year),
        )
    if figure.value is None:
        raise SengenError("figures.target_value_required")
    current = revised_target(row)
    taken = row.targets.filter(fiscal_year=fiscal_year)
    if current is not None:
        taken = taken.exclude(pk=current.pk)
    if taken.exists():
        raise SengenError(
            "figures.target_year_taken", year=fiscal_year, year_ja=format_fiscal_year(fiscal_year)
        )


@dataclass(frozen=True)
class TargetChange:
    fiscal_year: int
    figure: Figure
    reason: str


def revise_target(
    row: m.DeclarationIndicator, shown_version: int | None, change: TargetChange, *, revised_by: str
) -> m.TargetRevision:
    """Change the row's target and keep what it was (and under which plan) as a TargetRevision.

    ``shown_version`` is the target's version the form showed (None when the row had no target);
    the revision becomes public when the declaration is published (workflow.publish)."""
    check_new_target(row, change.fiscal_year, change.figure)
    declaration = row.declaration
    plan = declaration.plan
    with transaction.atomic():
        old = revised_target(row)
        if (old is None) != (shown_version is None):
            raise Conflict(old, {"fiscal_year": change.fiscal_year, "value": change.figure.value})
        revision = m.TargetRevision(
            indicator=row.indicator,
            department=declaration.department,
            declaration_year=declaration.fiscal_year,
            old_fiscal_year=old.fiscal_year if old else None,
            old_value=old.value if old else None,
            old_set_in=old.set_in if old else None,
            old_plan_name=plan.name if plan else "",
            old_plan_start_year=plan.start_year if plan else None,
            old_plan_end_year=plan.end_year if plan else None,
            new_fiscal_year=change.fiscal_year,
            new_value=change.figure.value,
            new_set_in=declaration.fiscal_year,
            reason=change.reason,
            revised_by=revised_by,
        )
        values = {
            "fiscal_year": change.fiscal_year,
            "value": change.figure.value,
            "qualifier": change.figure.qualifier,
            "annotation": change.figure.annotation,
            "set_in": declaration.fiscal_year,
        }
        if old is not None:
            save_versioned(old, shown_version, values, reason=change.reason)
        else:
            create_unique(
                m.Target(declaration_indicator=row, position=_next_position(row.targets), **values),
                reason=change.reason,
            )
        revision._audit_reason = change.reason
        revision.save()
    return revision
