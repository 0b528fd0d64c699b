"""Marking Japanese content on English pages (WCAG 3.1.2, language of parts).

Department names, the head's message, policies and indicator names are stored in Japanese only;
on an English page a screen reader must be told to read them as Japanese. On a Japanese page the
whole document already says so, and nothing is added.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from sengen.portal.language import current_lang

register = template.Library()


@register.filter
def ja(value: object) -> object:
    """``value`` in a ``<span lang="ja">`` on a page that is not Japanese (for use in running text)."""
    if current_lang() == "ja" or value in (None, ""):
        return value
    return format_html('<span lang="ja">{}</span>', value)


@register.simple_tag
def lang_ja() -> SafeString:
    """` lang="ja"` for an element holding Japanese content, on a page that is not Japanese."""
    return mark_safe("" if current_lang() == "ja" else ' lang="ja"')
