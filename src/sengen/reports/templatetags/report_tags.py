"""Filters the printed reports need beyond the portal's (templatetags/sengen.py)."""

from __future__ import annotations

from django import template

from sengen.core.wareki import format_fiscal_year

register = template.Library()


@register.filter
def short_year(year: int | None) -> str:
    """令和元年度 without the Western year: a narrow table cell under a figure (the header and the
    running footer give the year in both calendars)."""
    return "" if year is None else format_fiscal_year(year, short=True)
