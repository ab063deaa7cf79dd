"""Finding one's commune by postcode or name."""

import pytest
from django.urls import reverse

from neighbourhoods.tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def saint_sebastien():
    return CommuneFactory(insee_code="44190", name="Saint-Sébastien-sur-Loire", postcode__code="44230")


def test_search_by_postcode_lists_the_commune(client, saint_sebastien):
    response = client.get(reverse("neighbourhoods:commune_search"), {"q": "44230"})

    assert response.context["communes"] == [saint_sebastien]
    assert reverse("neighbourhoods:commune", args=["44190"]) in response.content.decode()


def test_search_by_name_without_accents_lists_the_commune(client, saint_sebastien):
    response = client.get(reverse("neighbourhoods:commune_search"), {"q": "saint sebastien"})

    assert response.context["communes"] == [saint_sebastien]


def test_empty_page_runs_no_search(client, saint_sebastien):
    response = client.get(reverse("neighbourhoods:commune_search"))

    assert response.status_code == 200
    assert response.context["communes"] is None
