"""Workspace fixtures: the demo declarations (published FY2019/2020 for 市民生活部 and 環境部) and
one signed-in client per role. Users sign in with force_login: django-axes' backend needs a request,
and the sign-in form itself is tested in test_account.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from sengen.catalog import models as m
from sengen.catalog.loader import load
from sengen.ingest import read_bytes
from sengen.workspace.models import Membership, Role

CITIZENS = "市民生活部"
ENVIRONMENT = "環境部"
PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture
def demo(db) -> None:
    from sengen.portal.management.commands.demo import demo_files

    load([read_bytes(data, name).document for name, data in demo_files()])


def make_user(username: str, role: str | None, department: str | None = CITIZENS, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if role is not None:
        dept = m.Department.objects.get(name=department) if role != Role.ADMIN else None
        Membership.objects.create(user=user, role=role, department=dept)
    return user


@pytest.fixture
def users(demo) -> dict[str, object]:
    """One user per role in 市民生活部, the planning office admin, and an editor of 環境部."""
    return {
        "admin": make_user("kikaku", Role.ADMIN, is_staff=True),
        "approver": make_user("bucho", Role.APPROVER),
        "editor": make_user("tanto", Role.EDITOR),
        "viewer": make_user("etsuran", Role.VIEWER),
        "other_editor": make_user("kankyo", Role.EDITOR, ENVIRONMENT),
        "no_role": make_user("shokuin", None),
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clients(users) -> dict[str, Client]:
    """Signed-in clients by role name (see ``users``), plus ``anonymous``."""
    result = {name: client_for(user) for name, user in users.items()}
    result["anonymous"] = Client()
    return result


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every workspace test also runs in the PostgreSQL pass of `make test`: permissions, workflow
    and concurrency must hold on the production database too."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.postgres_too)
