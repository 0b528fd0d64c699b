"""Signing in and out of the workspace: redirects, the audit entry, lockout after repeated failures."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from sengen.audit.models import AuditEntry

from .conftest import PASSWORD

LOGIN = reverse("workspace:login")


def sign_in(client: Client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_login_page_has_labelled_fields_with_autocomplete(db):
    page = Client().get(LOGIN).content.decode()
    assert '<label for="id_username">' in page
    assert '<label for="id_password">' in page
    assert 'autocomplete="username"' in page
    assert 'autocomplete="current-password"' in page


def test_sign_in_redirects_home_and_is_audited(users):
    client = Client()
    response = sign_in(client, "tanto", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:home")
    entry = AuditEntry.objects.get(action="sign_in")
    assert (entry.actor, entry.actor_id, entry.via) == ("tanto", users["editor"].pk, "workspace:login")
    assert entry.object_repr == "tanto"


def test_sign_in_follows_a_local_next_only(users):
    audit = reverse("workspace:audit")
    assert sign_in(Client(), "tanto", PASSWORD, next=audit)["Location"] == audit
    outside = sign_in(Client(), "tanto", PASSWORD, next="https://evil.example/steal")
    assert outside["Location"] == reverse("workspace:home")


def test_wrong_password_shows_a_linked_error_and_records_nothing(users):
    response = sign_in(Client(), "tanto", "wrong-password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "利用者名またはパスワードが違います" in page
    assert 'aria-describedby="signin-errors"' in page
    assert 'id="signin-errors"' in page
    assert not AuditEntry.objects.filter(action="sign_in").exists()


def test_five_failures_lock_the_account(users):
    client = Client()
    statuses = [sign_in(client, "tanto", f"wrong-{n}").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    locked = sign_in(client, "tanto", PASSWORD)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "しばらくサインインできません" in page
    assert "Sign-in temporarily blocked" in page
    # The page never repeats the name typed, so it tells no one which accounts exist.
    assert "tanto" not in page
    assert "_auth_user_id" not in client.session
    assert not AuditEntry.objects.filter(action="sign_in").exists()


def test_unknown_user_gets_the_same_lockout(users):
    client = Client()
    for n in range(5):
        sign_in(client, "nobody-here", f"wrong-{n}")
    response = sign_in(client, "nobody-here", "wrong")
    assert response.status_code == 429
    assert "nobody-here" not in response.content.decode()


def test_logout_refuses_get(clients):
    client = clients["editor"]
    assert client.get(reverse("workspace:logout")).status_code == 405
    assert client.get(reverse("workspace:audit")).status_code == 200


def test_logout_by_post_signs_out_with_a_message(clients):
    client = clients["editor"]
    response = client.post(reverse("workspace:logout"), follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "サインアウトしました" in response.content.decode()
    after = client.get(reverse("workspace:audit"))
    assert after.status_code == 302
    assert after["Location"].startswith(LOGIN)
