"""WCAG 3.1.2 (language of parts): Japanese content on English pages says it is Japanese."""

from __future__ import annotations

import pytest

from sengen.catalog.loader import load
from sengen.ingest import read_bytes
from sengen.portal.management.commands.demo import demo_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    load([read_bytes(data, name).document for name, data in demo_files()])


def test_english_pages_mark_the_japanese_content(client, demo) -> None:
    html = client.get("/en/2020/市民生活部/").content.decode()
    assert '<html lang="en">' in html
    assert '<ul lang="ja">' in html, "roles and sections"
    assert '<th scope="row" lang="ja"><a href="/en/indicators/17-101/' in html, "indicator names"
    assert '<td class="num" lang="ja">13,217人</td>' in html, "figures carry Japanese units"
    index = client.get("/en/?year=2020").content.decode()
    assert '<th scope="row" lang="ja"><a href="/en/2020/' in index


def test_japanese_pages_need_no_marks(client, demo) -> None:
    html = client.get("/2020/市民生活部/").content.decode()
    assert 'lang="ja"' not in html.replace('<html lang="ja">', "")
