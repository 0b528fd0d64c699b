"""The report's data and HTML in-process: self-evaluations, comments and the review list."""

from __future__ import annotations

import pytest

from sengen.catalog import queries
from sengen.catalog.loader import load
from sengen.core.messages import SengenError
from sengen.ingest import read_bytes
from sengen.interchange import SelfEvaluation
from sengen.reports.build import build, departments
from sengen.reports.html import render_html

# In-process, on the suite's database: these also run in the PostgreSQL pass (the subprocess tests of
# test_report_command.py run in the SQLite pass only).
pytestmark = pytest.mark.postgres_too


@pytest.fixture
def demo(db) -> None:
    from sengen.portal.management.commands.demo import demo_files

    load([read_bytes(data, name).document for name, data in demo_files()])


@pytest.fixture
def evaluated(demo) -> None:
    """FY2020 市民生活部 with a mid-year and a year-end grade on policy 1 and a comment on 17-101."""
    document = queries.to_document(queries.declarations(2020, "市民生活部"))
    d = document.declarations[0]
    policy = d.policies[0].model_copy(
        update={
            "evaluations": [
                SelfEvaluation(stage="midyear", grade="B", comment="講座の参加者が想定より少ない。"),
                SelfEvaluation(stage="yearend", grade="A", comment="手引きを全自治会に配布した。"),
            ]
        }
    )
    indicator = d.indicators[0].model_copy(update={"comment": "登録の呼びかけを学校で行った。"})
    d = d.model_copy(
        update={"policies": [policy, *d.policies[1:]], "indicators": [indicator, *d.indicators[1:]]}
    )
    load([document.model_copy(update={"declarations": [d]})])


def test_achievement_html_shows_self_evaluations_and_comments(evaluated) -> None:
    html = render_html(build(2020, "市民生活部", "achievement"), inline_css=True)
    assert "中間の自己評価：B" in html and "講座の参加者が想定より少ない。" in html
    assert "年度末の自己評価：A" in html and "手引きを全自治会に配布した。" in html
    assert "部のコメント：登録の呼びかけを学校で行った。" in html
    assert html.count("自己評価はまだ記入されていません。") == 4, "policies 2–5 have no grade yet"


def test_review_lists_targets_met_early_and_off_track(demo) -> None:
    report = build(2020, kind="achievement")
    reviewed = {(item.department, item.indicator.project.number) for item in report.review}
    # docs/evaluation.md §5: 37-101 and 38-103 met their targets early; 19-101, 20-102, 37-102 are off track.
    assert {("市民生活部", n) for n in ("37-101", "38-103", "19-101", "20-102", "37-102")} <= reviewed
    assert ("市民生活部", "17-101") not in reviewed, "behind is not a reason to review the target"
    assert report.city == {"cells": [2, 2, 11, 3, 0], "total": 18}


def test_steps_are_one_per_department(demo) -> None:
    seen: list[str] = []
    report = build(2020, kind="declarations", step=seen.append)
    render_html(report, inline_css=False, step=seen.append)
    assert seen == ["市民生活部", "環境部"] * 2
    assert report.review == [], "the booklet has no summary"


def test_departments_refuse_a_year_or_department_without_declarations(demo) -> None:
    assert departments(2019) == ["市民生活部", "環境部"]
    with pytest.raises(SengenError) as year:
        departments(2021)
    assert year.value.code == "report.nothing"
    with pytest.raises(SengenError) as dept:
        departments(2019, "総務部")
    assert dept.value.message("ja").endswith("この年度の部：市民生活部、環境部")
