"""The KPI screens: one row's figures, evaluation and year-end comment; adding a row to the table;
revising a target. Views only check permission, read the form and call workspace.figures."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sengen.catalog import models as m
from sengen.catalog.evaluation import evaluated_document
from sengen.core.figures import Figure, format_figure
from sengen.core.messages import SengenError
from sengen.core.wareki import format_fiscal_year
from sengen.interchange.evaluation import explain
from sengen.portal.charts import indicator_chart
from sengen.portal.language import current_lang
from sengen.workspace import figures, permissions, workflow
from sengen.workspace.editing import Conflict
from sengen.workspace.forms.indicators import (
    AddIndicatorForm,
    CommentForm,
    DeleteForm,
    ObservationEditForm,
    ObservationForm,
    ReviseTargetForm,
)
from sengen.workspace.permissions import Action
from sengen.workspace.views.common import declaration_for, kpi_row_or_404, status_label
from sengen.workspace.views.conflicts import conflict_response

GET_POST = require_http_methods(["GET", "POST"])


def _args(declaration: m.Declaration) -> list:
    return [declaration.fiscal_year, declaration.department.name]


def _row_url(declaration: m.Declaration, row: m.DeclarationIndicator) -> str:
    return reverse("workspace:indicator", args=[*_args(declaration), row.pk])


def _load(request: HttpRequest, fiscal_year: int, department: str, row_id: int):
    declaration = declaration_for(request, fiscal_year, department)
    row = kpi_row_or_404(declaration, row_id)
    row.declaration = declaration  # already loaded with its department and plan
    return declaration, row


def _not_editable(request: HttpRequest, declaration: m.Declaration, back: str) -> HttpResponse | None:
    """None if the user may edit the declaration now. A user without the edit role gets 403
    (PermissionDenied); a declaration that is not a draft sends them back with the reason."""
    try:
        workflow.require_editable(request.user, declaration)
    except SengenError as exc:
        messages.error(request, exc.message(current_lang()))
        return redirect(back)
    return None


def _editable_state(request: HttpRequest, declaration: m.Declaration) -> tuple[bool, str]:
    """(may edit now, why not — only for those who could edit a draft)."""
    if not permissions.can(request.user, Action.EDIT, declaration.department):
        return False, ""
    try:
        workflow.require_editable(request.user, declaration)
    except SengenError as exc:
        return False, exc.message(current_lang())
    return True, ""


def _evaluated(declaration: m.Declaration, row: m.DeclarationIndicator):
    """This row as the portal would evaluate it (sengen/1 record with ``.evaluation``)."""
    document = evaluated_document(m.Declaration.objects.filter(pk=declaration.pk))
    number, name = row.indicator.project.number, row.indicator.name
    return next(
        i for i in document.declarations[0].indicators if i.project.number == number and i.name == name
    )


def _forecast_text(record) -> str:
    """The projected value at the precision the figures were published in, as the chart shows it."""
    forecast = record.evaluation.forecast if record.evaluation else None
    if forecast is None:
        return ""
    published = [o.value for o in record.observations] + [t.value for t in record.targets]
    if record.baseline is not None:
        published.append(record.baseline.value)
    places = max((max(0, -int(v.as_tuple().exponent)) for v in published if v is not None), default=0)
    value = forecast.value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format_figure(Figure(value, record.unit))


def _row_page(
    request: HttpRequest,
    declaration: m.Declaration,
    row: m.DeclarationIndicator,
    form: ObservationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    editable, why_not = _editable_state(request, declaration)
    if editable and form is None:
        form = ObservationForm(row=row)
    record = _evaluated(declaration, row)
    lang = current_lang()
    return render(
        request,
        "workspace/indicator.html",
        {
            "declaration": declaration,
            "status_label": status_label(declaration.status),
            "row": row,
            "owners": row.owners.select_related("section", "unit"),
            "observations": [
                (o, figures.figure_text(o, row.unit))
                for o in row.observations.order_by("fiscal_year", "kind")
            ],
            "targets": [(t, figures.figure_text(t, row.unit)) for t in row.targets.order_by("fiscal_year")],
            "record": record,
            "sentence": explain(record, lang),
            "chart": indicator_chart(record, lang=lang, id_prefix="chart"),
            "forecast": _forecast_text(record),
            "editable": editable,
            "why_not": why_not,
            "can_revise": editable
            and permissions.can(request.user, Action.REVISE_TARGET, declaration.department),
            "form": form if editable else None,
            "declaration_url": reverse("workspace:declaration", args=_args(declaration)),
        },
        status=status,
    )


@login_required
@GET_POST
def row(request: HttpRequest, fiscal_year: int, department: str, row: int) -> HttpResponse:
    declaration, kpi = _load(request, fiscal_year, department, row)
    if request.method == "GET":
        return _row_page(request, declaration, kpi)
    back = _row_url(declaration, kpi)
    if refused := _not_editable(request, declaration, back):
        return refused
    form = ObservationForm(request.POST, row=kpi)
    if not form.is_valid():
        return _row_page(request, declaration, kpi, form, status=400)
    data = form.cleaned_data
    try:
        figures.add_observation(kpi, data["fiscal_year"], data["kind"], data["value"], reason=data["reason"])
    except Conflict as conflict:
        return conflict_response(request, conflict, back)
    messages.success(
        request,
        _("%(year)sの%(kind)sを保存しました。")
        % {"year": format_fiscal_year(data["fiscal_year"], current_lang()), "kind": _kind(data["kind"])},
    )
    return redirect(back)


def _kind(kind: str) -> str:
    return _("実績値") if kind == m.ObservationKind.ACTUAL else _("実績見込値")


@login_required
@GET_POST
def observation_edit(
    request: HttpRequest, fiscal_year: int, department: str, row: int, pk: int
) -> HttpResponse:
    declaration, kpi = _load(request, fiscal_year, department, row)
    observation = get_object_or_404(m.Observation, pk=pk, declaration_indicator=kpi)
    observation.declaration_indicator = kpi
    back = _row_url(declaration, kpi)
    here = reverse("workspace:observation_edit", args=[*_args(declaration), kpi.pk, observation.pk])
    if refused := _not_editable(request, declaration, back):
        return refused
    form = ObservationEditForm(observation=observation)
    delete_form = DeleteForm(initial={"version": observation.version}, prefix="delete")
    status = 200
    if request.method == "POST" and "delete-version" in request.POST:
        delete_form = DeleteForm(request.POST, prefix="delete")
        if delete_form.is_valid():
            try:
                figures.delete_observation(
                    observation,
                    delete_form.cleaned_data["version"],
                    reason=delete_form.cleaned_data["reason"],
                )
            except Conflict as conflict:
                return conflict_response(request, conflict, here)
            messages.success(request, _("値を削除しました。"))
            return redirect(back)
        status = 400
    elif request.method == "POST":
        form = ObservationEditForm(request.POST, observation=observation)
        if form.is_valid():
            data = form.cleaned_data
            try:
                figures.update_observation(observation, data["version"], data["value"], reason=data["reason"])
            except Conflict as conflict:
                return conflict_response(request, conflict, here)
            messages.success(request, _("値を保存しました。"))
            return redirect(back)
        status = 400
    return render(
        request,
        "workspace/observation_form.html",
        {
            "declaration": declaration,
            "row": kpi,
            "observation": observation,
            "kind_label": _kind(observation.kind),
            "shown": figures.figure_text(observation, kpi.unit),
            "form": form,
            "delete_form": delete_form,
            "back": back,
        },
        status=status,
    )


@login_required
@GET_POST
def comment(request: HttpRequest, fiscal_year: int, department: str, row: int) -> HttpResponse:
    declaration, kpi = _load(request, fiscal_year, department, row)
    back = _row_url(declaration, kpi)
    here = reverse("workspace:indicator_comment", args=[*_args(declaration), kpi.pk])
    if refused := _not_editable(request, declaration, back):
        return refused
    status = 200
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                figures.save_comment(kpi, form.cleaned_data["version"], form.cleaned_data["comment"])
            except Conflict as conflict:
                return conflict_response(request, conflict, here)
            messages.success(request, _("達成状況の説明を保存しました。"))
            return redirect(back)
        status = 400
    else:
        form = CommentForm(initial={"comment": kpi.comment or "", "version": kpi.version})
    return render(
        request,
        "workspace/indicator_comment.html",
        {"declaration": declaration, "row": kpi, "form": form, "back": back},
        status=status,
    )


@login_required
@GET_POST
def add(request: HttpRequest, fiscal_year: int, department: str) -> HttpResponse:
    declaration = declaration_for(request, fiscal_year, department)
    back = reverse("workspace:declaration", args=_args(declaration))
    if refused := _not_editable(request, declaration, back):
        return refused
    status = 200
    if request.method == "POST":
        form = AddIndicatorForm(request.POST, declaration=declaration)
        if form.is_valid():
            try:
                created = figures.add_indicator(
                    declaration, form.cleaned_data["indicator"], form.cleaned_data["owner"]
                )
            except Conflict as conflict:
                return conflict_response(request, conflict, back)
            messages.success(request, _("指標を追加しました。値を入力してください。"))
            return redirect(_row_url(declaration, created))
        status = 400
    else:
        form = AddIndicatorForm(declaration=declaration)
    return render(
        request,
        "workspace/indicator_add.html",
        {"declaration": declaration, "form": form, "back": back},
        status=status,
    )


@login_required
@GET_POST
def revise_target(request: HttpRequest, fiscal_year: int, department: str, row: int) -> HttpResponse:
    declaration, kpi = _load(request, fiscal_year, department, row)
    permissions.require(request.user, Action.REVISE_TARGET, declaration.department)
    back = _row_url(declaration, kpi)
    here = reverse("workspace:revise_target", args=[*_args(declaration), kpi.pk])
    if refused := _not_editable(request, declaration, back):
        return refused
    target = figures.revised_target(kpi)
    status = 200
    form = ReviseTargetForm(request.POST if request.method == "POST" else None, row=kpi, target=target)
    if request.method == "POST":
        if form.is_valid():
            try:
                figures.revise_target(
                    kpi, form.cleaned_data["version"], form.change(), revised_by=request.user.get_username()
                )
            except Conflict as conflict:
                return conflict_response(request, conflict, here)
            except SengenError as exc:  # the table changed between the form check and the save
                form.add_error("fiscal_year", exc.message(current_lang()))
            else:
                messages.success(
                    request, _("目標値を改訂しました。目標宣言を公開すると公開ページに載ります。")
                )
                return redirect(back)
        status = 400
    return render(
        request,
        "workspace/revise_target.html",
        {
            "declaration": declaration,
            "row": kpi,
            "target": target,
            "shown": figures.figure_text(target, kpi.unit) if target else "",
            "plan": declaration.plan,
            "form": form,
            "back": back,
        },
        status=status,
    )
