"""The evaluation rules on the 12 indicators of the FY2020 sample, against values worked by hand.

Every expected value below was computed by hand with exact fractions (not with sengen) and is
the same as the worked table in docs/evaluation.md. The figures are the sample's: plan
2018–2020, baseline in 平成29年度 (2017) or 平成28年度 (2016), a 2018 actual and a 2019
estimate, the 2020 target set in 平成29年度 (2017). 33-102 reported no 2018 actual (—).
Evaluated as of the default year, FY2019 for every row.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from sengen.core.evaluation import (
    Flag,
    IndicatorInput,
    ObservationInput,
    Point,
    Rules,
    TargetInput,
    evaluate,
    flag_message,
)

F = Fraction
EARLY = "evaluation.flag.target_met_early"
ESTIMATE = "evaluation.flag.latest_is_estimate"
MISSING = "evaluation.flag.missing_year"

# number: (baseline year, baseline, 2018 actual, 2019 estimate, 2020 target)
FIGURES = {
    "17-101": (2017, 10554, 12141, 13217, 15000),
    "17-102": (2017, 11, 13, 15, 17),
    "19-101": (2017, 427, 439, 115, 430),
    "20-101": (2017, 4, 4, 4, 5),
    "20-102": (2017, 2, 2, 0, 4),
    "22-102": (2017, 0, 3, 4, 5),
    "33-102": (2017, 11, None, 25, 60),
    "37-101": (2016, 9291, 11016, 12387, 9600),
    "37-102": (2016, 18, 19, 17, 22),
    "37-103": (2017, 13, 13, 13, 14),
    "38-103": (2017, 550, 772, 741, 580),
    "40-104": (2016, 0, 2, 2, 15),
}

# number: (status, progress_rate, achievement_rate, elapsed_share, forecast 2020, meets, flags)
# Direction is "increase" for all 12 (every target lies above its baseline) and the latest
# value is the 2019 estimate for all 12.
HAND = {
    "17-101": ("behind", F(2663, 4446), F(13217, 15000), F(2, 3), F(43901, 3), False, [ESTIMATE]),
    "17-102": ("on_track", F(2, 3), F(15, 17), F(2, 3), F(17), True, [ESTIMATE]),
    "19-101": ("off_track", F(-104), F(23, 86), F(2, 3), F(15), False, [ESTIMATE]),
    "20-101": ("behind", F(0), F(4, 5), F(2, 3), F(4), False, [ESTIMATE]),
    "20-102": ("off_track", F(-1), F(0), F(2, 3), F(-2, 3), False, [ESTIMATE]),
    "22-102": ("on_track", F(4, 5), F(4, 5), F(2, 3), F(19, 3), True, [ESTIMATE]),
    "33-102": ("behind", F(2, 7), F(5, 12), F(2, 3), F(32), False, [MISSING, ESTIMATE]),
    "37-101": ("achieved", F(1032, 103), F(4129, 3200), F(3, 4), F(26499, 2), True, [EARLY, ESTIMATE]),
    "37-102": ("off_track", F(-1, 4), F(17, 22), F(3, 4), F(35, 2), False, [ESTIMATE]),
    "37-103": ("behind", F(0), F(13, 14), F(2, 3), F(13), False, [ESTIMATE]),
    "38-103": ("achieved", F(191, 30), F(741, 580), F(2, 3), F(2636, 3), True, [EARLY, ESTIMATE]),
    "40-104": ("behind", F(2, 15), F(2, 15), F(3, 4), F(3), False, [ESTIMATE]),
}  # fmt: skip

# The rounded values the table in docs/evaluation.md shows: progress, achievement, elapsed, forecast.
DISPLAYED = {
    "17-101": ("0.599", "0.881", "0.667", "14633.67"),
    "17-102": ("0.667", "0.882", "0.667", "17.00"),
    "19-101": ("-104.000", "0.267", "0.667", "15.00"),
    "20-101": ("0.000", "0.800", "0.667", "4.00"),
    "20-102": ("-1.000", "0.000", "0.667", "-0.67"),
    "22-102": ("0.800", "0.800", "0.667", "6.33"),
    "33-102": ("0.286", "0.417", "0.667", "32.00"),
    "37-101": ("10.019", "1.290", "0.750", "13249.50"),
    "37-102": ("-0.250", "0.773", "0.750", "17.50"),
    "37-103": ("0.000", "0.929", "0.667", "13.00"),
    "38-103": ("6.367", "1.278", "0.667", "878.67"),
    "40-104": ("0.133", "0.133", "0.750", "3.00"),
}


def indicator(number: str) -> IndicatorInput:
    base_year, base, actual, estimate, target = FIGURES[number]
    return IndicatorInput(
        baseline_year=base_year,
        baseline_value=Decimal(base),
        observations=[
            ObservationInput(2018, "actual", None if actual is None else Decimal(actual)),
            ObservationInput(2019, "estimate", Decimal(estimate)),
        ],
        targets=[TargetInput(2020, Decimal(target), set_in=2017)],
        plan_start_year=2018,
        plan_end_year=2020,
    )


def half_up(value: Fraction, places: int) -> str:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@pytest.mark.parametrize("number", list(FIGURES))
def test_sample_indicator_matches_the_hand_worked_table(number: str) -> None:
    status, progress, achievement, elapsed, projected, meets, flags = HAND[number]
    result = evaluate(indicator(number))
    assert result.status == status
    assert result.direction == "increase"
    assert result.latest == Point(2019, Decimal(FIGURES[number][3]), "estimate")
    assert result.progress_rate == progress
    assert result.achievement_rate == achievement
    assert result.elapsed_share == elapsed
    assert result.forecast is not None
    assert result.forecast.fiscal_year == 2020
    assert result.forecast.value == projected
    assert result.forecast.meets_target is meets
    assert [flag.code for flag in result.flags] == flags


@pytest.mark.parametrize("number", list(FIGURES))
def test_default_as_of_is_fy2019(number: str) -> None:
    assert evaluate(indicator(number)) == evaluate(indicator(number), as_of=2019)


@pytest.mark.parametrize("number", list(FIGURES))
def test_displayed_values_round_half_up(number: str) -> None:
    _, progress, achievement, elapsed, projected, _, _ = HAND[number]
    shown = (half_up(progress, 3), half_up(achievement, 3), half_up(elapsed, 3), half_up(projected, 2))
    assert shown == DISPLAYED[number]


def test_flag_parameters() -> None:
    assert evaluate(indicator("33-102")).flags == (
        Flag(MISSING, {"year": 2018}),
        Flag(ESTIMATE, {"year": 2019}),
    )
    assert evaluate(indicator("37-101")).flags[0] == Flag(EARLY, {"target_year": 2020})


def test_flag_message_shows_the_year_in_both_calendars() -> None:
    flag = evaluate(indicator("17-101")).flags[0]
    assert (
        flag_message(flag, "ja") == "最新の値（令和元年度（2019年度））は実績見込値で、まだ確定していません。"
    )
    assert (
        flag_message(flag, "en") == "The latest value (FY2019 (Reiwa 1)) is an estimate, not yet confirmed."
    )


def test_targets_set_in_the_drafting_year_belong_to_the_plan() -> None:
    """Set in 2017 for a plan from 2018: not flagged by default, flagged with no lead year."""
    codes = [flag.code for flag in evaluate(indicator("17-101"), rules=Rules(planning_lead_years=0)).flags]
    assert codes == ["evaluation.flag.target_from_earlier_plan", ESTIMATE]
    for number in FIGURES:
        assert "evaluation.flag.target_from_earlier_plan" not in [
            f.code for f in evaluate(indicator(number)).flags
        ]
