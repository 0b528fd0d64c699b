"""The city's evaluation settings (SENGEN_EVALUATION) and evaluated documents from the database."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from sengen.catalog import queries
from sengen.core.evaluation import STATUSES, Rules
from sengen.interchange import Document
from sengen.interchange.evaluation import with_evaluations


def rules() -> Rules:
    """Rules from settings.SENGEN_EVALUATION, e.g.
    ``{"on_track_ratio": "9/10", "planning_lead_years": 1, "labels": {"behind": ["要注意", "Watch"]}}``."""
    config: dict[str, Any] = getattr(settings, "SENGEN_EVALUATION", {}) or {}
    unknown = set(config) - {"on_track_ratio", "planning_lead_years", "labels"}
    if unknown:
        raise ImproperlyConfigured(f"SENGEN_EVALUATION has unknown keys: {', '.join(sorted(unknown))}")
    try:
        ratio = Fraction(str(config.get("on_track_ratio", "1")))
        lead = int(config.get("planning_lead_years", 1))
    except (ValueError, ZeroDivisionError) as exc:
        raise ImproperlyConfigured(f"SENGEN_EVALUATION: {exc}") from exc
    labels = {}
    for status, pair in (config.get("labels") or {}).items():
        if status not in STATUSES or len(pair) != 2:
            raise ImproperlyConfigured(
                f"SENGEN_EVALUATION labels: {status!r} must be one of {', '.join(STATUSES)} with [ja, en]"
            )
        labels[status] = (str(pair[0]), str(pair[1]))
    return Rules(on_track_ratio=ratio, planning_lead_years=lead, labels=labels)


def evaluated_document(selected: QuerySet) -> Document:
    return with_evaluations(queries.to_document(selected), rules())
