"""Sending deliveries: claim, ask the provider where the outcome is unknown, hand to the
channel, record the outcome; the retry policy.

A worker claims a few due deliveries at once (QUEUED or CHECKING -> SENDING) under a fresh
claim id, written in each row. Rows another worker holds or has taken are skipped: a task that
runs twice never sends twice. An outcome is recorded only where the delivery is still SENDING
under this worker's claim id: a delivery given back, recovered as stuck, or claimed since by
another worker is never written over, while any other write to the row (a `save()`, which
moves `updated_at`) leaves the claim intact. Only `_claim` writes `claim_id`.

A delivery whose outcome is unknown (a timeout, a connection lost mid-request, a worker that
died mid-send) is CHECKING: before it is sent again, the provider is asked whether it already
accepted it, and if so it is recorded as sent. Nothing the provider may have accepted is ever
recorded as failed or sent blindly a second time.

Outcomes are written as soon as they are known: each email and each call at once (a mail
server cannot be asked afterwards, so a crash may double only the email in flight), SMS every
half second. A call goes through the same claims, lookups and retries as an SMS: the provider
is asked for the calls placed to the landline since the delivery was created.
"""

import secrets
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.utils import timezone

from ..channels.base import ChannelError
from ..channels.registry import get_channel
from ..models import Alert, Delivery
from ..sms_backends import OPTED_OUT_CODE
from .preferences import sms_opt_out

DeliveryStatus = Delivery.Status
RECORD_SMS_EVERY = 0.5  # seconds: the progress page moves while a batch is sent
CLOCK_GRACE = timedelta(seconds=1)
_WAITING = (DeliveryStatus.QUEUED, DeliveryStatus.CHECKING)
# Who is sent to first within a batch: SMS, then calls (urgent only), then emails.
CHANNEL_ORDER = (Delivery.Channel.SMS, Delivery.Channel.VOICE, Delivery.Channel.EMAIL)
_RANK = {channel: rank for rank, channel in enumerate(CHANNEL_ORDER)}  # any other channel: last


def deliveries_send(*, delivery_ids: list[int], owner: uuid.UUID | None = None) -> list[Delivery]:
    """Sends the given deliveries that are due, SMS first, then calls, then emails. Returns
    those to try again later.

    They are claimed DELIVERY_CLAIM_SIZE at a time. A claim is used for half of
    DELIVERY_STUCK_AFTER at most: with a slow provider, what was not tried by then is given
    back and claimed again, so the recovery of stuck deliveries never takes a delivery still
    waiting to be sent.

    `owner` is the claim id of a task (the same when the task runs again after a failure): its
    claims use it, and a run takes over what an earlier run of the same task left SENDING (it
    died on a cut database connection), as deliveries of unknown outcome, without waiting for
    the recovery.
    """
    # Read by id alone: queued deliveries are few in the planner's statistics, and during a
    # large fan-out `status = 'queued'` in SQL would make each batch scan all of them.
    batch = Delivery.objects.filter(id__in=delivery_ids).select_related("alert")
    now = timezone.now()
    waiting = _without_withdrawn(
        [d for d in batch if d.status in _WAITING or _left_by(owner, d.status, d.claim_id)]
    )
    due = [d for d in waiting if _is_due(d.status, d.not_before, now, d.claim_id, owner)]
    pending = sorted(due, key=lambda d: (_RANK.get(d.channel, len(_RANK)), d.id))
    retry = []
    channels = {}
    try:
        while pending:
            claimed, claim_id = _claim(pending[: settings.DELIVERY_CLAIM_SIZE], owner)
            pending = pending[settings.DELIVERY_CLAIM_SIZE :]
            lease_ends = time.monotonic() + settings.DELIVERY_STUCK_AFTER / 2
            sent = _Outcomes(claim_id)
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
                    if not _send_one(channel, delivery, sent):
                        retry.append(delivery)
            finally:  # even if something unforeseen stops the batch, what left is recorded
                sent.record()
    finally:
        for channel in channels.values():
            channel.close()
    return retry


def _send_one(channel, delivery: Delivery, sent: "_Outcomes") -> bool:
    """Asks the provider first if the outcome of an earlier attempt is unknown, then sends.
    Returns False if the delivery is to be tried again later."""
    if delivery.checking:
        try:
            delivery.provider_id = _already_accepted(channel, delivery)
        except ChannelError as error:  # the provider cannot be asked now: ask later
            _record_unknown(delivery, error)
            return False
        if delivery.provider_id:
            sent.add(delivery)
            return True
        if _withdrawn(delivery) or delivery.attempts > settings.DELIVERY_MAX_ATTEMPTS:
            _record_not_sent(delivery)
            return True
    try:
        delivery.provider_id = channel.send(delivery)[:64]
    except ChannelError as error:
        if error.unknown:
            _record_unknown(delivery, error)
            return False
        return _record_failure(delivery, error)
    sent.add(delivery)
    return True


def _withdrawn(delivery: Delivery) -> bool:
    return delivery.purpose == Delivery.Purpose.ALERT and delivery.alert.status != Alert.Status.PUBLISHED


def _already_accepted(channel, delivery: Delivery) -> str:
    """The provider's id of this delivery's message if the provider accepted it. A message with
    the same text to the same address that another delivery already holds (two members who
    share a phone) is not taken for this one."""
    found = channel.find_sent(delivery)
    if not found:
        return ""
    taken = set(
        Delivery.objects.filter(provider_id__in=found)
        .exclude(id=delivery.id)
        .values_list("provider_id", flat=True)
    )
    return next((provider_id for provider_id in found if provider_id not in taken), "")


def retry_delay(attempts: int) -> float:
    """Exponential backoff with full jitter, capped well below the broker's visibility timeout."""
    ceiling = min(
        settings.DELIVERY_RETRY_BASE_DELAY * 2 ** max(attempts - 1, 0), settings.DELIVERY_RETRY_MAX_DELAY
    )
    return ceiling / 2 + secrets.randbelow(1000) / 1000 * ceiling / 2


def _is_due(status: str, not_before, now, claim_id=None, owner=None) -> bool:
    """Queued, or waiting for a check, and its due time come (a task run a little early by
    a worker whose clock is ahead is not turned away); or left SENDING by an earlier run of
    the same task."""
    if _left_by(owner, status, claim_id):
        return True
    if status not in _WAITING:
        return False
    return not_before is None or not_before <= now + CLOCK_GRACE


def _left_by(owner: uuid.UUID | None, status: str, claim_id) -> bool:
    return owner is not None and status == DeliveryStatus.SENDING and claim_id == owner


def _without_withdrawn(deliveries: list[Delivery]) -> list[Delivery]:
    """A retry or a recovered delivery of an alert withdrawn meanwhile is cancelled, not sent.
    One whose outcome is unknown is left to be checked: the member may already have it."""
    gone = {d.id for d in deliveries if d.status == DeliveryStatus.QUEUED and _withdrawn(d)}
    if gone:
        Delivery.objects.filter(id__in=gone, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.CANCELLED, updated_at=timezone.now()
        )
    return [d for d in deliveries if d.id not in gone]


def _claim(deliveries: list[Delivery], owner: uuid.UUID | None = None) -> tuple[list[Delivery], uuid.UUID]:
    """Claims a few due deliveries at once (QUEUED or CHECKING -> SENDING) and returns those
    this worker got, with the claim's id, written in each of them. `delivery.checking` says
    whether the provider must be asked before sending."""
    claim_id = owner or uuid.uuid4()
    now = timezone.now()
    with transaction.atomic():
        # Locked by id, their status checked here: a condition on the status in SQL can lead
        # PostgreSQL to scan every queued delivery (see `deliveries_send`).
        locked = Delivery.objects.select_for_update(skip_locked=True).filter(
            id__in=[d.id for d in deliveries]
        )
        rows = {
            pk: DeliveryStatus.CHECKING if status == DeliveryStatus.SENDING else status
            for pk, status, not_before, held_by in locked.values_list(
                "id", "status", "not_before", "claim_id"
            )
            if _is_due(status, not_before, now, held_by, owner)
        }
        Delivery.objects.filter(id__in=rows).update(
            status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claim_id=claim_id, updated_at=now
        )
    claimed = [d for d in deliveries if d.id in rows]
    for delivery in claimed:
        delivery.checking = rows[delivery.id] == DeliveryStatus.CHECKING
        delivery.status, delivery.attempts = DeliveryStatus.SENDING, delivery.attempts + 1
        delivery.claim_id, delivery.updated_at = claim_id, now
    return claimed, claim_id


def _held(deliveries: list[Delivery], claim_id: uuid.UUID):
    """The deliveries still held by the claim `claim_id`."""
    return Delivery.objects.filter(
        id__in=[d.id for d in deliveries], status=DeliveryStatus.SENDING, claim_id=claim_id
    )


def _release(deliveries: list[Delivery], claim_id: uuid.UUID) -> None:
    """Gives back claimed deliveries that were not tried: they are due again, uncounted."""
    for status in (DeliveryStatus.QUEUED, DeliveryStatus.CHECKING):
        group = [d for d in deliveries if d.checking == (status == DeliveryStatus.CHECKING)]
        if group:
            _held(group, claim_id).update(
                status=status, attempts=F("attempts") - 1, updated_at=timezone.now()
            )
    for delivery in deliveries:
        delivery.status = DeliveryStatus.CHECKING if delivery.checking else DeliveryStatus.QUEUED
        delivery.attempts -= 1


_MARK_ONE_SENT = (
    "UPDATE alerts_delivery SET status = 'sent', provider_id = %s, sent_at = %s, updated_at = %s"
    " WHERE id = %s AND status = 'sending' AND claim_id = %s"
)


class _Outcomes:
    """The deliveries the provider accepted under one claim, written in one UPDATE: each email
    and call at once, SMS every RECORD_SMS_EVERY seconds."""

    def __init__(self, claim_id: uuid.UUID):
        self.claim_id = claim_id
        self.waiting: list[Delivery] = []
        self.since = time.monotonic()

    def add(self, delivery: Delivery) -> None:
        self.waiting.append(delivery)
        if delivery.channel != Delivery.Channel.SMS or time.monotonic() - self.since >= RECORD_SMS_EVERY:
            self.record()

    def record(self) -> None:
        """Each delivery has its own provider id: a plain SQL `CASE id WHEN ...`, a tenth of the
        CPU of `Case(When(...))`."""
        deliveries, self.waiting, self.since = self.waiting, [], time.monotonic()
        if not deliveries:
            return
        now = timezone.now()
        if len(deliveries) == 1:  # each email: a fifth of the CPU of the ORM's UPDATE
            when = connection.ops.adapt_datetimefield_value(now)
            params = [deliveries[0].provider_id, when, when, deliveries[0].id, self.claim_id.hex]
            with connection.cursor() as cursor:
                cursor.execute(_MARK_ONE_SENT, params)
            return
        params = [value for d in deliveries for value in (d.id, d.provider_id)]
        sql = "CASE id" + " WHEN %s THEN %s" * len(deliveries) + " END"  # values go as parameters
        provider_ids = RawSQL(sql, params)  # noqa: S611
        _held(deliveries, self.claim_id).update(
            status=DeliveryStatus.SENT, provider_id=provider_ids, sent_at=now, updated_at=now
        )


def _record_unknown(delivery: Delivery, error: ChannelError) -> None:
    """The provider may have accepted the message: it is asked DELIVERY_CHECK_AFTER from now,
    never counted as failed, and sent again only if it has not."""
    delivery.not_before = timezone.now() + timedelta(
        seconds=max(settings.DELIVERY_CHECK_AFTER, retry_delay(delivery.attempts))
    )
    _held([delivery], delivery.claim_id).update(
        status=DeliveryStatus.CHECKING,
        not_before=delivery.not_before,
        error_code=error.code[:16],
        error_message=error.message[:300],
        updated_at=timezone.now(),
    )


def _record_not_sent(delivery: Delivery) -> None:
    """The provider did not accept the message: it is not sent again, because its alert was
    withdrawn meanwhile, or because every attempt has been made."""
    withdrawn = _withdrawn(delivery)
    _held([delivery], delivery.claim_id).update(
        status=DeliveryStatus.CANCELLED if withdrawn else DeliveryStatus.FAILED,
        not_before=None,
        updated_at=timezone.now(),
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
