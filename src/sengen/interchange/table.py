"""The shape of a published KPI table, for every page and file that lays one out (the portal, the
reports, CSV, HTML and Excel): which year columns it has, what each cell holds, and how a cell's
figure reads. Pure Python over sengen/1 records."""

from __future__ import annotations

from collections.abc import Iterable

from sengen.core.figures import Figure, format_figure
from sengen.interchange.models import Baseline, Indicator, Observation, Target

Column = tuple[str, int]  # (kind: actual / estimate / target, fiscal year)

_KIND_ORDER = {"actual": 0, "estimate": 1, "target": 2}


def kpi_columns(indicators: Iterable[Indicator]) -> list[Column]:
    """The year columns as the published page orders them: by year, actual before estimate, the
    targets last."""
    keys: set[tuple[int, str]] = set()
    for i in indicators:
        keys |= {(o.fiscal_year, o.kind) for o in i.observations}
        keys |= {(t.fiscal_year, "target") for t in i.targets}
    ranked = sorted(keys, key=lambda k: (k[1] == "target", k[0], _KIND_ORDER[k[1]]))
    return [(kind, year) for year, kind in ranked]


def value_at(indicator: Indicator, column: Column) -> Observation | Target | None:
    """The indicator's figure in ``column``, or None when its row has no such cell."""
    kind, year = column
    if kind == "target":
        return next((t for t in indicator.targets if t.fiscal_year == year), None)
    return next((o for o in indicator.observations if o.fiscal_year == year and o.kind == kind), None)


def figure_text(record: Baseline | Observation | Target | None, unit: str | None) -> str:
    """A cell as published: ``10,554人``, ``約1,850千人``, ``13箇所 (2箇所)``, ``—``; "" for no cell."""
    if record is None:
        return ""
    return format_figure(Figure(record.value, unit, record.qualifier, record.annotation))
