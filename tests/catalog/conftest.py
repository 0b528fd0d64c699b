from __future__ import annotations

import pytest

from sengen.catalog import models as m


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    """Every catalog row (primary key and all columns), to prove that a load wrote nothing."""
    result = {}
    for model in (
        m.Department,
        m.Section,
        m.Unit,
        m.Plan,
        m.Project,
        m.Indicator,
        m.Declaration,
        m.DeclarationSection,
        m.DeclarationUnit,
        m.Policy,
        m.DeclarationIndicator,
        m.KpiOwner,
        m.Observation,
        m.Target,
    ):
        result[model.__name__] = list(model.objects.order_by("pk").values_list())
    return result


@pytest.fixture
def db_snapshot():
    return snapshot
