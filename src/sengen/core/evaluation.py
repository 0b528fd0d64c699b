"""Where does each KPI stand? The evaluation rules, as pure functions.

docs/evaluation.md states these rules in Japanese and English with the sample's indicators
worked by hand. Every rate is an exact ``Fraction``: the status compares progress with the
elapsed share of the plan, and 4/6 must be on time for 2/3, which floats cannot promise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from sengen.core.figures import format_number
from sengen.core.messages import Lang, register, render
from sengen.core.wareki import format_fiscal_year

Direction = Literal["increase", "decrease", "maintain"]
Status = Literal["achieved", "on_track", "behind", "off_track", "no_data"]
Kind = Literal["actual", "estimate"]

STATUSES: tuple[Status, ...] = ("achieved", "on_track", "behind", "off_track", "no_data")
# Shown beside the status word everywhere: a status never depends on colour (or the icon) alone.
STATUS_ICONS: dict[str, str] = {
    "achieved": "◎",
    "on_track": "○",
    "behind": "△",
    "off_track": "×",
    "no_data": "－",
}
FLAG_CODES: tuple[str, ...] = (
    "target_met_early",
    "latest_is_estimate",
    "missing_year",
    "target_from_earlier_plan",
    "direction_conflict",
    "target_equals_baseline",
    "no_baseline",
    "no_target",
    "outside_period",
)

register(
    {
        "evaluation.status.achieved": ("達成", "Achieved"),
        "evaluation.status.on_track": ("順調", "On track"),
        "evaluation.status.behind": ("遅れ", "Behind"),
        "evaluation.status.off_track": ("後退", "Off track"),
        "evaluation.status.no_data": ("未測定", "No data"),
        "evaluation.flag.target_met_early": (
            "最終年度（{target_year}）より前に目標を達成しています。目標値の見直しを検討してください（見直し推奨）。",
            "The target was met before its final year ({target_year}). Consider raising it (review recommended).",
        ),
        "evaluation.flag.latest_is_estimate": (
            "最新の値（{year}）は実績見込値で、まだ確定していません。",
            "The latest value ({year}) is an estimate, not yet confirmed.",
        ),
        "evaluation.flag.missing_year": (
            "{year}の値が報告されていません。",
            "No value was reported for {year}.",
        ),
        "evaluation.flag.target_from_earlier_plan": (
            "目標値は{set_in}に設定されたもので、現在の計画期間（{start}～）より前の計画によるものです。",
            "The target was set in {set_in}, under a plan before the current period (from {start}).",
        ),
        "evaluation.flag.direction_conflict": (
            "目標値（{target}）が当初水準（{baseline}）から見て、指標の方向（{direction}）と逆向きです。",
            "Seen from the baseline ({baseline}), the target ({target}) goes against the stated direction ({direction}).",
        ),
        "evaluation.flag.target_equals_baseline": (
            "目標値が当初水準と同じため、進捗率を計算できません。",
            "The target equals the baseline, so progress cannot be computed.",
        ),
        "evaluation.flag.no_baseline": (
            "当初水準がないため、進捗率を計算できません。",
            "There is no baseline, so progress cannot be computed.",
        ),
        "evaluation.flag.no_target": (
            "目標値がないため、評価できません。",
            "There is no target, so the indicator cannot be evaluated.",
        ),
        "evaluation.flag.outside_period": (
            "{year}の値は当初水準から目標年度までの期間の外にあります。",
            "The value for {year} lies outside the period from the baseline to the target year.",
        ),
        "evaluation.flag_short.target_met_early": ("見直し推奨", "review target"),
        "evaluation.flag_short.latest_is_estimate": ("見込値", "estimate"),
        "evaluation.flag_short.missing_year": ("未報告{year}", "missing {year}"),
        "evaluation.flag_short.target_from_earlier_plan": ("前計画の目標", "earlier plan's target"),
        "evaluation.flag_short.direction_conflict": ("方向が逆", "direction conflict"),
        "evaluation.flag_short.target_equals_baseline": ("目標=当初水準", "target = baseline"),
        "evaluation.flag_short.no_baseline": ("当初水準なし", "no baseline"),
        "evaluation.flag_short.no_target": ("目標なし", "no target"),
        "evaluation.flag_short.outside_period": ("期間外{year}", "outside {year}"),
        "evaluation.direction.increase": ("増加", "increase"),
        "evaluation.direction.decrease": ("減少", "decrease"),
        "evaluation.direction.maintain": ("維持", "maintain"),
    }
)


@dataclass(frozen=True)
class Rules:
    """What a city may change. The defaults are the rules in docs/evaluation.md."""

    # on_track when progress_rate >= elapsed_share * on_track_ratio.
    on_track_ratio: Fraction = Fraction(1)
    # A target set this many years before the plan's start is still the plan's own (drafting year).
    planning_lead_years: int = 1
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)  # status → (ja, en) overrides


DEFAULT_RULES = Rules()


@dataclass(frozen=True)
class Point:
    fiscal_year: int
    value: Decimal
    kind: Kind


@dataclass(frozen=True)
class ObservationInput:
    fiscal_year: int
    kind: Literal["actual", "estimate"]
    value: Decimal | None


@dataclass(frozen=True)
class TargetInput:
    fiscal_year: int
    value: Decimal | None
    set_in: int | None = None


@dataclass(frozen=True)
class IndicatorInput:
    """Everything the rules look at, free of any storage or format."""

    baseline_year: int | None
    baseline_value: Decimal | None
    observations: Sequence[ObservationInput]
    targets: Sequence[TargetInput]
    direction: Direction | None = None  # as the indicator states it; None = from the target
    lower_is_better: bool = False  # polarity for "maintain"
    plan_start_year: int | None = None
    plan_end_year: int | None = None


@dataclass(frozen=True)
class Forecast:
    fiscal_year: int
    value: Fraction
    meets_target: bool


@dataclass(frozen=True)
class Flag:
    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Evaluation:
    status: Status
    direction: Direction | None  # the direction the rules used: stated, else from the target
    latest: Point | None
    target: TargetInput | None
    progress_rate: Fraction | None
    achievement_rate: Fraction | None
    elapsed_share: Fraction | None
    forecast: Forecast | None
    flags: tuple[Flag, ...] = ()


def _f(value: Decimal) -> Fraction:
    return Fraction(value)


def derive_direction(baseline: Decimal | None, target: Decimal | None) -> Direction | None:
    """t > b increase, t < b decrease, t = b maintain; None when either is missing."""
    if baseline is None or target is None:
        return None
    if target > baseline:
        return "increase"
    if target < baseline:
        return "decrease"
    return "maintain"


def final_target(targets: Iterable[TargetInput]) -> TargetInput | None:
    """The target of the latest year that has a value."""
    with_values = [t for t in targets if t.value is not None]
    return max(with_values, key=lambda t: t.fiscal_year) if with_values else None


def latest_point(observations: Iterable[ObservationInput], as_of: int | None) -> Point | None:
    """The most recent observation with a value at or before ``as_of``; an actual beats an estimate."""
    candidates = [
        o for o in observations if o.value is not None and (as_of is None or o.fiscal_year <= as_of)
    ]
    if not candidates:
        return None
    best = max(candidates, key=lambda o: (o.fiscal_year, o.kind == "actual"))
    assert best.value is not None
    return Point(best.fiscal_year, best.value, best.kind)


def meets_target(value: Fraction, target: Fraction, direction: Direction, lower_is_better: bool) -> bool:
    if direction == "increase":
        return value >= target
    if direction == "decrease":
        return value <= target
    return value <= target if lower_is_better else value >= target


def achievement_rate(
    latest: Fraction, target: Fraction, direction: Direction, lower_is_better: bool = False
) -> Fraction | None:
    """latest / t, or t / latest where lower is better (decrease, or maintain of a lower-is-better
    indicator), so 100% always means "just met". Zero denominator: 1 when both are zero, else undefined."""
    inverted = direction == "decrease" or (direction == "maintain" and lower_is_better)
    numerator, denominator = (target, latest) if inverted else (latest, target)
    if denominator == 0:
        return Fraction(1) if numerator == 0 else None
    return numerator / denominator


def forecast(points: Sequence[tuple[int, Fraction]], year: int) -> Fraction | None:
    """Least-squares line through (year, value) points, read at ``year``; None below two years."""
    if len({x for x, _ in points}) < 2:
        return None
    n = len(points)
    mean_x = Fraction(sum(x for x, _ in points), n)
    mean_y = sum((y for _, y in points), Fraction(0)) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    slope = sxy / sxx
    return mean_y + slope * (year - mean_x)


def evaluate(indicator: IndicatorInput, as_of: int | None = None, rules: Rules = DEFAULT_RULES) -> Evaluation:
    """Evaluate one indicator as of a fiscal year (default: the latest year with any value)."""
    flags: list[Flag] = []
    target = final_target(indicator.targets)
    b = indicator.baseline_value
    stated = indicator.direction
    derived = derive_direction(b, target.value if target else None)
    direction = stated or derived
    latest = latest_point(indicator.observations, as_of)
    as_of_year = as_of if as_of is not None else (latest.fiscal_year if latest else None)

    if stated and derived and stated != derived and derived != "maintain" and stated != "maintain":
        flags.append(Flag("evaluation.flag.direction_conflict", _direction_params(b, target, stated)))
    if target is None:
        flags.append(Flag("evaluation.flag.no_target"))
    elif _set_in_earlier_plan(target, indicator.plan_start_year, rules):
        flags.append(
            Flag(
                "evaluation.flag.target_from_earlier_plan",
                {"set_in": target.set_in, "start": indicator.plan_start_year},
            )
        )
    if b is None and target is not None:
        flags.append(Flag("evaluation.flag.no_baseline"))
    flags.extend(_period_flags(indicator, target, as_of_year))

    measured_since_baseline = latest is not None and (
        indicator.baseline_year is None or latest.fiscal_year > indicator.baseline_year
    )
    if latest is None or target is None or not measured_since_baseline:
        # Nothing measured after the baseline year says nothing about progress: 未測定.
        return Evaluation("no_data", direction, latest, target, None, None, None, None, tuple(flags))
    assert target.value is not None
    t, value = _f(target.value), _f(latest.value)
    if direction is None:  # no baseline and none stated: the indicator's polarity decides
        direction = "decrease" if indicator.lower_is_better else "increase"

    progress: Fraction | None = None
    if direction == "maintain":
        progress = Fraction(int(meets_target(value, t, direction, indicator.lower_is_better)))
    elif b is not None:
        if _f(b) == t:
            flags.append(Flag("evaluation.flag.target_equals_baseline"))
        else:
            progress = (value - _f(b)) / (t - _f(b))
    rate = achievement_rate(value, t, direction, indicator.lower_is_better)
    elapsed = _elapsed_share(indicator.baseline_year, latest.fiscal_year, target.fiscal_year)

    achieved = meets_target(value, t, direction, indicator.lower_is_better)
    if achieved:
        status = "achieved"
        if latest.fiscal_year < target.fiscal_year:
            flags.insert(0, Flag("evaluation.flag.target_met_early", {"target_year": target.fiscal_year}))
    elif progress is None:
        # No measurable progress: with target = baseline, missing the target means moving away.
        status = "off_track" if b is not None and _f(b) == t else "behind"
    elif progress < 0:
        status = "off_track"
    elif elapsed is None or progress >= elapsed * rules.on_track_ratio:
        status = "on_track"
    else:
        status = "behind"
    if latest.kind == "estimate":
        flags.append(Flag("evaluation.flag.latest_is_estimate", {"year": latest.fiscal_year}))

    points = [
        (o.fiscal_year, _f(o.value)) for o in _one_per_year(indicator, as_of_year) if o.value is not None
    ]
    if (
        b is not None
        and indicator.baseline_year is not None
        and all(x != indicator.baseline_year for x, _ in points)
    ):
        points.insert(0, (indicator.baseline_year, _f(b)))
    projected = forecast(points, target.fiscal_year)
    outlook = (
        None
        if projected is None
        else Forecast(
            target.fiscal_year, projected, meets_target(projected, t, direction, indicator.lower_is_better)
        )
    )
    return Evaluation(status, direction, latest, target, progress, rate, elapsed, outlook, tuple(flags))


def _set_in_earlier_plan(target: TargetInput, plan_start: int | None, rules: Rules) -> bool:
    """Set before the plan's drafting year: the target was carried over from an earlier plan."""
    if target.set_in is None or plan_start is None:
        return False
    return target.set_in < plan_start - rules.planning_lead_years


def _elapsed_share(baseline_year: int | None, latest_year: int, target_year: int) -> Fraction | None:
    if baseline_year is None or target_year == baseline_year:
        return None
    return Fraction(latest_year - baseline_year, target_year - baseline_year)


def _one_per_year(indicator: IndicatorInput, as_of: int | None) -> list[ObservationInput]:
    """The observations with values up to ``as_of``, the actual where a year has both."""
    best: dict[int, ObservationInput] = {}
    for o in indicator.observations:
        if o.value is None or (as_of is not None and o.fiscal_year > as_of):
            continue
        if o.fiscal_year not in best or o.kind == "actual":
            best[o.fiscal_year] = o
    return [best[year] for year in sorted(best)]


def _period_flags(indicator: IndicatorInput, target: TargetInput | None, as_of: int | None) -> list[Flag]:
    """Gaps (a year from the first published column to ``as_of`` without a value) and years
    outside baseline…target. Years before the first column were simply not on the page."""
    flags: list[Flag] = []
    published = {o.fiscal_year for o in indicator.observations}
    reported = {o.fiscal_year for o in indicator.observations if o.value is not None}
    if published and as_of is not None:
        flags.extend(
            Flag("evaluation.flag.missing_year", {"year": year})
            for year in range(min(published), as_of + 1)
            if year not in reported
        )
    start = indicator.baseline_year
    end = target.fiscal_year if target else indicator.plan_end_year
    if start is not None and end is not None:
        flags.extend(
            Flag("evaluation.flag.outside_period", {"year": year})
            for year in sorted(reported)
            if not start <= year <= end
        )
    return flags


def _direction_params(
    baseline: Decimal | None, target: TargetInput | None, stated: Direction
) -> dict[str, object]:
    return {
        "baseline": baseline,
        "target": target.value if target else None,
        "direction": stated,
    }


_YEAR_PARAMS = ("year", "target_year", "set_in", "start")


def flag_message(flag: Flag, lang: Lang = "ja") -> str:
    """A flag's plain-language explanation, years as 令和元年度（2019年度） / FY2019 (Reiwa 1)."""
    params = dict(flag.params)
    for key in _YEAR_PARAMS:
        if isinstance(params.get(key), int):
            params[key] = format_fiscal_year(params[key], lang)
    if "direction" in params:
        params["direction"] = render(f"evaluation.direction.{params['direction']}", None, lang)
    for key in ("baseline", "target"):
        if isinstance(params.get(key), Decimal):
            params[key] = format_number(params[key])
    return render(flag.code, params, lang)


def status_label(status: Status, lang: Lang = "ja", rules: Rules = DEFAULT_RULES) -> str:
    if status in rules.labels:
        ja, en = rules.labels[status]
        return en if lang == "en" else ja
    return render(f"evaluation.status.{status}", None, lang)


def status_text(status: Status, lang: Lang = "ja", rules: Rules = DEFAULT_RULES) -> str:
    """Icon and word together (◎ 達成): a status never rests on colour, or the icon, alone."""
    return f"{STATUS_ICONS[status]} {status_label(status, lang, rules)}"


def status_counts(statuses: Iterable[Status]) -> dict[Status, int]:
    """How many of each status, every status present (0 where none), in the canonical order."""
    counts = Counter(statuses)
    return {status: counts.get(status, 0) for status in STATUSES}


def status_shares(statuses: Iterable[Status]) -> dict[Status, Fraction]:
    counts = status_counts(statuses)
    total = sum(counts.values())
    return {status: Fraction(n, total) if total else Fraction(0) for status, n in counts.items()}
