"""The commune's figures are counted once per alert, after it has settled, and read the same
before and after: the dashboard no longer reads every delivery ever made."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alerts import figures
from alerts.models import Alert, AlertTally, Delivery, DeliveryTally
from alerts.services.tally import alerts_tally
from alerts.tests.factories import AlertFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _alert(commune, *, published_at, statuses=(), channel="sms", **fields):
    alert = AlertFactory(commune=commune, published_at=published_at, **fields)
    Alert.objects.filter(id=alert.id).update(created_at=published_at)
    Delivery.objects.bulk_create(
        [
            Delivery(alert=alert, recipient=None, channel=channel, to=f"to-{i}", status=status)
            for i, status in enumerate(statuses)
        ]
    )
    return alert


@pytest.fixture
def history(community):
    commune = community.neighbourhood.commune
    return [
        _alert(commune, published_at=NOW - timedelta(days=40), statuses=["delivered", "delivered", "failed"]),
        _alert(commune, published_at=NOW - timedelta(days=35), statuses=["sent", "queued"], channel="email"),
        _alert(commune, published_at=NOW - timedelta(days=3), statuses=["sent"], urgency="urgent"),
        # Published an hour ago: its messages may still change, it is not counted yet.
        _alert(commune, published_at=NOW - timedelta(hours=1), statuses=["sending", "queued"]),
    ]


def _figures(commune):
    return (
        figures.commune_delivery_totals(commune.id),
        figures.commune_alerts_per_month(commune.id, months=24),
        figures.commune_alert_total(commune.id),
    )


def test_settled_alerts_are_counted_once_and_recent_ones_wait(community, history):
    assert alerts_tally(now=NOW) == 3
    assert alerts_tally(now=NOW) == 0  # already counted: nothing is added twice
    tallied = set(Alert.objects.filter(tallied_at__isnull=False).values_list("id", flat=True))
    assert tallied == {a.id for a in history[:3]}
    sms = DeliveryTally.objects.filter(channel="sms")
    assert sum(t.total for t in sms) == 4
    assert sum(t.handed_off for t in sms) == 3
    assert sum(t.delivered for t in sms) == 2
    assert sum(t.failed for t in sms) == 1
    email = DeliveryTally.objects.get(channel="email")
    assert (email.total, email.handed_off) == (2, 1)
    assert sum(t.alerts for t in AlertTally.objects.all()) == 3
    assert AlertTally.objects.get(urgency="urgent").month == datetime(2026, 11, 1).date()


def test_figures_are_the_same_before_and_after_the_tally(community, history):
    commune = community.neighbourhood.commune
    before = _figures(commune)
    alerts_tally(now=NOW)
    assert _figures(commune) == before
    sms = next(row for row in before[0] if row["channel"] == "sms")
    assert (sms["total"], sms["handed_off"], sms["delivered"], sms["failed"]) == (6, 3, 2, 1)
    assert before[2] == 4


def test_dashboard_reads_the_tallies_not_the_old_deliveries(client, mayor_office, community, history):
    """Once counted, an alert's deliveries are no longer read: erasing them (as if years of
    history were there) changes nothing on the dashboard."""
    alerts_tally(now=NOW)
    Delivery.objects.filter(alert__in=history[:3]).delete()
    client.force_login(mayor_office)
    response = client.get(reverse("commune_dashboard", args=[community.neighbourhood.commune.insee_code]))
    deliveries = {row["channel"]: row for row in response.context["dashboard"].deliveries}
    assert deliveries["sms"]["total"] == 6
    assert deliveries["email"]["total"] == 2
    assert response.context["dashboard"].totals["alerts"] == 4


def test_dashboard_queries_do_not_grow_with_history(client, mayor_office, community, history):
    commune = community.neighbourhood.commune
    alerts_tally(now=timezone.now())
    client.force_login(mayor_office)
    url = reverse("commune_dashboard", args=[commune.insee_code])
    client.get(url)  # what every page reads once and keeps (the service's identity)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for days in range(100, 400, 10):
        _alert(commune, published_at=timezone.now() - timedelta(days=days), statuses=["sent", "delivered"])
    alerts_tally(now=timezone.now())
    with CaptureQueriesContext(connection) as later:
        client.get(url)
    assert len(later.captured_queries) == len(first.captured_queries)
    reads_deliveries = [q["sql"] for q in later.captured_queries if '"alerts_delivery"' in q["sql"]]
    # Only the deliveries of the alerts not counted yet are read, by their ids.
    assert reads_deliveries and all('"alert_id" IN' in sql for sql in reads_deliveries)


def test_alerts_per_month_covers_the_last_two_years_only(community):
    commune = community.neighbourhood.commune
    _alert(commune, published_at=timezone.now() - timedelta(days=3 * 365))
    _alert(commune, published_at=timezone.now() - timedelta(days=30))
    alerts_tally()
    months = figures.commune_alerts_per_month(commune.id, months=24)
    assert sum(row["alerts"] for row in months) == 1
    assert figures.commune_alert_total(commune.id) == 2  # the total keeps the whole history


def test_pending_and_rejected_alerts_are_never_counted(community):
    commune = community.neighbourhood.commune
    AlertFactory(commune=commune, status=Alert.Status.PENDING, published_at=None)
    AlertFactory(commune=commune, status=Alert.Status.REJECTED, published_at=None)
    assert alerts_tally(now=timezone.now() + timedelta(days=30)) == 0
    assert figures.commune_alert_total(commune.id) == 0


def test_other_communes_are_counted_apart(community, other_community):
    mine, theirs = community.neighbourhood.commune, other_community.neighbourhood.commune
    _alert(mine, published_at=NOW - timedelta(days=10), statuses=["sent"])
    _alert(theirs, published_at=NOW - timedelta(days=10), statuses=["sent", "sent", "sent"])
    alerts_tally(now=NOW)
    assert figures.commune_delivery_totals(mine.id)[0]["total"] == 1
    assert figures.commune_delivery_totals(theirs.id)[0]["total"] == 3


def test_two_years_are_24_months_this_one_included(community):
    commune = community.neighbourhood.commune
    today = timezone.localdate()
    for months_back in (0, 23, 24):
        index = today.year * 12 + today.month - 1 - months_back
        published = timezone.make_aware(datetime(index // 12, index % 12 + 1, 15, 12))
        _alert(commune, published_at=published)
    months = figures.commune_alerts_per_month(commune.id, months=24)
    assert len(months) == 2  # this month and 23 months ago; 24 months ago is out
