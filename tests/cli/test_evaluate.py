"""sengen evaluate: every indicator's evaluation as a table, JSON or CSV, with rollups."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from sengen.catalog.loader import load
from sengen.ingest import read_bytes, read_path
from sengen.portal.management.commands.demo import demo_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(sample_path: Path) -> None:
    load([read_path(sample_path).document])


@pytest.fixture
def demo() -> None:
    load([read_bytes(data, name).document for name, data in demo_files()])


def evaluate(*args: str) -> str:
    out = io.StringIO()
    call_command("evaluate", *args, stdout=out)
    return out.getvalue()


def test_table_lists_every_indicator_with_status_words_and_a_summary(sample, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    text = evaluate("--lang", "ja")
    assert "令和2年度（2020年度） 市民生活部（令和元年度（2019年度）時点）" in text
    for number in ("17-101", "33-102", "40-104"):
        assert number in text
    assert "△ 遅れ" in text and "◎ 達成" in text and "× 後退" in text and "○ 順調" in text
    assert "見直し推奨" in text, "37-101 met its target early"
    assert "令和2年度（2020年度） 市民生活部: 達成 2 / 順調 2 / 遅れ 5 / 後退 3 / 未測定 0（計 12）" in text


def test_table_in_english(sample, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    text = evaluate("--lang", "en")
    assert "FY2020 (Reiwa 2) 市民生活部 (as of FY2019 (Reiwa 1))" in text
    assert (
        "FY2020 (Reiwa 2) 市民生活部: Achieved 2 / On track 2 / Behind 5 / Off track 3 / No data 0 (total 12)"
        in text
    )


def test_csv_has_one_row_per_indicator_with_exact_rates(sample) -> None:
    rows = list(csv.DictReader(io.StringIO(evaluate("--format", "csv"))))
    assert len(rows) == 12
    first = rows[0]
    assert (first["project_number"], first["status"], first["status_label"]) == ("17-101", "behind", "遅れ")
    assert (first["progress_rate"], first["achievement_rate"], first["elapsed_share"]) == (
        "0.599",
        "0.881",
        "0.667",
    )
    assert (first["latest_year"], first["latest_kind"], first["latest"]) == ("2019", "estimate", "13217")
    assert (first["forecast"], first["forecast_meets_target"]) == ("14633.67", "false")
    helmet = next(r for r in rows if r["project_number"] == "33-102")
    assert helmet["flags"] == "missing_year:2018;latest_is_estimate:2019"


def test_json_has_evaluations_and_rollups(demo) -> None:
    data = json.loads(evaluate("--format", "json"))
    assert data["format"] == "sengen/1-evaluation"
    assert len(data["evaluations"]) == 12 + 12 + 6 + 6
    rollups = data["rollups"]
    assert [(d["fiscal_year"], d["department"]) for d in rollups["declarations"]] == [
        (2019, "市民生活部"),
        (2019, "環境部"),
        (2020, "市民生活部"),
        (2020, "環境部"),
    ]
    life_2020 = rollups["declarations"][2]
    assert life_2020["counts"] == {"achieved": 2, "on_track": 2, "behind": 5, "off_track": 3, "no_data": 0}
    assert life_2020["shares"]["behind"] == pytest.approx(5 / 12, abs=0.0005)
    assert sum(life_2020["counts"].values()) == life_2020["total"] == 12
    life = next(d for d in rollups["departments"] if d["department"] == "市民生活部")
    assert [y["fiscal_year"] for y in life["years"]] == [2019, 2020]
    assert life["total"] == 24
    (plan,) = rollups["plans"]
    # Each of the plan's 18 indicators once, as its latest (FY2020) declaration evaluates it.
    assert (plan["name"], plan["start_year"], plan["end_year"]) == ("中期戦略事業プラン", 2018, 2020)
    assert plan["total"] == 18
    fy2020 = [d["counts"] for d in rollups["declarations"] if d["fiscal_year"] == 2020]
    assert plan["counts"] == {s: sum(c[s] for c in fy2020) for s in plan["counts"]}


def test_filters(demo) -> None:
    rows = list(
        csv.DictReader(io.StringIO(evaluate("--format", "csv", "--year", "R1", "--department", "環境部")))
    )
    assert {(r["fiscal_year"], r["department"]) for r in rows} == {("2019", "環境部")}


def test_nothing_to_evaluate_is_refused(demo, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        evaluate("--year", "2018")
    assert exit_.value.code == 1
    assert "条件に合う目標宣言がありません" in capsys.readouterr().err


def test_a_city_can_change_the_threshold_and_labels(sample, settings) -> None:
    rows = {r["project_number"]: r for r in csv.DictReader(io.StringIO(evaluate("--format", "csv")))}
    assert rows["17-101"]["status"] == "behind"  # 0.599 < 2/3
    settings.SENGEN_EVALUATION = {
        "on_track_ratio": "8/10",
        "labels": {"on_track": ["概ね順調", "Roughly on track"]},
    }
    rows = {r["project_number"]: r for r in csv.DictReader(io.StringIO(evaluate("--format", "csv")))}
    assert (rows["17-101"]["status"], rows["17-101"]["status_label"]) == (
        "on_track",
        "概ね順調",
    )  # 0.599 ≥ 0.533


def test_summary_is_per_department_and_year(demo, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    lines = [line for line in evaluate("--department", "環境部").splitlines() if "環境部:" in line]
    assert [line.split(":")[0] for line in lines] == [
        "令和元年度（2019年度） 環境部",
        "令和2年度（2020年度） 環境部",
    ]
    assert all(line.endswith("（計 6）") for line in lines)


def test_bad_settings_are_named(sample, settings) -> None:
    from django.core.exceptions import ImproperlyConfigured

    settings.SENGEN_EVALUATION = {"on_track_ratio": "ninety percent"}
    with pytest.raises(ImproperlyConfigured, match="SENGEN_EVALUATION"):
        evaluate("--format", "csv")
    settings.SENGEN_EVALUATION = {"labels": {"great": ["すごい", "Great"]}}
    with pytest.raises(ImproperlyConfigured, match="great"):
        evaluate("--format", "csv")
