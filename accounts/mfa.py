"""Two-factor sign-in for the accounts that act for others or hold admin rights.

Referents, municipal police, mayor's-office accounts and every staff or superuser account must
set up an authenticator app (allauth's mfa: TOTP and recovery codes) before they can use the
platform: until then, every page but the account pages sends them to the set-up page (role
data is not only on role pages: absences shared with referents, notices to referents).
Residents are not asked for it.

The Django admin has no login form of its own (`admin_login`): its form signs in with a password
alone, and would even switch a signed-in officer to another account, so it sends everyone to
the site's login, which asks for the authenticator app's code.
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.decorators import secure_admin_login
from allauth.account.utils import get_next_redirect_url
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .roles import has_admin_rights, has_role

# What an account without the two-factor sign-in it needs may still open: signing in, setting it up.
OPEN_PATHS = ("/accounts/", "/i18n/", "/static/", "/charter/", "/webhooks/")


def needs_mfa_setup(request) -> bool:
    user = request.user
    if not user.is_authenticated or not (has_role(user) or has_admin_rights(user)):
        return False
    # A session signed in with the authenticator app's code needs no query to know it has one.
    if any(record.get("method") == "mfa" for record in get_authentication_records(request, user)):
        return False
    return not is_mfa_enabled(user)


class MfaAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        """Those who must use the authenticator app cannot turn it off (a session signed in
        with it is trusted to have one, see needs_mfa_setup)."""
        user = authenticator.user
        if has_role(user) or has_admin_rights(user):
            return False
        return super().can_delete_authenticator(authenticator)


class RoleTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != "/" and not request.path.startswith(OPEN_PATHS) and needs_mfa_setup(request):
            messages.warning(
                request,
                _("Your role gives you access to other people's data: set up two-factor sign-in first."),
            )
            return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


@secure_admin_login  # anonymous: to the site's login; signed in without staff rights: 403
def admin_login(request, extra_context=None):
    """Stands for `admin.site.login`: a staff member already signed in (second step included)
    goes on to the admin; nobody is signed in here."""
    # Not `redirect()`: it would read a `next` that is no URL as the name of a view.
    return HttpResponseRedirect(get_next_redirect_url(request) or reverse("admin:index"))
