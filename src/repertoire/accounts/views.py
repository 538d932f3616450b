"""The user's account page (their API tokens), and the national administrators' page of
users (every user's tokens, deactivation). Thin: the services write and journal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from repertoire.accounts import selectors, services
from repertoire.web import attempt


@login_required
def account(request):
    """Who I am; my tokens (created, last used, expiry, state); create one, shown once."""
    secret = None
    if request.method == "POST":
        done = attempt(
            request,
            lambda: services.create_token(
                request.user,
                name=request.POST.get("name", "")[:100],
                actor=request.user.get_username(),
            ),
        )
        if done:
            # Shown in this answer only: never stored, never put in a message or a URL.
            secret = done.result[1]
    return render(
        request,
        "accounts/account.html",
        {
            "tokens": selectors.tokens_of(request.user),
            "secret": secret,
            "role": selectors.role_of(request.user),
            "manages_users": selectors.sees_every_establishment(request.user),
        },
    )


@login_required
@require_POST
def revoke_token(request, pk: int):
    token = get_object_or_404(selectors.tokens_managed_by(request.user), pk=pk)
    if services.revoke_token(token, actor=request.user.get_username()):
        messages.success(
            request,
            _("Token %(name)s of %(user)s revoked.") % {"name": token.name, "user": token.user},
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "accounts:account"
    return redirect(back)


@login_required
def users(request):
    """National administrators: every user, their role and tokens; revoke, deactivate."""
    if not selectors.sees_every_establishment(request.user):
        raise Http404("réservé aux administrateurs nationaux")
    return render(
        request, "accounts/users.html", {"users": selectors.users_managed_by(request.user)}
    )


@login_required
@require_POST
def deactivate(request, pk: int):
    if not selectors.sees_every_establishment(request.user):
        raise Http404("réservé aux administrateurs nationaux")
    user = get_object_or_404(get_user_model(), pk=pk)
    if user.pk == request.user.pk:
        messages.error(request, _("You cannot deactivate your own account."))
    else:
        attempt(
            request,
            lambda: services.deactivate_user(user, actor=request.user.get_username()),
            success=_("User %(user)s deactivated; their tokens are revoked.") % {"user": user},
        )
    return redirect("accounts:users")
