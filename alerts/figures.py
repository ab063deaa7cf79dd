"""Reads of a commune's figures for its dashboard: the monthly tallies (services.tally) plus
the alerts of the last days, not tallied yet. Their cost does not grow with the history."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import Alert, AlertTally, Delivery, DeliveryTally

HANDED_OFF = (Delivery.Status.SENT, Delivery.Status.DELIVERED)


def tally_cutoff(now=None) -> datetime:
    """Alerts published before this have settled and are counted in AlertTally and
    DeliveryTally once the periodic job has run; the others are counted as they are."""
    return (now or timezone.now()) - timedelta(days=settings.TALLY_AFTER_DAYS)


def alert_counts(alerts: QuerySet[Alert]) -> list[dict]:
    """Alerts per (commune_id, month, category, urgency): the shape of AlertTally."""
    return list(
        alerts.annotate(month=TruncMonth("published_at"))
        .values("commune_id", "month", "category", "urgency")
        .annotate(alerts=Count("id"))
        .order_by()
    )


def delivery_counts(deliveries: QuerySet[Delivery]) -> list[dict]:
    """Alert messages per (commune_id, month, channel) and how they ended: the shape of
    DeliveryTally."""
    return list(
        deliveries.filter(purpose=Delivery.Purpose.ALERT)
        .annotate(month=TruncMonth("alert__published_at"), commune_id=F("alert__commune_id"))
        .values("commune_id", "month", "channel")
        .annotate(
            total=Count("id"),
            handed_off=Count("id", filter=Q(status__in=HANDED_OFF)),
            delivered=Count("id", filter=Q(status=Delivery.Status.DELIVERED)),
            failed=Count("id", filter=Q(status=Delivery.Status.FAILED)),
        )
        .order_by()
    )


def commune_alerts_per_month(commune_id: int, *, months: int) -> list[dict]:
    """The commune's published alerts per (month, category, urgency) over the last `months`
    months, newest first: the tallies, plus the alerts not tallied yet (a few days' worth)."""
    today = timezone.localdate()
    first = today.year * 12 + today.month - 1 - (months - 1)  # months since year 0, counted from 0
    since = date(first // 12, first % 12 + 1, 1)
    tallied = AlertTally.objects.filter(commune_id=commune_id, month__gte=since).values(
        "month", "category", "urgency", "alerts"
    )
    live = alert_counts(
        Alert.objects.filter(commune_id=commune_id, tallied_at__isnull=True, published_at__isnull=False)
    )
    return _merge(("month", "category", "urgency"), ("alerts",), tallied, live, since=since)


def commune_delivery_totals(commune_id: int) -> list[dict]:
    """The commune's alert messages per channel, ever: total, handed off, delivered, failed."""
    tallied = (
        DeliveryTally.objects.filter(commune_id=commune_id)
        .values("channel")
        .annotate(
            total=Sum("total"), handed_off=Sum("handed_off"), delivered=Sum("delivered"), failed=Sum("failed")
        )
        .order_by()
    )
    return _merge(
        ("channel",), ("total", "handed_off", "delivered", "failed"), tallied, _live_deliveries(commune_id)
    )


def _untallied_alert_ids(commune_id: int) -> list[int]:
    """The commune's published alerts not tallied yet: those of the last TALLY_AFTER_DAYS."""
    return list(
        Alert.objects.filter(
            commune_id=commune_id, tallied_at__isnull=True, published_at__isnull=False
        ).values_list("id", flat=True)
    )


def _live_deliveries(commune_id: int) -> list[dict]:
    """The alert messages of the untallied alerts per channel, counted from the index
    delivery_alert_progress alone (alert, purpose, channel, status): the alert ids are read
    first, so that the planner knows how few they are."""
    ids = _untallied_alert_ids(commune_id)
    if not ids:
        return []
    rows = (
        Delivery.objects.filter(alert_id__in=ids, purpose=Delivery.Purpose.ALERT)
        .values("channel", "status")
        .annotate(n=Count("*"))
        .order_by()
    )
    totals: dict[str, dict] = {}
    for row in rows:
        entry = totals.setdefault(
            row["channel"],
            {"channel": row["channel"], "total": 0, "handed_off": 0, "delivered": 0, "failed": 0},
        )
        entry["total"] += row["n"]
        entry["handed_off"] += row["n"] if row["status"] in HANDED_OFF else 0
        entry["delivered"] += row["n"] if row["status"] == Delivery.Status.DELIVERED else 0
        entry["failed"] += row["n"] if row["status"] == Delivery.Status.FAILED else 0
    return list(totals.values())


def receipt_rate(row: dict) -> float | None:
    """The share of messages confirmed received (delivered), in percent, among those whose
    outcome is known (delivered or failed). None while no message is confirmed delivered: a
    message only handed to the provider (sent) may still fail, and email has no receipts, so
    "sent" must never read as "received"."""
    if not row["delivered"]:
        return None
    return round(100 * row["delivered"] / (row["delivered"] + row["failed"]), 1)


def commune_alert_total(commune_id: int) -> int:
    tallied = AlertTally.objects.filter(commune_id=commune_id).aggregate(n=Sum("alerts"))["n"] or 0
    live = Alert.objects.filter(
        commune_id=commune_id, tallied_at__isnull=True, published_at__isnull=False
    ).count()
    return tallied + live


def _merge(keys: tuple, counts: tuple, *sources, since=None) -> list[dict]:
    totals: dict[tuple, dict] = {}
    for rows in sources:
        for row in rows:
            month = row.get("month")
            if month is not None and hasattr(month, "date"):
                month = row["month"] = month.date()  # TruncMonth: an aware datetime
            if since is not None and month < since:
                continue
            key = tuple(row[k] for k in keys)
            entry = totals.setdefault(key, {**{k: row[k] for k in keys}, **dict.fromkeys(counts, 0)})
            for name in counts:
                entry[name] += row[name] or 0
    return [totals[key] for key in sorted(totals, reverse=True)]
