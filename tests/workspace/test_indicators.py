"""The KPI screens: entering figures, the evaluation they change, comments, new rows, target revisions."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote, unquote

import pytest

from sengen.audit.models import AuditEntry
from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.workspace import workflow
from tests.workspace.conftest import CITIZENS

pytestmark = pytest.mark.django_db

MAIL = "くらし安心メール登録者数"  # 17-101, 人: 2018 actual 12,141, 2019 estimate 13,217, target 15,000


@pytest.fixture
def draft(users) -> m.Declaration:
    """A revision (draft) of the published FY2020 declaration of 市民生活部, as editors work on it."""
    return workflow.start_revision(users["editor"], queries.declarations(2020, CITIZENS).get())


def row_of(declaration: m.Declaration, name: str = MAIL) -> m.DeclarationIndicator:
    return declaration.kpi_rows.get(indicator__name=name)


def row_url(row: m.DeclarationIndicator, suffix: str = "", lang: str = "") -> str:
    d = row.declaration
    return f"{lang}/workspace/{d.fiscal_year}/{d.department.name}/indicators/{row.pk}/{suffix}"


def entry(year: int = 2019, kind: str = "actual", value: str = "13,300", reason: str = "") -> dict:
    return {"fiscal_year": str(year), "kind": kind, "value": value, "reason": reason}


def observations(row: m.DeclarationIndicator) -> list[tuple[int, str, Decimal | None]]:
    return list(row.observations.order_by("fiscal_year", "kind").values_list("fiscal_year", "kind", "value"))


def test_entering_an_actual_updates_the_evaluation_on_the_row_page(clients, draft) -> None:
    row = row_of(draft)
    before = clients["editor"].get(row_url(row)).content.decode()
    assert "見込み13,217人" in before and "<form" in before

    response = clients["editor"].post(row_url(row), entry(value="13,300"))

    assert response.status_code == 302 and unquote(response["Location"]) == row_url(row)
    page = clients["editor"].get(response["Location"]).content.decode()
    assert "令和元年度（2019年度）の実績値を保存しました" in page
    assert "実績13,300人" in page, "the sentence now evaluates the actual"
    assert "見込み13,217人" not in page
    saved = row.observations.get(fiscal_year=2019, kind="actual")
    assert saved.value == Decimal("13300")
    assert saved.position == max(o.position for o in row.observations.all()), "appended to the row"
    audit = AuditEntry.objects.get(model="catalog.observation", object_id=str(saved.pk))
    assert (audit.action, audit.via, audit.actor) == ("create", "workspace:indicator", "tanto")


def test_figures_are_read_like_published_cells(clients, draft) -> None:
    row = row_of(draft)
    assert clients["editor"].post(row_url(row), entry(2020, "estimate", "約14,000")).status_code == 302
    assert clients["editor"].post(row_url(row), entry(2020, "actual", "—")).status_code == 302
    estimate = row.observations.get(fiscal_year=2020, kind="estimate")
    assert (estimate.value, estimate.qualifier) == (Decimal("14000"), "約")
    assert row.observations.get(fiscal_year=2020, kind="actual").value is None
    page = clients["editor"].get(row_url(row)).content.decode()
    assert "約14,000人" in page


def test_a_count_with_decimals_is_refused_next_to_the_field(clients, draft) -> None:
    row = row_of(draft)
    before = observations(row)

    response = clients["editor"].post(row_url(row), entry(value="13,300.5"))

    assert response.status_code == 400
    html = response.content.decode()
    assert "「人」で数える指標です。13,300.5 ではなく整数で入力してください。" in html
    assert 'id="id_value_error"' in html and 'aria-describedby="id_value_helptext id_value_error"' in html
    assert observations(row) == before


def test_a_unit_other_than_the_indicators_is_refused(clients, draft) -> None:
    row = row_of(draft)
    response = clients["editor"].post(row_url(row), entry(value="13,300件"))
    assert response.status_code == 400
    assert "この指標の単位「人」と違います" in response.content.decode()
    assert not row.observations.filter(fiscal_year=2019, kind="actual").exists()


def test_a_year_before_the_plan_is_refused(clients, draft) -> None:
    row = row_of(draft)
    response = clients["editor"].post(row_url(row), entry(year=2017, value="10,600"))
    assert response.status_code == 400
    assert "平成29年度（2017年度）は計画期間" in response.content.decode()
    assert not row.observations.filter(fiscal_year=2017).exists()


def test_errors_are_in_english_under_en(clients, draft) -> None:
    row = row_of(draft)
    response = clients["editor"].post(row_url(row, lang="/en"), entry(year=2017, value="10,600"))
    assert response.status_code == 400
    assert "FY2017 is before the plan period (FY2018–FY2020) began." in response.content.decode()


def test_an_actual_far_from_the_estimate_needs_a_reason(clients, draft) -> None:
    row = row_of(draft)
    far = entry(value="17,182")  # 30% above the estimate 13,217

    refused = clients["editor"].post(row_url(row), far)
    assert refused.status_code == 400
    assert "差の理由を入力してください" in refused.content.decode()
    assert not row.observations.filter(fiscal_year=2019, kind="actual").exists()

    saved = clients["editor"].post(row_url(row), {**far, "reason": "登録キャンペーンの効果"})
    assert saved.status_code == 302
    actual = row.observations.get(fiscal_year=2019, kind="actual")
    audit = AuditEntry.objects.get(model="catalog.observation", object_id=str(actual.pk))
    assert (audit.reason, audit.via) == ("登録キャンペーンの効果", "workspace:indicator")


def test_an_existing_figure_is_never_overwritten_from_the_new_figure_form(clients, draft) -> None:
    row = row_of(draft)
    estimate = row.observations.get(fiscal_year=2019, kind="estimate")
    response = clients["editor"].post(row_url(row), entry(kind="estimate", value="14,000"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "令和元年度（2019年度）の実績見込値はすでに入力されています" in html
    assert quote(row_url(row, f"observations/{estimate.pk}/")) in html
    estimate.refresh_from_db()
    assert estimate.value == Decimal("13217")


def test_who_may_enter_figures(clients, draft) -> None:
    row = row_of(draft)
    before = observations(row)
    assert clients["other_editor"].get(row_url(row)).status_code == 403
    assert clients["other_editor"].post(row_url(row), entry()).status_code == 403
    assert clients["no_role"].get(row_url(row)).status_code == 403
    assert clients["viewer"].post(row_url(row), entry()).status_code == 403
    viewed = clients["viewer"].get(row_url(row))
    assert viewed.status_code == 200 and '<form method="post" action=""' not in viewed.content.decode()
    anonymous = clients["anonymous"].get(row_url(row))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/workspace/login/")
    assert observations(row) == before


def test_a_declaration_that_is_not_a_draft_cannot_be_edited(clients, users, draft) -> None:
    row = row_of(draft)
    workflow.take_step(users["editor"], draft, "submit")
    page = clients["editor"].get(row_url(row)).content.decode()
    assert "「承認待ち」のため編集できません" in page
    response = clients["editor"].post(row_url(row), entry())
    assert response.status_code == 302
    assert "「承認待ち」のため編集できません" in clients["editor"].get(row_url(row)).content.decode()
    assert not row.observations.filter(fiscal_year=2019, kind="actual").exists()


def test_the_published_declaration_is_shown_but_not_editable(clients) -> None:
    published = queries.declarations(2020, CITIZENS).get()
    row = row_of(published)
    page = clients["editor"].get(row_url(row)).content.decode()
    assert "「公開中」のため編集できません" in page and "見込み13,217人" in page


def test_editing_an_observation_checks_the_same_rules(clients, draft) -> None:
    row = row_of(draft)
    actual = row.observations.get(fiscal_year=2018, kind="actual")
    url = row_url(row, f"observations/{actual.pk}/")
    form = clients["editor"].get(url).content.decode()
    assert 'value="12,141人"' in form and f'name="version" value="{actual.version}"' in form

    # The FY2018 estimate (12,050) was published in the FY2019 declaration, not in this row.
    refused = clients["editor"].post(url, {"value": "20,000", "version": actual.version})
    assert refused.status_code == 400 and "差の理由を入力してください" in refused.content.decode()

    saved = clients["editor"].post(url, {"value": "12,150", "version": actual.version})
    assert saved.status_code == 302
    actual.refresh_from_db()
    assert actual.value == Decimal("12150")
    audit = AuditEntry.objects.get(model="catalog.observation", object_id=str(actual.pk), action="update")
    assert audit.via == "workspace:observation_edit"
    assert audit.changes == [{"field": "value", "old": "12141", "new": "12150"}]


def test_an_observation_can_be_deleted_with_a_reason(clients, draft) -> None:
    row = row_of(draft)
    estimate = row.observations.get(fiscal_year=2019, kind="estimate")
    url = row_url(row, f"observations/{estimate.pk}/")
    response = clients["editor"].post(
        url, {"delete-version": estimate.version, "delete-reason": "実績値に置換"}
    )
    assert response.status_code == 302
    assert not row.observations.filter(pk=estimate.pk).exists()
    audit = AuditEntry.objects.get(model="catalog.observation", object_id=str(estimate.pk), action="delete")
    assert audit.reason == "実績値に置換"


def test_an_observation_of_another_row_is_not_found(clients, draft) -> None:
    row, other = row_of(draft), row_of(draft, "防犯カメラの設置箇所数")
    foreign = other.observations.first()
    assert clients["editor"].get(row_url(row, f"observations/{foreign.pk}/")).status_code == 404


def test_the_year_end_comment(clients, draft) -> None:
    row = row_of(draft)
    url = row_url(row, "comment/")
    assert clients["viewer"].post(url, {"comment": "x", "version": row.version}).status_code == 403
    response = clients["editor"].post(
        url, {"comment": "登録者は順調に増えています。", "version": row.version}
    )
    assert response.status_code == 302
    assert "登録者は順調に増えています。" in clients["editor"].get(row_url(row)).content.decode()

    stale = clients["editor"].post(url, {"comment": "古い画面からの保存", "version": row.version})
    assert stale.status_code == 409
    row.refresh_from_db()
    assert row.comment == "登録者は順調に増えています。"


def test_adding_an_indicator_of_the_plan_copies_its_published_row(clients, draft) -> None:
    row_of(draft).delete()  # the row this test puts back
    url = f"/workspace/2020/{CITIZENS}/indicators/add/"
    form = clients["editor"].get(url).content.decode()
    indicator = m.Indicator.objects.get(project__number="17-101")
    assert f'<option value="{indicator.pk}">17-101 {MAIL}</option>' in form
    assert "17-102" not in form, "indicators already in the table are not offered"
    section = m.Section.objects.get(name="市民協働課")

    response = clients["editor"].post(url, {"indicator": indicator.pk, "owner": section.pk})

    added = row_of(draft)
    assert response.status_code == 302 and unquote(response["Location"]) == row_url(added)
    assert (added.unit, added.project_name, added.baseline_value) == (
        "人",
        "地域防犯活動推進事業",
        Decimal("10554"),
    )
    assert added.position == draft.kpi_rows.count()
    assert [str(o) for o in added.owners.all()] == ["市民協働課"]
    assert list(added.targets.values_list("fiscal_year", "value")) == [(2020, Decimal("15000"))]
    assert clients["viewer"].get(url).status_code == 403


def test_only_the_planning_office_revises_targets(clients, draft) -> None:
    row = row_of(draft)
    target = row.targets.get()
    url = row_url(row, "target/")
    data = {"fiscal_year": "2021", "value": "16,000", "reason": "計画期間の延長", "version": target.version}
    assert clients["editor"].get(url).status_code == 403
    assert clients["editor"].post(url, data).status_code == 403
    assert not m.TargetRevision.objects.exists()

    assert "目標値の改訂" in clients["admin"].get(url).content.decode()
    missing_reason = clients["admin"].post(url, {**data, "reason": " "})
    assert (
        missing_reason.status_code == 400
        and "改訂の理由を入力してください" in missing_reason.content.decode()
    )

    assert clients["admin"].post(url, data).status_code == 302
    target.refresh_from_db()
    assert (target.fiscal_year, target.value, target.set_in) == (2021, Decimal("16000"), 2020)
    revision = m.TargetRevision.objects.get()
    assert (revision.old_fiscal_year, revision.old_value, revision.old_set_in) == (
        2020,
        Decimal("15000"),
        2017,
    )
    assert (revision.old_plan_start_year, revision.old_plan_end_year) == (2018, 2020)
    assert (revision.new_set_in, revision.revised_by, revision.published_at) == (2020, "kikaku", None)


def test_a_target_is_a_number_for_this_year_or_later(clients, draft) -> None:
    row = row_of(draft)
    target = row.targets.get()
    url = row_url(row, "target/")
    past = clients["admin"].post(url, {"fiscal_year": "2019", "value": "16,000", "reason": "r", "version": 1})
    assert past.status_code == 400 and "より前です" in past.content.decode()
    dash = clients["admin"].post(url, {"fiscal_year": "2020", "value": "—", "reason": "r", "version": 1})
    assert dash.status_code == 400 and "「—」は目標値にできません" in dash.content.decode()
    target.refresh_from_db()
    assert target.value == Decimal("15000") and not m.TargetRevision.objects.exists()


def test_a_target_revised_meanwhile_is_a_conflict(clients, draft) -> None:
    row = row_of(draft)
    target = row.targets.get()
    url = row_url(row, "target/")
    data = {"fiscal_year": "2020", "value": "16,000", "reason": "見直し", "version": target.version}
    assert "目標値を改訂" not in clients["editor"].get(row_url(row)).content.decode()
    assert clients["admin"].post(url, data).status_code == 302

    stale = clients["admin"].post(url, {**data, "value": "17,000"})

    assert stale.status_code == 409
    target.refresh_from_db()
    assert target.value == Decimal("16000")
    assert m.TargetRevision.objects.count() == 1


def test_a_row_without_a_target_gets_one_through_a_revision(clients, draft) -> None:
    row = row_of(draft)
    row.targets.all().delete()
    assert "目標値を設定" in clients["admin"].get(row_url(row)).content.decode()
    data = {"fiscal_year": "2022", "value": "16,000", "reason": "新たに設定", "version": ""}
    assert clients["admin"].post(row_url(row, "target/"), data).status_code == 302
    assert list(row.targets.values_list("fiscal_year", "value", "set_in")) == [(2022, Decimal("16000"), 2020)]
    revision = m.TargetRevision.objects.get()
    assert (revision.old_fiscal_year, revision.old_value, revision.new_fiscal_year) == (None, None, 2022)
