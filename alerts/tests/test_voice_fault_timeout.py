"""Fault: Twilio's answer to a call never comes in time. The call may or may not have been
placed; each landline is still called exactly once.

The delivery is CHECKING; Twilio's list of calls to the landline since the delivery was
created is read (no sooner than DELIVERY_CHECK_AFTER) before anything is placed again: a call
found is recorded as the delivery's, and only a landline with no call is called again.
The real twilio SDK talks to the fake Twilio; the tasks run in this process when due
(`InProcessQueue`, with the periodic recovery every second).
"""

import pytest
from django.utils import timezone

from alerts.models import Alert, Delivery
from alerts.services.publishing import alert_publish
from alerts.tests.test_fault_provider_uncertain import InProcessQueue
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

TWILIO_TIMEOUT = 0.5
CHECK_AFTER = 1
EARLY = 0.05


@pytest.fixture
def task_queue(monkeypatch):
    return InProcessQueue(monkeypatch)


@pytest.fixture
def uncertain(settings, fake_twilio):
    settings.TWILIO_TIMEOUT = TWILIO_TIMEOUT
    settings.DELIVERY_CHECK_AFTER = CHECK_AFTER
    settings.DELIVERY_RETRY_BASE_DELAY = 0
    settings.DELIVERY_RETRY_MAX_DELAY = 0
    settings.DELIVERY_STUCK_AFTER = 4
    settings.DELIVERY_LOST_AFTER = 4
    fake_twilio.slow_sleep = 1.0  # the call is placed, the answer comes after the client gave up
    return fake_twilio


@pytest.fixture
def landlines(community):
    users = [
        MembershipFactory(
            community=community, user__landline=f"+3324098760{n}", user__landline_verified_at=timezone.now()
        ).user
        for n in range(3)
    ]
    return {str(u.landline) for u in users}


def _publish(author, community, capture) -> Alert:
    with capture(execute=True):
        return alert_publish(
            author=author,
            community_id=community.id,
            category=Alert.Category.BURGLARY,
            urgency=Alert.Urgency.URGENT,
            description="Tentative d'effraction, deux personnes à pied.",
            street="rue des Lilas",
        )


def _calls(alert):
    return alert.deliveries.filter(channel=Delivery.Channel.VOICE)


def _statuses(alert) -> dict[str, str]:
    return dict(_calls(alert).values_list("to", "status"))


def _all_final(alert) -> bool:
    return not _calls(alert).exclude(status__in=[Delivery.Status.SENT, Delivery.Status.FAILED]).exists()


@pytest.mark.parametrize("behaviour", ["slow", "drop"])
def test_a_call_placed_without_an_answer_is_found_and_never_placed_again(
    behaviour, uncertain, task_queue, community, resident, landlines, django_capture_on_commit_callbacks
):
    fake = uncertain
    for number in landlines:
        fake.answer(number, behaviour)
    alert = _publish(resident, community, django_capture_on_commit_callbacks)

    task_queue.run_due()  # the fan-out and the first batch: no answer for any call
    assert {c["To"] for c in fake.placed_calls} == landlines
    assert _statuses(alert) == dict.fromkeys(landlines, Delivery.Status.CHECKING)

    assert task_queue.run_until(lambda: _all_final(alert)), _statuses(alert)

    assert sorted(c["To"] for c in fake.placed_calls) == sorted(landlines)  # once each
    sid_of = {c["To"]: c["sid"] for c in fake.placed_calls}
    assert dict(_calls(alert).values_list("to", "provider_id")) == sid_of
    assert _statuses(alert) == dict.fromkeys(landlines, Delivery.Status.SENT)
    gave_up_after = TWILIO_TIMEOUT if behaviour == "slow" else 0
    for call in fake.placed_calls:
        [check, *_] = fake.call_checks_of(call["To"])
        assert check["StartTime>"], "the lookup is limited to calls since the delivery"
        assert check["at"] - call["received_at"] >= gave_up_after + CHECK_AFTER - EARLY


def test_a_call_twilio_never_placed_is_looked_up_then_placed_once(
    uncertain, task_queue, community, resident, landlines, django_capture_on_commit_callbacks
):
    fake = uncertain
    for number in landlines:
        fake.answer(number, "timeout")  # not placed, and no answer in time; then success
    alert = _publish(resident, community, django_capture_on_commit_callbacks)

    task_queue.run_due()
    assert fake.placed_calls == []
    assert _statuses(alert) == dict.fromkeys(landlines, Delivery.Status.CHECKING)

    assert task_queue.run_until(lambda: _all_final(alert)), _statuses(alert)

    assert sorted(c["To"] for c in fake.placed_calls) == sorted(landlines)
    assert _statuses(alert) == dict.fromkeys(landlines, Delivery.Status.SENT)
    for number in landlines:
        tries = [r for r in fake.call_requests if r["To"] == number]
        assert [r["accepted"] for r in tries] == [False, True]
        checks = fake.call_checks_of(number)
        assert checks and checks[0]["at"] < tries[1]["received_at"], f"called again unchecked: {number}"


def test_a_call_for_an_earlier_alert_is_not_taken_for_this_one(
    uncertain, task_queue, community, resident, landlines, django_capture_on_commit_callbacks
):
    """The first alert's calls are recorded; the second alert's time out unplaced: the lookup
    finds the first alert's calls to the same landlines, which are not this delivery's."""
    fake = uncertain
    first = _publish(resident, community, django_capture_on_commit_callbacks)
    task_queue.run_due()
    assert _statuses(first) == dict.fromkeys(landlines, Delivery.Status.SENT)
    for number in landlines:
        fake.answer(number, "timeout")
    second = _publish(resident, community, django_capture_on_commit_callbacks)
    assert task_queue.run_until(lambda: _all_final(second)), _statuses(second)
    for number in landlines:
        assert len(fake.calls_to(number)) == 2  # one per alert
    assert not set(_calls(first).values_list("provider_id", flat=True)) & set(
        _calls(second).values_list("provider_id", flat=True)
    )
