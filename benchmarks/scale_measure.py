"""The measuring of benchmarks/scale.py: who is measured, which pages, and the table of
p50/p95, size and SQL queries per page."""

import logging
import os
import statistics
import warnings

from scale_common import NANTES, P95_TARGET_MS, SIZE_TARGET_KB, TYPICAL, now

_ACTORS = {}


def actors() -> dict:
    """The people whose pages are measured, found in the built database."""
    if _ACTORS:
        return _ACTORS
    from accounts.models import User
    from neighbourhoods.models import Commune, Community, Membership, NeighbourhoodReferent

    for key, insee in (("typical", TYPICAL), ("nantes", NANTES)):
        commune = Commune.objects.get(insee_code=insee)
        # The commune's first community: the 5,000-member one in the typical commune.
        community = Community.objects.filter(neighbourhood__commune=commune).order_by("id").first()
        role = (
            NeighbourhoodReferent.objects.filter(neighbourhood=community.neighbourhood).order_by("id").first()
        )
        member = (
            Membership.objects.filter(community=community, status="approved", user__is_referent=False)
            .exclude(user__official_role__gt="")
            .order_by("-user_id")
            .first()
            .user
        )
        _ACTORS[f"{key}_member"] = member
        _ACTORS[f"{key}_referent"] = role.user
        _ACTORS[f"{key}_police"] = User.objects.get(official_role="police", official_post__commune=commune)
        _ACTORS[f"{key}_mayor"] = User.objects.get(
            official_role="mayor_office", official_post__commune=commune
        )
        _ACTORS["staff"] = User.objects.get(email="admin@scale.vigilance.test")
        _ACTORS[f"{key}_community"] = community
        _ACTORS[f"{key}_commune"] = commune
    return _ACTORS


def pages() -> list[tuple[str, str, str, object]]:
    """(page, who, url) for every page measured."""
    from django.urls import reverse

    from alerts.models import Alert
    from neighbourhoods.models import Membership

    a = actors()
    rows = []
    for key in ("typical", "nantes"):
        community = a[f"{key}_community"]
        commune = a[f"{key}_commune"]
        member, referent = a[f"{key}_member"], a[f"{key}_referent"]
        police, mayor = a[f"{key}_police"], a[f"{key}_mayor"]
        other = (
            Membership.objects.filter(community=community, status="approved")
            .exclude(user=member)
            .order_by("user_id")
            .select_related("user")
            .first()
        )
        alert = (
            Alert.objects.filter(communities=community, status="published", kind="member")
            .order_by("-published_at")
            .first()
        )
        # The police warning to the whole commune: the alert with the most deliveries.
        big = (
            Alert.objects.filter(commune=commune, kind="police", status="published")
            .order_by("-published_at")
            .first()
        )
        c = community.id
        tag = "typ" if key == "typical" else "nantes"
        rows += [
            ("home", f"{tag} member", member, reverse("home")),
            ("community feed", f"{tag} member", member, reverse("alerts:feed", args=[c])),
            ("directory p1", f"{tag} member", member, reverse("neighbourhoods:directory", args=[c])),
            (
                "directory ?q=surname",
                f"{tag} member",
                member,
                reverse("neighbourhoods:directory", args=[c]) + "?q=" + other.user.last_name,
            ),
            ("member detail", f"{tag} member", member, reverse("neighbourhoods:member", args=[c, other.id])),
            ("my communities", f"{tag} member", member, reverse("neighbourhoods:my_communities")),
            ("community page", f"{tag} member", member, reverse("neighbourhoods:community", args=[c])),
            ("alert detail", f"{tag} member", member, reverse("alerts:detail", args=[alert.id])),
            ("moderation log", f"{tag} member", member, reverse("neighbourhoods:moderation_log", args=[c])),
            ("holiday watch", f"{tag} member", member, reverse("neighbourhoods:watch")),
            ("profile", f"{tag} member", member, reverse("profile")),
            ("notifications", f"{tag} member", member, reverse("alerts:notifications")),
            ("shop catalogue", f"{tag} member", member, reverse("shop:catalogue")),
            ("orders", f"{tag} member", member, reverse("shop:orders")),
            ("commune search", f"{tag} member", member, reverse("neighbourhoods:commune_search") + "?q=nan"),
            ("referent home", f"{tag} referent", referent, reverse("neighbourhoods:referent_home")),
            (
                "referent community",
                f"{tag} referent",
                referent,
                reverse("neighbourhoods:referent_community", args=[c]),
            ),
            ("moderation", f"{tag} referent", referent, reverse("alerts:moderation")),
            (
                "moderation log",
                f"{tag} referent",
                referent,
                reverse("neighbourhoods:moderation_log", args=[c]),
            ),
            ("holiday watch", f"{tag} referent", referent, reverse("neighbourhoods:watch")),
            ("alert detail+progress", f"{tag} police", police, reverse("alerts:detail", args=[big.id])),
            (
                "admin alert change+progress",
                f"{tag} police",
                police,
                reverse("admin:alerts_alert_change", args=[big.id]),
            ),
            ("admin alert list", f"{tag} police", police, "/admin/alerts/alert/"),
            ("admin alert list", "staff", a["staff"], "/admin/alerts/alert/"),
            ("admin delivery list", "staff", a["staff"], "/admin/alerts/delivery/"),
            ("town-hall orders", f"{tag} mayor", mayor, reverse("shop:town_hall_orders")),
            (
                "commune dashboard",
                f"{tag} mayor",
                mayor,
                reverse("commune_dashboard", args=[commune.insee_code]),
            ),
        ]
    return rows


def measure(args) -> None:
    from django.db import connection
    from django.test import Client

    rows = pages()
    rows = [r for i, r in enumerate(rows) if r[1] != "staff" or r not in rows[:i]]  # staff pages once
    if args.only:
        rows = [r for r in rows if args.only.lower() in f"{r[0]} {r[1]}".lower()]
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # a 403/500 shows in the table
    warnings.filterwarnings("ignore", message="No directory at")
    queries = []

    def count(execute, sql, params, many, context):
        t = now()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(((now() - t) * 1000, sql, params))

    connection.execute_wrappers.append(count)  # kept on the wrapper across reconnections
    clients = {}
    results = []
    print(f"\nload average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    print(f"{'page':<28} {'who':<16} {'st':>3} {'p50 ms':>7} {'p95 ms':>7} {'KB':>7} {'SQL':>5}  url")
    for page, who, user, url in rows:
        client = clients.get(user.id)
        if client is None:
            client = clients[user.id] = Client()
            client.force_login(user)
        response = client.get(url, secure=True)  # warm-up
        queries.clear()
        response = client.get(url, secure=True)
        n_queries = len(queries)
        slowest = sorted(queries, key=lambda q: -q[0])[:3]
        times = []
        for _ in range(args.rounds):
            t = now()
            response = client.get(url, secure=True)
            if hasattr(response, "streaming_content"):
                body = b"".join(response.streaming_content)
            else:
                body = response.content
            times.append((now() - t) * 1000)
        times.sort()
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        kb = len(body) / 1024
        flag = " "
        if p95 >= P95_TARGET_MS or kb > SIZE_TARGET_KB or response.status_code != 200:
            flag = "!"
        where = response.get("Location", "") if response.status_code in (301, 302) else ""
        results.append((page, who, response.status_code, p50, p95, kb, n_queries))
        print(
            f"{flag}{page:<27} {who:<16} {response.status_code:>3} {p50:7.1f} {p95:7.1f} {kb:7.1f} "
            f"{n_queries:>5}  {url}{' -> ' + where if where else ''}",
            flush=True,
        )
        if args.sql:
            with connection.cursor() as cur:
                for ms, sql, params in slowest:
                    if ms >= args.sql:
                        text = cur.mogrify(sql, params) if params else sql
                        text = text.decode() if isinstance(text, bytes) else text
                        print(f"      {ms:6.1f} ms  {text[:3000]}")
    if not results:
        raise SystemExit("no page matches --only")
    over_ms = sum(1 for r in results if r[4] >= P95_TARGET_MS)
    over_kb = sum(1 for r in results if r[5] > SIZE_TARGET_KB)
    not_ok = sum(1 for r in results if r[2] != 200)
    worst = max(results, key=lambda r: r[4])
    print(f"\nnon-200 pages: {not_ok}; load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"pages={len(results)} over_100ms={over_ms} over_200kb={over_kb} "
        f"worst_p95={worst[0].replace(' ', '_')}({worst[1].replace(' ', '_')}):{worst[4]:.0f}"
    )
