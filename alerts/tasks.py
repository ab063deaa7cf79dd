"""Celery tasks: thin, arguments are ids, each calls a service.

Every task is acks_late with reject_on_worker_lost (see settings): a task whose worker dies
runs again, and the claim on each delivery makes that safe.
"""

import math

from celery import shared_task
from django.conf import settings

from accounts.emails import email_task

from . import notifications
from .models import Delivery
from .services import recovery, sending


def _chunks(ids, size):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def batch_size(count: int) -> int:
    """ALERT_BATCH_SIZE at most, but small enough that every worker process gets several
    batches: a small community is not left to one process finishing a last big batch."""
    spread = math.ceil(count / (4 * max(settings.CELERY_WORKER_CONCURRENCY, 1)))
    return max(1, min(settings.ALERT_BATCH_SIZE, max(20, spread)))


def queue_batches(ids: list[int]) -> None:
    for chunk in _chunks(ids, batch_size(len(ids))):
        send_batch.delay(chunk)


@shared_task
def fan_out(alert_id: int, purpose: str) -> int:
    """Splits an alert's queued deliveries into batches, SMS first (they are the fastest)."""
    total = 0
    for channel in (Delivery.Channel.SMS, Delivery.Channel.EMAIL):
        ids = list(
            Delivery.objects.filter(
                alert_id=alert_id, purpose=purpose, channel=channel, status=Delivery.Status.QUEUED
            )
            .order_by("id")
            .values_list("id", flat=True)
        )
        queue_batches(ids)
        total += len(ids)
    return total


@shared_task
def send_batch(delivery_ids: list[int]) -> int:
    retry = sending.deliveries_send(delivery_ids=delivery_ids)
    if retry:
        send_batch.apply_async(([d.id for d in retry],), eta=max(d.not_before for d in retry))
    return len(delivery_ids) - len(retry)


@shared_task
def release_scheduled() -> int:
    """Periodic: deliveries held by quiet hours whose time has come."""
    ids = recovery.deliveries_release_scheduled()
    queue_batches(ids)
    return len(ids)


@shared_task
def recover_stuck() -> int:
    """Periodic: deliveries whose task was lost or whose worker died mid-send."""
    ids = recovery.deliveries_recover_stuck()
    queue_batches(ids)
    return len(ids)


@shared_task
def notify_moderation(alert_id: int, event: str) -> None:
    for to in notifications.moderation_recipients(alert_id=alert_id, event=event):
        send_moderation_email.delay(alert_id, event, to)


@email_task
def send_moderation_email(alert_id: int, event: str, to: str) -> None:
    notifications.moderation_email(alert_id=alert_id, event=event, to=to)
