"""The minimal public pages: the list of declarations and one declaration's content."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sengen.catalog.loader import load
from sengen.ingest import read_bytes, read_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(sample_path: Path) -> None:
    result = read_path(sample_path)
    assert result.ok
    load([result.document])


def test_index_lists_declarations_by_fiscal_year(client, imported) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ja">' in html
    assert "令和2年度（2020年度）" in html
    assert 'href="/2020/%E5%B8%82%E6%B0%91%E7%94%9F%E6%B4%BB%E9%83%A8/"' in html


def test_declaration_page_shows_the_content_and_the_kpi_table(client, imported) -> None:
    response = client.get("/2020/市民生活部/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "令和2年度（2020年度） 市民生活部長の目標宣言",
        "大津 隆治",
        "交通防犯対策担当",
        "くらし安心メール登録者数",
        "10,554人",
        "13箇所 (2箇所)",
        "9,600人",
        "平成30年度（2018年度）実績値",
        "令和元年度（2019年度）実績見込値",
        "人権・広聴相談課",
    ):
        assert text in html, text
    assert "&lt;p&gt;" not in html, "HTML from the source is never shown as markup"


def test_pages_stay_japanese_whatever_the_browser_asks(client, imported) -> None:
    html = client.get("/2020/市民生活部/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="ja">' in html
    assert "令和2年度（2020年度） 市民生活部長の目標宣言" in html
    assert "FY2020" not in html


def test_unknown_declaration_is_404(client, imported) -> None:
    assert client.get("/2019/市民生活部/").status_code == 404
    assert client.get("/2020/存在しない部/").status_code == 404


def test_query_count_does_not_grow_with_indicators(client, sample_path: Path) -> None:
    """One KPI row or twelve: the declaration page makes the same number of queries."""
    text = sample_path.read_text(encoding="utf-8")
    lines = text.splitlines()
    kept = [
        line
        for line in lines
        if not (line[:2].isdigit() and "-" in line[:6] and not line.startswith("17-101"))
    ]
    small = read_bytes("\n".join(kept).encode(), "small.txt")
    assert small.ok and len(small.document.declarations[0].indicators) == 1
    load([small.document])
    with CaptureQueriesContext(connection) as one:
        client.get("/2020/市民生活部/")
    load([read_path(sample_path).document])
    with CaptureQueriesContext(connection) as twelve:
        client.get("/2020/市民生活部/")
    assert len(twelve.captured_queries) == len(one.captured_queries)
