"""The commune dashboard's figures, counted once per alert.

Reading every alert and delivery a commune ever had on each view of its dashboard costs more
every month (1.16 million deliveries for a city). Instead, once an alert's deliveries have
settled (TALLY_AFTER_DAYS after its publication: retries, quiet hours and SMS receipts are long
over), a periodic job adds the alert and its deliveries to per-month rows (AlertTally,
DeliveryTally) and marks it `tallied_at`. The dashboard reads those rows, plus the few alerts
of the last days, counted as they are (`alerts.figures`).
"""

from django.db import connection, transaction
from django.utils import timezone

from ..figures import alert_counts, delivery_counts, tally_cutoff
from ..models import Alert, AlertTally, Delivery, DeliveryTally

BATCH_SIZE = 500


def alerts_tally(*, now=None, batch_size: int = BATCH_SIZE) -> int:
    """Adds the settled alerts not yet counted to the figures, a batch per transaction;
    returns how many. Two runs at once take different alerts (skip locked)."""
    now = now or timezone.now()
    done = 0
    while True:
        with transaction.atomic():
            ids = list(
                Alert.objects.select_for_update(skip_locked=True)
                .filter(tallied_at__isnull=True, published_at__lt=tally_cutoff(now))
                .order_by("published_at")
                .values_list("id", flat=True)[:batch_size]
            )
            if not ids:
                return done
            _add_alerts(ids)
            _add_deliveries(ids)
            Alert.objects.filter(id__in=ids).update(tallied_at=now)
        done += len(ids)


def _add_alerts(ids) -> None:
    rows = alert_counts(Alert.objects.filter(id__in=ids))
    _upsert(AlertTally, ("commune_id", "month", "category", "urgency"), ("alerts",), rows)


def _add_deliveries(ids) -> None:
    rows = delivery_counts(Delivery.objects.filter(alert_id__in=ids))
    counts = ("total", "handed_off", "delivered", "failed")
    _upsert(DeliveryTally, ("commune_id", "month", "channel"), counts, rows)


def _upsert(model, keys: tuple, counts: tuple, rows: list[dict]) -> None:
    """Adds `counts` to the row of `keys`, creating it: one statement, safe under concurrency
    (the same on PostgreSQL and SQLite)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [connection.ops.quote_name(c) for c in (*keys, *counts)]
    conflict = ", ".join(connection.ops.quote_name(k) for k in keys)
    update = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns[len(keys) :])
    values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    params = []
    for row in rows:
        params += [_month(row[k]) if k == "month" else row[k] for k in keys]
        params += [row[c] for c in counts]
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values} "  # noqa: S608 (names quoted)
        f"ON CONFLICT ({conflict}) DO UPDATE SET {update}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _month(value):
    """TruncMonth gives an aware datetime in the current time zone: keep its date."""
    return value.date() if hasattr(value, "date") else value
