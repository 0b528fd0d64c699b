"""The report HTML as a print-quality PDF (WeasyPrint), with its Japanese fonts checked first.

WeasyPrint silently substitutes any font it finds; a booklet printed in a fallback without
Japanese glyphs would show empty boxes, so the command refuses instead (see fonts_missing).
"""

from __future__ import annotations

import shutil
import subprocess

from sengen.core.messages import register

register(
    {
        "report.no_fonts": (
            "日本語フォント（BIZ UDゴシック または IPAexゴシック）が見つかりません。"
            "sudo apt-get install fonts-morisawa-bizud-gothic で入れてから、もう一度実行してください。",
            "No Japanese font (BIZ UDGothic or IPAexGothic) is installed. "
            "Install one with sudo apt-get install fonts-morisawa-bizud-gothic, then run again.",
        ),
        "report.no_weasyprint": (
            "PDF を作れません（{reason}）。sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 で "
            "Pango を入れてください。",
            "Cannot make a PDF ({reason}). Install Pango: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0.",
        ),
    }
)

# The report.css font-family names, in order; either family is enough to print Japanese.
FONT_FAMILIES = ("BIZ UDPGothic", "BIZ UDGothic", "IPAexGothic")
# Tagged PDF/UA-1 first (structure tree, /Lang, /Title for screen readers); plain tags if that variant
# is refused by the installed WeasyPrint, then an untagged PDF rather than none.
PDF_ATTEMPTS: tuple[dict, ...] = ({"pdf_variant": "pdf/ua-1"}, {"pdf_tags": True}, {})


def installed_families() -> set[str]:
    """Families fontconfig knows for Japanese; WeasyPrint finds fonts through the same fontconfig."""
    if shutil.which("fc-list") is None:
        return set()
    result = subprocess.run(
        ["fc-list", ":lang=ja", "family"], capture_output=True, text=True, check=False, timeout=60
    )
    return {name.strip() for line in result.stdout.splitlines() for name in line.split(",")}


def fonts_missing() -> bool:
    return not set(FONT_FAMILIES) & installed_families()


def write_pdf(html: str, css: str) -> tuple[bytes, str]:
    """The PDF bytes and which variant they were written as ("pdf/ua-1", "tagged" or "plain")."""
    from weasyprint import CSS, HTML  # imported here: it loads Pango, which only the PDF needs

    document = HTML(string=html, base_url=".").render(stylesheets=[CSS(string=css)])
    for options in PDF_ATTEMPTS:
        try:
            data = document.write_pdf(**options)
        except (ValueError, TypeError, KeyError):
            continue
        if data:
            return data, options.get("pdf_variant") or ("tagged" if options else "plain")
    raise RuntimeError("WeasyPrint wrote no PDF")
