"""The Django admin for the workspace: roles are managed here; workflow history and published
versions are shown but never edited (they are records of what happened)."""

from __future__ import annotations

from django.contrib import admin

from sengen.adminbase import ReadOnlyAdmin
from sengen.workspace.models import Membership, Publication, WorkflowEvent


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "department"]
    list_filter = ["role", "department"]
    list_select_related = ["user", "department"]
    search_fields = ["user__username", "user__last_name", "user__first_name", "department__name"]
    autocomplete_fields = ["user", "department"]


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "department", "fiscal_year", "action", "from_status", "to_status", "actor"]
    list_filter = ["action", "fiscal_year", "department"]
    list_select_related = ["department"]
    search_fields = ["actor", "comment", "department__name"]
    date_hierarchy = "at"


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["department", "fiscal_year", "number", "published_at", "published_by"]
    list_filter = ["fiscal_year", "department"]
    list_select_related = ["department"]
    search_fields = ["department__name", "published_by"]
    date_hierarchy = "published_at"
