"""Reads about alerts and their deliveries, taking the viewing user."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Case, Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.exceptions import NotFound
from accounts.roles import is_police_officer
from neighbourhoods.models import Community, Membership, NeighbourhoodReferent
from neighbourhoods.selectors import community_for_member, official_commune_id

from .models import Alert, AlertFlag, Delivery, NotificationPreference

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


def channels_for(
    user, urgency: str, *, kind: str = Alert.Kind.MEMBER, called: set | None = None
) -> list[str]:
    """The channels an alert reaches the member on. A verified landline is called for urgent
    alerts only (quiet hours or not), never for a notice (whoever picks up would hear it), and
    once per alert: `called` collects the landlines of the alert being planned (a household)."""
    preference = preference_of(user)
    channels = []
    if preference.wants(urgency, "sms") and user.can_receive_sms:
        channels.append(Delivery.Channel.SMS)
    landline = str(user.landline) if user.landline and user.landline_verified_at else ""
    calls = urgency == Alert.Urgency.URGENT and kind != Alert.Kind.NOTICE
    if calls and landline and landline not in (called or ()):
        channels.append(Delivery.Channel.VOICE)
        if called is not None:
            called.add(landline)
    if preference.wants(urgency, "email") and user.email:
        channels.append(Delivery.Channel.EMAIL)
    return channels


def recipient_counts(*, communities, kind: str, urgency: str, author_id=None) -> dict:
    """How many people, and how many messages (and calls) per channel, an alert would reach now."""
    counts = {"people": 0, "sms": 0, "email": 0, "voice": 0}
    users = recipients_for(communities=communities, kind=kind, author_id=author_id)
    called: set[str] = set()
    for user in users.iterator(chunk_size=2000):
        counts["people"] += 1
        for channel in channels_for(user, urgency, kind=kind, called=called):
            counts[channel] += 1
    return counts


# How an alert's deliveries stand -------------------------------------------------------

# An SMS receipt usually comes within seconds; one that has not come after this will change
# the counts rarely enough that the progress page stops reloading for it (a reload shows it).
SMS_RECEIPT_WAIT = timedelta(minutes=10)

PROGRESS_BUCKETS = (
    "scheduled",
    "queued",
    "waiting_retry",
    "sending",
    "checking",
    "stuck",
    "sent",
    "delivered",
    "failed",
    "cancelled",
)


def _progress_buckets(now: datetime) -> dict[str, Q]:
    """The filters that put each delivery in exactly one of PROGRESS_BUCKETS, and `moving`
    (counted besides): the deliveries whose status may still change soon.

    - waiting_retry: queued again after a transient error, its retry not due yet;
    - stuck: sending for longer than DELIVERY_STUCK_AFTER (its worker died), or queued and
      untouched for DELIVERY_LOST_AFTER past its due time (its task was lost); the periodic
      recovery takes both up again within a minute;
    - queued: every other queued delivery: due, waiting for a worker;
    - sending, and every other bucket: the status itself.
    """
    status = Delivery.Status
    stuck_before = now - timedelta(seconds=settings.DELIVERY_STUCK_AFTER)
    lost_before = now - timedelta(seconds=settings.DELIVERY_LOST_AFTER)
    abandoned_before = now - timedelta(seconds=settings.SMS_VALIDITY_PERIOD)
    queued = Q(status=status.QUEUED)
    retry_later = queued & Q(attempts__gt=0, not_before__gt=now)
    lost = (
        queued & Q(updated_at__lt=lost_before) & (Q(not_before__isnull=True) | Q(not_before__lt=lost_before))
    )
    dead_worker = Q(status=status.SENDING, updated_at__lt=stuck_before)
    receipt_since = now - SMS_RECEIPT_WAIT
    receipt_may_come = Q(sent_at__gte=receipt_since) | Q(sent_at__isnull=True, updated_at__gte=receipt_since)
    buckets = {name: Q(status=name) for name in _AS_STORED}
    buckets.update(
        queued=queued & ~retry_later & ~lost,
        waiting_retry=retry_later,
        sending=Q(status=status.SENDING) & ~dead_worker,
        stuck=dead_worker | lost,
        moving=(
            Q(status__in=[status.QUEUED, status.SENDING, status.CHECKING], updated_at__gte=abandoned_before)
            | Q(status=status.SCHEDULED, not_before__lte=now, not_before__gte=abandoned_before)
            | (Q(channel=Delivery.Channel.SMS, status=status.SENT) & receipt_may_come)
        ),
    )
    return buckets


def delivery_progress(alert: Alert) -> dict:
    """Counts per channel, e.g. {"sms": {"queued": 3, "stuck": 0, "sent": 10, ..., "total": 14,
    "moving": 3}, "email": {...}}. The buckets are those of `_progress_buckets`.

    Two queries, both driven by the index delivery_alert_progress (alert, purpose, channel,
    status, updated_at): the count of each status, from the index alone; then the few rows
    whose bucket needs more than their status (waiting, being sent, checked, or an SMS sent in
    the last minutes whose receipt may come). A warning to a whole city has 44,000 deliveries:
    reading every row on each refresh of its page cost 50-100 ms. For an urgent alert, a third
    counts the `acknowledged` (answered OK) from the partial index delivery_acknowledged."""
    now = timezone.now()
    deliveries = Delivery.objects.filter(alert=alert, purpose=Delivery.Purpose.ALERT)
    empty = dict.fromkeys((*PROGRESS_BUCKETS, "total", "moving", "acknowledged"), 0)
    progress = {channel: dict(empty) for channel in Delivery.Channel.values}
    for row in deliveries.values("channel", "status").annotate(n=Count("*")).order_by():
        counts = progress[row["channel"]]
        counts["total"] += row["n"]
        if row["status"] in _AS_STORED:
            counts[row["status"]] += row["n"]
    buckets = _progress_buckets(now)
    detailed = {name: buckets[name] for name in ("queued", "waiting_retry", "sending", "stuck", "moving")}
    receipt_since = now - SMS_RECEIPT_WAIT
    rows = (
        deliveries.filter(
            Q(status__in=_NOT_FINAL)
            | Q(channel=Delivery.Channel.SMS, status=Delivery.Status.SENT, updated_at__gte=receipt_since)
        )
        .values("channel")
        .annotate(**{name: Count("id", filter=q) for name, q in detailed.items()})
        .order_by()
    )
    for row in rows:
        progress[row.pop("channel")].update(row)
    acknowledged = deliveries.filter(acknowledged_at__isnull=False).values("channel").annotate(n=Count("*"))
    for row in acknowledged.order_by() if alert.urgency == Alert.Urgency.URGENT else ():
        progress[row["channel"]]["acknowledged"] = row["n"]
    return progress


_AS_STORED = ("scheduled", "checking", "sent", "delivered", "failed", "cancelled")
# The statuses whose bucket, or whether they may still change, depends on their times.
_NOT_FINAL = (
    Delivery.Status.QUEUED,
    Delivery.Status.SENDING,
    Delivery.Status.SCHEDULED,
    Delivery.Status.CHECKING,
)


def still_delivering(progress: dict) -> bool:
    """Whether the progress page should reload itself: True while some delivery may still
    change soon (`moving`), False once every one is final for this purpose:

    - delivered, failed, cancelled;
    - an email that is sent (mail servers send no receipt);
    - an SMS sent over SMS_RECEIPT_WAIT (10 minutes) ago: Twilio's receipt usually comes within
      seconds, and a late one (a phone switched off) shows at the next visit;
    - one held by quiet hours that do not end now (it will not move for hours);
    - a queued, sending or checking one (or one whose quiet hours ended) that nothing has
      touched for SMS_VALIDITY_PERIOD: the workers or the recovery are down, and a page left
      open must not reload for ever. Within that time, a stuck one keeps the page reloading:
      the recovery takes it up within a minute.
    """
    return any(row["moving"] for row in progress.values())


# What members see ------------------------------------------------------------------


def community_feed(viewer, community_id: int) -> tuple[Community, QuerySet[Alert]]:
    community = community_for_member(viewer, community_id)
    alerts = (
        Alert.objects.filter(
            Q(status=Alert.Status.PUBLISHED) | Q(status=Alert.Status.WITHDRAWN),
            alertcommunity__community=community,
        )
        .exclude(kind=Alert.Kind.NOTICE)
        # The link's copy of the publication time: read in the index alert_community_feed,
        # newest first, without sorting the community's whole history.
        .order_by("-alertcommunity__published_at", "-id")
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


COMMUNITIES_SHOWN = 20


def communities_shown(viewer, alert: Alert) -> tuple[list[Community], int]:
    """The alert's communities that the viewer is a member of (their feeds are linked), at
    most COMMUNITIES_SHOWN, and how many others it went to: a warning to a whole city goes to
    500 communities, which no page lists."""
    mine = list(
        alert.communities.filter(memberships__user=viewer, memberships__status=Status.APPROVED).order_by(
            "name"
        )[:COMMUNITIES_SHOWN]
    )
    return mine, alert.communities.count() - len(mine)


def can_flag(viewer, alert: Alert) -> bool:
    """Whether the viewer (who sees the alert) may flag it as unfounded: only a published
    report by a member, and never their own. A police warning, a notice, or an alert that is
    waiting, rejected or withdrawn cannot be flagged."""
    return (
        alert.kind == Alert.Kind.MEMBER
        and alert.status == Alert.Status.PUBLISHED
        and alert.author_id != viewer.id
    )


def alerts_moderated_by(viewer) -> QuerySet[Alert]:
    """The alerts a referent approves, rejects and withdraws: members' reports whose every
    community is in a neighbourhood they are referent of. A police warning or a notice is the
    police's to withdraw (`police_alert_withdraw`), never a referent's, even in their own
    neighbourhood: it speaks for the police, often to communities the referent has no role in."""
    if not viewer.is_authenticated:
        return Alert.objects.none()
    theirs = Community.objects.filter(neighbourhood__neighbourhoodreferent__user=viewer)
    links = Alert.communities.through.objects.filter(alert_id=OuterRef("pk"))
    return Alert.objects.filter(
        Exists(links.filter(community__in=theirs)),
        ~Exists(links.exclude(community__in=theirs)),
        kind=Alert.Kind.MEMBER,
    )


def flags_for_moderator(viewer, alert: Alert) -> list[AlertFlag]:
    """The flags on an alert, oldest first, for the referents who moderate it: why and when,
    not who (a member may flag without fearing the author hears of it)."""
    if not alerts_moderated_by(viewer).filter(id=alert.id).exists():
        return []
    return list(alert.flags.order_by("created_at", "id"))


def communities_with_log_for_referent(viewer) -> QuerySet[Community]:
    """The communities whose moderation log the referent keeps: those of their neighbourhoods."""
    if not viewer.is_authenticated:
        return Community.objects.none()
    return Community.objects.filter(neighbourhood__neighbourhoodreferent__user=viewer).order_by("name", "id")


def alerts_to_moderate(viewer, *, every_published: bool = False) -> QuerySet[Alert]:
    """What needs the referent (`alerts_moderated_by`): alerts waiting for approval, then
    published alerts that members flagged; newest first within each. An unflagged published
    alert needs nothing: it stays in the community's feed. `every_published` adds those too,
    for a referent who wants to withdraw one nobody flagged."""
    published = Q(status=Alert.Status.PUBLISHED)
    if not every_published:
        published &= Q(Exists(AlertFlag.objects.filter(alert_id=OuterRef("pk"))))
    own_communities = Community.objects.filter(neighbourhood__neighbourhoodreferent__user=viewer)
    return (
        alerts_moderated_by(viewer)
        .filter(Q(status=Alert.Status.PENDING) | published)
        .annotate(
            flag_count=Count("flags", distinct=True),
            waiting_first=Case(When(status=Alert.Status.PENDING, then=Value(0)), default=Value(1)),
        )
        .select_related("author")
        # Only the referent's own communities (all of a member's alert's, by alerts_moderated_by).
        .prefetch_related(
            Prefetch("communities", queryset=own_communities.order_by("name")),
            Prefetch("flags", queryset=AlertFlag.objects.order_by("created_at", "id"), to_attr="flag_list"),
        )
        .order_by("waiting_first", "-created_at", "-id")
    )


def notices_for_referent(viewer) -> QuerySet[Alert]:
    """The police's confidential notices to the viewer as referent, newest first."""
    if not viewer.is_authenticated:
        return Alert.objects.none()
    links = Alert.communities.through.objects.filter(
        alert_id=OuterRef("pk"), community__neighbourhood__neighbourhoodreferent__user=viewer
    )
    return Alert.objects.filter(
        Exists(links), kind=Alert.Kind.NOTICE, status=Alert.Status.PUBLISHED
    ).order_by("-published_at", "-id")


def next_alert_id() -> int:
    """The number the next alert will get if nobody publishes first (its SMS link shows it):
    read from the table's sequence, nothing reserved."""
    table = Alert._meta.db_table
    row = None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]  # quoted by PostgreSQL itself
            if sequence:
                cursor.execute(f"SELECT last_value + is_called::int FROM {sequence}")  # noqa: S608
                row = cursor.fetchone()
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT seq + 1 FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
    return row[0] if row else (Alert.objects.aggregate(last=Max("id"))["last"] or 0) + 1


def account_exists(user_id: int) -> bool:
    """Whether an unsubscribe link still names an account (it may predate its deletion)."""
    return get_user_model().objects.filter(id=user_id).exists()
