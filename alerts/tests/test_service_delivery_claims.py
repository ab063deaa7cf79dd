"""A claim on a delivery is its own id, written by the claim alone: whatever else writes the
row while it is being sent (a `save()` moves `updated_at`), the worker's outcome is recorded;
and an outcome is never written over another claim."""

import datetime

import pytest
from django.utils import timezone

from alerts.channels.base import ChannelError
from alerts.models import Delivery
from alerts.services import sending
from alerts.services.recovery import deliveries_recover_stuck
from alerts.sms_backends import LocmemSmsBackend
from alerts.tests.factories import AlertFactory, DeliveryFactory
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


class SavedWhileSendingSmsBackend(LocmemSmsBackend):
    """The in-memory outbox, while someone saves each delivery as it is handed over (an admin
    action, a data fix, a feature to come): its `updated_at` moves under the worker's claim."""

    def send(self, *, to: str, body: str, status_callback: str | None = None) -> str:
        for delivery in Delivery.objects.filter(to=to):
            delivery.save()
        return super().send(to=to, body=body, status_callback=status_callback)


class SavedThenBusySmsBackend(SavedWhileSendingSmsBackend):
    """The same, then the provider answers that it is busy: a transient failure."""

    def send(self, *, to: str, body: str, status_callback: str | None = None) -> str:
        super().send(to=to, body=body, status_callback=status_callback)
        raise ChannelError("busy", permanent=False, code="20429")


def backend_path(backend) -> str:
    return f"{__name__}.{backend.__name__}"


@pytest.fixture
def queued(community, resident):
    alert = AlertFactory(author=resident, commune=community.neighbourhood.commune, communities=[community])

    def make(n):
        members = [MembershipFactory(community=community).user for _ in range(n)]
        return [DeliveryFactory(alert=alert, recipient=member) for member in members]

    return make


def test_a_delivery_saved_while_it_is_sent_is_recorded_as_sent(settings, sms_outbox, queued):
    settings.SMS_BACKEND = backend_path(SavedWhileSendingSmsBackend)
    deliveries = queued(3)

    assert sending.deliveries_send(delivery_ids=[d.id for d in deliveries]) == []

    sid_per_number = {m["to"]: m["sid"] for m in sms_outbox}
    for delivery in deliveries:
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 1)
        assert delivery.provider_id == sid_per_number[delivery.to]


def test_a_delivery_saved_while_it_fails_is_recorded_as_failed_and_retried(settings, sms_outbox, queued):
    settings.SMS_BACKEND = backend_path(SavedThenBusySmsBackend)
    [delivery] = queued(1)

    retry = sending.deliveries_send(delivery_ids=[delivery.id])

    assert [d.id for d in retry] == [delivery.id]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error_code) == (Delivery.Status.QUEUED, 1, "20429")
    assert delivery.not_before is not None  # its retry is due: the recovery leaves it alone


def test_each_claim_writes_its_own_id_and_a_claimed_delivery_cannot_be_claimed_again(queued):
    first, second = queued(2)

    [mine], claim = sending._claim([first])
    theirs, their_claim = sending._claim([first, second])

    assert [d.id for d in theirs] == [second.id]
    assert claim != their_claim
    assert Delivery.objects.get(id=first.id).claim_id == claim
    assert Delivery.objects.get(id=second.id).claim_id == their_claim


def test_an_outcome_is_never_written_over_another_workers_claim(settings, queued):
    """Worker A claims a delivery and stalls; the recovery finds it stuck and queues it again;
    worker B claims it. A's late outcome, sent or failed, leaves B's claim as it is."""
    [delivery] = queued(1)
    [stalled], claim_a = sending._claim([Delivery.objects.select_related("alert").get(id=delivery.id)])
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.DELIVERY_STUCK_AFTER + 60)
    Delivery.objects.filter(id=delivery.id).update(updated_at=long_ago)
    assert deliveries_recover_stuck() == {"sms": [delivery.id]}
    [current], claim_b = sending._claim([Delivery.objects.select_related("alert").get(id=delivery.id)])

    stalled.provider_id = "SM-late"
    late = sending._Outcomes(claim_a)
    late.add(stalled)
    late.record()
    sending._record_failure(stalled, ChannelError("timeout", permanent=True, code="timeout"))
    sending._release([stalled], claim_a)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.claim_id, delivery.provider_id) == (
        Delivery.Status.SENDING,
        claim_b,
        "",
    )
    assert delivery.error_code == "" and delivery.attempts == 2

    current.provider_id = "SM-current"
    outcomes = sending._Outcomes(claim_b)
    outcomes.add(current)
    outcomes.record()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.provider_id) == (Delivery.Status.SENT, "SM-current")
