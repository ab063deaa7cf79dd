"""Twilio's status callbacks and inbound SMS: signed requests only, idempotent, forward-only."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from twilio.request_validator import RequestValidator

from alerts.models import Alert, Delivery
from alerts.services.preferences import sms_opt_out
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
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


@pytest.fixture
def accounts_without_a_phone(db):
    from accounts.tests.factories import UserFactory

    return [UserFactory(phone="", phone_verified_at=None) for _ in range(3)]


@pytest.mark.parametrize("sender", ["", "   ", "abc", "+33", "0", "whatsapp:", "+3360000000000000000"])
def test_a_stop_from_an_empty_or_invalid_number_opts_no_one_out(
    client, resident, accounts_without_a_phone, sender
):
    response = signed_post(client, reverse("alerts:twilio_inbound"), {"From": sender, "Body": "STOP"})

    assert response.status_code == 200
    assert not User.objects.filter(sms_opted_out_at__isnull=False).exists()


@pytest.mark.parametrize("sender", ["", "   ", "abc"])
def test_a_start_from_an_empty_number_turns_no_ones_sms_back_on(client, accounts_without_a_phone, sender):
    User.objects.update(sms_opted_out_at=timezone.now())

    signed_post(client, reverse("alerts:twilio_inbound"), {"From": sender, "Body": "START"})

    assert not User.objects.filter(sms_opted_out_at__isnull=True).exists()


def test_a_stop_in_the_national_format_opts_that_account_out(client, resident, accounts_without_a_phone):
    national = "0" + str(resident.phone).removeprefix("+33")

    signed_post(client, reverse("alerts:twilio_inbound"), {"From": national, "Body": "STOP"})

    assert list(User.objects.filter(sms_opted_out_at__isnull=False)) == [resident]


def test_sms_opt_out_of_an_empty_number_changes_no_account(accounts_without_a_phone):
    assert sms_opt_out(phone="") == 0
    assert not User.objects.filter(sms_opted_out_at__isnull=False).exists()


@pytest.fixture
def other_delivery(delivery, community):
    neighbour = MembershipFactory(community=community).user
    return Delivery.objects.create(
        alert=delivery.alert,
        recipient=neighbour,
        channel="sms",
        to=str(neighbour.phone),
        status=Delivery.Status.SENT,
        provider_id="SM456",
    )


def opted_out_callback(client, delivery, sid):
    return signed_post(
        client,
        status_url(delivery),
        {"MessageSid": sid, "MessageStatus": "undelivered", "ErrorCode": "21610"},
    )


@pytest.mark.parametrize("sid", ["SM456", "SMother", ""])
def test_an_opted_out_callback_with_another_message_sid_opts_no_one_out(
    client, delivery, other_delivery, sid
):
    response = opted_out_callback(client, delivery, sid)

    assert response.status_code == 204
    assert not User.objects.filter(sms_opted_out_at__isnull=False).exists()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT


def test_an_opted_out_callback_for_its_own_message_opts_its_recipient_out(client, delivery, other_delivery):
    opted_out_callback(client, delivery, "SM123")

    assert list(User.objects.filter(sms_opted_out_at__isnull=False)) == [delivery.recipient]


def test_an_opted_out_callback_before_the_message_sid_was_recorded_opts_its_recipient_out(client, delivery):
    Delivery.objects.filter(id=delivery.id).update(provider_id="", status=Delivery.Status.SENDING)

    opted_out_callback(client, delivery, "SM789")

    assert list(User.objects.filter(sms_opted_out_at__isnull=False)) == [delivery.recipient]


def test_a_repeated_opted_out_callback_still_opts_its_recipient_out(client, delivery):
    Delivery.objects.filter(id=delivery.id).update(status=Delivery.Status.FAILED, error_code="21610")

    opted_out_callback(client, delivery, "SM123")

    assert list(User.objects.filter(sms_opted_out_at__isnull=False)) == [delivery.recipient]
