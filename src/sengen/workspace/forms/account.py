"""The sign-in form: Django's, with the workspace's labels and the browser's password-manager hints."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        # One message for a wrong name and a wrong password alike: the page never tells which
        # accounts exist.
        "invalid_login": _(
            "利用者名またはパスワードが違います。大文字・小文字の区別に注意して、もう一度入力してください。"
        ),
        "inactive": _("このアカウントは使えません。全庁管理者（経営企画課）に問い合わせてください。"),
    }

    def __init__(self, request=None, *args, **kwargs) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("利用者名")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].label = _("パスワード")
        self.fields["password"].widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})
