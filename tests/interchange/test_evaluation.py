"""The evaluation block of sengen/1: rounding, derivation on export, dropping on import."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from sengen.ingest import read_bytes, read_path
from sengen.interchange import jsonio
from sengen.interchange.evaluation import as_of_year, rounded, with_evaluations


@pytest.mark.parametrize(
    ("fraction", "text"),
    [
        (Fraction(2663, 4446), "0.599"),
        (Fraction(2, 3), "0.667"),
        (Fraction(1, 2000), "0.001"),  # half up, as staff round by hand (not banker's rounding)
        (Fraction(5, 2000), "0.003"),
        (Fraction(-1, 4), "-0.250"),
        (Fraction(-104), "-104.000"),
    ],
)
def test_rates_are_rounded_half_up_to_three_places(fraction: Fraction, text: str) -> None:
    assert str(rounded(fraction)) == text
    assert rounded(None) is None


def test_export_carries_evaluations_and_import_drops_them(sample_path: Path) -> None:
    document = read_path(sample_path).document
    evaluated = with_evaluations(document)
    first = evaluated.declarations[0].indicators[0]
    assert first.evaluation is not None
    assert (first.evaluation.status, first.evaluation.progress_rate) == ("behind", Decimal("0.599"))
    assert (first.evaluation.target.fiscal_year, first.evaluation.target.value) == (2020, Decimal(15000))
    text = jsonio.dumps(evaluated)
    assert '"progress_rate": 0.599,' in text
    reread = read_bytes(text.encode(), "export.json")
    assert reread.ok
    assert reread.document == document, "the evaluation is derived, never imported"


def test_a_declaration_is_evaluated_as_of_its_latest_reported_year(sample_path: Path) -> None:
    declaration = read_path(sample_path).document.declarations[0]
    assert as_of_year(declaration) == 2019
    evaluated = with_evaluations(read_path(sample_path).document).declarations[0]
    helmet = next(i for i in evaluated.indicators if i.project.number == "33-102")
    assert [(f.code, f.fiscal_year) for f in helmet.evaluation.flags] == [
        ("missing_year", 2018),
        ("latest_is_estimate", 2019),
    ]
    assert helmet.evaluation.flags[0].message == {
        "ja": "平成30年度（2018年度）の値が報告されていません。",
        "en": "No value was reported for FY2018 (Heisei 30).",
    }


def test_one_plain_sentence_per_indicator(sample_path: Path) -> None:
    from sengen.interchange.evaluation import explain

    indicators = {
        i.project.number: i
        for i in with_evaluations(read_path(sample_path).document).declarations[0].indicators
    }
    # The portal issue's own example, to the character.
    assert explain(indicators["17-101"]) == (
        "目標15,000人（令和2年度）に対し、令和元年度見込み13,217人。計画期間の67%が経過し、進捗は60%です。"
    )
    assert explain(indicators["17-101"], "en") == (
        "Target 15,000人 (FY2020); FY2019 estimate: 13,217人. 67% of the plan period has passed; progress is 60%."
    )
    assert explain(indicators["37-101"]).endswith("目標を達成しています。")
    # Off track reads as a direction, not as "progress -10400%".
    assert explain(indicators["19-101"]) == (
        "目標430人（令和2年度）に対し、令和元年度見込み115人。当初水準（平成29年度 427人）より目標から遠ざかっています。"
    )
    assert explain(indicators["19-101"], "en").endswith("since the baseline (FY2017: 427人).")
