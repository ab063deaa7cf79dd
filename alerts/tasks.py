"""Celery tasks: thin, arguments are ids, each calls a service.

Every task is acks_late with reject_on_worker_lost (see settings): a task whose worker dies
runs again, and the claim on each delivery makes that safe.
"""

import math
import uuid

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, transaction
from kombu.exceptions import OperationalError as BrokerError

from accounts.emails import email_task

from . import notifications
from .models import Delivery
from .services import recovery, sending, tally

# On Redis, priority 0 is taken first: SMS batches always leave before calls (urgent alerts
# only) and emails, also after a recovery, whatever was queued before them.
PRIORITY = {Delivery.Channel.SMS: 0, Delivery.Channel.VOICE: 3, Delivery.Channel.EMAIL: 6}
CHANNEL_ORDER = sending.CHANNEL_ORDER
# A cut database connection or a broker restart does not lose a task: it runs again, with
# backoff. What cannot be retried (the broker stays down) the periodic recovery picks up.
RETRY_POLICY = {
    "autoretry_for": (DatabaseError, BrokerError, ConnectionError),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 10,
}


def _chunks(ids, size):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def batch_size(count: int) -> int:
    """ALERT_BATCH_SIZE at most, but small enough that every worker process gets several
    batches: a small community is not left to one process finishing a last big batch."""
    spread = math.ceil(count / (4 * max(settings.CELERY_WORKER_CONCURRENCY, 1)))
    return max(1, min(settings.ALERT_BATCH_SIZE, max(20, spread)))


def queue_batches(ids_by_channel: dict[str, list[int]]) -> int:
    """Queues batches of deliveries, SMS first and ahead of any call or email batch."""
    total = 0
    for channel in CHANNEL_ORDER:
        ids = ids_by_channel.get(channel, [])
        for chunk in _chunks(ids, batch_size(len(ids))):
            send_batch.apply_async((chunk,), priority=PRIORITY[channel])
        total += len(ids)
    return total


def fan_out_on_commit(alert_id: int, purpose: str) -> None:
    """Queues the fan-out once the alert is committed. If the broker is down, the alert is
    kept and its deliveries stay queued: the periodic recovery picks them up."""

    def queue_fan_out():  # a named function: Django logs a robust callback's failure by name
        fan_out.delay(alert_id, purpose)

    transaction.on_commit(queue_fan_out, robust=True)


@shared_task(**RETRY_POLICY)
def fan_out(alert_id: int, purpose: str) -> int:
    """Splits an alert's queued deliveries into batches, SMS first, then calls, then emails."""
    ids = {}
    for channel in CHANNEL_ORDER:
        ids[channel] = list(
            Delivery.objects.filter(
                alert_id=alert_id, purpose=purpose, channel=channel, status=Delivery.Status.QUEUED
            )
            .order_by("id")
            .values_list("id", flat=True)
        )
    return queue_batches(ids)


@shared_task(bind=True, **RETRY_POLICY)
def send_batch(self, delivery_ids: list[int]) -> int:
    # One claim id per task, the same when it runs again: a retry takes over what it left.
    owner = uuid.uuid5(uuid.NAMESPACE_URL, f"send_batch/{self.request.id}") if self.request.id else None
    retry = sending.deliveries_send(delivery_ids=delivery_ids, owner=owner)
    for channel in CHANNEL_ORDER:
        later = [d for d in retry if d.channel == channel]
        if later:
            send_batch.apply_async(
                ([d.id for d in later],), eta=max(d.not_before for d in later), priority=PRIORITY[channel]
            )
    return len(delivery_ids) - len(retry)


@shared_task
def release_scheduled() -> int:
    """Periodic: deliveries held by quiet hours whose time has come."""
    return queue_batches(recovery.deliveries_release_scheduled())


@shared_task
def recover_stuck() -> int:
    """Periodic: deliveries whose task was lost or whose worker died mid-send."""
    return queue_batches(recovery.deliveries_recover_stuck())


@shared_task
def tally_alerts() -> int:
    """Periodic: settled alerts counted into the commune dashboards' figures."""
    return tally.alerts_tally()


@shared_task
def notify_moderation(alert_id: int, event: str) -> None:
    for to in notifications.moderation_recipients(alert_id=alert_id, event=event):
        send_moderation_email.delay(alert_id, event, to)


@email_task
def send_moderation_email(alert_id: int, event: str, to: str) -> None:
    notifications.moderation_email(alert_id=alert_id, event=event, to=to)
