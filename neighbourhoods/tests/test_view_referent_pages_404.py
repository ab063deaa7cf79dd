"""Every referent page answers 404 to anyone but a referent of the community's neighbourhood."""

import pytest
from django.urls import reverse

from neighbourhoods.models import Community, NeighbourhoodReferent
from neighbourhoods.tests.factories import ReferentFactory

pytestmark = pytest.mark.django_db

PAGES = ["community", "edit", "remove", "hand_over"]
INTRUDERS = ["resident", "pending_resident", "outsider", "referent_of_another_neighbourhood"]


@pytest.fixture
def referent_urls(community, resident, referent):
    membership = resident.memberships.get()
    return {
        "community": reverse("neighbourhoods:referent_community", args=[community.id]),
        "edit": reverse("neighbourhoods:community_edit", args=[community.id]),
        "remove": reverse("neighbourhoods:member_remove", args=[community.id, membership.id]),
        "hand_over": reverse("neighbourhoods:referent_hand_over", args=[community.neighbourhood_id]),
    }


@pytest.fixture
def intruder(request):
    def get(name):
        if name == "referent_of_another_neighbourhood":
            return ReferentFactory().user
        return request.getfixturevalue(name)

    return get


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", INTRUDERS)
def test_intruder_gets_404_on_get(client, referent_urls, intruder, page, who):
    client.force_login(intruder(who))

    assert client.get(referent_urls[page]).status_code == 404


@pytest.mark.parametrize("who", INTRUDERS)
def test_intruder_cannot_post_an_edit(client, community, referent_urls, intruder, who):
    description = community.description
    client.force_login(intruder(who))

    assert client.post(referent_urls["edit"], {"description": "Piraté", "rules": ""}).status_code == 404
    community.refresh_from_db()
    assert community.description == description


@pytest.mark.parametrize("who", INTRUDERS)
def test_intruder_cannot_post_a_removal(client, resident, referent_urls, intruder, who):
    client.force_login(intruder(who))

    assert client.post(referent_urls["remove"], {"reason": "Spam"}).status_code == 404
    assert resident.memberships.get().status == "approved"


@pytest.mark.parametrize("who", INTRUDERS)
def test_intruder_cannot_take_the_role(client, community, resident, referent, referent_urls, intruder, who):
    client.force_login(intruder(who))

    assert client.post(referent_urls["hand_over"], {"successor": resident.id}).status_code == 404
    roles = NeighbourhoodReferent.objects.filter(neighbourhood=community.neighbourhood)
    assert list(roles.values_list("user", flat=True)) == [referent.id]


@pytest.mark.parametrize("page", PAGES)
def test_visitor_is_sent_to_log_in(client, referent_urls, page):
    response = client.get(referent_urls[page])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("page", PAGES)
def test_the_neighbourhoods_referent_sees_every_page(client, referent, referent_urls, page):
    client.force_login(referent)

    assert client.get(referent_urls[page]).status_code == 200


def test_unknown_community_gets_404_for_the_referent(client, referent, community):
    client.force_login(referent)
    missing = Community.objects.order_by("-id").first().id + 1

    assert client.get(reverse("neighbourhoods:referent_community", args=[missing])).status_code == 404
