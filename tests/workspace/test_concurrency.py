"""Two editors saving the same figure: one wins, the other is told and nothing of theirs is written."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connections

from sengen.audit.models import AuditEntry
from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.workspace import editing, workflow
from sengen.workspace.models import Role
from tests.workspace.conftest import CITIZENS, client_for, make_user

pytestmark = pytest.mark.django_db

MAIL = "くらし安心メール登録者数"


def estimate_of(declaration: m.Declaration) -> m.Observation:
    return m.Observation.objects.get(
        declaration_indicator__declaration=declaration,
        declaration_indicator__indicator__name=MAIL,
        fiscal_year=2019,
        kind="estimate",
    )


def test_two_editors_saving_the_same_figure(users) -> None:
    draft = workflow.start_revision(users["editor"], queries.declarations(2020, CITIZENS).get())
    estimate = estimate_of(draft)
    row = estimate.declaration_indicator
    url = f"/workspace/2020/{CITIZENS}/indicators/{row.pk}/observations/{estimate.pk}/"
    first = client_for(users["editor"])
    second = client_for(make_user("tanto2", Role.EDITOR))

    for client in (first, second):  # both open the form on the same version
        assert f'name="version" value="{estimate.version}"' in client.get(url).content.decode()

    won = first.post(url, {"value": "13,400", "version": estimate.version})
    lost = second.post(url, {"value": "13,900", "version": estimate.version})

    assert won.status_code == 302
    assert lost.status_code == 409
    page = lost.content.decode()
    assert "ほかの人が先に変更しています" in page
    assert "<td>13,400人</td><td>13,900人</td>" in page, "the value now and theirs, side by side, as typed"
    assert " tanto：" in page and "<li>値 13,217人 → 13,400人</li>" in page, "who changed it, and how"
    estimate.refresh_from_db()
    assert estimate.value == Decimal("13400") and estimate.version == 2
    updates = AuditEntry.objects.filter(
        model="catalog.observation", object_id=str(estimate.pk), action="update"
    )
    assert [(u.actor, u.changes) for u in updates] == [
        ("tanto", [{"field": "value", "old": "13217", "new": "13400"}])
    ]


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite serialises writers with a database lock; the row-level race needs PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_truly_concurrent_saves_on_postgresql(demo) -> None:
    estimate = estimate_of(queries.declarations(2020, CITIZENS).get())
    start = threading.Barrier(2)
    results: dict[str, str] = {}

    def save(value: str) -> None:
        try:
            mine = m.Observation.objects.get(pk=estimate.pk)
            start.wait(timeout=10)
            editing.save_versioned(mine, estimate.version, {"value": Decimal(value)})
            results[value] = "saved"
        except editing.Conflict:
            results[value] = "conflict"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(value,)) for value in ("13400", "13900")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results.values()) == ["conflict", "saved"]
    winner = next(value for value, result in results.items() if result == "saved")
    estimate.refresh_from_db()
    assert estimate.value == Decimal(winner) and estimate.version == 2
    assert AuditEntry.objects.filter(model="catalog.observation", object_id=str(estimate.pk)).count() == 1
