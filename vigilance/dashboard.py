"""The commune dashboard for a mayor's office: counts only, never a person's data."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from accounts.exceptions import NotFound
from accounts.roles import is_mayor_office
from alerts.models import Alert, Delivery
from neighbourhoods.models import Community, Membership, Neighbourhood
from neighbourhoods.selectors import official_commune
from shop.models import Order, OrderLine

Status = Membership.Status


@dataclass
class Dashboard:
    commune: object
    neighbourhoods: list[dict] = field(default_factory=list)
    without_referent: list[str] = field(default_factory=list)
    alerts_by_month: list[dict] = field(default_factory=list)
    month_totals: list[dict] = field(default_factory=list)
    deliveries: list[dict] = field(default_factory=list)
    signage: list[dict] = field(default_factory=list)
    totals: dict = field(default_factory=dict)


def dashboard_commune(viewer):
    """The commune whose dashboard the viewer may see: their own mayor's office's only."""
    commune = official_commune(viewer) if is_mayor_office(viewer) else None
    if commune is None:
        raise NotFound
    return commune


def commune_dashboard(viewer, insee_code: str) -> Dashboard:
    """The figures of a commune, for its own mayor's office; anyone else gets 404."""
    commune = dashboard_commune(viewer)
    if commune.insee_code != insee_code:
        raise NotFound
    dashboard = Dashboard(commune=commune)
    neighbourhoods = (
        Neighbourhood.objects.filter(commune=commune)
        .annotate(
            communities_count=Count("communities", distinct=True),
            members=Count(
                "communities__memberships",
                filter=Q(communities__memberships__status=Status.APPROVED),
                distinct=True,
            ),
            pending=Count(
                "communities__memberships",
                filter=Q(communities__memberships__status=Status.PENDING),
                distinct=True,
            ),
            referent_count=Count("neighbourhoodreferent", distinct=True),
        )
        .order_by("name")
    )
    for n in neighbourhoods:
        dashboard.neighbourhoods.append(
            {
                "name": n.name,
                "communities": n.communities_count,
                "members": n.members,
                "pending": n.pending,
                "referents": n.referent_count,
            }
        )
        if n.referent_count == 0:
            dashboard.without_referent.append(n.name)
    dashboard.alerts_by_month = _alerts_by_month(commune)
    dashboard.month_totals = _month_totals(dashboard.alerts_by_month)
    dashboard.deliveries = _delivery_success(commune)
    dashboard.signage = _signage(commune)
    dashboard.totals = {
        # people, not memberships: someone in two communities counts once
        "members": Membership.objects.filter(
            community__neighbourhood__commune=commune, status=Status.APPROVED
        )
        .values("user_id")
        .distinct()
        .count(),
        "communities": Community.objects.filter(neighbourhood__commune=commune).count(),
        "alerts": Alert.objects.filter(
            commune=commune, status__in=[Alert.Status.PUBLISHED, Alert.Status.WITHDRAWN]
        ).count(),
    }
    return dashboard


def _alerts_by_month(commune) -> list[dict]:
    rows = (
        Alert.objects.filter(commune=commune, published_at__isnull=False)
        .annotate(month=TruncMonth("published_at"))
        .values("month", "category", "urgency")
        .annotate(n=Count("id"))
        .order_by("-month", "category", "urgency")
    )
    categories, urgencies = dict(Alert.Category.choices), dict(Alert.Urgency.choices)
    return [
        {
            "month": r["month"],
            "category": categories.get(r["category"], r["category"]),
            "urgency": urgencies.get(r["urgency"], r["urgency"]),
            "count": r["n"],
        }
        for r in rows
    ]


def _month_totals(rows: list[dict]) -> list[dict]:
    """Alerts per month with a bar length in percent of the busiest month, for the chart."""
    totals: dict = {}
    for row in rows:
        totals[row["month"]] = totals.get(row["month"], 0) + row["count"]
    busiest = max(totals.values(), default=0)
    return [
        {"month": month, "count": count, "bar": round(100 * count / busiest) if busiest else 0}
        for month, count in sorted(totals.items(), reverse=True)
    ]


def _delivery_success(commune) -> list[dict]:
    rows = (
        Delivery.objects.filter(alert__commune=commune, purpose=Delivery.Purpose.ALERT)
        .values("channel")
        .annotate(
            total=Count("id"),
            handed_off=Count("id", filter=Q(status__in=[Delivery.Status.SENT, Delivery.Status.DELIVERED])),
            delivered=Count("id", filter=Q(status=Delivery.Status.DELIVERED)),
            failed=Count("id", filter=Q(status=Delivery.Status.FAILED)),
        )
        .order_by("channel")
    )
    result = []
    for r in rows:
        rate = round(100 * r["handed_off"] / r["total"], 1) if r["total"] else 0
        result.append({**r, "success_rate": rate, "bar": int(rate)})
    return result


def _signage(commune) -> list[dict]:
    rows = (
        OrderLine.objects.filter(order__commune=commune)
        .exclude(order__status=Order.Status.CANCELLED)
        .values("sku", "name")
        .annotate(quantity=Sum("quantity"))
        .order_by("name")
    )
    return list(rows)


def dashboard_csv_rows(dashboard: Dashboard):
    """The same figures as CSV rows (section, label, value...)."""
    yield ["section", "label", "detail", "value"]
    for n in dashboard.neighbourhoods:
        yield ["neighbourhood", n["name"], "communities", n["communities"]]
        yield ["neighbourhood", n["name"], "members", n["members"]]
        yield ["neighbourhood", n["name"], "pending requests", n["pending"]]
        yield ["neighbourhood", n["name"], "referents", n["referents"]]
    for r in dashboard.alerts_by_month:
        yield ["alerts", f"{r['month']:%Y-%m}", f"{r['category']} / {r['urgency']}", r["count"]]
    for d in dashboard.deliveries:
        yield ["deliveries", d["channel"], "handed off %", d["success_rate"]]
        yield ["deliveries", d["channel"], "failed", d["failed"]]
    for s in dashboard.signage:
        yield ["signage", s["name"], s["sku"], s["quantity"]]
