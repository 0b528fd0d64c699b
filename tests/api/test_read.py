"""The published-data API as an outside program uses it: lists with filters and pages, one
declaration as sengen/1, an indicator's history, conditional requests and CORS."""

# Fixtures are imported from the workspace tests; using them as arguments is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import json
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.test import Client

from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.catalog.evaluation import evaluated_document
from sengen.core.messages import has_errors
from sengen.ingest import read_bytes
from sengen.interchange.jsonio import dumps, loads_raw
from tests.workspace.conftest import CITIZENS, ENVIRONMENT, demo  # noqa: F401

pytestmark = pytest.mark.django_db


def get(path: str, **headers):
    response = Client().get(path, headers=headers)
    body = loads_raw(response.content.decode()) if response.content else None
    return response, body


def test_declarations_lists_every_published_declaration_with_counts(demo):
    response, body = get("/api/declarations")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert body["total"] == 4
    assert [(d["fiscal_year"], d["department"]) for d in body["items"]] == [
        (2019, CITIZENS),
        (2019, ENVIRONMENT),
        (2020, CITIZENS),
        (2020, ENVIRONMENT),
    ]
    first = body["items"][0]
    assert first["indicators"] == sum(first["counts"].values()) > 0
    assert set(first["counts"]) == {"achieved", "on_track", "behind", "off_track", "no_data"}
    assert first["url"] == f"/api/declarations/2019/{CITIZENS}"
    assert first["head"]["title"]


def test_declarations_filters_by_year_department_and_status(demo):
    _, by_year = get("/api/declarations?year=2020")
    assert {d["fiscal_year"] for d in by_year["items"]} == {2020}
    assert by_year["total"] == 2

    _, by_department = get(f"/api/declarations?department={quote(ENVIRONMENT)}")
    assert {d["department"] for d in by_department["items"]} == {ENVIRONMENT}

    _, all_ = get("/api/declarations")
    for status in ("achieved", "behind", "no_data"):
        _, filtered = get(f"/api/declarations?status={status}")
        expected = [d["url"] for d in all_["items"] if d["counts"][status] > 0]
        assert [d["url"] for d in filtered["items"]] == expected

    _, none = get("/api/declarations?year=1999")
    assert none == {"total": 0, "limit": 50, "offset": 0, "items": []}


def test_declarations_pages_with_limit_and_offset(demo):
    _, whole = get("/api/declarations")
    _, page = get("/api/declarations?limit=1&offset=2")
    assert page["total"] == 4
    assert (page["limit"], page["offset"]) == (1, 2)
    assert page["items"] == whole["items"][2:3]


def test_a_bad_filter_is_refused_with_its_place_in_the_language_asked_for(demo):
    response, body = get("/api/declarations?limit=0&lang=en")
    assert response.status_code == 422
    assert body["code"] == "api.invalid"
    assert body["errors"][0]["loc"] == ["query", "limit"]
    assert "limit" in body["message"] or "error" in body["message"]
    assert body["message"] == body["messages"]["en"]

    response, body = get("/api/declarations?status=great", **{"Accept-Language": "en-GB,en;q=0.8"})
    assert response.status_code == 422
    assert body["message"] == body["messages"]["en"]

    response, body = get("/api/declarations?year=abc")
    assert response.status_code == 422
    assert body["message"] == body["messages"]["ja"]  # Japanese by default
    assert body["errors"][0]["loc"] == ["query", "year"]


def test_one_declaration_is_the_sengen1_export_with_evaluations(demo):
    response, body = get(f"/api/declarations/2020/{quote(CITIZENS)}")
    assert response.status_code == 200
    expected = evaluated_document(queries.declarations(2020, CITIZENS))
    assert body == loads_raw(dumps(expected))
    indicator = body["declarations"][0]["indicators"][0]
    assert indicator["project"]["number"] == "17-101"
    assert indicator["baseline"]["value"] == 10554  # a JSON number, not a string
    assert indicator["evaluation"]["status"] in {"achieved", "on_track", "behind", "off_track", "no_data"}
    # What the API gives, `sengen import` takes back as is.
    result = read_bytes(response.content, "api.json")
    assert not has_errors(result.problems)
    assert (
        result.document.declarations[0].indicators[0].observations
        == expected.declarations[0].indicators[0].observations
    )


def test_an_unknown_declaration_is_404_with_a_message_saying_what_to_check(demo):
    response, body = get(f"/api/declarations/2020/{quote('存在しない部')}?lang=ja")
    assert response.status_code == 404
    assert body["code"] == "api.declaration_not_found"
    assert "令和2年度" in body["messages"]["ja"] and "存在しない部" in body["messages"]["ja"]
    assert "FY2020" in body["messages"]["en"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_drafts_are_not_published_data(demo):
    m.Declaration.objects.filter(fiscal_year=2020, department__name=CITIZENS).update(status="draft")
    _, body = get("/api/declarations?year=2020")
    assert [d["department"] for d in body["items"]] == [ENVIRONMENT]
    response, _ = get(f"/api/declarations/2020/{quote(CITIZENS)}")
    assert response.status_code == 404


def test_indicators_show_latest_value_target_and_status(demo):
    response, body = get("/api/indicators?year=2020")
    assert response.status_code == 200
    keys = [(i["project"]["number"], i["name"]) for i in body["items"]]
    assert keys == sorted(keys)
    mail = next(i for i in body["items"] if i["name"] == "くらし安心メール登録者数")
    assert mail["unit"] == "人"
    assert mail["fiscal_year"] == 2020 and mail["department"] == CITIZENS
    assert mail["latest"] == {"fiscal_year": 2019, "kind": "estimate", "value": 13217}
    assert mail["target"] == {"fiscal_year": 2020, "value": 15000}
    assert mail["status"] == mail["evaluation"]["status"]
    assert mail["observations_url"] == f"/api/indicators/17-101/{mail['name']}/observations"


def test_indicators_without_a_year_list_each_indicator_once_as_last_published(demo):
    _, every = get("/api/indicators?limit=200")
    keys = [(i["project"]["number"], i["name"]) for i in every["items"]]
    assert len(keys) == len(set(keys)) == every["total"]
    mail = next(i for i in every["items"] if i["name"] == "くらし安心メール登録者数")
    assert mail["fiscal_year"] == 2020


def test_indicators_filter_by_department_and_status_and_page(demo):
    _, environment = get(f"/api/indicators?department={quote(ENVIRONMENT)}&year=2020")
    assert environment["total"] > 0
    assert {i["department"] for i in environment["items"]} == {ENVIRONMENT}

    _, whole = get("/api/indicators?year=2020&limit=200")
    statuses = {i["status"] for i in whole["items"]}
    for status in statuses:
        _, filtered = get(f"/api/indicators?year=2020&status={status}&limit=200")
        assert filtered["total"] == sum(1 for i in whole["items"] if i["status"] == status)
        assert {i["status"] for i in filtered["items"]} == {status}

    _, page = get("/api/indicators?year=2020&limit=3&offset=3")
    assert page["items"] == whole["items"][3:6]


def test_an_indicators_history_spans_published_declarations(demo):
    response, body = get(f"/api/indicators/17-101/{quote('くらし安心メール登録者数')}/observations")
    assert response.status_code == 200
    assert body["project"]["number"] == "17-101"
    assert body["unit"] == "人"
    years = {(o["fiscal_year"], o["kind"], o["declaration"]["fiscal_year"]) for o in body["observations"]}
    assert (2018, "actual", 2020) in years
    assert (2019, "estimate", 2020) in years
    assert {o["declaration"]["fiscal_year"] for o in body["observations"]} == {2019, 2020}
    values = [o["value"] for o in body["observations"] if o["value"] is not None]
    assert all(isinstance(v, int | Decimal) for v in values)


def test_an_unknown_indicator_is_404(demo):
    response, body = get(f"/api/indicators/99-999/{quote('ない指標')}/observations?lang=en")
    assert response.status_code == 404
    assert body["code"] == "api.indicator_not_found"
    assert "99-999" in body["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/declarations",
        "/api/declarations?year=2020",
        f"/api/declarations/2020/{quote(CITIZENS)}",
        "/api/indicators?status=behind",
        f"/api/indicators/17-101/{quote('くらし安心メール登録者数')}/observations",
    ],
)
def test_conditional_get_answers_304_until_the_data_changes(demo, path):
    first, _ = get(path)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and modified.endswith("GMT")

    again, _ = get(path, **{"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Access-Control-Allow-Origin"] == "*"

    since, _ = get(path, **{"If-Modified-Since": modified})
    assert since.status_code == 304

    # An import (or publication) touches updated_at: the same validators no longer match.
    declaration = queries.declarations(2020, CITIZENS).get()
    m.Declaration.objects.filter(pk=declaration.pk).update(
        updated_at=declaration.updated_at.replace(year=2099)
    )
    changed, _ = get(path, **{"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_the_etag_differs_between_filters(demo):
    a, _ = get("/api/declarations?year=2019")
    b, _ = get("/api/declarations?year=2020")
    assert a["ETag"] != b["ETag"]


def test_read_endpoints_may_be_called_from_any_site(demo):
    for path in ("/api/declarations", "/api/indicators", "/api/openapi.json"):
        response, _ = get(path, Origin="https://example.org")
        assert response["Access-Control-Allow-Origin"] == "*", path
        if path != "/api/openapi.json":
            assert "ETag" in response["Access-Control-Expose-Headers"]


def test_staff_endpoints_do_not_allow_other_sites(demo):
    response = Client().get("/api/session", headers={"Origin": "https://example.org"})
    assert "Access-Control-Allow-Origin" not in response
    response = Client().get(f"/api/declarations/2020/{quote(CITIZENS)}/draft")
    assert response.status_code == 401
    assert "Access-Control-Allow-Origin" not in response


def test_the_openapi_document_describes_every_endpoint():
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    for path in (
        "/api/declarations",
        "/api/declarations/{year}/{department}",
        "/api/indicators",
        "/api/indicators/{number}/{name}/observations",
        "/api/declarations/{year}/{department}/observations",
        "/api/observations/{pk}",
        "/api/declarations/{year}/{department}/steps",
    ):
        assert path in paths, path
    # Figures are numbers in the schema, as in the answers.
    observation = document["components"]["schemas"]["Observation"]
    assert observation["properties"]["value"]["anyOf"][0] == {"type": "number"}


def test_the_docs_page_is_served_without_scripts_or_cdn():
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" not in html
    assert "cdn" not in html.lower()
    assert "/api/openapi.json" in html
    assert "GET /api/declarations" in html
    assert "POST /api/declarations/{year}/{department}/observations" in html
    assert "style=" not in html  # the CSP allows no inline style
