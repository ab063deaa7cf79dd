"""community_create: a referent creates a community in one of their own neighbourhoods (platform
staff in any)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from accounts.tests.factories import UserFactory
from conftest import another_backend_waits_on_a_lock, wait_for
from neighbourhoods import services
from neighbourhoods.models import Community
from neighbourhoods.tests.factories import CommunityFactory, NeighbourhoodFactory, ReferentFactory

pytestmark = pytest.mark.django_db


def refusal_code(**kwargs) -> str:
    with pytest.raises(ValidationError) as excinfo:
        services.community_create(**kwargs)
    return excinfo.value.code


def test_referent_creates_a_community_in_their_neighbourhood(referent, community):
    neighbourhood = community.neighbourhood

    created = services.community_create(
        referent=referent,
        neighbourhood=neighbourhood,
        name="  Les   Tilleuls ",
        description=" Entre la mairie et l'école. ",
        rules=" Pas de photos. ",
    )

    created.refresh_from_db()
    assert created.neighbourhood == neighbourhood
    assert created.name == "Les Tilleuls"
    assert created.description == "Entre la mairie et l'école."
    assert created.rules == "Pas de photos."
    assert created.created_by == referent


def test_referent_cannot_create_in_another_neighbourhood(referent, other_community):
    before = Community.objects.count()

    code = refusal_code(referent=referent, neighbourhood=other_community.neighbourhood, name="Intrus")

    assert code == "not_referent"
    assert Community.objects.count() == before


def test_resident_cannot_create_a_community(resident, community):
    assert (
        refusal_code(referent=resident, neighbourhood=community.neighbourhood, name="Nouvelle")
        == "not_referent"
    )
    assert not Community.objects.filter(name="Nouvelle").exists()


def test_a_neighbourhood_of_the_same_commune_is_still_out_of_reach(referent, community):
    sibling = NeighbourhoodFactory(commune=community.commune)

    assert refusal_code(referent=referent, neighbourhood=sibling, name="Voisins") == "not_referent"


@pytest.mark.parametrize("name", ["", "   "])
def test_a_name_is_required(referent, community, name):
    assert (
        refusal_code(referent=referent, neighbourhood=community.neighbourhood, name=name) == "name_required"
    )


@pytest.mark.parametrize("name", ["les lilas", "LES LILAS", " Les  Lilas "])
def test_duplicate_name_in_the_neighbourhood_is_refused_whatever_the_case(referent, community, name):
    CommunityFactory(neighbourhood=community.neighbourhood, name="Les Lilas")

    assert (
        refusal_code(referent=referent, neighbourhood=community.neighbourhood, name=name) == "duplicate_name"
    )
    assert (
        Community.objects.filter(neighbourhood=community.neighbourhood, name__iexact="les lilas").count() == 1
    )


def test_duplicate_name_differing_only_by_an_accented_capital_is_refused(referent, community):
    CommunityFactory(neighbourhood=community.neighbourhood, name="Écoles")

    assert (
        refusal_code(referent=referent, neighbourhood=community.neighbourhood, name="écoles")
        == "duplicate_name"
    )


def test_the_same_name_is_allowed_in_another_neighbourhood(referent, community):
    other = ReferentFactory(user=referent).neighbourhood
    CommunityFactory(neighbourhood=other, name="Les Lilas")

    created = services.community_create(
        referent=referent, neighbourhood=community.neighbourhood, name="Les Lilas"
    )

    assert created.neighbourhood == community.neighbourhood


@pytest.mark.django_db(transaction=True)
def test_simultaneous_creations_of_the_same_name_let_one_through(referent, community):
    """Another referent's creation commits while ours waits on the unique index."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers; SQLite locks the whole database")
    first_inserted = threading.Event()

    def first_creation():
        try:
            with transaction.atomic():
                Community.objects.create(neighbourhood=community.neighbourhood, name="Les Tilleuls")
                first_inserted.set()
                assert wait_for(another_backend_waits_on_a_lock, timeout=10, interval=0.02), (
                    "our creation never waited on the other one's row"
                )
        finally:
            connection.close()

    first = threading.Thread(target=first_creation)
    first.start()
    assert first_inserted.wait(10)
    try:
        code = refusal_code(referent=referent, neighbourhood=community.neighbourhood, name="Les Tilleuls")
    finally:
        first.join(10)

    assert code == "duplicate_name"
    assert Community.objects.filter(neighbourhood=community.neighbourhood, name="Les Tilleuls").count() == 1


def test_platform_staff_create_a_community_in_any_neighbourhood_under_the_same_rules(community):
    staff = UserFactory(is_staff=True, is_superuser=True)

    created = services.community_create(
        referent=staff, neighbourhood=community.neighbourhood, name="Les Lilas"
    )

    assert created.created_by == staff
    assert (
        refusal_code(referent=staff, neighbourhood=community.neighbourhood, name="LES LILAS")
        == "duplicate_name"
    )


def test_staff_without_superuser_rights_may_not(community):
    code = refusal_code(referent=UserFactory(is_staff=True), neighbourhood=community.neighbourhood, name="X")

    assert code == "not_referent"
