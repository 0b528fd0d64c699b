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


def test_declaration_rows_show_status_in_words_and_link_to_the_indicator(client, imported) -> None:
    html = client.get("/2020/市民生活部/").content.decode()
    assert "△ 遅れ" in html and "◎ 達成" in html and "× 後退" in html and "○ 順調" in html
    assert 'href="/indicators/17-101/' in html
    assert html.count('role="img"') >= 12, "a sparkline per KPI row"


def test_indicator_page_explains_the_evaluation_in_one_sentence(client, imported) -> None:
    response = client.get("/indicators/17-101/くらし安心メール登録者数/")
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "目標15,000人（令和2年度）に対し、令和元年度見込み13,217人。計画期間の67%が経過し、進捗は60%です。"
        in html
    )
    assert "<svg" in html and "<desc" in html, "the chart carries its own text alternative"
    for figure in ("10,554人", "12,141人", "13,217人", "15,000人"):
        assert figure in html, figure
    assert "平成29年度（2017年度）に設定" in html
    assert "市民協働課 交通防犯対策担当" in html


def test_indicator_page_shows_flags_in_plain_language(client, imported) -> None:
    html = client.get("/indicators/37-101/市民活動サポートセンターの年間利用者数/").content.decode()
    assert "最終年度（令和2年度（2020年度））より前に目標を達成しています" in html


def test_department_page_shows_each_year(client, sample_path: Path) -> None:
    from sengen.portal.management.commands.demo import demo_files

    load([read_bytes(data, name).document for name, data in demo_files()])
    html = client.get("/departments/環境部/").content.decode()
    assert "令和元年度（2019年度）" in html and "令和2年度（2020年度）" in html
    assert 'href="/2019/%E7%92%B0%E5%A2%83%E9%83%A8/"' in html


def test_top_page_year_selector_and_city_summary(client, sample_path: Path) -> None:
    from sengen.portal.management.commands.demo import demo_files

    load([read_bytes(data, name).document for name, data in demo_files()])
    html = client.get("/?year=2019").content.decode()
    assert '<option value="2019" selected>令和元年度（2019年度）</option>' in html
    assert "市全体" in html
    assert client.get("/?year=1999").status_code == 200, "an unknown year falls back to the latest"


def test_english_pages_under_en(client, imported) -> None:
    html = client.get("/en/2020/市民生活部/").content.decode()
    assert '<html lang="en">' in html
    assert "FY2020 (Reiwa 2) goal declaration of the 市民生活部長" in html
    assert "△ Behind" in html
    assert 'href="/2020/%E5%B8%82%E6%B0%91%E7%94%9F%E6%B4%BB%E9%83%A8/"' in html, "switch back to Japanese"
    sentence = client.get("/en/indicators/17-101/くらし安心メール登録者数/").content.decode()
    assert "67% of the plan period has passed; progress is 60%." in sentence


def test_pages_send_an_etag_and_answer_304(client, imported) -> None:
    first = client.get("/2020/市民生活部/")
    assert first.has_header("ETag")
    again = client.get("/2020/市民生活部/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_last_modified_follows_imports(client, sample_path: Path) -> None:
    from django.utils.http import parse_http_date

    document = read_path(sample_path).document
    load([document])
    first = client.get("/2020/市民生活部/")
    stamp = first["Last-Modified"]
    assert client.get("/2020/市民生活部/", HTTP_IF_MODIFIED_SINCE=stamp).status_code == 304
    for page in ("/", "/departments/市民生活部/", "/indicators/17-101/くらし安心メール登録者数/", "/search/"):
        assert client.get(page)["Last-Modified"] == stamp, page

    load([document])  # unchanged: nothing written, the date stays
    assert client.get("/2020/市民生活部/")["Last-Modified"] == stamp

    import time

    time.sleep(1.1)  # HTTP dates have whole seconds
    changed = document.model_copy(
        update={"declarations": [document.declarations[0].model_copy(update={"roles": ["役割を変更"]})]}
    )
    load([changed])
    newer = client.get("/2020/市民生活部/")["Last-Modified"]
    assert parse_http_date(newer) > parse_http_date(stamp)
    assert client.get("/2020/市民生活部/", HTTP_IF_MODIFIED_SINCE=stamp).status_code == 200


@pytest.fixture
def stale_pages(sample_path: Path, monkeypatch):
    """The sample loaded, every page dated a day ago; returns a reader of a page's Last-Modified."""
    import datetime

    from django.utils.http import parse_http_date

    from sengen.catalog import models as m
    from sengen.portal import views

    load([read_path(sample_path).document])
    old = views.STARTED - datetime.timedelta(days=1)
    m.Declaration.objects.update(updated_at=old)
    monkeypatch.setattr(views, "STARTED", old)
    return lambda client, page: parse_http_date(client.get(page)["Last-Modified"])


def _admin_request():
    from django.test import RequestFactory

    return RequestFactory().post("/")


def test_an_admin_correction_moves_last_modified(client, stale_pages) -> None:
    """An edit outside the importer must not let a cache keep the old page."""
    from django.contrib import admin

    from sengen.catalog import models as m

    page = "/indicators/17-101/くらし安心メール登録者数/"
    before = stale_pages(client, page)
    observation = m.Observation.objects.get(
        declaration_indicator__indicator__project__number="17-101", fiscal_year=2019
    )
    observation.value = 13300
    # Exactly what the admin's change form calls on save.
    admin.site._registry[m.Observation].save_model(_admin_request(), observation, None, True)
    assert stale_pages(client, page) > before
    assert "13,300人" in client.get("/2020/市民生活部/").content.decode()


def test_unknown_declaration_is_404(client, imported) -> None:
    assert client.get("/2019/市民生活部/").status_code == 404
    assert client.get("/2020/存在しない部/").status_code == 404
    assert client.get("/departments/存在しない部/").status_code == 404
    missing = client.get("/indicators/99-999/なし/")
    assert missing.status_code == 404
    html = missing.content.decode()
    assert "ページが見つかりません" in html and '<html lang="ja">' in html
    assert 'href="/en/indicators/' in html, "the language link is on the 404 page too"
    assert "Page not found" in client.get("/en/departments/なし/").content.decode()


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
    pages = (
        "/",
        "/2020/市民生活部/",
        "/departments/市民生活部/",
        "/indicators/17-101/くらし安心メール登録者数/",
    )
    counts_one = {}
    for page in pages:
        with CaptureQueriesContext(connection) as one:
            assert client.get(page).status_code == 200
        counts_one[page] = len(one.captured_queries)
    load([read_path(sample_path).document])
    for page in pages:
        with CaptureQueriesContext(connection) as twelve:
            client.get(page)
        assert len(twelve.captured_queries) == counts_one[page], page


@pytest.fixture
def demo_loaded() -> None:
    from sengen.portal.management.commands.demo import demo_files

    load([read_bytes(data, name).document for name, data in demo_files()])


def test_search_filters_by_status_year_and_department(client, demo_loaded) -> None:
    html = client.get("/search/?year=2020&department=市民生活部&status=achieved").content.decode()
    assert "指標 2件" in html
    assert "市民活動サポートセンターの年間利用者数" in html and "消費生活相談件数" in html
    assert "くらし安心メール登録者数" not in html
    assert '<option value="achieved" selected>' in html, "the form shows the query it answered"


def test_search_by_flag_and_keyword_across_indicators_and_policies(client, demo_loaded) -> None:
    flagged = client.get("/search/?flag=missing_year&year=2020").content.decode()
    assert "環境に配慮した行動を実践している市民の割合" in flagged
    assert "児童の自転車用ヘルメット着用率" in flagged
    found = client.get("/search/?q=リサイクル").content.decode()
    assert "リサイクル率" in found
    assert "取組方針 1件" in found
    assert "2. リサイクル率の向上に取り組みます" in found


def test_search_ignores_unknown_values_instead_of_failing(client, demo_loaded) -> None:
    response = client.get("/search/?year=abc&department=<script>&status=great")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_english_catalogue_is_complete() -> None:
    """Every UI string has an English translation, and none is a fuzzy guess."""
    import re

    from sengen.settings import BASE_DIR

    po = (BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = [
        chunk
        for chunk in po.split("\n\n")
        if 'msgid "' in chunk and 'msgid ""\nmsgstr ""\n"Project' not in chunk
    ]
    assert len(entries) > 40
    for entry in entries:
        assert "#, fuzzy" not in entry, entry
        translations = entry.split("msgstr", 1)[1]
        assert "".join(re.findall(r'"([^"]*)"', translations)).strip(), f"untranslated: {entry}"


def test_english_indicator_page_has_no_japanese_punctuation_from_templates(client, imported) -> None:
    html = client.get("/en/indicators/17-101/くらし安心メール登録者数/").content.decode()
    assert "Target (set in FY2017 (Heisei 29))" in html
    assert "中期戦略事業プラン (FY2018 (Heisei 30) – FY2020 (Reiwa 2))" in html


def test_an_admin_delete_moves_last_modified(client, stale_pages) -> None:
    from django.contrib import admin

    from sengen.catalog import models as m

    before = stale_pages(client, "/2020/市民生活部/")
    policy = m.Policy.objects.get(number=5)
    admin.site._registry[m.Policy].delete_queryset(_admin_request(), m.Policy.objects.filter(pk=policy.pk))
    assert stale_pages(client, "/2020/市民生活部/") > before
