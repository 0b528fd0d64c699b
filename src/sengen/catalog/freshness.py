"""Keep Declaration.updated_at true when rows change outside the loader (in the admin).

The loader stamps what it writes itself. Every admin save or delete of a catalog row marks the
declarations whose pages show it, so Last-Modified never tells a cache that an edited page is
unchanged. (Global model signals would do the same but cost the loader Django's fast delete.)
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from sengen.catalog import models as m

# How to reach the declarations that show a row of each model.
_PATHS: dict[type, str] = {
    m.Declaration: "pk",
    m.Policy: "policies",
    m.DeclarationSection: "declaration_sections",
    m.DeclarationUnit: "declaration_sections__declaration_units",
    m.DeclarationIndicator: "kpi_rows",
    m.KpiOwner: "kpi_rows__owners",
    m.Observation: "kpi_rows__observations",
    m.Target: "kpi_rows__targets",
    m.Indicator: "kpi_rows__indicator",
    m.Project: "kpi_rows__indicator__project",
    m.Department: "department",
    m.Plan: "plan",
    m.Section: "declaration_sections__section",
    m.Unit: "declaration_sections__declaration_units__unit",
}


def declarations_showing(instances) -> QuerySet[m.Declaration]:
    """The declarations whose pages show any of ``instances`` (rows of one catalog model)."""
    instances = list(instances)
    if not instances:
        return m.Declaration.objects.none()
    path = _PATHS[type(instances[0])]
    return m.Declaration.objects.filter(**{f"{path}__in": [i.pk for i in instances]})


def showing_ids(instances) -> list[int]:
    """The ids of the declarations showing ``instances``; take them before a delete."""
    return list(declarations_showing(instances).values_list("pk", flat=True).distinct())


def touch_ids(ids: list[int]) -> None:
    m.Declaration.objects.filter(pk__in=ids).update(updated_at=timezone.now())


def touch(instances) -> None:
    """Mark the declarations showing ``instances`` as changed now."""
    touch_ids(showing_ids(instances))
