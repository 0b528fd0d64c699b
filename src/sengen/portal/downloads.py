"""Downloads on the portal: the open-data formats of a declaration or a whole year, and the printed
reports (PDF).

Open data is written on request by the same writers as ``sengen export`` (sengen.exports.FORMATS).
A PDF report is made on the first request and kept on disk until the year's published data
changes (or the server restarts with new settings or templates): making a city's achievement
report takes seconds to tens of seconds (docs/reports.md), far too long to repeat per request.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header, http_date

from sengen.catalog import queries
from sengen.catalog.evaluation import evaluated_document
from sengen.exports import FORMATS
from sengen.portal.language import current_lang
from sengen.portal.views import _last_modified, last_changed

KINDS = ("declarations", "achievement")


def cache_dir() -> Path:
    return Path(settings.VAR_DIR) / "cache" / "reports"


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
    stamp = last_changed(queries.declarations(fiscal_year=fiscal_year))
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


def _open_data(shown, fmt: str, filename: str) -> HttpResponse:
    chosen = FORMATS.get(fmt)
    if chosen is None:
        raise Http404("unknown format")
    document = evaluated_document(shown)
    if not document.declarations:
        raise Http404("nothing published")
    data = chosen.write(document, lang=current_lang())
    media = chosen.media_type + ("" if chosen.binary or "xml" in chosen.media_type else "; charset=utf-8")
    response = HttpResponse(data, content_type=media)
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{chosen.extension}")
    response["Access-Control-Allow-Origin"] = "*"  # public open data, readable from any site
    return _last_modified(response, shown)


def declaration_download(request: HttpRequest, fiscal_year: int, department: str, fmt: str) -> HttpResponse:
    shown = queries.declarations(fiscal_year=fiscal_year, department=department)
    return _open_data(shown, fmt, f"sengen-{fiscal_year}-{department}")


def year_download(request: HttpRequest, fiscal_year: int, fmt: str) -> HttpResponse:
    return _open_data(queries.declarations(fiscal_year=fiscal_year), fmt, f"sengen-{fiscal_year}")
