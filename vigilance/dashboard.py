"""The commune dashboard for a mayor's office: counts only, never a person's data.

Its cost does not grow with the commune's history: alerts and messages are read from the
monthly tallies (alerts.services.tally) plus the last few days' alerts. The figures are kept
DASHBOARD_CACHE_SECONDS (5 minutes) in the cache, per commune and language, and the page says
when they were counted: a town hall reading its dashboard all day costs one count every five
minutes."""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Sum
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import pgettext

from accounts.exceptions import NotFound
from accounts.roles import is_mayor_office
from alerts import figures as alert_figures
from alerts.models import Alert, Delivery
from neighbourhoods.models import Community, Membership, Neighbourhood, NeighbourhoodReferent
from neighbourhoods.selectors import official_commune
from shop.models import Order, OrderLine

Status = Membership.Status
MONTHS_SHOWN = 24  # the alerts per month: the last two years, whatever the history


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
    counted_at: datetime | None = None


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
    if not settings.DASHBOARD_CACHE_SECONDS:
        return _count(commune)
    key = f"dashboard:v2:{commune.id}:{translation.get_language()}"
    return cache.get_or_set(key, lambda: _count(commune), settings.DASHBOARD_CACHE_SECONDS)


def _count(commune) -> Dashboard:
    dashboard = Dashboard(commune=commune, counted_at=timezone.now())
    dashboard.neighbourhoods = _neighbourhoods(commune)
    dashboard.without_referent = [n["name"] for n in dashboard.neighbourhoods if not n["referents"]]
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
        "alerts": alert_figures.commune_alert_total(commune.id),
    }
    return dashboard


def _neighbourhoods(commune) -> list[dict]:
    """Communities, members, requests waiting and referents per neighbourhood: one grouped
    count per table (joined in one query, every membership row was repeated per referent)."""
    rows = {
        n.id: {"name": n.name, "communities": 0, "members": 0, "pending": 0, "referents": 0}
        for n in Neighbourhood.objects.filter(commune=commune).order_by("name")
    }
    in_commune = {"neighbourhood__commune": commune}
    for r in (
        Community.objects.filter(**in_commune).values("neighbourhood_id").annotate(n=Count("id")).order_by()
    ):
        rows[r["neighbourhood_id"]]["communities"] = r["n"]
    for r in (
        NeighbourhoodReferent.objects.filter(**in_commune)
        .values("neighbourhood_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        rows[r["neighbourhood_id"]]["referents"] = r["n"]
    memberships = (
        Membership.objects.filter(
            community__neighbourhood__commune=commune, status__in=[Status.APPROVED, Status.PENDING]
        )
        .values("community__neighbourhood_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in memberships:
        key = "members" if r["status"] == Status.APPROVED else "pending"
        rows[r["community__neighbourhood_id"]][key] = r["n"]
    return list(rows.values())


def _alerts_by_month(commune) -> list[dict]:
    rows = alert_figures.commune_alerts_per_month(commune.id, months=MONTHS_SHOWN)
    categories, urgencies = dict(Alert.Category.choices), dict(Alert.Urgency.choices)
    return [
        {
            "month": r["month"],
            "category": categories.get(r["category"], r["category"]),
            "urgency": urgencies.get(r["urgency"], r["urgency"]),
            "count": r["alerts"],
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
    """Per channel: the receipt rate (confirmed delivered, among the known outcomes; None
    while nothing is confirmed) and the share handed off to the provider."""
    result = []
    for r in alert_figures.commune_delivery_totals(commune.id):
        handed_off = round(100 * r["handed_off"] / r["total"], 1) if r["total"] else 0
        received = alert_figures.receipt_rate(r)
        result.append({**r, "success_rate": handed_off, "receipt_rate": received, "bar": int(received or 0)})
    return sorted(result, key=lambda r: r["channel"])


def _signage(commune) -> list[dict]:
    rows = (
        OrderLine.objects.filter(order__commune=commune)
        .exclude(order__status=Order.Status.CANCELLED)
        .values("sku", "name")
        .annotate(quantity=Sum("quantity"))
        .order_by("name")
    )
    return list(rows)


def csv_filename(dashboard: Dashboard) -> str:
    commune = dashboard.commune
    return f"vigilance-{slugify(commune.name)}-{commune.insee_code}.csv"


def _number(value) -> str:
    """In the reader's language: French spreadsheets read "75,0", not "75.0"."""
    return formats.number_format(value) if value is not None else ""


def _csv_words() -> dict[str, str]:
    # The context is written out in each call: makemessages reads literals only.
    return {
        "section": pgettext("dashboard CSV", "section"),
        "label": pgettext("dashboard CSV", "label"),
        "detail": pgettext("dashboard CSV", "detail"),
        "value": pgettext("dashboard CSV", "value"),
        "neighbourhood": pgettext("dashboard CSV", "neighbourhood"),
        "communities": pgettext("dashboard CSV", "communities"),
        "members": pgettext("dashboard CSV", "members"),
        "pending": pgettext("dashboard CSV", "requests waiting"),
        "referents": pgettext("dashboard CSV", "referents"),
        "alerts": pgettext("dashboard CSV", "alerts"),
        "messages": pgettext("dashboard CSV", "messages"),
        "received": pgettext("dashboard CSV", "received % (of known outcomes)"),
        "handed_off": pgettext("dashboard CSV", "handed off to the provider %"),
        "failed": pgettext("dashboard CSV", "failed"),
        "signage": pgettext("dashboard CSV", "signage"),
    }


def dashboard_csv_rows(dashboard: Dashboard):
    """The same figures as CSV rows (section, label, detail, value), in the active language."""
    w = _csv_words()
    yield [w["section"], w["label"], w["detail"], w["value"]]
    for n in dashboard.neighbourhoods:
        yield [w["neighbourhood"], n["name"], w["communities"], _number(n["communities"])]
        yield [w["neighbourhood"], n["name"], w["members"], _number(n["members"])]
        yield [w["neighbourhood"], n["name"], w["pending"], _number(n["pending"])]
        yield [w["neighbourhood"], n["name"], w["referents"], _number(n["referents"])]
    for r in dashboard.alerts_by_month:
        yield [w["alerts"], f"{r['month']:%Y-%m}", f"{r['category']} / {r['urgency']}", _number(r["count"])]
    channels = dict(Delivery.Channel.choices)
    for d in dashboard.deliveries:
        channel = str(channels.get(d["channel"], d["channel"]))
        yield [w["messages"], channel, w["received"], _number(d["receipt_rate"])]
        yield [w["messages"], channel, w["handed_off"], _number(d["success_rate"])]
        yield [w["messages"], channel, w["failed"], _number(d["failed"])]
    for s in dashboard.signage:
        yield [w["signage"], s["name"], s["sku"], _number(s["quantity"])]


def csv_safe(value):
    """A cell starting with = + - @ is a formula to spreadsheets: neutralise it."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
