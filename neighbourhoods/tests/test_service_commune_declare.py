"""commune_declare: a resident records the commune they live in."""

import pytest

from accounts.tests.factories import UserFactory
from neighbourhoods import services
from neighbourhoods.selectors import residence_commune
from neighbourhoods.tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def test_declaring_a_commune_stores_it_on_the_account():
    user = UserFactory(commune=None)
    commune = CommuneFactory()

    services.commune_declare(user=user, commune=commune)

    user.refresh_from_db()
    assert residence_commune(user) == commune


def test_declaring_another_commune_replaces_the_first():
    first, second = CommuneFactory(), CommuneFactory()
    user = UserFactory(commune=first)

    services.commune_declare(user=user, commune=second)

    user.refresh_from_db()
    assert residence_commune(user) == second


def test_declaring_touches_nothing_else_on_the_account():
    user = UserFactory(commune=None, first_name="Claire")
    user.first_name = "Not saved"

    services.commune_declare(user=user, commune=CommuneFactory())

    user.refresh_from_db()
    assert user.first_name == "Claire"
