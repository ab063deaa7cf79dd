import json
from urllib.parse import urlencode

from allauth.account.utils import get_next_redirect_url
from allauth.mfa.recovery_codes.views import ViewRecoveryCodesView
from allauth.mfa.totp.views import ActivateTOTPView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import privacy, services
from .forms import AccountDeleteForm, LandlineCodeForm, LandlineForm, ProfileForm


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, **{f: form.cleaned_data[f] for f in form.Meta.fields})
        messages.success(request, _("Your profile has been saved."))
        return redirect("profile")
    return render_profile(request, form=form)


def render_profile(request, *, form=None, landline_form=None, landline_code_form=None):
    """The profile page, with its landline forms (posted to alerts' landline views, which show
    their own errors here)."""
    user = request.user
    context = {
        "form": form or ProfileForm(instance=user),
        "landline_form": landline_form
        or LandlineForm(initial={"landline": user.landline} if user.landline else None),
        "landline_code_form": landline_code_form or LandlineCodeForm(),
    }
    return render(request, "account/profile.html", context)


@login_required
def profile_export(request):
    data = privacy.user_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    filename = f"vigilance-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def account_delete(request):
    # Bound on every POST: with its only box unticked the form posts no field of its own, and
    # `request.POST or None` left it unbound, without the error, whenever the POST was empty.
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.user_delete(user=user)
        messages.success(request, _("Your account and your personal data have been erased."))
        return redirect("home")
    return render(request, "account/delete.html", {"form": form})


# Two-factor set-up, which role accounts are sent to from the page they asked for (accounts/mfa.py):
# allauth's views, going on to that page (`next`) instead of stopping at the recovery codes.


class TotpActivateView(ActivateTOTPView):
    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "next_url": get_next_redirect_url(self.request)}

    def get_success_url(self) -> str:
        url, next_url = super().get_success_url(), get_next_redirect_url(self.request)
        if not next_url:
            return url
        # The recovery codes are shown once the app is set up: for the day the phone is lost.
        if url == reverse("mfa_view_recovery_codes"):
            return f"{url}?{urlencode({'next': next_url})}"
        return next_url


class RecoveryCodesView(ViewRecoveryCodesView):
    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "next_url": get_next_redirect_url(self.request)}


totp_activate = TotpActivateView.as_view()
recovery_codes = RecoveryCodesView.as_view()
