"""The SMS channel through the real twilio SDK, against the fake Twilio on 127.0.0.1."""

import pytest
from django.core import mail

from alerts.models import Alert, Delivery
from alerts.services.publishing import alert_publish
from alerts.sms_text import fits_one_segment
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbours(community):
    return [MembershipFactory(community=community).user for _ in range(3)]


def publish(author, community, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return alert_publish(
            author=author,
            community_id=community.id,
            category=Alert.Category.BURGLARY,
            urgency=Alert.Urgency.URGENT,
            description="Tentative d'effraction sur une porte de garage, deux personnes à pied.",
            street="rue des Lilas",
        )


def sms(alert, user):
    return alert.deliveries.get(recipient=user, channel=Delivery.Channel.SMS)


def test_each_member_gets_one_sms_with_callback_validity_and_sender(
    fake_twilio, community, resident, neighbours, run_tasks, django_capture_on_commit_callbacks
):
    alert = publish(resident, community, django_capture_on_commit_callbacks)
    accepted = fake_twilio.accepted
    assert sorted(r["To"] for r in accepted) == sorted(str(u.phone) for u in neighbours)
    request = accepted[0]
    assert request["From"] == "+33700000000"
    assert request["ValidityPeriod"] == "3600"
    assert "/webhooks/twilio/status/?d=" in request["StatusCallback"]
    assert request["authorization"].startswith("Basic ")
    assert fits_one_segment(request["Body"])
    assert f"/a/{alert.id}" in request["Body"]
    for user in neighbours:
        delivery = sms(alert, user)
        assert delivery.status == Delivery.Status.SENT
        assert delivery.provider_id.startswith("SM")
    assert len(mail.outbox) == 3


def test_messaging_service_sid_is_used_when_configured(
    fake_twilio, settings, community, resident, neighbours, run_tasks, django_capture_on_commit_callbacks
):
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "2" * 32
    publish(resident, community, django_capture_on_commit_callbacks)
    assert {r.get("MessagingServiceSid") for r in fake_twilio.accepted} == {"MG" + "2" * 32}
    assert {r.get("From") for r in fake_twilio.accepted} == {None}


@pytest.mark.parametrize("behaviour", [429, 500, "timeout"])
def test_transient_errors_are_retried_then_sent_once(
    behaviour,
    fake_twilio,
    settings,
    community,
    resident,
    neighbours,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    settings.DELIVERY_RETRY_BASE_DELAY = 0
    settings.DELIVERY_RETRY_MAX_DELAY = 0
    settings.DELIVERY_CHECK_AFTER = 0  # after a timeout, Twilio is asked at once, then it is re-sent
    unlucky = neighbours[0]
    fake_twilio.answer(str(unlucky.phone), behaviour, behaviour)
    alert = publish(resident, community, django_capture_on_commit_callbacks)
    delivery = sms(alert, unlucky)
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 3
    assert fake_twilio.accepted_per_number()[str(unlucky.phone)] == 1


def test_transient_errors_stop_after_the_bounded_number_of_tries(
    fake_twilio, settings, community, resident, neighbours, run_tasks, django_capture_on_commit_callbacks
):
    settings.DELIVERY_RETRY_BASE_DELAY = 0
    settings.DELIVERY_RETRY_MAX_DELAY = 0
    settings.DELIVERY_MAX_ATTEMPTS = 3
    unlucky = neighbours[0]
    fake_twilio.always(str(unlucky.phone), 500)
    alert = publish(resident, community, django_capture_on_commit_callbacks)
    delivery = sms(alert, unlucky)
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == 3
    assert len([r for r in fake_twilio.requests if r["To"] == str(unlucky.phone)]) == 3


@pytest.mark.parametrize("code", [21211, 21614, 21635, 30006])
def test_permanent_errors_are_recorded_and_never_retried(
    code, fake_twilio, community, resident, neighbours, run_tasks, django_capture_on_commit_callbacks
):
    unlucky = neighbours[0]
    fake_twilio.answer(str(unlucky.phone), code)
    alert = publish(resident, community, django_capture_on_commit_callbacks)
    delivery = sms(alert, unlucky)
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.error_code == str(code)
    assert delivery.attempts == 1
    assert len([r for r in fake_twilio.requests if r["To"] == str(unlucky.phone)]) == 1


def test_error_21610_marks_the_number_as_opted_out(
    fake_twilio, community, resident, neighbours, run_tasks, django_capture_on_commit_callbacks
):
    unlucky = neighbours[0]
    fake_twilio.answer(str(unlucky.phone), 21610)
    publish(resident, community, django_capture_on_commit_callbacks)
    unlucky.refresh_from_db()
    assert unlucky.sms_opted_out_at is not None
    assert not unlucky.can_receive_sms
    second = publish(resident, community, django_capture_on_commit_callbacks)
    assert not second.deliveries.filter(recipient=unlucky, channel="sms").exists()
