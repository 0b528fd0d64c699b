"""Staff endpoints: read the working copy, enter figures, move the workflow.

Signed-in staff only, through their Django session (the workspace's sign-in) with the CSRF token
on every write (ninja's ``django_auth``). Who may do what is decided only by the workspace's own
rules, exactly as its pages use them: :mod:`sengen.workspace.permissions` (roles per
department), :mod:`sengen.workspace.workflow` (what the status allows) and
:mod:`sengen.workspace.figures` / :mod:`sengen.workspace.editing` (what a figure may be; a save
against a version someone else has replaced is refused with 409 and the value as it is now).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from ninja import Path, Query, Router, Status
from ninja.security import django_auth

from sengen.api.schemas import (
    ApiError,
    CurrentValue,
    DeclarationState,
    Error,
    ObservationIn,
    ObservationOut,
    ObservationUpdate,
    Row,
    Session,
    StepIn,
    WorkingCopy,
    year_ja,
)
from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.core.figures import Figure
from sengen.core.messages import SengenError
from sengen.interchange import models as rec
from sengen.interchange.jsonio import number_text
from sengen.workspace import figures, permissions, workflow
from sengen.workspace.editing import Conflict
from sengen.workspace.permissions import Action

router = Router(tags=["職員 / staff"], auth=django_auth)

NO_NUL = r"^[^\x00]+$"
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}
PRIVATE = "private, no-store"


# --- finding what a URL names (403 before 404, so drafts' existence never leaks) -------------------


def _department(user, name: str) -> m.Department:
    department = m.Department.objects.filter(name=name).first()
    if department is None:
        if permissions.is_admin(user):
            raise ApiError(404, "api.department_not_found", {"department": name})
        permissions.require(user, Action.VIEW)  # anyone else: 403, as for a department they lack
    permissions.require(user, Action.VIEW, department)
    return department


def _working(user, year: int, name: str) -> m.Declaration:
    department = _department(user, name)
    declaration = workflow.working_copy(department, year)
    if declaration is not None:
        return declaration
    params = {"year": year, "year_ja": year_ja(year), "department": name}
    if queries.declarations(year, name).exists():
        raise ApiError(409, "api.no_working_copy", params)
    raise ApiError(404, "api.declaration_not_found", params)


def _observation(user, pk: int) -> m.Observation:
    observation = (
        m.Observation.objects.select_related(
            "declaration_indicator__declaration__department",
            "declaration_indicator__declaration__plan",
            "declaration_indicator__indicator__project",
        )
        .filter(pk=pk)
        .first()
    )
    if observation is None:
        raise ApiError(404, "api.observation_not_found", {"id": pk})
    permissions.require(user, Action.VIEW, observation.declaration_indicator.declaration.department)
    return observation


# --- shapes ---------------------------------------------------------------------------------------


def _current(observation: m.Observation, unit: str | None) -> dict:
    return {
        "id": observation.pk,
        "version": observation.version,
        "fiscal_year": observation.fiscal_year,
        "kind": observation.kind,
        "value": queries.figure(observation.value),
        "text": figures.figure_text(observation, unit),
    }


def _observation_out(observation: m.Observation, unit: str | None) -> ObservationOut:
    return ObservationOut(
        **_current(observation, unit), qualifier=observation.qualifier, annotation=observation.annotation
    )


def _conflict(conflict: Conflict, unit: str | None) -> ApiError:
    current = conflict.current
    if not isinstance(current, m.Observation):
        return ApiError(409, "api.conflict_deleted")
    return ApiError(
        409, "api.conflict", {"version": current.version}, current=CurrentValue(**_current(current, unit))
    )


def _state(user, declaration: m.Declaration) -> dict:
    try:
        workflow.require_editable(user, declaration)
        editable = True
    except (SengenError, PermissionDenied):
        editable = False
    return {
        "fiscal_year": declaration.fiscal_year,
        "department": declaration.department.name,
        "status": declaration.status,
        "version": declaration.version,
        "allowed_steps": workflow.allowed_steps(user, declaration),
        "editable": editable,
    }


def _figure(value: str | Decimal | None, row: m.DeclarationIndicator) -> Figure:
    """The value as the workspace form would read it: a number's digits, text as typed, null as —."""
    text = "—" if value is None else number_text(value) if isinstance(value, Decimal) else value
    try:
        return figures.read_value(text, row)
    except SengenError as exc:
        raise ApiError.located(400, exc, "body", "value") from exc


def _reason(row: m.DeclarationIndicator, year: int, kind: str, figure: Figure, reason: str) -> None:
    try:
        figures.check_revision_reason(row, year, kind, figure.value, reason)
    except SengenError as exc:
        raise ApiError.located(400, exc, "body", "reason") from exc


# --- endpoints ------------------------------------------------------------------------------------


@router.get(
    "/session",
    auth=None,
    response={200: Session},
    summary="サインイン状態と CSRF トークン / sign-in state and CSRF token",
    description=(
        "書き込みには、職員用ページでサインインしたセッションのクッキーと、ここで得た csrf_token を "
        "X-CSRFToken ヘッダーに付けてください。\n"
        "Writes need the session cookie of a workspace sign-in and this csrf_token in the "
        "X-CSRFToken header."
    ),
)
def session(request: HttpRequest, response: HttpResponse):
    response["Cache-Control"] = PRIVATE
    user = request.user
    return Session(
        authenticated=user.is_authenticated,
        username=user.get_username() if user.is_authenticated else None,
        csrf_token=get_token(request),
    )


@router.get(
    "/declarations/{year}/{department}/draft",
    response={200: WorkingCopy, **ERRORS},
    summary="編集中の目標宣言（値の番号と版付き） / the working copy, with value ids and versions",
)
def draft(
    request: HttpRequest,
    response: HttpResponse,
    year: int = Path(..., ge=1900, le=2200),
    department: str = Path(..., max_length=200, pattern=NO_NUL),
):
    response["Cache-Control"] = PRIVATE
    declaration = _working(request.auth, year, department)
    rows = declaration.kpi_rows.select_related("indicator__project").prefetch_related("observations")
    return WorkingCopy(
        **_state(request.auth, declaration),
        indicators=[
            Row(
                id=row.pk,
                version=row.version,
                project=rec.Project(number=row.indicator.project.number, name=row.project_name),
                name=row.indicator.name,
                unit=row.unit,
                observations=[
                    _observation_out(o, row.unit) for o in sorted(row.observations.all(), key=_order)
                ],
            )
            for row in rows.order_by("position")
        ],
    )


def _order(observation: m.Observation) -> tuple[int, str]:
    return observation.fiscal_year, observation.kind


@router.post(
    "/declarations/{year}/{department}/observations",
    response={201: ObservationOut, **ERRORS},
    summary="値を入力する / enter a figure",
    description=(
        "編集中（作成中）の目標宣言の指標に、実績値または実績見込値を入力します。職員用ページと同じ規則"
        "（単位、整数、年度の範囲、見込値と大きく違う実績値の理由）で確かめます。すでにある値は "
        "PUT /api/observations/{id} で変更します（ここでは 409）。\n"
        "Enter an actual or estimate on the working copy (a draft), checked by the workspace's rules. "
        "A value that exists already is changed with PUT /api/observations/{id} (409 here)."
    ),
)
def add_observation(
    request: HttpRequest,
    response: HttpResponse,
    data: ObservationIn,
    year: int = Path(..., ge=1900, le=2200),
    department: str = Path(..., max_length=200, pattern=NO_NUL),
):
    response["Cache-Control"] = PRIVATE
    user = request.auth
    declaration = _working(user, year, department)
    workflow.require_editable(user, declaration)
    row = (
        declaration.kpi_rows.select_related("indicator__project")
        .filter(indicator__project__number=data.project_number, indicator__name=data.indicator)
        .first()
    )
    if row is None:
        error = SengenError("api.row_not_found", number=data.project_number, name=data.indicator)
        raise ApiError.located(404, error, "body", "indicator")
    row.declaration = declaration
    try:
        figures.check_entry_year(declaration, data.fiscal_year)
    except SengenError as exc:
        raise ApiError.located(400, exc, "body", "fiscal_year") from exc
    figure = _figure(data.value, row)
    existing = figures.existing_observation(row, data.fiscal_year, data.kind)
    if existing is not None:
        error = figures.observation_exists_error(data.fiscal_year, data.kind)
        raise ApiError.located(
            409, error, "body", "fiscal_year", current=CurrentValue(**_current(existing, row.unit))
        )
    _reason(row, data.fiscal_year, data.kind, figure, data.reason)
    try:
        created = figures.add_observation(row, data.fiscal_year, data.kind, figure, reason=data.reason)
    except Conflict as conflict:
        raise _conflict(conflict, row.unit) from conflict
    return Status(201, _observation_out(created, row.unit))


@router.put(
    "/observations/{pk}",
    response={200: ObservationOut, **ERRORS},
    summary="値を変更する / change a figure",
    description=(
        "version には読んだときの版を付けます。その後にほかの人が保存していれば 409 で、current に現在の値と"
        "版を返します。\n"
        "Send the version you read; if someone saved since, 409 with the value and version now in current."
    ),
)
def update_observation(request: HttpRequest, response: HttpResponse, pk: int, data: ObservationUpdate):
    response["Cache-Control"] = PRIVATE
    user = request.auth
    observation = _observation(user, pk)
    row = observation.declaration_indicator
    workflow.require_editable(user, row.declaration)
    figure = _figure(data.value, row)
    _reason(row, observation.fiscal_year, observation.kind, figure, data.reason)
    try:
        saved = figures.update_observation(observation, data.version, figure, reason=data.reason)
    except Conflict as conflict:
        raise _conflict(conflict, row.unit) from conflict
    return _observation_out(saved, row.unit)


@router.delete(
    "/observations/{pk}",
    response={204: None, **ERRORS},
    summary="値を削除する / delete a figure",
)
def delete_observation(
    request: HttpRequest,
    response: HttpResponse,
    pk: int,
    version: int = Query(..., ge=1),
    reason: str = Query("", max_length=2000),
):
    response["Cache-Control"] = PRIVATE
    user = request.auth
    observation = _observation(user, pk)
    row = observation.declaration_indicator
    workflow.require_editable(user, row.declaration)
    try:
        figures.delete_observation(observation, version, reason=reason)
    except Conflict as conflict:
        raise _conflict(conflict, row.unit) from conflict
    return Status(204, None)


@router.post(
    "/declarations/{year}/{department}/steps",
    response={200: DeclarationState, 201: DeclarationState, **ERRORS},
    summary="ワークフローを進める / take a workflow step",
    description=(
        "submit（提出）、approve（承認）、return（差戻し、comment 必須）、publish（公開）、"
        "revise（公開中のものから改訂版を作成、201）。状態に合わない操作は 409 です。\n"
        "submit, approve, return (comment required), publish, or revise (a working copy of the "
        "published declaration, 201). A step the status does not allow gets 409."
    ),
)
def take_step(
    request: HttpRequest,
    response: HttpResponse,
    data: StepIn,
    year: int = Path(..., ge=1900, le=2200),
    department: str = Path(..., max_length=200, pattern=NO_NUL),
):
    response["Cache-Control"] = PRIVATE
    user = request.auth
    if data.step == "revise":
        dept = _department(user, department)
        published = queries.declarations(year, dept.name).first()
        if published is None:
            params = {"year": year, "year_ja": year_ja(year), "department": department}
            raise ApiError(404, "api.declaration_not_found", params)
        existed = workflow.working_copy(dept, year) is not None
        working = workflow.start_revision(user, published)
        return Status(200 if existed else 201, DeclarationState(**_state(user, working)))
    declaration = _working(user, year, department)
    try:
        moved = workflow.take_step(user, declaration, data.step, data.comment)
    except SengenError as exc:
        if exc.code == "workflow.comment_required":
            raise ApiError.located(400, exc, "body", "comment") from exc
        raise
    return Status(200, DeclarationState(**_state(user, moved)))
