"""End to end on the real broker (Redis in CI) with a real Celery worker: publish, and every
member's SMS (through the twilio SDK to the fake Twilio) and email arrive exactly once."""

import pytest
from django.core import mail
from django.db import connection

from alerts.models import Alert, Delivery
from alerts.services.publishing import alert_publish
from conftest import cut_other_connections, wait_for
from neighbourhoods.tests.factories import MembershipFactory

MEMBERS = 25


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("celery_worker", ["solo", "threads"], indirect=True)  # threads: as in production
def test_every_member_gets_one_sms_and_one_email(settings, fake_twilio, celery_worker, community, resident):
    settings.ALERT_BATCH_SIZE = 7  # several batches, several tasks
    settings.DELIVERY_RETRY_BASE_DELAY = 0.1
    neighbours = [MembershipFactory(community=community).user for _ in range(MEMBERS)]
    fake_twilio.answer(str(neighbours[0].phone), 429)  # one retry on the way

    alert = alert_publish(
        author=resident,
        community_id=community.id,
        category=Alert.Category.SCAM,
        urgency=Alert.Urgency.URGENT,
        description="Faux agents des eaux rue des Lilas, ils demandent à entrer.",
        street="rue des Lilas",
    )

    def all_handed_off():
        return not alert.deliveries.exclude(status=Delivery.Status.SENT).exists()

    assert wait_for(all_handed_off, timeout=30), list(alert.deliveries.values_list("status", flat=True))
    assert wait_for(lambda: len(mail.outbox) >= MEMBERS)
    assert fake_twilio.accepted_per_number() == {str(u.phone): 1 for u in neighbours}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in neighbours)


@pytest.mark.django_db(transaction=True)
def test_a_worker_whose_database_connection_was_cut_between_tasks_still_delivers(
    fake_twilio, celery_worker, community, resident
):
    """Workers keep their database connection between tasks; one that broke meanwhile (a
    PostgreSQL restart, a proxy's idle timeout) is replaced before the next task uses it."""
    if connection.vendor != "postgresql":
        pytest.skip("cuts a PostgreSQL connection")
    neighbours = [MembershipFactory(community=community).user for _ in range(3)]

    def publish_and_wait(description):
        alert = alert_publish(
            author=resident,
            community_id=community.id,
            category=Alert.Category.SCAM,
            urgency=Alert.Urgency.URGENT,
            description=description,
            street="rue des Lilas",
        )
        sent = wait_for(
            lambda: not alert.deliveries.exclude(status=Delivery.Status.SENT).exists(), timeout=30
        )
        assert sent, list(alert.deliveries.values_list("status", flat=True))

    publish_and_wait("Faux agents des eaux rue des Lilas.")
    assert cut_other_connections() >= 1  # the worker's connection, idle between tasks, is cut
    publish_and_wait("Ils sont revenus rue des Lilas.")

    assert fake_twilio.accepted_per_number() == {str(u.phone): 2 for u in neighbours}
