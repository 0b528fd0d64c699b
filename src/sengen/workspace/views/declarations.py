"""The declaration screens: the list, one declaration, its texts and policies, and the workflow buttons.

Views stay thin: who may do what is asked of ``permissions`` (through ``declaration_for``) and
``workflow``; saving goes through ``editing`` so that concurrent saves never overwrite each other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.catalog.evaluation import rules
from sengen.core.messages import SengenError
from sengen.interchange import Document
from sengen.interchange.evaluation import with_evaluations
from sengen.interchange.jsonio import dumps
from sengen.portal.language import current_lang
from sengen.workspace import editing, permissions, workflow
from sengen.workspace.editing import Conflict
from sengen.workspace.forms.declarations import (
    DeclarationTextForm,
    DeleteForm,
    PolicyEvaluationForm,
    PolicyForm,
)
from sengen.workspace.models import WorkflowAction, WorkflowEvent
from sengen.workspace.permissions import Action
from sengen.workspace.views.common import choice_label, declaration_for, status_label
from sengen.workspace.views.conflicts import conflict_response

S = m.DeclarationStatus
STAGES = {m.EvaluationStage.MIDYEAR.value, m.EvaluationStage.YEAREND.value}


def _grade_label(grade: str) -> str:
    text = choice_label(m.Grade(grade).label)
    return text if text.startswith(grade) else f"{grade} {text}"


def _detail_url(declaration: m.Declaration) -> str:
    return reverse("workspace:declaration", args=[declaration.fiscal_year, declaration.department.name])


def _refused(request: HttpRequest, declaration: m.Declaration, exc: SengenError) -> HttpResponse:
    """A change the workflow does not allow now (e.g. editing a submitted draft): 409 with the reason."""
    return render(
        request,
        "workspace/edit_text.html",
        {
            "declaration": declaration,
            "refused": exc.message(current_lang()),
            "back": _detail_url(declaration),
        },
        status=409,
    )


def _editable(request: HttpRequest, fiscal_year: int, department: str):
    """The declaration to edit, or the 409 response saying why it cannot be edited now."""
    declaration = declaration_for(request, fiscal_year, department, Action.EDIT)
    try:
        workflow.require_editable(request.user, declaration)
    except SengenError as exc:
        return declaration, _refused(request, declaration, exc)
    return declaration, None


# -- the list -------------------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    visible = permissions.departments(user, Action.VIEW)
    rows: dict[tuple[int, int], dict] = {}
    found = m.Declaration.objects.filter(department__in=visible).select_related("department")
    for d in found.order_by("-fiscal_year", "department__name"):
        row = rows.setdefault(
            (d.fiscal_year, d.department_id),
            {
                "fiscal_year": d.fiscal_year,
                "department": d.department.name,
                "published": False,
                "working": None,
            },
        )
        if d.is_published:
            row["published"] = True
        else:
            row["working"] = status_label(d.status)
    years: dict[int, list[dict]] = defaultdict(list)
    for row in rows.values():
        years[row["fiscal_year"]].append(row)

    working = queries.declarations(stage=queries.WORKING).select_related("department")
    if permissions.is_admin(user):
        to_approve = working.none()
        to_publish = working.filter(status=S.APPROVED)
        drafts = working.none()
    else:
        to_approve = working.filter(
            status=S.SUBMITTED, department__in=permissions.departments(user, Action.APPROVE)
        )
        to_publish = working.none()
        drafts = working.filter(status=S.DRAFT, department__in=permissions.departments(user, Action.EDIT))
    drafts = list(drafts)
    returned = _last_returns(drafts)
    return render(
        request,
        "workspace/home.html",
        {
            "years": sorted(years.items(), reverse=True),
            "to_approve": list(to_approve),
            "to_publish": list(to_publish),
            "drafts": [(d, returned.get((d.department_id, d.fiscal_year))) for d in drafts],
        },
    )


def _last_returns(drafts: list[m.Declaration]) -> dict[tuple[int, int], WorkflowEvent]:
    """For drafts whose latest workflow step was a return (差戻し): that step, with its comment."""
    if not drafts:
        return {}
    latest: dict[tuple[int, int], WorkflowEvent] = {}
    events = WorkflowEvent.objects.filter(
        department__in={d.department_id for d in drafts}, fiscal_year__in={d.fiscal_year for d in drafts}
    ).order_by("at", "pk")
    for event in events:
        latest[(event.department_id, event.fiscal_year)] = event
    return {key: e for key, e in latest.items() if e.action == WorkflowAction.RETURN}


# -- one declaration ------------------------------------------------------------------------------


@login_required
@require_GET
def detail(request: HttpRequest, fiscal_year: int, department: str) -> HttpResponse:
    shown = declaration_for(request, fiscal_year, department, Action.VIEW)
    user, dept = request.user, shown.department
    declaration = queries.with_children(m.Declaration.objects.filter(pk=shown.pk)).get()
    # Evaluated like the portal's pages, so a KPI row's status reads the same on both.
    evaluated = with_evaluations(Document(declarations=[queries.to_record(declaration)]), rules())
    record = evaluated.declarations[0]
    can_edit = permissions.can(user, Action.EDIT, dept)
    editable = can_edit and declaration.status == S.DRAFT
    policies = []
    for policy in declaration.policies.all():
        by_stage = {e.stage: e for e in policy.evaluations.all()}
        policies.append(
            {
                "policy": policy,
                "evaluations": [
                    {
                        "stage": stage,
                        "label": choice_label(stage.label),
                        "evaluation": by_stage.get(stage.value),
                        "grade": _grade_label(by_stage[stage.value].grade) if stage.value in by_stage else "",
                    }
                    for stage in m.EvaluationStage
                ],
            }
        )
    history = [
        {"event": e, "action": choice_label(e.get_action_display()), "to": status_label(e.to_status)}
        for e in WorkflowEvent.objects.filter(department=dept, fiscal_year=fiscal_year).order_by("at", "pk")
    ]
    next_year = m.Declaration.objects.filter(department=dept, fiscal_year=fiscal_year + 1).exists()
    return render(
        request,
        "workspace/declaration.html",
        {
            "declaration": declaration,
            "record": record,
            "status": status_label(declaration.status),
            "published": declaration.is_published or queries.declarations(fiscal_year, dept.name).exists(),
            "history": history,
            "steps": workflow.allowed_steps(user, declaration),
            "can_edit": can_edit,
            "editable": editable,
            "can_revise": can_edit and declaration.is_published,
            "next_year_exists": next_year,
            "policies": policies,
            "kpi": list(zip(declaration.kpi_rows.all(), record.indicators, strict=True)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_text(request: HttpRequest, fiscal_year: int, department: str) -> HttpResponse:
    declaration, refusal = _editable(request, fiscal_year, department)
    if refusal is not None:
        return refusal
    if request.method == "POST":
        form = DeclarationTextForm(request.POST)
        if form.is_valid():
            try:
                editing.save_versioned(declaration, form.cleaned_data["version"], form.values())
            except Conflict as conflict:
                return conflict_response(request, conflict, request.path)
            messages.success(request, _("部長メッセージなどの文章を保存しました。"))
            return redirect(_detail_url(declaration))
    else:
        form = DeclarationTextForm(initial=DeclarationTextForm.initial_for(declaration))
    return render(
        request,
        "workspace/edit_text.html",
        {"declaration": declaration, "form": form, "back": _detail_url(declaration)},
    )


# -- policies -------------------------------------------------------------------------------------


def _policy_or_404(declaration: m.Declaration, number: int) -> m.Policy:
    try:
        return declaration.policies.get(number=number)
    except m.Policy.DoesNotExist as exc:
        raise Http404("policy not found") from exc


def _order_policies(declaration: m.Declaration) -> None:
    """Keep policies listed in number order. Positions are layout, not content: updated directly,
    so they neither bump versions (no false conflicts for others editing) nor fill the audit trail."""
    for position, (pk, current) in enumerate(
        declaration.policies.order_by("number").values_list("pk", "position"), start=1
    ):
        if current != position:
            m.Policy.objects.filter(pk=pk).update(position=position)


@login_required
@require_http_methods(["GET", "POST"])
def policy_add(request: HttpRequest, fiscal_year: int, department: str) -> HttpResponse:
    declaration, refusal = _editable(request, fiscal_year, department)
    if refusal is not None:
        return refusal
    if request.method == "POST":
        form = PolicyForm(request.POST, declaration=declaration)
        if form.is_valid():
            last = declaration.policies.aggregate(last=Max("position"))["last"] or 0
            policy = m.Policy(declaration=declaration, position=last + 1, **form.values())
            try:
                editing.create_unique(policy)
            except Conflict as conflict:
                return conflict_response(request, conflict, request.path)
            _order_policies(declaration)
            messages.success(request, _("取組方針 %(number)s を追加しました。") % {"number": policy.number})
            return redirect(_detail_url(declaration) + "#policies")
    else:
        following = (declaration.policies.aggregate(last=Max("number"))["last"] or 0) + 1
        form = PolicyForm(declaration=declaration, initial={"number": following})
    return render(
        request,
        "workspace/policy_form.html",
        {"declaration": declaration, "form": form, "back": _detail_url(declaration) + "#policies"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, fiscal_year: int, department: str, number: int) -> HttpResponse:
    declaration, refusal = _editable(request, fiscal_year, department)
    if refusal is not None:
        return refusal
    policy = _policy_or_404(declaration, number)
    if request.method == "POST":
        form = PolicyForm(request.POST, declaration=declaration, policy=policy)
        if form.is_valid():
            try:
                saved = editing.save_versioned(policy, form.cleaned_data["version"] or 0, form.values())
            except Conflict as conflict:
                return conflict_response(request, conflict, request.path)
            except IntegrityError:
                # Someone took the number between the check and the save.
                form.add_error("number", _("この番号の取組方針はすでにあります。別の番号にしてください。"))
            else:
                _order_policies(declaration)
                messages.success(
                    request, _("取組方針 %(number)s を保存しました。") % {"number": saved.number}
                )
                return redirect(_detail_url(declaration) + "#policies")
    else:
        form = PolicyForm(declaration=declaration, policy=policy, initial=PolicyForm.initial_for(policy))
    return render(
        request,
        "workspace/policy_form.html",
        {
            "declaration": declaration,
            "form": form,
            "policy": policy,
            "back": _detail_url(declaration) + "#policies",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_delete(request: HttpRequest, fiscal_year: int, department: str, number: int) -> HttpResponse:
    declaration, refusal = _editable(request, fiscal_year, department)
    if refusal is not None:
        return refusal
    if request.method == "POST":
        form = DeleteForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest("version missing")
        found = declaration.policies.filter(number=number)
        current = found.first()
        # Deletes only the version that was shown: a policy changed since then is not lost unseen.
        deleted, _counts = found.filter(version=form.cleaned_data["version"]).delete()
        if not deleted:
            return conflict_response(request, Conflict(current, {}), _detail_url(declaration) + "#policies")
        messages.success(request, _("取組方針 %(number)s を削除しました。") % {"number": number})
        return redirect(_detail_url(declaration) + "#policies")
    policy = _policy_or_404(declaration, number)
    form = DeleteForm(initial={"version": policy.version})
    return render(
        request, "workspace/policy_delete.html", {"declaration": declaration, "policy": policy, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_evaluation(
    request: HttpRequest, fiscal_year: int, department: str, number: int, stage: str
) -> HttpResponse:
    declaration, refusal = _editable(request, fiscal_year, department)
    if refusal is not None:
        return refusal
    if stage not in STAGES:
        raise Http404("unknown evaluation stage")
    policy = _policy_or_404(declaration, number)
    existing = policy.evaluations.filter(stage=stage).first()
    choices = [(g.value, _grade_label(g.value)) for g in m.Grade]
    if request.method == "POST":
        form = PolicyEvaluationForm(request.POST, grade_choices=choices)
        if form.is_valid():
            try:
                if existing is None:
                    editing.create_unique(m.PolicyEvaluation(policy=policy, stage=stage, **form.values()))
                else:
                    editing.save_versioned(existing, form.cleaned_data["version"] or 0, form.values())
            except Conflict as conflict:
                return conflict_response(request, conflict, request.path)
            messages.success(
                request,
                _("取組方針 %(number)s の%(stage)sを保存しました。")
                % {"number": policy.number, "stage": choice_label(m.EvaluationStage(stage).label)},
            )
            return redirect(_detail_url(declaration) + f"#policy-{policy.number}")
    else:
        initial = (
            {"version": existing.version, "grade": existing.grade, "comment": existing.comment}
            if existing
            else {}
        )
        form = PolicyEvaluationForm(initial=initial, grade_choices=choices)
    return render(
        request,
        "workspace/policy_evaluation.html",
        {
            "declaration": declaration,
            "policy": policy,
            "stage": choice_label(m.EvaluationStage(stage).label),
            "form": form,
            "back": _detail_url(declaration) + f"#policy-{policy.number}",
        },
    )


# -- workflow -------------------------------------------------------------------------------------


def _step_done(name: str) -> str:
    return {
        "submit": _("提出しました。承認者の確認を待っています。"),
        "approve": _("承認しました。全庁管理者が公開します。"),
        "return": _("差し戻しました。担当者にコメントが表示されます。"),
        "publish": _("公開しました。公開ページに反映されています。"),
    }[name]


def _change_state(
    request: HttpRequest, declaration: m.Declaration, change: Callable[[], m.Declaration], done: str
) -> HttpResponse:
    """Run a workflow change (which returns the declaration to show next) and go to that page; a
    refusal is shown on this declaration's page instead of the confirmation."""
    try:
        result = change()
    except SengenError as exc:
        messages.error(request, exc.message(current_lang()))
        return redirect(_detail_url(declaration))
    messages.success(request, done)
    return redirect(_detail_url(result))


@login_required
@require_POST
def step(request: HttpRequest, fiscal_year: int, department: str) -> HttpResponse:
    declaration = declaration_for(request, fiscal_year, department, Action.VIEW)
    name = request.POST.get("name", "")
    if name not in workflow.STEPS:
        return HttpResponseBadRequest("unknown step")
    comment = request.POST.get("comment", "")
    return _change_state(
        request,
        declaration,
        lambda: workflow.take_step(request.user, declaration, name, comment),
        _step_done(name),
    )


@login_required
@require_POST
def revise(request: HttpRequest, fiscal_year: int, department: str) -> HttpResponse:
    declaration = declaration_for(request, fiscal_year, department, Action.EDIT)
    if not declaration.is_published:  # a working copy already exists: the page shows it
        return redirect(_detail_url(declaration))
    return _change_state(
        request,
        declaration,
        lambda: workflow.start_revision(request.user, declaration),
        _("改訂版を作成しました。公開中の内容は、改訂版を公開するまで変わりません。"),
    )


@login_required
@require_POST
def next_year(request: HttpRequest, fiscal_year: int, department: str) -> HttpResponse:
    declaration = declaration_for(request, fiscal_year, department, Action.EDIT)
    return _change_state(
        request,
        declaration,
        lambda: workflow.copy_to_next_year(request.user, declaration),
        _("翌年度の目標宣言を作成しました。自己評価と年度末の説明は引き継いでいません。"),
    )


@login_required
@require_GET
def export_json(request: HttpRequest, fiscal_year: int, department: str) -> HttpResponse:
    declaration = declaration_for(request, fiscal_year, department, Action.VIEW)
    body = dumps(queries.to_document(m.Declaration.objects.filter(pk=declaration.pk)))
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"sengen-{declaration.fiscal_year}-{declaration.department.name}.json"
    )
    return response
