"""Periodic jobs that make deliveries sendable again: those held by quiet hours whose time
has come, and those whose task was lost or whose worker died mid-send."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..channels.base import ChannelError
from ..channels.registry import get_channel
from ..models import Delivery

DeliveryStatus = Delivery.Status


def deliveries_release_scheduled() -> list[int]:
    """Quiet hours are over for these deliveries: queue them."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(status=DeliveryStatus.SCHEDULED, not_before__lte=now)
            .values_list("id", flat=True)[:10000]
        )
        Delivery.objects.filter(id__in=ids).update(status=DeliveryStatus.QUEUED, updated_at=now)
    return ids


def deliveries_recover_stuck() -> list[int]:
    """Finds deliveries whose task was lost or whose worker died, and makes them sendable again.

    A delivery left in SENDING may or may not have reached the provider: the channel is
    asked first, so that a message the provider already accepted is recorded, not re-sent.
    Only the claim found stuck is taken over: if the delivery was claimed again meanwhile,
    that new claim is left to its worker.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.DELIVERY_STUCK_AFTER)
    # A queued delivery waiting for its retry is lost only once its due time is long past.
    queued = list(
        Delivery.objects.filter(status=DeliveryStatus.QUEUED, updated_at__lt=stale)
        .filter(Q(not_before__isnull=True) | Q(not_before__lt=stale))
        .values_list("id", flat=True)[:10000]
    )
    for delivery in Delivery.objects.filter(status=DeliveryStatus.SENDING, updated_at__lt=stale)[:1000]:
        channel = get_channel(delivery.channel)
        try:
            provider_id = channel.find_sent(delivery)
        except ChannelError:
            continue  # cannot tell now; look again next time
        finally:
            channel.close()
        if provider_id and Delivery.objects.filter(provider_id=provider_id).exclude(id=delivery.id).exists():
            # The provider found the member's latest message, which was another delivery's
            # (a later alert): this one was not sent. Re-sending risks a duplicate, not a loss.
            provider_id = None
        stuck = Delivery.objects.filter(
            id=delivery.id, status=DeliveryStatus.SENDING, claim_id=delivery.claim_id
        )
        if provider_id:
            stuck.update(status=DeliveryStatus.SENT, provider_id=provider_id, sent_at=now, updated_at=now)
        elif stuck.update(status=DeliveryStatus.QUEUED, updated_at=now):
            queued.append(delivery.id)
    return queued
