"""What every app's admin shares."""

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property


class ReadOnlyAdmin(admin.ModelAdmin):
    """Seen, never written here: rows that only the services write (flags, deliveries,
    invoices, memberships decided by referents)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LargeTablePaginator(Paginator):
    """Django's paginator counts every row of the list on every view: 3 million deliveries
    cost a scan each time. This one counts at most COUNT_CAP rows; past that, the list says
    "more than 10,000" rows in effect (the admin's last pages are reached by filtering or
    searching, as people do). An unfiltered list of a PostgreSQL table shows the planner's
    estimate instead, which is kept current by autovacuum."""

    COUNT_CAP = 10_000

    @cached_property
    def count(self):
        queryset = self.object_list
        capped = queryset.order_by()[: self.COUNT_CAP + 1].count()
        if capped <= self.COUNT_CAP:
            return capped
        estimate = _estimated_rows(queryset) if not queryset.query.where else None
        return max(estimate or 0, self.COUNT_CAP)


def _estimated_rows(queryset) -> int | None:
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table]
        )
        row = cursor.fetchone()
    return row[0] if row and row[0] > 0 else None
