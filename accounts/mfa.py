"""Two-factor sign-in for the accounts that act for others.

Referents, municipal police and mayor's-office accounts must set up an authenticator app
(allauth's mfa: TOTP and recovery codes) before they can use the platform: until then, every
page but the account pages sends them to the set-up page (role data is not only on role
pages: absences shared with referents, notices to referents). Residents are not asked for it.
"""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .roles import has_role

# What a role holder without two-factor sign-in may still open: signing in and setting it up.
OPEN_PATHS = ("/accounts/", "/i18n/", "/static/", "/charter/", "/webhooks/")


def needs_mfa_setup(user) -> bool:
    return user.is_authenticated and has_role(user) and not is_mfa_enabled(user)


class RoleTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != "/" and not request.path.startswith(OPEN_PATHS) and needs_mfa_setup(request.user):
            messages.warning(
                request,
                _("Your role gives you access to other people's data: set up two-factor sign-in first."),
            )
            return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
