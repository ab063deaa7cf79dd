"""The shop's people and products: a catalogue, a Mairie Vigilante, staff who process orders."""

from decimal import Decimal

import pytest

from .factories import KitFactory, ProductFactory, SignageProgrammeFactory, StreetSignFactory


@pytest.fixture
def sticker(db):
    return ProductFactory(sku="STK-BAL", name="Autocollant boîte aux lettres", price_excl_vat=Decimal("3.25"))


@pytest.fixture
def kit(db):
    return KitFactory()


@pytest.fixture
def street_sign(db):
    return StreetSignFactory()


@pytest.fixture
def mairie_vigilante(community, kit):
    """The resident's commune offers one sticker kit per person, with a 500 € budget."""
    return SignageProgrammeFactory(commune=community.neighbourhood.commune, funded_products=[kit])


@pytest.fixture
def staff(db):
    from accounts.tests.factories import UserFactory, enable_totp

    user = UserFactory(is_staff=True, is_superuser=True, email="atelier@vigilance.example")
    enable_totp(user)
    return user


@pytest.fixture
def other_mayor_office(other_community):
    """The mayor's office of another commune."""
    from accounts.tests.factories import UserFactory, enable_totp

    user = UserFactory(
        is_staff=True, official_role="mayor_office", official_commune=other_community.neighbourhood.commune
    )
    enable_totp(user)
    return user


@pytest.fixture
def door_sticker(db):
    """The seed's door sticker: 4.08 € excl. VAT, 4.90 € incl.; two of them cost 9.80 €, not 9.79 €."""
    return ProductFactory(sku="STK-PORTE", name="Autocollant de porte", price_excl_vat=Decimal("4.08"))
