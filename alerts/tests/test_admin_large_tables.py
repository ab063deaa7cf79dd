"""The admin lists of the big tables (users, memberships, alerts, deliveries) never count the
whole table on a view."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.admin_base import LargeTablePaginator
from alerts.models import Delivery
from alerts.tests.factories import AlertFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(LargeTablePaginator, "COUNT_CAP", 5)


def _deliveries(alert, n):
    Delivery.objects.bulk_create(
        [Delivery(alert=alert, recipient=None, channel="email", to=f"x{i}@example.com") for i in range(n)]
    )


def test_a_short_list_is_counted_exactly(small_cap):
    _deliveries(AlertFactory(), 4)
    assert LargeTablePaginator(Delivery.objects.order_by("id"), 2).count == 4


def test_a_long_filtered_list_is_counted_up_to_the_cap(small_cap):
    _deliveries(AlertFactory(), 12)
    paginator = LargeTablePaginator(Delivery.objects.filter(channel="email").order_by("id"), 2)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 5
    assert "LIMIT 6" in queries.captured_queries[0]["sql"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the estimate is PostgreSQL's")
def test_a_long_unfiltered_list_shows_the_planners_estimate(small_cap):
    _deliveries(AlertFactory(), 40)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE alerts_delivery")
    assert LargeTablePaginator(Delivery.objects.order_by("id"), 2).count == 40


@pytest.mark.parametrize(
    "model", ["accounts.user", "neighbourhoods.membership", "alerts.alert", "alerts.delivery"]
)
def test_big_tables_use_the_capped_paginator(model):
    model_admin = admin.site._registry[next(m for m in admin.site._registry if m._meta.label_lower == model)]
    assert model_admin.paginator is LargeTablePaginator
    assert model_admin.show_full_result_count is False


def test_delivery_list_does_not_count_the_whole_table(admin_client, small_cap):
    _deliveries(AlertFactory(), 12)
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(reverse("admin:alerts_delivery_changelist"))
    assert response.status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 6" in sql for sql in counts)


def test_alert_list_reads_no_date_of_every_alert(admin_client):
    """A date hierarchy would read the year of every alert on each view; a date filter does not."""
    alert = AlertFactory()
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(
            reverse("admin:alerts_alert_changelist"), {"created_at__gte": "2020-01-01 00:00:00+00:00"}
        )
    assert response.status_code == 200
    assert str(alert) in response.content.decode()
    assert not [q for q in queries.captured_queries if "DISTINCT" in q["sql"] and "alerts_alert" in q["sql"]]
