"""Saving what staff typed without losing anybody's update (optimistic concurrency).

Every editable row carries ``version``. A form posts the version it was shown; the save first
claims that version with one conditional UPDATE (``… WHERE version = shown``), which only one of
two concurrent saves can win on any database, then writes the new values through ``save()`` so the
audit trail records exactly one change. The loser gets :class:`Conflict`, carrying the row as it is
now, and nothing of theirs is written.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, models, transaction
from django.db.models import F

from sengen.core.figures import canonical, format_number

# The figure fields of the versioned records (and of target revisions, which the audit trail shows).
FIGURE_FIELDS = frozenset({"value", "baseline_value", "old_value", "new_value"})


def _unit(record: models.Model) -> str | None:
    """The unit a record's figures are in: its KPI row's for observations and targets, a KPI row's
    own (as published), an indicator's for a target revision."""
    if hasattr(record, "declaration_indicator_id"):
        return record.declaration_indicator.unit
    try:
        field = record._meta.get_field("unit")
    except FieldDoesNotExist:
        field = None
    if isinstance(field, models.CharField):
        return record.unit
    indicator = getattr(record, "indicator", None)
    return getattr(indicator, "unit", None)


class Conflict(Exception):
    """Someone else saved the row first. ``current`` is the row now (None if it was deleted)."""

    def __init__(self, current: models.Model | None, yours: dict[str, Any]) -> None:
        super().__init__("conflict")
        self.current = current
        self.yours = yours

    def differences(self) -> list[tuple[str, str, Any, Any]]:
        """(field name, verbose name, value now, value you entered) for every field that differs."""
        if self.current is None:
            return []
        return [
            (name, self.label(name), self.shown(name, getattr(self.current, name)), self.shown(name, mine))
            for name, mine in self.yours.items()
            if getattr(self.current, name) != mine
        ]

    def label(self, name: str) -> str:
        """A field's name as staff know it (its verbose name: 値, not ``value``)."""
        try:
            return str(self.current._meta.get_field(name).verbose_name)
        except (AttributeError, FieldDoesNotExist):
            return name

    def shown(self, name: str, value: Any) -> Any:
        """A value as staff typed it: a figure with separators and its unit (13400.0000 → 13,400人),
        also when the audit trail stored it as text ("13400")."""
        if name not in FIGURE_FIELDS or value in (None, "") or self.current is None:
            return value
        try:
            number = canonical(Decimal(str(value)))
        except ArithmeticError:  # not a number after all: shown as stored
            return value
        return format_number(number) + (_unit(self.current) or "")


def save_versioned(
    instance: models.Model, shown_version: int, values: dict[str, Any], *, reason: str = ""
) -> models.Model:
    """Write ``values`` onto ``instance``'s row if nobody saved it since ``shown_version``."""
    model = type(instance)
    with transaction.atomic():
        claimed = model._default_manager.filter(pk=instance.pk, version=shown_version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise Conflict(model._default_manager.filter(pk=instance.pk).first(), values)
        fresh = model._default_manager.get(pk=instance.pk)
        for name, value in values.items():
            setattr(fresh, name, value)
        fresh._audit_reason = reason
        fresh._version_claimed = True
        fresh.save()
    return fresh


def create_unique(instance: models.Model, *, reason: str = "") -> models.Model:
    """Insert a new row; if someone inserted the same natural key first, that is a conflict too."""
    instance._audit_reason = reason
    try:
        with transaction.atomic():
            instance.save(force_insert=True)
    except IntegrityError as exc:
        raise Conflict(None, {}) from exc
    return instance
