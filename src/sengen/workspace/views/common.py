"""What every workspace view shares: finding the declaration a URL names, with permission, and
showing the bilingual labels of choices in the page's language."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.core.text import label_part
from sengen.portal.language import current_lang
from sengen.workspace import permissions
from sengen.workspace.permissions import Action
from sengen.workspace.workflow import working_copy


def choice_label(label: object) -> str:
    """The half of a bilingual choice label ("作成中 / draft") in the page's language."""
    return label_part(label, current_lang())


def status_label(status: str) -> str:
    """A declaration's status (作成中, 提出済み …) in the page's language."""
    return choice_label(m.DeclarationStatus(status).label)


def department_or_404(name: str) -> m.Department:
    try:
        return m.Department.objects.get(name=name)
    except m.Department.DoesNotExist as exc:
        raise Http404("department not found") from exc


def declaration_for(
    request: HttpRequest, fiscal_year: int, department: str, action: Action = Action.VIEW
) -> m.Declaration:
    """The declaration staff work on at /workspace/<year>/<department>/: its working copy if there
    is one, otherwise the published one. 403 before 404, so drafts' existence never leaks."""
    dept = department_or_404(department)
    permissions.require(request.user, action, dept)
    found = working_copy(dept, fiscal_year) or queries.declarations(fiscal_year, dept.name).first()
    if found is None:
        raise Http404("declaration not found")
    return found


def kpi_row_or_404(declaration: m.Declaration, row_id: int) -> m.DeclarationIndicator:
    try:
        return declaration.kpi_rows.select_related("indicator__project").get(pk=row_id)
    except m.DeclarationIndicator.DoesNotExist as exc:
        raise Http404("indicator row not found") from exc
