"""Published rows and working copies: which copy an import goes into, and what it records."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sengen.audit.models import AuditEntry
from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.catalog.loader import LoadError, load
from sengen.ingest import read_path

from . import factories as f

pytestmark = pytest.mark.django_db

ESTIMATE_PATH = "indicators[17-101 くらし安心メール登録者数].observations[2019 estimate].value"


def with_estimate(value: str, fiscal_year: int = 2020):
    """The factory declaration with 17-101's FY2019 estimate (13217) set to ``value``."""
    d = f.declaration(fiscal_year)
    observations = list(d.indicators[0].observations)
    observations[1] = observations[1].model_copy(update={"value": Decimal(value)})
    return f.replace_indicator(d, 0, observations=observations)


def test_default_stage_creates_published_rows(sample_path):
    result = read_path(sample_path)
    assert result.document is not None, result.problems
    load([result.document])
    stored = m.Declaration.objects.get()
    assert stored.status == m.DeclarationStatus.PUBLISHED
    assert stored.published_at is not None
    assert list(queries.declarations()) == [stored]
    assert not queries.declarations(stage=queries.WORKING).exists()


def test_working_import_creates_a_draft_beside_the_published_row():
    load([f.document(f.declaration())])
    report = load([f.document(with_estimate("13300"))], stage=queries.WORKING)
    assert [r.status for r in report.declarations] == ["added"]

    rows = m.Declaration.objects.filter(department__name=f.DEPARTMENT, fiscal_year=2020)
    assert sorted(rows.values_list("status", flat=True)) == ["draft", "published"]
    published = queries.declarations(2020, f.DEPARTMENT).get()
    draft = queries.declarations(2020, f.DEPARTMENT, stage=queries.WORKING).get()
    assert published.status == m.DeclarationStatus.PUBLISHED
    assert (draft.status, draft.published_at) == (m.DeclarationStatus.DRAFT, None)
    # Each copy keeps its own figures: the portal still shows what was published.
    assert queries.to_record(published) == f.declaration()
    assert queries.to_record(draft) == with_estimate("13300")


def test_working_import_changes_the_draft_not_the_published_row():
    load([f.document(f.declaration())])
    load([f.document(with_estimate("13300"))], stage=queries.WORKING)
    report = load([f.document(with_estimate("13400"))], stage=queries.WORKING)
    assert [r.status for r in report.declarations] == ["changed"]
    assert m.Declaration.objects.count() == 2
    assert queries.to_record(queries.declarations().get()) == f.declaration()
    draft = queries.declarations(stage=queries.WORKING).get()
    assert queries.to_record(draft) == with_estimate("13400")


@pytest.mark.parametrize("status", [m.DeclarationStatus.SUBMITTED, m.DeclarationStatus.APPROVED])
def test_import_into_a_frozen_working_copy_is_refused_and_writes_nothing(status, db_snapshot):
    load([f.document(f.declaration())])
    load([f.document(with_estimate("13300"))], stage=queries.WORKING)
    m.Declaration.objects.filter(status=m.DeclarationStatus.DRAFT).update(status=status)
    before, entries = db_snapshot(), AuditEntry.objects.count()

    with pytest.raises(LoadError) as caught:
        load([f.document(with_estimate("13400"))], stage=queries.WORKING, source="kpi.json")

    assert [p.code for p in caught.value.problems] == ["loader.not_draft"]
    ja = caught.value.render()
    assert "令和2年度（2020年度） 市民生活部 の目標宣言" in ja
    assert {"submitted": "「承認待ち」", "approved": "「公開待ち」"}[status] in ja
    assert "kpi.json" in ja
    en = caught.value.render("en")
    assert f"The FY2020 市民生活部 declaration is {status}" in en
    assert db_snapshot() == before
    assert AuditEntry.objects.count() == entries


def test_a_changed_import_writes_one_readable_entry_per_changed_declaration():
    load([f.document(f.declaration(2020), f.declaration(2021))], source="first.json")
    first = list(AuditEntry.objects.values_list("action", "fiscal_year", "reason"))
    assert sorted(first) == [("import", 2020, "first.json"), ("import", 2021, "first.json")]
    AuditEntry.objects.all().delete()

    report = load([f.document(with_estimate("13300"), f.declaration(2021))], source="second.json")

    assert [r.status for r in report.declarations] == ["changed", "unchanged"]
    # No per-row create/delete entries for the replaced rows: one entry says it all.
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.model) == ("import", "catalog.declaration")
    assert (entry.department, entry.fiscal_year, entry.reason) == (f.DEPARTMENT, 2020, "second.json")
    assert entry.object_id == str(queries.declarations(2020).get().pk)
    assert entry.changes == [{"field": ESTIMATE_PATH, "old": "13217", "new": "13300"}]


def test_an_added_declaration_is_one_entry():
    load([f.document(f.declaration())])
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.department, entry.fiscal_year) == ("import", f.DEPARTMENT, 2020)
    assert len(entry.changes) == 1
    assert entry.changes[0]["old"] is None
    assert entry.changes[0]["new"] == f"2020 {f.DEPARTMENT}"


def test_an_unchanged_import_writes_no_entry():
    load([f.document(f.declaration())])
    AuditEntry.objects.all().delete()
    load([f.document(f.declaration())])
    assert not AuditEntry.objects.exists()


def test_dry_run_writes_no_entry(db_snapshot):
    report = load([f.document(f.declaration())], dry_run=True)
    assert [r.status for r in report.declarations] == ["added"]
    assert not AuditEntry.objects.exists()
    assert not m.Declaration.objects.exists()

    load([f.document(f.declaration())])
    AuditEntry.objects.all().delete()
    before = db_snapshot()
    report = load([f.document(with_estimate("13300"))], dry_run=True)
    assert [r.status for r in report.declarations] == ["changed"]
    assert not AuditEntry.objects.exists()
    assert db_snapshot() == before
