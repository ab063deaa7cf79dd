"""Twilio's answer never comes: the SMS may or may not have left. Each member still gets it
exactly once.

A read timeout, or a connection lost after the request was written, is an unknown outcome:
the delivery is CHECKING, Twilio is asked (its list of messages to that number, matched on the
text) no sooner than DELIVERY_CHECK_AFTER, and the SMS is recorded as sent with the sid Twilio
gave it, or sent again only if Twilio never accepted it.

The real twilio SDK talks over HTTP to the fake Twilio. No worker: the queue below runs the
tasks in this process, each when its `eta` comes, as a broker and a worker would, with the
periodic recovery every second, as the beat would.
"""

import time

import pytest
from django.utils import timezone

from alerts import tasks
from alerts.models import Alert, Delivery
from alerts.services.publishing import alert_publish
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

MEMBERS = 5
TWILIO_TIMEOUT = 0.5
SLOW_SLEEP = 1.0  # Twilio answers after the client gave up, having accepted the message
CHECK_AFTER = 1
EARLY = 0.05  # seconds of tolerance on "no sooner than" (clocks read at slightly different points)


class InProcessQueue:
    """What the broker, a worker and the beat do, in this process: a queued `fan_out` or
    `send_batch` runs when its eta comes (now if none), `recover_stuck` every second."""

    def __init__(self, monkeypatch):
        self.queued: list[tuple[float, object, tuple, dict]] = []

        def apply_async(task, args=(), kwargs=None, *, eta=None, countdown=None, **options):
            wait = countdown or 0
            if eta is not None:
                wait = max(wait, (eta - timezone.now()).total_seconds())
            self.queued.append((time.monotonic() + wait, task, tuple(args or ()), kwargs or {}))

        for task in (tasks.fan_out, tasks.send_batch):
            # Each task has its own class: `delay`, `apply_async` and `delay_on_commit` come here.
            monkeypatch.setattr(type(task._get_current_object()), "apply_async", apply_async)

    def run_due(self) -> None:
        """Runs what is due, and what that queues if due at once."""
        while due := [entry for entry in self.queued if entry[0] <= time.monotonic()]:
            for entry in due:
                self.queued.remove(entry)
                _at, task, args, kwargs = entry
                task(*args, **kwargs)

    def run_until(self, condition, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        next_sweep = time.monotonic() + 1
        while not condition() and time.monotonic() < deadline:
            self.run_due()
            if time.monotonic() >= next_sweep:
                tasks.recover_stuck()
                next_sweep = time.monotonic() + 1
            time.sleep(0.02)
        return condition()


@pytest.fixture
def task_queue(monkeypatch):
    return InProcessQueue(monkeypatch)


@pytest.fixture
def uncertain(settings, fake_twilio):
    """Short timings: the client gives up after TWILIO_TIMEOUT, the check comes CHECK_AFTER
    later; retries of a transient error (and their jitter) take no time of their own."""
    settings.TWILIO_TIMEOUT = TWILIO_TIMEOUT
    settings.DELIVERY_CHECK_AFTER = CHECK_AFTER
    settings.DELIVERY_RETRY_BASE_DELAY = 0
    settings.DELIVERY_RETRY_MAX_DELAY = 0
    settings.DELIVERY_STUCK_AFTER = 4
    settings.DELIVERY_LOST_AFTER = 4
    fake_twilio.slow_sleep = SLOW_SLEEP
    return fake_twilio


@pytest.fixture
def neighbours(community):
    return [MembershipFactory(community=community).user for _ in range(MEMBERS)]


def _publish(author, community, django_capture_on_commit_callbacks) -> Alert:
    with django_capture_on_commit_callbacks(execute=True):  # the fan-out is queued on commit
        return alert_publish(
            author=author,
            community_id=community.id,
            category=Alert.Category.BURGLARY,
            urgency=Alert.Urgency.URGENT,
            description="Tentative d'effraction sur une porte de garage, deux personnes à pied.",
            street="rue des Lilas",
        )


def _sms(alert):
    return alert.deliveries.filter(channel=Delivery.Channel.SMS)


def _sms_statuses(alert) -> dict[str, str]:
    return dict(_sms(alert).values_list("to", "status"))


def _all_sms_final(alert) -> bool:
    return not _sms(alert).exclude(status__in=[Delivery.Status.SENT, Delivery.Status.FAILED]).exists()


@pytest.mark.parametrize("behaviour", ["slow", "drop"])
def test_an_sms_accepted_without_an_answer_is_found_and_recorded_not_sent_again(
    behaviour, uncertain, task_queue, community, resident, neighbours, django_capture_on_commit_callbacks
):
    fake = uncertain
    fake.mode = behaviour  # every first try of every number
    numbers = {str(u.phone) for u in neighbours}
    alert = _publish(resident, community, django_capture_on_commit_callbacks)

    task_queue.run_due()  # the fan-out and the first SMS batch: no answer for any of them
    assert fake.accepted_per_number() == dict.fromkeys(numbers, 1)
    assert _sms_statuses(alert) == dict.fromkeys(numbers, Delivery.Status.CHECKING)
    fake.mode = None  # a second SMS would be accepted (and counted) at once

    assert task_queue.run_until(lambda: _all_sms_final(alert)), _sms_statuses(alert)

    assert fake.duplicates() == {}
    assert fake.accepted_per_number() == dict.fromkeys(numbers, 1)
    sid_of = {r["To"]: r["sid"] for r in fake.accepted}
    assert dict(_sms(alert).values_list("to", "provider_id")) == sid_of
    assert _sms_statuses(alert) == dict.fromkeys(numbers, Delivery.Status.SENT)
    # Twilio was asked, no sooner than DELIVERY_CHECK_AFTER after the client gave up.
    gave_up_after = TWILIO_TIMEOUT if behaviour == "slow" else 0
    for request in fake.accepted:
        checks = fake.checks_of(request["To"])
        assert checks, f"Twilio was never asked about {request['To']}"
        assert min(checks) - request["received_at"] >= gave_up_after + CHECK_AFTER - EARLY


def test_an_sms_twilio_never_accepted_is_checked_then_sent_once(
    uncertain, task_queue, community, resident, neighbours, django_capture_on_commit_callbacks
):
    fake = uncertain
    numbers = {str(u.phone) for u in neighbours}
    for number in numbers:
        fake.answer(number, "timeout")  # not accepted, and no answer in time; then success
    alert = _publish(resident, community, django_capture_on_commit_callbacks)

    task_queue.run_due()
    assert fake.accepted == []
    assert _sms_statuses(alert) == dict.fromkeys(numbers, Delivery.Status.CHECKING)

    assert task_queue.run_until(lambda: _all_sms_final(alert)), _sms_statuses(alert)

    assert fake.accepted_per_number() == dict.fromkeys(numbers, 1)
    sid_of = {r["To"]: r["sid"] for r in fake.accepted}
    assert dict(_sms(alert).values_list("to", "provider_id")) == sid_of
    assert _sms_statuses(alert) == dict.fromkeys(numbers, Delivery.Status.SENT)
    for number in numbers:
        tries = [r for r in fake.requests if r["To"] == number]
        assert [r["accepted"] for r in tries] == [False, True]
        checks = fake.checks_of(number)
        # Asked before the second try, and no sooner than DELIVERY_CHECK_AFTER after the first.
        assert checks and min(checks) < tries[1]["received_at"], f"sent again unchecked to {number}"
        assert min(checks) - tries[0]["received_at"] >= TWILIO_TIMEOUT + CHECK_AFTER - EARLY
