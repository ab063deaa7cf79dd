"""What the alerts app holds about a person: the alerts they wrote or moderated, their flags,
notification preferences, phone verifications and the messages addressed to them."""

from django.utils import timezone

from accounts.privacy import PersonalData, admin_log_forget, iso, register

from . import checkin_personal_data  # noqa: F401 - registers the check-in's declaration
from .models import (
    Alert,
    AlertFlag,
    Delivery,
    InboundSms,
    NotificationPreference,
    PhoneVerification,
    SmsReportDraft,
)
from .services.inbound import sender_key
from .services.retention import alerts_anonymise, deliveries_forget_addresses, inbound_sms_forget

DELIVERY_COLUMNS = ("alert_id", "channel", "purpose", "status", "to", "created_at", "sent_at")


def export(user) -> dict:
    return {
        "alerts_written": _alerts_written(user),
        "alerts_moderated": [
            {"alert": pk, "status": status, "moderated_at": iso(at)}
            for pk, status, at in Alert.objects.filter(moderated_by=user)
            .order_by("moderated_at", "id")
            .values_list("id", "status", "moderated_at")
        ],
        "flags": [
            {"alert": pk, "reason": reason, "at": iso(at)}
            for pk, reason, at in AlertFlag.objects.filter(user=user)
            .order_by("created_at", "id")
            .values_list("alert_id", "reason", "created_at")
        ],
        "notification_preferences": _preferences(user),
        # When a code was asked for and used; never the code (its hash) itself.
        "phone_verifications": [
            {"requested_at": iso(requested), "verified_at": iso(used)}
            for requested, used in PhoneVerification.objects.filter(user=user)
            .order_by("created_at", "id")
            .values_list("created_at", "used_at")
        ],
        "messages_received": _deliveries(user),
        "sms_sent_to_the_platform": _inbound_sms(user),
    }


def _alerts_written(user) -> list[dict]:
    alerts = Alert.objects.filter(author=user).prefetch_related("communities").order_by("created_at", "id")
    return [
        {
            "id": alert.id,
            "kind": alert.kind,
            "category": alert.category,
            "urgency": alert.urgency,
            "description": alert.description,
            "street": alert.street,
            "occurred_at": iso(alert.occurred_at),
            "status": alert.status,
            "created_at": iso(alert.created_at),
            "published_at": iso(alert.published_at),
            "moderated_at": iso(alert.moderated_at),
            "moderation_reason": alert.moderation_reason,
            "communities": sorted(community.name for community in alert.communities.all()),
        }
        for alert in alerts.iterator(chunk_size=500)
    ]


def _preferences(user) -> dict | None:
    preference = NotificationPreference.objects.filter(user=user).first()
    if preference is None:
        return None
    return {
        **{name: getattr(preference, name) for name in NotificationPreference.CHANNEL_FIELDS},
        "quiet_hours_start": iso(preference.quiet_hours_start),
        "quiet_hours_end": iso(preference.quiet_hours_end),
    }


def _deliveries(user) -> list[dict]:
    """Every message sent (or to be sent) to them: one row per alert and channel, so it grows
    with the alerts of their communities. Read in chunks, only the columns given."""
    rows = Delivery.objects.filter(recipient=user).order_by("created_at", "id").values_list(*DELIVERY_COLUMNS)
    return [
        {
            "alert": alert_id,
            "channel": channel,
            "purpose": purpose,
            "status": status,
            "sent_to": to,
            "created_at": iso(created_at),
            "sent_at": iso(sent_at),
        }
        for alert_id, channel, purpose, status, to, created_at, sent_at in rows.iterator(chunk_size=2000)
    ]


def _sender_keys(user) -> list[str]:
    return [sender_key(user.phone.as_e164)] if user.phone and user.phone.is_valid() else []


def _inbound_sms(user) -> dict:
    """What is kept of the SMS sent from their number: when, and how each was handled (the
    reply, never the text), and a report waiting for them to choose its community."""
    keys = _sender_keys(user)
    received = InboundSms.objects.filter(sender_key__in=keys).order_by("received_at", "id")
    draft = SmsReportDraft.objects.filter(sender_key__in=keys).first()
    return {
        "received": [
            {"received_at": iso(at), "handled_as": handled_as, "reply": reply}
            for at, handled_as, reply in received.values_list("received_at", "handled_as", "reply")
        ],
        "report_waiting": {"text": draft.body, "at": iso(draft.created_at)} if draft else None,
    }


def erase(user) -> None:
    # Flags, notification preferences and phone verifications go with the account (cascade).
    _erase_alerts_written(user)
    keys = _sender_keys(user)
    InboundSms.objects.filter(sender_key__in=keys).delete()
    SmsReportDraft.objects.filter(sender_key__in=keys).delete()
    _erase_deliveries(user)
    admin_log_forget(AlertFlag.objects.filter(user=user))


def _erase_alerts_written(user) -> None:
    """Published (or since withdrawn) alerts were sent to the community: they are its record of
    what happened and stay, without their author, until `alerts_anonymise` erases their text
    like any other's. An alert waiting for approval never reached anyone and goes; a rejected
    one keeps only what the figures need, as `alerts_anonymise` would leave it."""
    written = Alert.objects.filter(author=user)
    written.filter(status=Alert.Status.PENDING).delete()
    written.filter(status=Alert.Status.REJECTED).update(
        description="", street="", moderation_reason="", anonymised_at=timezone.now()
    )


def _erase_deliveries(user) -> None:
    """Deliveries stay for the alerts' figures, not the address they went to: `to`, and the
    provider's error text, which may quote it. What was not sent yet will not be."""
    deliveries = Delivery.objects.filter(recipient=user)
    admin_log_forget(deliveries)
    deliveries.filter(status__in=[Delivery.Status.QUEUED, Delivery.Status.SCHEDULED]).update(
        status=Delivery.Status.CANCELLED, updated_at=timezone.now()
    )
    deliveries.exclude(to="", error_message="").update(to="", error_message="")


register(
    PersonalData(
        app="alerts",
        models=(
            "alerts.Alert",
            "alerts.AlertFlag",
            "alerts.Delivery",
            "alerts.NotificationPreference",
            "alerts.PhoneVerification",
            "alerts.InboundSms",
            "alerts.SmsReportDraft",
        ),
        export=export,
        erase=erase,
        retention={
            "alerts_anonymised": alerts_anonymise,
            "delivery_addresses_cleared": deliveries_forget_addresses,
            "inbound_sms_forgotten": inbound_sms_forget,
        },
        notes=(
            "An alert keeps its text, street and author for ALERT_RETENTION_DAYS; then only its "
            "category, urgency, dates and communities remain, and its flags are deleted.",
            "The phone number or email address a message was sent to is kept "
            "DELIVERY_ADDRESS_RETENTION_DAYS, for support, then cleared.",
            "When an account is erased, the alerts it published stay without an author until "
            "then; those waiting for approval are deleted, rejected ones emptied at once.",
            "An SMS sent to the platform's number is recorded 30 days without its text, its "
            "sender only as a keyed digest (for the rate limits and the reply to unknown "
            "numbers); a report waiting for its community is deleted after 30 minutes.",
        ),
    )
)
