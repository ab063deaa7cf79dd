"""Sending deliveries: claim, hand to the channel, record the outcome; the retry policy.

A worker claims a few queued deliveries at once (QUEUED -> SENDING) under a fresh claim id,
written in each row. Rows another worker holds or has taken are skipped: a task that runs
twice never sends twice. An outcome is recorded only where the delivery is still SENDING
under this worker's claim id: a delivery given back, recovered as stuck, or claimed since by
another worker is never written over, while any other write to the row (a `save()`, which
moves `updated_at`) leaves the claim intact. Only `_claim` writes `claim_id`.
"""

import secrets
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.utils import timezone

from ..channels.base import ChannelError
from ..channels.registry import get_channel
from ..models import Alert, Delivery
from ..sms_backends import OPTED_OUT_CODE
from .preferences import sms_opt_out

DeliveryStatus = Delivery.Status


def deliveries_send(*, delivery_ids: list[int]) -> list[Delivery]:
    """Sends the given deliveries that are still queued. Returns those to retry later.

    They are claimed DELIVERY_CLAIM_SIZE at a time and their outcomes recorded together, so a
    delivery costs a fraction of a query. A claim is used for half of DELIVERY_STUCK_AFTER at
    most: with a slow provider, what was not tried by then is given back and claimed again, so
    the recovery of stuck deliveries never takes a delivery still waiting to be sent.
    """
    # Read by id alone: queued deliveries are few in the planner's statistics, and during a
    # large fan-out `status = 'queued'` in SQL would make each batch scan all of them.
    batch = Delivery.objects.filter(id__in=delivery_ids).select_related("alert").order_by("channel", "id")
    pending = _without_withdrawn([d for d in batch if d.status == DeliveryStatus.QUEUED])
    retry = []
    channels = {}
    try:
        while pending:
            claimed, claim_id = _claim(pending[: settings.DELIVERY_CLAIM_SIZE])
            pending = pending[settings.DELIVERY_CLAIM_SIZE :]
            lease_ends = time.monotonic() + settings.DELIVERY_STUCK_AFTER / 2
            sent = []
            try:
                for index, delivery in enumerate(claimed):
                    if time.monotonic() > lease_ends:
                        untried = claimed[index:]
                        _release(untried, claim_id)
                        pending = untried + pending
                        break
                    channel = channels.get(delivery.channel) or channels.setdefault(
                        delivery.channel, get_channel(delivery.channel)
                    )
                    try:
                        delivery.provider_id = channel.send(delivery)[:64]
                    except ChannelError as error:
                        if not _record_failure(delivery, error):
                            retry.append(delivery)
                        continue
                    sent.append(delivery)
            finally:  # even if something unforeseen stops the batch, what left is recorded
                _record_sent(sent, claim_id)
    finally:
        for channel in channels.values():
            channel.close()
    return retry


def retry_delay(attempts: int) -> float:
    """Exponential backoff with full jitter, capped well below the broker's visibility timeout."""
    ceiling = min(
        settings.DELIVERY_RETRY_BASE_DELAY * 2 ** max(attempts - 1, 0), settings.DELIVERY_RETRY_MAX_DELAY
    )
    return ceiling / 2 + secrets.randbelow(1000) / 1000 * ceiling / 2


def _without_withdrawn(deliveries: list[Delivery]) -> list[Delivery]:
    """A retry or a recovered delivery of an alert withdrawn meanwhile is cancelled, not sent."""
    gone = {
        d.id
        for d in deliveries
        if d.purpose == Delivery.Purpose.ALERT and d.alert.status != Alert.Status.PUBLISHED
    }
    if gone:
        Delivery.objects.filter(id__in=gone, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.CANCELLED, updated_at=timezone.now()
        )
    return [d for d in deliveries if d.id not in gone]


def _claim(deliveries: list[Delivery]) -> tuple[list[Delivery], uuid.UUID]:
    """Claims a few queued deliveries at once (QUEUED -> SENDING) and returns those this worker
    got, with the claim's id, written in each of them."""
    claim_id = uuid.uuid4()
    now = timezone.now()
    with transaction.atomic():
        # Locked by id, their status checked here: a condition on the status in SQL can lead
        # PostgreSQL to scan every queued delivery (see `deliveries_send`).
        locked = Delivery.objects.select_for_update(skip_locked=True).filter(
            id__in=[d.id for d in deliveries]
        )
        ids = {pk for pk, status in locked.values_list("id", "status") if status == DeliveryStatus.QUEUED}
        Delivery.objects.filter(id__in=ids).update(
            status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claim_id=claim_id, updated_at=now
        )
    claimed = [d for d in deliveries if d.id in ids]
    for delivery in claimed:
        delivery.status, delivery.attempts = DeliveryStatus.SENDING, delivery.attempts + 1
        delivery.claim_id, delivery.updated_at = claim_id, now
    return claimed, claim_id


def _held(deliveries: list[Delivery], claim_id: uuid.UUID):
    """The deliveries still held by the claim `claim_id`."""
    return Delivery.objects.filter(
        id__in=[d.id for d in deliveries], status=DeliveryStatus.SENDING, claim_id=claim_id
    )


def _release(deliveries: list[Delivery], claim_id: uuid.UUID) -> None:
    """Gives back claimed deliveries that were not tried: they are queued again, uncounted."""
    _held(deliveries, claim_id).update(
        status=DeliveryStatus.QUEUED, attempts=F("attempts") - 1, updated_at=timezone.now()
    )
    for delivery in deliveries:
        delivery.status, delivery.attempts = DeliveryStatus.QUEUED, delivery.attempts - 1


def _record_sent(deliveries: list[Delivery], claim_id: uuid.UUID) -> None:
    """One UPDATE for the deliveries the provider accepted since the claim. Each has its own
    provider id: a plain SQL `CASE id WHEN ...`, a tenth of the CPU of `Case(When(...))`."""
    if deliveries:
        now = timezone.now()
        params = [value for d in deliveries for value in (d.id, d.provider_id)]
        sql = "CASE id" + " WHEN %s THEN %s" * len(deliveries) + " END"  # values go as parameters
        provider_ids = RawSQL(sql, params)  # noqa: S611
        _held(deliveries, claim_id).update(
            status=DeliveryStatus.SENT, provider_id=provider_ids, sent_at=now, updated_at=now
        )


def _record_failure(delivery: Delivery, error: ChannelError) -> bool:
    """Records a failed send under the delivery's claim; True if it is final (not retried)."""
    # delivery.attempts was read after the claim incremented it: it counts this attempt.
    final = error.permanent or delivery.attempts >= settings.DELIVERY_MAX_ATTEMPTS
    now = timezone.now()
    # A retry's due time is recorded, so the recovery tells a delivery waiting for it from a lost one.
    delivery.not_before = None if final else now + timedelta(seconds=retry_delay(delivery.attempts))
    _held([delivery], delivery.claim_id).update(
        status=DeliveryStatus.FAILED if final else DeliveryStatus.QUEUED,
        not_before=delivery.not_before,
        error_code=error.code[:16],
        error_message=error.message[:300],
        updated_at=now,
    )
    if error.code == OPTED_OUT_CODE and delivery.channel == Delivery.Channel.SMS:
        sms_opt_out(phone=delivery.to)
    return final
