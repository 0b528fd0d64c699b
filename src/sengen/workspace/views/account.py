"""Signing in and out. django-axes counts failures and answers a locked-out name or address with
``workspace/locked.html`` (settings ``AXES_*``); every sign-in is written to the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext as _

from sengen.audit import recorder
from sengen.audit.models import Action as AuditAction
from sengen.workspace.forms.account import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "workspace/login.html"
    authentication_form = SignInForm
    # ?next= is followed only when it stays on this site (LoginView checks the host and scheme);
    # otherwise settings.LOGIN_REDIRECT_URL, the workspace home.
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """POST only (Django refuses GET with 405), so a link or an image cannot sign anyone out."""

    next_page = "workspace:login"

    def post(self, request, *args: Any, **kwargs: Any):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("サインアウトしました。"))
        return response


sign_in = SignInView.as_view()
sign_out = SignOutView.as_view()


@receiver(user_logged_in, dispatch_uid="sengen-workspace-sign-in-audit")
def record_sign_in(sender, request, user, **kwargs: Any) -> None:
    """One trail entry per sign-in (workspace or admin), as the user who signed in.

    The request's actor was set before authentication (anonymous), so it is replaced here; the
    screen stays the one the user signed in through.
    """
    via = recorder.current().via if request is not None else "system"
    with recorder.acting(recorder.actor_for(user, via)):
        recorder.record(
            AuditAction.SIGN_IN,
            model=recorder.label(user),
            object_id=user.pk,
            object_repr=user.get_username(),
            department="",
        )
