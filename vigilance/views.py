import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from neighbourhoods import selectors as neighbourhood_selectors
from neighbourhoods.models import Membership

from . import dashboard as dashboards


def home(request):
    memberships = []
    if request.user.is_authenticated:
        memberships = list(neighbourhood_selectors.memberships_of(request.user))
    approved_member = any(m.status == Membership.Status.APPROVED for m in memberships)
    return render(request, "home.html", {"memberships": memberships, "approved_member": approved_member})


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
    """For French spreadsheets: semicolons, UTF-8 with a BOM, headers in the reader's language."""
    dashboard = dashboards.commune_dashboard(request.user, insee_code)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{dashboards.csv_filename(dashboard)}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    for row in dashboards.dashboard_csv_rows(dashboard):
        writer.writerow([dashboards.csv_safe(value) for value in row])
    return response
