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

from django.db import IntegrityError, models, transaction
from django.db.models import F

from sengen.core.figures import canonical, format_number


def _shown(value: Any) -> Any:
    """A value as staff typed it: figures without the database's padding (13400.0000 → 13,400)."""
    return format_number(canonical(value)) if isinstance(value, Decimal) else value


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
        out = []
        for name, mine in self.yours.items():
            field = self.current._meta.get_field(name)
            now = getattr(self.current, name)
            if now != mine:
                out.append((name, str(field.verbose_name), _shown(now), _shown(mine)))
        return out


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
