"""Twilio's status callbacks and inbound SMS: signed requests only, idempotent, forward-only."""

import pytest
from django.urls import reverse
from twilio.request_validator import RequestValidator

from alerts.models import Alert, Delivery
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
TOKEN = "webhook-test-token"


@pytest.fixture(autouse=True)
def twilio_token(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.SITE_URL = "https://vigilance.example.fr"


@pytest.fixture
def delivery(community, resident):
    neighbour = MembershipFactory(community=community).user
    alert = Alert.objects.create(
        kind="member",
        author=resident,
        commune=community.neighbourhood.commune,
        category="vehicle",
        description="x",
        status="published",
    )
    return Delivery.objects.create(
        alert=alert,
        recipient=neighbour,
        channel="sms",
        to=str(neighbour.phone),
        status=Delivery.Status.SENT,
        provider_id="SM123",
    )


def signed_post(client, url, data, token=TOKEN):
    signature = RequestValidator(token).compute_signature("https://vigilance.example.fr" + url, data)
    return client.post(url, data, HTTP_X_TWILIO_SIGNATURE=signature)


def status_url(delivery):
    return reverse("alerts:twilio_status") + f"?d={delivery.id}"


def test_delivered_callback_updates_the_delivery(client, delivery):
    response = signed_post(
        client, status_url(delivery), {"MessageSid": "SM123", "MessageStatus": "delivered"}
    )
    assert response.status_code == 204
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED


def test_a_late_sent_callback_never_moves_delivered_backwards(client, delivery):
    signed_post(client, status_url(delivery), {"MessageSid": "SM123", "MessageStatus": "delivered"})
    signed_post(client, status_url(delivery), {"MessageSid": "SM123", "MessageStatus": "sent"})
    signed_post(client, status_url(delivery), {"MessageSid": "SM123", "MessageStatus": "delivered"})
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED


def test_undelivered_records_the_error_code(client, delivery):
    signed_post(
        client,
        status_url(delivery),
        {"MessageSid": "SM123", "MessageStatus": "undelivered", "ErrorCode": "30003"},
    )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.error_code) == (Delivery.Status.FAILED, "30003")


def test_a_callback_for_another_message_sid_changes_nothing(client, delivery):
    signed_post(client, status_url(delivery), {"MessageSid": "SMother", "MessageStatus": "failed"})
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT


@pytest.mark.parametrize("signature", [None, "forged", "use-wrong-token"])
def test_forged_or_missing_signature_gets_403_and_changes_nothing(client, delivery, signature):
    data = {"MessageSid": "SM123", "MessageStatus": "failed"}
    url = status_url(delivery)
    if signature == "use-wrong-token":
        response = signed_post(client, url, data, token="not-the-token")
    elif signature is None:
        response = client.post(url, data)
    else:
        response = client.post(url, data, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT


@pytest.mark.parametrize("word", ["STOP", "stop", "Arret", "ARRÊT"])
def test_stop_turns_sms_off_and_start_turns_them_back_on(client, resident, word):
    url = reverse("alerts:twilio_inbound")
    response = signed_post(client, url, {"From": str(resident.phone), "Body": f" {word} "})
    assert response.status_code == 200
    assert "<Response>" in response.content.decode()
    resident.refresh_from_db()
    assert resident.sms_opted_out_at is not None and not resident.can_receive_sms
    signed_post(client, url, {"From": str(resident.phone), "Body": "START"})
    resident.refresh_from_db()
    assert resident.sms_opted_out_at is None and resident.can_receive_sms


def test_forged_stop_changes_nothing(client, resident):
    response = client.post(
        reverse("alerts:twilio_inbound"),
        {"From": str(resident.phone), "Body": "STOP"},
        HTTP_X_TWILIO_SIGNATURE="x",
    )
    assert response.status_code == 403
    resident.refresh_from_db()
    assert resident.sms_opted_out_at is None
