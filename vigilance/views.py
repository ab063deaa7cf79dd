import csv
import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from neighbourhoods import selectors as neighbourhood_selectors

from . import dashboard as dashboards
from . import services
from .forms import AccountDeleteForm, ProfileForm


def home(request):
    memberships = []
    if request.user.is_authenticated:
        memberships = neighbourhood_selectors.memberships_of(request.user)
    return render(request, "home.html", {"memberships": memberships})


def charter(request):
    return render(request, "charter.html")


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, **{f: form.cleaned_data[f] for f in form.Meta.fields})
        messages.success(request, _("Your profile has been saved."))
        return redirect("profile")
    return render(request, "account/profile.html", {"form": form})


@login_required
def profile_export(request):
    data = services.user_export(user=request.user)
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


@login_required
def my_commune_dashboard(request):
    if not request.user.official_commune_id:
        raise Http404
    return redirect("commune_dashboard", insee_code=request.user.official_commune.insee_code)


@login_required
def commune_dashboard(request, insee_code):
    dashboard = dashboards.commune_dashboard(request.user, insee_code)
    return render(request, "townhall/dashboard.html", {"dashboard": dashboard})


@login_required
def commune_dashboard_csv(request, insee_code):
    dashboard = dashboards.commune_dashboard(request.user, insee_code)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vigilance-{dashboard.commune.insee_code}.csv"'
    writer = csv.writer(response)
    for row in dashboards.dashboard_csv_rows(dashboard):
        writer.writerow([_csv_safe(value) for value in row])
    return response


def _csv_safe(value):
    # A cell starting with = + - @ is a formula to spreadsheets: neutralise it.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
