"""sengen createadmin --username NAME [--email E]: a planning-office administrator (全庁管理者).

The user gets the Django admin (is_staff, is_superuser) and the city-wide ``admin`` role of the
workspace. An existing user is promoted; their password changes only when SENGEN_ADMIN_PASSWORD is
set. The password comes from SENGEN_ADMIN_PASSWORD (for scripted installs) or is typed twice at the
terminal, never from the command line, where other users of the machine could read it.
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from sengen.commandbase import SengenCommand
from sengen.core.messages import Location, Problem, register
from sengen.core.messages import render as message_text
from sengen.workspace.models import Membership, Role

ENV = "SENGEN_ADMIN_PASSWORD"

register(
    {
        "createadmin.no_password": (
            "パスワードがありません。環境変数 SENGEN_ADMIN_PASSWORD に設定して実行するか、"
            "端末から実行して入力してください。",
            "No password given. Set the SENGEN_ADMIN_PASSWORD environment variable, or run the "
            "command at a terminal and type it.",
        ),
        "createadmin.mismatch": (
            "2回入力したパスワードが一致しません。もう一度実行してください。",
            "The two passwords typed differ. Run the command again.",
        ),
        "createadmin.weak_password": (
            "このパスワードは使えません: {reason}",
            "This password cannot be used: {reason}",
        ),
        "createadmin.bad_username": (
            "利用者名「{username}」は使えません: {reason}",
            "The user name \u201c{username}\u201d cannot be used: {reason}",
        ),
        "createadmin.created": (
            "全庁管理者「{username}」を作成しました。/admin/ と /workspace/ にサインインできます。",
            "Created the administrator \u201c{username}\u201d; they can sign in at /admin/ and /workspace/.",
        ),
        "createadmin.promoted": (
            "利用者「{username}」を全庁管理者にしました{password_ja}。",
            "Made \u201c{username}\u201d an administrator{password_en}.",
        ),
    }
)


class Command(SengenCommand):
    help = (
        "全庁管理者（管理画面とすべての部の編集・公開）を作成します。パスワードは環境変数 "
        "SENGEN_ADMIN_PASSWORD か端末での入力で指定します。 / Create a planning-office administrator "
        "(admin site, every department); the password comes from SENGEN_ADMIN_PASSWORD or is typed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", required=True, help="利用者名 / user name")
        parser.add_argument("--email", default="", help="メールアドレス / e-mail address")

    def problem(self, code: str, where: str = "sengen createadmin", **params: object) -> Problem:
        return Problem(code, params, Location(where))

    def handle(self, *args: Any, username: str, email: str, **options: Any) -> None:
        self.require_migrated()
        users = get_user_model()
        username = username.strip()
        self.check_username(users, username)
        existing = users.objects.filter(**{users.USERNAME_FIELD: username}).first()
        password = os.environ.get(ENV) or None
        if password is None and existing is None:
            password = self.ask_password()
        user = existing or users(**{users.USERNAME_FIELD: username})
        if email:
            user.email = email
        if password is not None:
            self.check_password(password, user, where=ENV if os.environ.get(ENV) else "sengen createadmin")
        with transaction.atomic():
            user.is_staff = user.is_superuser = user.is_active = True
            if password is not None:
                user.set_password(password)
            user.save()
            Membership.objects.get_or_create(user=user, role=Role.ADMIN, department=None)
        if existing is None:
            self.stdout.write(message_text("createadmin.created", {"username": username}, self.lang))
        else:
            changed = password is not None
            params = {
                "username": username,
                "password_ja": "（パスワードも変更しました）" if changed else "（パスワードはそのままです）",
                "password_en": " and changed their password" if changed else " (password unchanged)",
            }
            self.stdout.write(message_text("createadmin.promoted", params, self.lang))

    def check_username(self, users, username: str) -> None:
        field = users._meta.get_field(users.USERNAME_FIELD)
        reasons = _reasons(lambda: field.clean(username, None), self.lang)
        if reasons:
            self.refuse(
                [self.problem("createadmin.bad_username", username=username, reason=r) for r in reasons]
            )

    def ask_password(self) -> str:
        if not sys.stdin.isatty():
            self.refuse([self.problem("createadmin.no_password")])
        prompt, again = ("パスワード: ", "もう一度: ") if self.lang == "ja" else ("Password: ", "Again: ")
        first = getpass.getpass(prompt)
        if not first:
            self.refuse([self.problem("createadmin.no_password")])
        if getpass.getpass(again) != first:
            self.refuse([self.problem("createadmin.mismatch")])
        return first

    def check_password(self, password: str, user, where: str) -> None:
        """Django's password validators (settings.AUTH_PASSWORD_VALIDATORS), in the user's language."""
        reasons = _reasons(lambda: validate_password(password, user=user), self.lang)
        if reasons:
            self.refuse([self.problem("createadmin.weak_password", where, reason=r) for r in reasons])


def _reasons(check, lang: str) -> list[str]:
    """The messages of the ValidationError ``check`` raises, rendered in ``lang`` (none if it passes)."""
    with translation.override(lang):
        try:
            check()
        except ValidationError as exc:
            return [str(message) for message in exc.messages]
    return []
