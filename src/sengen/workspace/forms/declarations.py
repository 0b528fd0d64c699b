"""Forms of the declaration screens: the texts, the policies and their self-evaluations.

Each form carries the ``version`` of the row it was filled from (hidden), so a save made on top of
someone else's is refused (workspace.editing) instead of silently overwriting it.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sengen.catalog import models as m
from sengen.workspace.forms.common import VersionField, WorkspaceForm


def _paragraphs(text: str) -> list[str]:
    """Paragraphs separated by a blank line; lines inside a paragraph are kept."""
    blocks, current = [], []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return blocks


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


class DeclarationTextForm(WorkspaceForm):
    head_title = forms.CharField(label=_("部長の職名"), max_length=200)
    head_name = forms.CharField(label=_("部長の氏名"), max_length=200, required=False)
    message = forms.CharField(
        label=_("部長メッセージ"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("段落と段落の間は空行で区切ってください。"),
    )
    roles = forms.CharField(
        label=_("部等の主な役割"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("1行に1項目を書いてください。"),
    )
    notes = forms.CharField(
        label=_("注記"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("1行に1項目を書いてください。"),
    )
    version = VersionField()

    @classmethod
    def initial_for(cls, declaration: m.Declaration) -> dict:
        return {
            "head_title": declaration.head_title,
            "head_name": declaration.head_name or "",
            "message": "\n\n".join(declaration.message),
            "roles": "\n".join(declaration.roles),
            "notes": "\n".join(declaration.notes),
            "version": declaration.version,
        }

    def values(self) -> dict:
        """The model fields to save, as the declaration stores them."""
        data = self.cleaned_data
        return {
            "head_title": data["head_title"].strip(),
            "head_name": data["head_name"].strip() or None,
            "message": _paragraphs(data["message"]),
            "roles": _lines(data["roles"]),
            "notes": _lines(data["notes"]),
        }


class PolicyForm(WorkspaceForm):
    number = forms.IntegerField(label=_("番号"), min_value=1, max_value=999)
    title = forms.CharField(label=_("見出し"), help_text=_("【】の中の言葉です。"))
    body = forms.CharField(label=_("本文"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    version = VersionField(required=False)

    def __init__(self, *args, declaration: m.Declaration, policy: m.Policy | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.declaration = declaration
        self.policy = policy

    @classmethod
    def initial_for(cls, policy: m.Policy) -> dict:
        return {
            "number": policy.number,
            "title": policy.title,
            "body": policy.body,
            "version": policy.version,
        }

    def clean_number(self) -> int:
        number = self.cleaned_data["number"]
        others = m.Policy.objects.filter(declaration=self.declaration, number=number)
        if self.policy is not None:
            others = others.exclude(pk=self.policy.pk)
        if others.exists():
            raise forms.ValidationError(
                _("番号 %(number)s の取組方針はすでにあります。別の番号にしてください。"),
                code="duplicate",
                params={"number": number},
            )
        return number

    def values(self) -> dict:
        data = self.cleaned_data
        return {"number": data["number"], "title": data["title"].strip(), "body": data["body"].strip()}


class PolicyEvaluationForm(WorkspaceForm):
    grade = forms.ChoiceField(label=_("評価"), widget=forms.RadioSelect)
    comment = forms.CharField(label=_("評価の説明"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    version = VersionField(required=False)

    def __init__(self, *args, grade_choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = grade_choices

    def values(self) -> dict:
        return {"grade": self.cleaned_data["grade"], "comment": self.cleaned_data["comment"].strip()}


class DeleteForm(WorkspaceForm):
    version = VersionField()
