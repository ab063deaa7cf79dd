"""Handing over the referent role in a neighbourhood of thousands: 50 members offered at most,
a search to find the others."""

import pytest
from django.urls import reverse

from neighbourhoods.models import NeighbourhoodReferent
from neighbourhoods.tests.factories import MembershipFactory

from .bulk import bulk_members

pytestmark = pytest.mark.django_db


def url(community):
    return reverse("neighbourhoods:referent_hand_over", args=[community.neighbourhood_id])


def offered(response):
    return [user.id for user in response.context["form"].fields["successor"].queryset]


@pytest.fixture
def crowd(community):
    return bulk_members(community, 120, prefix="Voisin")


def test_at_most_50_members_are_offered_by_name(client, referent, community, crowd):
    client.force_login(referent)

    response = client.get(url(community))

    assert offered(response) == [m.user_id for m in crowd[:50]]
    assert response.context["more"] is True
    select = response.content.decode().split('id="id_successor"')[1].split("</select>")[0]
    assert select.count("<option") == 51  # with the empty choice


def test_a_search_by_name_or_street_narrows_the_choice(client, referent, community, crowd):
    wanted = MembershipFactory(community=community, user__last_name="Lefèvre", street="impasse du Lavoir")
    client.force_login(referent)

    by_street = client.get(url(community), {"q": "lavoir"})
    by_name = client.get(url(community), {"q": "lefevre"})

    assert offered(by_street) == [wanted.user_id]
    assert offered(by_name) == [wanted.user_id]
    assert 'action="?q=lavoir"' in by_street.content.decode()


def test_a_member_found_by_search_takes_the_role(client, referent, community, crowd):
    successor = crowd[115].user
    client.force_login(referent)

    response = client.post(url(community) + "?q=Voisin+115", {"successor": successor.id})

    assert response.status_code == 302
    assert NeighbourhoodReferent.objects.filter(
        user=successor, neighbourhood=community.neighbourhood
    ).exists()


def test_the_chosen_member_stays_valid_whatever_the_search(client, referent, community, crowd):
    successor = crowd[115].user
    client.force_login(referent)

    response = client.post(url(community) + "?q=nobody", {"successor": successor.id})

    assert response.status_code == 302


def test_an_outsider_cannot_be_chosen(client, referent, community, outsider, crowd):
    client.force_login(referent)

    response = client.post(url(community), {"successor": outsider.id})

    assert response.status_code == 200
    assert "successor" in response.context["form"].errors
