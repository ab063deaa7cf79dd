"""What is erased once kept long enough (declared in `alerts.personal_data`; Celery beat and the
apply_retention command run it)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ..models import Alert, AlertFlag, Delivery, InboundSms, SmsReportDraft

# Long enough for the limits that read them: one reply to an unknown number per 30 days.
INBOUND_SMS_RETENTION = timedelta(days=30)
# A report waiting for its community is used within 30 minutes or dropped.
SMS_DRAFT_RETENTION = timedelta(minutes=30)


def alerts_anonymise(*, now=None) -> int:
    """Alerts past the retention period keep only what the figures need: category, urgency,
    dates and communities. Their text, street, author and flags are erased."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ALERT_RETENTION_DAYS)
    old = Alert.objects.filter(created_at__lt=cutoff, anonymised_at__isnull=True)
    AlertFlag.objects.filter(alert__in=old).delete()
    return old.update(
        description="", street="", author=None, moderation_reason="", moderated_by=None, anonymised_at=now
    )


def deliveries_forget_addresses(*, now=None) -> int:
    """A delivery's phone number or email is kept 30 days, for support, then cleared."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.DELIVERY_ADDRESS_RETENTION_DAYS)
    return Delivery.objects.filter(created_at__lt=cutoff).exclude(to="").update(to="", updated_at=now)


def inbound_sms_forget(*, now=None) -> int:
    """The record of each SMS received (a digest of its sender, never its text) goes after 30
    days, and a report left waiting for its community after 30 minutes (its text with it)."""
    now = now or timezone.now()
    drafts, _ = SmsReportDraft.objects.filter(created_at__lt=now - SMS_DRAFT_RETENTION).delete()
    received, _ = InboundSms.objects.filter(received_at__lt=now - INBOUND_SMS_RETENTION).delete()
    return drafts + received
