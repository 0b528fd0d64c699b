"""The evaluation rules: what a user sees for a KPI (status, rates, forecast, flags)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sengen.core.evaluation import (
    DEFAULT_RULES,
    FLAG_CODES,
    STATUSES,
    Evaluation,
    Flag,
    IndicatorInput,
    ObservationInput,
    Point,
    Rules,
    TargetInput,
    achievement_rate,
    derive_direction,
    evaluate,
    final_target,
    flag_message,
    forecast,
    latest_point,
    status_counts,
    status_label,
    status_shares,
)
from sengen.core.messages import CATALOG

F = Fraction


def D(text: str | int) -> Decimal:
    return Decimal(text)


def obs(year: int, value: str | None, kind: str = "actual") -> ObservationInput:
    return ObservationInput(year, kind, None if value is None else D(value))  # type: ignore[arg-type]


def make(
    baseline: tuple[int | None, str | None] = (2018, "100"),
    observations: Sequence[ObservationInput] = (),
    targets: Sequence[TargetInput] | None = None,
    target: tuple[int, str] | None = (2023, "150"),
    **kwargs: object,
) -> IndicatorInput:
    if targets is None:
        targets = [] if target is None else [TargetInput(target[0], D(target[1]))]
    year, value = baseline
    return IndicatorInput(
        baseline_year=year,
        baseline_value=None if value is None else D(value),
        observations=list(observations),
        targets=list(targets),
        **kwargs,  # type: ignore[arg-type]
    )


def codes(result: Evaluation) -> list[str]:
    return [f.code.removeprefix("evaluation.flag.") for f in result.flags]


# --------------------------------------------------------------------------------------------
# Strategies
# --------------------------------------------------------------------------------------------

years = st.integers(min_value=2010, max_value=2035)
values = st.one_of(
    st.sampled_from([D(0), D("-0"), D(1), D(-1), D("0.5")]),
    st.integers(min_value=-1000, max_value=1000).map(Decimal),
    st.decimals(min_value=-10000, max_value=10000, places=2, allow_nan=False, allow_infinity=False),
)
maybe_values = st.one_of(st.none(), values)
directions = st.sampled_from([None, "increase", "decrease", "maintain"])
observation_lists = st.lists(
    st.builds(ObservationInput, years, st.sampled_from(["actual", "estimate"]), maybe_values), max_size=8
)
target_lists = st.lists(st.builds(TargetInput, years, maybe_values, st.one_of(st.none(), years)), max_size=3)


@st.composite
def indicators(draw: st.DrawFn) -> IndicatorInput:
    observations = draw(observation_lists)
    if observations and draw(st.booleans()):
        # The same year published both as an actual and as an estimate.
        o = draw(st.sampled_from(observations))
        other = "estimate" if o.kind == "actual" else "actual"
        observations.append(ObservationInput(o.fiscal_year, other, draw(maybe_values)))
    targets = draw(target_lists)
    baseline_value = draw(maybe_values)
    if targets and baseline_value is not None and draw(st.booleans()):
        # A target equal to the baseline (with whatever direction is stated).
        targets[0] = TargetInput(targets[0].fiscal_year, baseline_value, targets[0].set_in)
    return IndicatorInput(
        baseline_year=draw(st.one_of(st.none(), years)),
        baseline_value=baseline_value,
        observations=observations,
        targets=targets,
        direction=draw(directions),
        lower_is_better=draw(st.booleans()),
        plan_start_year=draw(st.one_of(st.none(), years)),
        plan_end_year=draw(st.one_of(st.none(), years)),
    )


as_ofs = st.one_of(st.none(), st.integers(min_value=2000, max_value=2040))
rules_st = st.builds(
    Rules,
    on_track_ratio=st.fractions(min_value=0, max_value=2),
    planning_lead_years=st.integers(min_value=0, max_value=3),
)


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

MIRROR = {"increase": "decrease", "decrease": "increase", "maintain": "maintain", None: None}


def mirrored(indicator: IndicatorInput) -> IndicatorInput:
    """The same indicator measured the other way round: every value negated."""

    def neg(v: Decimal | None) -> Decimal | None:
        return None if v is None else -v

    return IndicatorInput(
        baseline_year=indicator.baseline_year,
        baseline_value=neg(indicator.baseline_value),
        observations=[ObservationInput(o.fiscal_year, o.kind, neg(o.value)) for o in indicator.observations],
        targets=[TargetInput(t.fiscal_year, neg(t.value), t.set_in) for t in indicator.targets],
        direction=MIRROR[indicator.direction],  # type: ignore[arg-type]
        # Polarity flips too: it decides "maintain" and, with no baseline, the direction itself.
        lower_is_better=not indicator.lower_is_better,
        plan_start_year=indicator.plan_start_year,
        plan_end_year=indicator.plan_end_year,
    )


@given(indicators(), as_ofs)
def test_mirroring_swaps_direction_and_keeps_status_and_rates(indicator: IndicatorInput, as_of: int | None):
    before = evaluate(indicator, as_of)
    after = evaluate(mirrored(indicator), as_of)
    assert after.direction == MIRROR[before.direction]
    assert after.status == before.status
    assert after.progress_rate == before.progress_rate
    assert after.elapsed_share == before.elapsed_share
    assert [f.code for f in after.flags] == [f.code for f in before.flags]
    # achievement_rate is NOT kept in general: it is latest/t for an increase but t/latest for a
    # decrease (and for a lower-is-better maintain), so negating both turns latest/t into
    # (-t)/(-latest) = t/latest, its reciprocal. Only its sign class and "undefined" survive,
    # which we check for the increase/decrease pair.
    if before.direction in ("increase", "decrease"):
        r, s = before.achievement_rate, after.achievement_rate
        assert (r is None) == (s is None) or (r == 0) or (s == 0)
        if r is not None and s is not None and r != 0 and s != 0:
            assert s == 1 / r
    if before.forecast is not None:
        assert after.forecast is not None
        assert after.forecast.value == -before.forecast.value
        assert after.forecast.meets_target == before.forecast.meets_target


@given(indicators(), as_ofs)
def test_maintain_keeps_its_status_when_polarity_and_values_flip(indicator: IndicatorInput, as_of):
    indicator = IndicatorInput(**{**indicator.__dict__, "direction": "maintain"})
    before = evaluate(indicator, as_of)
    after = evaluate(mirrored(indicator), as_of)
    assert before.direction == after.direction == "maintain"
    assert after.status == before.status
    assert after.progress_rate == before.progress_rate


@given(indicators(), as_ofs, rules_st)
def test_evaluate_never_raises_and_status_is_total(indicator: IndicatorInput, as_of, rules: Rules):
    result = evaluate(indicator, as_of, rules)
    assert isinstance(result, Evaluation)
    assert result.status in STATUSES
    base_year = indicator.baseline_year
    # A value measured after the baseline year, at or before the as-of year.
    has_value = any(
        o.value is not None
        and (as_of is None or o.fiscal_year <= as_of)
        and (base_year is None or o.fiscal_year > base_year)
        for o in indicator.observations
    )
    has_target = any(t.value is not None for t in indicator.targets)
    assert (result.status == "no_data") == (not has_value or not has_target)
    if result.status == "no_data":
        assert result.progress_rate is result.achievement_rate is result.forecast is None
    else:
        assert result.direction in ("increase", "decrease", "maintain")
        assert result.latest is not None and result.target is not None
    for flag in result.flags:
        for lang in ("ja", "en"):
            assert flag_message(flag, lang)  # every flag can be shown to a user


@given(
    a=st.decimals(min_value=-100, max_value=100, places=3, allow_nan=False, allow_infinity=False),
    c=st.decimals(min_value=-10000, max_value=10000, places=2, allow_nan=False, allow_infinity=False),
    xs=st.sets(st.integers(min_value=2010, max_value=2030), min_size=2, max_size=8),
    target_year=st.integers(min_value=2010, max_value=2040),
    baseline_year=st.one_of(st.none(), st.integers(min_value=2005, max_value=2030)),
    estimate_last=st.booleans(),
)
def test_forecast_is_exact_for_points_on_a_line(a, c, xs, target_year, baseline_year, estimate_last):
    # Something must have been measured after the baseline for there to be an evaluation at all.
    assume(baseline_year is None or max(xs) > baseline_year)

    def line(x: int) -> Decimal:
        return a * x + c  # exact: well within Decimal's 28 digits

    ordered = sorted(xs)
    observations = [
        ObservationInput(x, "estimate" if estimate_last and x == ordered[-1] else "actual", line(x))
        for x in ordered
    ]
    indicator = IndicatorInput(
        baseline_year=baseline_year,
        baseline_value=None if baseline_year is None else line(baseline_year),
        observations=observations,
        targets=[TargetInput(target_year, D(0))],
        direction="increase",
    )
    result = evaluate(indicator)
    assert result.forecast is not None
    expected = F(a) * target_year + F(c)
    assert result.forecast.value == expected
    assert result.forecast.fiscal_year == target_year
    assert result.forecast.meets_target == (expected >= 0)


@given(
    a=st.fractions(max_denominator=1000),
    c=st.fractions(max_denominator=1000),
    xs=st.lists(st.integers(min_value=-50, max_value=50), min_size=2, max_size=10),
    x=st.integers(min_value=-100, max_value=100),
)
def test_forecast_function_reproduces_any_line_exactly(a, c, xs, x):
    assume(len(set(xs)) >= 2)
    assert forecast([(xi, a * xi + c) for xi in xs], x) == a * x + c


@given(
    baseline=st.integers(min_value=-1000, max_value=1000),
    step=st.integers(min_value=1, max_value=50),
    span=st.integers(min_value=2, max_value=12),
    data=st.data(),
    decrease=st.booleans(),
    stated=st.booleans(),
)
def test_progress_exactly_at_elapsed_share_is_on_track(baseline, step, span, data, decrease, stated):
    """t − b = step·span, so the value at elapsed share e/span is b + step·e: progress = e/span
    exactly (e.g. 4/6 against 2/3). One unit less in the indicator's direction is behind."""
    sign = -1 if decrease else 1
    baseline_year = 2018
    elapsed = data.draw(st.integers(min_value=1, max_value=span - 1))
    target = baseline + sign * step * span
    on_time = baseline + sign * step * elapsed

    def run(value: int) -> Evaluation:
        return evaluate(
            make(
                baseline=(baseline_year, str(baseline)),
                observations=[obs(baseline_year + elapsed, str(value))],
                target=(baseline_year + span, str(target)),
                direction=("decrease" if decrease else "increase") if stated else None,
            )
        )

    exact = run(on_time)
    assert exact.progress_rate == exact.elapsed_share == F(elapsed, span)
    assert exact.status == "on_track"
    late = run(on_time - sign)
    assert late.progress_rate < late.elapsed_share
    assert late.status == ("off_track" if late.progress_rate < 0 else "behind")


@given(st.lists(st.sampled_from(STATUSES)))
def test_status_counts_and_shares_add_up(statuses):
    counts = status_counts(statuses)
    shares = status_shares(statuses)
    assert list(counts) == list(shares) == list(STATUSES)
    assert sum(counts.values()) == len(statuses)
    for status in STATUSES:
        assert counts[status] == statuses.count(status)
    if statuses:
        assert sum(shares.values()) == 1
        assert all(shares[s] == F(counts[s], len(statuses)) for s in STATUSES)
    else:
        assert all(share == 0 for share in shares.values())


# --------------------------------------------------------------------------------------------
# Worked examples, one per rule
# --------------------------------------------------------------------------------------------


def test_four_sixths_is_on_time_for_two_thirds():
    # b 0 (2018) → t 6 (2021); in 2020 two thirds of the time has passed.
    result = evaluate(make(baseline=(2018, "0"), observations=[obs(2020, "4")], target=(2021, "6")))
    assert result.progress_rate == F(4, 6) == result.elapsed_share
    assert result.status == "on_track"
    assert result.achievement_rate == F(2, 3)
    behind = evaluate(make(baseline=(2018, "0"), observations=[obs(2020, "3.99")], target=(2021, "6")))
    assert behind.status == "behind"


def test_increase_with_all_results():
    result = evaluate(
        make(
            baseline=(2018, "1850"),
            observations=[obs(2019, "1900"), obs(2020, "1960")],
            target=(2023, "2000"),
        )
    )
    assert result.direction == "increase"
    assert result.latest == Point(2020, D("1960"), "actual")
    assert result.progress_rate == F(110, 150)
    assert result.achievement_rate == F(1960, 2000)
    assert result.elapsed_share == F(2, 5)
    assert result.status == "on_track"
    assert result.forecast is not None
    # Least squares through (2018,1850), (2019,1900), (2020,1960): slope 55, mean (2019, 5710/3).
    assert result.forecast.value == F(5710, 3) + 55 * 4
    assert result.forecast.meets_target is True
    assert result.flags == ()


def test_behind_and_off_track():
    behind = evaluate(make(observations=[obs(2021, "110")]))  # 10/50 of the way, 3/5 of the time
    assert (behind.progress_rate, behind.elapsed_share, behind.status) == (F(1, 5), F(3, 5), "behind")
    back = evaluate(make(observations=[obs(2021, "90")]))
    assert back.progress_rate == F(-1, 5)
    assert back.status == "off_track"


def test_on_track_ratio_turns_behind_into_on_track():
    # progress 27/50 against elapsed 3/5 = 30/50: behind; with ratio 9/10 the bar is 27/50.
    indicator = make(observations=[obs(2021, "127")])
    assert evaluate(indicator).status == "behind"
    assert evaluate(indicator, rules=Rules(on_track_ratio=F(9, 10))).status == "on_track"
    assert evaluate(
        make(observations=[obs(2021, "126.99")]), rules=Rules(on_track_ratio=F(9, 10))
    ).status == ("behind")


def test_achieved_at_target_year_has_no_early_flag():
    result = evaluate(make(observations=[obs(2023, "150")]))
    assert result.status == "achieved"
    assert result.progress_rate == 1
    assert result.achievement_rate == 1
    assert "target_met_early" not in codes(result)


def test_target_met_early():
    result = evaluate(make(observations=[obs(2020, "120"), obs(2021, "160")]))
    assert result.status == "achieved"
    assert result.progress_rate == F(6, 5)
    assert result.flags[0] == Flag("evaluation.flag.target_met_early", {"target_year": 2023})
    assert flag_message(result.flags[0], "ja") == (
        "最終年度（令和5年度（2023年度））より前に目標を達成しています。目標値の見直しを検討してください（見直し推奨）。"
    )
    assert flag_message(result.flags[0], "en") == (
        "The target was met before its final year (FY2023 (Reiwa 5)). Consider raising it (review recommended)."
    )


class TestDecrease:
    def indicator(self, latest: str, target: str = "80", baseline: str = "100", **kw) -> IndicatorInput:
        return make(baseline=(2018, baseline), observations=[obs(2021, latest)], target=(2023, target), **kw)

    def test_progress_and_achievement(self):
        result = evaluate(self.indicator("90"))
        assert result.direction == "decrease"
        assert result.progress_rate == F(1, 2)
        assert result.achievement_rate == F(80, 90)  # t / latest
        assert result.elapsed_share == F(3, 5)
        assert result.status == "behind"
        assert result.forecast is not None and result.forecast.meets_target is False

    def test_achieved(self):
        result = evaluate(self.indicator("75"))
        assert result.status == "achieved"
        assert result.achievement_rate == F(80, 75)
        assert codes(result) == ["target_met_early"]

    def test_zero_latest_and_zero_target_is_fully_achieved(self):
        result = evaluate(self.indicator("0", target="0"))
        assert result.achievement_rate == 1
        assert result.status == "achieved"

    def test_zero_latest_with_positive_target_has_no_achievement_rate(self):
        result = evaluate(self.indicator("0", target="5", direction="decrease"))
        assert result.achievement_rate is None
        assert result.status == "achieved"

    def test_zero_target_increase_has_no_achievement_rate(self):
        assert achievement_rate(F(3), F(0), "increase") is None
        assert achievement_rate(F(0), F(0), "increase") == 1
        assert achievement_rate(F(3), F(6), "increase") == F(1, 2)
        assert achievement_rate(F(8), F(6), "decrease") == F(3, 4)


class TestMaintain:
    def test_higher_is_better(self):
        ok = evaluate(make(baseline=(2018, "95"), observations=[obs(2021, "96")], target=(2023, "95")))
        assert ok.direction == "maintain"
        assert ok.status == "achieved"
        assert ok.progress_rate == 1
        short = evaluate(make(baseline=(2018, "95"), observations=[obs(2021, "94")], target=(2023, "95")))
        assert short.progress_rate == 0
        assert short.status == "behind"
        assert "target_equals_baseline" not in codes(short)

    def test_lower_is_better(self):
        base = {"baseline": (2018, "10"), "target": (2023, "10"), "lower_is_better": True}
        ok = evaluate(make(observations=[obs(2021, "8")], **base))
        assert ok.status == "achieved"
        assert ok.progress_rate == 1
        assert ok.forecast is not None and ok.forecast.meets_target is True  # 10 → 8: going down
        over = evaluate(make(observations=[obs(2021, "12")], **base))
        assert over.status == "behind"
        assert over.progress_rate == 0
        # Lower is better, so the rate inverts like a decrease: met reads over 100%, missed under.
        assert ok.achievement_rate == F(10, 8)
        assert over.achievement_rate == F(10, 12)

    def test_stated_maintain_without_baseline(self):
        result = evaluate(
            make(
                baseline=(None, None),
                observations=[obs(2021, "7")],
                target=(2023, "5"),
                direction="maintain",
                lower_is_better=True,
            )
        )
        assert result.progress_rate == 0
        assert result.elapsed_share is None
        # Missed, yet on track: with no elapsed share, progress 0 passes (see the report).
        assert result.status == "on_track"
        assert codes(result) == ["no_baseline"]

    def test_only_a_baseline_year_value_is_no_data(self):
        # Nothing measured since the baseline says nothing about progress: 未測定, value still shown.
        result = evaluate(make(baseline=(2018, "95"), observations=[obs(2018, "94")], target=(2023, "95")))
        assert result.status == "no_data"
        assert result.latest is not None and result.latest.fiscal_year == 2018
        assert result.progress_rate is None and result.elapsed_share is None


class TestTargetEqualsBaseline:
    def test_stated_increase_not_achieved_is_off_track(self):
        result = evaluate(
            make(
                baseline=(2018, "50"),
                observations=[obs(2021, "49")],
                target=(2023, "50"),
                direction="increase",
            )
        )
        assert result.direction == "increase"
        assert result.progress_rate is None
        assert result.status == "off_track"
        assert codes(result) == ["target_equals_baseline"]
        assert (
            flag_message(result.flags[0], "en")
            == "The target equals the baseline, so progress cannot be computed."
        )

    def test_stated_increase_achieved(self):
        result = evaluate(
            make(
                baseline=(2018, "50"),
                observations=[obs(2021, "50")],
                target=(2023, "50"),
                direction="increase",
            )
        )
        assert result.status == "achieved"
        assert result.progress_rate is None
        assert codes(result) == ["target_met_early", "target_equals_baseline"]


class TestNoBaseline:
    def test_increase_by_default(self):
        result = evaluate(make(baseline=(None, None), observations=[obs(2021, "140")]))
        assert result.direction == "increase"
        assert result.progress_rate is None
        assert result.elapsed_share is None
        assert result.achievement_rate == F(140, 150)
        assert result.status == "behind"
        assert result.forecast is None  # one point only
        assert codes(result) == ["no_baseline"]
        assert flag_message(result.flags[0], "ja") == "当初水準がないため、進捗率を計算できません。"

    def test_lower_is_better_means_decrease(self):
        result = evaluate(make(baseline=(None, None), observations=[obs(2021, "140")], lower_is_better=True))
        assert result.direction == "decrease"
        assert result.status == "achieved"

    def test_baseline_value_without_year(self):
        result = evaluate(make(baseline=(None, "100"), observations=[obs(2021, "110"), obs(2022, "120")]))
        assert result.progress_rate == F(2, 5)
        assert result.elapsed_share is None
        assert result.status == "on_track"  # no elapsed share to compare with
        assert result.forecast is not None and result.forecast.value == 130  # baseline not placed

    def test_baseline_year_without_value(self):
        result = evaluate(make(baseline=(2018, None), observations=[obs(2021, "110")]))
        assert result.elapsed_share == F(3, 5)
        assert result.progress_rate is None
        assert codes(result) == ["no_baseline"]


def test_no_target_is_no_data():
    result = evaluate(make(observations=[obs(2021, "110")], target=None))
    assert result.status == "no_data"
    assert result.direction is None
    assert result.latest == Point(2021, D("110"), "actual")
    assert (result.progress_rate, result.achievement_rate, result.elapsed_share, result.forecast) == (
        None,
        None,
        None,
        None,
    )
    assert codes(result) == ["no_target"]
    assert flag_message(result.flags[0], "en") == "There is no target, so the indicator cannot be evaluated."


def test_target_without_value_is_no_target():
    result = evaluate(make(observations=[obs(2021, "110")], targets=[TargetInput(2023, None)]))
    assert result.status == "no_data"
    assert codes(result) == ["no_target"]


def test_stated_direction_survives_no_data():
    result = evaluate(make(observations=[], direction="decrease"))
    assert result.status == "no_data"
    assert result.direction == "decrease"
    assert result.latest is None


def test_no_observations_is_no_data_without_flags():
    result = evaluate(make(observations=[obs(2019, None), obs(2020, None)]))
    assert result.status == "no_data"
    assert result.direction == "increase"
    assert result.flags == ()


def test_final_target_is_the_latest_year_with_a_value():
    targets = [TargetInput(2020, D("120")), TargetInput(2023, D("150")), TargetInput(2025, None)]
    assert final_target(targets) == targets[1]
    assert final_target([TargetInput(2025, None)]) is None
    result = evaluate(make(observations=[obs(2021, "130")], targets=targets))
    assert result.target == targets[1]


def test_derive_direction():
    assert derive_direction(None, D(1)) is None
    assert derive_direction(D(1), None) is None
    assert derive_direction(D(1), D(2)) == "increase"
    assert derive_direction(D(2), D(1)) == "decrease"
    assert derive_direction(D("1.0"), D(1)) == "maintain"


class TestLatest:
    def test_actual_beats_estimate_whatever_the_order(self):
        both = [obs(2021, "5", "estimate"), obs(2021, "6"), obs(2020, "9")]
        assert latest_point(both, None) == Point(2021, D("6"), "actual")
        assert latest_point(list(reversed(both)), None) == Point(2021, D("6"), "actual")

    def test_as_of(self):
        points = [obs(2019, "1"), obs(2021, "3"), obs(2020, None)]
        assert latest_point(points, 2020) == Point(2019, D("1"), "actual")
        assert latest_point(points, 2018) is None

    def test_latest_is_estimate(self):
        result = evaluate(make(observations=[obs(2020, "120"), obs(2021, "130", "estimate")]))
        assert result.latest == Point(2021, D("130"), "estimate")
        assert codes(result) == ["latest_is_estimate"]
        assert result.flags[0].params == {"year": 2021}
        assert (
            flag_message(result.flags[0], "ja")
            == "最新の値（令和3年度（2021年度））は実績見込値で、まだ確定していません。"
        )
        assert (
            flag_message(result.flags[0], "en")
            == "The latest value (FY2021 (Reiwa 3)) is an estimate, not yet confirmed."
        )

    def test_actual_replaces_estimate_in_the_forecast(self):
        # 2021 published as estimate 999 and actual 130: the line uses 130 whatever the order.
        for order in (1, -1):
            rows = [obs(2021, "999", "estimate"), obs(2021, "130")][::order]
            result = evaluate(make(observations=[obs(2020, "120"), *rows]))
            assert result.forecast is not None
            assert result.forecast.value == 150  # (2018, 100), (2020, 120), (2021, 130): 10 a year
            assert "latest_is_estimate" not in codes(result)

    def test_estimate_with_unreported_actual(self):
        result = evaluate(make(observations=[obs(2021, None), obs(2021, "130", "estimate")]))
        assert result.latest == Point(2021, D("130"), "estimate")
        assert codes(result) == ["latest_is_estimate"]

    def test_as_of_before_every_observation(self):
        result = evaluate(make(observations=[obs(2020, "120"), obs(2021, "130")]), as_of=2019)
        assert result.status == "no_data"
        assert result.latest is None
        assert result.flags == ()

    def test_as_of_ignores_later_values(self):
        indicator = make(observations=[obs(2019, "110"), obs(2020, "120"), obs(2021, "200")])
        result = evaluate(indicator, as_of=2020)
        assert result.latest == Point(2020, D("120"), "actual")
        assert result.status == "on_track"  # 2/5 of the way after 2/5 of the time
        assert result.forecast is not None and result.forecast.value == 150  # 200 not used


class TestMissingYear:
    def test_dash_year_is_flagged(self):
        result = evaluate(make(observations=[obs(2019, "110"), obs(2020, None), obs(2021, "130")]))
        assert codes(result) == ["missing_year"]
        assert result.flags[0].params == {"year": 2020}
        assert flag_message(result.flags[0], "ja") == "令和2年度（2020年度）の値が報告されていません。"
        assert flag_message(result.flags[0], "en") == "No value was reported for FY2020 (Reiwa 2)."

    def test_years_before_the_first_column_are_not_flagged(self):
        # Baseline 2018, first column 2020: 2019 simply was not on the page.
        result = evaluate(make(observations=[obs(2020, "120"), obs(2021, "130")]))
        assert "missing_year" not in codes(result)

    def test_gap_between_columns_is_flagged(self):
        result = evaluate(make(observations=[obs(2019, "110"), obs(2021, "130")]))
        assert [f.params for f in result.flags] == [{"year": 2020}]

    def test_first_column_dash_and_years_up_to_as_of(self):
        result = evaluate(make(observations=[obs(2019, None), obs(2020, "120")]), as_of=2022)
        assert [f.params["year"] for f in result.flags if f.code.endswith("missing_year")] == [
            2019,
            2021,
            2022,
        ]

    def test_dash_after_as_of_is_not_flagged(self):
        result = evaluate(make(observations=[obs(2020, "120"), obs(2021, None)]))
        assert "missing_year" not in codes(result)  # as_of defaults to 2020, the latest value


class TestTargetFromEarlierPlan:
    def run(
        self, set_in: int | None, rules: Rules = DEFAULT_RULES, plan_start: int | None = 2018
    ) -> Evaluation:
        return evaluate(
            make(
                observations=[obs(2021, "130")],
                targets=[TargetInput(2023, D("150"), set_in)],
                plan_start_year=plan_start,
            ),
            rules=rules,
        )

    def test_set_in_2014_for_a_2018_plan_is_flagged(self):
        result = self.run(2014)
        assert codes(result) == ["target_from_earlier_plan"]
        assert result.flags[0].params == {"set_in": 2014, "start": 2018}
        assert flag_message(result.flags[0], "ja") == (
            "目標値は平成26年度（2014年度）に設定されたもので、現在の計画期間（平成30年度（2018年度）～）より前の計画によるものです。"
        )
        assert flag_message(result.flags[0], "en") == (
            "The target was set in FY2014 (Heisei 26), under a plan before the current period (from FY2018 (Heisei 30))."
        )

    def test_drafting_year_is_the_plans_own(self):
        assert "target_from_earlier_plan" not in codes(self.run(2017))
        assert "target_from_earlier_plan" not in codes(self.run(2018))

    def test_no_lead_year(self):
        assert "target_from_earlier_plan" in codes(self.run(2017, Rules(planning_lead_years=0)))

    def test_unknown_years_are_not_flagged(self):
        assert codes(self.run(None)) == []
        assert codes(self.run(2014, plan_start=None)) == []

    def test_flagged_even_without_data(self):
        result = evaluate(
            make(targets=[TargetInput(2023, D("150"), 2010)], plan_start_year=2018, observations=[])
        )
        assert result.status == "no_data"
        assert codes(result) == ["target_from_earlier_plan"]


class TestDirectionConflict:
    def test_stated_increase_target_below_baseline(self):
        result = evaluate(
            make(
                baseline=(2018, "100"),
                observations=[obs(2021, "95")],
                target=(2023, "80"),
                direction="increase",
            )
        )
        assert result.direction == "increase"  # the stated direction is used
        assert result.status == "achieved"  # 95 >= 80 (see the report: questionable)
        assert codes(result)[-1] == "direction_conflict"
        flag = result.flags[-1]
        assert flag.params == {"baseline": D("100"), "target": D("80"), "direction": "increase"}
        assert (
            flag_message(flag, "ja")
            == "目標値（80）が当初水準（100）から見て、指標の方向（増加）と逆向きです。"
        )
        assert flag_message(flag, "en") == (
            "Seen from the baseline (100), the target (80) goes against the stated direction (increase)."
        )

    def test_decrease_named_in_japanese(self):
        result = evaluate(
            make(
                baseline=(2018, "1,000".replace(",", "")),
                observations=[obs(2021, "1500")],
                target=(2023, "1200.5"),
                direction="decrease",
            )
        )
        flag = next(f for f in result.flags if f.code.endswith("direction_conflict"))
        assert (
            flag_message(flag, "ja")
            == "目標値（1,200.5）が当初水準（1,000）から見て、指標の方向（減少）と逆向きです。"
        )

    def test_maintain_never_conflicts(self):
        result = evaluate(
            make(
                baseline=(2018, "100"),
                observations=[obs(2021, "95")],
                target=(2023, "80"),
                direction="maintain",
            )
        )
        assert "direction_conflict" not in codes(result)
        stated_increase_flat = evaluate(
            make(
                baseline=(2018, "80"),
                observations=[obs(2021, "95")],
                target=(2023, "80"),
                direction="increase",
            )
        )
        assert "direction_conflict" not in codes(stated_increase_flat)

    def test_agreeing_direction_is_not_flagged(self):
        result = evaluate(make(observations=[obs(2021, "130")], direction="increase"))
        assert codes(result) == []

    def test_direction_names(self):
        for direction, ja, en in (
            ("increase", "増加", "increase"),
            ("decrease", "減少", "decrease"),
            ("maintain", "維持", "maintain"),
        ):
            flag = Flag(
                "evaluation.flag.direction_conflict",
                {"baseline": D(1), "target": D(2), "direction": direction},
            )
            assert f"（{ja}）" in flag_message(flag, "ja")
            assert f"({en})" in flag_message(flag, "en")


class TestOutsidePeriod:
    def test_values_before_baseline_and_after_target(self):
        result = evaluate(
            make(observations=[obs(2017, "90"), obs(2018, "100"), obs(2023, "140"), obs(2024, "150")])
        )
        assert [f.params["year"] for f in result.flags if f.code.endswith("outside_period")] == [2017, 2024]
        flag = next(f for f in result.flags if f.code.endswith("outside_period"))
        assert (
            flag_message(flag, "ja")
            == "平成29年度（2017年度）の値は当初水準から目標年度までの期間の外にあります。"
        )
        assert flag_message(flag, "en") == (
            "The value for FY2017 (Heisei 29) lies outside the period from the baseline to the target year."
        )
        assert result.latest is not None and result.latest.fiscal_year == 2024
        assert result.elapsed_share == F(6, 5)
        assert result.status == "achieved"

    def test_without_target_the_plan_end_bounds_the_period(self):
        result = evaluate(
            make(observations=[obs(2025, "1"), obs(2026, "2")], target=None, plan_end_year=2025)
        )
        assert codes(result) == ["no_target", "outside_period"]
        assert result.flags[1].params == {"year": 2026}

    def test_no_bounds_no_flag(self):
        no_end = evaluate(make(observations=[obs(2030, "1")], target=None))
        assert "outside_period" not in codes(no_end)
        no_start = evaluate(make(baseline=(None, "100"), observations=[obs(2030, "200")]))
        assert "outside_period" not in codes(no_start)

    def test_latest_before_baseline_year(self):
        # A value from before the baseline measures nothing since it: no_data, and flagged.
        result = evaluate(make(observations=[obs(2016, "120")]))
        assert result.status == "no_data"
        assert result.elapsed_share is None
        assert codes(result) == ["outside_period"]

    def test_target_in_baseline_year_has_no_elapsed_share(self):
        result = evaluate(make(baseline=(2022, "100"), observations=[obs(2023, "120")], target=(2022, "110")))
        assert result.elapsed_share is None
        assert result.status == "achieved"


class TestForecast:
    def test_needs_two_years(self):
        assert forecast([], 2023) is None
        assert forecast([(2020, F(1))], 2023) is None
        assert forecast([(2020, F(1)), (2020, F(2))], 2023) is None
        assert forecast([(2020, F(1)), (2021, F(2))], 2023) == 4

    def test_baseline_year_observation_is_not_doubled(self):
        # The observation in the baseline year (105) is used instead of the baseline (100).
        result = evaluate(make(observations=[obs(2018, "105"), obs(2019, "110")]))
        assert result.forecast is not None and result.forecast.value == 105 + 5 * 5

    def test_forecast_for_decrease_misses(self):
        result = evaluate(make(target=(2023, "50"), observations=[obs(2019, "99"), obs(2020, "98")]))
        assert result.forecast is not None
        assert result.forecast.value == 95
        assert result.forecast.meets_target is False

    def test_skips_unreported_years(self):
        result = evaluate(make(observations=[obs(2019, None), obs(2020, "120")]))
        assert result.forecast is not None and result.forecast.value == 150


class TestLabels:
    def test_default_labels(self):
        assert [status_label(s) for s in STATUSES] == ["達成", "順調", "遅れ", "後退", "未測定"]
        assert [status_label(s, "en") for s in STATUSES] == [
            "Achieved",
            "On track",
            "Behind",
            "Off track",
            "No data",
        ]

    def test_city_override(self):
        rules = Rules(labels={"behind": ("やや遅れ", "Slightly behind")})
        assert status_label("behind", "ja", rules) == "やや遅れ"
        assert status_label("behind", "en", rules) == "Slightly behind"
        assert status_label("on_track", "ja", rules) == "順調"

    def test_reiwa_gannen(self):
        flag = Flag("evaluation.flag.missing_year", {"year": 2019})
        assert flag_message(flag, "ja") == "令和元年度（2019年度）の値が報告されていません。"
        assert flag_message(flag, "en") == "No value was reported for FY2019 (Reiwa 1)."


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_flag_code_renders(lang):
    params = {
        "year": 2019,
        "target_year": 2023,
        "set_in": 2014,
        "start": 2018,
        "baseline": D(1),
        "target": D(2),
        "direction": "increase",
    }
    registered = {c.removeprefix("evaluation.flag.") for c in CATALOG if c.startswith("evaluation.flag.")}
    assert set(FLAG_CODES) == registered, "every flag has an explanation and is offered as a filter"
    for code in FLAG_CODES:
        text = flag_message(Flag(f"evaluation.flag.{code}", params), lang)
        assert "{" not in text


def test_status_text_puts_the_icon_beside_the_city_word() -> None:
    from sengen.core.evaluation import status_text

    assert status_text("behind") == "△ 遅れ"
    assert status_text("behind", "en") == "△ Behind"
    assert status_text("behind", "ja", Rules(labels={"behind": ("要注意", "Watch")})) == "△ 要注意"
