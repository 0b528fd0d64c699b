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
        entries = AuditEntry.objects.filter(model=label(conflict.current), object_id=str(conflict.current.pk))
        # The audit trail stores field names and canonical text ("value", "13217"); shown here as
        # on the form ("値", "13,217人").
        recent = [
            {
                "entry": entry,
                "changes": [
                    {
                        "label": conflict.label(c.get("field", "")),
                        "old": conflict.shown(c.get("field", ""), c.get("old")),
                        "new": conflict.shown(c.get("field", ""), c.get("new")),
                    }
                    for c in entry.changes
                    if isinstance(c, dict)
                ],
            }
            for entry in entries[:3]
        ]
    return render(
        request, "workspace/conflict.html", {"conflict": conflict, "recent": recent, "back": back}, status=409
    )
