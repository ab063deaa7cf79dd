"""The commune dashboard: the mayor's office of the commune sees counts, nobody else sees anything."""

import codecs
import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import pgettext

from accounts.tests.factories import UserFactory, enable_totp
from alerts.models import Alert, Delivery
from alerts.tests.factories import AlertFactory
from neighbourhoods.tests.factories import MembershipFactory, NeighbourhoodFactory
from vigilance import dashboard

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


def csv_rows(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # the BOM: Excel reads UTF-8 as such only with it
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_csv_export_has_the_same_figures_for_french_spreadsheets(client, mayor_office, community, figures):
    client.force_login(mayor_office)
    commune = community.neighbourhood.commune
    response = client.get(url(commune, csv=True), headers={"accept-language": "fr"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(codecs.BOM_UTF8)
    expected = f'attachment; filename="vigilance-{slugify(commune.name)}-{commune.insee_code}.csv"'
    assert response["Content-Disposition"] == expected
    rows = csv_rows(response)
    with translation.override("fr"):
        words = dashboard._csv_words()
    assert rows[0] == [words["section"], words["label"], words["detail"], words["value"]]
    assert [words["messages"], "SMS", words["handed_off"], "75,0"] in rows  # a decimal comma
    assert [words["messages"], "SMS", words["received"], "66,7"] in rows  # 2 delivered, 1 failed
    assert ["Sans référent", words["referents"], "0"] in [row[1:] for row in rows]


def test_csv_headers_are_in_french_by_default(client, mayor_office, community, figures):
    with translation.override("fr"):
        if pgettext("dashboard CSV", "section") == "section":
            pytest.skip("the French catalogue has not got the dashboard's CSV words yet")
    client.force_login(mayor_office)
    rows = csv_rows(client.get(url(community.neighbourhood.commune, csv=True)))
    assert rows[0] == ["rubrique", "libellé", "détail", "valeur"]


def test_csv_in_english_has_english_headers_and_a_decimal_point(client, mayor_office, community, figures):
    client.force_login(mayor_office)
    response = client.get(url(community.neighbourhood.commune, csv=True), headers={"accept-language": "en"})
    rows = csv_rows(response)
    assert rows[0] == ["section", "label", "detail", "value"]
    assert ["messages", "SMS", "handed off to the provider %", "75.0"] in rows
    assert ["messages", "SMS", "received % (of known outcomes)", "66.7"] in rows


def test_receipt_rate_counts_only_messages_whose_outcome_is_known(client, mayor_office, community, figures):
    client.force_login(mayor_office)
    response = client.get(url(community.neighbourhood.commune), headers={"accept-language": "en"})
    sms = response.context["dashboard"].deliveries[0]
    assert sms["receipt_rate"] == 66.7  # 2 delivered of 3 known; the one only sent is not counted
    assert 'data-figure="receipt-sms">66.7&nbsp;%' in response.content.decode()


def test_nothing_confirmed_shows_a_dash_and_why_never_100_percent(client, mayor_office, community, resident):
    alert = AlertFactory(
        author=resident, commune=community.neighbourhood.commune, communities=[community], status="published"
    )
    Delivery.objects.bulk_create(
        [
            Delivery(alert=alert, recipient=None, channel=c, to="x", status="sent")
            for c in ("sms", "sms", "email")
        ]
    )
    client.force_login(mayor_office)
    response = client.get(url(community.neighbourhood.commune), headers={"accept-language": "en"})
    page = response.content.decode()
    assert [d["receipt_rate"] for d in response.context["dashboard"].deliveries] == [None, None]
    assert 'data-figure="receipt-sms">—<' in page and 'data-figure="receipt-email">—<' in page
    assert 'data-figure="no-receipt-sms">no receipt yet<' in page
    assert 'data-figure="no-receipt-email">no delivery receipt for email<' in page
    assert 'data-figure="success-sms">100.0&nbsp;%' in page  # handed off, which is not received
    rows = csv_rows(
        client.get(url(community.neighbourhood.commune, csv=True), headers={"accept-language": "en"})
    )
    assert ["messages", "SMS", "received % (of known outcomes)", ""] in rows


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
    rows = csv_rows(client.get(url(community.neighbourhood.commune, csv=True)))
    assert '\'=HYPERLINK("x")' in [row[1] for row in rows]


def test_my_dashboard_redirects_to_the_own_commune(client, mayor_office, community):
    client.force_login(mayor_office)
    response = client.get(reverse("my_commune_dashboard"))
    assert response.status_code == 302
    assert response["Location"] == url(community.neighbourhood.commune)
