"""A commune's public page: its neighbourhoods and communities."""

import pytest
from django.urls import reverse

from neighbourhoods.tests.factories import CommuneFactory, CommunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def saint_sebastien():
    return CommuneFactory(insee_code="44190", name="Saint-Sébastien-sur-Loire", postcode__code="44230")


def test_commune_page_lists_its_communities(client, saint_sebastien):
    community = CommunityFactory(neighbourhood__commune=saint_sebastien, name="Les Lilas")

    response = client.get(reverse("neighbourhoods:commune", args=["44190"]))

    assert reverse("neighbourhoods:community", args=[community.id]) in response.content.decode()


def test_unknown_commune_gets_404(client):
    assert client.get(reverse("neighbourhoods:commune", args=["00000"])).status_code == 404
