"""A declaration's workflow: draft → submitted → approved → published, with return (差戻し).

The published row is what the portal shows. Staff work on a separate working copy of the same
department and year; publishing it replaces the published row in one transaction, keeps the
replaced version as a :class:`~sengen.workspace.models.Publication` and records the differences
(old → new, field by field) in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from sengen.audit import recorder
from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.catalog.loader import audit_changes, load
from sengen.core.messages import SengenError, register
from sengen.core.text import label_part
from sengen.core.wareki import format_fiscal_year
from sengen.interchange import Document
from sengen.interchange.diff import diff_declarations
from sengen.interchange.jsonio import dumps
from sengen.workspace import permissions
from sengen.workspace.models import Publication, WorkflowAction, WorkflowEvent
from sengen.workspace.permissions import Action

S = m.DeclarationStatus

register(
    {
        "workflow.wrong_status": (
            "この目標宣言は「{status}」のため、「{action}」はできません。画面を再読み込みして状態を確かめてください。",
            "This declaration is {status_en}, so it cannot be {action_en}. Reload the page to see its state.",
        ),
        "workflow.comment_required": (
            "差し戻す理由をコメントに書いてください。担当者はそれを見て直します。",
            "Write why you return it in the comment: the editors will read it to fix the draft.",
        ),
        "workflow.not_editable": (
            "この目標宣言は「{status}」のため編集できません。編集するには差し戻してもらうか、"
            "公開中のものから改訂版を作成してください。",
            "This declaration is {status_en} and cannot be edited. Ask for it to be returned, or "
            "start a revision of the published version.",
        ),
        "workflow.next_exists": (
            "{year_ja}の {department} の目標宣言はすでにあります。そちらを開いて編集してください。",
            "The FY{year} {department} declaration already exists. Open it to edit.",
        ),
    }
)


@dataclass(frozen=True)
class Step:
    action: WorkflowAction
    sources: frozenset[str]
    target: str
    permission: Action


STEPS: dict[str, Step] = {
    "submit": Step(WorkflowAction.SUBMIT, frozenset({S.DRAFT}), S.SUBMITTED, Action.SUBMIT),
    "approve": Step(WorkflowAction.APPROVE, frozenset({S.SUBMITTED}), S.APPROVED, Action.APPROVE),
    "return": Step(WorkflowAction.RETURN, frozenset({S.SUBMITTED, S.APPROVED}), S.DRAFT, Action.APPROVE),
    "publish": Step(WorkflowAction.PUBLISH, frozenset({S.APPROVED}), S.PUBLISHED, Action.PUBLISH),
}

ACTION_EN = {"submit": "submitted", "approve": "approved", "return": "returned", "publish": "published"}


def status_label(status: str) -> str:
    return label_part(S(status).label)


def allowed_steps(user, declaration: m.Declaration) -> list[str]:
    """The steps ``user`` may take on ``declaration`` now (for the buttons on its page)."""
    return [
        name
        for name, step in STEPS.items()
        if declaration.status in step.sources
        and permissions.can(user, step.permission, declaration.department)
    ]


def require_editable(user, declaration: m.Declaration) -> None:
    """Editing needs the edit role in the department and a draft (returned drafts included)."""
    permissions.require(user, Action.EDIT, declaration.department)
    if declaration.status != S.DRAFT:
        raise SengenError(
            "workflow.not_editable", status=status_label(declaration.status), status_en=declaration.status
        )


def _event(declaration: m.Declaration, action: str, before: str, comment: str) -> WorkflowEvent:
    return WorkflowEvent.objects.create(
        department=declaration.department,
        fiscal_year=declaration.fiscal_year,
        action=action,
        from_status=before,
        to_status=declaration.status,
        comment=comment,
        actor=recorder.current().name,
        at=timezone.now(),
    )


def take_step(user, declaration: m.Declaration, name: str, comment: str = "") -> m.Declaration:
    """Move ``declaration`` one step; raises PermissionDenied or SengenError (nothing written)."""
    step = STEPS[name]
    permissions.require(user, step.permission, declaration.department)
    comment = comment.strip()
    if name == "return" and not comment:
        raise SengenError("workflow.comment_required")
    with transaction.atomic():
        before = declaration.status
        # Claims the transition: of two people pressing the same button, one wins. Publishing claims
        # the row without changing it (the old published row must go first, for the unique key).
        moved = m.Declaration.objects.filter(pk=declaration.pk, status__in=step.sources).update(
            status=step.target if name != "publish" else S.APPROVED
        )
        if not moved or before not in step.sources:
            current = m.Declaration.objects.filter(pk=declaration.pk).values_list("status", flat=True).first()
            shown = current or before
            raise SengenError(
                "workflow.wrong_status",
                status=status_label(shown),
                status_en=shown,
                action=label_part(step.action.label),
                action_en=ACTION_EN[name],
            )
        declaration.refresh_from_db()
        if name == "publish":
            declaration = _publish(declaration)
        _event(declaration, step.action, before, comment)
        recorder.record(
            "workflow",
            declaration,
            changes=[{"field": "status", "old": before, "new": declaration.status}],
            reason=comment,
        )
    return declaration


def _publish(working: m.Declaration) -> m.Declaration:
    department, year = working.department, working.fiscal_year
    old = queries.with_children(queries.declarations(year, department.name)).first()
    old_record = queries.to_record(old) if old is not None else None
    new_record = queries.to_record(queries.with_children(m.Declaration.objects.filter(pk=working.pk)).get())
    now = timezone.now()
    with recorder.suppressed():
        if old is not None:
            old.delete()
        working.status = S.PUBLISHED
        working.published_at = now
        working.updated_at = now
        working.save(update_fields=["status", "published_at", "updated_at"])
    earlier = Publication.objects.filter(department=department, fiscal_year=year)
    if old is not None and not earlier.exists():
        # The version being replaced came in by `sengen import` (no Publication yet): keep it as the
        # first version, so every published version stays readable.
        Publication.objects.create(
            department=department,
            fiscal_year=year,
            number=1,
            published_at=old.published_at or old.updated_at,
            published_by="",
            document=dumps(Document(declarations=[old_record])),
        )
    number = earlier.count() + 1
    Publication.objects.create(
        department=department,
        fiscal_year=year,
        number=number,
        published_at=now,
        published_by=recorder.current().name,
        document=dumps(Document(declarations=[new_record])),
    )
    m.TargetRevision.objects.filter(
        department=department, declaration_year=year, published_at__isnull=True
    ).update(published_at=now)
    recorder.record(
        "update",
        working,
        reason=f"第{number}版を公開 / published as version {number}",
        changes=audit_changes(diff_declarations(old_record, new_record)),
    )
    return working


def working_copy(department: m.Department, fiscal_year: int) -> m.Declaration | None:
    return queries.declarations(fiscal_year, department.name, stage=queries.WORKING).first()


def start_revision(user, published: m.Declaration) -> m.Declaration:
    """A working copy of a published declaration (or the one already being edited)."""
    permissions.require(user, Action.EDIT, published.department)
    existing = working_copy(published.department, published.fiscal_year)
    if existing is not None:
        return existing
    record = queries.to_record(queries.with_children(m.Declaration.objects.filter(pk=published.pk)).get())
    return _create_working(record, "公開版から改訂版を作成 / revision of the published version")


def copy_to_next_year(user, declaration: m.Declaration) -> m.Declaration:
    """Next year's draft from this one: same text, policies and KPI table; no self-evaluations or
    year-end comments, which belong to the year they were written for."""
    permissions.require(user, Action.EDIT, declaration.department)
    year = declaration.fiscal_year + 1
    name = declaration.department.name
    if m.Declaration.objects.filter(department=declaration.department, fiscal_year=year).exists():
        raise SengenError(
            "workflow.next_exists", year=year, year_ja=format_fiscal_year(year), department=name
        )
    record = queries.to_record(queries.with_children(m.Declaration.objects.filter(pk=declaration.pk)).get())
    record = record.model_copy(
        update={
            "fiscal_year": year,
            "policies": [p.model_copy(update={"evaluations": []}) for p in record.policies],
            "indicators": [i.model_copy(update={"comment": None}) for i in record.indicators],
        }
    )
    return _create_working(
        record, f"{declaration.fiscal_year}年度から作成 / copied from FY{declaration.fiscal_year}"
    )


def _create_working(record, source: str) -> m.Declaration:
    with transaction.atomic():
        load([Document(declarations=[record])], source=source, stage=queries.WORKING)
        created = queries.declarations(record.fiscal_year, record.department, stage=queries.WORKING).get()
        _event(created, WorkflowAction.CREATE, "", source)
    return created
