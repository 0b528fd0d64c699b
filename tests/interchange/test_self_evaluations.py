"""Self-evaluations of policies and year-end comments of KPI rows in sengen/1: stored, exported,
imported back unchanged, compared, described by the schema; documents without them still load."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command

from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.catalog.loader import LoadError, load
from sengen.ingest import read_bytes, read_path
from sengen.interchange import jsonio
from sengen.interchange import models as rec
from sengen.interchange.diff import Change, diff_declarations
from tests.catalog import factories as f
from tests.catalog.conftest import snapshot

COMMENT = "登録者数は目標に届きませんでしたが、前年度より1,076人増えました。"


def evaluated_declaration(yearend_grade: str = "B") -> rec.Declaration:
    d = f.declaration()
    policies = list(d.policies)
    policies[0] = policies[0].model_copy(
        update={
            "evaluations": [
                rec.SelfEvaluation(stage="midyear", grade="A", comment="予定どおり進んでいます。"),
                rec.SelfEvaluation(
                    stage="yearend", grade=yearend_grade, comment="講座の参加者が減りました。"
                ),
            ]
        }
    )
    policies[1] = policies[1].model_copy(
        update={"evaluations": [rec.SelfEvaluation(stage="midyear", grade="C")]}
    )
    d = d.model_copy(update={"policies": policies})
    return f.replace_indicator(d, 0, comment=COMMENT)


def export(tmp_path: Path, name: str) -> str:
    out = tmp_path / name
    call_command("export", output=str(out))
    return out.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_round_trip_keeps_evaluations_and_comments(tmp_path):
    d = evaluated_declaration()
    load([f.document(d)])
    stored = queries.declarations().get()
    grades = m.PolicyEvaluation.objects.filter(policy__declaration=stored).order_by("policy__number", "stage")
    assert [(e.policy.number, e.stage, e.grade) for e in grades] == [
        (1, "midyear", "A"),
        (1, "yearend", "B"),
        (2, "midyear", "C"),
    ]
    assert stored.kpi_rows.get(indicator__project__number="17-101").comment == COMMENT

    document = queries.to_document()
    assert document == f.document(d)
    back = read_bytes(jsonio.dumps(document).encode(), "roundtrip.json")
    assert back.problems == []
    assert back.document == document

    before = snapshot()
    report = load([back.document])
    assert [r.status for r in report.declarations] == ["unchanged"]
    assert snapshot() == before


@pytest.mark.django_db
def test_export_import_export_is_identical(tmp_path):
    load([f.document(evaluated_declaration())])
    first = export(tmp_path, "first.json")
    assert '"grade": "B"' in first and COMMENT in first

    read = read_path(tmp_path / "first.json")
    assert read.problems == []
    report = load([read.document])
    assert [r.status for r in report.declarations] == ["unchanged"]
    assert export(tmp_path, "second.json") == first


def test_a_grade_change_has_a_readable_path():
    changes = diff_declarations(evaluated_declaration("B"), evaluated_declaration("D"))
    assert changes == [Change("policies[1].evaluations[yearend].grade", "B", "D")]


def test_added_evaluation_and_comment_are_changes():
    plain = f.declaration()
    changes = diff_declarations(plain, evaluated_declaration())
    paths = [c.path for c in changes]
    assert "policies[1].evaluations[midyear]" in paths
    assert "policies[1].evaluations[yearend]" in paths
    assert "policies[2].evaluations[midyear]" in paths
    assert "indicators[17-101 くらし安心メール登録者数].comment" in paths
    comment = next(c for c in changes if c.path.endswith(".comment"))
    assert (comment.old, comment.new) == (None, COMMENT)


def test_schema_describes_the_new_fields():
    schema = jsonio.schema()
    defs = schema["$defs"]
    evaluation = defs["SelfEvaluation"]
    assert set(evaluation["required"]) == {"stage", "grade"}
    assert evaluation["properties"]["stage"]["enum"] == ["midyear", "yearend"]
    assert evaluation["properties"]["grade"]["enum"] == ["A", "B", "C", "D"]
    assert evaluation["additionalProperties"] is False
    assert defs["Policy"]["properties"]["evaluations"]["items"] == {"$ref": "#/$defs/SelfEvaluation"}
    assert "comment" in defs["Indicator"]["properties"]
    # Optional, so that documents written before these fields existed stay valid.
    assert "evaluations" not in defs["Policy"].get("required", [])
    assert "comment" not in defs["Indicator"].get("required", [])

    data = json.loads(jsonio.dumps(f.document(evaluated_declaration())))
    jsonschema.validate(data, schema)
    data["declarations"][0]["policies"][0]["evaluations"][0]["grade"] = "E"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def _without_new_fields(document: rec.Document) -> bytes:
    """The document as sengen/1 JSON was written before evaluations and comments existed."""
    data = json.loads(jsonio.dumps(document))
    for d in data["declarations"]:
        for p in d["policies"]:
            del p["evaluations"]
        for i in d["indicators"]:
            del i["comment"]
    text = json.dumps(data, ensure_ascii=False)
    assert "evaluations" not in text and '"comment"' not in text
    return text.encode()


@pytest.mark.django_db
def test_documents_without_the_new_fields_still_load():
    old_form = _without_new_fields(f.document(f.declaration()))
    jsonschema.validate(json.loads(old_form), jsonio.schema())
    read = read_bytes(old_form, "old.json")
    assert read.problems == []
    report = load([read.document])
    assert [r.status for r in report.declarations] == ["added"]
    back = queries.to_record(queries.declarations().get())
    assert all(p.evaluations == [] for p in back.policies)
    assert all(i.comment is None for i in back.indicators)
    assert back == f.declaration()
    assert not m.PolicyEvaluation.objects.exists()


def _first_policy_evaluated(*evaluations: rec.SelfEvaluation) -> rec.Declaration:
    d = f.declaration()
    policies = list(d.policies)
    policies[0] = policies[0].model_copy(update={"evaluations": list(evaluations)})
    return d.model_copy(update={"policies": policies})


@pytest.mark.django_db
def test_evaluations_listed_year_end_first_are_not_a_change_at_every_import():
    d = _first_policy_evaluated(
        rec.SelfEvaluation(stage="yearend", grade="B"), rec.SelfEvaluation(stage="midyear", grade="A")
    )
    load([f.document(d)])
    before = snapshot()
    report = load([f.document(d)])
    assert [r.status for r in report.declarations] == ["unchanged"]
    assert snapshot() == before
    stages = [e.stage for e in queries.to_record(queries.declarations().get()).policies[0].evaluations]
    assert stages == ["midyear", "yearend"]


@pytest.mark.django_db
def test_a_stage_given_twice_is_refused_with_a_message():
    d = _first_policy_evaluated(
        rec.SelfEvaluation(stage="midyear", grade="B"), rec.SelfEvaluation(stage="midyear", grade="A")
    )
    with pytest.raises(LoadError) as caught:
        load([f.document(d)])
    assert [p.code for p in caught.value.problems] == ["loader.duplicate"]
    assert "取組方針の自己評価「1. 中間評価" in caught.value.render()
    assert "policy self-evaluation" in caught.value.render("en")
    assert not m.Declaration.objects.exists()
