"""A worker's database connection is cut while it sends a batch: the task runs again with
backoff, takes over the deliveries it had claimed, asks Twilio about the one in flight, and
every member gets exactly one SMS, without waiting for the periodic recovery."""

import time

import pytest
from django.db import connection

from alerts.models import Alert, Delivery
from alerts.services.publishing import alert_publish
from conftest import cut_other_connections, wait_for
from neighbourhoods.tests.factories import MembershipFactory


@pytest.mark.django_db(transaction=True)
def test_a_batch_cut_off_from_the_database_mid_send_is_retried_and_sends_each_sms_once(
    settings, fake_twilio, celery_worker, community, resident
):
    assert connection.vendor == "postgresql", "the suite runs on PostgreSQL (DATABASE_URL)"
    settings.DELIVERY_STUCK_AFTER = 3600  # no recovery sweep runs here, and none could help in time
    neighbours = [MembershipFactory(community=community).user for _ in range(3)]
    fake_twilio.delay = 1.0  # each SMS takes a second: time to cut the connection mid-send
    settings.TWILIO_TIMEOUT = 5  # slow, not timed out

    alert = alert_publish(
        author=resident,
        community_id=community.id,
        category=Alert.Category.BURGLARY,
        urgency=Alert.Urgency.URGENT,
        description="Deux personnes essaient les portes de garage.",
        street="rue des Lilas",
    )
    sms = alert.deliveries.filter(channel=Delivery.Channel.SMS)
    assert wait_for(lambda: sms.filter(status=Delivery.Status.SENDING).exists(), timeout=20)
    time.sleep(0.3)  # the worker is waiting for Twilio's answer
    assert cut_other_connections() >= 1
    started = time.monotonic()

    assert wait_for(lambda: not sms.exclude(status=Delivery.Status.SENT).exists(), timeout=30), list(
        sms.values_list("status", flat=True)
    )
    assert time.monotonic() - started < 30
    assert fake_twilio.accepted_per_number() == {str(u.phone): 1 for u in neighbours}
    assert set(sms.values_list("provider_id", flat=True)) == {m["sid"] for m in fake_twilio.accepted}
