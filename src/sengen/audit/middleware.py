"""Every change made while serving a request is recorded as the signed-in user, through the screen
(URL name) that made it: ``workspace:observation``, ``admin:catalog_observation_change``…"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from sengen.audit import recorder


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with recorder.acting(recorder.actor_for(request.user, f"web:{request.path}")):
            return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        match = request.resolver_match
        via = match.view_name if match is not None and match.view_name else request.path
        recorder.set_actor(recorder.actor_for(request.user, via))
