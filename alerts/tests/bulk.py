"""Long histories of alerts for the pagination tests, in a few queries."""

from datetime import timedelta

from django.utils import timezone

from alerts.models import Alert


def bulk_alerts(
    community,
    count: int,
    *,
    author=None,
    status=Alert.Status.PUBLISHED,
    kind=Alert.Kind.MEMBER,
    prefix="Alerte",
):
    """`count` member's reports in `community`, "<prefix> 000" the oldest; returns them oldest first.
    Each is published (or created) a minute after the one before."""
    start = timezone.now() - timedelta(days=1)
    alerts = Alert.objects.bulk_create(
        Alert(
            kind=kind,
            author=author,
            commune=community.neighbourhood.commune,
            category=Alert.Category.SUSPICIOUS_VEHICLE,
            description=f"{prefix} {number:03d}",
            status=status,
            published_at=start + timedelta(minutes=number) if status != Alert.Status.PENDING else None,
        )
        for number in range(count)
    )
    Alert.communities.through.objects.bulk_create(
        # as the services do: the link carries the publication time the feed is sorted by
        Alert.communities.through(
            alert_id=alert.id, community_id=community.id, published_at=alert.published_at
        )
        for alert in alerts
    )
    for number, alert in enumerate(alerts):  # created_at is set on insert: spread it out as well
        alert.created_at = start + timedelta(minutes=number)
    Alert.objects.bulk_update(alerts, ["created_at"])
    return alerts
