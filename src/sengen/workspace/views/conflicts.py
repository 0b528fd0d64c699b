"""The page a refused save gets (HTTP 409): what is saved now, what you typed, who changed it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sengen.audit.models import AuditEntry
from sengen.audit.recorder import label
from sengen.workspace.editing import Conflict


def conflict_response(request: HttpRequest, conflict: Conflict, back: str) -> HttpResponse:
    recent = []
    if conflict.current is not None:
        recent = list(
            AuditEntry.objects.filter(model=label(conflict.current), object_id=str(conflict.current.pk))[:3]
        )
    return render(
        request, "workspace/conflict.html", {"conflict": conflict, "recent": recent, "back": back}, status=409
    )
