from __future__ import annotations

from decimal import Decimal

from sengen.interchange import models as rec
from sengen.interchange.diff import Change, diff_declarations


class f:  # a tiny stand-in for tests/catalog/factories.py, kept local to this pure test
    @staticmethod
    def indicator(number: str, name: str, unit: str, values: tuple[int, int, int, int]) -> rec.Indicator:
        base, actual, estimate, target = (Decimal(v) for v in values)
        return rec.Indicator(
            project=rec.Project(number=number, name=f"{name}事業"),
            name=name,
            unit=unit,
            owners=[rec.Owner(section="市民協働課", unit="交通防犯対策担当")],
            baseline=rec.Baseline(fiscal_year=2017, value=base),
            observations=[
                rec.Observation(fiscal_year=2018, kind="actual", value=actual, annotation="2箇所"),
                rec.Observation(fiscal_year=2019, kind="estimate", value=estimate, annotation="2箇所"),
            ],
            targets=[rec.Target(fiscal_year=2020, value=target, set_in=2017)],
        )

    @staticmethod
    def declaration() -> rec.Declaration:
        return rec.Declaration(
            fiscal_year=2020,
            department="市民生活部",
            head=rec.Head(title="市民生活部長", name="大津 隆治"),
            message=["一つ目の段落", "二つ目の段落"],
            sections=[
                rec.Section(name="市民協働課", units=["交通防犯対策担当", "市民文化会館担当"]),
                rec.Section(name="人権・広聴相談課"),
                rec.Section(name="戸籍住民課"),
            ],
            policies=[
                rec.Policy(number=1, title="多文化共生推進事業の充実を図ります", body="…"),
                rec.Policy(number=2, title="自転車交通安全対策の充実を図ります", body="…"),
                rec.Policy(number=3, title="", body="…"),
            ],
            plan=rec.Plan(name="中期戦略事業プラン", start_year=2018, end_year=2020),
            indicators=[
                f.indicator("17-101", "くらし安心メール登録者数", "人", (10554, 12141, 13217, 15000)),
                f.indicator("17-102", "防犯カメラの設置箇所数", "箇所", (11, 13, 15, 17)),
            ],
        )

    @staticmethod
    def replace_indicator(d: rec.Declaration, index: int, **changes: object) -> rec.Declaration:
        indicators = list(d.indicators)
        indicators[index] = indicators[index].model_copy(update=changes)
        return d.model_copy(update={"indicators": indicators})


def test_identical_declarations_have_no_changes():
    assert diff_declarations(f.declaration(), f.declaration()) == []


def test_no_previous_declaration_is_one_addition():
    d = f.declaration()
    assert diff_declarations(None, d) == [Change("", None, d)]


def test_paths_use_natural_keys():
    old = f.declaration()
    ind = old.indicators[1]
    new = f.replace_indicator(
        old,
        1,
        unit="か所",
        owners=[*ind.owners, rec.Owner(section="戸籍住民課")],
        observations=[ind.observations[0], ind.observations[1].model_copy(update={"annotation": None})],
        targets=[ind.targets[0].model_copy(update={"value": Decimal(18)})],
        baseline=ind.baseline.model_copy(update={"value": Decimal("11.5")}),
    )
    new = new.model_copy(
        update={
            "head": rec.Head(title="市民生活部長", name=None),
            "policies": [old.policies[0], old.policies[1].model_copy(update={"title": "新しい見出し"})],
            "message": [*old.message, "三つ目の段落"],
        }
    )
    key = "indicators[17-102 防犯カメラの設置箇所数]"
    assert diff_declarations(old, new) == [
        Change("head.name", "大津 隆治", None),
        Change("message[3]", None, "三つ目の段落"),
        Change("policies[3]", old.policies[2], None),
        Change("policies[2].title", "自転車交通安全対策の充実を図ります", "新しい見出し"),
        Change(f"{key}.unit", "箇所", "か所"),
        Change(f"{key}.owners[戸籍住民課]", None, rec.Owner(section="戸籍住民課")),
        Change(f"{key}.baseline.value", Decimal(11), Decimal("11.5")),
        Change(f"{key}.observations[2019 estimate].annotation", "2箇所", None),
        Change(f"{key}.targets[2020].value", Decimal(17), Decimal(18)),
    ]


def test_sections_units_and_order():
    old = f.declaration()
    sections = [
        rec.Section(name="市民協働課", units=["交通防犯対策担当", "新担当"]),
        old.sections[2],
        old.sections[1],
    ]
    new = old.model_copy(update={"sections": sections})
    assert diff_declarations(old, new) == [
        Change("sections[市民協働課].units[市民文化会館担当]", "市民文化会館担当", None),
        Change("sections[市民協働課].units[新担当]", None, "新担当"),
        Change(
            "sections.order",
            ["市民協働課", "人権・広聴相談課", "戸籍住民課"],
            ["市民協働課", "戸籍住民課", "人権・広聴相談課"],
        ),
    ]


def test_baseline_and_plan_appearing_or_disappearing():
    old = f.declaration()
    new = f.replace_indicator(old, 0, baseline=None).model_copy(update={"plan": None})
    changes = diff_declarations(old, new)
    assert changes == [
        Change("plan", old.plan, None),
        Change("indicators[17-101 くらし安心メール登録者数].baseline", old.indicators[0].baseline, None),
    ]


def test_repeated_keys_are_not_lost():
    old = f.declaration()
    new = old.model_copy(update={"indicators": [*old.indicators, old.indicators[0]]})
    [change] = diff_declarations(old, new)
    assert change.path == "indicators[17-101 くらし安心メール登録者数#2]"
    assert change.old is None
