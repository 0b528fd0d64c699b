"""The language of the page being rendered, as the project's messages name it."""

from __future__ import annotations

from django.utils.translation import get_language


def current_lang() -> str:
    return "en" if (get_language() or "ja").startswith("en") else "ja"
