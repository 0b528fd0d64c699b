"""The workflow and editing services without HTTP: steps, publishing, revisions, copies, versions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from sengen.audit import recorder
from sengen.audit.models import AuditEntry
from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.core.messages import SengenError
from sengen.ingest import read_bytes
from sengen.interchange import Document, jsonio
from sengen.workspace import editing, workflow
from sengen.workspace.models import Publication, WorkflowEvent

from .conftest import CITIZENS

pytestmark = pytest.mark.django_db

S = m.DeclarationStatus
ESTIMATE_PATH = "indicators[17-101 くらし安心メール登録者数].observations[2019 estimate].value"


def published(year: int = 2020, department: str = CITIZENS) -> m.Declaration:
    return queries.declarations(year, department).get()


def estimate(declaration: m.Declaration) -> m.Observation:
    """17-101's FY2019 estimate (13217 in the demo's FY2020 市民生活部 declaration)."""
    return m.Observation.objects.get(
        declaration_indicator__declaration=declaration,
        declaration_indicator__indicator__project__number="17-101",
        fiscal_year=2019,
        kind="estimate",
    )


def as_user(user, via: str = "test:workflow"):
    return recorder.acting(recorder.actor_for(user, via))


def revise_and_publish(users, value: str) -> m.Declaration:
    """The whole cycle: revision, one figure changed, submitted, approved and published."""
    with as_user(users["editor"]):
        draft = workflow.start_revision(users["editor"], published())
        row = estimate(draft)
        editing.save_versioned(row, row.version, {"value": Decimal(value)}, reason="見込値を更新")
        draft = workflow.take_step(users["editor"], draft, "submit")
    with as_user(users["approver"]):
        draft = workflow.take_step(users["approver"], draft, "approve")
    with as_user(users["admin"]):
        return workflow.take_step(users["admin"], draft, "publish")


def target_revision(year: int) -> m.TargetRevision:
    row = m.DeclarationIndicator.objects.filter(declaration=published(2020)).first()
    return m.TargetRevision.objects.create(
        indicator=row.indicator,
        department=row.declaration.department,
        declaration_year=year,
        old_fiscal_year=2020,
        old_value=Decimal(15000),
        new_fiscal_year=2023,
        new_value=Decimal(16000),
        new_set_in=year,
        reason="計画の改訂による",
    )


def test_publishing_a_working_copy_replaces_the_published_row(users):
    old = published()
    pending, other_year = target_revision(2020), target_revision(2019)
    others = [queries.to_record(d) for d in queries.declarations().exclude(pk=old.pk)]
    old_record = queries.to_record(old)

    new = revise_and_publish(users, "13300")

    assert new.status == S.PUBLISHED and new.published_at is not None
    rows = m.Declaration.objects.filter(department__name=CITIZENS, fiscal_year=2020)
    assert list(rows) == [new]
    assert not m.Declaration.objects.filter(pk=old.pk).exists()
    assert workflow.working_copy(new.department, 2020) is None
    assert estimate(published()).value == Decimal(13300)
    # The other departments and years are untouched.
    assert [queries.to_record(d) for d in queries.declarations().exclude(pk=new.pk)] == others

    # The imported version it replaced is kept as the first version, the new one is the second.
    original, publication = Publication.objects.order_by("number")
    assert original.number == 1 and original.published_by == ""
    assert original.document == jsonio.dumps(Document(declarations=[old_record]))
    assert (publication.number, publication.fiscal_year, publication.department.name) == (2, 2020, CITIZENS)
    assert publication.published_by == "kikaku"
    assert publication.document == jsonio.dumps(Document(declarations=[queries.to_record(new)]))
    back = read_bytes(publication.document.encode(), "publication.json")
    assert back.problems == []
    assert back.document.declarations[0].indicators[0].observations[1].value == Decimal(13300)

    pending.refresh_from_db()
    other_year.refresh_from_db()
    assert pending.published_at == new.published_at
    assert other_year.published_at is None


def test_publishing_records_the_differences_and_the_steps(users):
    new = revise_and_publish(users, "13300")

    entry = AuditEntry.objects.get(action="update", model="catalog.declaration", object_id=str(new.pk))
    assert entry.changes == [{"field": ESTIMATE_PATH, "old": "13217", "new": "13300"}]
    assert (entry.actor, entry.department, entry.fiscal_year) == ("kikaku", CITIZENS, 2020)
    assert "第2版" in entry.reason

    steps = AuditEntry.objects.filter(action="workflow", department=CITIZENS, fiscal_year=2020)
    assert sorted((e.actor, e.changes[0]["old"], e.changes[0]["new"]) for e in steps) == [
        ("bucho", "submitted", "approved"),
        ("kikaku", "approved", "published"),
        ("tanto", "draft", "submitted"),
    ]
    events = WorkflowEvent.objects.filter(department__name=CITIZENS, fiscal_year=2020)
    assert [(e.action, e.from_status, e.to_status, e.actor) for e in events] == [
        ("create", "", "draft", "tanto"),
        ("submit", "draft", "submitted", "tanto"),
        ("approve", "submitted", "approved", "bucho"),
        ("publish", "approved", "published", "kikaku"),
    ]


def test_each_publication_gets_the_next_number(users):
    revise_and_publish(users, "13300")
    revise_and_publish(users, "13400")
    assert list(Publication.objects.values_list("number", flat=True)) == [1, 2, 3]
    assert m.Declaration.objects.filter(department__name=CITIZENS, fiscal_year=2020).count() == 1
    latest = AuditEntry.objects.filter(action="update", model="catalog.declaration").first()
    assert latest.changes == [{"field": ESTIMATE_PATH, "old": "13300", "new": "13400"}]
    assert "第3版" in latest.reason


def test_allowed_steps_follow_role_and_status(users):
    draft = workflow.start_revision(users["editor"], published())
    assert workflow.allowed_steps(users["editor"], draft) == ["submit"]
    assert workflow.allowed_steps(users["viewer"], draft) == []
    draft = workflow.take_step(users["editor"], draft, "submit")
    assert workflow.allowed_steps(users["approver"], draft) == ["approve", "return"]
    assert workflow.allowed_steps(users["editor"], draft) == []
    draft = workflow.take_step(users["approver"], draft, "approve")
    assert workflow.allowed_steps(users["admin"], draft) == ["return", "publish"]
    assert workflow.allowed_steps(users["approver"], draft) == ["return"]


def test_a_step_on_a_declaration_that_already_moved_is_refused(users):
    draft = workflow.start_revision(users["editor"], published())
    stale = m.Declaration.objects.get(pk=draft.pk)
    workflow.take_step(users["editor"], draft, "submit")
    events = WorkflowEvent.objects.count()

    with pytest.raises(SengenError) as caught:
        workflow.take_step(users["editor"], stale, "submit")  # the page still showed "draft"

    assert caught.value.code == "workflow.wrong_status"
    assert "承認待ち" in caught.value.message()
    assert "submitted" in caught.value.message("en")
    assert WorkflowEvent.objects.count() == events
    assert m.Declaration.objects.get(pk=draft.pk).status == S.SUBMITTED


def test_publishing_twice_is_refused(users):
    new = revise_and_publish(users, "13300")
    with pytest.raises(SengenError) as caught:
        workflow.take_step(users["admin"], new, "publish")
    assert caught.value.code == "workflow.wrong_status"
    assert Publication.objects.count() == 2  # the imported original and the one publication


def test_return_needs_a_comment(users):
    draft = workflow.start_revision(users["editor"], published())
    draft = workflow.take_step(users["editor"], draft, "submit")

    with pytest.raises(SengenError) as caught:
        workflow.take_step(users["approver"], draft, "return", "   ")
    assert caught.value.code == "workflow.comment_required"
    assert m.Declaration.objects.get(pk=draft.pk).status == S.SUBMITTED

    returned = workflow.take_step(users["approver"], draft, "return", "目標値の根拠を書いてください。")
    assert returned.status == S.DRAFT
    event = WorkflowEvent.objects.filter(action="return").get()
    assert (event.from_status, event.to_status, event.comment) == (
        "submitted",
        "draft",
        "目標値の根拠を書いてください。",
    )


@pytest.mark.parametrize(
    ("who", "step", "status"),
    [
        ("viewer", "submit", S.DRAFT),
        ("no_role", "submit", S.DRAFT),
        ("other_editor", "submit", S.DRAFT),
        ("editor", "approve", S.SUBMITTED),
        ("approver", "publish", S.APPROVED),
    ],
)
def test_a_step_without_the_role_is_forbidden(users, who, step, status):
    draft = workflow.start_revision(users["editor"], published())
    m.Declaration.objects.filter(pk=draft.pk).update(status=status)
    draft.refresh_from_db()
    with pytest.raises(PermissionDenied):
        workflow.take_step(users[who], draft, step)
    assert m.Declaration.objects.get(pk=draft.pk).status == status
    assert not WorkflowEvent.objects.exclude(action="create").exists()


def test_start_revision_twice_returns_the_same_working_copy(users):
    first = workflow.start_revision(users["editor"], published())
    second = workflow.start_revision(users["editor"], published())
    assert first.pk == second.pk
    assert first.status == S.DRAFT
    assert queries.declarations(2020, CITIZENS, stage=queries.WORKING).count() == 1
    assert queries.to_record(first) == queries.to_record(published())
    assert WorkflowEvent.objects.filter(action="create").count() == 1


def test_start_revision_needs_the_edit_role(users):
    for who in ("viewer", "approver", "other_editor"):
        with pytest.raises(PermissionDenied):
            workflow.start_revision(users[who], published())
    assert not queries.declarations(stage=queries.WORKING).exists()


def test_copy_to_next_year_drops_evaluations_and_comments(users):
    source = published()
    policy = source.policies.order_by("position").first()
    m.PolicyEvaluation.objects.create(policy=policy, stage="yearend", grade="B", comment="おおむね達成")
    source.kpi_rows.filter(position=0).update(comment="前年度より増えました。")
    before = queries.to_record(published())
    assert before.policies[0].evaluations and before.indicators[0].comment

    copy = workflow.copy_to_next_year(users["editor"], source)

    assert (copy.fiscal_year, copy.status, copy.department.name) == (2021, S.DRAFT, CITIZENS)
    record = queries.to_record(copy)
    assert all(p.evaluations == [] for p in record.policies)
    assert all(i.comment is None for i in record.indicators)
    assert record.message == before.message and record.roles == before.roles
    assert [p.title for p in record.policies] == [p.title for p in before.policies]
    assert [i.name for i in record.indicators] == [i.name for i in before.indicators]
    # The source keeps what belongs to its year.
    assert queries.to_record(published()) == before
    assert not queries.declarations(2021).exists()


def test_copy_to_next_year_refuses_when_the_next_year_exists(users):
    with pytest.raises(SengenError) as caught:
        workflow.copy_to_next_year(users["editor"], published(2019))
    assert caught.value.code == "workflow.next_exists"
    assert "令和2年度" in caught.value.message()
    assert "FY2020" in caught.value.message("en")

    workflow.copy_to_next_year(users["editor"], published(2020))
    with pytest.raises(SengenError) as caught:  # a draft counts as existing too
        workflow.copy_to_next_year(users["editor"], published(2020))
    assert caught.value.code == "workflow.next_exists"
    assert m.Declaration.objects.filter(fiscal_year=2021).count() == 1


def test_publishing_a_new_year_needs_no_previous_version(users):
    copy = workflow.copy_to_next_year(users["editor"], published())
    copy = workflow.take_step(users["editor"], copy, "submit")
    copy = workflow.take_step(users["approver"], copy, "approve")
    new = workflow.take_step(users["admin"], copy, "publish")
    assert queries.declarations(2021, CITIZENS).get() == new
    assert Publication.objects.get().number == 1


def test_a_plain_save_makes_shown_versions_stale(users):
    row = estimate(published())
    shown = row.version
    row.value = Decimal(13000)
    row.save()  # as the admin does: no version check, but the version still grows
    row.refresh_from_db()
    assert row.version == shown + 1
    entries = AuditEntry.objects.count()

    with pytest.raises(editing.Conflict) as caught:
        editing.save_versioned(row, shown, {"value": Decimal(14000)})

    assert caught.value.current.value == Decimal(13000)
    assert [(name, now, mine) for name, _, now, mine in caught.value.differences()] == [
        ("value", "13,000人", "14,000人")
    ], "as typed, with the row's unit"
    row.refresh_from_db()
    assert (row.value, row.version) == (Decimal(13000), shown + 1)
    assert AuditEntry.objects.count() == entries


def test_save_versioned_writes_once_with_its_reason(users):
    row = estimate(published())
    with as_user(users["editor"], "workspace:observation"):
        saved = editing.save_versioned(row, row.version, {"value": Decimal(13300)}, reason="集計の訂正")
    saved.refresh_from_db()
    assert (saved.value, saved.version) == (Decimal(13300), row.version + 1)
    entry = AuditEntry.objects.get(model="catalog.observation", object_id=str(row.pk))
    assert (entry.action, entry.actor, entry.via, entry.reason) == (
        "update",
        "tanto",
        "workspace:observation",
        "集計の訂正",
    )
    assert entry.changes == [{"field": "value", "old": "13217", "new": "13300"}]
