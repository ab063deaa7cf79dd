"""seed_demo: the demo commune and its people, idempotent, with the logins printed."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from accounts import roles
from accounts.models import User
from neighbourhoods import selectors
from neighbourhoods.models import (
    Commune,
    Community,
    Membership,
    Neighbourhood,
    NeighbourhoodReferent,
    Official,
    Postcode,
    Residence,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Commune,
    Postcode,
    Neighbourhood,
    Community,
    Membership,
    NeighbourhoodReferent,
    User,
    EmailAddress,
    Official,
    Residence,
]


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict:
    counts = {model.__name__: model.objects.count() for model in MODELS}
    counts["user groups"] = User.groups.through.objects.count()
    return counts


@pytest.fixture
def seeded():
    return seed()


def test_running_twice_adds_no_rows_and_prints_the_logins_both_times(seeded):
    before = row_counts()

    again = seed()

    assert row_counts() == before
    for output in (seeded, again):
        assert "referent@demo.vigilance.fr" in output
        assert "police@demo.vigilance.fr" in output
        assert "mairie@demo.vigilance.fr" in output
        assert "vigilance-demo" in output


def test_the_commune_44190_has_the_postcode_44230(seeded):
    commune = Commune.objects.get(insee_code="44190")

    assert commune.name == "Saint-Sébastien-sur-Loire"
    assert commune.postcode_list == ["44230"]
    assert list(selectors.communes_search("saint sebastien")) == [commune]
    assert commune in selectors.communes_search("44230")


def test_the_referent_has_neighbourhoods_with_pending_requests(seeded):
    referent = User.objects.get(email="referent@demo.vigilance.fr")

    assert roles.is_referent(referent)
    pending = Membership.objects.filter(
        status=Membership.Status.PENDING, community__neighbourhood__neighbourhoodreferent__user=referent
    )
    assert pending.count() >= 2
    assert all(m.user.residence.commune.insee_code == "44190" for m in pending)


def test_the_police_and_mairie_accounts_serve_the_commune(seeded):
    commune = Commune.objects.get(insee_code="44190")
    police = User.objects.get(email="police@demo.vigilance.fr")
    mairie = User.objects.get(email="mairie@demo.vigilance.fr")

    assert roles.is_police_officer(police)
    assert roles.is_mayor_office(mairie)
    assert selectors.official_commune(police) == commune
    assert selectors.official_commune(mairie) == commune


def test_every_printed_login_works_with_the_demo_password(seeded, client):
    emails = [word for word in seeded.split() if word.endswith("@demo.vigilance.fr")]

    assert len(emails) >= 5
    for email in emails:
        assert client.login(email=email, password="vigilance-demo"), email
        assert EmailAddress.objects.get(email=email).verified


def test_demo_phone_numbers_are_valid_mobiles(seeded):
    phones = [user.phone for user in User.objects.exclude(phone="")]

    assert phones
    assert all(phone.is_valid() for phone in phones)
