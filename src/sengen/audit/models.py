"""The audit trail: one row per change to any record, never edited or deleted.

Rows keep names and values as text (not foreign keys), so the trail still reads correctly after
the user, the department or the record itself is gone.
"""

from __future__ import annotations

from django.db import models


class Action(models.TextChoices):
    CREATE = "create", "作成 / create"
    UPDATE = "update", "変更 / update"
    DELETE = "delete", "削除 / delete"
    IMPORT = "import", "取込み / import"
    WORKFLOW = "workflow", "手続 / workflow"
    SIGN_IN = "sign_in", "サインイン / sign-in"


class AuditEntry(models.Model):
    at = models.DateTimeField("日時", db_index=True)
    actor_id = models.IntegerField("利用者ID", null=True, blank=True, db_index=True)
    actor = models.CharField("利用者", max_length=150, blank=True)
    via = models.CharField("操作した画面・コマンド", max_length=200, blank=True)
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    model = models.CharField("記録の種類", max_length=100, db_index=True)
    object_id = models.CharField("記録のID", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("記録", max_length=500, blank=True)
    department = models.CharField("部", max_length=200, blank=True, db_index=True)
    fiscal_year = models.IntegerField("年度", null=True, blank=True)
    # [{"field": name, "old": text|null, "new": text|null}, ...]
    changes = models.JSONField("変更内容", default=list, blank=True)
    reason = models.TextField("理由・コメント", blank=True)

    class Meta:
        verbose_name = "監査記録"
        verbose_name_plural = "監査記録"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["model", "object_id"], name="audit_record_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()} {self.object_repr}"
