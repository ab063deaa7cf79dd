import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from neighbourhoods import selectors as neighbourhood_selectors

from . import dashboard as dashboards


def home(request):
    memberships = []
    if request.user.is_authenticated:
        memberships = neighbourhood_selectors.memberships_of(request.user)
    return render(request, "home.html", {"memberships": memberships})


def charter(request):
    return render(request, "charter.html")


@login_required
def my_commune_dashboard(request):
    commune = dashboards.dashboard_commune(request.user)
    return redirect("commune_dashboard", insee_code=commune.insee_code)


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
