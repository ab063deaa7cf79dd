"""SMS first, always: on Redis, an SMS batch queued after a backlog of email batches (what a
recovery does) is taken before them by a real worker."""

import pytest
from celery.contrib.testing.worker import start_worker

from alerts import tasks
from alerts.models import Delivery
from alerts.tests.factories import AlertFactory, DeliveryFactory
from conftest import cut_other_connections, wait_for
from neighbourhoods.tests.factories import MembershipFactory
from vigilance.celery import app as celery_app


@pytest.mark.django_db(transaction=True)
def test_an_sms_batch_queued_behind_emails_leaves_first(broker_url, settings, community, resident):
    settings.ALERT_BATCH_SIZE = 1  # one task per delivery: the order of the tasks is the order of the sends
    alert = AlertFactory(author=resident, commune=community.neighbourhood.commune, communities=[community])
    members = [MembershipFactory(community=community).user for _ in range(4)]
    emails = [DeliveryFactory(alert=alert, recipient=m, channel=Delivery.Channel.EMAIL) for m in members]
    sms = [DeliveryFactory(alert=alert, recipient=m, channel=Delivery.Channel.SMS) for m in members[:2]]
    celery_app.control.purge()

    tasks.queue_batches({Delivery.Channel.EMAIL: [d.id for d in emails]})  # the backlog...
    tasks.queue_batches({Delivery.Channel.SMS: [d.id for d in sms]})  # ...then the recovered SMS
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        everything_sent = wait_for(
            lambda: not alert.deliveries.exclude(status=Delivery.Status.SENT).exists(), timeout=30
        )
    cut_other_connections()  # the solo worker's connection would keep the test database

    assert everything_sent
    sent_at = dict(alert.deliveries.values_list("id", "sent_at"))
    assert max(sent_at[d.id] for d in sms) < min(sent_at[d.id] for d in emails)
