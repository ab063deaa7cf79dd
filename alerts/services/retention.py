"""What is erased once kept long enough (declared in `alerts.personal_data`; Celery beat and the
apply_retention command run it)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ..models import Alert, AlertFlag, Delivery


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
