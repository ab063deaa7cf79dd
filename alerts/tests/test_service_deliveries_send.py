"""deliveries_send: claims a few deliveries at a time, records their outcomes together, and
never holds a claim long enough for the recovery of stuck deliveries to take one still to send."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts.models import Delivery
from alerts.services.sending import deliveries_send
from alerts.tests.factories import AlertFactory, DeliveryFactory
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(community, resident):
    return AlertFactory(author=resident, commune=community.neighbourhood.commune, communities=[community])


@pytest.fixture
def queued(alert, community):
    """`queued(n)` makes n members of the community, each with a queued SMS of the alert."""

    def make(n, channel=Delivery.Channel.SMS):
        members = [MembershipFactory(community=community).user for _ in range(n)]
        return [DeliveryFactory(alert=alert, recipient=m, channel=channel) for m in members]

    return make


def test_each_delivery_is_sent_once_and_marked_sent_with_its_own_provider_id(fake_twilio, queued):
    deliveries = queued(30)

    assert deliveries_send(delivery_ids=[d.id for d in deliveries]) == []

    sid_per_number = {r["To"]: r["sid"] for r in fake_twilio.accepted}
    assert fake_twilio.accepted_per_number() == {d.to: 1 for d in deliveries}
    for delivery in deliveries:
        delivery.refresh_from_db()
        assert delivery.status == Delivery.Status.SENT
        assert delivery.provider_id == sid_per_number[delivery.to]
        assert delivery.attempts == 1
        assert delivery.sent_at is not None


def test_a_batch_costs_a_few_queries_not_several_per_delivery(
    settings, sms_outbox, queued, django_assert_max_num_queries
):
    settings.DELIVERY_CLAIM_SIZE = 25
    sms = queued(50)
    emails = queued(50, channel=Delivery.Channel.EMAIL)

    # Read the batch, the sender's name once per channel; then for each of the 4 claims of 25:
    # lock, claim, and the claim's savepoint and its release (a test runs in a transaction).
    # SMS outcomes are recorded together (one UPDATE per claim here: it takes less than half a
    # second), each email's as soon as the mail server accepted it, so that a crash cannot
    # send an email twice that was recorded as sent.
    with django_assert_max_num_queries(2 + 2 + 4 * 4 + 2 + 50):
        deliveries_send(delivery_ids=[d.id for d in sms + emails])

    assert len(sms_outbox) == 50 and len(mail.outbox) == 50
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 100


def test_a_delivery_another_worker_has_claimed_is_left_to_it(sms_outbox, queued):
    mine, theirs = queued(2)
    Delivery.objects.filter(id=theirs.id).update(status=Delivery.Status.SENDING, attempts=1)

    deliveries_send(delivery_ids=[mine.id, theirs.id])

    assert [m["to"] for m in sms_outbox] == [mine.to]
    theirs.refresh_from_db()
    assert (theirs.status, theirs.attempts) == (Delivery.Status.SENDING, 1)


def test_a_transient_failure_is_retried_and_the_rest_of_the_claim_is_still_recorded(
    settings, fake_twilio, queued
):
    deliveries = queued(5)
    failing = deliveries[2]
    fake_twilio.answer(failing.to, 500)

    retry = deliveries_send(delivery_ids=[d.id for d in deliveries])

    assert [d.id for d in retry] == [failing.id]
    failing.refresh_from_db()
    assert (failing.status, failing.attempts, failing.error_code) == (Delivery.Status.QUEUED, 1, "20500")
    # due after the backoff of a first failure: between half and all of the base delay
    wait = (failing.not_before - timezone.now()).total_seconds()
    assert settings.DELIVERY_RETRY_BASE_DELAY / 2 - 1 <= wait <= settings.DELIVERY_RETRY_BASE_DELAY
    sent = Delivery.objects.filter(status=Delivery.Status.SENT)
    assert set(sent.values_list("id", flat=True)) == {d.id for d in deliveries} - {failing.id}

    deliveries_send(delivery_ids=[failing.id])  # a task that comes before the due time...
    failing.refresh_from_db()
    assert (failing.status, failing.attempts) == (Delivery.Status.QUEUED, 1)  # ...sends nothing

    Delivery.objects.filter(id=failing.id).update(not_before=timezone.now())
    deliveries_send(delivery_ids=[failing.id])  # the retry task, at its due time
    failing.refresh_from_db()
    assert (failing.status, failing.attempts) == (Delivery.Status.SENT, 2)
    assert fake_twilio.accepted_per_number() == {d.to: 1 for d in deliveries}


def test_a_permanent_failure_is_recorded_and_not_retried(fake_twilio, queued):
    deliveries = queued(3)
    fake_twilio.answer(deliveries[0].to, 21211)

    assert deliveries_send(delivery_ids=[d.id for d in deliveries]) == []

    deliveries[0].refresh_from_db()
    assert (deliveries[0].status, deliveries[0].error_code) == (Delivery.Status.FAILED, "21211")
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2


def test_with_a_slow_provider_a_claim_is_given_back_and_taken_again_before_it_looks_stuck(
    settings, fake_twilio, queued
):
    """Half of DELIVERY_STUCK_AFTER into a claim, what is not tried yet is given back and
    claimed again: no delivery waits in SENDING long enough to look stuck, and giving back
    does not count as an attempt."""
    settings.DELIVERY_STUCK_AFTER = 1
    settings.DELIVERY_CLAIM_SIZE = 25
    fake_twilio.delay = 0.15  # 12 SMS take about 1.8 s: several claims of 0.5 s
    deliveries = queued(12)

    with CaptureQueriesContext(connection) as queries:
        deliveries_send(delivery_ids=[d.id for d in deliveries])

    claims = [q for q in queries.captured_queries if "SET \"status\" = 'sending'" in q["sql"]]
    assert len(claims) >= 3  # 12 sends of 0.15 s do not fit in one claim of 0.5 s
    assert fake_twilio.accepted_per_number() == {d.to: 1 for d in deliveries}
    assert set(Delivery.objects.values_list("status", "attempts")) == {(Delivery.Status.SENT, 1)}


def test_the_batch_is_read_and_locked_by_id_alone(sms_outbox, queued):
    """Queued deliveries are rare in the planner's statistics: with `status = 'queued'` in the
    WHERE clause, PostgreSQL picks the status index, and each batch of a large fan-out would
    scan every delivery still queued instead of its own few hundred."""
    deliveries = queued(5)

    with CaptureQueriesContext(connection) as queries:
        deliveries_send(delivery_ids=[d.id for d in deliveries])

    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "alerts_delivery"')]
    assert len(reads) == 2  # the batch, then the claim's lock
    assert all('"status"' not in sql.split(" WHERE ", 1)[1] for sql in reads)
    assert len(sms_outbox) == 5


def test_a_claim_given_back_is_not_counted_as_an_attempt_when_a_send_then_fails(
    settings, fake_twilio, queued
):
    settings.DELIVERY_STUCK_AFTER = 1  # claims are given back after 0.5 s
    settings.DELIVERY_MAX_ATTEMPTS = 2
    fake_twilio.delay = 0.15
    deliveries = queued(8)
    last = deliveries[-1]  # given back at least once before it is tried
    fake_twilio.answer(last.to, 500)

    retry = deliveries_send(delivery_ids=[d.id for d in deliveries])

    assert [d.id for d in retry] == [last.id]  # a first failure: retried, not given up
    last.refresh_from_db()
    assert (last.status, last.attempts) == (Delivery.Status.QUEUED, 1)


def test_what_was_sent_is_recorded_even_if_the_batch_stops_on_an_unforeseen_error(sms_outbox, queued):
    """E.g. a row of a channel this worker does not know yet, during an upgrade."""
    sms = queued(2)
    unknown = queued(1)[0]
    Delivery.objects.filter(id=unknown.id).update(channel="web")  # sorted after "sms"

    with pytest.raises(KeyError):
        deliveries_send(delivery_ids=[d.id for d in sms] + [unknown.id])

    assert len(sms_outbox) == 2
    assert set(Delivery.objects.filter(id__in=[d.id for d in sms]).values_list("status", flat=True)) == {
        Delivery.Status.SENT
    }
