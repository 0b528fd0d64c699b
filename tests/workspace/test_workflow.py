"""The workflow as staff use it through the screens: revise → edit → submit → approve → publish,
returns with their comments, and what the public portal shows meanwhile."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.workspace.models import WorkflowEvent

from .conftest import CITIZENS

pytestmark = pytest.mark.django_db


YEAR = 2020
DETAIL = reverse("workspace:declaration", args=[YEAR, CITIZENS])
STEP = reverse("workspace:step", args=[YEAR, CITIZENS])
EDIT = reverse("workspace:edit_text", args=[YEAR, CITIZENS])
PORTAL = f"/{YEAR}/{CITIZENS}/"
REVISE = reverse("workspace:revise", args=[YEAR, CITIZENS])
NEW_TEXT = "窓口の待ち時間を半分にします。"


def working() -> m.Declaration | None:
    return queries.declarations(YEAR, CITIZENS, stage=queries.WORKING).first()


def start_revision(clients) -> m.Declaration:
    response = clients["editor"].post(reverse("workspace:revise", args=[YEAR, CITIZENS]))
    assert response.status_code == 302
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


def take(client, name: str, comment: str = ""):
    return client.post(STEP, {"name": name, "comment": comment}, follow=True)


def test_full_workflow_publishes_the_edited_text_and_keeps_the_portal_stable(clients):
    draft = start_revision(clients)
    assert draft.status == "draft"
    assert clients["editor"].post(EDIT, text_form(draft, message=NEW_TEXT)).status_code == 302

    # The public keeps reading the published version while the working copy changes.
    assert NEW_TEXT not in clients["anonymous"].get(PORTAL).content.decode()
    assert NEW_TEXT in clients["editor"].get(DETAIL).content.decode()

    page = take(clients["editor"], "submit")
    assert "提出しました" in page.content.decode()
    assert working().status == "submitted"
    # The approver sees it in their to-do list.
    assert DETAIL in clients["approver"].get(reverse("workspace:home")).content.decode()

    take(clients["approver"], "approve", "確認しました")
    assert working().status == "approved"
    assert NEW_TEXT not in clients["anonymous"].get(PORTAL).content.decode()
    home = clients["admin"].get(reverse("workspace:home")).content.decode()
    assert "公開を待っている目標宣言" in home and DETAIL in home

    page = take(clients["admin"], "publish")
    assert "公開しました" in page.content.decode()
    assert working() is None
    assert NEW_TEXT in clients["anonymous"].get(PORTAL).content.decode()
    actions = list(
        WorkflowEvent.objects.filter(department__name=CITIZENS, fiscal_year=YEAR).values_list(
            "action", flat=True
        )
    )
    assert actions == ["create", "submit", "approve", "publish"]
    history = clients["viewer"].get(DETAIL).content.decode()
    assert "確認しました" in history  # the approval comment is part of the history


def test_return_needs_a_comment_and_the_editor_sees_it(clients):
    start_revision(clients)
    take(clients["editor"], "submit")

    page = take(clients["approver"], "return", "   ")
    assert "差し戻す理由" in page.content.decode()
    assert working().status == "submitted"

    page = take(clients["approver"], "return", "数値の出典を書いてください")
    assert "差し戻しました" in page.content.decode()
    assert working().status == "draft"
    home = clients["editor"].get(reverse("workspace:home")).content.decode()
    assert "差し戻されています" in home and "数値の出典を書いてください" in home


def test_steps_are_limited_by_role_and_status(clients):
    start_revision(clients)
    # An editor cannot approve; a viewer cannot submit.
    assert take(clients["editor"], "approve").status_code == 403
    assert take(clients["viewer"], "submit").status_code == 403
    # Publishing a draft is refused with the reason, not an error page.
    page = take(clients["admin"], "publish")
    assert page.status_code == 200
    assert "できません" in page.content.decode()
    assert working().status == "draft"
    assert clients["editor"].get(STEP).status_code == 405
    assert clients["editor"].post(STEP, {"name": "destroy"}).status_code == 400


def test_the_page_offers_only_the_allowed_buttons(clients):
    page = clients["editor"].get(DETAIL).content.decode()
    assert REVISE in page and 'value="submit"' not in page
    start_revision(clients)
    page = clients["editor"].get(DETAIL).content.decode()
    assert 'value="submit"' in page and REVISE not in page
    assert 'value="approve"' not in page
    take(clients["editor"], "submit")
    page = clients["approver"].get(DETAIL).content.decode()
    assert 'value="approve"' in page and 'value="return"' in page
    assert "翌年度の目標宣言を作成" not in page  # approvers do not edit


def test_a_submitted_declaration_cannot_be_edited(clients):
    draft = start_revision(clients)
    take(clients["editor"], "submit")
    assert clients["editor"].get(EDIT).status_code == 409
    response = clients["editor"].post(EDIT, text_form(draft, message=NEW_TEXT))
    assert response.status_code == 409
    assert "編集できません" in response.content.decode()
    assert NEW_TEXT not in working().message


def test_the_published_version_is_not_edited_in_place(clients):
    published = queries.declarations(YEAR, CITIZENS).get()
    response = clients["editor"].post(EDIT, text_form(published, message=NEW_TEXT))
    assert response.status_code == 409
    assert NEW_TEXT not in queries.declarations(YEAR, CITIZENS).get().message


def test_next_year_copy_is_a_draft_without_self_evaluations(clients):
    draft = start_revision(clients)
    policy = draft.policies.order_by("number").first()
    url = reverse("workspace:policy_evaluation", args=[YEAR, CITIZENS, policy.number, "midyear"])
    assert clients["editor"].post(url, {"grade": "B", "comment": "おおむね順調"}).status_code == 302
    assert m.PolicyEvaluation.objects.filter(policy=policy).count() == 1

    response = clients["editor"].post(reverse("workspace:next_year", args=[YEAR, CITIZENS]))
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:declaration", args=[YEAR + 1, CITIZENS])
    created = m.Declaration.objects.get(department__name=CITIZENS, fiscal_year=YEAR + 1)
    assert created.status == "draft"
    assert created.policies.count() == draft.policies.count()
    assert not m.PolicyEvaluation.objects.filter(policy__declaration=created).exists()
    assert clients["editor"].get(response["Location"]).status_code == 200

    # A second copy is refused with a message, and nothing is created.
    page = clients["editor"].post(reverse("workspace:next_year", args=[YEAR, CITIZENS]), follow=True)
    assert "すでにあります" in page.content.decode()
    assert m.Declaration.objects.filter(department__name=CITIZENS, fiscal_year=YEAR + 1).count() == 1
