"""The HTTP API (docs/api.md): published data for anyone, figure entry and workflow for staff.

``urls.py`` mounts :data:`api` at ``/api/``; its OpenAPI 3 document is ``/api/openapi.json`` and a
server-rendered page listing the endpoints is ``/api/docs`` (no JavaScript, nothing from a CDN).

Every refusal is JSON of one shape (:class:`~sengen.api.schemas.Error`): a stable ``code``, the
message in Japanese or English (``?lang=en`` or ``Accept-Language``; Japanese by default) and both
languages side by side, plus, for a bad field, where it is (``loc``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template import engines
from django.utils.translation.trans_real import parse_accept_lang_header
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import DocsBase
from ninja.renderers import BaseRenderer

from sengen.api import read, write
from sengen.api.schemas import ACTION_JA, ApiError
from sengen.core.messages import Lang, SengenError
from sengen.interchange.jsonio import dumps_data

TEMPLATES = Path(__file__).parent / "templates" / "api"

# Read-only endpoints anyone may call from any site (URL names; see read.py).
PUBLIC = frozenset({"public-declarations", "public-declaration", "public-indicators", "public-history"})
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified",
}


def request_lang(request: HttpRequest) -> Lang:
    """``?lang=ja|en``, else the first of ja/en in Accept-Language, else Japanese."""
    asked = request.GET.get("lang", "")
    if asked in ("ja", "en"):
        return "en" if asked == "en" else "ja"
    for code, _q in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        primary = code.split("-")[0].lower()
        if primary in ("ja", "en"):
            return "en" if primary == "en" else "ja"
    return "ja"


def is_public(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return request.method == "GET" and match is not None and match.url_name in PUBLIC


def add_cors(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if is_public(request):
        for name, value in CORS_HEADERS.items():
            response[name] = value
    return response


def _plain(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _plain(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_plain(item) for item in data]
    if isinstance(data, dt.datetime | dt.date):
        return data.isoformat()
    if isinstance(data, Decimal | str | int | float | bool) or data is None:
        return data
    return str(data)


class ExactJSONRenderer(BaseRenderer):
    """JSON whose figures are exact numbers (Decimal written from its digits, as the export does)."""

    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> str:
        return dumps_data(_plain(data))


class ServerRenderedDocs(DocsBase):
    """The endpoints, parameters and answers of the OpenAPI document as a plain HTML page."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        document = api.get_openapi_schema(path_params=kwargs)
        template = engines["django"].from_string((TEMPLATES / "docs.html").read_text(encoding="utf-8"))
        context = {
            "title": document["info"]["title"],
            "version": document["info"]["version"],
            "description": document["info"].get("description", ""),
            "openapi_url": self.get_openapi_url(api, kwargs),
            "groups": _operations(document),
        }
        return HttpResponse(template.render(context, request))


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Operations grouped by tag, in the order the routers declare them."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, item in document.get("paths", {}).items():
        for method, op in item.items():
            parameters = [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "required": p.get("required", False),
                    "description": p.get("description") or p.get("schema", {}).get("description", ""),
                }
                for p in op.get("parameters", [])
            ]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            groups.setdefault((op.get("tags") or [""])[0], []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": parameters,
                    "body": body.get("$ref", "").rsplit("/", 1)[-1],
                    "auth": bool(op.get("security")),
                    "responses": sorted(op.get("responses", {})),
                }
            )
    return [{"tag": tag, "operations": ops} for tag, ops in groups.items()]


api = NinjaAPI(
    title="Sengen API",
    version="1",
    description=(
        "部長の目標宣言の公開データ（認証不要）と、職員による値の入力・ワークフロー（セッション認証）。\n"
        "Published goal declarations (no authentication) and, for staff, figure entry and the "
        "workflow (session authentication). See docs/api.md."
    ),
    urls_namespace="api",
    docs=ServerRenderedDocs(),
    docs_url="/docs",
    renderer=ExactJSONRenderer(),
)
api.add_router("", read.router)
api.add_router("", write.router)


def _error(request: HttpRequest, error: ApiError) -> HttpResponse:
    response = api.create_response(request, error.body(request_lang(request)), status=error.status)
    response["Vary"] = "Accept-Language"
    if error.status in (401, 403) or not is_public(request):
        response["Cache-Control"] = "private, no-store"
    return add_cors(request, response)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return _error(request, exc)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    action = str(exc) or "view"
    return _error(
        request,
        ApiError(403, "api.forbidden", {"action": action, "action_ja": ACTION_JA.get(action, action)}),
    )


@api.exception_handler(SengenError)
def _refused(request: HttpRequest, exc: SengenError) -> HttpResponse:
    conflict = exc.code.startswith("workflow.") and exc.code != "workflow.comment_required"
    return _error(request, ApiError(409 if conflict else 400, exc.code, dict(exc.params)))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, ApiError(404, "api.not_found", {"path": request.path}))


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    items = []
    for error in exc.errors:
        loc = [part for part in error.get("loc", ()) if part != "response"]
        where = ".".join(str(part) for part in loc) or "request"
        detail = str(error.get("msg", "invalid"))
        items.append((loc, "api.invalid_field", {"where": where, "detail": detail, "detail_ja": _ja(detail)}))
    return _error(request, ApiError(422, "api.invalid", {"count": len(items)}, errors=items))


def _ja(detail: str) -> str:
    """Pydantic explains in English; say in Japanese that the value is wrong and keep its reason."""
    return f"値が正しくありません（{detail}）"


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, ApiError(401, "api.unauthenticated"))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 403 and "CSRF" in exc.message:
        return _error(request, ApiError(403, "api.csrf_failed"))
    return _error(request, ApiError(exc.status_code, "api.http_error", {"detail": exc.message}))


# For ``include("sengen.api.api")`` in urls.py: the API's URLs under the "api" namespace.
urlpatterns, _ninja_app, app_name = api.urls


def _public_openapi(view):
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response

    return wrapped


for _pattern in urlpatterns:  # the OpenAPI document is public too: tools on other sites read it
    if getattr(_pattern, "name", None) == "openapi-json":
        _pattern.callback = _public_openapi(_pattern.callback)
