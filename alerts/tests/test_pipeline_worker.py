"""End to end on the real broker (Redis in CI) with a real Celery worker: publish, and every
member's SMS (through the twilio SDK to the fake Twilio) and email arrive exactly once."""

import pytest
from django.core import mail

from alerts import services
from alerts.models import Alert, Delivery
from conftest import wait_for
from neighbourhoods.tests.factories import MembershipFactory

MEMBERS = 25


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("celery_worker", ["solo", "threads"], indirect=True)  # threads: as in production
def test_every_member_gets_one_sms_and_one_email(settings, fake_twilio, celery_worker, community, resident):
    settings.ALERT_BATCH_SIZE = 7  # several batches, several tasks
    settings.DELIVERY_RETRY_BASE_DELAY = 0.1
    neighbours = [MembershipFactory(community=community).user for _ in range(MEMBERS)]
    fake_twilio.answer(str(neighbours[0].phone), 429)  # one retry on the way

    alert = services.alert_publish(
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
