"""Open data on the portal: every export format linked from the pages and served as a download."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from sengen.catalog.loader import load
from sengen.exports import FORMATS
from sengen.ingest import read_bytes
from sengen.portal.management.commands.demo import demo_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    load([read_bytes(data, name).document for name, data in demo_files()])


def _links(html: str) -> list[str]:
    return [unquote(h) for h in re.findall(r'href="(/data/[^"]+)"', html)]


def test_a_declaration_page_links_every_format_and_each_downloads(client, demo) -> None:
    links = _links(client.get("/2020/市民生活部/").content.decode())
    assert links == [f"/data/2020/市民生活部/{name}/" for name in FORMATS]
    for link, chosen in zip(links, FORMATS.values(), strict=True):
        response = client.get(link)
        assert response.status_code == 200, link
        assert response["Content-Type"].startswith(chosen.media_type)
        assert f".{chosen.extension}" in unquote(response["Content-Disposition"])
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Last-Modified" in response
        if not chosen.binary:
            body = response.content.decode("utf-8-sig")
            assert "くらし安心メール登録者数" in body, link
            assert "環境部" not in body, "only 市民生活部's declaration"


def test_the_year_download_holds_every_department(client, demo) -> None:
    links = _links(client.get("/?year=2019").content.decode())
    assert "/data/2019/csv/" in links
    body = client.get("/data/2019/csv/").content.decode("utf-8-sig")
    assert "市民生活部" in body and "環境部" in body
    assert ",2020," not in body.split("\r\n", 1)[1][:6], "only FY2019 declarations"


@pytest.mark.parametrize("url", ["/data/2020/pdf/", "/data/2031/csv/", "/data/2020/土木部/csv/"])
def test_unknown_formats_years_and_departments_are_not_found(client, demo, url: str) -> None:
    assert client.get(url).status_code == 404


def test_the_open_data_page_explains_the_formats_and_the_api(client) -> None:
    html = client.get("/data/").content.decode()
    assert "RDF Data Cube" in html and "StratML" in html and 'href="/api/docs"' in html
