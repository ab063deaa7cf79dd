"""The feed is in order of publication, read from the links' copy of the publication time
(AlertCommunity.published_at), which the services keep."""

import pytest
from django.urls import reverse

from alerts.models import Alert, AlertCommunity
from alerts.services.moderation import alert_approve
from alerts.services.publishing import alert_publish, police_alert_publish
from neighbourhoods.tests.factories import CommunityFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _report(author, community, description):
    return alert_publish(
        author=author,
        community_id=community.id,
        category=Alert.Category.SUSPICIOUS_VEHICLE,
        urgency=Alert.Urgency.VIGILANCE,
        description=description,
        street="rue des Lilas",
    )


def test_an_alert_approved_later_comes_first_in_the_feed(client, community, resident, referent):
    community.alerts_need_approval = True
    community.save()
    waiting = _report(resident, community, "Une camionnette blanche tourne dans la rue depuis une heure.")
    assert AlertCommunity.objects.get(alert=waiting).published_at is None
    neighbour = MembershipFactory(community=community).user
    published = _report(neighbour, community, "Un démarcheur insistant fait du porte-à-porte rue des Lilas.")
    alert_approve(referent=referent, alert_id=published.id)
    alert_approve(referent=referent, alert_id=waiting.id)  # created first, published last
    waiting.refresh_from_db()
    assert AlertCommunity.objects.get(alert=waiting).published_at == waiting.published_at

    client.force_login(resident)
    alerts = list(client.get(reverse("alerts:feed", args=[community.id])).context["alerts"])
    assert [a.id for a in alerts] == [waiting.id, published.id]


def test_a_police_warning_is_linked_with_its_publication_time_to_every_community(police_officer, community):
    second = CommunityFactory(neighbourhood=community.neighbourhood)
    alert = police_alert_publish(
        officer=police_officer,
        communities=[community, second],
        kind=Alert.Kind.POLICE,
        category=Alert.Category.SCAM,
        urgency=Alert.Urgency.URGENT,
        description="De faux agents des eaux se présentent chez les personnes âgées.",
        street="",
    )
    links = AlertCommunity.objects.filter(alert=alert)
    assert links.count() == 2
    assert {link.published_at for link in links} == {alert.published_at}
