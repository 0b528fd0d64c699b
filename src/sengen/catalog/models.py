"""The catalog: org units, plans, projects, indicators and the goal declarations that publish them.

Shared rows (department, section, unit, plan, project, indicator) are identified by natural keys and
shared across years. Everything a declaration published is kept per declaration, as published:
its org structure, policies and KPI rows with their figures. An indicator's history is therefore
the union of its rows across declarations (``Observation.objects.filter(declaration_indicator__
indicator=...)``), and a later year's page adds rows to the same ``Indicator``.

Org units change every April; when a unit existed is derived from the declarations that list it
(``DeclarationSection`` / ``DeclarationUnit``) and is not stored.

Optional texts (qualifier, annotation, names) are nullable rather than "" because sengen/1
distinguishes "absent" from "empty", and a round trip must give back exactly what was loaded.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

FIGURE = {"max_digits": 15, "decimal_places": 4}


class Direction(models.TextChoices):
    INCREASE = "increase", "増加が望ましい / increase"
    DECREASE = "decrease", "減少が望ましい / decrease"
    MAINTAIN = "maintain", "維持 / maintain"


class ObservationKind(models.TextChoices):
    ACTUAL = "actual", "実績値 / actual"
    ESTIMATE = "estimate", "実績見込値 / estimate"


class DeclarationStatus(models.TextChoices):
    """The workflow of a declaration (docs/workspace.md). Only ``published`` rows are public."""

    DRAFT = "draft", "作成中 / draft"
    SUBMITTED = "submitted", "承認待ち / submitted"
    APPROVED = "approved", "公開待ち / approved"
    PUBLISHED = "published", "公開中 / published"


class EvaluationStage(models.TextChoices):
    MIDYEAR = "midyear", "中間評価 / mid-year"
    YEAREND = "yearend", "年度末評価 / year-end"


class Grade(models.TextChoices):
    A = "A", "A 達成 / achieved"
    B = "B", "B おおむね達成 / largely achieved"
    C = "C", "C 一部未達成 / partly achieved"
    D = "D", "D 未達成 / not achieved"


class Versioned(models.Model):
    """A row staff edit in the workspace. ``version`` grows by one with every save, so a form
    posted against an older version is refused instead of overwriting (workspace.editing)."""

    version = models.PositiveIntegerField("版", default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Any save (the admin's too) makes forms showing the old version stale. The workspace claims
        # the new version itself first, atomically, and sets _version_claimed.
        if self.pk is not None and not getattr(self, "_version_claimed", False):
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        self._version_claimed = False
        super().save(*args, **kwargs)


class Department(models.Model):
    name = models.CharField("部の名称", max_length=200, unique=True)

    class Meta:
        verbose_name = "部"
        verbose_name_plural = "部"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    department = models.ForeignKey(
        Department, verbose_name="部", on_delete=models.PROTECT, related_name="sections"
    )
    name = models.CharField("課の名称", max_length=200)

    class Meta:
        verbose_name = "課"
        verbose_name_plural = "課"
        ordering = ["department__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="catalog_section_natural_key")
        ]

    def __str__(self) -> str:
        return f"{self.department.name} {self.name}"


class Unit(models.Model):
    section = models.ForeignKey(Section, verbose_name="課", on_delete=models.PROTECT, related_name="units")
    name = models.CharField("担当・室の名称", max_length=200)

    class Meta:
        verbose_name = "担当・室"
        verbose_name_plural = "担当・室"
        ordering = ["section__department__name", "section__name", "name"]
        constraints = [models.UniqueConstraint(fields=["section", "name"], name="catalog_unit_natural_key")]

    def __str__(self) -> str:
        return f"{self.section.name} {self.name}"


class Plan(models.Model):
    name = models.CharField("計画の名称", max_length=200)
    start_year = models.IntegerField("計画期間の開始年度")
    end_year = models.IntegerField("計画期間の終了年度")

    class Meta:
        verbose_name = "中期戦略事業プラン"
        verbose_name_plural = "中期戦略事業プラン"
        ordering = ["start_year", "end_year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "start_year", "end_year"], name="catalog_plan_natural_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_year}–{self.end_year})"


class Project(models.Model):
    number = models.CharField("事業番号", max_length=50, unique=True)
    name = models.CharField(
        "事業名", max_length=500, help_text="最新の年度の目標宣言に掲載された名称 / name as last published"
    )

    class Meta:
        verbose_name = "主な事業"
        verbose_name_plural = "主な事業"
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Indicator(models.Model):
    project = models.ForeignKey(
        Project, verbose_name="主な事業", on_delete=models.PROTECT, related_name="indicators"
    )
    name = models.CharField("事業指標", max_length=500)
    unit = models.CharField("単位", max_length=50, null=True, blank=True)  # noqa: DJ001
    direction = models.CharField(  # noqa: DJ001
        "望ましい方向", max_length=10, choices=Direction.choices, null=True, blank=True
    )

    class Meta:
        verbose_name = "事業指標"
        verbose_name_plural = "事業指標"
        ordering = ["project__number", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="catalog_indicator_natural_key")
        ]

    def __str__(self) -> str:
        return f"{self.project.number} {self.name}"


class Declaration(Versioned):
    """One department's declaration for one fiscal year.

    A (department, fiscal year) has at most one published row, which the portal shows, and at most
    one working copy (draft, submitted or approved) that staff edit; publishing the working copy
    replaces the published row (workspace.workflow).
    """

    department = models.ForeignKey(
        Department, verbose_name="部", on_delete=models.PROTECT, related_name="declarations"
    )
    fiscal_year = models.IntegerField("年度", help_text="年度の始まる西暦年（令和2年度 = 2020）")
    head_title = models.CharField("部長の職名", max_length=200)
    head_name = models.CharField("部長の氏名", max_length=200, null=True, blank=True)  # noqa: DJ001
    message = models.JSONField("部長メッセージ", default=list, blank=True)
    roles = models.JSONField("部等の主な役割", default=list, blank=True)
    notes = models.JSONField("注記", default=list, blank=True)
    # When an import last changed this declaration: the Last-Modified of the pages showing it.
    updated_at = models.DateTimeField("更新日時", default=timezone.now, editable=False)
    status = models.CharField(
        "状態", max_length=10, choices=DeclarationStatus.choices, default=DeclarationStatus.DRAFT
    )
    published_at = models.DateTimeField("公開日時", null=True, blank=True, editable=False)
    plan = models.ForeignKey(
        Plan,
        verbose_name="中期戦略事業プラン",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="declarations",
    )

    class Meta:
        verbose_name = "部長の目標宣言"
        verbose_name_plural = "部長の目標宣言"
        ordering = ["fiscal_year", "department__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "fiscal_year"],
                condition=models.Q(status="published"),
                name="catalog_declaration_published_key",
            ),
            models.UniqueConstraint(
                fields=["department", "fiscal_year"],
                condition=~models.Q(status="published"),
                name="catalog_declaration_working_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.department.name}"

    @property
    def is_published(self) -> bool:
        return self.status == DeclarationStatus.PUBLISHED


class DeclarationSection(models.Model):
    declaration = models.ForeignKey(
        Declaration, verbose_name="目標宣言", on_delete=models.CASCADE, related_name="declaration_sections"
    )
    section = models.ForeignKey(
        Section, verbose_name="課", on_delete=models.PROTECT, related_name="declaration_sections"
    )
    position = models.PositiveIntegerField("掲載順")

    class Meta:
        verbose_name = "部等を構成する課等"
        verbose_name_plural = "部等を構成する課等"
        ordering = ["declaration", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "section"], name="catalog_declarationsection_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.declaration} {self.section.name}"


class DeclarationUnit(models.Model):
    declaration_section = models.ForeignKey(
        DeclarationSection, verbose_name="課", on_delete=models.CASCADE, related_name="declaration_units"
    )
    unit = models.ForeignKey(Unit, verbose_name="担当・室", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField("掲載順")

    class Meta:
        verbose_name = "課等を構成する担当・室"
        verbose_name_plural = "課等を構成する担当・室"
        ordering = ["declaration_section", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration_section", "unit"], name="catalog_declarationunit_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.declaration_section} {self.unit.name}"


class Policy(Versioned):
    declaration = models.ForeignKey(
        Declaration, verbose_name="目標宣言", on_delete=models.CASCADE, related_name="policies"
    )
    number = models.PositiveIntegerField("番号")
    title = models.TextField("見出し", blank=True)
    body = models.TextField("本文", blank=True)
    position = models.PositiveIntegerField("掲載順")

    class Meta:
        verbose_name = "部等の取組方針"
        verbose_name_plural = "部等の取組方針"
        ordering = ["declaration", "position"]
        constraints = [
            models.UniqueConstraint(fields=["declaration", "number"], name="catalog_policy_unique")
        ]

    def __str__(self) -> str:
        return f"{self.declaration} {self.number}. {self.title}"


class PolicyEvaluation(Versioned):
    """The department's self-evaluation of one policy at mid-year or year end (A–D and a comment)."""

    policy = models.ForeignKey(
        Policy, verbose_name="取組方針", on_delete=models.CASCADE, related_name="evaluations"
    )
    stage = models.CharField("評価の時期", max_length=10, choices=EvaluationStage.choices)
    grade = models.CharField("評価", max_length=1, choices=Grade.choices)
    comment = models.TextField("評価の説明", blank=True)

    class Meta:
        verbose_name = "取組方針の自己評価"
        verbose_name_plural = "取組方針の自己評価"
        ordering = ["policy", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "stage"], name="catalog_policyevaluation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.policy} {self.get_stage_display()}: {self.grade}"


class DeclarationIndicator(Versioned):
    """One KPI row as a declaration published it (project name, unit and direction included)."""

    declaration = models.ForeignKey(
        Declaration, verbose_name="目標宣言", on_delete=models.CASCADE, related_name="kpi_rows"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="事業指標", on_delete=models.PROTECT, related_name="kpi_rows"
    )
    position = models.PositiveIntegerField("掲載順")
    project_name = models.CharField("事業名（掲載時）", max_length=500)
    unit = models.CharField("単位（掲載時）", max_length=50, null=True, blank=True)  # noqa: DJ001
    direction = models.CharField(  # noqa: DJ001
        "望ましい方向（掲載時）", max_length=10, choices=Direction.choices, null=True, blank=True
    )
    has_baseline = models.BooleanField("当初水準の掲載あり", default=False)
    baseline_year = models.IntegerField("当初水準の年度", null=True, blank=True)
    baseline_value = models.DecimalField("当初水準", null=True, blank=True, **FIGURE)
    baseline_qualifier = models.CharField(  # noqa: DJ001
        "当初水準の限定語", max_length=100, null=True, blank=True
    )
    baseline_annotation = models.CharField(  # noqa: DJ001
        "当初水準の注記", max_length=200, null=True, blank=True
    )
    comment = models.TextField(  # noqa: DJ001
        "達成状況の説明", null=True, blank=True, help_text="年度末の達成状況に添える説明 / year-end comment"
    )

    class Meta:
        verbose_name = "KPI行"
        verbose_name_plural = "KPI行"
        ordering = ["declaration", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "indicator"], name="catalog_declarationindicator_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.declaration} {self.indicator}"


class KpiOwner(models.Model):
    declaration_indicator = models.ForeignKey(
        DeclarationIndicator, verbose_name="KPI行", on_delete=models.CASCADE, related_name="owners"
    )
    section = models.ForeignKey(Section, verbose_name="課", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name="担当・室", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField("掲載順")

    class Meta:
        verbose_name = "所管課"
        verbose_name_plural = "所管課"
        ordering = ["declaration_indicator", "position"]

    def __str__(self) -> str:
        return f"{self.section.name} {self.unit.name}" if self.unit_id else self.section.name


class PublishedFigure(Versioned):
    """A figure of a KPI row for one fiscal year, as the declaration published it."""

    declaration_indicator = models.ForeignKey(
        DeclarationIndicator, verbose_name="KPI行", on_delete=models.CASCADE, related_name="%(class)ss"
    )
    fiscal_year = models.IntegerField("年度")
    value = models.DecimalField("値", null=True, blank=True, help_text="空欄は未報告（—）", **FIGURE)
    qualifier = models.CharField("限定語", max_length=100, null=True, blank=True)  # noqa: DJ001
    annotation = models.CharField("注記", max_length=200, null=True, blank=True)  # noqa: DJ001
    position = models.PositiveIntegerField("掲載順")

    class Meta:
        abstract = True
        ordering = ["declaration_indicator", "position"]


class Observation(PublishedFigure):
    kind = models.CharField("種別", max_length=10, choices=ObservationKind.choices)

    class Meta(PublishedFigure.Meta):
        verbose_name = "実績値・実績見込値"
        verbose_name_plural = "実績値・実績見込値"
        constraints = [
            models.UniqueConstraint(
                fields=["declaration_indicator", "fiscal_year", "kind"], name="catalog_observation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.get_kind_display()}: {self.value}"


class Target(PublishedFigure):
    set_in = models.IntegerField("設定年度", null=True, blank=True)

    class Meta(PublishedFigure.Meta):
        verbose_name = "目標値"
        verbose_name_plural = "目標値"
        constraints = [
            models.UniqueConstraint(
                fields=["declaration_indicator", "fiscal_year"], name="catalog_target_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year}: {self.value}"


class TargetRevision(models.Model):
    """A target changed when the plan was revised (改訂): what it was, for which plan period, and why.

    Kept per indicator (not per declaration) so the history outlives the declaration rows that a
    later publication replaces. Public once ``published_at`` is set by publishing the declaration.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name="事業指標", on_delete=models.PROTECT, related_name="target_revisions"
    )
    department = models.ForeignKey(Department, verbose_name="部", on_delete=models.PROTECT, related_name="+")
    declaration_year = models.IntegerField("改訂した目標宣言の年度")
    old_fiscal_year = models.IntegerField("改訂前の目標年度", null=True, blank=True)
    old_value = models.DecimalField("改訂前の目標値", null=True, blank=True, **FIGURE)
    old_set_in = models.IntegerField("改訂前の設定年度", null=True, blank=True)
    old_plan_name = models.CharField("改訂前の計画", max_length=200, blank=True)
    old_plan_start_year = models.IntegerField("改訂前の計画期間（開始）", null=True, blank=True)
    old_plan_end_year = models.IntegerField("改訂前の計画期間（終了）", null=True, blank=True)
    new_fiscal_year = models.IntegerField("改訂後の目標年度")
    new_value = models.DecimalField("改訂後の目標値", **FIGURE)
    new_set_in = models.IntegerField("改訂後の設定年度")
    reason = models.TextField("改訂の理由")
    revised_at = models.DateTimeField("改訂日時", default=timezone.now)
    revised_by = models.CharField("改訂者", max_length=150, blank=True)
    published_at = models.DateTimeField("公開日時", null=True, blank=True)

    class Meta:
        verbose_name = "目標値の改訂"
        verbose_name_plural = "目標値の改訂"
        ordering = ["indicator", "revised_at", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.old_value} → {self.new_value}"
