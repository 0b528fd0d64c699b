"""The evaluation rules (core.evaluation) applied to sengen/1 records, and their rollups.

Exporters and the `sengen evaluate` command all come through here, so a rate is computed
once and shown the same everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from sengen.core import evaluation as rules_
from sengen.core.evaluation import DEFAULT_RULES, STATUSES, Rules, Status
from sengen.core.figures import Figure, format_figure
from sengen.core.wareki import format_fiscal_year
from sengen.interchange import models as rec

RATE_PLACES = Decimal("0.001")
_YEAR_KEYS = ("year", "target_year", "set_in")
FORECAST_PLACES = Decimal("0.01")


def rounded(value: Fraction | None, places: Decimal = RATE_PLACES) -> Decimal | None:
    """An exact fraction to a fixed number of decimal places, half up (as staff round by hand)."""
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(places, rounding=ROUND_HALF_UP)


def indicator_input(indicator: rec.Indicator, plan: rec.Plan | None) -> rules_.IndicatorInput:
    baseline = indicator.baseline
    return rules_.IndicatorInput(
        baseline_year=baseline.fiscal_year if baseline else None,
        baseline_value=baseline.value if baseline else None,
        observations=[
            rules_.ObservationInput(o.fiscal_year, o.kind, o.value) for o in indicator.observations
        ],
        targets=[rules_.TargetInput(t.fiscal_year, t.value, t.set_in) for t in indicator.targets],
        direction=indicator.direction,
        plan_start_year=plan.start_year if plan else None,
        plan_end_year=plan.end_year if plan else None,
    )


def evaluation_record(result: rules_.Evaluation) -> rec.Evaluation:
    latest = result.latest
    return rec.Evaluation(
        status=result.status,
        progress_rate=rounded(result.progress_rate),
        achievement_rate=rounded(result.achievement_rate),
        elapsed_share=rounded(result.elapsed_share),
        direction=result.direction,
        latest=rec.LatestValue(fiscal_year=latest.fiscal_year, kind=latest.kind, value=latest.value)
        if latest is not None
        else None,
        target=rec.TargetValue(fiscal_year=result.target.fiscal_year, value=result.target.value)
        if result.target is not None and result.target.value is not None
        else None,
        forecast=rec.Forecast(
            fiscal_year=result.forecast.fiscal_year,
            value=rounded(result.forecast.value, FORECAST_PLACES),
            meets_target=result.forecast.meets_target,
        )
        if result.forecast is not None
        else None,
        flags=[
            rec.Flag(
                code=flag.code.removeprefix("evaluation.flag."),
                fiscal_year=next(
                    (v for k, v in flag.params.items() if k in _YEAR_KEYS and isinstance(v, int)), None
                ),
                message={"ja": rules_.flag_message(flag, "ja"), "en": rules_.flag_message(flag, "en")},
            )
            for flag in result.flags
        ],
    )


def evaluate_indicator(
    indicator: rec.Indicator, plan: rec.Plan | None, rules: Rules = DEFAULT_RULES, as_of: int | None = None
) -> rec.Evaluation:
    return evaluation_record(rules_.evaluate(indicator_input(indicator, plan), as_of, rules))


def as_of_year(declaration: rec.Declaration) -> int | None:
    """A declaration is evaluated as of the latest year any of its indicators has a value, so a
    row whose latest column is "—" shows that gap instead of looking complete."""
    years = [o.fiscal_year for i in declaration.indicators for o in i.observations if o.value is not None]
    return max(years) if years else None


def with_evaluations(document: rec.Document, rules: Rules = DEFAULT_RULES) -> rec.Document:
    """The document with every indicator's evaluation block filled in."""
    declarations = []
    for d in document.declarations:
        as_of = as_of_year(d)
        indicators = [
            i.model_copy(update={"evaluation": evaluate_indicator(i, d.plan, rules, as_of)})
            for i in d.indicators
        ]
        declarations.append(d.model_copy(update={"indicators": indicators}))
    return document.model_copy(update={"declarations": declarations})


def without_evaluations(document: rec.Document) -> rec.Document:
    """Evaluations are derived: an imported document's blocks are dropped, never stored."""
    declarations = [
        d.model_copy(update={"indicators": [i.model_copy(update={"evaluation": None}) for i in d.indicators]})
        for d in document.declarations
    ]
    return document.model_copy(update={"declarations": declarations})


def _summary(statuses: list[Status]) -> dict[str, Any]:
    counts = rules_.status_counts(statuses)
    shares = rules_.status_shares(statuses)
    return {
        "total": len(statuses),
        "counts": dict(counts),
        "shares": {status: rounded(shares[status]) for status in STATUSES},
    }


def rollups(document: rec.Document) -> dict[str, list[dict[str, Any]]]:
    """Counts and shares by status per declaration, per department across years, and per plan.

    A plan counts each of its indicators once, as its latest declaration in the document
    evaluates it: the plan's standing, not a sum over years. The document must carry
    evaluations (see ``with_evaluations``).
    """
    by_declaration = []
    by_department: dict[str, dict[int, list[Status]]] = defaultdict(dict)
    by_plan: dict[tuple[str, int, int], dict[tuple[str, str], tuple[int, Status]]] = defaultdict(dict)
    for d in document.declarations:
        statuses = [i.evaluation.status for i in d.indicators if i.evaluation is not None]
        by_declaration.append(
            {"fiscal_year": d.fiscal_year, "department": d.department, **_summary(statuses)}
        )
        by_department[d.department][d.fiscal_year] = statuses
        if d.plan is None:
            continue
        latest = by_plan[(d.plan.name, d.plan.start_year, d.plan.end_year)]
        for i in d.indicators:
            key = (i.project.number, i.name)
            if i.evaluation is not None and (key not in latest or latest[key][0] <= d.fiscal_year):
                latest[key] = (d.fiscal_year, i.evaluation.status)
    departments = [
        {
            "department": name,
            "years": [{"fiscal_year": year, **_summary(years[year])} for year in sorted(years)],
            **_summary([s for year in sorted(years) for s in years[year]]),
        }
        for name, years in sorted(by_department.items())
    ]
    plans = [
        {"name": name, "start_year": start, "end_year": end, **_summary([s for _, s in latest.values()])}
        for (name, start, end), latest in sorted(by_plan.items(), key=lambda item: (item[0][1], item[0][0]))
    ]
    return {"declarations": by_declaration, "departments": departments, "plans": plans}


def percent_text(rate: Decimal) -> str:
    return str((rate * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _baseline_text(indicator: rec.Indicator, fig, lang: str) -> str:
    b = indicator.baseline
    if b is None or b.value is None:
        return ""
    if b.fiscal_year is None:
        return f"（{fig(b.value)}）" if lang == "ja" else f" ({fig(b.value)})"
    year = format_fiscal_year(b.fiscal_year, lang, short=True)
    return f"（{year} {fig(b.value)}）" if lang == "ja" else f" ({year}: {fig(b.value)})"


def explain(indicator: rec.Indicator, lang: str = "ja") -> str:
    """The evaluation in one plain sentence, e.g.
    「目標15,000人に対し、令和元年度見込み13,217人。計画期間の67%が経過し、進捗は60%です。」"""
    e = indicator.evaluation
    if e is None or e.latest is None or e.target is None:
        return "まだ評価できる値がありません。" if lang == "ja" else "There is no value to evaluate yet."

    def fig(value: Decimal) -> str:
        return format_figure(Figure(value=value, unit=indicator.unit))

    year = format_fiscal_year(e.latest.fiscal_year, lang, short=True)
    target_year = format_fiscal_year(e.target.fiscal_year, lang, short=True)
    if lang == "ja":
        kind = "見込み" if e.latest.kind == "estimate" else "実績"
        head = f"目標{fig(e.target.value)}（{target_year}）に対し、{year}{kind}{fig(e.latest.value)}。"
        if e.status == "achieved":
            return head + "目標を達成しています。"
        if e.status == "no_data":
            return head + "当初水準より後の測定値がまだありません。"
        if e.status == "off_track":
            return head + f"当初水準{_baseline_text(indicator, fig, lang)}より目標から遠ざかっています。"
        if e.elapsed_share is None or e.progress_rate is None:
            return head + "進捗率は計算できません。"
        return head + (
            f"計画期間の{percent_text(e.elapsed_share)}%が経過し、進捗は{percent_text(e.progress_rate)}%です。"
        )
    kind = "estimate" if e.latest.kind == "estimate" else "actual"
    head = f"Target {fig(e.target.value)} ({target_year}); {year} {kind}: {fig(e.latest.value)}."
    if e.status == "achieved":
        return head + " The target has been met."
    if e.status == "no_data":
        return head + " Nothing has been measured since the baseline yet."
    if e.status == "off_track":
        return (
            head
            + f" It has moved away from the target since the baseline{_baseline_text(indicator, fig, lang)}."
        )
    if e.elapsed_share is None or e.progress_rate is None:
        return head + " Progress cannot be computed."
    return (
        head + f" {percent_text(e.elapsed_share)}% of the plan period has passed; progress is "
        f"{percent_text(e.progress_rate)}%."
    )
