"""The audit trail in the Django admin: read only, for everyone (the trail is never edited)."""

from __future__ import annotations

from django.contrib import admin

from sengen.adminbase import ReadOnlyAdmin
from sengen.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "via", "action", "model", "object_repr", "department", "fiscal_year"]
    list_filter = ["action", "model", "department"]
    search_fields = ["actor", "object_repr"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
