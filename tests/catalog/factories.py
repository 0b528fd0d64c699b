"""sengen/1 records for the catalog tests, built directly (no reader involved).

``declaration()`` is modelled on the FY2020 市民生活部 page: two KPI tables' worth of rows, a figure
not reported (—), parentheticals kept as annotations, a qualifier, decimals, owners with and
without a unit, and targets that say when they were set.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sengen.interchange import models as rec

D = Decimal
DEPARTMENT = "市民生活部"
PLAN = rec.Plan(name="中期戦略事業プラン", start_year=2018, end_year=2020)

# (number, project, indicator, unit, baseline, actual, estimate, target, owners)
_ROWS: list[tuple[Any, ...]] = [
    (
        "17-101",
        "地域防犯活動推進事業",
        "くらし安心メール登録者数",
        "人",
        D(10554),
        D(12141),
        D(13217),
        D(15000),
        [("市民協働課", "交通防犯対策担当")],
    ),
    (
        "17-102",
        "地域防犯環境整備事業",
        "防犯カメラの設置箇所数",
        "箇所",
        D(11),
        D(13),
        D(15),
        D(17),
        [("市民協働課", "交通防犯対策担当")],
    ),
    (
        "19-101",
        "男女共同参画推進事業",
        "男女共同参画フォーラム及び啓発講座等の参加者数",
        "人",
        D(427),
        D(439),
        D(115),
        D(430),
        [("人権・広聴相談課", None)],
    ),
    (
        "20-101",
        "平和都市宣言推進事業",
        "平和関連事業実施件数",
        "件",
        D(4),
        D(4),
        D(4),
        D(5),
        [("市民協働課", None)],
    ),
    (
        "20-102",
        "多文化共生推進事業",
        "外国籍市民等との交流活動の実施件数",
        "件",
        D(2),
        D(2),
        D(0),
        D(4),
        [("市民協働課", None)],
    ),
    (
        "22-102",
        "ワーク・ライフ・バランス普及促進事業",
        "ワーク・ライフ・バランスに関するホームページの情報提供数",
        "件",
        D(0),
        D(3),
        D(4),
        D(5),
        [("人権・広聴相談課", None)],
    ),
    (
        "33-102",
        "自転車交通安全対策事業",
        "児童の自転車用ヘルメット着用率",
        "%",
        D(11),
        None,
        D("25.5"),
        D(60),
        [("市民協働課", "交通防犯対策担当"), ("戸籍住民課", None)],
    ),
    (
        "37-101",
        "市民活動サポートセンター運営事業",
        "市民活動サポートセンターの年間利用者数",
        "人",
        D(9291),
        D(11016),
        D(12387),
        D(9600),
        [("市民協働課", None)],
    ),
    (
        "37-102",
        "市民協働推進事業",
        "市民協働事業の実施件数",
        "件",
        D(18),
        D(19),
        D(17),
        D(22),
        [("市民協働課", None)],
    ),
    (
        "37-103",
        "地域活動支援事業",
        "地縁団体法人化数",
        "自治会",
        D(13),
        D(13),
        D(13),
        D(14),
        [("市民協働課", None)],
    ),
    (
        "38-103",
        "市民相談事業",
        "消費生活相談件数",
        "件",
        D(550),
        D(772),
        D(741),
        D(580),
        [("人権・広聴相談課", None)],
    ),
    (
        "40-104",
        "窓口サービスの効率化",
        "証明発行件数のうちコンビニ交付の占める割合",
        "%",
        D(0),
        D("2.25"),
        D("95.2"),
        D("15.0001"),
        [("戸籍住民課", None)],
    ),
]


def indicator(index: int, fiscal_year: int = 2020, **changes: Any) -> rec.Indicator:
    number, project, name, unit, base, actual, estimate, target, owners = _ROWS[index]
    baseline_year = 2016 if number.startswith(("37-101", "40-")) else 2017
    kwargs: dict[str, Any] = {
        "project": rec.Project(number=number, name=project),
        "name": name,
        "unit": unit,
        "direction": "decrease" if number == "38-103" else ("increase" if index % 3 else None),
        "owners": [rec.Owner(section=s, unit=u) for s, u in owners],
        "baseline": rec.Baseline(fiscal_year=baseline_year, value=base),
        "observations": [
            rec.Observation(
                fiscal_year=fiscal_year - 2,
                kind="actual",
                value=actual,
                annotation="2箇所" if number == "17-102" else None,
            ),
            rec.Observation(
                fiscal_year=fiscal_year - 1,
                kind="estimate",
                value=estimate,
                qualifier="約" if number == "38-103" else None,
                annotation="2箇所" if number == "17-102" else None,
            ),
        ],
        "targets": [
            rec.Target(
                fiscal_year=fiscal_year,
                value=target,
                set_in=2017 if index % 2 == 0 else None,
                qualifier="以上" if number == "33-102" else None,
                annotation="2箇所" if number == "17-102" else None,
            )
        ],
    }
    kwargs.update(changes)
    return rec.Indicator(**kwargs)


def declaration(fiscal_year: int = 2020, department: str = DEPARTMENT, **changes: Any) -> rec.Declaration:
    kwargs: dict[str, Any] = {
        "fiscal_year": fiscal_year,
        "department": department,
        "head": rec.Head(title=f"{department}長", name="大津 隆治"),
        "message": ["ワンストップ窓口の円滑な運用を継続します。", "安全安心なまちづくりを推進します。"],
        "roles": ["地域コミュニティ活動の支援、市民協働事業の推進", "市民文化会館の運営"],
        "sections": [
            rec.Section(name="市民協働課", units=["交通防犯対策担当", "市民文化会館担当"]),
            rec.Section(name="人権・広聴相談課"),
            rec.Section(name="戸籍住民課"),
        ],
        "policies": [
            rec.Policy(number=1, title="多文化共生推進事業の充実を図ります", body="外国籍市民の方が…"),
            rec.Policy(number=2, title="自転車交通安全対策の充実を図ります", body="アンケート結果を基に…"),
            rec.Policy(number=3, title="", body="見出しのない方針"),
        ],
        "plan": PLAN,
        "notes": ["※令和2年度の目標値は、計画策定時(平成29年度)に設定した数値です。"],
        "indicators": [indicator(i, fiscal_year) for i in range(len(_ROWS))],
    }
    kwargs.update(changes)
    return rec.Declaration(**kwargs)


def document(*declarations: rec.Declaration) -> rec.Document:
    return rec.Document(declarations=list(declarations))


def replace_indicator(d: rec.Declaration, index: int, **changes: Any) -> rec.Declaration:
    """``d`` with indicator ``index`` changed (records are frozen, so this copies)."""
    indicators = list(d.indicators)
    indicators[index] = indicators[index].model_copy(update=changes)
    return d.model_copy(update={"indicators": indicators})
