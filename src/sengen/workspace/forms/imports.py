"""The import forms: choose a file (step 1), then confirm what the preview showed (step 2)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sengen.workspace.forms.common import WorkspaceForm

MAX_BYTES = 2 * 1024 * 1024


class UploadForm(WorkspaceForm):
    file = forms.FileField(
        label=_("取り込むファイル"),
        help_text=_(
            "公開ページの本文を保存したテキストファイル（.txt、UTF-8 または Shift_JIS）か、"
            "sengen/1 形式の JSON ファイル（.json）。2 MB まで。"
        ),
        widget=forms.FileInput(attrs={"accept": ".txt,.json,text/plain,application/json"}),
        error_messages={"required": _("取り込むファイルを選んでください。")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _(
                    "ファイルが大きすぎます（%(size)s バイト、上限 2 MB）。目標宣言1件分のファイルを選んでください。"
                ),
                params={"size": f"{upload.size:,}"},
            )
        return upload


class ConfirmForm(WorkspaceForm):
    # Names the upload kept on the server between the preview and this confirmation.
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
