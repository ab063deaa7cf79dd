"""/communities/<id>/alerts/: the community's alerts, for its approved members only."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from alerts.models import Alert
from alerts.tests.factories import AlertFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(community, resident):
    return AlertFactory(
        author=resident,
        commune=community.neighbourhood.commune,
        communities=[community],
        description="Voiture rouge garée depuis trois jours, moteur tournant la nuit.",
    )


def feed_url(community):
    return reverse("alerts:feed", args=[community.id])


def test_member_sees_published_alerts_of_the_community(client, community, resident, alert):
    client.force_login(resident)
    response = client.get(feed_url(community))
    assert response.status_code == 200
    assert "Voiture rouge garée" in response.content.decode()


def test_pending_and_rejected_alerts_are_not_in_the_feed(client, community, resident):
    for status in (Alert.Status.PENDING, Alert.Status.REJECTED):
        AlertFactory(
            commune=community.neighbourhood.commune,
            communities=[community],
            status=status,
            description=f"caché {status}",
        )
    client.force_login(resident)
    html = client.get(feed_url(community)).content.decode()
    assert "caché" not in html


def test_visitor_gets_404_with_a_way_to_log_in(client, community, alert):
    response = client.get(feed_url(community))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Voiture rouge" not in html
    assert reverse("account_login") in html


def test_pending_member_gets_404(client, community, pending_resident, alert):
    client.force_login(pending_resident)
    assert client.get(feed_url(community)).status_code == 404


def test_member_of_another_community_gets_404(client, community, outsider, alert):
    client.force_login(outsider)
    assert client.get(feed_url(community)).status_code == 404


def test_logged_in_non_member_gets_404(client, community, alert):
    client.force_login(UserFactory())
    assert client.get(feed_url(community)).status_code == 404


def test_html_in_description_and_street_is_escaped(client, community, resident):
    AlertFactory(
        author=resident,
        commune=community.neighbourhood.commune,
        communities=[community],
        description='<script>alert("feed")</script>',
        street="<b onmouseover=alert(2)>rue</b>",
    )
    client.force_login(resident)
    html = client.get(feed_url(community)).content.decode()
    assert "<script>alert(" not in html
    assert "<b onmouseover" not in html
    assert "&lt;script&gt;alert(" in html
    assert "&lt;b onmouseover=alert(2)&gt;rue&lt;/b&gt;" in html


def test_the_feed_tells_a_member_whose_number_is_not_verified(client, community, resident):
    resident.phone_verified_at = None
    resident.save(update_fields=["phone_verified_at"])
    client.force_login(resident)
    page = client.get(feed_url(community)).content.decode()
    assert 'data-notice="sms-unverified"' in page
    assert f'href="{reverse("alerts:notifications")}"' in page


def test_the_feed_title_says_of_the_name_as_french_writes_it(client, resident):
    community = resident.memberships.get().community
    community.name = "Les Lilas"
    community.save(update_fields=["name"])
    client.force_login(resident)
    page = client.get(feed_url(community), headers={"accept-language": "fr"}).content.decode()
    assert "des Lilas</h1>" in page and "de Les Lilas" not in page
    page = client.get(feed_url(community), headers={"accept-language": "en"}).content.decode()
    assert "Alerts of Les Lilas</h1>" in page
