"""Forms of the KPI screens. Each field is checked by the same rules as imports (core.entry, through
workspace.figures); a refusal is shown next to its field in the page's language."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sengen.catalog import models as m
from sengen.core.figures import Figure
from sengen.core.messages import SengenError
from sengen.core.wareki import format_fiscal_year
from sengen.portal.language import current_lang
from sengen.workspace import figures
from sengen.workspace.forms.common import VersionField, WorkspaceForm

VALUE_HELP = _("例: 12,141　約1,850　13 (うち2か所休止)。未報告は「—」。単位は省略できます。")
REASON_HELP = _("実績値が実績見込値と大きく違うときは必須です。変更履歴に残ります。")


def invalid(exc: SengenError) -> forms.ValidationError:
    return forms.ValidationError(exc.message(current_lang()), code=exc.code)


def year_choices(years) -> list[tuple[int, str]]:
    lang = current_lang()
    return [(year, format_fiscal_year(year, lang)) for year in years]


class FigureForm(WorkspaceForm):
    """Shared by new and edited observations: the value and, for a large revision, its reason."""

    value = forms.CharField(label=_("値"), max_length=100, help_text=VALUE_HELP)
    reason = forms.CharField(
        label=_("変更の理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=REASON_HELP
    )

    def __init__(self, *args, row: m.DeclarationIndicator, **kwargs) -> None:
        self.row = row
        super().__init__(*args, **kwargs)

    def clean_value(self) -> Figure:
        try:
            return figures.read_value(self.cleaned_data["value"], self.row)
        except SengenError as exc:
            raise invalid(exc) from exc

    def check_reason(self, fiscal_year: int, kind: str) -> None:
        figure = self.cleaned_data.get("value")
        if figure is None:
            return
        try:
            figures.check_revision_reason(
                self.row, fiscal_year, kind, figure.value, self.cleaned_data.get("reason", "")
            )
        except SengenError as exc:
            self.add_error("reason", invalid(exc))


class ObservationForm(FigureForm):
    """A new observation on the KPI row page."""

    fiscal_year = forms.IntegerField(label=_("年度"), widget=forms.Select)
    kind = forms.ChoiceField(
        label=_("種別"),
        widget=forms.RadioSelect,
        choices=[(m.ObservationKind.ACTUAL, _("実績値")), (m.ObservationKind.ESTIMATE, _("実績見込値"))],
    )
    field_order = ["fiscal_year", "kind", "value", "reason"]

    def __init__(self, *args, row: m.DeclarationIndicator, **kwargs) -> None:
        super().__init__(*args, row=row, **kwargs)
        years = figures.allowed_years(row.declaration)
        self.fields["fiscal_year"].widget.choices = year_choices(reversed(years))
        self.existing: m.Observation | None = None

    def clean_fiscal_year(self) -> int:
        year = self.cleaned_data["fiscal_year"]
        try:
            figures.check_entry_year(self.row.declaration, year)
        except SengenError as exc:
            raise invalid(exc) from exc
        return year

    def clean(self):
        data = super().clean()
        year, kind = data.get("fiscal_year"), data.get("kind")
        if year is None or not kind:
            return data
        # Never overwrite silently: an existing figure is changed through its own form, which
        # carries the version the editor saw.
        self.existing = figures.existing_observation(self.row, year, kind)
        if self.existing is not None:
            self.add_error("fiscal_year", invalid(figures.observation_exists_error(year, kind)))
            return data
        self.check_reason(year, kind)
        return data


class ObservationEditForm(FigureForm):
    version = VersionField()

    def __init__(self, *args, observation: m.Observation, **kwargs) -> None:
        self.observation = observation
        kwargs.setdefault(
            "initial",
            {
                "value": figures.figure_text(observation, observation.declaration_indicator.unit),
                "version": observation.version,
            },
        )
        super().__init__(*args, row=observation.declaration_indicator, **kwargs)

    def clean(self):
        data = super().clean()
        self.check_reason(self.observation.fiscal_year, self.observation.kind)
        return data


class DeleteForm(WorkspaceForm):
    version = VersionField()
    reason = forms.CharField(label=_("削除の理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(WorkspaceForm):
    comment = forms.CharField(
        label=_("達成状況の説明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("年度末の達成状況に添える説明です。公開すると公開ページに載ります。"),
    )
    version = VersionField()


class AddIndicatorForm(WorkspaceForm):
    indicator = forms.ModelChoiceField(
        label=_("事業指標"),
        queryset=m.Indicator.objects.none(),
        help_text=_("同じ中期戦略事業プランの目標宣言に載っている指標のうち、この表にないものです。"),
    )
    owner = forms.ModelChoiceField(
        label=_("所管課"), queryset=m.Section.objects.none(), required=False, empty_label=_("（指定しない）")
    )

    def __init__(self, *args, declaration: m.Declaration, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = figures.addable_indicators(declaration)
        self.fields["indicator"].label_from_instance = lambda i: f"{i.project.number} {i.name}"
        self.fields["owner"].queryset = figures.section_choices(declaration)
        self.fields["owner"].label_from_instance = lambda s: s.name


class ReviseTargetForm(WorkspaceForm):
    fiscal_year = forms.IntegerField(label=_("新しい目標年度"), widget=forms.Select)
    value = forms.CharField(label=_("新しい目標値"), max_length=100, help_text=VALUE_HELP)
    reason = forms.CharField(
        label=_("改訂の理由"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("公開ページの「目標値の改訂履歴」に載ります。"),
        error_messages={"required": _("改訂の理由を入力してください。")},
    )
    version = VersionField(required=False)

    def __init__(self, *args, row: m.DeclarationIndicator, target: m.Target | None, **kwargs) -> None:
        self.row = row
        kwargs.setdefault(
            "initial",
            {
                "fiscal_year": target.fiscal_year if target else None,
                "value": figures.figure_text(target, row.unit) if target else "",
                "version": target.version if target else None,
            },
        )
        super().__init__(*args, **kwargs)
        first = row.declaration.fiscal_year
        last = max(first + 10, target.fiscal_year if target else first)
        self.fields["fiscal_year"].widget.choices = year_choices(range(first, last + 1))

    def clean_value(self) -> Figure:
        try:
            return figures.read_value(self.cleaned_data["value"], self.row)
        except SengenError as exc:
            raise invalid(exc) from exc

    def clean(self):
        data = super().clean()
        year, figure = data.get("fiscal_year"), data.get("value")
        if year is not None and figure is not None:
            try:
                figures.check_new_target(self.row, year, figure)
            except SengenError as exc:
                field = "value" if exc.code == "figures.target_value_required" else "fiscal_year"
                self.add_error(field, invalid(exc))
        return data

    def change(self) -> figures.TargetChange:
        data = self.cleaned_data
        return figures.TargetChange(data["fiscal_year"], data["value"], data["reason"].strip())
