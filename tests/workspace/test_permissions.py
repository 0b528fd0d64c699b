"""The permission matrix, over HTTP: every write view and endpoint × every role.

Allowed roles must get past the permission check (any answer but 403 or the sign-in page: the
state of the declaration may still refuse them, which other tests cover); everyone else gets 403,
and anonymous users the sign-in page. The declaration has a draft working copy, so editing is
possible in principle. A forged POST without a CSRF token is refused for every write endpoint.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client

from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.workspace import workflow

from .conftest import CITIZENS

YEAR = 2020
BASE = f"/workspace/{YEAR}/{quote(CITIZENS)}/"

# role names of the `users` fixture: who may do what in 市民生活部
ROLES = ["anonymous", "no_role", "viewer", "editor", "approver", "admin", "other_editor"]
EDIT = {"editor", "admin"}
APPROVE = {"approver", "admin"}
ADMIN = {"admin"}
VIEW = {"viewer", "editor", "approver", "admin"}


def _row(ids) -> str:
    return f"indicators/{ids['row']}/"


# (name, method, path builder, data, roles allowed)
ENDPOINTS = [
    ("edit_text", "post", lambda i: "edit/", {"head_title": "市民生活部長", "version": "1"}, EDIT),
    ("submit", "post", lambda i: "step/", {"name": "submit"}, EDIT),
    ("approve", "post", lambda i: "step/", {"name": "approve"}, APPROVE),
    ("return", "post", lambda i: "step/", {"name": "return", "comment": "直してください"}, APPROVE),
    ("publish", "post", lambda i: "step/", {"name": "publish"}, ADMIN),
    ("revise", "post", lambda i: "revise/", {}, EDIT),
    ("next_year", "post", lambda i: "next-year/", {}, EDIT),
    ("policy_add", "post", lambda i: "policies/add/", {"number": "9", "title": "t", "body": "b"}, EDIT),
    ("policy_edit", "post", lambda i: "policies/1/", {"number": "1", "title": "t", "body": "b"}, EDIT),
    ("policy_delete", "post", lambda i: "policies/1/delete/", {"version": "1"}, EDIT),
    ("policy_evaluation", "post", lambda i: "policies/1/evaluation/yearend/", {"grade": "A"}, EDIT),
    ("import", "post", lambda i: "import/", {}, EDIT),
    ("indicator_add", "post", lambda i: "indicators/add/", {}, EDIT),
    ("indicator_entry", "post", _row, {"fiscal_year": "2020", "kind": "actual", "value": "1"}, EDIT),
    (
        "observation_edit",
        "post",
        lambda i: f"indicators/{i['row']}/observations/{i['observation']}/",
        {"value": "1", "version": "1"},
        EDIT,
    ),
    ("indicator_comment", "post", lambda i: f"indicators/{i['row']}/comment/", {"comment": "c"}, EDIT),
    ("revise_target", "post", lambda i: f"indicators/{i['row']}/target/", {"value": "1"}, ADMIN),
    ("export_json", "get", lambda i: "export.json", {}, VIEW),
    ("declaration_page", "get", lambda i: "", {}, VIEW),
]


@pytest.fixture
def draft(users):
    """A draft working copy of FY2020 市民生活部, and the ids the URLs need."""
    published = queries.declarations(YEAR, CITIZENS).get()
    working = workflow.start_revision(users["editor"], published)
    row = working.kpi_rows.order_by("position").first()
    return {"row": row.pk, "observation": row.observations.order_by("position").first().pk}


def _request(client: Client, method: str, url: str, data: dict):
    return client.post(url, data) if method == "post" else client.get(url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "path", "data", "allowed"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS]
)
def test_permission_matrix(clients, draft, role, name, method, path, data, allowed) -> None:
    response = _request(clients[role], method, BASE + path(draft), data)
    if role == "anonymous":
        assert response.status_code == 302, name
        assert response["Location"].startswith("/workspace/login/"), response["Location"]
    elif role in allowed:
        assert response.status_code != 403, f"{role} should be allowed to {name}"
        assert not response.get("Location", "").startswith("/workspace/login/")
    else:
        assert response.status_code == 403, f"{role} must not {name}: got {response.status_code}"


@pytest.mark.parametrize(
    ("name", "method", "path", "data", "allowed"),
    [e for e in ENDPOINTS if e[1] == "post"],
    ids=[e[0] for e in ENDPOINTS if e[1] == "post"],
)
def test_forged_post_without_csrf_token_is_refused(users, draft, name, method, path, data, allowed) -> None:
    forger = Client(enforce_csrf_checks=True)
    forger.force_login(users["admin"])
    before = m.Declaration.objects.order_by("pk").values_list("pk", "status", "version")
    before = list(before)
    response = forger.post(BASE + path(draft), data)
    assert response.status_code == 403
    assert list(m.Declaration.objects.order_by("pk").values_list("pk", "status", "version")) == before


def test_an_editor_of_another_department_cannot_see_the_draft(clients, draft) -> None:
    page = clients["other_editor"].get(BASE)
    assert page.status_code == 403
    assert "交通防犯" not in page.content.decode()


def test_the_workspace_home_lists_only_the_users_departments(clients, draft) -> None:
    html = clients["other_editor"].get("/workspace/").content.decode()
    assert "環境部" in html
    assert CITIZENS not in html
