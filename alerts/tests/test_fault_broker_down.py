"""The broker is down when an alert is published: the alert is kept, the person who published it
sees no error, and the recovery sends it once the broker is back."""

import datetime

import pytest
from django.utils import timezone

from alerts import tasks
from alerts.models import Alert, Delivery
from alerts.services.publishing import alert_publish
from alerts.services.recovery import deliveries_recover_stuck
from alerts.tests.workers import reset_broker_pools
from neighbourhoods.tests.factories import MembershipFactory
from vigilance.celery import app as celery_app

pytestmark = pytest.mark.django_db

NOWHERE = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there


@pytest.fixture
def broker_down():
    previous = celery_app.conf.broker_url, celery_app.conf.task_publish_retry_policy
    celery_app.conf.broker_url = NOWHERE
    celery_app.conf.task_publish_retry_policy = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1}
    reset_broker_pools()
    yield
    celery_app.conf.broker_url, celery_app.conf.task_publish_retry_policy = previous
    reset_broker_pools()


def test_an_alert_published_while_the_broker_is_down_is_kept_and_sent_by_the_recovery(
    community, resident, settings, broker_down, django_capture_on_commit_callbacks, sms_outbox, caplog
):
    neighbours = [MembershipFactory(community=community).user for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):  # the fan-out cannot be queued...
        alert = alert_publish(
            author=resident,
            community_id=community.id,
            category=Alert.Category.BURGLARY,
            urgency=Alert.Urgency.URGENT,
            description="Deux personnes essaient les portes de garage.",
            street="rue des Lilas",
        )
    assert "fan_out" in caplog.text  # ...which is logged, not raised at the person publishing

    deliveries = Delivery.objects.filter(alert=alert)
    assert deliveries.count() == 4 and set(deliveries.values_list("status", flat=True)) == {"queued"}
    assert sms_outbox == []

    # The next sweep once DELIVERY_LOST_AFTER has passed (at most a minute: see the sweeps' tests).
    lost = timezone.now() - datetime.timedelta(seconds=settings.DELIVERY_LOST_AFTER + 1)
    deliveries.update(updated_at=lost)
    found = deliveries_recover_stuck()
    assert sorted(found["sms"]) == sorted(deliveries.filter(channel="sms").values_list("id", flat=True))

    celery_app.conf.task_always_eager = True  # the broker is back: the batches run
    try:
        tasks.queue_batches(found)
    finally:
        celery_app.conf.task_always_eager = False
    assert sorted(m["to"] for m in sms_outbox) == sorted(str(n.phone) for n in neighbours)
    assert set(deliveries.filter(channel="sms").values_list("status", flat=True)) == {"sent"}
