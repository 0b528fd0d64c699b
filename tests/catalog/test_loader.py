from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.catalog.loader import LoadError, fiscal_year_label, load
from sengen.core.messages import CATALOG
from sengen.interchange import models as rec
from sengen.interchange.diff import Change

from . import factories as f

pytestmark = pytest.mark.django_db


def rich_declaration() -> rec.Declaration:
    """The factory declaration plus the awkward cases: no baseline, an empty baseline, no owners."""
    d = f.declaration()
    d = f.replace_indicator(d, 3, baseline=None, owners=[])
    return f.replace_indicator(
        d, 4, baseline=rec.Baseline(fiscal_year=None, value=None, qualifier="未設定", annotation="注")
    )


def test_round_trip_gives_back_the_input_field_by_field():
    d = rich_declaration()
    load([f.document(d)])
    back = queries.to_document(queries.declarations())
    assert back.declarations[0].model_dump() == d.model_dump()
    assert back == f.document(d)


def test_round_trip_normalises_figures():
    load([f.document(f.declaration())])
    back = queries.to_record(queries.declarations().get())
    values = {i.project.number: i for i in back.indicators}
    estimate = values["40-104"].observations[1].value
    assert str(estimate) == "95.2"
    assert str(values["17-101"].observations[0].value) == "12141"
    assert str(values["40-104"].targets[0].value) == "15.0001"
    assert values["33-102"].observations[0].value is None


def test_added_then_reload_is_unchanged_and_writes_nothing(db_snapshot):
    d = rich_declaration()
    first = load([f.document(d)])
    assert [(r.fiscal_year, r.department, r.status) for r in first.declarations] == [
        (2020, f.DEPARTMENT, "added")
    ]
    before = db_snapshot()
    with CaptureQueriesContext(connection) as ctx:
        second = load([f.document(d)])
    assert [r.status for r in second.declarations] == ["unchanged"]
    assert second.declarations[0].changes == []
    assert db_snapshot() == before
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


def test_later_year_adds_to_the_same_indicator():
    load([f.document(f.declaration(2020))])
    indicators = m.Indicator.objects.count()
    projects = m.Project.objects.count()
    report = load([f.document(f.declaration(2021))])
    assert [r.status for r in report.declarations] == ["added"]
    assert m.Indicator.objects.count() == indicators
    assert m.Project.objects.count() == projects
    assert m.Declaration.objects.count() == 2
    indicator = m.Indicator.objects.get(project__number="17-101")
    history = queries.indicator_observations(indicator)
    assert [(o.fiscal_year, o.kind) for o in history] == [
        (2018, "actual"),
        (2019, "actual"),
        (2019, "estimate"),
        (2020, "estimate"),
    ]
    assert {o.declaration_indicator.declaration.fiscal_year for o in history} == {2020, 2021}


def test_changed_value_reports_the_change_and_keeps_the_declaration():
    d = f.declaration()
    load([f.document(d)])
    pk = m.Declaration.objects.get().pk
    estimate = d.indicators[0].observations[1].model_copy(update={"value": Decimal(13300)})
    changed = f.replace_indicator(d, 0, observations=[d.indicators[0].observations[0], estimate])
    report = load([f.document(changed)])
    entry = report.declarations[0]
    assert entry.status == "changed"
    assert entry.changes == [
        Change(
            "indicators[17-101 くらし安心メール登録者数].observations[2019 estimate].value",
            Decimal(13217),
            Decimal(13300),
        )
    ]
    assert m.Declaration.objects.get().pk == pk
    assert queries.to_record(queries.declarations().get()) == changed
    assert m.Observation.objects.filter(value=Decimal(13300)).count() == 1
    assert m.Observation.objects.count() == 24


def test_report_renders_in_both_languages():
    d = f.declaration()
    load([f.document(d)])
    estimate = d.indicators[0].observations[1].model_copy(update={"value": Decimal(13300)})
    changed = f.replace_indicator(d, 0, observations=[d.indicators[0].observations[0], estimate])
    report = load([f.document(changed), f.document(f.declaration(2021))])
    ja = report.render("ja").splitlines()
    assert ja[0] == "令和2年度（2020年度） 市民生活部: 変更 1件"
    assert (
        ja[1]
        == "  indicators[17-101 くらし安心メール登録者数].observations[2019 estimate].value: 13217 → 13300"
    )
    assert ja[2] == "令和3年度（2021年度） 市民生活部: 追加"
    assert ja[-1] == "合計: 追加 1件, 変更 1件"
    en = report.render("en").splitlines()
    assert en[0] == "FY2020 (Reiwa 2) 市民生活部: changed, 1 change"
    assert en[-1] == "Total: 1 added, 1 changed"
    again = load([f.document(changed)])
    assert again.render("ja").splitlines() == [
        "令和2年度（2020年度） 市民生活部: 変更なし",
        "合計: 変更なし 1件",
    ]
    assert load([]).render("en") == "Total: no declarations"


def test_fiscal_year_label():
    assert fiscal_year_label(2020) == "令和2年度（2020年度）"
    assert fiscal_year_label(2019) == "令和元年度（2019年度）"
    assert fiscal_year_label(2020, "en") == "FY2020 (Reiwa 2)"
    assert fiscal_year_label(1900) == "1900年度"
    assert fiscal_year_label(1900, "en") == "FY1900"


def test_unit_conflict_refuses_the_whole_load(db_snapshot):
    load([f.document(f.declaration(2020))])
    before = db_snapshot()
    later = f.replace_indicator(f.declaration(2021), 0, unit="千人")
    other = f.declaration(2021, "福祉部")
    with pytest.raises(LoadError) as exc:
        load([f.document(other, later)])
    assert [p.code for p in exc.value.problems] == ["loader.unit_conflict"]
    ja = exc.value.render("ja")
    assert "「人」" in ja and "「千人」" in ja and "17-101" in ja
    assert "same unit" in exc.value.render("en")
    assert db_snapshot() == before


def test_unit_conflict_within_one_load():
    a = f.declaration(2020)
    b = f.replace_indicator(f.declaration(2021), 0, unit="千人")
    with pytest.raises(LoadError) as exc:
        load([f.document(a), f.document(b)])
    assert [p.code for p in exc.value.problems] == ["loader.unit_conflict"]
    assert m.Declaration.objects.count() == 0
    assert m.Department.objects.count() == 0


def test_correcting_the_only_declaration_may_change_the_unit():
    load([f.document(f.replace_indicator(f.declaration(), 0, unit="千人"))])
    report = load([f.document(f.declaration())])
    assert report.declarations[0].status == "changed"
    assert m.Indicator.objects.get(project__number="17-101").unit == "人"


def test_same_declaration_twice_with_different_content_is_refused():
    d = f.declaration()
    other = d.model_copy(update={"roles": ["別の役割"]})
    with pytest.raises(LoadError) as exc:
        load([f.document(d), f.document(other)], source="a.txt")
    [problem] = exc.value.problems
    assert problem.code == "loader.declaration_conflict"
    assert problem.location.file == "a.txt"
    assert "令和2年度（2020年度） " in problem.render("ja")
    assert f"FY{d.fiscal_year} " in problem.render("en")
    assert m.Declaration.objects.count() == 0


def test_same_declaration_twice_identical_is_loaded_once():
    d = f.declaration()
    report = load([f.document(d), f.document(d)])
    assert [r.status for r in report.declarations] == ["added"]
    assert m.Declaration.objects.count() == 1


def test_duplicate_rows_are_refused():
    d = f.declaration()
    d = d.model_copy(update={"indicators": [*d.indicators, d.indicators[0]]})
    with pytest.raises(LoadError) as exc:
        load([f.document(d)])
    assert [p.code for p in exc.value.problems] == ["loader.duplicate"]
    assert "17-101" in exc.value.render("ja")


def test_too_long_is_refused_with_a_message():
    d = f.declaration(head=rec.Head(title="長" * 300))
    with pytest.raises(LoadError) as exc:
        load([f.document(d)])
    assert [p.code for p in exc.value.problems] == ["loader.too_long"]
    assert "300" in exc.value.render("en")


def test_dry_run_writes_nothing_but_reports_like_a_real_run(db_snapshot):
    load([f.document(f.declaration(2020))])
    before = db_snapshot()
    d = f.declaration(2020)
    changed = f.replace_indicator(d, 6, direction="maintain", name="児童のヘルメット着用率")
    documents = [f.document(changed, f.declaration(2021), f.declaration(2020, "福祉部"))]
    dry = load(documents, dry_run=True)
    assert dry.dry_run
    assert db_snapshot() == before
    real = load(documents)
    assert [(r.fiscal_year, r.department, r.status, r.changes) for r in dry.declarations] == [
        (r.fiscal_year, r.department, r.status, r.changes) for r in real.declarations
    ]
    assert [r.status for r in real.declarations] == ["changed", "added", "added"]
    assert dry.render("ja").splitlines()[1:] == real.render("ja").splitlines()


def test_owners_create_missing_sections_and_units():
    d = f.declaration()
    d = f.replace_indicator(
        d, 0, owners=[rec.Owner(section="新設課", unit="新設担当"), rec.Owner(section="市民協働課")]
    )
    load([f.document(d)])
    unit = m.Unit.objects.get(name="新設担当")
    assert unit.section.name == "新設課"
    assert unit.section.department.name == f.DEPARTMENT
    assert queries.to_record(queries.declarations().get()) == d
    assert not m.DeclarationSection.objects.filter(section__name="新設課").exists()


def test_later_page_renames_the_project_but_each_declaration_keeps_its_name():
    load([f.document(f.declaration(2020))])
    later = f.replace_indicator(
        f.declaration(2021), 0, project=rec.Project(number="17-101", name="地域防犯推進事業")
    )
    load([f.document(later)])
    assert m.Project.objects.get(number="17-101").name == "地域防犯推進事業"
    first = queries.to_record(queries.declarations(fiscal_year=2020).get())
    assert first.indicators[0].project.name == "地域防犯活動推進事業"
    # Re-importing the older page is a no-op and does not rename the project back.
    report = load([f.document(f.declaration(2020))])
    assert [r.status for r in report.declarations] == ["unchanged"]
    assert m.Project.objects.get(number="17-101").name == "地域防犯推進事業"


def test_direction_is_kept_as_published_and_the_indicator_takes_the_latest():
    d2020 = f.declaration(2020)
    assert d2020.indicators[0].direction is None
    load([f.document(d2020)])
    assert m.Indicator.objects.get(project__number="17-101").direction is None
    load([f.document(f.replace_indicator(f.declaration(2021), 0, direction="increase"))])
    assert m.Indicator.objects.get(project__number="17-101").direction == "increase"
    assert queries.to_record(queries.declarations(fiscal_year=2020).get()).indicators[0].direction is None


def test_removed_indicator_and_reordered_sections():
    d = f.declaration()
    load([f.document(d)])
    smaller = d.model_copy(update={"indicators": d.indicators[1:], "sections": list(reversed(d.sections))})
    report = load([f.document(smaller)])
    paths = [c.path for c in report.declarations[0].changes]
    assert paths == ["sections.order", "indicators[17-101 くらし安心メール登録者数]"]
    assert m.DeclarationIndicator.objects.count() == 11
    assert m.Indicator.objects.count() == 12  # shared rows stay
    assert queries.to_record(queries.declarations().get()) == smaller


def test_loader_messages_are_registered_bilingually():
    codes = [c for c in CATALOG if c.startswith("loader.")]
    assert set(codes) >= {
        "loader.unit_conflict",
        "loader.declaration_conflict",
        "loader.duplicate",
        "loader.too_long",
    }
    for code in codes:
        ja, en = CATALOG[code]
        assert ja and en and ja != en


def test_load_queries_do_not_grow_with_rows(django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        load([f.document(f.declaration(2020), f.declaration(2021), f.declaration(2020, "福祉部"))])


def test_change_lines_for_added_and_removed_items():
    d = f.declaration()
    load([f.document(d)])
    ind = d.indicators[6]
    changed = f.replace_indicator(
        d,
        6,
        observations=[ind.observations[1]],
        targets=[*ind.targets, rec.Target(fiscal_year=2021, value=Decimal(70), set_in=2020)],
    )
    changed = changed.model_copy(update={"policies": d.policies[:2]})
    lines = load([f.document(changed)]).render("ja").splitlines()
    key = "indicators[33-102 児童の自転車用ヘルメット着用率]"
    assert lines[1:4] == [
        "  policies[3]: 3.  → （なし）",
        f"  {key}.observations[2018 actual]: — → （なし）",
        f"  {key}.targets[2021]: （なし） → 70, 2020年度設定",
    ]
    en = load([f.document(d)]).render("en").splitlines()
    assert en[3] == f"  {key}.targets[2021]: 70, set in FY2020 → (none)"
