"""sengen createadmin: a superuser with the city-wide admin role, or a clear refusal (exit 1)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from sengen.audit.models import AuditEntry
from sengen.workspace.models import Membership, Role

STRONG = "sakura-fubuki-2024-kikaku"


def run(*args: str, **options) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("createadmin", *args, stdout=out, stderr=err, **options)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv("SENGEN_ADMIN_PASSWORD", STRONG)
    return STRONG


def test_creates_a_superuser_with_the_admin_role(db, password):
    code, out, _err = run("--username", "kikaku", "--email", "kikaku@example.jp", lang="ja")
    assert code == 0
    assert "全庁管理者「kikaku」を作成しました" in out
    user = get_user_model().objects.get(username="kikaku")
    assert user.is_staff and user.is_superuser and user.is_active
    assert user.email == "kikaku@example.jp"
    assert user.check_password(password)
    assert list(Membership.objects.filter(user=user).values_list("role", "department")) == [
        (Role.ADMIN, None)
    ]
    created = AuditEntry.objects.get(action="create", model="auth.user")
    assert {c["field"]: c["new"] for c in created.changes}["password"] == "********"


def test_promotes_an_existing_user_once(db, password):
    user = get_user_model().objects.create_user("tanto", password="another-long-password-1")
    assert run("--username", "tanto", lang="en")[0] == 0
    code, out, _ = run("--username", "tanto", lang="en")
    assert code == 0 and "administrator" in out
    user.refresh_from_db()
    assert user.is_superuser and user.is_staff
    assert user.check_password(password)
    assert Membership.objects.filter(user=user, role=Role.ADMIN).count() == 1


def test_weak_password_is_refused_and_nothing_written(db, monkeypatch):
    monkeypatch.setenv("SENGEN_ADMIN_PASSWORD", "short")
    code, _out, err = run("--username", "kikaku", lang="ja")
    assert code == 1
    assert "このパスワードは使えません" in err
    assert "短すぎます" in err  # Django's own validator message, in Japanese
    assert "データベースは変更されていません" in err
    assert not get_user_model().objects.filter(username="kikaku").exists()
    assert not Membership.objects.exists()


def test_weak_password_message_in_english(db, monkeypatch):
    monkeypatch.setenv("SENGEN_ADMIN_PASSWORD", "kikaku-kikaku")
    code, _out, err = run("--username", "kikaku-kikaku", lang="en")
    assert code == 1
    assert "This password cannot be used" in err and "too similar" in err


def test_without_password_and_terminal_it_explains(db, monkeypatch):
    monkeypatch.delenv("SENGEN_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _out, err = run("--username", "kikaku", lang="ja")
    assert code == 1
    assert "SENGEN_ADMIN_PASSWORD" in err
    assert not get_user_model().objects.filter(username="kikaku").exists()


def test_password_typed_twice(db, monkeypatch):
    monkeypatch.delenv("SENGEN_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    typed = iter([STRONG, STRONG])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    assert run("--username", "kikaku", lang="ja")[0] == 0
    assert get_user_model().objects.get(username="kikaku").check_password(STRONG)


def test_passwords_that_differ_are_refused(db, monkeypatch):
    monkeypatch.delenv("SENGEN_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    typed = iter([STRONG, STRONG + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    code, _out, err = run("--username", "kikaku", lang="ja")
    assert code == 1 and "一致しません" in err
    assert not get_user_model().objects.exists()


def test_bad_username_is_refused(db, password):
    code, _out, err = run("--username", "kikaku san!", lang="ja")
    assert code == 1 and "利用者名「kikaku san!」は使えません" in err
    assert not get_user_model().objects.exists()
