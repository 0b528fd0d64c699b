"""Rules for a figure staff enter in the workspace (docs/workspace.md). Pure Python, no Django.

- The text is read like a published cell (``12,141``, ``約1,850``, ``—``); a unit, if written, must
  be the indicator's.
- Counted units (人, 件, 回, 箇所 …) take whole, non-negative numbers; other units take up to four
  decimal places, the most the database keeps.
- The year must fall within the plan or after it began, and not after the declaration's year.
- An actual that replaces an estimate and differs from it by more than a set share needs a reason,
  so a large revision is always explained in the audit trail.
"""

from __future__ import annotations

from decimal import Decimal

from sengen.core.figures import Figure, format_number, parse_figure
from sengen.core.messages import SengenError, register
from sengen.core.wareki import format_fiscal_year

register(
    {
        "entry.unit_mismatch": (
            "「{text}」の単位「{written}」が、この指標の単位「{unit}」と違います。"
            "数値だけを入力するか、「{unit}」で入力してください。",
            'The unit "{written}" in "{text}" is not this indicator\'s unit "{unit}". '
            'Enter the number alone, or in "{unit}".',
        ),
        "entry.unit_not_expected": (
            "この指標には単位がありません。「{text}」の「{written}」を消して、数値だけを入力してください。",
            'This indicator has no unit. Remove "{written}" from "{text}" and enter the number alone.',
        ),
        "entry.not_whole": (
            "「{unit}」で数える指標です。{value} ではなく整数で入力してください。",
            'This indicator counts in "{unit}": enter a whole number, not {value}.',
        ),
        "entry.negative": (
            "「{unit}」で数える指標に負の値 {value} は入力できません。0以上で入力してください。",
            'An indicator counted in "{unit}" cannot be negative ({value}). Enter 0 or more.',
        ),
        "entry.too_precise": (
            "{value} は小数点以下の桁が多すぎます。小数点以下4桁までで入力してください。",
            "{value} has too many decimal places. Enter at most four.",
        ),
        "entry.too_large": (
            "{value} は大きすぎます。整数部分は11桁までで入力してください。",
            "{value} is too large. Enter at most 11 digits before the decimal point.",
        ),
        "entry.before_plan": (
            "{year_ja}は計画期間（{start_ja}〜{end_ja}）の開始より前です。"
            "計画期間が始まった年度以降の値を入力してください（それより前の値は当初水準です）。",
            "FY{year} is before the plan period (FY{start}–FY{end}) began. Enter values from the "
            "plan's first year on (earlier values are the baseline).",
        ),
        "entry.after_declaration": (
            "{year_ja}は、この目標宣言の年度（{declaration_ja}）より後です。"
            "{declaration_ja}までの値を入力するか、翌年度の目標宣言に入力してください。",
            "FY{year} is after this declaration's year (FY{declaration}). Enter values up to "
            "FY{declaration}, or enter this one in the next year's declaration.",
        ),
        "entry.reason_required": (
            "実績値 {actual} は実績見込値 {estimate} と {share}% 違います（{threshold}% を超えています）。"
            "差の理由を入力してください。",
            "The actual {actual} differs from the estimate {estimate} by {share}% (more than "
            "{threshold}%). Enter the reason for the difference.",
        ),
    }
)

#: Units that count things: their figures are whole and never negative.
COUNT_UNITS = frozenset(
    [
        "人",
        "名",
        "者",
        "件",
        "回",
        "か所",
        "箇所",
        "ヶ所",
        "カ所",
        "ケ所",
        "団体",
        "校",
        "園",
        "世帯",
        "戸",
        "台",
        "本",
        "冊",
        "施設",
        "事業",
        "店舗",
        "社",
        "地区",
        "組",
        "枚",
        "頭",
        "基",
        "棟",
        "講座",
        "クラブ",
        "チーム",
        "日",
        "区",
        "館",
        "個",
        "軒",
    ]
)
MAX_INTEGER_DIGITS = 11
MAX_DECIMAL_PLACES = 4


def parse_entry(text: str, unit: str | None) -> Figure:
    """Read what was typed into a figure cell; the figure carries the indicator's unit."""
    figure = parse_figure(text)
    if figure.unit is not None and unit is None:
        raise SengenError("entry.unit_not_expected", text=text, written=figure.unit)
    if figure.unit is not None and figure.unit != unit:
        raise SengenError("entry.unit_mismatch", text=text, written=figure.unit, unit=unit)
    if figure.value is not None:
        check_value(figure.value, unit)
    return Figure(figure.value, unit, figure.qualifier, figure.annotation)


def check_value(value: Decimal, unit: str | None) -> None:
    shown = format_number(value)
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places > MAX_DECIMAL_PLACES:
        raise SengenError("entry.too_precise", value=shown)
    if abs(value) >= Decimal(10) ** MAX_INTEGER_DIGITS:
        raise SengenError("entry.too_large", value=shown)
    if unit in COUNT_UNITS:
        if value != value.to_integral_value():
            raise SengenError("entry.not_whole", unit=unit, value=shown)
        if value < 0:
            raise SengenError("entry.negative", unit=unit, value=shown)


def check_year(
    fiscal_year: int, *, declaration_year: int, plan_start: int | None = None, plan_end: int | None = None
) -> None:
    if plan_start is not None and fiscal_year < plan_start:
        end = plan_end if plan_end is not None else plan_start
        raise SengenError(
            "entry.before_plan",
            year=fiscal_year,
            year_ja=format_fiscal_year(fiscal_year),
            start=plan_start,
            start_ja=format_fiscal_year(plan_start),
            end=end,
            end_ja=format_fiscal_year(end),
        )
    if fiscal_year > declaration_year:
        raise SengenError(
            "entry.after_declaration",
            year=fiscal_year,
            year_ja=format_fiscal_year(fiscal_year),
            declaration=declaration_year,
            declaration_ja=format_fiscal_year(declaration_year),
        )


def revision_share(estimate: Decimal, actual: Decimal) -> Decimal | None:
    """How far the actual is from the estimate, as a share of the estimate (None if it was 0)."""
    if estimate == 0:
        return None
    return abs(actual - estimate) / abs(estimate)


def check_reason(estimate: Decimal | None, actual: Decimal | None, reason: str, threshold: Decimal) -> None:
    """Refuse an actual that departs from its estimate by more than ``threshold`` without a reason."""
    if estimate is None or actual is None or reason.strip():
        return
    share = revision_share(estimate, actual)
    if share is None:
        if actual == 0:
            return
    elif share <= threshold:
        return
    shown = "∞" if share is None else f"{(share * 100).quantize(Decimal('0.1'))}"
    raise SengenError(
        "entry.reason_required",
        actual=format_number(actual),
        estimate=format_number(estimate),
        share=shown,
        threshold=f"{(threshold * 100).normalize():f}",
    )
