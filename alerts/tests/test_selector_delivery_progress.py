"""delivery_progress and still_delivering: what the progress pages show of an alert's
deliveries, counted in one query, and whether they keep reloading."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts.models import Delivery
from alerts.selectors import PROGRESS_BUCKETS, delivery_progress, still_delivering
from alerts.tests.factories import AlertFactory

pytestmark = pytest.mark.django_db

Status, Channel = Delivery.Status, Delivery.Channel
SMS, EMAIL = Channel.SMS, Channel.EMAIL


@pytest.fixture
def alert():
    return AlertFactory()


def delivery(alert, *, channel=SMS, status=Status.QUEUED, untouched_for=0, **fields) -> Delivery:
    """A delivery as the pipeline leaves it, last written `untouched_for` seconds ago."""
    row = Delivery.objects.create(
        alert=alert, recipient=None, channel=channel, to="+33612345678", status=status, **fields
    )
    if untouched_for:
        Delivery.objects.filter(id=row.id).update(
            updated_at=timezone.now() - timedelta(seconds=untouched_for)
        )
    return row


def seconds(n: float):
    return timezone.now() + timedelta(seconds=n)


def the_bucket_of(alert, channel=SMS) -> str:
    counts = delivery_progress(alert)[channel]
    assert counts["total"] == 1
    assert sum(counts[name] for name in PROGRESS_BUCKETS) == 1, counts
    (bucket,) = [name for name in PROGRESS_BUCKETS if counts[name]]
    return bucket


def test_a_queued_delivery_never_tried_is_queued(alert):
    delivery(alert)
    assert the_bucket_of(alert) == "queued"


def test_a_delivery_queued_again_after_a_transient_error_is_waiting_to_retry(alert):
    delivery(alert, attempts=1, not_before=seconds(30), untouched_for=5)
    assert the_bucket_of(alert) == "waiting_retry"


def test_a_long_backoff_is_waiting_to_retry_however_long_ago_it_was_tried(alert, settings):
    delivery(alert, attempts=4, not_before=seconds(60), untouched_for=9 * 60)
    assert the_bucket_of(alert) == "waiting_retry"


def test_a_retry_that_just_fell_due_is_queued(alert, settings):
    settings.DELIVERY_LOST_AFTER = 45
    delivery(alert, attempts=2, not_before=seconds(-5), untouched_for=5 * 60)
    assert the_bucket_of(alert) == "queued"


def test_a_queued_delivery_untouched_past_its_due_time_is_stuck(alert, settings):
    """Its task was lost: the recovery queues it again."""
    settings.DELIVERY_LOST_AFTER = 45
    delivery(alert, untouched_for=50)
    assert the_bucket_of(alert) == "stuck"


def test_a_retry_untouched_long_past_its_due_time_is_stuck(alert, settings):
    settings.DELIVERY_LOST_AFTER = 45
    delivery(alert, attempts=2, not_before=seconds(-50), untouched_for=5 * 60)
    assert the_bucket_of(alert) == "stuck"


def test_a_delivery_being_sent_is_sending(alert, settings):
    settings.DELIVERY_STUCK_AFTER = 60
    delivery(alert, status=Status.SENDING, attempts=1, untouched_for=20)
    assert the_bucket_of(alert) == "sending"


def test_a_delivery_sending_for_longer_than_the_stuck_delay_is_stuck(alert, settings):
    """Its worker died mid-send."""
    settings.DELIVERY_STUCK_AFTER = 60
    delivery(alert, status=Status.SENDING, attempts=1, untouched_for=70)
    assert the_bucket_of(alert) == "stuck"


def test_a_delivery_the_provider_is_asked_about_is_checking(alert):
    delivery(alert, status=Status.CHECKING, attempts=1, untouched_for=120)
    assert the_bucket_of(alert) == "checking"


@pytest.mark.parametrize(
    "status", [Status.SCHEDULED, Status.SENT, Status.DELIVERED, Status.FAILED, Status.CANCELLED]
)
def test_the_other_statuses_are_counted_as_they_are(alert, status):
    delivery(alert, channel=EMAIL, status=status, untouched_for=2 * 3600)
    assert the_bucket_of(alert, EMAIL) == status


def test_counts_are_per_channel_for_this_alert_s_own_deliveries_only(alert):
    delivery(alert, status=Status.SENT)
    delivery(alert, status=Status.SENT)
    delivery(alert, status=Status.DELIVERED)
    delivery(alert, channel=EMAIL, status=Status.SENT)
    delivery(alert, channel=EMAIL, status=Status.SENT, purpose=Delivery.Purpose.WITHDRAWAL)
    delivery(AlertFactory(), status=Status.QUEUED)
    progress = delivery_progress(alert)
    assert (progress[SMS]["sent"], progress[SMS]["delivered"], progress[SMS]["total"]) == (2, 1, 3)
    assert (progress[EMAIL]["sent"], progress[EMAIL]["queued"], progress[EMAIL]["total"]) == (1, 0, 1)


def test_an_alert_without_deliveries_counts_zero_everywhere(alert):
    progress = delivery_progress(alert)
    assert {SMS, EMAIL} <= set(progress)  # and every other channel (voice), at zero
    assert all(count == 0 for counts in progress.values() for count in counts.values())


def test_progress_is_two_queries_whatever_the_number_of_deliveries(alert, django_assert_num_queries):
    for status in Status.values:
        for channel in Channel.values:
            delivery(alert, channel=channel, status=status)
    with django_assert_num_queries(2):  # the count per status, then the rows not final
        progress = delivery_progress(alert)
    assert progress[SMS]["total"] == progress[EMAIL]["total"] == len(Status.values)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_progress_reads_this_alert_s_rows_through_an_index(alert):
    """Its cost does not grow with the deliveries of other alerts, nor, for the count per
    status, with the rows of this alert (an index-only scan)."""
    delivery(alert)
    with CaptureQueriesContext(connection) as queries:
        delivery_progress(alert)
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny test table would be scanned
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        for query in queries.captured_queries:
            cursor.execute("EXPLAIN " + query["sql"])
            plans.append("\n".join(line for (line,) in cursor.fetchall()))
    for plan in plans:
        assert re.search(rf"Index Cond: \(+(alerts_delivery\.)?alert_id = {alert.id}\)", plan), plan
    assert "Index Only Scan using delivery_alert_progress" in plans[0], plans[0]


# still_delivering -----------------------------------------------------------------------


def reloads(alert) -> bool:
    return still_delivering(delivery_progress(alert))


def test_no_reload_once_every_delivery_is_final(alert):
    """An email is final once sent; an SMS once delivered, failed, cancelled, or sent over
    ten minutes ago (its receipt is not waited for any longer)."""
    delivery(alert, channel=EMAIL, status=Status.SENT, sent_at=timezone.now())
    delivery(alert, status=Status.DELIVERED, sent_at=seconds(-5))
    delivery(alert, status=Status.FAILED)
    delivery(alert, channel=EMAIL, status=Status.CANCELLED)
    delivery(alert, status=Status.SENT, sent_at=seconds(-11 * 60))
    assert reloads(alert) is False


def test_an_sms_sent_minutes_ago_keeps_the_page_reloading_for_its_receipt(alert):
    delivery(alert, channel=EMAIL, status=Status.SENT, sent_at=timezone.now())
    delivery(alert, status=Status.SENT, sent_at=seconds(-9 * 60))
    assert reloads(alert) is True


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Status.QUEUED},
        {"status": Status.QUEUED, "attempts": 1, "not_before": seconds(30)},  # waiting to retry
        {"status": Status.QUEUED, "untouched_for": 120},  # stuck: the recovery takes it up
        {"status": Status.SENDING, "attempts": 1},
        {"status": Status.SENDING, "attempts": 1, "untouched_for": 600},  # stuck
        {"status": Status.CHECKING, "attempts": 1},
        {"status": Status.SCHEDULED, "not_before": seconds(-10)},  # quiet hours over
    ],
)
def test_a_delivery_on_its_way_keeps_the_page_reloading(alert, fields):
    delivery(alert, channel=EMAIL, status=Status.SENT, sent_at=timezone.now())
    delivery(alert, channel=EMAIL, **fields)
    assert reloads(alert) is True


def test_quiet_hours_that_end_later_do_not_keep_the_page_reloading(alert):
    delivery(alert, channel=EMAIL, status=Status.SENT, sent_at=timezone.now())
    delivery(alert, status=Status.SCHEDULED, not_before=seconds(3 * 3600))
    assert reloads(alert) is False


def test_deliveries_nothing_touched_for_the_sms_validity_period_stop_the_reloading(alert, settings):
    """No worker and no recovery ran for an hour: a page left open must not reload for ever."""
    settings.SMS_VALIDITY_PERIOD = 3600
    delivery(alert, status=Status.QUEUED, untouched_for=3600 + 60)
    delivery(alert, status=Status.SENDING, attempts=1, untouched_for=3600 + 60)
    delivery(alert, status=Status.SCHEDULED, not_before=seconds(-3600 - 60), untouched_for=9 * 3600)
    assert reloads(alert) is False
    assert delivery_progress(alert)[SMS]["stuck"] == 2


def test_an_alert_without_deliveries_does_not_reload(alert):
    assert reloads(alert) is False
