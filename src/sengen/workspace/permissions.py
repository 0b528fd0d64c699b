"""Who may do what, in one place (docs/workspace.md § roles). Every workspace view, form, export and
API endpoint asks :func:`require` (or :func:`can`) before it reads a draft or writes anything.

| role       | may                                                                   |
|------------|-----------------------------------------------------------------------|
| admin      | everything, in every department (the planning office, 経営企画課)      |
| approver   | read their department's drafts; approve or return them                 |
| editor     | read and edit their department's drafts; submit them                  |
| viewer     | read their department's drafts                                        |
| anonymous  | published content only (the portal)                                    |

A role is held per department (``Membership``); superusers and ``admin`` memberships are
city-wide. What the declaration's status allows on top of this is decided in ``workflow``.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied

from sengen.catalog.models import Department
from sengen.workspace.models import Membership, Role


class Action(StrEnum):
    VIEW = "view"  # read drafts, their history and their audit trail
    EDIT = "edit"  # text, policies, self-evaluations, figures, comments, imports, new drafts
    SUBMIT = "submit"
    APPROVE = "approve"  # approve, or return with a comment
    PUBLISH = "publish"
    REVISE_TARGET = "revise_target"
    MANAGE = "manage"  # plans, departments, users: the Django admin


RULES: dict[Action, frozenset[Role]] = {
    Action.VIEW: frozenset({Role.VIEWER, Role.EDITOR, Role.APPROVER}),
    Action.EDIT: frozenset({Role.EDITOR}),
    Action.SUBMIT: frozenset({Role.EDITOR}),
    Action.APPROVE: frozenset({Role.APPROVER}),
    Action.PUBLISH: frozenset(),
    Action.REVISE_TARGET: frozenset(),
    Action.MANAGE: frozenset(),
}


def is_admin(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return _memberships(user).get(None, frozenset()) >= {Role.ADMIN}


def _memberships(user) -> dict[int | None, frozenset[Role]]:
    """The user's roles by department id (None = city-wide), cached on the user for the request."""
    cached = getattr(user, "_sengen_roles", None)
    if cached is None:
        found: dict[int | None, set[Role]] = {}
        for department_id, role in Membership.objects.filter(user=user).values_list("department_id", "role"):
            found.setdefault(department_id, set()).add(Role(role))
        cached = {k: frozenset(v) for k, v in found.items()}
        user._sengen_roles = cached
    return cached


def roles(user, department: Department | int) -> frozenset[Role]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    department_id = department if isinstance(department, int) else department.pk
    return _memberships(user).get(department_id, frozenset())


def can(user, action: Action, department: Department | int | None = None) -> bool:
    if is_admin(user):
        return True
    if department is None:
        return False
    return bool(RULES[action] & roles(user, department))


def require(user, action: Action, department: Department | int | None = None) -> None:
    """Raise PermissionDenied (HTTP 403) unless ``user`` may do ``action`` in ``department``."""
    if not can(user, action, department):
        raise PermissionDenied(action.value)


def departments(user, action: Action = Action.VIEW):
    """The departments in which ``user`` may do ``action``."""
    qs = Department.objects.order_by("name")
    if is_admin(user):
        return qs
    ids = [d for d, held in _memberships(user).items() if d is not None and RULES[action] & held]
    return qs.filter(pk__in=ids)
