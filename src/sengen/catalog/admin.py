"""The Django admin for the catalog, with Japanese labels (verbose names come from the models)."""

from __future__ import annotations

from django.contrib import admin

from sengen.adminbase import ReadOnlyAdmin
from sengen.catalog import models as m
from sengen.catalog.freshness import showing_ids, touch, touch_ids


class StampsDeclarations:
    """Admin edits mark the declarations they change, for the portal's Last-Modified."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        touch([obj])

    def delete_model(self, request, obj):
        ids = showing_ids([obj])
        super().delete_model(request, obj)
        touch_ids(ids)

    def delete_queryset(self, request, queryset):
        ids = showing_ids(list(queryset))
        super().delete_queryset(request, queryset)
        touch_ids(ids)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        touch([form.instance])


class PolicyInline(admin.TabularInline):
    model = m.Policy
    extra = 0
    fields = ["position", "number", "title", "body"]


class PolicyEvaluationInline(admin.TabularInline):
    model = m.PolicyEvaluation
    extra = 0


class DeclarationSectionInline(admin.TabularInline):
    model = m.DeclarationSection
    extra = 0
    autocomplete_fields = ["section"]


class DeclarationIndicatorInline(admin.TabularInline):
    model = m.DeclarationIndicator
    extra = 0
    show_change_link = True
    autocomplete_fields = ["indicator"]
    fields = ["position", "indicator", "unit", "baseline_year", "baseline_value"]


class KpiOwnerInline(admin.TabularInline):
    model = m.KpiOwner
    extra = 0
    autocomplete_fields = ["section", "unit"]


class ObservationInline(admin.TabularInline):
    model = m.Observation
    extra = 0


class TargetInline(admin.TabularInline):
    model = m.Target
    extra = 0


class DeclarationUnitInline(admin.TabularInline):
    model = m.DeclarationUnit
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(m.Department)
class DepartmentAdmin(StampsDeclarations, admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(m.Section)
class SectionAdmin(StampsDeclarations, admin.ModelAdmin):
    list_display = ["name", "department"]
    list_filter = ["department"]
    list_select_related = ["department"]
    search_fields = ["name", "department__name"]


@admin.register(m.Unit)
class UnitAdmin(StampsDeclarations, admin.ModelAdmin):
    list_display = ["name", "section"]
    list_filter = ["section__department"]
    list_select_related = ["section__department"]
    search_fields = ["name", "section__name"]


@admin.register(m.Plan)
class PlanAdmin(StampsDeclarations, admin.ModelAdmin):
    list_display = ["name", "start_year", "end_year"]
    search_fields = ["name"]


@admin.register(m.Project)
class ProjectAdmin(StampsDeclarations, admin.ModelAdmin):
    list_display = ["number", "name"]
    search_fields = ["number", "name"]


@admin.register(m.Indicator)
class IndicatorAdmin(StampsDeclarations, admin.ModelAdmin):
    list_display = ["name", "project", "unit", "direction"]
    list_filter = ["direction"]
    list_select_related = ["project"]
    search_fields = ["name", "project__number", "project__name"]


@admin.register(m.Declaration)
class DeclarationAdmin(StampsDeclarations, admin.ModelAdmin):
    list_display = ["fiscal_year", "department", "status", "head_title", "head_name", "plan", "published_at"]
    readonly_fields = ["status", "published_at"]
    list_filter = ["status", "fiscal_year", "department"]
    list_select_related = ["department", "plan"]
    search_fields = ["department__name", "head_name"]
    inlines = [DeclarationSectionInline, PolicyInline, DeclarationIndicatorInline]


@admin.register(m.DeclarationSection)
class DeclarationSectionAdmin(StampsDeclarations, admin.ModelAdmin):
    list_display = ["declaration", "section", "position"]
    list_filter = ["declaration__fiscal_year", "declaration__department"]
    list_select_related = ["declaration__department", "section__department"]
    search_fields = ["section__name"]
    inlines = [DeclarationUnitInline]


@admin.register(m.Policy)
class PolicyAdmin(StampsDeclarations, admin.ModelAdmin):
    list_display = ["declaration", "number", "title"]
    list_filter = ["declaration__fiscal_year", "declaration__department"]
    list_select_related = ["declaration__department"]
    search_fields = ["title", "body"]
    inlines = [PolicyEvaluationInline]


@admin.register(m.TargetRevision)
class TargetRevisionAdmin(ReadOnlyAdmin):
    """History: made through the workspace's "revise target", read here, never changed."""

    list_display = [
        "indicator",
        "declaration_year",
        "old_value",
        "new_value",
        "revised_by",
        "revised_at",
        "published_at",
    ]
    list_filter = ["declaration_year", "department"]
    list_select_related = ["indicator__project"]
    search_fields = ["indicator__name", "indicator__project__number", "reason"]


@admin.register(m.DeclarationIndicator)
class DeclarationIndicatorAdmin(StampsDeclarations, admin.ModelAdmin):
    list_display = ["declaration", "indicator", "unit", "baseline_year", "baseline_value"]
    list_filter = ["declaration__fiscal_year", "declaration__department"]
    list_select_related = ["declaration__department", "indicator__project"]
    search_fields = ["indicator__name", "indicator__project__number", "project_name"]
    inlines = [KpiOwnerInline, ObservationInline, TargetInline]


@admin.register(m.Observation)
class ObservationAdmin(StampsDeclarations, admin.ModelAdmin):
    list_display = ["declaration_indicator", "fiscal_year", "kind", "value", "annotation"]
    list_filter = ["kind", "fiscal_year"]
    list_select_related = [
        "declaration_indicator__declaration__department",
        "declaration_indicator__indicator__project",
    ]
    search_fields = ["declaration_indicator__indicator__name"]


@admin.register(m.Target)
class TargetAdmin(StampsDeclarations, admin.ModelAdmin):
    list_display = ["declaration_indicator", "fiscal_year", "value", "set_in"]
    list_filter = ["fiscal_year"]
    list_select_related = [
        "declaration_indicator__declaration__department",
        "declaration_indicator__indicator__project",
    ]
    search_fields = ["declaration_indicator__indicator__name"]


@admin.register(m.KpiOwner)
class KpiOwnerAdmin(StampsDeclarations, admin.ModelAdmin):
    list_display = ["declaration_indicator", "section", "unit"]
    list_select_related = ["declaration_indicator__declaration__department", "section", "unit"]
    search_fields = ["section__name", "unit__name"]
