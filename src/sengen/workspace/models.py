"""Who may do what in which department, and the history of each declaration's workflow."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sengen.catalog.models import Department


class Role(models.TextChoices):
    ADMIN = "admin", "全庁管理者 / planning office administrator"
    APPROVER = "approver", "部長（承認者） / department approver"
    EDITOR = "editor", "担当者（編集者） / department editor"
    VIEWER = "viewer", "閲覧者 / viewer"


class Membership(models.Model):
    """A role a user holds: in one department, or city-wide for the planning office (admin)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="利用者", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("役割", max_length=10, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        verbose_name="部",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="全庁管理者は空欄 / empty for the planning office administrator",
    )

    class Meta:
        verbose_name = "役割"
        verbose_name_plural = "役割"
        ordering = ["user__username", "role", "department__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "department"], name="workspace_membership_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(role="admin", department__isnull=True)
                | (~models.Q(role="admin") & models.Q(department__isnull=False)),
                name="workspace_membership_scope",
            ),
        ]

    def __str__(self) -> str:
        where = self.department.name if self.department_id else "全庁"
        return f"{self.user.get_username()}: {self.get_role_display()} ({where})"


class WorkflowAction(models.TextChoices):
    CREATE = "create", "作成 / create"
    SUBMIT = "submit", "提出 / submit"
    APPROVE = "approve", "承認 / approve"
    RETURN = "return", "差戻し / return"
    PUBLISH = "publish", "公開 / publish"


class WorkflowEvent(models.Model):
    """One step of a declaration's workflow, with its comment (a return's reason, for instance).

    Keyed by department and fiscal year rather than the declaration row, because publishing
    replaces the published row and the history must outlive it.
    """

    department = models.ForeignKey(
        Department, verbose_name="部", on_delete=models.PROTECT, related_name="workflow_events"
    )
    fiscal_year = models.IntegerField("年度")
    action = models.CharField("手続", max_length=10, choices=WorkflowAction.choices)
    from_status = models.CharField("前の状態", max_length=10, blank=True)
    to_status = models.CharField("後の状態", max_length=10)
    comment = models.TextField("コメント", blank=True)
    actor = models.CharField("操作した人", max_length=150, blank=True)
    at = models.DateTimeField("日時")

    class Meta:
        verbose_name = "手続の記録"
        verbose_name_plural = "手続の記録"
        ordering = ["department__name", "fiscal_year", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.department.name} {self.get_action_display()}"


class Publication(models.Model):
    """What the public saw: the sengen/1 document of each published version, in order."""

    department = models.ForeignKey(
        Department, verbose_name="部", on_delete=models.PROTECT, related_name="publications"
    )
    fiscal_year = models.IntegerField("年度")
    number = models.PositiveIntegerField("版")
    published_at = models.DateTimeField("公開日時")
    published_by = models.CharField("公開した人", max_length=150, blank=True)
    document = models.TextField("公開した内容（sengen/1 JSON）")

    class Meta:
        verbose_name = "公開版"
        verbose_name_plural = "公開版"
        ordering = ["department__name", "fiscal_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "fiscal_year", "number"], name="workspace_publication_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.department.name} 第{self.number}版"
