from __future__ import annotations

from decimal import Decimal

import pytest

from sengen.core.entry import check_reason, check_value, check_year, parse_entry, revision_share
from sengen.core.figures import Figure
from sengen.core.messages import SengenError

D = Decimal
TEN_PERCENT = D("0.1")


@pytest.mark.parametrize(
    ("text", "unit", "figure"),
    [
        ("12,141", "人", Figure(D("12141"), "人")),
        ("12,141人", "人", Figure(D("12141"), "人")),
        ("約1,850", "千人", Figure(D("1850"), "千人", "約")),
        ("80%以上", "%", Figure(D("80"), "%", "以上")),
        ("13 (うち2か所休止)", "箇所", Figure(D("13"), "箇所", annotation="うち2か所休止")),
        ("—", "人", Figure(None, "人")),
        ("— (調査中止)", "人", Figure(None, "人", annotation="調査中止")),
        ("95.25", "%", Figure(D("95.25"), "%")),
        ("-3.5", "℃", Figure(D("-3.5"), "℃")),
        ("0", "件", Figure(D("0"), "件")),
        ("12", None, Figure(D("12"), None)),
    ],
)
def test_accepted_entries(text: str, unit: str | None, figure: Figure) -> None:
    assert parse_entry(text, unit) == figure


@pytest.mark.parametrize(
    ("text", "unit", "code", "ja"),
    [
        ("12件", "人", "entry.unit_mismatch", "「12件」の単位「件」が、この指標の単位「人」と違います。"),
        ("12人", None, "entry.unit_not_expected", "この指標には単位がありません。「12人」の「人」を消して"),
        ("12.5", "人", "entry.not_whole", "「人」で数える指標です。12.5 ではなく整数で入力してください。"),
        ("-1", "件", "entry.negative", "負の値 -1 は入力できません"),
        ("1.23456", "%", "entry.too_precise", "1.23456 は小数点以下の桁が多すぎます"),
        ("100,000,000,000", "円", "entry.too_large", "100,000,000,000 は大きすぎます"),
    ],
)
def test_refused_entries_say_why(text: str, unit: str | None, code: str, ja: str) -> None:
    with pytest.raises(SengenError) as caught:
        parse_entry(text, unit)
    assert caught.value.code == code
    assert ja in caught.value.message("ja")
    assert caught.value.message("en") != caught.value.message("ja")


def test_the_largest_value_and_finest_precision_fit_the_database() -> None:
    assert parse_entry("99,999,999,999.9999", "円").value == D("99999999999.9999")


def test_a_value_that_is_not_finite_is_too_large() -> None:
    with pytest.raises(SengenError) as caught:
        check_value(D("Infinity"), None)
    assert caught.value.code == "entry.too_large"


def test_whole_values_written_with_zero_decimals_are_counts() -> None:
    check_value(D("12.00"), "人")


def test_years_from_the_plan_start_to_the_declaration_year() -> None:
    for year in (2018, 2019, 2020):
        check_year(year, declaration_year=2020, plan_start=2018, plan_end=2020)
    check_year(2010, declaration_year=2020)  # no plan: only the upper bound


def test_a_year_before_the_plan_is_refused() -> None:
    with pytest.raises(SengenError) as caught:
        check_year(2017, declaration_year=2020, plan_start=2018, plan_end=2020)
    assert caught.value.message("ja").startswith(
        "平成29年度（2017年度）は計画期間（平成30年度（2018年度）〜令和2年度（2020年度））の開始より前です。"
    )
    assert "FY2017 is before the plan period (FY2018–FY2020) began." in caught.value.message("en")


def test_a_plan_without_an_end_names_its_start_twice() -> None:
    with pytest.raises(SengenError) as caught:
        check_year(2017, declaration_year=2020, plan_start=2018)
    assert "(FY2018–FY2018)" in caught.value.message("en")


def test_a_year_after_the_declaration_is_refused() -> None:
    with pytest.raises(SengenError) as caught:
        check_year(2021, declaration_year=2020, plan_start=2018, plan_end=2022)
    assert caught.value.code == "entry.after_declaration"
    assert (
        "令和3年度（2021年度）は、この目標宣言の年度（令和2年度（2020年度））より後です。"
        in caught.value.message()
    )


def test_revision_share() -> None:
    assert revision_share(D("13217"), D("17182")) == abs(D("17182") - D("13217")) / D("13217")
    assert revision_share(D("-10"), D("-12")) == D("0.2")
    assert revision_share(D("0"), D("5")) is None


@pytest.mark.parametrize(
    ("estimate", "actual", "reason"),
    [
        (None, D("100"), ""),  # nothing estimated: nothing replaced
        (D("100"), None, ""),  # the actual not reported
        (D("100"), D("200"), "制度改正で対象が増えた"),
        (D("100"), D("110"), ""),  # exactly at the threshold
        (D("100"), D("90"), ""),
        (D("0"), D("0"), ""),
    ],
)
def test_no_reason_needed(estimate, actual, reason: str) -> None:
    check_reason(estimate, actual, reason, TEN_PERCENT)


def test_a_large_revision_needs_a_reason() -> None:
    with pytest.raises(SengenError) as caught:
        check_reason(D("13217"), D("17182"), "  ", TEN_PERCENT)
    assert caught.value.message("ja") == (
        "実績値 17,182 は実績見込値 13,217 と 30.0% 違います（10% を超えています）。差の理由を入力してください。"
    )
    assert "by 30.0% (more than 10%)" in caught.value.message("en")


def test_an_actual_replacing_a_zero_estimate_needs_a_reason() -> None:
    with pytest.raises(SengenError) as caught:
        check_reason(D("0"), D("3"), "", D("0.25"))
    assert "0 と ∞% 違います（25% を超えています）" in caught.value.message("ja")
