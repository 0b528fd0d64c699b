"""A target revised in the workspace reaches the public indicator page when, and only when, the
declaration that carries it is published."""

from __future__ import annotations

import pytest

from sengen.catalog import queries
from sengen.workspace import workflow
from sengen.workspace.models import Role
from tests.workspace.conftest import CITIZENS, client_for, make_user

pytestmark = pytest.mark.django_db

PAGE = "/indicators/17-101/くらし安心メール登録者数/"


@pytest.fixture
def demo(db) -> None:
    from sengen.catalog.loader import load
    from sengen.ingest import read_bytes
    from sengen.portal.management.commands.demo import demo_files

    load([read_bytes(data, name).document for name, data in demo_files()])


def test_a_target_revision_is_public_only_once_published(client, demo) -> None:
    admin = make_user("kikaku", Role.ADMIN, is_staff=True)
    editor, approver = make_user("tanto", Role.EDITOR), make_user("bucho", Role.APPROVER)
    draft = workflow.start_revision(editor, queries.declarations(2020, CITIZENS).get())
    row = draft.kpi_rows.get(indicator__project__number="17-101")
    target = row.targets.get()
    revised = client_for(admin).post(
        f"/workspace/2020/{CITIZENS}/indicators/{row.pk}/target/",
        {
            "fiscal_year": "2022",
            "value": "16,500",
            "reason": "計画期間を令和4年度まで延長したため",
            "version": target.version,
        },
    )
    assert revised.status_code == 302

    for step, user in (("submit", editor), ("approve", approver)):
        draft = workflow.take_step(user, draft, step)
        page = client.get(PAGE).content.decode()
        assert "計画期間を令和4年度まで延長したため" not in page, f"not public while {draft.status}"
        assert "目標値は改訂されていません。" in page

    workflow.take_step(admin, draft, "publish")

    page = client.get(PAGE).content.decode()
    assert "目標値の改訂履歴" in page
    assert "15,000人（令和2年度（2020年度））" in page
    assert "平成29年度（2017年度）に設定" in page
    assert "中期戦略事業プラン（平成30年度（2018年度）～令和2年度（2020年度））" in page
    assert "16,500人（令和4年度（2022年度））" in page
    assert "令和2年度（2020年度）に設定" in page
    assert "計画期間を令和4年度まで延長したため" in page


def test_the_english_page_shows_revisions_with_western_years(client, demo) -> None:
    admin = make_user("kikaku", Role.ADMIN, is_staff=True)
    draft = workflow.start_revision(admin, queries.declarations(2020, CITIZENS).get())
    row = draft.kpi_rows.get(indicator__project__number="17-101")
    client_for(admin).post(
        f"/workspace/2020/{CITIZENS}/indicators/{row.pk}/target/",
        {"fiscal_year": "2020", "value": "16,000", "reason": "見直し", "version": row.targets.get().version},
    )
    for step in ("submit", "approve", "publish"):
        draft = workflow.take_step(admin, draft, step)
    page = client.get("/en" + PAGE).content.decode()
    assert "FY2020 (Reiwa 2)" in page and "16,000人" in page and "見直し" in page
