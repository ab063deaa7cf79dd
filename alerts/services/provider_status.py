"""What the provider reports about a message or a call after accepting it (its status
callbacks), and the key a member pressed during a call."""

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
# A call's progress (CallStatus): answered and ended is delivered; not answered is failed
# (a voice delivery is not retried: the member has the alert by SMS or email as well).
_CALL_STATUS = {
    "queued": DeliveryStatus.SENT,
    "initiated": DeliveryStatus.SENT,
    "ringing": DeliveryStatus.SENT,
    "in-progress": DeliveryStatus.SENT,
    "completed": DeliveryStatus.DELIVERED,
    "busy": DeliveryStatus.FAILED,
    "no-answer": DeliveryStatus.FAILED,
    "failed": DeliveryStatus.FAILED,
    "canceled": DeliveryStatus.FAILED,
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
    updated = _move_forward(
        delivery_id=delivery_id,
        channel=Delivery.Channel.SMS,
        new=_PROVIDER_STATUS.get(status),
        provider_id=provider_id,
        error_code=error_code,
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


def call_status_from_provider(*, delivery_id: int, call_sid: str, status: str, error_code: str = "") -> bool:
    """A call's progress: its delivery moves forward only, and only the delivery the call was
    placed for (its provider id is this CallSid, or not recorded yet: an unknown outcome)."""
    return _move_forward(
        delivery_id=delivery_id,
        channel=Delivery.Channel.VOICE,
        new=_CALL_STATUS.get(status),
        provider_id=call_sid,
        error_code=error_code or status,  # busy, no-answer: Twilio sends no error code for them
    )


def call_acknowledge(*, delivery_id: int, call_sid: str) -> bool:
    """The member pressed 1 during the call: they heard the alert. Recorded once; the call
    proves the delivery too."""
    if not call_sid:
        return False
    return bool(
        Delivery.objects.filter(
            id=delivery_id,
            channel=Delivery.Channel.VOICE,
            provider_id__in=["", call_sid[:64]],
            acknowledged_at__isnull=True,
        ).update(acknowledged_at=timezone.now(), updated_at=timezone.now())
    )


def _move_forward(*, delivery_id: int, channel: str, new, provider_id: str, error_code: str) -> int:
    if new is None:
        return 0
    earlier = [s for s, rank in _RANK.items() if rank < _RANK[new]]
    fields = {"status": new, "updated_at": timezone.now(), "provider_id": provider_id[:64]}
    if new == DeliveryStatus.FAILED:
        fields["error_code"] = error_code[:16]
    return (
        Delivery.objects.filter(id=delivery_id, channel=channel, status__in=earlier)
        .filter(provider_id__in=["", provider_id])
        .update(**fields)
    )
