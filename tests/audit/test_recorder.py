"""The audit trail written by the save/delete signals: who, through which screen, what changed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from sengen.audit import recorder
from sengen.audit.models import AuditEntry
from sengen.catalog import models as m
from sengen.catalog.loader import load
from tests.catalog import factories as f

pytestmark = pytest.mark.django_db

ESTIMATE_2019 = "indicators[17-101 くらし安心メール登録者数].observations[2019 estimate].value"


@pytest.fixture
def observation() -> m.Observation:
    """The FY2019 estimate (13217) of 17-101 in the published FY2020 市民生活部 declaration."""
    load([f.document(f.declaration())])
    AuditEntry.objects.all().delete()  # the import's own entry; these tests count from zero
    return m.Observation.objects.get(
        declaration_indicator__indicator__project__number="17-101", fiscal_year=2019, kind="estimate"
    )


@pytest.fixture
def staff():
    return get_user_model().objects.create_user(username="tanto", password="correct-horse-battery-42")


def only_entry() -> AuditEntry:
    entries = list(AuditEntry.objects.all())
    assert len(entries) == 1, [(e.action, e.model, e.changes) for e in entries]
    return entries[0]


def test_update_records_who_where_and_old_to_new_as_text(observation, staff):
    AuditEntry.objects.all().delete()
    with recorder.acting(recorder.Actor(staff.pk, "tanto", "via-x")):
        observation.value = Decimal("13300.50")
        observation.save()
    entry = only_entry()
    assert entry.action == "update"
    assert entry.model == "catalog.observation"
    assert entry.object_id == str(observation.pk)
    assert (entry.actor_id, entry.actor, entry.via) == (staff.pk, "tanto", "via-x")
    assert (entry.department, entry.fiscal_year) == (f.DEPARTMENT, 2020)
    # Canonical figures: not "13217.0000" (what the database hands back) nor "13300.50".
    assert entry.changes == [{"field": "value", "old": "13217", "new": "13300.5"}]


def test_create_records_the_new_fields(observation):
    row = observation.declaration_indicator
    with recorder.acting(recorder.Actor(None, "tanto", "via-x")):
        created = m.Observation.objects.create(
            declaration_indicator=row, fiscal_year=2020, kind="estimate", value=Decimal("14000"), position=2
        )
    entry = only_entry()
    assert (entry.action, entry.object_id, entry.via) == ("create", str(created.pk), "via-x")
    assert (entry.department, entry.fiscal_year) == (f.DEPARTMENT, 2020)
    fields = {c["field"]: (c["old"], c["new"]) for c in entry.changes}
    assert fields["value"] == (None, "14000")
    assert fields["fiscal_year"] == (None, "2020")
    assert fields["kind"] == (None, "estimate")
    assert all(c["new"] not in (None, "") for c in entry.changes)
    assert "version" not in fields


def test_delete_records_what_was_there(observation):
    pk = observation.pk
    with recorder.acting(recorder.Actor(None, "tanto", "via-x")):
        observation.delete()
    entry = only_entry()
    assert (entry.action, entry.object_id) == ("delete", str(pk))
    assert (entry.department, entry.fiscal_year) == (f.DEPARTMENT, 2020)
    assert {"field": "value", "old": "13217", "new": None} in entry.changes


def test_saving_without_a_change_writes_nothing(observation):
    with recorder.acting(recorder.Actor(None, "tanto", "via-x")):
        observation.save()  # the version grows, which is not a change anybody made
    assert not AuditEntry.objects.exists()
    observation.refresh_from_db()
    assert observation.version == 2


def test_suppressed_writes_nothing(observation):
    with recorder.suppressed():
        observation.value = Decimal(1)
        observation.save()
        observation.delete()
    assert not AuditEntry.objects.exists()


def test_reason_is_stored(observation):
    observation.value = Decimal(13000)
    observation._audit_reason = "集計の誤りを訂正"
    observation.save()
    assert only_entry().reason == "集計の誤りを訂正"


def test_outside_any_context_the_actor_is_the_system(observation):
    observation.value = Decimal(13000)
    observation.save()
    entry = only_entry()
    assert entry.actor_id is None
    assert entry.via == "system"


def test_password_change_is_recorded_without_the_hash(staff):
    AuditEntry.objects.all().delete()
    old_hash = staff.password
    staff.set_password("another-long-passphrase-77")
    staff.save()
    entry = only_entry()
    assert (entry.action, entry.model) == ("update", "auth.user")
    assert entry.changes == [{"field": "password", "old": "********", "new": "********"}]
    text = str(entry.changes)
    assert old_hash not in text and staff.password not in text


def test_new_user_records_a_masked_password():
    user = get_user_model().objects.create_user(username="shinki", password="correct-horse-battery-42")
    entry = AuditEntry.objects.get(model="auth.user", object_id=str(user.pk), action="create")
    assert {"field": "password", "old": None, "new": "********"} in entry.changes
    assert user.password not in str(entry.changes)


def test_last_login_is_not_recorded(staff):
    AuditEntry.objects.all().delete()
    staff.last_login = timezone.now()
    staff.save(update_fields=["last_login"])
    assert not AuditEntry.objects.exists()
