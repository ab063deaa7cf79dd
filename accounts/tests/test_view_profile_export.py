"""The GDPR download: a JSON file of one's own data."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("profile_export")


def test_export_is_a_json_attachment_with_the_memberships(client, community, resident):
    client.force_login(resident)

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="vigilance-data-' in disposition and disposition.endswith('.json"')
    data = json.loads(response.content.decode("utf-8"))
    assert data["account"]["email"] == resident.email
    assert [m["community"] for m in data["memberships"]] == [community.name]


def test_export_keeps_accents_readable(client, community, resident):
    client.force_login(resident)

    content = client.get(URL).content.decode("utf-8")

    assert "Saint-Sébastien-sur-Loire" in content


def test_visitor_is_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_export_gathers_what_every_app_holds_about_them(client, community, resident):
    from alerts.models import NotificationPreference
    from alerts.tests.factories import AlertFactory, DeliveryFactory
    from shop.tests.factories import ProductFactory
    from shop.tests.helpers import resident_order

    alert = AlertFactory(author=resident, commune=community.commune, communities=[community])
    DeliveryFactory(alert=alert, recipient=resident)
    NotificationPreference.objects.create(user=resident)
    order = resident_order(resident, {ProductFactory(): 1}).order
    client.force_login(resident)

    data = json.loads(client.get(URL).content.decode("utf-8"))

    assert [a["id"] for a in data["alerts_written"]] == [alert.id]
    assert [m["sent_to"] for m in data["messages_received"]] == [str(resident.phone)]
    assert data["notification_preferences"] is not None
    assert [o["reference"] for o in data["orders"]] == [order.reference]


def test_export_is_of_the_signed_in_person_only(client, community, resident):
    from neighbourhoods.tests.factories import MembershipFactory

    fellow = MembershipFactory(community=community, user__last_name="Autrevoisin").user
    client.force_login(resident)

    content = client.get(URL).content.decode("utf-8")

    assert resident.email in content
    assert fellow.email not in content and "Autrevoisin" not in content
