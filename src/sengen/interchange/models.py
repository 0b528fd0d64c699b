"""Typed records of the sengen/1 format (../shared/CONTRACTS.md §4).

Figures are ``Decimal`` so that what a department published is kept to the last digit; the
JSON writer in :mod:`sengen.interchange.jsonio` writes integral values as JSON integers.
Field order here is the key order of the exported JSON, so it is part of the contract.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

FORMAT = "sengen/1"

FiscalYear = Annotated[
    int, Field(ge=1900, le=2200, description="Western year the April–March fiscal year starts in")
]
# 11 integer and 4 fractional digits: every figure fits in an IEEE double without loss, so
# SQLite (which stores NUMERIC as REAL when it must) keeps it exact too.
Figure = Annotated[Decimal, Field(max_digits=15, decimal_places=4), WithJsonSchema({"type": "number"})]
Text = Annotated[str, Field(min_length=1)]
# Rates are rounded for display and exchange (3 places); statuses are decided on exact values.
Rate = Annotated[Decimal, WithJsonSchema({"type": "number"})]

Direction = Literal["increase", "decrease", "maintain"]
ObservationKind = Literal["actual", "estimate"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Head(Record):
    title: Text
    name: str | None = None


class Section(Record):
    name: Text
    units: list[Text] = []


class SelfEvaluation(Record):
    """A department's own grade of a policy: mid-year (中間) or year-end (年度末)."""

    stage: Literal["midyear", "yearend"]
    grade: Literal["A", "B", "C", "D"]
    comment: str = ""


class Policy(Record):
    number: Annotated[int, Field(ge=1)]
    title: str
    body: str
    evaluations: list[SelfEvaluation] = []


class Plan(Record):
    name: Text
    start_year: FiscalYear
    end_year: FiscalYear


class Project(Record):
    number: Text
    name: Text


class Owner(Record):
    section: Text
    unit: str | None = None


class Baseline(Record):
    fiscal_year: FiscalYear | None
    value: Figure | None
    qualifier: str | None = None
    annotation: str | None = None


class Observation(Record):
    fiscal_year: FiscalYear
    kind: ObservationKind
    value: Figure | None
    qualifier: str | None = None
    annotation: str | None = None


class Target(Record):
    fiscal_year: FiscalYear
    value: Figure | None
    set_in: FiscalYear | None = None
    qualifier: str | None = None
    annotation: str | None = None


class LatestValue(Record):
    fiscal_year: FiscalYear
    kind: Literal["actual", "estimate"]
    value: Figure


class Forecast(Record):
    fiscal_year: FiscalYear
    value: Rate
    meets_target: bool


class Flag(Record):
    code: str
    fiscal_year: FiscalYear | None = None  # the year the flag is about, where it is about one
    message: dict[Literal["ja", "en"], str]


class TargetValue(Record):
    fiscal_year: FiscalYear
    value: Figure


class Evaluation(Record):
    """Derived from the figures: exported for readers, ignored on import (never stored)."""

    status: Literal["achieved", "on_track", "behind", "off_track", "no_data"]
    progress_rate: Rate | None
    achievement_rate: Rate | None
    elapsed_share: Rate | None
    direction: Direction | None
    latest: LatestValue | None
    target: TargetValue | None
    forecast: Forecast | None
    flags: list[Flag] = []


class Indicator(Record):
    project: Project
    name: Text
    unit: str | None = None
    direction: Direction | None = None
    owners: list[Owner] = []
    baseline: Baseline | None = None
    observations: list[Observation] = []
    targets: list[Target] = []
    # The department's year-end comment on how far the goal got (達成状況の説明).
    comment: str | None = None
    evaluation: Evaluation | None = None


class Declaration(Record):
    fiscal_year: FiscalYear
    department: Text
    head: Head
    message: list[str] = []
    roles: list[str] = []
    sections: list[Section] = []
    policies: list[Policy] = []
    plan: Plan | None = None
    notes: list[str] = []
    indicators: list[Indicator] = []


class Document(Record):
    format: Literal["sengen/1"] = FORMAT
    declarations: list[Declaration] = []
