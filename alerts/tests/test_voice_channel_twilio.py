"""Urgent alerts read aloud to verified landlines, through the real twilio SDK against the fake
Twilio on 127.0.0.1: one call per landline, retried like an SMS, never placed twice."""

import re
from html import unescape

import pytest
from django.utils import timezone

from alerts.models import Alert, Delivery
from alerts.services.publishing import alert_publish
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def callable_neighbours(community):
    """Three members with a verified landline each (and a verified mobile)."""
    return [
        MembershipFactory(
            community=community,
            user__landline=f"+3324012340{n}",
            user__landline_verified_at=timezone.now(),
        ).user
        for n in range(3)
    ]


@pytest.fixture
def fast_retries(settings):
    settings.DELIVERY_RETRY_BASE_DELAY = 0
    settings.DELIVERY_RETRY_MAX_DELAY = 0
    settings.DELIVERY_CHECK_AFTER = 0


def publish(author, community, capture, urgency=Alert.Urgency.URGENT, description=None):
    with capture(execute=True):
        return alert_publish(
            author=author,
            community_id=community.id,
            category=Alert.Category.BURGLARY,
            urgency=urgency,
            description=description or "Deux personnes essaient d'ouvrir une porte de garage.",
            street="rue des Lilas",
        )


def call_of(alert, user) -> Delivery:
    return alert.deliveries.get(recipient=user, channel=Delivery.Channel.VOICE)


def says(twiml: str) -> list[str]:
    return [unescape(s) for s in re.findall(r'<Say language="fr-FR">(.*?)</Say>', twiml)]


def test_an_urgent_alert_calls_each_verified_landline_once_and_reads_it_twice(
    fake_twilio, community, resident, callable_neighbours, run_tasks, django_capture_on_commit_callbacks
):
    alert = publish(resident, community, django_capture_on_commit_callbacks)
    calls = fake_twilio.placed_calls
    assert sorted(c["To"] for c in calls) == sorted(str(u.landline) for u in callable_neighbours)
    for user in callable_neighbours:
        delivery = call_of(alert, user)
        assert delivery.status == Delivery.Status.SENT
        assert delivery.provider_id.startswith("CA")
        [call] = fake_twilio.calls_to(str(user.landline))
        assert call["From"] == "+33700000000"
        assert call["StatusCallback"].endswith(f"/webhooks/twilio/voice/status/?d={delivery.id}")
        assert set(call["StatusCallbackEvent"]) >= {"completed"}
        twiml = call["Twiml"]
        assert f'action="http://testserver/webhooks/twilio/voice/gather/?d={delivery.id}"' in twiml
        assert re.search(r'<Gather [^>]*numDigits="1"', twiml)
        inside_gather = says(twiml.split("<Gather", 1)[1].split("</Gather>", 1)[0])
        assert len(inside_gather) == 2  # read twice, pressing 1 works during either
        for said in inside_gather:
            assert "rue des Lilas" in said
            assert "porte de garage" in said
    # every member still got their SMS, first
    assert len(fake_twilio.accepted) == len(callable_neighbours)


def test_a_vigilance_alert_calls_nobody(
    fake_twilio, community, resident, callable_neighbours, run_tasks, django_capture_on_commit_callbacks
):
    alert = publish(resident, community, django_capture_on_commit_callbacks, urgency=Alert.Urgency.VIGILANCE)
    assert fake_twilio.placed_calls == []
    assert not alert.deliveries.filter(channel=Delivery.Channel.VOICE).exists()
    assert alert.deliveries.filter(channel=Delivery.Channel.SMS).count() == len(callable_neighbours)


def test_a_long_message_is_cut_after_a_sentence_when_read(
    fake_twilio, community, resident, callable_neighbours, run_tasks, django_capture_on_commit_callbacks
):
    description = "Une camionnette blanche tourne dans le quartier. " * 20
    publish(resident, community, django_capture_on_commit_callbacks, description=description)
    said = says(fake_twilio.placed_calls[0]["Twiml"])[0]
    assert "Une camionnette blanche tourne dans le quartier." in said
    assert said.count("camionnette") < 20


@pytest.mark.parametrize("behaviour", [429, 500])
def test_a_busy_provider_is_retried_then_the_call_is_placed_once(
    behaviour,
    fake_twilio,
    fast_retries,
    community,
    resident,
    callable_neighbours,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    unlucky = callable_neighbours[0]
    fake_twilio.answer(str(unlucky.landline), behaviour, behaviour)
    alert = publish(resident, community, django_capture_on_commit_callbacks)
    delivery = call_of(alert, unlucky)
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 3)
    assert len(fake_twilio.calls_to(str(unlucky.landline))) == 1


@pytest.mark.parametrize("code", [13224, 21215, 21211])
def test_a_permanent_twilio_error_fails_the_call_without_retry(
    code,
    fake_twilio,
    fast_retries,
    community,
    resident,
    callable_neighbours,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    unlucky = callable_neighbours[0]
    fake_twilio.answer(str(unlucky.landline), code)
    alert = publish(resident, community, django_capture_on_commit_callbacks)
    delivery = call_of(alert, unlucky)
    assert (delivery.status, delivery.error_code, delivery.attempts) == (Delivery.Status.FAILED, str(code), 1)
    assert len([r for r in fake_twilio.call_requests if r["To"] == str(unlucky.landline)]) == 1
    # the member's SMS is not affected
    assert (
        alert.deliveries.get(recipient=unlucky, channel=Delivery.Channel.SMS).status == Delivery.Status.SENT
    )


def test_transient_errors_stop_after_the_bounded_number_of_tries(
    fake_twilio,
    fast_retries,
    settings,
    community,
    resident,
    callable_neighbours,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    settings.DELIVERY_MAX_ATTEMPTS = 3
    unlucky = callable_neighbours[0]
    fake_twilio.always(str(unlucky.landline), 500)
    alert = publish(resident, community, django_capture_on_commit_callbacks)
    delivery = call_of(alert, unlucky)
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 3)
    assert len([r for r in fake_twilio.call_requests if r["To"] == str(unlucky.landline)]) == 3
