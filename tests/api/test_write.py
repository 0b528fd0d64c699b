"""The staff API: the same roles, workflow and concurrency rules as the workspace's pages, seen
from a program: who may enter a figure or take a step, CSRF on session writes, and 409 when
someone else saved first."""

# Fixtures are imported from the workspace tests; using them as arguments is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from django.test import Client

from sengen.audit.models import AuditEntry
from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.workspace import workflow
from tests.workspace.conftest import CITIZENS, clients, demo, users  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_too]

BASE = f"/api/declarations/2020/{quote(CITIZENS)}"
MAIL = {"project_number": "17-101", "indicator": "くらし安心メール登録者数"}


def post(client: Client, path: str, data: dict, **headers):
    return client.post(path, json.dumps(data), content_type="application/json", headers=headers)


def put(client: Client, path: str, data: dict, **headers):
    return client.put(path, json.dumps(data), content_type="application/json", headers=headers)


@pytest.fixture
def draft(users) -> m.Declaration:
    """A working copy (draft) of the published FY2020 市民生活部 declaration."""
    published = queries.declarations(2020, CITIZENS).get()
    return workflow.start_revision(users["editor"], published)


def observation_id(client: Client, year: int, kind: str) -> tuple[int, int]:
    rows = client.get(f"{BASE}/draft").json()["indicators"]
    mail = next(r for r in rows if r["name"] == MAIL["indicator"])
    found = next(o for o in mail["observations"] if o["fiscal_year"] == year and o["kind"] == kind)
    return found["id"], found["version"]


# --- who may do what ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", 200),
        ("approver", 200),
        ("editor", 200),
        ("viewer", 200),
        ("other_editor", 403),
        ("no_role", 403),
        ("anonymous", 401),
    ],
)
def test_reading_the_draft_needs_a_role_in_the_department(clients, draft, role, expected):
    response = clients[role].get(f"{BASE}/draft")
    assert response.status_code == expected
    assert "Access-Control-Allow-Origin" not in response
    assert response["Cache-Control"] == "private, no-store"
    if expected == 200:
        body = response.json()
        assert body["status"] == "draft"
        assert any(r["name"] == MAIL["indicator"] for r in body["indicators"])
    else:
        assert response.json()["code"] in {"api.forbidden", "api.unauthenticated"}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", 201),
        ("editor", 201),
        ("approver", 403),
        ("viewer", 403),
        ("other_editor", 403),
        ("no_role", 403),
        ("anonymous", 401),
    ],
)
def test_entering_a_figure_needs_the_edit_role(clients, draft, role, expected):
    response = post(
        clients[role], f"{BASE}/observations", {**MAIL, "fiscal_year": 2019, "kind": "actual", "value": 13300}
    )
    assert response.status_code == expected, response.content
    stored = m.Observation.objects.filter(
        declaration_indicator__declaration=draft, fiscal_year=2019, kind="actual"
    ).first()
    assert (stored is not None) == (expected == 201)
    if expected == 201:
        body = response.json()
        assert body["value"] == 13300 and body["text"] == "13,300人" and body["version"] == 1


def test_a_refusal_says_why_in_the_language_asked_for(clients, draft):
    data = {**MAIL, "fiscal_year": 2019, "kind": "actual", "value": 1}
    ja = post(clients["viewer"], f"{BASE}/observations", data).json()
    assert ja["code"] == "api.forbidden"
    assert ja["message"] == ja["messages"]["ja"] and "編集" in ja["message"]
    en = post(clients["viewer"], f"{BASE}/observations?lang=en", data).json()
    assert en["message"] == en["messages"]["en"] and "edit" in en["message"]
    by_header = post(clients["viewer"], f"{BASE}/observations", data, **{"Accept-Language": "en"}).json()
    assert by_header["message"] == en["message"]


@pytest.mark.parametrize(
    ("step", "allowed"),
    [
        ("submit", {"admin", "editor"}),
        ("approve", {"admin", "approver"}),
        ("return", {"admin", "approver"}),
        ("publish", {"admin"}),
    ],
)
def test_each_workflow_step_needs_its_role(clients, draft, step, allowed):
    before = {"submit": "draft", "approve": "submitted", "return": "submitted", "publish": "approved"}[step]
    for role in ("admin", "approver", "editor", "viewer", "other_editor", "no_role", "anonymous"):
        m.Declaration.objects.filter(pk=draft.pk).update(status=before)
        response = post(clients[role], f"{BASE}/steps", {"step": step, "comment": "数値を確認してください"})
        expected = 200 if role in allowed else (401 if role == "anonymous" else 403)
        assert response.status_code == expected, (role, response.content)
        if expected == 200:
            assert response.json()["status"] == workflow.STEPS[step].target
            if step == "publish":
                return  # the working copy is now the published declaration


def test_return_needs_a_comment_and_a_step_the_status_does_not_allow_is_409(clients, draft):
    submitted = post(clients["editor"], f"{BASE}/steps", {"step": "submit"})
    assert submitted.status_code == 200
    assert submitted.json()["allowed_steps"] == []  # the editor can do nothing more now

    no_comment = post(clients["approver"], f"{BASE}/steps", {"step": "return"})
    assert no_comment.status_code == 400
    assert no_comment.json()["errors"][0]["loc"] == ["body", "comment"]

    again = post(clients["editor"], f"{BASE}/steps", {"step": "submit"})
    assert again.status_code == 409
    assert again.json()["code"] == "workflow.wrong_status"

    figure = post(
        clients["editor"], f"{BASE}/observations", {**MAIL, "fiscal_year": 2019, "kind": "actual", "value": 1}
    )
    assert figure.status_code == 409
    assert figure.json()["code"] == "workflow.not_editable"


def test_revise_starts_a_working_copy_and_figures_need_one(clients, users):
    no_draft = post(
        clients["editor"], f"{BASE}/observations", {**MAIL, "fiscal_year": 2019, "kind": "actual", "value": 1}
    )
    assert no_draft.status_code == 409
    assert no_draft.json()["code"] == "api.no_working_copy"

    assert post(clients["viewer"], f"{BASE}/steps", {"step": "revise"}).status_code == 403
    created = post(clients["editor"], f"{BASE}/steps", {"step": "revise"})
    assert created.status_code == 201
    assert created.json()["status"] == "draft" and created.json()["editable"] is True
    assert post(clients["editor"], f"{BASE}/steps", {"step": "revise"}).status_code == 200  # the same one


# --- what a figure may be -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "status", "loc", "code"),
    [
        ({"fiscal_year": 2019, "kind": "actual", "value": "1.5"}, 400, ["body", "value"], "entry.not_whole"),
        (
            {"fiscal_year": 2019, "kind": "actual", "value": "12件"},
            400,
            ["body", "value"],
            "entry.unit_mismatch",
        ),
        (
            {"fiscal_year": 2021, "kind": "actual", "value": 1},
            400,
            ["body", "fiscal_year"],
            "entry.after_declaration",
        ),
        (
            {"fiscal_year": 2019, "kind": "actual", "value": 20000},
            400,
            ["body", "reason"],
            "entry.reason_required",
        ),
        (
            {"fiscal_year": 2019, "kind": "guess", "value": 1},
            422,
            ["body", "data", "kind"],
            "api.invalid_field",
        ),
    ],
)
def test_figures_are_checked_by_the_workspace_rules_with_their_place(clients, draft, data, status, loc, code):
    response = post(clients["editor"], f"{BASE}/observations?lang=en", {**MAIL, **data})
    assert response.status_code == status, response.content
    body = response.json()
    assert body["errors"][0]["loc"] == loc
    assert body["errors"][0]["code"] == code
    assert body["errors"][0]["messages"]["ja"] and body["errors"][0]["messages"]["en"]


def test_a_large_revision_is_accepted_with_its_reason_and_lands_in_the_audit_trail(clients, draft, users):
    data = {
        **MAIL,
        "fiscal_year": 2019,
        "kind": "actual",
        "value": "20,000",
        "reason": "イベントで登録が急増",
    }
    response = post(clients["editor"], f"{BASE}/observations", data)
    assert response.status_code == 201
    entry = AuditEntry.objects.filter(
        model__icontains="observation", object_id=str(response.json()["id"])
    ).get()
    assert entry.actor == users["editor"].get_username()
    assert entry.reason == "イベントで登録が急増"


def test_not_reported_and_annotated_figures(clients, draft):
    dash = post(
        clients["editor"],
        f"{BASE}/observations",
        {**MAIL, "fiscal_year": 2020, "kind": "estimate", "value": None},
    )
    assert dash.status_code == 201
    assert dash.json()["value"] is None and dash.json()["text"] == "—"


def test_an_existing_figure_is_not_overwritten_by_post(clients, draft):
    response = post(
        clients["editor"],
        f"{BASE}/observations",
        {**MAIL, "fiscal_year": 2019, "kind": "estimate", "value": 1},
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "figures.observation_exists"
    assert body["current"]["value"] == 13217
    assert m.Observation.objects.get(pk=body["current"]["id"]).value == 13217


def test_an_unknown_indicator_in_the_table_is_404_at_its_place(clients, draft):
    response = post(
        clients["editor"],
        f"{BASE}/observations",
        {**MAIL, "indicator": "ない指標", "fiscal_year": 2019, "kind": "actual", "value": 1},
    )
    assert response.status_code == 404
    assert response.json()["errors"][0]["loc"] == ["body", "indicator"]


# --- optimistic concurrency -----------------------------------------------------------------------


def test_a_stale_version_is_refused_with_the_current_value(clients, draft, users):
    pk, version = observation_id(clients["editor"], 2019, "estimate")
    first = put(clients["editor"], f"/api/observations/{pk}", {"version": version, "value": 13300})
    assert first.status_code == 200
    assert first.json()["version"] == version + 1

    # A second editor (the admin) saved against the version they read before the first save.
    stale = put(clients["admin"], f"/api/observations/{pk}", {"version": version, "value": 13400})
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "api.conflict"
    assert body["current"]["value"] == 13300 and body["current"]["version"] == version + 1
    assert m.Observation.objects.get(pk=pk).value == 13300  # nothing of the loser was written

    retry = put(clients["admin"], f"/api/observations/{pk}", {"version": version + 1, "value": 13400})
    assert retry.status_code == 200


def test_changing_or_deleting_needs_the_edit_role_on_a_draft(clients, draft):
    pk, version = observation_id(clients["editor"], 2019, "estimate")
    assert (
        put(clients["viewer"], f"/api/observations/{pk}", {"version": version, "value": 1}).status_code == 403
    )
    assert (
        put(clients["other_editor"], f"/api/observations/{pk}", {"version": version, "value": 1}).status_code
        == 403
    )
    assert clients["approver"].delete(f"/api/observations/{pk}?version={version}").status_code == 403
    assert clients["editor"].delete(f"/api/observations/{pk}?version={version + 5}").status_code == 409
    assert clients["editor"].delete(f"/api/observations/{pk}?version={version}").status_code == 204
    assert not m.Observation.objects.filter(pk=pk).exists()
    assert (
        put(clients["editor"], f"/api/observations/{pk}", {"version": version, "value": 1}).status_code == 404
    )


def test_published_figures_cannot_be_changed_through_the_api(clients, draft):
    published = m.Observation.objects.filter(
        declaration_indicator__declaration__status="published",
        declaration_indicator__declaration__fiscal_year=2020,
    ).first()
    response = put(
        clients["editor"], f"/api/observations/{published.pk}", {"version": published.version, "value": 1}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "workflow.not_editable"


# --- CSRF on session writes -----------------------------------------------------------------------


def test_session_writes_need_the_csrf_token(users, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["editor"])
    data = {**MAIL, "fiscal_year": 2019, "kind": "actual", "value": 13300}

    refused = post(client, f"{BASE}/observations", data)
    assert refused.status_code == 403
    assert refused.json()["code"] == "api.csrf_failed"
    assert not m.Observation.objects.filter(
        declaration_indicator__declaration=draft, kind="actual", fiscal_year=2019
    ).exists()

    session = client.get("/api/session").json()
    assert session == {
        "authenticated": True,
        "username": users["editor"].get_username(),
        "csrf_token": session["csrf_token"],
    }
    accepted = post(client, f"{BASE}/observations", data, **{"X-CSRFToken": session["csrf_token"]})
    assert accepted.status_code == 201


# --- end to end -----------------------------------------------------------------------------------


def test_a_published_revision_shows_in_the_public_api(clients, draft):
    public = f"/api/indicators/17-101/{quote(MAIL['indicator'])}/observations"
    before = Client().get(public)
    pk, version = observation_id(clients["editor"], 2019, "estimate")
    assert (
        put(clients["editor"], f"/api/observations/{pk}", {"version": version, "value": 13300}).status_code
        == 200
    )
    for role, step in (("editor", "submit"), ("approver", "approve"), ("admin", "publish")):
        assert post(clients[role], f"{BASE}/steps", {"step": step}).status_code == 200, step

    after = Client().get(public, headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    figures = {
        (o["fiscal_year"], o["kind"], o["declaration"]["fiscal_year"]): o["value"]
        for o in after.json()["observations"]
    }
    assert figures[(2019, "estimate", 2020)] == 13300
