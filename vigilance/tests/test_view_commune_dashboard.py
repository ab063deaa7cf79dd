"""The commune dashboard: the mayor's office of the commune sees counts, nobody else sees anything."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory, enable_totp
from alerts.models import Alert, Delivery
from neighbourhoods.tests.factories import MembershipFactory, NeighbourhoodFactory

pytestmark = pytest.mark.django_db


def url(commune, csv=False):
    return reverse("commune_dashboard_csv" if csv else "commune_dashboard", args=[commune.insee_code])


@pytest.fixture
def figures(community, resident, referent, pending_resident):
    MembershipFactory(community=community)
    NeighbourhoodFactory(commune=community.neighbourhood.commune, name="Sans référent")
    alert = Alert.objects.create(
        kind="member",
        author=resident,
        commune=community.neighbourhood.commune,
        category="vehicle",
        description="x",
        status="published",
        urgency="urgent",
        published_at="2026-10-05T10:00:00Z",
    )
    Delivery.objects.bulk_create(
        [
            Delivery(alert=alert, recipient=None, channel="sms", to="+33600000000", status=s)
            for s in ("sent", "delivered", "delivered", "failed")
        ]
    )
    return alert


def test_mayor_office_sees_counts_of_its_commune_without_personal_data(
    client, mayor_office, community, resident, figures
):
    client.force_login(mayor_office)
    response = client.get(url(community.neighbourhood.commune))
    assert response.status_code == 200
    page = response.content.decode()
    dashboard = response.context["dashboard"]
    assert dashboard.totals["members"] == 2  # resident + one more; the pending one is not counted
    assert dashboard.neighbourhoods[0]["pending"] + dashboard.neighbourhoods[1]["pending"] == 1
    assert dashboard.without_referent == ["Sans référent"]
    assert dashboard.deliveries[0]["success_rate"] == 75.0
    assert dashboard.month_totals[0]["count"] == 1
    assert resident.last_name not in page and resident.email not in page


def test_csv_export_has_the_same_figures(client, mayor_office, community, figures):
    client.force_login(mayor_office)
    response = client.get(url(community.neighbourhood.commune, csv=True))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "deliveries,sms,handed off %,75.0" in body
    assert "Sans référent,referents,0" in body


def test_another_communes_dashboard_is_404_for_a_mayor_office(client, mayor_office, other_community):
    client.force_login(mayor_office)
    assert client.get(url(other_community.neighbourhood.commune)).status_code == 404
    assert client.get(url(other_community.neighbourhood.commune, csv=True)).status_code == 404


@pytest.mark.parametrize("who", ["resident", "referent", "outsider"])
def test_non_town_hall_accounts_get_404(client, community, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(community.neighbourhood.commune)).status_code == 404


def test_a_police_account_of_the_commune_gets_404(client, community):
    officer = UserFactory(
        is_staff=True, official_role="police", official_commune=community.neighbourhood.commune
    )
    enable_totp(officer)
    client.force_login(officer)
    assert client.get(url(community.neighbourhood.commune)).status_code == 404


def test_csv_cells_cannot_inject_formulas(client, mayor_office, community):
    NeighbourhoodFactory(commune=community.neighbourhood.commune, name='=HYPERLINK("x")')
    client.force_login(mayor_office)
    body = client.get(url(community.neighbourhood.commune, csv=True)).content.decode()
    assert "'=HYPERLINK" in body


def test_my_dashboard_redirects_to_the_own_commune(client, mayor_office, community):
    client.force_login(mayor_office)
    response = client.get(reverse("my_commune_dashboard"))
    assert response.status_code == 302
    assert response["Location"] == url(community.neighbourhood.commune)
