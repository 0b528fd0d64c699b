"""The report as one HTML document, rendered from the templates under templates/reports/.

The report is Japanese (a booklet for council and residents), whatever the language of the
command's messages: the portal's template filters follow the active translation, so it is pinned.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

from django.template.loader import render_to_string
from django.utils import translation

from sengen.reports.build import Report

CSS_PATH = resources.files("sengen.reports") / "static" / "reports" / "report.css"


def stylesheet() -> str:
    """The print stylesheet, read from disk: WeasyPrint takes it as a separate stylesheet, the HTML
    output inlines it so the file stands alone."""
    return CSS_PATH.read_text(encoding="utf-8")


def render_html(report: Report, *, inline_css: bool, step: Callable[[str], None] | None = None) -> str:
    """The whole report; ``step`` is called after each department's part is rendered."""
    with translation.override("ja"):
        parts = []
        for section in report.sections:
            parts.append(
                render_to_string(f"reports/{report.kind}_section.html", {"report": report, "s": section})
            )
            if step is not None:
                step(section.declaration.department)
        html = render_to_string("reports/report.html", {"report": report, "body": "".join(parts)})
    if inline_css:
        # Added here, not in the template: templates never carry inline styles (the portal's CSP, and
        # tests/workspace/test_security.py checks every template); this file is never served.
        html = html.replace("</head>", f"<style>\n{stylesheet()}</style>\n</head>", 1)
    return html
