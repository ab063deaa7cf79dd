"""A warning to a whole city goes to hundreds of communities: its page links the viewer's own
communities and counts the others, never lists them all."""

import pytest
from django.urls import reverse

from alerts.models import Alert
from alerts.selectors import COMMUNITIES_SHOWN
from alerts.tests.factories import AlertFactory
from neighbourhoods.tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def citywide(community):
    others = [
        CommunityFactory(neighbourhood=community.neighbourhood, name=f"Quartier {n:02d}")
        for n in range(COMMUNITIES_SHOWN + 5)
    ]
    return AlertFactory(
        kind=Alert.Kind.POLICE, commune=community.neighbourhood.commune, communities=[community, *others]
    )


def test_a_member_sees_a_link_to_their_community_and_a_count_of_the_others(
    client, resident, community, citywide
):
    client.force_login(resident)
    response = client.get(reverse("alerts:detail", args=[citywide.id]))
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("alerts:feed", args=[community.id]) in page
    assert "Quartier 00" not in page
    assert "(et 25 autres communautés)" in page


def test_the_police_see_how_many_communities_not_their_names(client, police_officer, citywide):
    client.force_login(police_officer)
    page = client.get(reverse("alerts:detail", args=[citywide.id])).content.decode()
    assert "Envoyée à 26 communautés" in page
    assert "Quartier 00" not in page


def test_the_admin_progress_page_names_at_most_twenty(client, police_officer, community, citywide):
    client.force_login(police_officer)
    page = client.get(reverse("admin:alerts_alert_change", args=[citywide.id])).content.decode()
    assert community.name < "Quartier"  # the first by name, then 19 of the others
    assert community.name in page and page.count("Quartier ") == COMMUNITIES_SHOWN - 1
    assert "(et 6 autres communautés)" in page
