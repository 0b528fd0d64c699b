"""The audit trail, as staff browse it: every change, filterable, as a table, a CSV and per record.

Who sees what: the planning office (admins) everything; everyone else the entries of the departments
whose drafts they may read (``Action.VIEW``). Entries without a department (sign-ins, users) are
therefore the admins' alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sengen.audit.models import Action as AuditAction
from sengen.audit.models import AuditEntry
from sengen.core.messages import SengenError
from sengen.core.text import label_part
from sengen.core.wareki import format_fiscal_year
from sengen.portal.language import current_lang
from sengen.workspace import permissions
from sengen.workspace.forms.common import WorkspaceForm

PAGE_SIZE = 50
CSV_HEADER = [
    "日時",
    "利用者",
    "画面・コマンド",
    "操作",
    "記録の種類",
    "記録のID",
    "記録",
    "部",
    "年度",
    "項目",
    "変更前",
    "変更後",
    "理由",
]


def visible_entries(user) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.all()
    if permissions.is_admin(user):
        return entries
    names = list(permissions.departments(user, permissions.Action.VIEW).values_list("name", flat=True))
    return entries.filter(department__in=names)


def action_label(code: str, lang: str) -> str:
    try:
        return label_part(AuditAction(code).label, lang)
    except ValueError:
        return code


def model_label(name: str) -> str:
    try:
        return str(apps.get_model(name)._meta.verbose_name)
    except (LookupError, ValueError):
        return name


def year_label(year: int) -> str:
    try:
        return format_fiscal_year(year, current_lang())
    except SengenError:
        return str(year)


class FilterForm(WorkspaceForm):
    """GET filters; every field optional, so an empty form shows everything the user may see."""

    actor = forms.CharField(label=_("利用者"), required=False, max_length=150)
    department = forms.ChoiceField(label=_("部"), required=False)
    fiscal_year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    model = forms.ChoiceField(label=_("記録の種類"), required=False)
    action = forms.ChoiceField(label=_("操作"), required=False)
    date_from = forms.DateField(
        label=_("期間（から）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("期間（まで）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data, *, visible: QuerySet[AuditEntry], user) -> None:
        super().__init__(data)
        lang = current_lang()
        everything = [("", _("すべて"))]
        self.fields["actor"].widget.attrs["autocomplete"] = "off"
        self.fields["department"].choices = everything + [
            (name, name)
            for name in permissions.departments(user, permissions.Action.VIEW).values_list("name", flat=True)
        ]
        years = sorted(
            {y for y in visible.order_by().values_list("fiscal_year", flat=True).distinct() if y is not None}
        )
        self.fields["fiscal_year"].choices = everything + [(y, year_label(y)) for y in reversed(years)]
        models = sorted(set(visible.order_by().values_list("model", flat=True).distinct()))
        self.fields["model"].choices = everything + sorted(
            ((name, model_label(name)) for name in models), key=lambda c: c[1]
        )
        self.fields["action"].choices = everything + [
            (code, action_label(code, lang)) for code in AuditAction.values
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to", _("「期間（まで）」は「期間（から）」と同じ日かそれより後にしてください。")
            )
        return data

    def apply(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        """Narrow ``entries`` by the fields that are valid (an invalid one is shown, not applied)."""
        data = self.cleaned_data if self.is_bound else {}
        if data.get("actor"):
            entries = entries.filter(actor=data["actor"].strip())
        if data.get("department"):
            entries = entries.filter(department=data["department"])
        if data.get("fiscal_year") is not None:
            entries = entries.filter(fiscal_year=data["fiscal_year"])
        if data.get("model"):
            entries = entries.filter(model=data["model"])
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        # Dates are days in Tokyo, as the user reads them on the screen.
        if data.get("date_from"):
            entries = entries.filter(at__gte=_start_of(data["date_from"]))
        if data.get("date_to"):
            entries = entries.filter(at__lt=_start_of(data["date_to"] + dt.timedelta(days=1)))
        return entries


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class Row:
    """One entry with the labels the table shows."""

    entry: AuditEntry
    action: str
    model: str

    @property
    def changes(self) -> list[dict]:
        return [c for c in self.entry.changes if isinstance(c, dict)]


def _rows(entries) -> list[Row]:
    lang = current_lang()
    return [Row(e, action_label(e.action, lang), model_label(e.model)) for e in entries]


def _filtered(request: HttpRequest) -> tuple[FilterForm, QuerySet[AuditEntry]]:
    visible = visible_entries(request.user)
    form = FilterForm(request.GET or None, visible=visible, user=request.user)
    if form.is_bound:
        form.is_valid()
    return form, form.apply(visible)


@login_required
def entries(request: HttpRequest) -> HttpResponse:
    form, found = _filtered(request)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workspace/audit.html",
        {"form": form, "page": page, "rows": _rows(page.object_list), "csv_query": _without_page(request)},
    )


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- CSV ------------------------------------------------------------------------------------------

# A cell Excel would run as a formula (=, +, -, @ first) gets a leading apostrophe; plain numbers
# such as -5 are left as they are, since they are figures, not formulas.
_FORMULA = re.compile(r"^[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    if _FORMULA.match(text) and not _NUMBER.match(text):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(entries: QuerySet[AuditEntry], lang: str) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # The BOM tells Excel the file is UTF-8 (without it, Japanese text opens as mojibake).
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    for entry in entries.iterator(chunk_size=1000):
        common = [
            timezone.localtime(entry.at).isoformat(),
            entry.actor,
            entry.via,
            action_label(entry.action, lang),
            model_label(entry.model),
            entry.object_id,
            entry.object_repr,
            entry.department,
            "" if entry.fiscal_year is None else entry.fiscal_year,
        ]
        changes = [c for c in entry.changes if isinstance(c, dict)] or [{}]
        for change in changes:
            row = [*common, change.get("field"), change.get("old"), change.get("new"), entry.reason]
            yield writer.writerow([_cell(v) for v in row])


@login_required
def entries_csv(request: HttpRequest) -> StreamingHttpResponse:
    _form, found = _filtered(request)
    response = StreamingHttpResponse(
        _csv_lines(found, current_lang()), content_type="text/csv; charset=utf-8"
    )
    name = f"sengen-audit-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- one record's history ------------------------------------------------------------------------


@login_required
def record_history(request: HttpRequest, model: str, object_id: str) -> HttpResponse:
    every = AuditEntry.objects.filter(model=model, object_id=object_id)
    if not every.exists():
        raise Http404("no audit entries for this record")
    shown = list(visible_entries(request.user).filter(model=model, object_id=object_id).order_by("at", "pk"))
    if not shown:
        raise PermissionDenied("audit entries of another department")
    return render(
        request,
        "workspace/audit_record.html",
        {
            "rows": _rows(shown),
            "model": model,
            "model_label": model_label(model),
            "object_id": object_id,
            "title": shown[-1].object_repr or f"{model_label(model)} {object_id}",
        },
    )
