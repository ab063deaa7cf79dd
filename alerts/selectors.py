"""Reads about alerts and their deliveries, taking the viewing user."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.exceptions import NotFound
from accounts.roles import is_police_officer
from neighbourhoods.models import Community, Membership, NeighbourhoodReferent
from neighbourhoods.selectors import community_for_member, official_commune_id

from .models import Alert, Delivery, NotificationPreference

User = get_user_model()
Status = Membership.Status


def alert_recipients(alert: Alert) -> QuerySet:
    """Who is told of an alert: the members of its communities, or their referents for a notice."""
    return recipients_for(communities=alert.communities.all(), kind=alert.kind, author_id=alert.author_id)


def recipients_for(*, communities, kind: str, author_id: int | None = None) -> QuerySet:
    if kind == Alert.Kind.NOTICE:
        users = User.objects.filter(referent_roles__neighbourhood__communities__in=communities)
    else:
        users = User.objects.filter(
            memberships__community__in=communities, memberships__status=Status.APPROVED
        )
    if author_id:
        users = users.exclude(id=author_id)
    return users.filter(is_active=True).distinct().select_related("notification_preference").order_by("id")


def preference_of(user) -> NotificationPreference:
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def quiet_hours_end(preference: NotificationPreference, now: datetime) -> datetime | None:
    """When the member's quiet hours end, if `now` falls inside them; otherwise None."""
    start, end = preference.quiet_hours_start, preference.quiet_hours_end
    if start is None or end is None or start == end:
        return None
    local = timezone.localtime(now)
    current = local.time()
    inside = (start <= current < end) if start < end else (current >= start or current < end)
    if not inside:
        return None
    end_at = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if end_at <= local:
        end_at += timedelta(days=1)
    return end_at


def channels_for(user, urgency: str) -> list[str]:
    preference = preference_of(user)
    channels = []
    if preference.wants(urgency, "sms") and user.can_receive_sms:
        channels.append(Delivery.Channel.SMS)
    if preference.wants(urgency, "email") and user.email:
        channels.append(Delivery.Channel.EMAIL)
    return channels


def recipient_counts(*, communities, kind: str, urgency: str, author_id=None) -> dict:
    """How many people, and how many messages per channel, an alert would reach now."""
    counts = {"people": 0, "sms": 0, "email": 0}
    users = recipients_for(communities=communities, kind=kind, author_id=author_id)
    for user in users.iterator(chunk_size=2000):
        counts["people"] += 1
        for channel in channels_for(user, urgency):
            counts[channel] += 1
    return counts


def delivery_progress(alert: Alert) -> dict:
    """Counts per channel and status, e.g. {"sms": {"queued": 3, "sent": 10, ...}, "email": {...}}."""
    rows = (
        alert.deliveries.filter(purpose=Delivery.Purpose.ALERT)
        .values("channel", "status")
        .annotate(n=Count("id"))
    )
    progress = {
        channel: {status: 0 for status in Delivery.Status.values} for channel in Delivery.Channel.values
    }
    for row in rows:
        progress[row["channel"]][row["status"]] = row["n"]
    for channel in progress.values():
        channel["total"] = sum(channel.values())
    return progress


def still_delivering(alert: Alert, progress: dict) -> bool:
    """Whether delivery statuses may still change: something is waiting, being sent, or sent
    but not yet confirmed by the provider within the SMS validity period."""
    waiting = ("scheduled", "queued", "sending", "sent")
    if not any(row[status] for row in progress.values() for status in waiting):
        return False
    published = alert.published_at or alert.created_at
    return timezone.now() - published < timedelta(seconds=settings.SMS_VALIDITY_PERIOD)


# What members see ------------------------------------------------------------------


def community_feed(viewer, community_id: int) -> tuple[Community, QuerySet[Alert]]:
    community = community_for_member(viewer, community_id)
    alerts = (
        community.alerts.filter(Q(status=Alert.Status.PUBLISHED) | Q(status=Alert.Status.WITHDRAWN))
        .exclude(kind=Alert.Kind.NOTICE)
        .select_related("author")
        .order_by("-published_at")
    )
    return community, alerts


def can_see_progress(viewer, alert: Alert) -> bool:
    if alert.author_id == viewer.id:
        return True
    if is_police_officer(viewer) and official_commune_id(viewer) == alert.commune_id:
        return True
    return NeighbourhoodReferent.objects.filter(
        user=viewer, neighbourhood__communities__in=alert.communities.all()
    ).exists()


def alert_visible_to(viewer, alert_id: int) -> Alert:
    """An alert, for its author, the members of its communities, their referents and the
    commune's police; a notice only for referents and police. Anyone else gets 404."""
    if not viewer.is_authenticated:
        raise NotFound
    alert = Alert.objects.select_related("author", "commune").filter(id=alert_id).first()
    if alert is None:
        raise NotFound
    if alert.author_id == viewer.id or can_see_progress(viewer, alert):
        return alert
    if (
        alert.status not in (Alert.Status.PUBLISHED, Alert.Status.WITHDRAWN)
        or alert.kind == Alert.Kind.NOTICE
    ):
        raise NotFound
    is_member = Membership.objects.filter(
        user=viewer, community__in=alert.communities.all(), status=Status.APPROVED
    ).exists()
    if not is_member:
        raise NotFound
    return alert


def can_flag(viewer, alert: Alert) -> bool:
    """Whether the viewer (who sees the alert) may flag it as unfounded: only a published
    report by a member, and never their own. A police warning, a notice, or an alert that is
    waiting, rejected or withdrawn cannot be flagged."""
    return (
        alert.kind == Alert.Kind.MEMBER
        and alert.status == Alert.Status.PUBLISHED
        and alert.author_id != viewer.id
    )


def alerts_to_moderate(viewer) -> QuerySet[Alert]:
    """Alerts of the referent's neighbourhoods: waiting, or published with flags."""
    return (
        Alert.objects.filter(communities__neighbourhood__neighbourhoodreferent__user=viewer)
        .exclude(kind=Alert.Kind.NOTICE)
        .annotate(flag_count=Count("flags", distinct=True))
        .filter(Q(status=Alert.Status.PENDING) | Q(status=Alert.Status.PUBLISHED))
        .select_related("author")
        .prefetch_related("communities")
        .distinct()
        .order_by("-created_at")[:200]
    )


def notices_for_referent(viewer) -> QuerySet[Alert]:
    return (
        Alert.objects.filter(
            kind=Alert.Kind.NOTICE,
            status=Alert.Status.PUBLISHED,
            communities__neighbourhood__neighbourhoodreferent__user=viewer,
        )
        .distinct()
        .order_by("-published_at")[:50]
    )
