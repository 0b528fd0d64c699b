"""What every workspace form shares."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class WorkspaceForm(forms.Form):
    """Labels without Django's trailing colon, as on the sign-in form (Japanese labels take none)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class VersionField(forms.IntegerField):
    """The version of the row the form was built from (workspace.editing), posted back hidden."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("版"))
        super().__init__(widget=forms.HiddenInput, min_value=0, **kwargs)
