"""The shapes the API reads and writes, and its one error type.

Published data reuses the sengen/1 records (:mod:`sengen.interchange.models`), so a figure or an
evaluation reads the same in the API, the JSON export and the portal. Figures are exact decimals
written as JSON numbers (see ``api.ExactJSONRenderer``), never strings.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from sengen.core.messages import Lang, SengenError, register, render
from sengen.core.wareki import fiscal_year_label
from sengen.interchange import models as rec

Status = Literal["achieved", "on_track", "behind", "off_track", "no_data"]
Step = Literal["submit", "approve", "return", "publish", "revise"]
Kind = Literal["actual", "estimate"]
# A department name as published; NUL is refused before it reaches a database that cannot store it.
DepartmentName = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00]+$")]

register(
    {
        "api.declaration_not_found": (
            "{year_ja}の「{department}」の目標宣言は公開されていません。年度と部の名称を確かめてください"
            "（一覧は /api/declarations）。",
            "No FY{year} declaration of {department} is published. Check the year and the department "
            "name (see /api/declarations for the list).",
        ),
        "api.department_not_found": (
            "「{department}」という部はありません。部の名称を確かめてください（一覧は /api/declarations）。",
            'There is no department named "{department}". Check the name (see /api/declarations).',
        ),
        "api.indicator_not_found": (
            "事業番号 {number} の指標「{name}」は公開されていません。事業番号と指標名を確かめてください"
            "（一覧は /api/indicators）。",
            'No published indicator "{name}" with project number {number}. Check both (see /api/indicators).',
        ),
        "api.row_not_found": (
            "この目標宣言の表に、事業番号 {number} の指標「{name}」はありません。"
            "GET …/draft で表の指標を確かめてください。",
            'This declaration\'s table has no indicator "{name}" with project number {number}. '
            "GET …/draft lists the table's indicators.",
        ),
        "api.observation_not_found": (
            "値 {id} はありません。削除されたか、番号が違います。GET …/draft で現在の値と番号を確かめてください。",
            "There is no value {id}: it was deleted or the number is wrong. GET …/draft lists the "
            "current values and their numbers.",
        ),
        "api.no_working_copy": (
            "{year_ja}の「{department}」には編集中の目標宣言がありません。公開中のものを改訂するには、"
            'steps に {{"step": "revise"}} を送ってください。',
            "FY{year} {department} has no declaration being edited. To revise the published one, POST "
            '{{"step": "revise"}} to its steps.',
        ),
        "api.unauthenticated": (
            "サインインが必要です。職員用ページ（/workspace/）でサインインし、同じセッションのクッキーを"
            "付けて送ってください。",
            "Sign-in required. Sign in on the staff pages (/workspace/) and send the same session cookie.",
        ),
        "api.csrf_failed": (
            "CSRF トークンがないか、正しくありません。GET /api/session で得た csrf_token を X-CSRFToken "
            "ヘッダーに付けて、もう一度送ってください。",
            "The CSRF token is missing or wrong. Send the csrf_token from GET /api/session in the "
            "X-CSRFToken header and try again.",
        ),
        "api.forbidden": (
            "この操作（{action_ja}）をする権限がありません。必要なら、全庁管理者（経営企画課）に"
            "役割の付与を依頼してください。",
            "You may not do this ({action}). Ask the planning office administrator for the role if you "
            "need it.",
        ),
        "api.invalid": (
            "送られた内容に誤りがあります（{count}件）。errors の各項目の場所と内容を確かめて直してください。",
            "The request has {count} error(s). Fix each entry of errors at the place it names.",
        ),
        "api.invalid_field": (
            "{where}: {detail_ja}",
            "{where}: {detail}",
        ),
        "api.conflict": (
            "この値は、あなたが読んだ後にほかの人が保存しました（現在の版 {version}）。current の値を"
            "確かめ、version に {version} を付けて送り直してください。",
            "Someone saved this value after you read it (now version {version}). Check current and "
            "send again with version {version}.",
        ),
        "api.conflict_deleted": (
            "この値は、あなたが読んだ後に削除されました。GET …/draft で表を読み直してください。",
            "This value was deleted after you read it. GET …/draft to read the table again.",
        ),
        "api.not_found": (
            "{path} はありません。API の一覧は /api/docs にあります。",
            "{path} does not exist. The API's endpoints are listed at /api/docs.",
        ),
        "api.http_error": ("{detail}", "{detail}"),
    }
)


def year_ja(year: int) -> str:
    """令和2年度（2020年度）; a year the Japanese calendars here do not cover is written as 1900年度."""
    return fiscal_year_label(year)


ACTION_JA = {
    "view": "閲覧",
    "edit": "編集",
    "submit": "提出",
    "approve": "承認・差戻し",
    "publish": "公開",
    "revise_target": "目標値の改訂",
    "manage": "管理",
}


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- errors ---------------------------------------------------------------------------------------


class ErrorItem(Out):
    loc: list[str | int] = Field(description="where: ['body', 'value'], ['query', 'year'] …")
    code: str
    message: str
    messages: dict[Literal["ja", "en"], str]


class CurrentValue(Out):
    """The row as it is now, sent with a 409 so the client can show it and retry."""

    id: int
    version: int
    fiscal_year: int
    kind: Kind
    value: Annotated[Decimal | None, WithJsonSchema({"type": ["number", "null"]})]
    text: str = Field(description="as staff type it: 12,141人, 約1,850, —")


class Error(Out):
    code: str = Field(description="stable message code, e.g. workflow.not_editable")
    message: str = Field(description="in the language asked for (?lang= or Accept-Language; default ja)")
    messages: dict[Literal["ja", "en"], str]
    errors: list[ErrorItem] = []
    current: CurrentValue | None = None


class ApiError(Exception):
    """An answer other than 2xx, with a registered (ja, en) message and, where known, the place."""

    def __init__(
        self,
        status: int,
        code: str,
        params: dict[str, Any] | None = None,
        *,
        errors: list[tuple[list[str | int], str, dict[str, Any]]] | None = None,
        current: CurrentValue | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.params = params or {}
        self.errors = errors or []
        self.current = current

    @classmethod
    def located(cls, status: int, error: SengenError, *loc: str | int, **kw: Any) -> ApiError:
        """A refusal from the domain rules (core.entry, workflow …) at one place of the request."""
        return cls(
            status, error.code, dict(error.params), errors=[(list(loc), error.code, error.params)], **kw
        )

    def body(self, lang: Lang) -> dict[str, Any]:
        messages = {lg: render(self.code, self.params, lg) for lg in ("ja", "en")}
        return Error(
            code=self.code,
            message=messages[lang],
            messages=messages,
            errors=[
                ErrorItem(
                    loc=loc,
                    code=code,
                    message=render(code, params, lang),
                    messages={lg: render(code, params, lg) for lg in ("ja", "en")},
                )
                for loc, code, params in self.errors
            ],
            current=self.current,
        ).model_dump(mode="python")


# --- published data -------------------------------------------------------------------------------


class Counts(Out):
    achieved: int
    on_track: int
    behind: int
    off_track: int
    no_data: int


class DeclarationSummary(Out):
    fiscal_year: int
    department: str
    head: rec.Head
    plan: rec.Plan | None
    indicators: int = Field(description="number of indicators in the KPI table")
    counts: Counts = Field(description="indicators by evaluation status")
    updated_at: datetime = Field(description="when the published declaration last changed")
    url: str = Field(description="the full record (sengen/1 with evaluations)")


class DeclarationPage(Out):
    total: int
    limit: int
    offset: int
    items: list[DeclarationSummary]


class IndicatorSummary(Out):
    fiscal_year: int = Field(description="year of the declaration this row is taken from")
    department: str
    project: rec.Project
    name: str
    unit: str | None
    direction: rec.Direction | None
    owners: list[rec.Owner]
    status: Status
    latest: rec.LatestValue | None
    target: rec.TargetValue | None
    evaluation: rec.Evaluation
    observations_url: str


class IndicatorPage(Out):
    total: int
    limit: int
    offset: int
    items: list[IndicatorSummary]


class DeclarationRef(Out):
    fiscal_year: int
    department: str


class HistoryObservation(Out):
    fiscal_year: int
    kind: Kind
    value: rec.Figure | None
    qualifier: str | None
    annotation: str | None
    declaration: DeclarationRef = Field(description="the published declaration that carried this figure")


class History(Out):
    project: rec.Project
    name: str
    unit: str | None
    observations: list[HistoryObservation]


# --- staff ----------------------------------------------------------------------------------------

ValueIn = Annotated[
    str | Decimal | None,
    Field(
        description="a number, or text as staff type it (12,141 / 約1,850 / 13 (2箇所) / —); "
        "null = not reported (—)"
    ),
    WithJsonSchema({"anyOf": [{"type": "string", "maxLength": 100}, {"type": "number"}, {"type": "null"}]}),
]


class ObservationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    project_number: str = Field(min_length=1, max_length=50, examples=["17-101"])
    indicator: str = Field(min_length=1, max_length=500, examples=["くらし安心メール登録者数"])
    fiscal_year: int = Field(ge=1900, le=2200)
    kind: Kind
    value: ValueIn
    reason: str = Field("", max_length=2000, description="required when an actual departs from its estimate")


class ObservationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, description="the version you read (GET …/draft); a stale one gets 409")
    value: ValueIn
    reason: str = Field("", max_length=2000)


class StepIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    step: Step = Field(description="revise starts a working copy of the published declaration")
    comment: str = Field("", max_length=2000, description="required to return")


class ObservationOut(CurrentValue):
    qualifier: str | None
    annotation: str | None


class Row(Out):
    id: int
    version: int
    project: rec.Project
    name: str
    unit: str | None
    observations: list[ObservationOut]


class DeclarationState(Out):
    fiscal_year: int
    department: str
    status: Literal["draft", "submitted", "approved", "published"]
    version: int
    allowed_steps: list[str] = Field(description="steps you may take now")
    editable: bool = Field(description="whether you may enter figures now")


class WorkingCopy(DeclarationState):
    indicators: list[Row]


class Session(Out):
    authenticated: bool
    username: str | None
    csrf_token: str = Field(description="send it back in the X-CSRFToken header of every write")
