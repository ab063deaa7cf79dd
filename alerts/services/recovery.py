"""Periodic jobs that make deliveries sendable again: those held by quiet hours whose time
has come, and those whose task was lost or whose worker died mid-send.

Each returns the ids to queue, per channel: the caller queues SMS first. Rows are taken under
`select_for_update(skip_locked=True)` and changed in the same transaction, so two sweeps that
overlap never take the same row.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Delivery

DeliveryStatus = Delivery.Status
SWEEP_LIMIT = 10000


def deliveries_release_scheduled() -> dict[str, list[int]]:
    """Quiet hours are over for these deliveries: queue them."""
    now = timezone.now()
    rows = Delivery.objects.filter(status=DeliveryStatus.SCHEDULED, not_before__lte=now)
    return _take(rows, now, status=DeliveryStatus.QUEUED)


def deliveries_recover_stuck() -> dict[str, list[int]]:
    """Finds deliveries whose task was lost or whose worker died, and makes them sendable again.

    A delivery left SENDING may or may not have reached the provider: it becomes CHECKING, and
    the worker that takes it asks the provider before sending (the lookups run in the batch
    tasks, in parallel, not here). A delivery due for longer than DELIVERY_LOST_AFTER and
    untouched meanwhile had its task lost (a broker restart, a fan-out that never started):
    it is queued again. A task queued twice never sends twice: the claim sees to that.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.DELIVERY_STUCK_AFTER)
    lost = now - timedelta(seconds=settings.DELIVERY_LOST_AFTER)
    stuck = Delivery.objects.filter(status=DeliveryStatus.SENDING, updated_at__lt=stale)
    ids = _take(stuck, now, status=DeliveryStatus.CHECKING)
    # A delivery waiting for its retry or its check is lost only once its due time is long past.
    due = Q(not_before__isnull=True) | Q(not_before__lt=lost)
    waiting = Delivery.objects.filter(
        status__in=[DeliveryStatus.QUEUED, DeliveryStatus.CHECKING], updated_at__lt=lost
    ).filter(due)
    for channel, more in _take(waiting, now).items():
        ids.setdefault(channel, []).extend(more)
    return ids


def _take(rows, now, *, status: str | None = None) -> dict[str, list[int]]:
    """Locks the rows no other sweep holds, marks them as seen now (and moves them to `status`),
    and returns their ids per channel."""
    with transaction.atomic():
        taken = list(
            rows.select_for_update(skip_locked=True).order_by("id").values_list("id", "channel")[:SWEEP_LIMIT]
        )
        changes = {"updated_at": now} if status is None else {"updated_at": now, "status": status}
        if status == DeliveryStatus.CHECKING:
            changes["not_before"] = None
        Delivery.objects.filter(id__in=[pk for pk, _channel in taken]).update(**changes)
    ids: dict[str, list[int]] = {}
    for pk, channel in taken:
        ids.setdefault(channel, []).append(pk)
    return ids
