"""A mayor's-office account names referents in the admin, for its own commune only."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from neighbourhoods.models import NeighbourhoodReferent
from neighbourhoods.tests.factories import NeighbourhoodFactory, ReferentFactory

pytestmark = pytest.mark.django_db


def test_mayor_office_appoints_a_resident_of_its_commune_as_referent(client, mayor_office, community):
    resident = UserFactory(commune=community.neighbourhood.commune)
    client.force_login(mayor_office)
    response = client.post(
        reverse("admin:neighbourhoods_neighbourhoodreferent_add"),
        {"neighbourhood": community.neighbourhood.id, "user": resident.id},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    role = NeighbourhoodReferent.objects.get(user=resident)
    assert role.neighbourhood == community.neighbourhood
    assert role.appointed_by == mayor_office


def test_mayor_office_cannot_appoint_in_another_commune(client, mayor_office, other_community):
    stranger = UserFactory(commune=other_community.neighbourhood.commune)
    client.force_login(mayor_office)
    response = client.post(
        reverse("admin:neighbourhoods_neighbourhoodreferent_add"),
        {"neighbourhood": other_community.neighbourhood.id, "user": stranger.id},
    )
    assert response.status_code == 200  # the form is shown again with errors
    assert response.context["adminform"].form.errors.keys() == {"neighbourhood", "user"}
    assert not NeighbourhoodReferent.objects.exists()


def test_mayor_office_lists_only_its_communes_neighbourhoods_and_referents(
    client, mayor_office, community, other_community
):
    ours = ReferentFactory(neighbourhood=community.neighbourhood)
    theirs = ReferentFactory(neighbourhood=other_community.neighbourhood)
    client.force_login(mayor_office)

    listing = client.get(reverse("admin:neighbourhoods_neighbourhoodreferent_changelist"))
    assert listing.status_code == 200
    shown = list(listing.context["cl"].queryset)
    assert shown == [ours]

    neighbourhoods = client.get(reverse("admin:neighbourhoods_neighbourhood_changelist"))
    assert list(neighbourhoods.context["cl"].queryset) == [community.neighbourhood]

    other_change = reverse("admin:neighbourhoods_neighbourhoodreferent_change", args=[theirs.id])
    assert client.get(other_change).status_code in {302, 403, 404}


def test_mayor_office_has_no_access_to_members_or_communes(client, mayor_office):
    client.force_login(mayor_office)
    assert client.get(reverse("admin:neighbourhoods_membership_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_platform_staff_search_communes_by_postcode_and_members_by_email(admin_client, resident):
    from neighbourhoods.tests.factories import CommuneFactory

    commune = CommuneFactory(insee_code="44190", name="Saint-Sébastien-sur-Loire")
    by_postcode = admin_client.get(reverse("admin:neighbourhoods_commune_changelist"), {"q": "44190"})
    assert commune in by_postcode.context["cl"].queryset
    by_email = admin_client.get(reverse("admin:neighbourhoods_membership_changelist"), {"q": resident.email})
    assert [m.user for m in by_email.context["cl"].queryset] == [resident]


def test_a_new_neighbourhood_made_by_the_mayor_office_is_in_its_commune(
    client, mayor_office, other_community
):
    client.force_login(mayor_office)
    response = client.post(
        reverse("admin:neighbourhoods_neighbourhood_add"),
        {"commune": other_community.neighbourhood.commune.id, "name": "Intrus", "description": ""},
    )
    assert response.status_code == 200
    assert not NeighbourhoodFactory._meta.model.objects.filter(name="Intrus").exists()
