"""/alerts/moderation/: what needs the referent (waiting alerts, then flagged published ones),
20 a page, and the police's confidential notices, 10 a page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alerts.models import Alert, AlertFlag
from alerts.tests.factories import AlertFactory
from neighbourhoods.tests.factories import CommunityFactory, NeighbourhoodFactory

from .bulk import bulk_alerts

pytestmark = pytest.mark.django_db

URL = reverse("alerts:moderation")


def descriptions(response):
    return [alert.description for alert in response.context["alerts"]]


def flag(alerts, user):
    AlertFlag.objects.bulk_create(AlertFlag(alert=alert, user=user, reason="Infondé") for alert in alerts)


def test_the_page_shows_waiting_alerts_first_then_flagged_published_ones(
    client, community, resident, referent
):
    waiting = bulk_alerts(community, 2, status=Alert.Status.PENDING, prefix="En attente")
    published = bulk_alerts(community, 4, prefix="Publiée")
    flag(published[:2], resident)
    rejected = bulk_alerts(community, 1, status=Alert.Status.REJECTED, prefix="Rejetée")
    withdrawn = bulk_alerts(community, 1, status=Alert.Status.WITHDRAWN, prefix="Retirée")
    flag(rejected + withdrawn, resident)
    client.force_login(referent)

    response = client.get(URL)

    assert descriptions(response) == ["En attente 001", "En attente 000", "Publiée 001", "Publiée 000"]
    assert [alert.flag_count for alert in response.context["alerts"]] == [0, 0, 1, 1]
    html = response.content.decode()
    for alert in waiting:
        assert reverse("alerts:moderate", args=[alert.id, "approve"]) in html
        assert reverse("alerts:moderate", args=[alert.id, "reject"]) in html
    for alert in published[:2]:
        assert reverse("alerts:moderate", args=[alert.id, "withdraw"]) in html
    for alert in published[2:]:
        assert reverse("alerts:detail", args=[alert.id]) not in html


def test_the_page_shows_20_a_page_and_never_counts_the_history(client, community, resident, referent):
    bulk_alerts(community, 25, status=Alert.Status.PENDING, prefix="En attente")
    flag(bulk_alerts(community, 20, prefix="Signalée"), resident)
    bulk_alerts(community, 300, prefix="Tranquille")
    client.force_login(referent)

    with CaptureQueriesContext(connection) as queries:
        pages = [client.get(URL, {"page": n}) for n in (1, 2, 3)]

    assert [len(page.context["alerts"]) for page in pages] == [20, 20, 5]
    shown = [d for page in pages for d in descriptions(page)]
    assert shown == [f"En attente {n:03d}" for n in range(24, -1, -1)] + [
        f"Signalée {n:03d}" for n in range(19, -1, -1)
    ]
    assert not [q["sql"] for q in queries if "COUNT(*)" in q["sql"].upper()]
    assert client.get(URL, {"page": "4"}).status_code == 404
    assert client.get(URL, {"page": "trois"}).context["alerts"].number == 1


def test_alerts_of_other_neighbourhoods_and_police_warnings_are_not_the_referents(
    client, community, resident, referent, other_community
):
    theirs = bulk_alerts(other_community, 1, status=Alert.Status.PENDING, prefix="Ailleurs")
    police = bulk_alerts(community, 1, kind=Alert.Kind.POLICE, prefix="Police")
    flag(police, resident)
    client.force_login(referent)

    response = client.get(URL)

    assert descriptions(response) == []
    assert reverse("alerts:detail", args=[theirs[0].id]) not in response.content.decode()


def test_a_notice_to_many_communities_prints_none_of_their_names(client, community, referent):
    commune = community.neighbourhood.commune
    elsewhere = [
        CommunityFactory(neighbourhood=NeighbourhoodFactory(commune=commune), name=f"Lointaine {n}")
        for n in range(30)
    ]
    notice = AlertFactory(
        kind=Alert.Kind.NOTICE, commune=commune, communities=[community, *elsewhere], description="Note"
    )
    client.force_login(referent)

    html = client.get(URL).content.decode()

    assert reverse("alerts:detail", args=[notice.id]) in html
    assert "Lointaine" not in html


def test_notices_are_paged_by_ten_apart_from_the_alerts(client, community, resident, referent):
    notices = bulk_alerts(community, 12, kind=Alert.Kind.NOTICE, prefix="Note")
    bulk_alerts(community, 25, status=Alert.Status.PENDING, prefix="En attente")
    client.force_login(referent)

    first = client.get(URL, {"page": "2"})
    second = client.get(URL, {"page": "2", "notices_page": "2"})

    assert [n.id for n in first.context["notices"]] == [n.id for n in reversed(notices[2:])]
    assert [n.id for n in second.context["notices"]] == [notices[1].id, notices[0].id]
    assert len(second.context["alerts"]) == 5
    assert 'href="?page=2&amp;notices_page=2#notices-title"' in first.content.decode()
    assert 'href="?notices_page=2#to-moderate"' in second.content.decode()


def test_moderating_from_a_later_page_still_works(client, community, resident, referent):
    bulk_alerts(community, 25, status=Alert.Status.PENDING, prefix="En attente")
    client.force_login(referent)
    oldest = client.get(URL, {"page": "2"}).context["alerts"].items[-1]

    response = client.post(reverse("alerts:moderate", args=[oldest.id, "reject"]), {"reason": "Doublon"})

    assert response.status_code == 302
    oldest.refresh_from_db()
    assert oldest.status == Alert.Status.REJECTED


def test_a_resident_sees_nothing_to_moderate(client, community, resident):
    bulk_alerts(community, 3, status=Alert.Status.PENDING)
    client.force_login(resident)

    response = client.get(URL)

    assert descriptions(response) == [] and list(response.context["notices"]) == []


def test_the_referent_can_also_list_unflagged_published_alerts_to_withdraw_one(
    client, community, resident, referent
):
    bulk_alerts(community, 1, status=Alert.Status.PENDING, prefix="En attente")
    quiet = bulk_alerts(community, 25, prefix="Tranquille")
    client.force_login(referent)

    default = client.get(URL)
    every = client.get(URL, {"show": "published"})

    assert descriptions(default) == ["En attente 000"]
    assert 'href="?show=published#to-moderate"' in default.content.decode()
    assert descriptions(every)[:2] == ["En attente 000", "Tranquille 024"]
    html = every.content.decode()
    assert reverse("alerts:moderate", args=[quiet[-1].id, "withdraw"]) in html
    assert 'href="?show=published&amp;page=2#to-moderate"' in html
    assert len(client.get(URL, {"show": "published", "page": "2"}).context["alerts"]) == 6


def test_each_flags_reason_and_time_are_shown_but_not_who_flagged(client, community, resident, referent):
    (alert,) = bulk_alerts(community, 1, prefix="Signalée")
    AlertFlag.objects.create(alert=alert, user=resident, reason="C'est la voiture du facteur")
    client.force_login(referent)
    html = client.get(URL).content.decode()
    assert "C&#x27;est la voiture du facteur" in html and "data-flag" in html
    assert resident.last_name not in html


def test_the_page_links_to_the_moderation_log_of_each_of_the_referents_communities(
    client, community, other_community, referent
):
    client.force_login(referent)
    html = client.get(URL).content.decode()
    assert reverse("neighbourhoods:moderation_log", args=[community.id]) in html
    assert reverse("neighbourhoods:moderation_log", args=[other_community.id]) not in html
