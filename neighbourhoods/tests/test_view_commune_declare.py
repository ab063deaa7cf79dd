"""A resident declares the commune they live in."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from neighbourhoods.selectors import residence_commune
from neighbourhoods.tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def saint_sebastien():
    return CommuneFactory(insee_code="44190", name="Saint-Sébastien-sur-Loire", postcode__code="44230")


def test_declaring_the_commune_stores_it(client, saint_sebastien):
    user = UserFactory(commune=None)
    client.force_login(user)

    response = client.post(reverse("neighbourhoods:commune_declare", args=["44190"]))

    assert response.status_code == 302
    user.refresh_from_db()
    assert residence_commune(user) == saint_sebastien


def test_declaring_needs_a_post(client, saint_sebastien):
    user = UserFactory(commune=None)
    client.force_login(user)

    assert client.get(reverse("neighbourhoods:commune_declare", args=["44190"])).status_code == 405
    user.refresh_from_db()
    assert residence_commune(user) is None
