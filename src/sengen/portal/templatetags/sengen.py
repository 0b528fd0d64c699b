"""Template filters that show figures and fiscal years the way the whole project does."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from sengen.core.figures import Figure, format_figure
from sengen.core.wareki import format_fiscal_year

register = template.Library()


@register.filter
def fiscal_year(year: int | None) -> str:
    if year is None:
        return ""
    return format_fiscal_year(year, "en" if (get_language() or "ja").startswith("en") else "ja")


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
