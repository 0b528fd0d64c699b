"""Who is acting, through which screen or command, and the signal handlers that write the trail.

Every save and delete of a tracked model writes an :class:`~sengen.audit.models.AuditEntry` with
the fields that changed (old → new), the acting user and the screen (URL name) or command. The
request middleware and the ``sengen`` command set the actor; code that writes in bulk (the loader)
suppresses the per-row entries and records one entry per declaration with its readable diff.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from sengen.core.figures import canonical

TRACKED_APPS = {"catalog", "workspace", "auth"}
UNTRACKED_MODELS = {"auth.permission"}
# Noise, or secrets: last_login changes at every sign-in (recorded as its own entry instead);
# a password is recorded as changed, never its hash.
IGNORED_FIELDS = {"last_login", "version", "updated_at"}
SECRET_FIELDS = {"password"}


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    name: str
    via: str


def system_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no login name in some containers
        return ""


def _system_actor() -> Actor:
    return Actor(None, system_user(), "system")


_actor: ContextVar[Actor | None] = ContextVar("sengen_audit_actor", default=None)
_suppressed: ContextVar[bool] = ContextVar("sengen_audit_suppressed", default=False)


def current() -> Actor:
    return _actor.get() or _system_actor()


def actor_for(user: Any, via: str) -> Actor:
    if user is not None and getattr(user, "is_authenticated", False):
        return Actor(user.pk, user.get_username(), via)
    return Actor(None, "", via)


@contextmanager
def acting(actor: Actor) -> Iterator[Actor]:
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


def set_actor(actor: Actor) -> None:
    """For middleware: the actor of the rest of this request (reset by :func:`acting`)."""
    _actor.set(actor)


@contextmanager
def suppressed() -> Iterator[None]:
    """No per-row entries inside: the caller records its own (see the loader)."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


# --- values as text -----------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(canonical(value), "f")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _fields(instance: models.Model) -> dict[str, str | None]:
    result: dict[str, str | None] = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name in IGNORED_FIELDS:
            continue
        if field.is_relation:
            raw = getattr(instance, field.attname)
            value = _text(getattr(instance, field.name)) if raw is not None else None
        else:
            value = _text(getattr(instance, field.attname))
        result[field.name] = value
    return result


def _change(name: str, old: str | None, new: str | None) -> dict[str, str | None]:
    """One change as stored. Secrets are compared as they are (so a new password is a change)
    but stored masked."""
    if name in SECRET_FIELDS:
        old, new = (v and "********" for v in (old, new))
    return {"field": name, "old": old, "new": new}


def _scope(instance: models.Model) -> tuple[str, int | None]:
    """The department and fiscal year a record belongs to, for browsing and permissions."""
    declaration = _declaration_of(instance)
    if declaration is not None:
        return declaration.department.name, declaration.fiscal_year
    department = getattr(instance, "department", None)
    if department is not None and hasattr(department, "name"):
        year = getattr(instance, "declaration_year", None) or getattr(instance, "fiscal_year", None)
        return department.name, year
    return "", None


def _declaration_of(instance: models.Model) -> Any:
    for path in (
        "declaration",
        "policy.declaration",
        "declaration_indicator.declaration",
        "declaration_section.declaration",
    ):
        obj: Any = instance
        for part in path.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                break
        if obj is not None:
            return obj
    if instance._meta.label_lower == "catalog.declaration":
        return instance
    return None


def label(model: type[models.Model] | models.Model) -> str:
    return model._meta.label_lower


def record(
    action: str,
    instance: models.Model | None = None,
    *,
    model: str = "",
    object_id: Any = "",
    object_repr: str = "",
    department: str | None = None,
    fiscal_year: int | None = None,
    changes: list[dict[str, Any]] | None = None,
    reason: str = "",
) -> Any:
    """Write one entry now, as the current actor."""
    from sengen.audit.models import AuditEntry

    if instance is not None:
        model = model or label(instance)
        object_id = object_id or instance.pk
        object_repr = object_repr or str(instance)
        if department is None:
            department, fiscal_year = _scope(instance)
    who = current()
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor_id=who.user_id,
        actor=who.name,
        via=who.via,
        action=action,
        model=model,
        object_id=str(object_id or ""),
        object_repr=object_repr[:500],
        department=department or "",
        fiscal_year=fiscal_year,
        changes=changes or [],
        reason=reason,
    )


# --- signal handlers ----------------------------------------------------------------------------


def _before_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **_: Any) -> None:
    if raw or _suppressed.get() or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_old = _fields(old) if old is not None else None


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **_: Any
) -> None:
    if raw or _suppressed.get():
        return
    new = _fields(instance)
    old = None if created else getattr(instance, "_audit_old", None)
    instance._audit_old = new
    if old is None:
        changes = [_change(k, None, v) for k, v in new.items() if v not in (None, "", "[]")]
        record("create", instance, changes=changes, reason=getattr(instance, "_audit_reason", ""))
        return
    changes = [_change(k, old.get(k), v) for k, v in new.items() if old.get(k) != v]
    if changes:
        record("update", instance, changes=changes, reason=getattr(instance, "_audit_reason", ""))


def _after_delete(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    if _suppressed.get():
        return
    old = _fields(instance)
    changes = [_change(k, v, None) for k, v in old.items() if v not in (None, "", "[]")]
    try:
        department, fiscal_year = _scope(instance)
    except models.ObjectDoesNotExist:  # the parent went first in a cascade
        department, fiscal_year = "", None
    record(
        "delete",
        instance,
        department=department,
        fiscal_year=fiscal_year,
        changes=changes,
        reason=getattr(instance, "_audit_reason", ""),
    )


def tracked_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in TRACKED_APPS and label(model) not in UNTRACKED_MODELS
    ]


def connect() -> None:
    for model in tracked_models():
        uid = f"sengen-audit-{label(model)}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid + "-pre")
        post_save.connect(_after_save, sender=model, dispatch_uid=uid + "-post")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=uid + "-delete")
