"""The printed reports on the portal (PDF), made on the first request and kept on disk until the
year's published data changes (or the server restarts with new settings or templates).

Making a city's achievement report takes seconds to tens of seconds (docs/reports.md), far too
long to repeat per request; a published figure changes a few times a year.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.db.models import Max
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import http_date

from sengen.catalog import queries
from sengen.portal.views import STARTED

KINDS = ("declarations", "achievement")


def cache_dir() -> Path:
    return Path(settings.VAR_DIR) / "cache" / "reports"


def _stamp(fiscal_year: int):
    newest = queries.declarations(fiscal_year=fiscal_year).aggregate(newest=Max("updated_at"))["newest"]
    return None if newest is None else max(newest, STARTED)


def _make(fiscal_year: int, kind: str, path: Path) -> None:
    from sengen.reports.build import build
    from sengen.reports.html import render_html, stylesheet
    from sengen.reports.pdf import write_pdf

    data, _variant = write_pdf(render_html(build(fiscal_year, None, kind), inline_css=False), stylesheet())
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".report.", suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    # Older versions of the same report are stale from now on.
    for old in path.parent.glob(f"{fiscal_year}-{kind}-*.pdf"):
        if old != path:
            old.unlink(missing_ok=True)


def report_pdf(request: HttpRequest, fiscal_year: int, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404("unknown report")
    stamp = _stamp(fiscal_year)
    if stamp is None:
        raise Http404("no published declarations in this year")
    path = cache_dir() / f"{fiscal_year}-{kind}-{int(stamp.timestamp() * 1_000_000)}.pdf"
    if not path.exists():
        from sengen.reports.pdf import fonts_missing

        if fonts_missing():
            return render(request, "portal/report_unavailable.html", status=503)
        _make(fiscal_year, kind, path)
    response = FileResponse(
        path.open("rb"), content_type="application/pdf", filename=f"sengen-{fiscal_year}-{kind}.pdf"
    )
    response["Last-Modified"] = http_date(stamp.timestamp())
    return response
