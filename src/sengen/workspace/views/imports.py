"""Importing a file into a department's draft: choose a file, see exactly what would change, confirm.

The uploaded bytes wait in the session between the preview and the confirmation (never on disk),
named by a random token in the confirm form. The confirmation loads the same bytes for real and is
refused if the changes it would make are no longer the ones the preview showed (someone edited the
draft meanwhile). Every refusal writes nothing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.catalog.loader import (
    LoadError,
    LoadReport,
    fiscal_year_label,
    format_value,
    load,
    with_stored_text,
)
from sengen.core.messages import SengenError, register
from sengen.core.messages import render as message_text
from sengen.ingest import read_bytes
from sengen.interchange import Document
from sengen.portal.language import current_lang
from sengen.workspace import permissions, workflow
from sengen.workspace.forms.imports import ConfirmForm, UploadForm
from sengen.workspace.permissions import Action
from sengen.workspace.views.common import declaration_for

register(
    {
        "workspace.import.start_revision": (
            "{year_ja} {department} の目標宣言は公開中の版しかありません。取り込むには、"
            "先に目標宣言の画面で改訂版を作成してください。",
            "The FY{year} {department} declaration has only its published version. To import into "
            "it, first start a revision on the declaration's page.",
        ),
        "workspace.import.wrong_declaration": (
            "このファイルに含まれる目標宣言は「{found}」です。この画面では {year_ja} {department} の"
            "目標宣言1件だけを含むファイルを取り込めます。ほかの部・年度は、その目標宣言の画面から"
            "取り込んでください。",
            "This file holds the declarations \u201c{found}\u201d. This page imports a file holding only "
            "the FY{year} {department} declaration. Import other departments or years from their own "
            "declaration page.",
        ),
        "workspace.import.expired": (
            "取込みの確認画面が古くなりました（別のファイルの確認画面を開いたか、サインインし直しました）。"
            "もう一度ファイルを選んでください。何も取り込んでいません。",
            "This confirmation has expired (another file was previewed since, or you signed in again). "
            "Choose the file again. Nothing was imported.",
        ),
        "workspace.import.changed_since_preview": (
            "確認画面を表示した後に、この目標宣言がほかの操作で変更されました。何も取り込んでいません。"
            "下の変更内容をもう一度確かめてから取り込んでください。",
            "The declaration was changed by someone else after the preview. Nothing was imported. "
            "Check the changes below again, then confirm.",
        ),
        "workspace.import.done": (
            "ファイル「{name}」を {year_ja} {department} の目標宣言に取り込みました（変更 {count}件）。",
            "Imported \u201c{name}\u201d into the FY{year} {department} declaration ({count} changes).",
        ),
    }
)

SESSION_KEY = "sengen_workspace_import"


def _scope(declaration: m.Declaration) -> dict[str, object]:
    year = declaration.fiscal_year
    return {"year": year, "year_ja": fiscal_year_label(year), "department": declaration.department.name}


def _require_importable(user, declaration: m.Declaration) -> None:
    """Imports go into the working copy only, and only while it is a draft."""
    if declaration.status == m.DeclarationStatus.PUBLISHED:
        permissions.require(user, Action.EDIT, declaration.department)
        raise SengenError("workspace.import.start_revision", **_scope(declaration))
    workflow.require_editable(user, declaration)


def _check_contents(document: Document, declaration: m.Declaration) -> None:
    wanted = (declaration.department.name, declaration.fiscal_year)
    found = [(d.department, d.fiscal_year) for d in document.declarations]
    if found != [wanted]:
        names = "、".join(f"{fiscal_year_label(y)} {name}" for name, y in found) or "（なし）"
        raise SengenError("workspace.import.wrong_declaration", found=names, **_scope(declaration))


def _digest(report: LoadReport) -> str:
    """What a load changes, for comparing the preview with the confirmation (whole values, not the
    short summaries the page shows)."""
    summary = [
        [d.status, d.department, d.fiscal_year, [[c.path, repr(c.old), repr(c.new)] for c in d.changes]]
        for d in report.declarations
    ]
    return hashlib.sha256(json.dumps(summary, ensure_ascii=False).encode()).hexdigest()


def _change_count(report: LoadReport) -> int:
    return sum(len(d.changes) for d in report.declarations if d.status != "unchanged")


def _page(request: HttpRequest, declaration: m.Declaration, status: int = 200, **context) -> HttpResponse:
    context.setdefault("form", UploadForm())
    return render(request, "workspace/import.html", {"declaration": declaration, **context}, status=status)


def _preview(
    request: HttpRequest,
    declaration: m.Declaration,
    name: str,
    data: bytes,
    report: LoadReport,
    warnings: list[str],
    status: int = 200,
    notice: str = "",
) -> HttpResponse:
    """The preview page; the bytes are kept in the session under a new token until confirmed."""
    lang = current_lang()
    changed = report.changed
    token = secrets.token_urlsafe(24)
    if changed:
        # One pending import per session: a new preview replaces the last one.
        request.session[SESSION_KEY] = {
            "token": token,
            "name": name,
            "data": base64.b64encode(data).decode("ascii"),
            "department": declaration.department.name,
            "fiscal_year": declaration.fiscal_year,
            "digest": _digest(report),
        }
    else:
        request.session.pop(SESSION_KEY, None)
    items = [
        {
            "label": f"{fiscal_year_label(d.fiscal_year, lang)} {d.department}",
            "status": d.status,
            "lines": [
                {"path": c.path or "—", "old": format_value(c.old, lang), "new": format_value(c.new, lang)}
                for c in d.changes
            ],
        }
        for d in report.declarations
    ]
    return render(
        request,
        "workspace/import_preview.html",
        {
            "declaration": declaration,
            "name": name,
            "items": items,
            "changed": changed,
            "count": _change_count(report),
            "warnings": warnings,
            "notice": notice,
            "confirm": ConfirmForm(initial={"token": token}),
        },
        status=status,
    )


def _read(name: str, data: bytes, declaration: m.Declaration) -> tuple[Document | None, list[str], list[str]]:
    """The document, its warnings and its errors (located), as text in the page's language."""
    lang = current_lang()
    result = read_bytes(data, name)
    warnings = [p.render(lang) for p in result.problems if p.severity != "error"]
    if not result.ok or result.document is None:
        return None, warnings, [p.render(lang) for p in result.problems if p.severity == "error"]
    try:
        _check_contents(result.document, declaration)
    except SengenError as exc:
        return None, warnings, [exc.message(lang)]
    document = with_stored_text(result.document, queries.WORKING) if result.kpi_only else result.document
    return document, warnings, []


def _load_problems(exc: LoadError) -> list[str]:
    return [p.render(current_lang()) for p in exc.problems]


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest, fiscal_year: int, department: str) -> HttpResponse:
    declaration = declaration_for(request, fiscal_year, department, Action.EDIT)
    try:
        _require_importable(request.user, declaration)
    except SengenError as exc:
        # The form is not offered: the page says why and where to go instead.
        status = 200 if request.method == "GET" else 409
        return _page(request, declaration, status, blocked=exc.message(current_lang()), form=None)
    if request.method == "GET":
        return _page(request, declaration)
    if "token" in request.POST:
        return _confirm(request, declaration)
    return _upload(request, declaration)


def _upload(request: HttpRequest, declaration: m.Declaration) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, declaration, 400, form=form)
    upload = form.cleaned_data["file"]
    name, data = upload.name, upload.read()
    document, warnings, errors = _read(name, data, declaration)
    if document is None:
        return _page(request, declaration, 400, form=form, errors=errors, warnings=warnings)
    try:
        report = load([document], dry_run=True, source=name, stage=queries.WORKING)
    except LoadError as exc:
        return _page(request, declaration, 400, form=form, errors=_load_problems(exc), warnings=warnings)
    return _preview(request, declaration, name, data, report, warnings)


def _confirm(request: HttpRequest, declaration: m.Declaration) -> HttpResponse:
    lang = current_lang()
    form = ConfirmForm(request.POST)
    pending = request.session.get(SESSION_KEY)
    if (
        not form.is_valid()
        or not isinstance(pending, dict)
        or not secrets.compare_digest(str(pending.get("token", "")), form.cleaned_data["token"])
        or (pending.get("department"), pending.get("fiscal_year"))
        != (declaration.department.name, declaration.fiscal_year)
    ):
        return _page(request, declaration, 400, errors=[message_text("workspace.import.expired", lang=lang)])
    name, data = pending["name"], base64.b64decode(pending["data"])
    document, warnings, errors = _read(name, data, declaration)
    if document is None:  # pragma: no cover - the same bytes passed at the preview
        return _page(request, declaration, 400, errors=errors)
    try:
        with transaction.atomic():
            report = load([document], source=name, stage=queries.WORKING)
            stale = _digest(report) != pending.get("digest")
            if stale:
                # Not what the user saw and confirmed: undo, and show the changes as they are now.
                transaction.set_rollback(True)
        if stale:
            fresh = load([document], dry_run=True, source=name, stage=queries.WORKING)
    except LoadError as exc:
        request.session.pop(SESSION_KEY, None)
        return _page(request, declaration, 400, errors=_load_problems(exc))
    if stale:
        notice = message_text("workspace.import.changed_since_preview", lang=lang)
        return _preview(request, declaration, name, data, fresh, warnings, status=409, notice=notice)
    request.session.pop(SESSION_KEY, None)
    params = {"name": name, "count": _change_count(report), **_scope(declaration)}
    messages.success(request, message_text("workspace.import.done", params, lang))
    return redirect(
        "workspace:declaration", fiscal_year=declaration.fiscal_year, department=declaration.department.name
    )
