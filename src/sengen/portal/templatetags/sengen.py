"""Template tags and filters that show figures, fiscal years and statuses as the whole project does."""

from __future__ import annotations

from django import template
from django.urls import translate_url

from sengen.catalog.evaluation import rules
from sengen.core.evaluation import status_text as core_status_text
from sengen.core.figures import Figure, format_figure
from sengen.core.wareki import format_fiscal_year
from sengen.interchange.evaluation import percent_text
from sengen.portal.language import current_lang

register = template.Library()


@register.filter
def fiscal_year(year: int | None) -> str:
    return "" if year is None else format_fiscal_year(year, current_lang())


@register.filter
def figure(value: object, unit: str | None = None) -> str:
    """A baseline, observation or target record shown with the indicator's unit."""
    if value is None:
        return ""
    return format_figure(
        Figure(
            value=getattr(value, "value", None),
            unit=unit,
            qualifier=getattr(value, "qualifier", None),
            annotation=getattr(value, "annotation", None),
        )
    )


@register.filter
def status_text(status: str) -> str:
    """Icon and word together: a status never depends on colour (or the icon) alone."""
    return core_status_text(status, current_lang(), rules())


@register.filter
def percent(rate) -> str:
    return "" if rate is None else f"{percent_text(rate)}%"


@register.simple_tag(takes_context=True)
def other_language_url(context, lang: str) -> str:
    return translate_url(context["request"].get_full_path(), lang)


FLAG_NAMES = {
    "target_met_early": ("目標を前倒しで達成（見直し推奨）", "Target met early (review)"),
    "latest_is_estimate": ("最新値が見込値", "Latest is an estimate"),
    "missing_year": ("未報告の年度あり", "A year not reported"),
    "target_from_earlier_plan": ("前の計画の目標", "Target from an earlier plan"),
    "direction_conflict": ("目標の方向が逆", "Target against the direction"),
    "target_equals_baseline": ("目標が当初水準と同じ", "Target equals baseline"),
    "no_baseline": ("当初水準なし", "No baseline"),
    "no_target": ("目標なし", "No target"),
    "outside_period": ("期間外の値あり", "Value outside the period"),
}


@register.filter
def flag_name(code: str) -> str:
    ja, en = FLAG_NAMES[code]
    return en if current_lang() == "en" else ja


@register.filter
def flag_message(flag, lang: str | None = None) -> str:
    return flag.message[lang or current_lang()]


@register.simple_tag
def open_data_formats() -> list[tuple[str, str]]:
    """(format name, label in the page's language) of every open-data download (exports.FORMATS)."""
    from sengen.exports import FORMATS

    en = current_lang() == "en"
    return [(f.name, f.label[1] if en else f.label[0]) for f in FORMATS.values()]
