"""The progress of an urgent alert names its calls to landlines and counts who acknowledged;
other alerts show no calls row."""

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert, Delivery
from alerts.tests.factories import AlertFactory, DeliveryFactory

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_an_urgent_alerts_progress_shows_its_calls_and_acknowledgements(admin_client, community):
    alert = AlertFactory(
        urgency=Alert.Urgency.URGENT, commune=community.neighbourhood.commune, communities=[community]
    )
    DeliveryFactory(alert=alert, status=Delivery.Status.DELIVERED, acknowledged_at=timezone.now())
    DeliveryFactory(alert=alert, status=Delivery.Status.SENT)
    DeliveryFactory(
        alert=alert,
        channel=Delivery.Channel.VOICE,
        to="+33240123456",
        status=Delivery.Status.DELIVERED,
        acknowledged_at=timezone.now(),
    )
    page = admin_client.get(reverse("admin:alerts_alert_change", args=[alert.id]), **EN).content.decode()
    assert '<th scope="row">Calls</th>' in page
    assert 'data-count="voice-total">1<' in page and 'data-count="voice-acknowledged">1<' in page
    assert 'data-count="sms-acknowledged">1<' in page and 'data-count="sms-total">2<' in page


def test_an_alert_without_calls_has_no_calls_row(admin_client, community):
    alert = AlertFactory(commune=community.neighbourhood.commune, communities=[community])
    DeliveryFactory(alert=alert, status=Delivery.Status.SENT)
    page = admin_client.get(reverse("admin:alerts_alert_change", args=[alert.id]), **EN).content.decode()
    assert "voice-total" not in page and "acknowledged" not in page
