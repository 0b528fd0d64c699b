"""The loader: interchange records → database, in one transaction (all documents or nothing).

For each declaration the current stored state is rebuilt through the query layer and compared with
the incoming record: equal → "unchanged" and nothing is written; otherwise the declaration is
"added" or "changed" and its child rows (org structure, policies, KPI rows with their figures) are
replaced in one go. Shared rows (department, section, unit, plan, project, indicator) are upserted by
natural key, so a later year's page adds to the same indicator.

A project's current name and an indicator's unit and direction are those of the latest declaration
that published them; each KPI row also keeps them as published, so every declaration is exported
exactly as it was loaded.

Refusals (``LoadError``) are checked before anything is written.

``stage`` chooses which copy a document is loaded into: ``PUBLISHED`` (``sengen import``: pages as
the city published them) or ``WORKING`` (the workspace's import into a department's draft). The
audit trail gets one entry per added or changed declaration, listing the changes as readable paths,
rather than one entry per replaced row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from django.db import connection, models, transaction
from django.utils import timezone

from sengen.audit import recorder
from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.core.messages import Lang, Location, Problem, register
from sengen.core.text import label_part
from sengen.core.wareki import fiscal_year_label
from sengen.interchange import models as rec
from sengen.interchange.diff import Change, diff_declarations
from sengen.interchange.jsonio import number_text

register(
    {
        "loader.unit_conflict": (
            "事業 {project} の指標「{indicator}」の単位が、{year_a_ja} {department_a} では「{unit_a}」、"
            "{year_b_ja} {department_b} では「{unit_b}」です。同じ指標は同じ単位で掲載してください"
            "（単位が本当に変わった場合は、別の指標名にしてください）。",
            "Project {project}, indicator \u201c{indicator}\u201d: the unit is \u201c{unit_a}\u201d in "
            "FY{year_a} {department_a} but \u201c{unit_b}\u201d in FY{year_b} {department_b}. Publish the "
            "same indicator in the same unit (if the unit really changed, give the indicator a new name).",
        ),
        "loader.declaration_conflict": (
            "{year_ja} {department} の目標宣言が、この取込みに内容の異なる{count}件として含まれています。"
            "正しい1件だけを指定して取り込み直してください。",
            "The FY{year} {department} declaration appears {count} times in this import with different "
            "content. Import only the correct one.",
        ),
        "loader.duplicate": (
            "{year_ja} {department} の目標宣言で、{what}「{key}」が2回以上掲載されています。"
            "重複した行を1つにまとめてください。",
            "The FY{year} {department} declaration lists {what_en} \u201c{key}\u201d more than once. "
            "Merge the duplicate rows into one.",
        ),
        "loader.not_draft": (
            "{year_ja} {department} の目標宣言は「{status}」のため、取り込めません。"
            "差し戻されて作成中に戻ってから取り込んでください。",
            "The FY{year} {department} declaration is {status_en}, so nothing can be imported into it. "
            "Import once it has been returned to draft.",
        ),
        "loader.too_long": (
            "{year_ja} {department} の目標宣言で、{what}「{value}」が長すぎます"
            "（{length}文字、上限{limit}文字）。"
            "{limit}文字以内にしてください。",
            "The FY{year} {department} declaration: {what_en} \u201c{value}\u201d is too long ({length} "
            "characters, at most {limit}). Shorten it to {limit} characters or fewer.",
        ),
    }
)

Status = Literal["added", "changed", "unchanged"]
_DUPLICATES = {
    "section": ("課", "section"),
    "unit": ("担当・室", "unit"),
    "policy": ("取組方針の番号", "policy number"),
    "evaluation": ("取組方針の自己評価", "policy self-evaluation"),
    "indicator": ("事業指標", "indicator"),
    "observation": ("実績値・実績見込値", "observation"),
    "target": ("目標値の年度", "target year"),
}


class LoadError(Exception):
    """The load was refused; nothing was written. ``problems`` say what is wrong and how to fix it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.render("en") for p in problems))

    def render(self, lang: Lang = "ja") -> str:
        return "\n".join(p.render(lang) for p in self.problems)


@dataclass(frozen=True)
class DeclarationReport:
    fiscal_year: int
    department: str
    status: Status
    changes: list[Change] = field(default_factory=list)


@dataclass
class LoadReport:
    declarations: list[DeclarationReport] = field(default_factory=list)
    dry_run: bool = False
    source: str | None = None

    @property
    def totals(self) -> dict[str, int]:
        result = {"added": 0, "changed": 0, "unchanged": 0}
        for item in self.declarations:
            result[item.status] += 1
        return result

    @property
    def changed(self) -> bool:
        """Whether the load wrote (or, in a dry run, would write) anything."""
        return any(item.status != "unchanged" for item in self.declarations)

    def render(self, lang: Lang = "ja") -> str:
        lines = []
        if self.dry_run:
            lines.append(
                "（試行: データベースには何も書き込んでいません）"
                if lang == "ja"
                else "(dry run: nothing was written to the database)"
            )
        for item in self.declarations:
            lines.append(_headline(item, lang))
            if item.status == "changed":
                lines.extend(f"  {_change_line(c, lang)}" for c in item.changes)
        # Only the statuses that occurred, so that e.g. "追加" appears only when something was added.
        counts = [(status, n) for status, n in self.totals.items() if n]
        if lang == "ja":
            words = {"added": "追加", "changed": "変更", "unchanged": "変更なし"}
            parts = [f"{words[status]} {n}件" for status, n in counts] or ["0件"]
            lines.append("合計: " + ", ".join(parts))
        else:
            parts = [f"{n} {status}" for status, n in counts] or ["no declarations"]
            lines.append("Total: " + ", ".join(parts))
        return "\n".join(lines)


def _headline(item: DeclarationReport, lang: Lang) -> str:
    if lang == "ja":
        label = f"{fiscal_year_label(item.fiscal_year, lang)} {item.department}"
        status = {"added": "追加", "changed": f"変更 {len(item.changes)}件", "unchanged": "変更なし"}
    else:
        label = f"{fiscal_year_label(item.fiscal_year, lang)} {item.department}"
        n = len(item.changes)
        status = {
            "added": "added",
            "changed": f"changed, {n} change{'s' if n != 1 else ''}",
            "unchanged": "unchanged",
        }
    return f"{label}: {status[item.status]}"


def _figure(value: Decimal | None, qualifier: str | None, annotation: str | None) -> str:
    text = "—" if value is None else number_text(value)
    if qualifier:
        text += qualifier
    return f"{text} ({annotation})" if annotation else text


def _summary(record: rec.Record, lang: Lang) -> str:
    """One short line for a record that was added or removed (the path already names it)."""
    match record:
        case rec.Indicator():
            unit = f" [{record.unit}]" if record.unit else ""
            return f"{record.project.number} {record.name}{unit}"
        case rec.Observation():
            return _figure(record.value, record.qualifier, record.annotation)
        case rec.Target():
            text = _figure(record.value, record.qualifier, record.annotation)
            if record.set_in is None:
                return text
            return f"{text}, {record.set_in}年度設定" if lang == "ja" else f"{text}, set in FY{record.set_in}"
        case rec.Baseline():
            year = "" if record.fiscal_year is None else f" ({record.fiscal_year})"
            return _figure(record.value, record.qualifier, record.annotation) + year
        case rec.Owner():
            return f"{record.section} {record.unit}" if record.unit else record.section
        case rec.Policy():
            return f"{record.number}. {record.title}"
        case rec.Section():
            return f"{record.name} [{', '.join(record.units)}]" if record.units else record.name
        case rec.Plan():
            return f"{record.name} {record.start_year}–{record.end_year}"
        case rec.Head():
            return f"{record.title} {record.name}" if record.name else record.title
        case rec.Declaration():
            return f"{record.fiscal_year} {record.department}"
    return str(record)  # pragma: no cover - every record type is listed above


def format_value(value: object, lang: Lang = "ja") -> str:
    """A value in a change line: figures without trailing zeros, records in one short line."""
    if value is None:
        return "（なし）" if lang == "ja" else "(none)"
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, rec.Record):
        return _summary(value, lang)
    if isinstance(value, list):
        return "[" + ", ".join(format_value(v, lang) for v in value) + "]"
    return str(value)


def _change_line(change: Change, lang: Lang) -> str:
    return f"{change.path}: {format_value(change.old, lang)} → {format_value(change.new, lang)}"


# --- validation -------------------------------------------------------------------------------------

Key = tuple[str, int]  # (department, fiscal_year)


def _problem(code: str, source: str | None, **params: object) -> Problem:
    # Japanese messages show years as 令和2年度（2020年度）; English ones use FY{year}.
    labels = {
        f"{k}_ja": fiscal_year_label(v)
        for k, v in params.items()
        if k.startswith("year") and isinstance(v, int)
    }
    return Problem(code, {**params, **labels}, Location(file=source))


def _check_duplicates(d: rec.Declaration, source: str | None, problems: list[Problem]) -> None:
    groups: list[tuple[str, list[str]]] = [
        ("section", [s.name for s in d.sections]),
        *[("unit", [f"{s.name} {u}" for u in s.units]) for s in d.sections],
        ("policy", [str(p.number) for p in d.policies]),
        *[
            ("evaluation", [f"{p.number}. {m.EvaluationStage(e.stage).label}" for e in p.evaluations])
            for p in d.policies
        ],
        ("indicator", [f"{i.project.number} {i.name}" for i in d.indicators]),
    ]
    for i in d.indicators:
        label = f"{i.project.number} {i.name}"
        groups.append(("observation", [f"{label}: {o.fiscal_year} {o.kind}" for o in i.observations]))
        groups.append(("target", [f"{label}: {t.fiscal_year}" for t in i.targets]))
    reported: set[str] = set()
    for kind, keys in groups:
        seen: set[str] = set()
        for key in keys:
            if key in seen and key not in reported:
                reported.add(key)
                ja, en = _DUPLICATES[kind]
                problems.append(
                    _problem(
                        "loader.duplicate",
                        source,
                        year=d.fiscal_year,
                        department=d.department,
                        what=ja,
                        what_en=en,
                        key=key,
                    )
                )
            seen.add(key)


def _limit(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length or 0


def _check_lengths(d: rec.Declaration, source: str | None, problems: list[Problem]) -> None:
    checks: list[tuple[str | None, type[models.Model], str, str, str]] = [
        (d.department, m.Department, "name", "部の名称", "department name"),
        (d.head.title, m.Declaration, "head_title", "部長の職名", "head title"),
        (d.head.name, m.Declaration, "head_name", "部長の氏名", "head name"),
    ]
    if d.plan:
        checks.append((d.plan.name, m.Plan, "name", "計画の名称", "plan name"))
    for s in d.sections:
        checks.append((s.name, m.Section, "name", "課の名称", "section name"))
        checks.extend((u, m.Unit, "name", "担当・室の名称", "unit name") for u in s.units)
    for i in d.indicators:
        checks += [
            (i.project.number, m.Project, "number", "事業番号", "project number"),
            (i.project.name, m.Project, "name", "事業名", "project name"),
            (i.name, m.Indicator, "name", "事業指標", "indicator name"),
            (i.unit, m.Indicator, "unit", "単位", "unit"),
        ]
        for o in i.owners:
            checks.append((o.section, m.Section, "name", "課の名称", "section name"))
            checks.append((o.unit, m.Unit, "name", "担当・室の名称", "unit name"))
        figures = [*i.observations, *i.targets, *([i.baseline] if i.baseline else [])]
        for f in figures:
            checks.append((f.qualifier, m.Observation, "qualifier", "限定語", "qualifier"))
            checks.append((f.annotation, m.Observation, "annotation", "注記", "annotation"))
    for value, model, name, ja, en in checks:
        limit = _limit(model, name)
        if value is not None and len(value) > limit:
            problems.append(
                _problem(
                    "loader.too_long",
                    source,
                    year=d.fiscal_year,
                    department=d.department,
                    what=ja,
                    what_en=en,
                    value=value,
                    length=len(value),
                    limit=limit,
                )
            )


_STAGES = [stage.value for stage in m.EvaluationStage]


def _stage_order(d: rec.Declaration) -> rec.Declaration:
    """Self-evaluations in the order they are stored and exported (mid-year, year end), so a document
    listing them the other way round is not a change at every import."""

    def ordered(p: rec.Policy) -> list[rec.SelfEvaluation]:
        return sorted(p.evaluations, key=lambda e: _STAGES.index(e.stage))

    if all(p.evaluations == ordered(p) for p in d.policies):
        return d
    policies = [p.model_copy(update={"evaluations": ordered(p)}) for p in d.policies]
    return d.model_copy(update={"policies": policies})


def _collect(documents: Sequence[rec.Document], source: str | None) -> dict[Key, rec.Declaration]:
    """The declarations to load, once each; refuses conflicting repeats and duplicate rows."""
    problems: list[Problem] = []
    incoming: dict[Key, rec.Declaration] = {}
    conflicting: dict[Key, int] = {}
    for document in documents:
        for d in map(_stage_order, document.declarations):
            key = (d.department, d.fiscal_year)
            if key not in incoming:
                incoming[key] = d
                _check_duplicates(d, source, problems)
                _check_lengths(d, source, problems)
            elif incoming[key] != d:
                conflicting[key] = conflicting.get(key, 1) + 1
    for (department, year), count in conflicting.items():
        problems.append(
            _problem("loader.declaration_conflict", source, year=year, department=department, count=count)
        )
    if problems:
        raise LoadError(problems)
    return incoming


def _check_units(
    writing: dict[Key, rec.Declaration], existing: dict[Key, m.Declaration], source: str | None
) -> None:
    """Refuse an indicator published in two units (against other stored declarations or in this load)."""
    seen: dict[tuple[str, str], tuple[str, int, str]] = {}  # (project, indicator) → (unit, year, department)
    numbers = {i.project.number for d in writing.values() for i in d.indicators}
    replaced = [existing[k].pk for k in writing if k in existing]
    stored = (
        m.DeclarationIndicator.objects.filter(indicator__project__number__in=numbers, unit__isnull=False)
        .exclude(declaration_id__in=replaced)
        .order_by("declaration__fiscal_year", "declaration__department__name")
        .values_list(
            "indicator__project__number",
            "indicator__name",
            "unit",
            "declaration__fiscal_year",
            "declaration__department__name",
        )
    )
    for number, name, unit, year, department in stored:
        seen.setdefault((number, name), (unit, year, department))
    problems: list[Problem] = []
    for (department, year), d in writing.items():
        for i in d.indicators:
            if i.unit is None:
                continue
            key = (i.project.number, i.name)
            first = seen.setdefault(key, (i.unit, year, department))
            if first[0] != i.unit:
                problems.append(
                    _problem(
                        "loader.unit_conflict",
                        source,
                        project=i.project.number,
                        indicator=i.name,
                        unit_a=first[0],
                        year_a=first[1],
                        department_a=first[2],
                        unit_b=i.unit,
                        year_b=year,
                        department_b=department,
                    )
                )
    if problems:
        raise LoadError(problems)


# --- writing ----------------------------------------------------------------------------------------


def _figure_fields(
    row: m.DeclarationIndicator, record: rec.Observation | rec.Target, position: int
) -> dict[str, object]:
    """The PublishedFigure fields observations and targets share."""
    return {
        "declaration_indicator": row,
        "fiscal_year": record.fiscal_year,
        "value": record.value,
        "qualifier": record.qualifier,
        "annotation": record.annotation,
        "position": position,
    }


def _create(model: type[models.Model], objects: list[models.Model]) -> None:
    """Bulk-create ``objects`` and make sure each has its primary key."""
    if not objects:
        return
    if connection.features.can_return_rows_from_bulk_insert:
        model.objects.bulk_create(objects)
    else:  # pragma: no cover - every database Sengen supports returns the keys
        for obj in objects:
            obj.save(force_insert=True)


def _add_missing(model: type[models.Model], stored: dict, wanted: Iterable, build: Callable) -> None:
    """Create the rows whose natural key is wanted but not stored yet, and add them to ``stored``."""
    missing = sorted(set(wanted) - stored.keys())
    objects = [build(*key) if isinstance(key, tuple) else build(key) for key in missing]
    _create(model, objects)
    stored.update(zip(missing, objects, strict=True))


class _Shared:
    """Department, section, unit, plan, project and indicator rows by natural key, created on demand."""

    def __init__(self, declarations: Iterable[rec.Declaration]) -> None:
        decls = list(declarations)
        dept_names = {d.department for d in decls}
        self.departments = {x.name: x for x in m.Department.objects.filter(name__in=dept_names)}
        _add_missing(m.Department, self.departments, dept_names, lambda name: m.Department(name=name))

        section_keys: set[tuple[str, str]] = set()
        unit_keys: set[tuple[str, str, str]] = set()
        for d in decls:
            for s in d.sections:
                section_keys.add((d.department, s.name))
                unit_keys.update((d.department, s.name, u) for u in s.units)
            for i in d.indicators:
                for o in i.owners:
                    section_keys.add((d.department, o.section))
                    if o.unit is not None:
                        unit_keys.add((d.department, o.section, o.unit))
        dept_ids = [x.pk for x in self.departments.values()]
        self.sections = {
            (x.department.name, x.name): x
            for x in m.Section.objects.filter(department_id__in=dept_ids).select_related("department")
        }
        _add_missing(
            m.Section,
            self.sections,
            section_keys,
            lambda dn, sn: m.Section(department=self.departments[dn], name=sn),
        )
        self.units = {
            (x.section.department.name, x.section.name, x.name): x
            for x in m.Unit.objects.filter(section__department_id__in=dept_ids).select_related(
                "section__department"
            )
        }
        _add_missing(
            m.Unit, self.units, unit_keys, lambda dn, sn, un: m.Unit(section=self.sections[(dn, sn)], name=un)
        )

        plan_keys = {(d.plan.name, d.plan.start_year, d.plan.end_year) for d in decls if d.plan}
        self.plans = {
            (p.name, p.start_year, p.end_year): p
            for p in m.Plan.objects.filter(name__in={k[0] for k in plan_keys})
        }
        _add_missing(m.Plan, self.plans, plan_keys, lambda n, s, e: m.Plan(name=n, start_year=s, end_year=e))

        # A new project is created with the name of the latest declaration that publishes it.
        project_names: dict[str, str] = {}
        indicator_keys: set[tuple[str, str]] = set()
        for d in sorted(decls, key=lambda d: d.fiscal_year):
            for i in d.indicators:
                project_names[i.project.number] = i.project.name
                indicator_keys.add((i.project.number, i.name))
        self.projects = {p.number: p for p in m.Project.objects.filter(number__in=project_names)}
        _add_missing(
            m.Project, self.projects, project_names, lambda n: m.Project(number=n, name=project_names[n])
        )
        self.indicators = {
            (x.project.number, x.name): x
            for x in m.Indicator.objects.filter(project__number__in=project_names).select_related("project")
        }
        _add_missing(
            m.Indicator,
            self.indicators,
            indicator_keys,
            lambda n, name: m.Indicator(project=self.projects[n], name=name),
        )


def _write(writing: dict[Key, rec.Declaration], existing: dict[Key, m.Declaration], stage: str) -> None:
    shared = _Shared(writing.values())

    changed = [existing[k] for k in writing if k in existing]
    if changed:
        ids = [d.pk for d in changed]
        m.DeclarationSection.objects.filter(declaration_id__in=ids).delete()
        m.Policy.objects.filter(declaration_id__in=ids).delete()
        m.DeclarationIndicator.objects.filter(declaration_id__in=ids).delete()

    stored: dict[Key, m.Declaration] = {}
    added: list[m.Declaration] = []
    now = timezone.now()
    for key, d in writing.items():
        obj = existing.get(key) or m.Declaration(
            department=shared.departments[d.department],
            fiscal_year=d.fiscal_year,
            status=m.DeclarationStatus.PUBLISHED if stage == queries.PUBLISHED else m.DeclarationStatus.DRAFT,
            published_at=now if stage == queries.PUBLISHED else None,
        )
        obj.head_title = d.head.title
        obj.head_name = d.head.name
        obj.message = list(d.message)
        obj.roles = list(d.roles)
        obj.notes = list(d.notes)
        obj.plan = shared.plans[(d.plan.name, d.plan.start_year, d.plan.end_year)] if d.plan else None
        obj.updated_at = now
        if obj.pk:
            obj.version += 1
        stored[key] = obj
        if obj.pk is None:
            added.append(obj)
    _create(m.Declaration, added)
    if changed:
        m.Declaration.objects.bulk_update(
            changed,
            ["head_title", "head_name", "message", "roles", "notes", "plan", "updated_at", "version"],
        )

    sections: list[tuple[m.DeclarationSection, list[m.Unit]]] = []
    policies: list[tuple[m.Policy, rec.Policy]] = []
    rows: list[tuple[m.DeclarationIndicator, rec.Indicator, str]] = []
    for key, d in writing.items():
        decl = stored[key]
        dept = d.department
        for pos, s in enumerate(d.sections):
            ds = m.DeclarationSection(declaration=decl, section=shared.sections[(dept, s.name)], position=pos)
            sections.append((ds, [shared.units[(dept, s.name, u)] for u in s.units]))
        policies.extend(
            (m.Policy(declaration=decl, number=p.number, title=p.title, body=p.body, position=pos), p)
            for pos, p in enumerate(d.policies)
        )
        for pos, i in enumerate(d.indicators):
            b = i.baseline
            row = m.DeclarationIndicator(
                declaration=decl,
                indicator=shared.indicators[(i.project.number, i.name)],
                position=pos,
                project_name=i.project.name,
                unit=i.unit,
                direction=i.direction,
                has_baseline=b is not None,
                baseline_year=b.fiscal_year if b else None,
                baseline_value=b.value if b else None,
                baseline_qualifier=b.qualifier if b else None,
                baseline_annotation=b.annotation if b else None,
                comment=i.comment,
            )
            rows.append((row, i, dept))
    _create(m.DeclarationSection, [ds for ds, _ in sections])
    _create(
        m.DeclarationUnit,
        [
            m.DeclarationUnit(declaration_section=ds, unit=u, position=pos)
            for ds, units in sections
            for pos, u in enumerate(units)
        ],
    )
    _create(m.Policy, [policy for policy, _ in policies])
    _create(
        m.PolicyEvaluation,
        [
            m.PolicyEvaluation(policy=policy, stage=e.stage, grade=e.grade, comment=e.comment)
            for policy, p in policies
            for e in p.evaluations
        ],
    )
    _create(m.DeclarationIndicator, [row for row, _, _ in rows])

    owners, observations, targets = [], [], []
    for row, i, dept in rows:
        for pos, o in enumerate(i.owners):
            owners.append(
                m.KpiOwner(
                    declaration_indicator=row,
                    section=shared.sections[(dept, o.section)],
                    unit=shared.units[(dept, o.section, o.unit)] if o.unit is not None else None,
                    position=pos,
                )
            )
        observations.extend(
            m.Observation(kind=o.kind, **_figure_fields(row, o, pos)) for pos, o in enumerate(i.observations)
        )
        targets.extend(
            m.Target(set_in=t.set_in, **_figure_fields(row, t, pos)) for pos, t in enumerate(i.targets)
        )
    _create(m.KpiOwner, owners)
    _create(m.Observation, observations)
    _create(m.Target, targets)

    _refresh_current(list(shared.indicators.values()))


def _refresh_current(indicators: list[m.Indicator]) -> None:
    """Project name, indicator unit and direction := those of the latest declaration publishing them."""
    if not indicators:
        return
    by_id = {x.pk: x for x in indicators}
    projects = {x.project_id: x.project for x in indicators}
    names: dict[int, str] = {}
    units: dict[int, str] = {}
    directions: dict[int, str] = {}
    published = (
        m.DeclarationIndicator.objects.filter(indicator_id__in=by_id)
        .order_by("declaration__fiscal_year", "declaration__department__name")
        .values_list("indicator_id", "indicator__project_id", "project_name", "unit", "direction")
    )
    for indicator_id, project_id, project_name, unit, direction in published:
        names[project_id] = project_name
        if unit is not None:
            units[indicator_id] = unit
        if direction is not None:
            directions[indicator_id] = direction
    dirty_projects = []
    for pid, name in names.items():
        if projects[pid].name != name:
            projects[pid].name = name
            dirty_projects.append(projects[pid])
    dirty_indicators = []
    for iid, x in by_id.items():
        unit, direction = units.get(iid, x.unit), directions.get(iid, x.direction)
        if (x.unit, x.direction) != (unit, direction):
            x.unit, x.direction = unit, direction
            dirty_indicators.append(x)
    if dirty_projects:
        m.Project.objects.bulk_update(dirty_projects, ["name"])
    if dirty_indicators:
        m.Indicator.objects.bulk_update(dirty_indicators, ["unit", "direction"])


# --- entry point ------------------------------------------------------------------------------------


def _audit(report: LoadReport, stored: dict[Key, m.Declaration]) -> None:
    """One trail entry per added or changed declaration, as the acting user and screen/command."""
    for item in report.declarations:
        if item.status == "unchanged":
            continue
        decl = stored[(item.department, item.fiscal_year)]
        recorder.record(
            "import",
            decl,
            department=item.department,
            fiscal_year=item.fiscal_year,
            changes=audit_changes(item.changes),
            reason=report.source or "",
        )


def audit_changes(changes: list[Change]) -> list[dict[str, str | None]]:
    """A declaration's changes as audit-trail entries: readable path, old and new as text."""
    return [
        {"field": c.path or "declaration", "old": _audit_text(c.old), "new": _audit_text(c.new)}
        for c in changes
    ]


def _audit_text(value: object) -> str | None:
    return None if value is None else format_value(value)


def _check_stage(
    incoming: dict[Key, rec.Declaration], existing: dict[Key, m.Declaration], source: str | None
) -> None:
    """A working copy takes imports only while it is a draft (submitted/approved ones are frozen)."""
    problems = [
        _problem(
            "loader.not_draft",
            source,
            year=key[1],
            department=key[0],
            status=label_part(existing[key].get_status_display()),
            status_en=existing[key].status,
        )
        for key in incoming
        if key in existing and existing[key].status != m.DeclarationStatus.DRAFT
    ]
    if problems:
        raise LoadError(problems)


def with_stored_text(document: rec.Document, stage: str = queries.PUBLISHED) -> rec.Document:
    """A KPI-only document (read from CSV) completed with each stored declaration's text (head,
    message, roles, sections, policies, notes), so importing it replaces only the KPI tables."""
    from sengen.ingest.csv_reader import keep_stored_text

    keys = {(d.fiscal_year, d.department) for d in document.declarations}
    stored = queries.declarations(stage=stage).filter(
        fiscal_year__in={y for y, _ in keys}, department__name__in={n for _, n in keys}
    )
    records = [queries.to_record(d) for d in queries.with_children(stored)]
    return keep_stored_text(document, [r for r in records if (r.fiscal_year, r.department) in keys])


def load(
    documents: list[rec.Document],
    *,
    dry_run: bool = False,
    source: str | None = None,
    stage: str = queries.PUBLISHED,
) -> LoadReport:
    """Load every declaration of ``documents`` in one transaction; see the module docstring.

    Raises :class:`LoadError` (and writes nothing) when the input conflicts with itself or with what
    is stored. With ``dry_run`` the same work is done and rolled back, so the report is exactly what
    a real run would do.
    """
    incoming = _collect(documents, source)
    report = LoadReport(dry_run=dry_run, source=source)
    with transaction.atomic():
        existing: dict[Key, m.Declaration] = {}
        if incoming:
            candidates = queries.declarations(stage=stage).filter(
                department__name__in={k[0] for k in incoming}, fiscal_year__in={k[1] for k in incoming}
            )
            existing = {
                (d.department.name, d.fiscal_year): d
                for d in queries.with_children(candidates)
                if (d.department.name, d.fiscal_year) in incoming
            }
        if stage != queries.PUBLISHED:
            _check_stage(incoming, existing, source)
        writing: dict[Key, rec.Declaration] = {}
        for key, new in incoming.items():
            stored = existing.get(key)
            old = queries.to_record(stored) if stored is not None else None
            if old == new:
                report.declarations.append(DeclarationReport(new.fiscal_year, new.department, "unchanged"))
                continue
            status: Status = "added" if old is None else "changed"
            report.declarations.append(
                DeclarationReport(new.fiscal_year, new.department, status, diff_declarations(old, new))
            )
            writing[key] = new
        if writing:
            _check_units(writing, existing, source)
            with recorder.suppressed():
                _write(writing, existing, stage)
            _audit(
                report,
                {k: existing.get(k) or queries.declarations(k[1], k[0], stage=stage).get() for k in writing},
            )
        if dry_run:
            transaction.set_rollback(True)
    return report
