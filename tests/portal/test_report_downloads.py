"""The portal's PDF reports: linked from the top page, made once, remade when the data changes."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sengen.catalog import models as m
from sengen.catalog.loader import load
from sengen.ingest import read_bytes
from sengen.portal.management.commands.demo import demo_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    load([read_bytes(data, name).document for name, data in demo_files()])
    return tmp_path / "cache" / "reports"


def _pdf(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/pdf"
    assert "Last-Modified" in response
    return b"".join(response.streaming_content)


def test_the_top_page_links_both_reports_of_the_selected_year(client, demo) -> None:
    html = client.get("/?year=2019").content.decode()
    assert 'href="/reports/2019/declarations.pdf"' in html
    assert 'href="/reports/2019/achievement.pdf"' in html


def test_a_report_is_made_once_and_remade_when_the_published_data_changes(client, demo) -> None:
    first = _pdf(client, "/reports/2020/achievement.pdf")
    assert first.startswith(b"%PDF-")
    made = list(demo.glob("2020-achievement-*.pdf"))
    assert len(made) == 1
    stamp = made[0].stat().st_mtime_ns

    assert _pdf(client, "/reports/2020/achievement.pdf") == first
    assert made[0].stat().st_mtime_ns == stamp, "the cached file is served, not made again"

    m.Declaration.objects.filter(fiscal_year=2020).update(updated_at=timezone.now())
    _pdf(client, "/reports/2020/achievement.pdf")
    remade = list(demo.glob("2020-achievement-*.pdf"))
    assert len(remade) == 1 and remade != made, "the stale version is replaced"


@pytest.mark.parametrize("url", ["/reports/2020/summary.pdf", "/reports/2031/declarations.pdf"])
def test_unknown_reports_and_years_are_not_found(client, demo, url: str) -> None:
    assert client.get(url).status_code == 404
