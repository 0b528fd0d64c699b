"""`sengen report` as a user runs it, and its PDFs read back with poppler (see conftest.py)."""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from sengen.core.figures import Figure, format_figure
from tests.reports.conftest import ARTIFACTS, Sengen, tool

YEAR = 2020
YEAR_TEXT = "令和2年度（2020年度）"

pytestmark = pytest.mark.usefixtures("poppler")


@pytest.fixture(scope="module")
def published(demo_sengen: Sengen) -> list[dict]:
    """The FY2020 declarations as sengen/1 records: what the report must show, in its order."""
    result = demo_sengen.run("export", "--year", str(YEAR), check=True)
    return json.loads(result.stdout)["declarations"]


@pytest.fixture(scope="module")
def pdfs(demo_sengen: Sengen) -> dict[str, Path]:
    made = {}
    for kind in ("declarations", "achievement"):
        out = demo_sengen.folder / f"{kind}.pdf"
        demo_sengen.run("report", "--year", "令和2年度", "--kind", kind, "-o", str(out), check=True)
        made[kind] = out
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tool("pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "3", str(out), str(ARTIFACTS / kind))
    return made


def _figure(value, unit: str | None, qualifier: str | None = None) -> str:
    return format_figure(Figure(value=Decimal(str(value)), unit=unit, qualifier=qualifier))


def _squashed(text: str) -> str:
    """Text without any whitespace: a name wrapped inside a table cell reads as one string again."""
    return re.sub(r"\s+", "", text)


def _in_order(text: str, needles: list[str]) -> None:
    """Every needle occurs in ``text``, each after the previous one."""
    at = 0
    for needle in needles:
        found = text.find(needle, at)
        assert found >= 0, f"{needle!r} not found after position {at}"
        at = found + len(needle)


def _pages(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", tool("pdfinfo", str(pdf)), re.M).group(1))


def _page_text(pdf: Path, page: int) -> str:
    return tool("pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-")


def _toc(pdf: Path) -> dict[str, int]:
    """The table of contents on page 2: entry → the page number the layout put beside it."""
    entries = re.findall(r"^\s*(\S+?)\s*\.{3,}\s*(\d+)\s*$", _page_text(pdf, 2), re.M)
    return {name: int(page) for name, page in entries}


def _order(published: list[dict]) -> list[str]:
    """Departments in report order, each followed by its indicators' names in table order."""
    return [x for d in published for x in [d["department"], *(i["name"] for i in d["indicators"])]]


def _check_structure(pdf: Path, parts: list[str]) -> None:
    """Cover (1) and contents (2), then every part starting on the page its contents entry names,
    in order, each on a new page; and every footer's "x / y" agreeing with the page count."""
    pages = _pages(pdf)
    toc = _toc(pdf)
    assert list(toc) == parts
    starts = list(toc.values())
    assert starts[0] == 3, "cover and contents come first"
    assert starts == sorted(set(starts)), "every part starts on a page of its own"
    assert pages >= starts[-1] >= 2 + len(parts) - 1
    for name, page in toc.items():
        body = _page_text(pdf, page).splitlines()
        heading = next(line.strip() for line in body[1:] if line.strip())  # line 0 is the running header
        assert heading == name, f"page {page} should open with {name}"
    for page in range(2, pages + 1):
        text = _page_text(pdf, page)
        assert re.search(rf"(?<!\d){page}\s*/\s*{pages}(?!\d)", text), f"page {page}: {text}"
        assert YEAR_TEXT in text


def test_declarations_booklet_has_every_department_and_indicator_in_order(
    pdfs: dict[str, Path], published: list[dict]
) -> None:
    pdf = pdfs["declarations"]
    departments = [d["department"] for d in published]
    _check_structure(pdf, departments)
    cover = _page_text(pdf, 1)
    assert "部長の目標宣言" in cover and YEAR_TEXT in cover
    # -raw keeps the order WeasyPrint drew the text in, cell after cell, so a wrapped name is contiguous.
    raw = _squashed(tool("pdftotext", "-raw", str(pdf), "-"))
    _in_order(raw[raw.index("部長メッセージ") :], _order(published))
    layout = tool("pdftotext", "-layout", str(pdf), "-")
    assert "10,554人" in layout and "15,000人" in layout  # 17-101's baseline and target
    for d in published:
        assert d["head"]["title"] in layout
        for i in d["indicators"]:
            b, t = i["baseline"], i["targets"][-1]
            assert _figure(b["value"], i["unit"], b["qualifier"]) in layout, i["name"]
            assert _figure(t["value"], i["unit"], t["qualifier"]) in layout, i["name"]
            assert i["project"]["number"] in layout
    info = tool("pdfinfo", str(pdf))
    assert f"部長の目標宣言 {YEAR_TEXT}" in info and re.search(r"^Tagged:\s+yes", info, re.M)


def test_achievement_report_has_summary_statuses_and_charts(
    pdfs: dict[str, Path], published: list[dict]
) -> None:
    pdf = pdfs["achievement"]
    departments = [d["department"] for d in published]
    _check_structure(pdf, ["全庁の概要", *departments])
    raw = _squashed(tool("pdftotext", "-raw", str(pdf), "-"))
    _in_order(raw[raw.index("事業指標の達成状況") :], _order(published))
    layout = tool("pdftotext", "-layout", str(pdf), "-")
    # The city-wide summary (docs/evaluation.md §5 for 市民生活部): 達成 2 / 順調 2 / 遅れ 5 / 後退 3 / 未測定 0.
    summary = _page_text(pdf, 3)
    assert re.search(r"市民生活部\s+2\s+2\s+5\s+3\s+0\s+12", summary), summary
    assert re.search(r"全体\s+2\s+2\s+11\s+3\s+0\s+18", summary), summary
    assert "目標の見直しを検討する指標" in summary and "37-101" in summary and "19-101" in summary
    assert "13,217人（令和元年度見込）" in raw  # 17-101's latest: the FY2019 estimate
    assert "△ 遅れ" in layout and "◎ 達成" in layout and "× 後退" in layout
    for d in published:
        for i in d["indicators"]:
            latest = i["evaluation"]["latest"]
            assert _figure(latest["value"], i["unit"]) in layout, i["name"]
    assert "指標ごとの推移" in layout and "単位：人" in layout, "the charts' own text is in the PDF"


def test_pdfs_embed_every_font(pdfs: dict[str, Path]) -> None:
    for pdf in pdfs.values():
        rows = tool("pdffonts", str(pdf)).splitlines()[2:]
        assert rows, "a PDF of text has fonts"
        for row in rows:
            # name type encoding emb sub uni object id: emb is the fourth field from the right.
            assert row.split()[-5] == "yes", row
        assert any("BIZ-UD" in row or "IPAex" in row for row in rows)


def test_one_department_is_the_same_pages_as_in_the_whole_city(demo_sengen: Sengen, pdfs) -> None:
    """The same layout for 環境部 alone: cover, contents, then exactly the pages it had before."""
    out = demo_sengen.folder / "environment.pdf"
    demo_sengen.run("report", "--year", "2020", "--department", "環境部", "-o", str(out), check=True)
    whole = pdfs["declarations"]
    start = _toc(whole)["環境部"]
    assert _pages(out) == 2 + (_pages(whole) - start + 1)
    assert "環境部" in _page_text(out, 1)


def test_html_format_shows_the_same(demo_sengen: Sengen, published: list[dict]) -> None:
    out = demo_sengen.folder / "achievement.html"
    demo_sengen.run(
        "report", "--year", "2020", "--kind", "achievement", "--format", "html", "-o", str(out), check=True
    )
    html = out.read_text(encoding="utf-8")
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask, "a report is not written private (0600)"
    assert html.startswith("<!DOCTYPE html>") and '<html lang="ja">' in html and "<style>" in html
    assert f"<title>部長の目標宣言 達成状況報告 {YEAR_TEXT}</title>" in html
    _in_order(html, _order(published))
    assert "13,217人" in html and "<svg" in html


@pytest.mark.parametrize(
    ("args", "ja", "en"),
    [
        (
            ["--year", "2018"],
            "平成30年度（2018年度）に公開された目標宣言がありません",
            "No declaration of FY2018 (Heisei 30) is published",
        ),
        (
            ["--year", "2020", "--department", "総務部"],
            "令和2年度（2020年度）の「総務部」の目標宣言は公開されていません。この年度の部：市民生活部、環境部",
            'No declaration of "総務部" is published for FY2020 (Reiwa 2). Departments of that year: 市民生活部, 環境部',
        ),
    ],
)
def test_nothing_to_report_is_refused(demo_sengen: Sengen, args: list[str], ja: str, en: str) -> None:
    out = demo_sengen.folder / "refused.pdf"
    result = demo_sengen.run("report", *args, "-o", str(out))
    assert result.returncode == 1 and ja in result.stderr, result.stderr
    assert not out.exists()
    result = demo_sengen.run("report", *args, "-o", str(out), "--lang", "en")
    assert result.returncode == 1 and en in result.stderr, result.stderr
    assert not out.exists()


def test_missing_output_folder_is_refused(demo_sengen: Sengen) -> None:
    out = demo_sengen.folder / "no-such-folder" / "r.pdf"
    result = demo_sengen.run("report", "--year", "2020", "-o", str(out))
    assert result.returncode == 1 and "出力先のフォルダ" in result.stderr and "がありません" in result.stderr
    assert not out.parent.exists()


def test_missing_japanese_fonts_are_refused_naming_the_package(demo_sengen: Sengen, tmp_path: Path) -> None:
    empty = tmp_path / "fonts.conf"  # a fontconfig that knows no font at all
    empty.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig/>')
    out = demo_sengen.folder / "nofont.pdf"
    result = demo_sengen.run("report", "--year", "2020", "-o", str(out), env={"FONTCONFIG_FILE": str(empty)})
    assert result.returncode == 1
    assert "sudo apt-get install fonts-morisawa-bizud-gothic" in result.stderr
    assert not out.exists()
