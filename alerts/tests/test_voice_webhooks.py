"""Twilio's webhooks for calls: the key pressed (1 acknowledges) and the call's progress;
signed requests only."""

import pytest
from django.urls import reverse
from django.utils import timezone
from twilio.request_validator import RequestValidator

from alerts.models import Alert, Delivery
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
TOKEN = "webhook-test-token"
SITE = "https://vigilance.example.fr"


@pytest.fixture(autouse=True)
def twilio_token(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.SITE_URL = SITE


@pytest.fixture
def call(community, resident):
    neighbour = MembershipFactory(
        community=community, user__landline="+33240123456", user__landline_verified_at=timezone.now()
    ).user
    alert = Alert.objects.create(
        kind="member",
        author=resident,
        commune=community.neighbourhood.commune,
        category="burglary",
        urgency="urgent",
        description="x",
        status="published",
    )
    return Delivery.objects.create(
        alert=alert,
        recipient=neighbour,
        channel=Delivery.Channel.VOICE,
        to="+33240123456",
        status=Delivery.Status.SENT,
        provider_id="CA123",
    )


def signed_post(client, url, data, token=TOKEN):
    signature = RequestValidator(token).compute_signature(SITE + url, data)
    return client.post(url, data, HTTP_X_TWILIO_SIGNATURE=signature)


def gather_url(delivery):
    return reverse("alerts:voice_gather") + f"?d={delivery.id}"


def status_url(delivery):
    return reverse("alerts:voice_status") + f"?d={delivery.id}"


def test_pressing_1_acknowledges_the_call_and_thanks_the_member(client, call):
    response = signed_post(client, gather_url(call), {"CallSid": "CA123", "Digits": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    twiml = response.content.decode()
    assert '<Say language="fr-FR">' in twiml and "<Hangup" in twiml
    call.refresh_from_db()
    assert call.acknowledged_at is not None


def test_pressing_1_twice_keeps_the_first_acknowledgement(client, call):
    signed_post(client, gather_url(call), {"CallSid": "CA123", "Digits": "1"})
    call.refresh_from_db()
    first = call.acknowledged_at
    signed_post(client, gather_url(call), {"CallSid": "CA123", "Digits": "1"})
    call.refresh_from_db()
    assert call.acknowledged_at == first


def test_another_key_asks_again_without_acknowledging(client, call):
    response = signed_post(client, gather_url(call), {"CallSid": "CA123", "Digits": "5"})
    twiml = response.content.decode()
    assert f'action="{SITE}{gather_url(call)}"' in twiml
    call.refresh_from_db()
    assert call.acknowledged_at is None


def test_a_key_pressed_during_another_call_acknowledges_nothing(client, call):
    signed_post(client, gather_url(call), {"CallSid": "CA999", "Digits": "1"})
    call.refresh_from_db()
    assert call.acknowledged_at is None


def test_an_sms_delivery_cannot_be_acknowledged_as_a_call(client, call):
    sms = Delivery.objects.create(
        alert=call.alert, recipient=call.recipient, channel="sms", to="+33612345678", status="sent"
    )
    signed_post(client, gather_url(sms), {"CallSid": "CA123", "Digits": "1"})
    sms.refresh_from_db()
    assert sms.acknowledged_at is None


@pytest.mark.parametrize(
    ("call_status", "expected"),
    [
        ("ringing", Delivery.Status.SENT),
        ("completed", Delivery.Status.DELIVERED),
        ("busy", Delivery.Status.FAILED),
        ("no-answer", Delivery.Status.FAILED),
        ("failed", Delivery.Status.FAILED),
        ("canceled", Delivery.Status.FAILED),
    ],
)
def test_status_callbacks_move_the_call(client, call, call_status, expected):
    response = signed_post(client, status_url(call), {"CallSid": "CA123", "CallStatus": call_status})
    assert response.status_code == 204
    call.refresh_from_db()
    assert call.status == expected
    if expected == Delivery.Status.FAILED:
        assert call.error_code == call_status


def test_a_late_ringing_never_moves_a_completed_call_back(client, call):
    signed_post(client, status_url(call), {"CallSid": "CA123", "CallStatus": "completed"})
    signed_post(client, status_url(call), {"CallSid": "CA123", "CallStatus": "ringing"})
    call.refresh_from_db()
    assert call.status == Delivery.Status.DELIVERED


def test_a_callback_for_a_call_whose_outcome_was_unknown_records_it(client, call):
    Delivery.objects.filter(id=call.id).update(status=Delivery.Status.CHECKING, provider_id="")
    signed_post(client, status_url(call), {"CallSid": "CA456", "CallStatus": "initiated"})
    call.refresh_from_db()
    assert (call.status, call.provider_id) == (Delivery.Status.SENT, "CA456")


def test_a_callback_naming_another_call_changes_nothing(client, call):
    signed_post(client, status_url(call), {"CallSid": "CA999", "CallStatus": "failed"})
    call.refresh_from_db()
    assert call.status == Delivery.Status.SENT


@pytest.mark.parametrize("name", ["voice_status", "voice_gather"])
def test_forged_or_missing_signatures_are_refused(client, call, name):
    url = reverse(f"alerts:{name}") + f"?d={call.id}"
    data = {"CallSid": "CA123", "CallStatus": "completed", "Digits": "1"}
    assert signed_post(client, url, data, token="wrong-token").status_code == 403
    assert client.post(url, data).status_code == 403
    call.refresh_from_db()
    assert (call.status, call.acknowledged_at) == (Delivery.Status.SENT, None)


def test_webhooks_accept_post_only(client, call):
    assert client.get(gather_url(call)).status_code == 405
    assert client.get(status_url(call)).status_code == 405
