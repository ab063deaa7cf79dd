"""What the SMS provider reports about a message after accepting it (its status callbacks)."""

from django.utils import timezone

from ..models import Delivery
from ..sms_backends import OPTED_OUT_CODE
from .preferences import sms_opt_out

DeliveryStatus = Delivery.Status
_PROVIDER_STATUS = {
    "accepted": DeliveryStatus.SENT,
    "queued": DeliveryStatus.SENT,
    "sending": DeliveryStatus.SENT,
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.DELIVERED,
    "undelivered": DeliveryStatus.FAILED,
    "failed": DeliveryStatus.FAILED,
}
# A status only moves forward: a late "sent" never overwrites "delivered".
_RANK = {
    DeliveryStatus.SCHEDULED: 0,
    DeliveryStatus.QUEUED: 0,
    DeliveryStatus.SENDING: 1,
    DeliveryStatus.CHECKING: 1,
    DeliveryStatus.SENT: 2,
    DeliveryStatus.DELIVERED: 3,
    DeliveryStatus.FAILED: 3,
    DeliveryStatus.CANCELLED: 3,
}


def delivery_status_from_provider(
    *, delivery_id: int, provider_id: str, status: str, error_code: str = ""
) -> bool:
    new = _PROVIDER_STATUS.get(status)
    if new is None:
        return False
    earlier = [s for s, rank in _RANK.items() if rank < _RANK[new]]
    fields = {"status": new, "updated_at": timezone.now(), "provider_id": provider_id[:64]}
    if new == DeliveryStatus.FAILED:
        fields["error_code"] = error_code[:16]
    updated = (
        Delivery.objects.filter(id=delivery_id, channel=Delivery.Channel.SMS, status__in=earlier)
        .filter(provider_id__in=["", provider_id])
        .update(**fields)
    )
    if error_code == OPTED_OUT_CODE and provider_id:
        # Only the message this callback is about: the delivery just updated (which now carries
        # this MessageSid) or an earlier-updated one with the same MessageSid; a callback naming
        # one delivery with another delivery's MessageSid opts no one out.
        delivery = Delivery.objects.filter(
            id=delivery_id, channel=Delivery.Channel.SMS, provider_id=provider_id[:64]
        ).first()
        if delivery:
            sms_opt_out(phone=delivery.to)
    return bool(updated)
