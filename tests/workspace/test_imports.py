"""Importing a file into a department's draft: preview (writes nothing), confirm (writes, audited),
and every refusal (not a draft, another department's file, a bad file, a stale preview)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sengen.audit.models import AuditEntry
from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.interchange import Document
from sengen.interchange.jsonio import dumps
from sengen.workspace import workflow

from .conftest import CITIZENS, ENVIRONMENT

URL = reverse("workspace:import", args=[2020, CITIZENS])
NEW_TITLE = "取込みで変えた方針の題名"


def record(department: str = CITIZENS, year: int = 2020, stage: str = queries.PUBLISHED):
    return queries.to_record(queries.with_children(queries.declarations(year, department, stage=stage)).get())


def changed_file(department: str = CITIZENS, year: int = 2020) -> SimpleUploadedFile:
    declaration = record(department, year)
    policies = [declaration.policies[0].model_copy(update={"title": NEW_TITLE}), *declaration.policies[1:]]
    data = dumps(Document(declarations=[declaration.model_copy(update={"policies": policies})])).encode()
    return SimpleUploadedFile("sengen.json", data, content_type="application/json")


@pytest.fixture
def draft(users) -> m.Declaration:
    return workflow.start_revision(users["editor"], queries.declarations(2020, CITIZENS).get())


def working_titles() -> list[str]:
    return [p.title for p in record(stage=queries.WORKING).policies]


def imports() -> int:
    return AuditEntry.objects.filter(action="import").count()


def token_of(response) -> str:
    found = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert found, "the preview has a confirm form"
    return found.group(1)


def test_form_has_a_labelled_file_input(clients, draft):
    page = clients["editor"].get(URL).content.decode()
    assert '<label for="id_file">' in page
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page


def test_viewer_may_not_import(clients, draft):
    assert clients["viewer"].get(URL).status_code == 403
    assert clients["viewer"].post(URL, {"file": changed_file()}).status_code == 403


def test_preview_shows_the_changes_and_writes_nothing(clients, draft):
    before, audited = working_titles(), imports()
    response = clients["editor"].post(URL, {"file": changed_file()})
    assert response.status_code == 200
    page = response.content.decode()
    assert "policies[1].title" in page
    assert before[0] in page and NEW_TITLE in page
    assert "変更 1件" in page
    assert working_titles() == before
    assert imports() == audited


def test_confirm_writes_and_records_the_import(clients, users, draft):
    client = clients["editor"]
    token = token_of(client.post(URL, {"file": changed_file()}))
    response = client.post(URL, {"token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:declaration", args=[2020, CITIZENS])
    assert working_titles()[0] == NEW_TITLE
    # The published version is untouched until the draft is published.
    assert record().policies[0].title != NEW_TITLE
    entry = AuditEntry.objects.filter(action="import").latest("pk")
    assert (entry.actor, entry.actor_id, entry.via) == ("tanto", users["editor"].pk, "workspace:import")
    assert (entry.department, entry.fiscal_year) == (CITIZENS, 2020)
    assert any(c["field"] == "policies[1].title" and c["new"] == NEW_TITLE for c in entry.changes)
    assert entry.reason == "sengen.json"
    followed = client.get(response["Location"])
    assert followed.status_code == 200


def test_a_confirmation_is_used_once(clients, draft):
    client = clients["editor"]
    token = token_of(client.post(URL, {"file": changed_file()}))
    assert client.post(URL, {"token": token}).status_code == 302
    audited = imports()
    again = client.post(URL, {"token": token})
    assert again.status_code == 400
    assert "もう一度ファイルを選んでください" in again.content.decode()
    assert imports() == audited


def test_unknown_token_is_refused(clients, draft):
    client = clients["editor"]
    token_of(client.post(URL, {"file": changed_file()}))
    assert client.post(URL, {"token": "made-up"}).status_code == 400
    assert working_titles()[0] != NEW_TITLE


def test_confirm_after_someone_else_changed_the_draft_shows_a_new_preview(clients, draft):
    client = clients["editor"]
    token = token_of(client.post(URL, {"file": changed_file()}))
    draft.refresh_from_db()
    draft.head_name = "別の人が変えた名前"
    draft.save()
    audited = imports()
    response = client.post(URL, {"token": token})
    assert response.status_code == 409
    page = response.content.decode()
    assert "確認画面を表示した後に、この目標宣言がほかの操作で変更されました" in page
    assert "別の人が変えた名前" in page  # now part of what the import would change
    assert working_titles()[0] != NEW_TITLE
    assert imports() == audited
    # Confirming the new preview imports.
    assert client.post(URL, {"token": token_of(response)}).status_code == 302
    assert working_titles()[0] == NEW_TITLE


def test_unchanged_file_offers_no_confirmation(clients, draft):
    data = dumps(Document(declarations=[record(stage=queries.WORKING)])).encode()
    response = clients["editor"].post(URL, {"file": SimpleUploadedFile("same.json", data)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "変更なし" in page
    assert 'name="token"' not in page


def test_submitted_declaration_is_refused(clients, users, draft):
    workflow.take_step(users["editor"], draft, "submit")
    client = clients["editor"]
    page = client.get(URL).content.decode()
    assert "編集できません" in page and 'type="file"' not in page
    before = working_titles()
    response = client.post(URL, {"file": changed_file()})
    assert response.status_code == 409
    assert working_titles() == before


def test_published_only_asks_for_a_revision_first(clients, users):
    client = clients["editor"]
    page = client.get(URL).content.decode()
    assert "先に目標宣言の画面で改訂版を作成してください" in page
    response = client.post(URL, {"file": changed_file()})
    assert response.status_code == 409
    assert not queries.declarations(2020, CITIZENS, stage=queries.WORKING).exists()
    assert record().policies[0].title != NEW_TITLE


def test_file_for_another_department_is_refused(clients, draft):
    response = clients["editor"].post(URL, {"file": changed_file(ENVIRONMENT)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "このファイルに含まれる目標宣言は「令和2年度（2020年度） 環境部」です" in page
    assert "sengen_workspace_import" not in clients["editor"].session


def test_file_for_another_year_is_refused(clients, draft):
    response = clients["editor"].post(URL, {"file": changed_file(CITIZENS, 2019)})
    assert response.status_code == 400
    assert "令和元年度" in response.content.decode()


def test_unreadable_file_gets_located_messages(clients, draft):
    bad = SimpleUploadedFile("broken.json", b'{"format": "sengen/1", "declarations": [')
    response = clients["editor"].post(URL, {"file": bad})
    assert response.status_code == 400
    page = response.content.decode()
    assert "このファイルは取り込めません" in page
    assert "broken.json" in page


def test_page_text_file_is_accepted(clients, draft):
    from sengen.portal.management.commands.demo import demo_files

    data = next(d for n, d in demo_files() if n.endswith("2020-citizens-life.txt"))
    response = clients["editor"].post(URL, {"file": SimpleUploadedFile("page.txt", data)})
    assert response.status_code == 200
    assert "変更なし" in response.content.decode()


def test_missing_and_oversized_files_are_refused(clients, draft):
    client = clients["editor"]
    missing = client.post(URL, {})
    assert missing.status_code == 400
    assert "取り込むファイルを選んでください" in missing.content.decode()
    big = SimpleUploadedFile("big.txt", b"x" * (2 * 1024 * 1024 + 1))
    response = client.post(URL, {"file": big})
    assert response.status_code == 400
    assert "ファイルが大きすぎます" in response.content.decode()
