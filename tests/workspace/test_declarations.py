"""The declaration screens: list, detail, text and policy editing, self-evaluations, export,
and who may open or change them."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from sengen.audit.models import AuditEntry
from sengen.catalog import models as m
from sengen.catalog import queries

from .conftest import CITIZENS, ENVIRONMENT

pytestmark = pytest.mark.django_db


YEAR = 2020


def url(name: str, *extra, year: int = YEAR, department: str = CITIZENS) -> str:
    return reverse(f"workspace:{name}", args=[year, department, *extra])


def working() -> m.Declaration:
    return queries.declarations(YEAR, CITIZENS, stage=queries.WORKING).get()


@pytest.fixture
def draft(clients) -> m.Declaration:
    """A working copy of the published FY2020 市民生活部 declaration, as an editor starts one."""
    assert clients["editor"].post(url("revise")).status_code == 302
    return working()


def text_form(declaration: m.Declaration, **changes) -> dict:
    data = {
        "head_title": declaration.head_title,
        "head_name": declaration.head_name or "",
        "message": "\n\n".join(declaration.message),
        "roles": "\n".join(declaration.roles),
        "notes": "\n".join(declaration.notes),
        "version": declaration.version,
    }
    data.update(changes)
    return data


def test_home_lists_what_the_user_may_view_newest_year_first(clients):
    page = clients["viewer"].get(reverse("workspace:home")).content.decode()
    assert url("declaration") in page and url("declaration", year=2019) in page
    assert ENVIRONMENT not in page  # the viewer has no role in 環境部
    assert page.index("令和2年度") < page.index("令和元年度")
    admin = clients["admin"].get(reverse("workspace:home")).content.decode()
    assert CITIZENS in admin and ENVIRONMENT in admin
    nothing = clients["no_role"].get(reverse("workspace:home")).content.decode()
    assert "閲覧できる目標宣言はありません" in nothing


def test_anonymous_users_are_sent_to_sign_in(clients):
    for target in (reverse("workspace:home"), url("declaration"), url("edit_text"), url("export_json")):
        response = clients["anonymous"].get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("workspace:login"))
    assert clients["anonymous"].post(url("step"), {"name": "submit"}).status_code == 302


def test_detail_shows_the_declaration_with_its_kpi_table(clients):
    page = clients["viewer"].get(url("declaration")).content.decode()
    published = queries.declarations(YEAR, CITIZENS).get()
    assert published.message[0] in page
    assert "公開中" in page
    assert reverse("portal:declaration", args=[YEAR, CITIZENS]) in page
    row = published.kpi_rows.order_by("position").first()
    assert url("indicator", row.pk) in page
    assert "達成状況" in page
    assert f"{reverse('workspace:audit')}?department=" in page
    # A viewer gets no editing buttons.
    assert "改訂版を作成" not in page and url("edit_text") not in page


def test_other_departments_editor_gets_403(clients):
    other = clients["other_editor"]
    assert other.get(url("declaration")).status_code == 403
    assert other.get(url("export_json")).status_code == 403
    assert other.post(url("revise")).status_code == 403
    assert other.post(url("next_year")).status_code == 403
    assert other.get(url("edit_text")).status_code == 403
    assert other.get(url("declaration", department=ENVIRONMENT)).status_code == 200


def test_viewer_can_read_but_not_edit(clients, draft):
    viewer = clients["viewer"]
    assert viewer.get(url("declaration")).status_code == 200
    assert viewer.post(url("edit_text"), text_form(draft, message="変更")).status_code == 403
    assert viewer.post(url("policy_add"), {"number": 9, "title": "新しい方針"}).status_code == 403
    assert viewer.post(url("revise")).status_code == 403
    assert working().message == draft.message


def test_unknown_declaration_or_department_is_404(clients):
    assert clients["admin"].get(url("declaration", year=1999)).status_code == 404
    assert clients["admin"].get(url("declaration", department="存在しない部")).status_code == 404


def test_edit_text_saves_and_records_who_did_it(clients, draft):
    editor = clients["editor"]
    form = editor.get(url("edit_text")).content.decode()
    assert 'name="version"' in form and draft.message[0] in form
    response = editor.post(
        url("edit_text"),
        text_form(
            draft, message="第一段落です。\n\n\n第二段落です。", roles="役割A\n\n役割B\n", head_name=""
        ),
    )
    assert response.status_code == 302 and response["Location"] == url("declaration")
    saved = working()
    assert saved.message == ["第一段落です。", "第二段落です。"]
    assert saved.roles == ["役割A", "役割B"]
    assert saved.head_name is None
    assert saved.version == draft.version + 1
    entry = AuditEntry.objects.get(via="workspace:edit_text", object_id=str(draft.pk))
    assert entry.actor == "tanto"
    assert {c["field"] for c in entry.changes} >= {"message", "roles", "head_name"}
    page = editor.get(url("declaration")).content.decode()
    assert "第二段落です。" in page and "保存しました" in page


def test_edit_text_shows_errors_next_to_the_fields(clients, draft):
    response = clients["editor"].post(url("edit_text"), text_form(draft, head_title=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert "入力を確かめてください" in page
    assert 'aria-invalid="true"' in page and 'id="id_head_title_error"' in page
    assert working().head_title == draft.head_title


def test_two_editors_with_the_same_version_the_second_gets_409(clients, draft, users):
    from .conftest import client_for, make_user

    first, second = clients["editor"], client_for(make_user("tanto2", "editor"))
    assert first.post(url("edit_text"), text_form(draft, message="先に保存した文")).status_code == 302
    response = second.post(url("edit_text"), text_form(draft, message="後から保存した文"))
    assert response.status_code == 409
    assert "後から保存した文" in response.content.decode()  # shown to compare, not saved
    assert working().message == ["先に保存した文"]


def test_csrf_token_is_required(users, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["editor"])
    response = client.post(url("edit_text"), text_form(draft, message="トークンなし"))
    assert response.status_code == 403
    assert working().message == draft.message


def test_policies_can_be_added_edited_and_deleted(clients, draft):
    editor = clients["editor"]
    count = draft.policies.count()
    taken = draft.policies.order_by("number").first().number
    response = editor.post(url("policy_add"), {"number": taken, "title": "重複", "body": ""})
    assert response.status_code == 200
    assert (
        "すでにあります" in response.content.decode() and 'id="id_number_error"' in response.content.decode()
    )
    assert draft.policies.count() == count

    assert (
        editor.post(url("policy_add"), {"number": 9, "title": "新しい方針", "body": "本文"}).status_code
        == 302
    )
    policy = draft.policies.get(number=9)
    assert policy.title == "新しい方針"
    assert "新しい方針" in editor.get(url("declaration")).content.decode()

    edit = url("policy_edit", 9)
    assert editor.get(edit).status_code == 200
    data = {"number": 6, "title": "見出しを変更", "body": "本文", "version": policy.version}
    assert editor.post(edit, data).status_code == 302
    policy.refresh_from_db()
    assert (policy.number, policy.title) == (6, "見出しを変更")
    # The stale form (old version) is a conflict, not an overwrite.
    assert editor.post(url("policy_edit", 6), {**data, "title": "古い版から"}).status_code == 409

    delete = url("policy_delete", 6)
    page = editor.get(delete).content.decode()
    assert "見出しを変更" in page
    assert editor.post(delete, {"version": policy.version - 1}).status_code == 409
    assert draft.policies.filter(number=6).exists()
    assert editor.post(delete, {"version": policy.version}).status_code == 302
    assert not draft.policies.filter(number=6).exists()
    assert AuditEntry.objects.filter(via="workspace:policy_delete", action="delete", actor="tanto").exists()
    assert editor.get(url("policy_edit", 6)).status_code == 404


def test_policy_self_evaluations(clients, draft):
    editor = clients["editor"]
    policy = draft.policies.order_by("number").first()
    midyear = url("policy_evaluation", policy.number, "midyear")
    form = editor.get(midyear).content.decode()
    assert "<fieldset" in form and "<legend" in form and 'type="radio"' in form
    assert editor.get(url("policy_evaluation", policy.number, "someday")).status_code == 404

    assert editor.post(midyear, {"grade": "E"}).status_code == 200  # not a grade
    assert editor.post(midyear, {"grade": "B", "comment": "順調に進んでいます"}).status_code == 302
    evaluation = m.PolicyEvaluation.objects.get(policy=policy, stage="midyear")
    assert evaluation.grade == "B"
    data = {"grade": "A", "comment": "達成", "version": evaluation.version}
    assert editor.post(midyear, data).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.grade == "A"
    assert editor.post(midyear, data).status_code == 409  # the version shown is stale now
    page = editor.get(url("declaration")).content.decode()
    assert "A 達成" in page and "年度末評価" in page


def test_export_json_downloads_the_working_copy(clients, draft):
    clients["editor"].post(url("edit_text"), text_form(draft, message="書き出す文"))
    response = clients["viewer"].get(url("export_json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''sengen-2020-")
    document = json.loads(response.content)
    assert document["format"] == "sengen/1"
    [record] = document["declarations"]
    assert (record["fiscal_year"], record["department"], record["message"]) == (
        YEAR,
        CITIZENS,
        ["書き出す文"],
    )
