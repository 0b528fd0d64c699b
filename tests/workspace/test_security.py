"""Security by default: CSP, framing, sessions, and no inline script or style that CSP would break."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

import sengen

TEMPLATES = sorted(Path(sengen.__file__).parent.glob("*/templates/**/*.html"))


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/workspace/login/", "/en/workspace/login/"])
def test_pages_forbid_inline_scripts_and_framing(client, url) -> None:
    response = client.get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_templates_have_no_inline_script_or_style(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)", text), "inline <script> would be blocked by the CSP"
    assert not re.search(r"<style\b|\sstyle=", text), "inline styles would be blocked by the CSP"
    assert not re.search(r"\son[a-z]+=", text), "event-handler attributes would be blocked by the CSP"


@pytest.mark.django_db
def test_a_signed_in_session_ends_with_the_browser_and_is_renewed_by_each_request(
    client, django_user_model
) -> None:
    client.force_login(django_user_model.objects.create_user("tanto", password="x" * 16))
    response = client.get("/workspace/")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value, "every request renews the session, so its idle timeout restarts"
    assert cookie["expires"] == "" and cookie["max-age"] == "", "a browser-session cookie"
    assert cookie["httponly"]


@pytest.mark.django_db
def test_the_admin_needs_a_signed_in_staff_user(client) -> None:
    response = client.get("/admin/catalog/declaration/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
